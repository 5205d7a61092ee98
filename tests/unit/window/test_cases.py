"""``/v1/cases/{case_id}``: a window sees its own division's cases, brings supplements to a case
waiting for them, and withdraws a case only before its pivot."""

from __future__ import annotations

from datetime import timedelta

import httpx

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction, OperatorCommand, Signal, SupplementCase
from tests.unit.window.support import HAILING, HAILING_KEY, NOW, SUCHENG_KEY, Fakes, History
from window.labels import CHINA


def in_progress(case_id: str) -> History:
    return (
        History(case_id)
        .received()
        .step("verify_death", StepStatus.DISPATCHED, department="health", attempt=1)
        .step("verify_kinship", StepStatus.REFUSED, department="public_security", attempt=2,
              reason_code="kinship_unproven", reason="亲属关系无法核实")
    )  # fmt: skip


async def test_a_window_sees_the_state_of_its_divisions_case(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(in_progress("AD-0001"))

    response = await client.get("/v1/cases/AD-0001", headers=SUCHENG_KEY)

    assert 200 == response.status_code
    case = response.json()
    assert {
        "case_id": "AD-0001",
        "saga": "afterlife",
        "status": "in_progress",
        "division_code": "321302",
        # In China's time, the zone the deadline was counted in.
        "deadline_at": (NOW + timedelta(days=20)).astimezone(CHINA).isoformat(),
        "overdue": False,
        "pivot_passed": False,
        "outcome": None,
        "timeline": None,
    }.items() <= case.items()
    assert {
        "status": "dispatched",
        "attempt": 1,
        "department": "health",
        "overdue": False,
    }.items() <= (case["steps"]["verify_death"].items())
    assert {"reason_code": "kinship_unproven", "reason": "亲属关系无法核实"}.items() <= (
        case["steps"]["verify_kinship"].items()
    )


async def test_a_window_sees_a_deadline_counted_on_a_provisional_calendar_marked_so(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    history = (
        History("AD-0002")
        .received(provisional=True)
        .step("cancel_hukou", StepStatus.DISPATCHED, deadline_at=NOW, deadline_provisional=True)
    )
    await fakes.given(history)

    case = (await client.get("/v1/cases/AD-0002?timeline=true", headers=SUCHENG_KEY)).json()

    assert (True, True, True) == (
        case["deadline_provisional"],
        case["steps"]["cancel_hukou"]["deadline_provisional"],
        case["timeline"][0]["deadline_provisional"],
    )


async def test_the_timeline_lists_the_lifecycle_events_in_order(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(in_progress("AD-0001"))

    response = await client.get("/v1/cases/AD-0001?timeline=true", headers=SUCHENG_KEY)

    events = response.json()["timeline"]
    assert [1, 2, 3] == [event["seq"] for event in events]
    assert ["case_received", "step_dispatched", "step_refused"] == [e["type"] for e in events]
    assert "detail" not in events[0]


async def test_another_divisions_case_is_404_like_an_unknown_one(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(in_progress("AD-0001"))

    other = await client.get("/v1/cases/AD-0001", headers=HAILING_KEY)
    unknown = await client.get("/v1/cases/AD-9999", headers=HAILING_KEY)

    assert (404, 404) == (other.status_code, unknown.status_code)
    assert "no case AD-0001 for this window" == other.json()["detail"]


async def test_a_supplement_for_a_case_waiting_for_one_is_published(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(waiting_for_supplement("AD-0001", "applicant.relation"))
    body = {"data": {"applicant": {"relation": "child"}}, "note": "brought in"}

    response = await client.post("/v1/cases/AD-0001/supplements", json=body, headers=SUCHENG_KEY)

    assert (202, "supplement_received") == (response.status_code, response.json()["status"])
    [(topic, envelope)] = fakes.publisher.sent
    assert "case.requests" == topic
    assert (
        SupplementCase(
            case_id="AD-0001",
            actor="window:suqian-sucheng-hall",
            data={"applicant": {"relation": "child"}},
            note="brought in",
        )
        == envelope.data
    )


def waiting_for_supplement(case_id: str, *fields: str) -> History:
    return (
        History(case_id)
        .received()
        .step("verify_death", StepStatus.WAITING_SUPPLEMENT, detail={"fields": list(fields)})
    )


async def test_a_supplement_may_not_set_a_field_the_case_did_not_ask_for(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(waiting_for_supplement("AD-0001", "date_of_death"))
    body = {"data": {"date_of_death": "2025-11-01", "deceased_id": "11010519491231002X",
                     "applicant": {"resident_id": "110105197605140270"}}}  # fmt: skip

    response = await client.post("/v1/cases/AD-0001/supplements", json=body, headers=SUCHENG_KEY)

    assert 422 == response.status_code
    assert [["body", "data", "applicant", "resident_id"], ["body", "data", "deceased_id"]] == [
        e["loc"] for e in response.json()["detail"]
    ]
    assert "it may set only: date_of_death" in response.json()["detail"][0]["msg"]
    assert [] == fakes.publisher.sent


async def test_a_supplement_value_is_held_to_the_application_forms_rule(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(waiting_for_supplement("AD-0001", "date_of_death", "applicant.relation"))
    body = {"data": {"date_of_death": "soon", "applicant": {"relation": "neighbour"}}}

    response = await client.post("/v1/cases/AD-0001/supplements", json=body, headers=SUCHENG_KEY)

    assert 422 == response.status_code
    assert [["body", "data", "date_of_death"], ["body", "data", "applicant", "relation"]] == [
        e["loc"] for e in response.json()["detail"]
    ]
    assert [] == fakes.publisher.sent


async def test_a_supplement_nobody_waits_for_is_409(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(in_progress("AD-0001"))

    response = await client.post(
        "/v1/cases/AD-0001/supplements", json={"data": {"x": 1}}, headers=SUCHENG_KEY
    )

    assert 409 == response.status_code
    assert (
        "not waiting for a supplement (no step is waiting_supplement)" in response.json()["detail"]
    )
    assert [] == fakes.publisher.sent


async def test_an_empty_supplement_is_422(client: httpx.AsyncClient, fakes: Fakes) -> None:
    response = await client.post(
        "/v1/cases/AD-0001/supplements", json={"data": {}}, headers=SUCHENG_KEY
    )

    assert 422 == response.status_code
    assert ["body", "data"] == response.json()["detail"][0]["loc"]


async def test_a_supplement_for_another_divisions_case_is_404(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(
        History("AD-0001", HAILING.division_code)
        .received()
        .step("verify_kinship", StepStatus.WAITING_SUPPLEMENT)
    )

    response = await client.post(
        "/v1/cases/AD-0001/supplements", json={"data": {"x": 1}}, headers=SUCHENG_KEY
    )

    assert 404 == response.status_code
    assert [] == fakes.publisher.sent


async def test_a_withdrawal_before_the_pivot_is_published_as_an_operator_command(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(in_progress("AD-0001"))

    response = await client.post(
        "/v1/cases/AD-0001/withdrawal", json={"reason": "家属决定暂缓办理"}, headers=SUCHENG_KEY
    )

    assert (202, "withdrawal_requested") == (response.status_code, response.json()["status"])
    [(topic, envelope)] = fakes.publisher.sent
    assert ("case.requests", "/window/suqian-sucheng-hall") == (topic, envelope.source)
    assert (
        OperatorCommand(
            case_id="AD-0001",
            action=OperatorAction.WITHDRAW,
            actor="window:suqian-sucheng-hall",
            reason="家属决定暂缓办理",
        )
        == envelope.data
    )


async def test_a_withdrawal_past_the_pivot_is_409_saying_why(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(
        in_progress("AD-0001").add(
            CaseEventType.STEP_SUCCEEDED,
            CaseStatus.IN_PROGRESS,
            step="confirm_death",
            step_status=StepStatus.SUCCEEDED,
            detail={"pivot": True},
        )
    )

    response = await client.post(
        "/v1/cases/AD-0001/withdrawal", json={"reason": "改变主意"}, headers=SUCHENG_KEY
    )

    assert 409 == response.status_code
    assert "past its pivot" in response.json()["detail"]
    assert "nothing can be withdrawn" in response.json()["detail"]
    assert [] == fakes.publisher.sent


async def test_a_withdrawal_of_a_closed_case_is_409(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(History("AD-0001").received().ended(CaseStatus.REJECTED, "not eligible"))

    response = await client.post(
        "/v1/cases/AD-0001/withdrawal", json={"reason": "改变主意"}, headers=SUCHENG_KEY
    )

    assert (409, "case AD-0001 is already rejected") == (
        response.status_code,
        response.json()["detail"],
    )
    assert [] == fakes.publisher.sent


async def test_a_withdrawal_of_another_divisions_case_is_404(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(in_progress("AD-0001"))

    response = await client.post(
        "/v1/cases/AD-0001/withdrawal", json={"reason": "改变主意"}, headers=HAILING_KEY
    )

    assert 404 == response.status_code
    assert [] == fakes.publisher.sent


async def test_a_step_awaiting_its_department_says_so_and_no_more(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(in_progress("AD-0009"))

    case = (await client.get("/v1/cases/AD-0009", headers=SUCHENG_KEY)).json()

    waiting, refused = case["steps"]["verify_death"], case["steps"]["verify_kinship"]
    assert ("等待部门答复", None) == (waiting["hint"], refused["hint"])
    # When it went out and how long ago are for operators: the window is told only that it waits.
    assert set() == {"dispatched_at", "dispatched_at_ms", "awaiting_reply_since"} & set(waiting)


async def test_a_clerk_reads_the_case_in_chinese_with_the_one_things_step_titles(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    history = in_progress("AD-0001").step(
        "cancel_hukou",
        StepStatus.REFUSED,
        department="public_security",
        reason_code="already_cancelled",
        reason="refused by the department",  # a developer's words, not for the service hall
    )
    await fakes.given(history)

    case = (await client.get("/v1/cases/AD-0001?timeline=true", headers=SUCHENG_KEY)).json()

    assert ("公民身后一件事", "办理中") == (case["title"], case["status_text"])
    hukou = case["steps"]["cancel_hukou"]
    assert ("户口注销", "不予办理", "户口已注销，不能重复注销") == (
        hukou["title"],
        hukou["status_text"],
        hukou["reason"],
    )
    assert case["steps"]["verify_kinship"]["reason"] == "亲属关系无法核实"  # its own words kept
    assert case["timeline"][0]["at"].endswith("+08:00")


def noticed(case_id: str) -> History:
    """A case whose public notice (a timer that takes objections) is running."""
    return (
        History(case_id)
        .received()
        .add(
            CaseEventType.STEP_WAITING,
            CaseStatus.IN_PROGRESS,
            step="notice_period",
            step_status=StepStatus.DISPATCHED,
            detail={"objections": True},
        )
    )


OBJECTION = {"clerk_id": "SQ-0231", "reason": "群众反映该户有收入未申报"}


async def test_an_objection_to_a_running_notice_is_published_as_its_refusal(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(noticed("AS-n1"))

    response = await client.post("/v1/cases/AS-n1/objections", json=OBJECTION, headers=SUCHENG_KEY)

    assert (202, "objection_received") == (response.status_code, response.json()["status"])
    assert [
        Signal(
            case_id="AS-n1",
            step="notice_period",
            approved=False,
            actor="clerk:SQ-0231@window:suqian-sucheng-hall",
            reason="群众反映该户有收入未申报",
            reason_code="objection",
        )
    ] == fakes.publisher.messages()


async def test_an_objection_without_a_notice_running_is_409_and_without_a_reason_422(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    ended = noticed("AS-n2").step("notice_period", StepStatus.SUCCEEDED)
    await fakes.given(History("AS-n1").received(), ended)

    none = await client.post("/v1/cases/AS-n1/objections", json=OBJECTION, headers=SUCHENG_KEY)
    over = await client.post("/v1/cases/AS-n2/objections", json=OBJECTION, headers=SUCHENG_KEY)
    unreasoned = await client.post(
        "/v1/cases/AS-n1/objections", json={"clerk_id": "SQ-0231"}, headers=SUCHENG_KEY
    )

    assert (409, 409, 422) == (none.status_code, over.status_code, unreasoned.status_code)
    assert "has no public notice running" in none.json()["detail"]
    assert [] == fakes.publisher.sent


async def test_an_objection_to_another_divisions_case_is_404(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(noticed("AS-n1"))

    response = await client.post("/v1/cases/AS-n1/objections", json=OBJECTION, headers=HAILING_KEY)

    assert 404 == response.status_code
    assert [] == fakes.publisher.sent
