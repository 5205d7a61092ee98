"""Clerk tasks at the window: a division's waiting tasks listed, a clerk's result published as
the signal the engine applies, with who and why; nothing for another division or a step that is
not a waiting clerk task."""

from __future__ import annotations

from datetime import timedelta

import httpx

from contracts.lifecycle import StepStatus
from contracts.saga import Signal
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
