"""A one-thing defined only in the tests, run end to end by the platform as it ships: the worker
serves its saga because the registry lists it (``--one-things`` with ``ONETHING_EXTRA_ONE_THINGS``),
the window takes its form at ``/v1/sample/applications``, the case completes, and the ops API
finds it by one-thing. Not a line of ``window/``, ``ops/``, ``onething/`` or ``deploy/`` names it."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Iterator

import httpx
import pytest
from confluent_kafka.admin import NewTopic

from contracts.topics import CASE_PARTITIONS, command_topic
from onething.kafka import admin_client
from onething.settings import Settings
from ops.bootstrap import build as build_ops
from tests.conftest import own_stack
from tests.support.processes import WorkerProcess
from tests.support.sample_thing import SPEC
from tests.support.windows import with_one_window
from window.bootstrap import build as build_window

pytestmark = pytest.mark.integration

KEY = "registry-window-key"


@pytest.fixture(scope="module")
def mine(stack: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = with_one_window(
        own_stack(stack, "registry"), tmp_path_factory.mktemp("registry"), KEY
    )
    return settings.model_copy(update={"extra_one_things": SPEC})


@pytest.fixture(scope="module")
def worker(mine: Settings) -> Iterator[WorkerProcess]:
    topic = mine.topic(command_topic("sample"))
    admin = admin_client(mine)
    if topic not in admin.list_topics(timeout=10).topics:
        admin.create_topics([NewTopic(topic, CASE_PARTITIONS, 1)])[topic].result(30)
    process = WorkerProcess(
        mine,
        ["--name", "registry", "--one-things", "--projector",
         "--department", "tests.support.sample_participant:make_adapter"],
        extra_env={"ONETHING_EXTRA_ONE_THINGS": SPEC},
    ).start()  # fmt: skip
    yield process
    process.stop()


async def test_a_one_thing_of_the_tests_runs_through_the_shipped_window_worker_and_ops(
    mine: Settings, worker: WorkerProcess
) -> None:
    reference = f"R{secrets.token_hex(4).upper()}"
    window, ops = build_window(mine), build_ops(mine)
    async with window.router.lifespan_context(window), ops.router.lifespan_context(ops):
        w = httpx.AsyncClient(transport=httpx.ASGITransport(app=window), base_url="http://w")
        o = httpx.AsyncClient(transport=httpx.ASGITransport(app=ops), base_url="http://o")
        async with w, o:
            accepted = await w.post(
                "/v1/sample/applications",
                json={"reference": reference, "want_y": False},
                headers={"X-Window-Key": KEY},
            )
            assert 202 == accepted.status_code, accepted.text
            case_id = accepted.json()["case_id"]
            deadline = time.monotonic() + 90
            status = ""
            while status != "completed":
                assert worker.alive(), worker.tail()
                assert time.monotonic() < deadline, f"{case_id} is {status!r}\n{worker.tail()}"
                await asyncio.sleep(0.5)
                seen = await w.get(f"/v1/cases/{case_id}", headers={"X-Window-Key": KEY})
                status = seen.json().get("status", "") if seen.status_code == 200 else ""
            listed = await o.get(
                "/v1/ops/cases",
                params={"saga": "sample"},
                headers={"X-Ops-Key": mine.ops_api_key.get_secret_value()},
            )

    assert f"SM-{reference}" == case_id
    steps = seen.json()["steps"]
    assert "skipped" == steps["notify_y"]["status"]  # the form opted out of it
    assert case_id in [c["case_id"] for c in listed.json()["cases"]]
