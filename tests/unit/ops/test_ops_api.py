"""The ops API: operators with the ops key find cases by state in any division and act on them;
every action goes to the engine as an ``OperatorCommand``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
import pytest

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction, OperatorCommand
from onething.settings import Settings
from ops.api import create_ops_app
from tests.unit.window.contracts import clerk_task
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
        ("GET", "/v1/ops/cases/awaiting-reply"),
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


def awaiting(case_id: str, started: datetime, *steps: tuple[str, str]) -> History:
    """A case whose ``steps`` (name, department) went out a minute apart from ``started`` on."""
    history = History(case_id, at=started).received()
    for step, department in steps:
        history.step(step, StepStatus.DISPATCHED, department=department, attempt=1)
    return history


async def test_a_step_awaiting_its_department_shows_since_when_and_for_how_long(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    history = awaiting("AD-7", NOW - timedelta(minutes=10), ("verify_death", "health"))
    history.step("verify_kinship", StepStatus.SUCCEEDED, department="public_security")
    history.add(  # a timer step is dispatched too, but waits on no department
        CaseEventType.STEP_WAITING,
        CaseStatus.IN_PROGRESS,
        step="grace_period",
        step_status=StepStatus.DISPATCHED,
    )
    await fakes.given(history)

    steps = (await client.get("/v1/ops/cases/AD-7", headers=OPS)).json()["steps"]

    sent = NOW - timedelta(minutes=8)  # received at -9 min, dispatched a minute later
    assert (sent, 8 * 60, "等待部门答复") == (
        datetime.fromisoformat(steps["verify_death"]["awaiting_reply_since"]),
        steps["verify_death"]["awaiting_reply_seconds"],
        steps["verify_death"]["hint"],
    )
    for done_or_timer in ("verify_kinship", "grace_period"):
        step = steps[done_or_timer]
        assert (None, None, None) == (
            step["awaiting_reply_since"],
            step["awaiting_reply_seconds"],
            step["hint"],
        ), done_or_timer


async def test_a_closed_case_shows_no_step_awaiting_a_reply(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    history = awaiting("AD-8", NOW - timedelta(minutes=10), ("cancel_hukou", "public_security"))
    await fakes.given(history.ended(CaseStatus.REVERSED))

    step = (await client.get("/v1/ops/cases/AD-8", headers=OPS)).json()["steps"]["cancel_hukou"]

    assert ("dispatched", None, None) == (
        step["status"],
        step["awaiting_reply_since"],
        step["awaiting_reply_seconds"],
    )


@pytest.fixture
async def silent_departments(fakes: Fakes) -> None:
    """Steps sent 58, 56 and 2 minutes ago, one answered, and a step of a closed case."""
    await fakes.given(
        awaiting("AD-a", NOW - timedelta(minutes=60), ("stop_pension", "social_security")),
        awaiting(
            "AD-b",
            NOW - timedelta(minutes=4),
            ("cancel_hukou", "public_security"),
        ),
        awaiting(
            "AD-c",
            NOW - timedelta(minutes=59),
            ("end_medical_insurance", "medical_insurance"),
            ("stop_welfare", "civil_affairs"),
        ).step("end_medical_insurance", StepStatus.SUCCEEDED),
        awaiting("AD-d", NOW - timedelta(hours=5), ("stop_pension", "social_security")).ended(
            CaseStatus.WITHDRAWN
        ),
    )


@pytest.mark.usefixtures("silent_departments")
async def test_steps_awaiting_a_reply_longer_than_asked_are_listed_longest_first(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/v1/ops/cases/awaiting-reply", params={"older_than_seconds": 600}, headers=OPS
    )

    assert (200, 2) == (response.status_code, response.json()["total"])
    assert [
        {
            "case_id": "AD-a",
            "step": "stop_pension",
            "department": "social_security",
            "attempt": 1,
            "since": (NOW - timedelta(minutes=58)).isoformat().replace("+00:00", "Z"),
            "seconds": 58 * 60,
        },
        {
            "case_id": "AD-c",
            "step": "stop_welfare",
            "department": "civil_affairs",
            "attempt": 1,
            "since": (NOW - timedelta(minutes=56)).isoformat().replace("+00:00", "Z"),
            "seconds": 56 * 60,
        },
    ] == response.json()["steps"]


@pytest.mark.usefixtures("silent_departments")
@pytest.mark.parametrize(
    ("query", "expected", "total"),
    [
        ("", ["AD-a", "AD-c", "AD-b"], 3),
        ("?older_than_seconds=120", ["AD-a", "AD-c"], 2),  # AD-b went out exactly 2 min ago
        ("?older_than_seconds=119", ["AD-a", "AD-c", "AD-b"], 3),
        ("?older_than_seconds=3479", ["AD-a"], 1),
        ("?older_than_seconds=3480", [], 0),
        ("?limit=1", ["AD-a"], 3),
    ],
)
async def test_older_than_and_limit_cut_the_list(
    client: httpx.AsyncClient, query: str, expected: list[str], total: int
) -> None:
    response = await client.get(f"/v1/ops/cases/awaiting-reply{query}", headers=OPS)

    listed = response.json()
    assert (expected, total) == ([s["case_id"] for s in listed["steps"]], listed["total"])


@pytest.mark.parametrize(
    "query", ["?older_than_seconds=-1", "?older_than_seconds=31622401", "?older_than=60"]
)
async def test_a_bad_awaiting_reply_query_is_422(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/v1/ops/cases/awaiting-reply{query}", headers=OPS)

    assert 422 == response.status_code


async def test_a_case_late_only_on_a_clerk_task_is_in_the_late_list_after_the_late_cases(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(
        History("AD-6").received(NOW - timedelta(days=1)),
        clerk_task(History("AD-7").received(), deadline_at=NOW - timedelta(hours=2)),
        clerk_task(History("AD-8").received(), deadline_at=NOW + timedelta(hours=2)),
    )

    late = await client.get("/v1/ops/cases/late", headers=OPS)

    assert ["AD-6", "AD-7"] == ids(late)
