"""The ops API: operators with the ops key find cases by state in any division and act on them;
every action goes to the engine as an ``OperatorCommand``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from contracts.lifecycle import CaseStatus, StepStatus
from contracts.saga import OperatorAction, OperatorCommand
from onething.settings import Settings
from ops.api import create_ops_app
from tests.unit.window.support import NOW, Fakes, History

OPS = {"X-Ops-Key": "test-ops-key"}


@pytest.fixture
def fakes() -> Fakes:
    return Fakes()


@pytest.fixture
async def client(fakes: Fakes) -> AsyncIterator[httpx.AsyncClient]:
    app = create_ops_app(
        Settings(ops_api_key="test-ops-key"),
        queries=fakes.model,
        publisher=fakes.publisher,
        clock=lambda: NOW,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ops") as client:
        yield client


@pytest.fixture
async def cases(fakes: Fakes) -> None:
    await fakes.given(
        History("AD-1").received(NOW + timedelta(days=3)),
        History("AD-2", "321202").received(NOW + timedelta(days=1)).overdue(),
        History("AD-3").received().step("verify_death", StepStatus.DISPATCHED),
        History("MA-4", saga="marriage").received(NOW - timedelta(days=1), provisional=True),
        History("AD-5").received(NOW - timedelta(days=2)).ended(CaseStatus.COMPLETED),
    )


def ids(response: httpx.Response) -> list[str]:
    return [case["case_id"] for case in response.json()["cases"]]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/ops/cases"),
        ("GET", "/v1/ops/cases/late"),
        ("GET", "/v1/ops/cases/AD-1"),
        ("POST", "/v1/ops/cases/AD-1/actions"),
    ],
)
async def test_every_route_needs_the_ops_key(
    client: httpx.AsyncClient, fakes: Fakes, method: str, path: str
) -> None:
    body = {"action": "compensate", "actor": "ops:a", "reason": "r"}
    missing = await client.request(method, path, json=body)
    wrong = await client.request(method, path, json=body, headers={"X-Ops-Key": "guess"})

    assert (401, 401) == (missing.status_code, wrong.status_code)
    assert "X-Ops-Key is missing" == missing.json()["detail"]
    assert "X-Ops-Key is not valid" == wrong.json()["detail"]
    assert [] == fakes.publisher.sent


@pytest.mark.usefixtures("cases")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["AD-1", "AD-2", "AD-3", "AD-5", "MA-4"]),
        ("?status=received", ["AD-1", "AD-2", "MA-4"]),
        ("?saga=afterlife", ["AD-1", "AD-2", "AD-3", "AD-5"]),
        ("?division=321202", ["AD-2"]),
        ("?overdue=true", ["AD-2"]),
        ("?overdue=false&status=received", ["AD-1", "MA-4"]),
        ("?status=received&saga=afterlife&division=321302", ["AD-1"]),
        ("?status=withdrawn", []),
    ],
)
async def test_filters_combine_over_the_read_models_indexes(
    client: httpx.AsyncClient, query: str, expected: list[str]
) -> None:
    response = await client.get(f"/v1/ops/cases{query}", headers=OPS)

    assert (200, expected, len(expected)) == (
        response.status_code,
        ids(response),
        response.json()["total"],
    )


@pytest.mark.usefixtures("cases")
async def test_limit_cuts_the_list_but_total_counts_every_match(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/ops/cases?limit=2", headers=OPS)

    assert (["AD-1", "AD-2"], 5) == (ids(response), response.json()["total"])


@pytest.mark.parametrize("query", ["?status=lost", "?division=32130", "?limit=0"])
async def test_a_bad_filter_is_422(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/v1/ops/cases{query}", headers=OPS)

    assert 422 == response.status_code


@pytest.mark.usefixtures("cases")
async def test_late_cases_are_open_ones_due_before_the_moment_earliest_first(
    client: httpx.AsyncClient,
) -> None:
    before = (NOW + timedelta(days=2)).isoformat()
    later = await client.get("/v1/ops/cases/late", params={"before": before}, headers=OPS)
    now = await client.get("/v1/ops/cases/late", headers=OPS)

    assert ["MA-4", "AD-2"] == ids(later)
    assert ["MA-4"] == ids(now)  # AD-5 is closed


@pytest.mark.usefixtures("cases")
async def test_the_late_list_marks_a_deadline_counted_on_a_provisional_calendar(
    client: httpx.AsyncClient,
) -> None:
    before = (NOW + timedelta(days=2)).isoformat()
    late = await client.get("/v1/ops/cases/late", params={"before": before}, headers=OPS)

    assert [("MA-4", True), ("AD-2", False)] == [
        (case["case_id"], case["deadline_provisional"]) for case in late.json()["cases"]
    ]


async def test_late_needs_a_time_with_its_offset(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/v1/ops/cases/late", params={"before": "2025-11-03T09:30:00"}, headers=OPS
    )

    assert 422 == response.status_code
    assert ["query", "before"] == response.json()["detail"][0]["loc"]


@pytest.mark.usefixtures("cases")
async def test_an_operator_sees_a_case_of_any_division_with_its_full_timeline(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/v1/ops/cases/AD-2", headers=OPS)

    case = response.json()
    assert (200, "321202", True) == (response.status_code, case["division_code"], case["overdue"])
    assert [("case_received", 1), ("overdue", 2)] == [
        (e["type"], e["seq"]) for e in case["timeline"]
    ]
    assert "detail" in case["timeline"][0]


async def test_an_unknown_case_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/ops/cases/AD-none", headers=OPS)

    assert (404, "no case AD-none") == (response.status_code, response.json()["detail"])


@pytest.mark.usefixtures("cases")
async def test_an_action_is_published_to_the_operator_topic(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    body = {
        "action": "retry_step",
        "step": "verify_death",
        "actor": "ops:duty-3",
        "reason": "接口恢复",
    }

    response = await client.post("/v1/ops/cases/AD-3/actions", json=body, headers=OPS)

    assert (202, "action_requested") == (response.status_code, response.json()["status"])
    [(topic, envelope)] = fakes.publisher.sent
    assert ("case.operator", "AD-3", "/ops") == (topic, envelope.subject, envelope.source)
    assert (
        OperatorCommand(
            case_id="AD-3",
            action=OperatorAction.RETRY_STEP,
            step="verify_death",
            actor="ops:duty-3",
            reason="接口恢复",
        )
        == envelope.data
    )


@pytest.mark.usefixtures("cases")
async def test_a_case_action_needs_no_step(client: httpx.AsyncClient, fakes: Fakes) -> None:
    body = {"action": "mark_resolved", "actor": "ops:duty-3", "reason": "人工核实完毕"}

    response = await client.post("/v1/ops/cases/AD-3/actions", json=body, headers=OPS)

    assert 202 == response.status_code
    [command] = fakes.publisher.messages()
    assert isinstance(command, OperatorCommand)
    assert (OperatorAction.MARK_RESOLVED, None) == (command.action, command.step)


@pytest.mark.usefixtures("cases")
@pytest.mark.parametrize("action", ["retry_step", "skip_step"])
async def test_a_step_action_without_a_step_is_422_naming_the_field(
    client: httpx.AsyncClient, fakes: Fakes, action: str
) -> None:
    body = {"action": action, "actor": "ops:duty-3", "reason": "r"}

    response = await client.post("/v1/ops/cases/AD-3/actions", json=body, headers=OPS)

    assert 422 == response.status_code
    [error] = response.json()["detail"]
    assert ["body", "step"] == error["loc"]
    assert f"step is required for {action}" in error["msg"]
    assert [] == fakes.publisher.sent


@pytest.mark.usefixtures("cases")
async def test_an_unknown_action_or_a_missing_reason_is_422(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    unknown = {"action": "delete", "actor": "ops:duty-3", "reason": "r"}
    no_reason = {"action": "compensate", "actor": "ops:duty-3"}

    first = await client.post("/v1/ops/cases/AD-3/actions", json=unknown, headers=OPS)
    second = await client.post("/v1/ops/cases/AD-3/actions", json=no_reason, headers=OPS)

    assert (422, ["body", "action"]) == (first.status_code, first.json()["detail"][0]["loc"])
    assert (422, ["body", "reason"]) == (second.status_code, second.json()["detail"][0]["loc"])
    assert [] == fakes.publisher.sent


async def test_an_action_on_an_unknown_case_is_404(client: httpx.AsyncClient, fakes: Fakes) -> None:
    body = {"action": "compensate", "actor": "ops:duty-3", "reason": "r"}

    response = await client.post("/v1/ops/cases/AD-none/actions", json=body, headers=OPS)

    assert 404 == response.status_code
    assert [] == fakes.publisher.sent
