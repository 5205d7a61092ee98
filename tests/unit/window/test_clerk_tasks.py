"""Clerk tasks at the window: a division's waiting tasks listed, a clerk's result published as
the signal the engine applies, with who and why; nothing for another division or a step that is
not a waiting clerk task."""

from __future__ import annotations

from datetime import timedelta

import httpx
from pydantic import BaseModel, ConfigDict, Field

from contracts.lifecycle import StepStatus
from contracts.saga import Signal
from saga.definition import Saga, Step, StepKind
from services.registry import OneThing
from tests.unit.window.contracts import clerk_task
from tests.unit.window.support import HAILING, KEYS, NOW, SUCHENG_KEY, Fakes, History

TASK = "/v1/cases/AD-t1/tasks/check_agent_mandate"
RESULT = {"approved": False, "clerk_id": "SQ-0231", "reason": "委托书未经公证，无法核验"}


async def test_the_division_lists_its_waiting_tasks_the_late_ones_marked(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(
        clerk_task(History("AD-t1").received(), deadline_at=NOW - timedelta(hours=1)),
        clerk_task(History("AD-t2").received(), deadline_at=NOW + timedelta(days=2)),
        clerk_task(History("AD-t9", HAILING.division_code).received()),
    )

    listed = (await client.get("/v1/tasks", headers=SUCHENG_KEY)).json()

    assert 2 == listed["total"]
    assert [("AD-t1", True), ("AD-t2", False)] == [
        (t["case_id"], t["overdue"]) for t in listed["tasks"]
    ]
    assert {"代办委托人工核验"} == {t["title"] for t in listed["tasks"]}
    assert TASK == listed["tasks"][0]["links"]["result"]


async def test_a_result_is_published_as_the_signal_with_the_clerk_and_the_reason(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(clerk_task(History("AD-t1").received()))

    response = await client.post(TASK, json=RESULT, headers=SUCHENG_KEY)

    assert (202, "task_result_received") == (response.status_code, response.json()["status"])
    assert [
        Signal(
            case_id="AD-t1",
            step="check_agent_mandate",
            approved=False,
            actor="clerk:SQ-0231@window:suqian-sucheng-hall",
            reason="委托书未经公证，无法核验",
        )
    ] == fakes.publisher.messages()


async def test_a_step_that_is_no_waiting_clerk_task_is_409(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(
        History("AD-t1").received().step("family_application", StepStatus.WAITING_SIGNAL),
    )

    other = await client.post(
        "/v1/cases/AD-t1/tasks/family_application", json=RESULT, headers=SUCHENG_KEY
    )
    absent = await client.post(TASK, json=RESULT, headers=SUCHENG_KEY)

    assert (409, 409) == (other.status_code, absent.status_code)
    assert [] == fakes.publisher.sent


async def test_another_divisions_task_is_404_and_a_result_without_a_reason_422(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(clerk_task(History("AD-t1", HAILING.division_code).received()))
    hailing_key = {"X-Window-Key": next(k for k, w in KEYS.items() if w == HAILING)}

    foreign = await client.post(TASK, json=RESULT, headers=SUCHENG_KEY)
    unreasoned = await client.post(
        TASK, json={"approved": True, "clerk_id": "SQ-0231"}, headers=hailing_key
    )

    assert 404 == foreign.status_code
    assert 422 == unreasoned.status_code
    assert [["body", "reason"]] == [e["loc"] for e in unreasoned.json()["detail"]]
    assert [] == fakes.publisher.sent


class Findings(BaseModel):
    """A sample task form: what a home visit records."""

    model_config = ConfigDict(extra="forbid")

    members_seen: int = Field(ge=1)
    able_to_work: bool


_VISIT = Step("visit", StepKind.HUMAN_TASK, clerk=True, title="入户调查", task_form=Findings)
VISIT = OneThing(name="visiting", title="入户调查", sagas=lambda: (Saga("visiting", 1, (_VISIT,)),))
VISIT_TASK = "/v1/cases/VS-1/tasks/visit"


def visit_case() -> History:
    history = History("VS-1", saga="visiting").received()
    return clerk_task(history, step="visit")


async def test_a_task_with_a_form_publishes_the_clerks_checked_data_with_the_approval() -> None:
    fakes = Fakes(services={"visiting": VISIT})
    await fakes.given(visit_case())
    findings = {"members_seen": 3, "able_to_work": False}
    body = {"approved": True, "clerk_id": "SQ-0231", "reason": "入户核实", "data": findings}

    async with fakes.client() as client:
        response = await client.post(VISIT_TASK, json=body, headers=SUCHENG_KEY)

    assert 202 == response.status_code
    [signal] = fakes.publisher.messages()
    assert isinstance(signal, Signal)
    assert {"members_seen": 3, "able_to_work": False} == signal.data


async def test_task_data_the_form_refuses_is_422_naming_each_field_and_nothing_is_sent() -> None:
    fakes = Fakes(services={"visiting": VISIT})
    await fakes.given(visit_case())
    findings = {"members_seen": 0, "pets": 2}
    broken = {"approved": True, "clerk_id": "SQ-0231", "reason": "入户核实", "data": findings}
    refusal_with_data = broken | {"approved": False}

    async with fakes.client() as client:
        refused = await client.post(VISIT_TASK, json=broken, headers=SUCHENG_KEY)
        refusal = await client.post(VISIT_TASK, json=refusal_with_data, headers=SUCHENG_KEY)

    assert (422, 422) == (refused.status_code, refusal.status_code)
    assert {
        ("body", "data", "members_seen"),
        ("body", "data", "able_to_work"),
        ("body", "data", "pets"),
    } == {tuple(e["loc"]) for e in refused.json()["detail"]}
    assert [["body", "data"]] == [e["loc"] for e in refusal.json()["detail"]]
    assert [] == fakes.publisher.sent


async def test_a_task_without_a_form_takes_no_data(client: httpx.AsyncClient, fakes: Fakes) -> None:
    await fakes.given(clerk_task(History("AD-t1").received()))

    response = await client.post(TASK, json=RESULT | {"data": {"x": 1}}, headers=SUCHENG_KEY)

    assert 422 == response.status_code
    assert "this task records no data" == response.json()["detail"][0]["msg"]
    assert [] == fakes.publisher.sent
