"""``python -m ops``: the ops API alone, on its own host and port, refusing to start outside
local development without a real ops key, and with its OpenAPI document and pages behind the key
like every other route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

import ops.__main__ as ops_main
from onething.settings import LOCAL_OPS_KEY, Settings
from ops.api import create_ops_app
from tests.unit.window.support import NOW, Fakes

OPS = {"X-Ops-Key": "test-ops-key"}


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``main`` would have served, instead of building and serving it."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(ops_main, "build", lambda settings: ("app for", settings))
    monkeypatch.setattr(ops_main.uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setattr(ops_main, "configure_logging", lambda *_: None)
    for name in ("ONETHING_OPS_HOST", "ONETHING_OPS_PORT", "ONETHING_CASE_ID_KEY"):
        monkeypatch.delenv(name, raising=False)
    return calls


@pytest.mark.parametrize("key", [None, "", " " * 20, "short-key", LOCAL_OPS_KEY])
def test_outside_local_development_it_refuses_to_start_without_a_real_ops_key(
    monkeypatch: pytest.MonkeyPatch, served: list[dict[str, Any]], key: str | None
) -> None:
    monkeypatch.setenv("ONETHING_ENVIRONMENT", "production")
    if key is None:
        monkeypatch.delenv("ONETHING_OPS_API_KEY", raising=False)
    else:
        monkeypatch.setenv("ONETHING_OPS_API_KEY", key)

    with pytest.raises(SystemExit, match="ONETHING_OPS_API_KEY must be set"):
        ops_main.main()
    assert [] == served


def test_with_a_real_key_it_serves_on_the_ops_port_and_needs_no_other_secret(
    monkeypatch: pytest.MonkeyPatch, served: list[dict[str, Any]]
) -> None:
    monkeypatch.setenv("ONETHING_ENVIRONMENT", "production")
    monkeypatch.setenv("ONETHING_OPS_API_KEY", "o" * 24)  # and no case-id key: ops needs none

    ops_main.main()

    [options] = served
    assert ("127.0.0.1", 8081, False) == (options["host"], options["port"], options["access_log"])


def test_the_host_and_port_come_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, served: list[dict[str, Any]]
) -> None:
    monkeypatch.setenv("ONETHING_OPS_HOST", "0.0.0.0")
    monkeypatch.setenv("ONETHING_OPS_PORT", "9181")

    ops_main.main()  # local development: the built-in key will do

    assert [("0.0.0.0", 9181)] == [(o["host"], o["port"]) for o in served]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    fakes = Fakes()
    app = create_ops_app(
        Settings(ops_api_key=OPS["X-Ops-Key"]),
        queries=fakes.model,
        publisher=fakes.publisher,
        clock=lambda: NOW,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ops") as client:
        yield client


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/redoc"])
async def test_the_document_and_its_pages_need_the_ops_key(
    client: httpx.AsyncClient, path: str
) -> None:
    missing = await client.get(path)
    wrong = await client.get(path, headers={"X-Ops-Key": "guess"})
    keyed = await client.get(path, headers=OPS)

    assert (401, 401, 200) == (missing.status_code, wrong.status_code, keyed.status_code)
    assert "X-Ops-Key is missing" == missing.json()["detail"]
    assert "X-Ops-Key is not valid" == wrong.json()["detail"]


async def test_the_pages_load_the_document_they_are_served_beside(
    client: httpx.AsyncClient,
) -> None:
    swagger = await client.get("/docs", headers=OPS)
    redoc = await client.get("/redoc", headers=OPS)

    assert "url: '/openapi.json'" in swagger.text
    assert "persistAuthorization" in swagger.text  # the key entered under Authorize stays
    assert 'spec-url="/openapi.json"' in redoc.text


async def test_the_document_describes_the_ops_routes_behind_their_key_and_only_them(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/openapi.json", headers=OPS)).json()

    assert {"apiKey", "header", "X-Ops-Key"} <= set(
        spec["components"]["securitySchemes"]["OpsKey"].values()
    )
    assert all(path.startswith("/v1/ops/") for path in spec["paths"]), list(spec["paths"])
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert [{"OpsKey": []}] == operation["security"], (method, path)
            assert "401" in operation["responses"], (method, path)
    assert "ONETHING_OPS_PORT" in spec["info"]["description"]


async def test_every_operation_of_the_document_answers_401_without_the_key(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/openapi.json", headers=OPS)).json()
    answers = {
        (method, path): (
            await client.request(method, path.replace("{case_id}", "AD-1"), json={})
        ).status_code
        for path, operations in spec["paths"].items()
        for method in operations
    }

    assert {
        ("post", "/v1/ops/cases/{case_id}/actions"),
        ("get", "/v1/ops/cases/awaiting-reply"),
    } <= set(answers)
    assert {401} == set(answers.values()), answers
