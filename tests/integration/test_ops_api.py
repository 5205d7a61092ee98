"""The ops API as ``python -m ops`` serves it, on its own port over the real Redis and Kafka: its
document needs the ops key, and an operator sees a step awaiting its department, for how long,
in the case and in the awaiting-reply list, both read from what the projector wrote."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import redis.asyncio as aioredis

from contracts.lifecycle import StepStatus
from onething.readmodel.projector import Projector
from onething.settings import Settings
from tests.conftest import own_stack
from tests.support.processes import WorkerProcess, free_port
from tests.unit.window.support import History

pytestmark = pytest.mark.integration

KEY = {"X-Ops-Key": secrets.token_hex(12)}


@pytest.fixture(scope="module")
def ops(stack: Settings) -> Iterator[tuple[Settings, str]]:
    """``python -m ops`` on a free port, under a prefix of this module's own; its base URL."""
    settings = own_stack(stack, "ops").model_copy(update={"ops_port": free_port()})
    server = WorkerProcess(
        settings,
        [],
        module="ops",
        extra_env={
            "ONETHING_OPS_PORT": str(settings.ops_port),
            "ONETHING_OPS_API_KEY": KEY["X-Ops-Key"],
            "ONETHING_ENVIRONMENT": "production",  # so a real key is required, and given
        },
    ).start()
    base = f"http://127.0.0.1:{settings.ops_port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.alive(), server.tail()
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, server.tail()
                time.sleep(0.2)
        yield settings, base
    finally:
        server.stop()


def test_the_document_on_the_ops_port_needs_the_key(ops: tuple[Settings, str]) -> None:
    _settings, base = ops

    without = httpx.get(f"{base}/openapi.json")
    docs = httpx.get(f"{base}/docs", headers=KEY)
    spec = httpx.get(f"{base}/openapi.json", headers=KEY)

    assert (401, 200, 200) == (without.status_code, docs.status_code, spec.status_code)
    assert "/v1/ops/cases/awaiting-reply" in spec.json()["paths"]


async def test_a_step_awaiting_its_department_is_seen_through_the_ops_port(
    ops: tuple[Settings, str],
) -> None:
    settings, base = ops
    case_id = f"AD-{secrets.token_hex(8)}"
    history = History(case_id, at=datetime.now(UTC) - timedelta(minutes=10)).received()
    history.step("stop_pension", StepStatus.DISPATCHED, department="social_security", attempt=1)
    redis = aioredis.Redis.from_url(settings.redis_url)
    try:
        projector = Projector(redis, settings.topic_prefix)
        for position, event in enumerate(history.events):
            await projector.apply(event, position=position)
    finally:
        await redis.aclose()

    async with httpx.AsyncClient(base_url=base, headers=KEY) as client:
        case = (await client.get(f"/v1/ops/cases/{case_id}")).json()
        listed = (await client.get("/v1/ops/cases/awaiting-reply?older_than_seconds=300")).json()
        none = (await client.get("/v1/ops/cases/awaiting-reply?older_than_seconds=600")).json()

    step = case["steps"]["stop_pension"]
    sent = history.events[1].at
    assert sent == datetime.fromisoformat(step["awaiting_reply_since"])
    assert 8 * 60 <= step["awaiting_reply_seconds"] < 9 * 60
    assert [(case_id, "stop_pension", "social_security")] == [
        (s["case_id"], s["step"], s["department"]) for s in listed["steps"]
    ]
    assert [] == none["steps"]
