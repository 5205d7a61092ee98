"""Divorce by agreement answered by the simulators: the 30-day cooling-off counted from the day
after the application, then 30 days to come back, the divorce registered once (``L…``) with both
hukou and the e-licence following; a withdrawal during the cooling-off and a couple who never
came back both end ``withdrawn`` with the marriage standing; two people not married to each
other are refused in Chinese."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from contracts.departments import Department
from contracts.departments.civil_affairs import DivorceRegistered
from contracts.lifecycle import CaseStatus, StepStatus
from contracts.saga import OperatorAction
from departments.simulators.base import Simulator
from saga.testing import FakeClock, Scenario
from services.marriage import divorce_saga
from tests.unit.services.marriage.support import Desk, divorce_form, married_couple

# Monday 3 March 2025, 10:00 in China. Day 30 of the cooling-off is Wednesday 2 April; day 30 of
# the appearance period is Friday 2 May, Labour Day, so it runs to the next working day, Tuesday
# 6 May (5 May is the holiday's last day).
APPLIED = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
COOLED = datetime(2025, 4, 2, 15, 59, 59, 999999, tzinfo=UTC)
APPEAR_BY = datetime(2025, 5, 6, 15, 59, 59, 999999, tzinfo=UTC)


def _applied(desk: Desk) -> tuple[Scenario, str]:
    a, b, marriage = married_couple(desk.world, desk.taken)
    data = divorce_form(a, b, marriage.certificate_no)
    scenario = Scenario(divorce_saga(), data=data, division_code=a.division,
                        clock=FakeClock(APPLIED)).start()  # fmt: skip
    return desk.answer(scenario), marriage.certificate_no


def _facts(desk: Desk) -> list[DivorceRegistered]:
    outbox = desk.simulators[Department.CIVIL_AFFAIRS]
    assert isinstance(outbox, Simulator)
    return [e.message for e in outbox.outbox if isinstance(e.message, DivorceRegistered)]


def test_the_cooling_off_runs_thirty_days_from_the_next_day_then_the_couple_is_divorced() -> None:
    desk = Desk()
    scenario, number = _applied(desk)
    assert scenario.step_status("cooling_off") is StepStatus.DISPATCHED
    assert scenario.state is not None
    assert scenario.state.timers["cooling_off:wait"].due_at == COOLED

    scenario.advance(COOLED - APPLIED - timedelta(seconds=1))
    assert scenario.step_status("appearance") is StepStatus.PENDING  # not a moment early
    scenario.advance(timedelta(seconds=2))
    assert scenario.step_status("appearance") is StepStatus.WAITING_SIGNAL
    assert scenario.state.steps["appearance"].deadline_at == APPEAR_BY

    scenario.advance(timedelta(days=10))
    scenario.signal("appearance", approved=True, actor="clerk:SQ-0231@window:w-1",
                    reason="双方亲自到场，确认离婚意愿及协议")  # fmt: skip
    desk.answer(scenario)

    assert scenario.status is CaseStatus.COMPLETED
    divorce_no = scenario.state.results["register_divorce"]["certificate_no"]
    assert re.fullmatch(rf"L{scenario.division_code}-2025-\d{{6}}", divorce_no)
    marriage = desk.world.marriages[number]
    assert marriage.dissolved_on is not None and marriage.divorce_certificate_no == divorce_no
    assert marriage.divorce_uploaded
    a, b = (desk.world.people[rid] for rid in marriage.party_ids)
    assert (a.marital_status, b.marital_status, a.spouse_id) == ("divorced", "divorced", None)
    assert scenario.state.results["publish_e_licence"]["licence_id"]
    (fact,) = _facts(desk)
    assert (fact.certificate_no, fact.marriage_certificate_no) == (divorce_no, number)
    assert len([c for c in scenario.sent if c.step == "register_divorce"]) == 1


def test_either_party_may_withdraw_during_the_cooling_off_and_the_marriage_stands() -> None:
    desk = Desk()
    scenario, number = _applied(desk)
    scenario.advance(timedelta(days=12))

    scenario.operator(OperatorAction.WITHDRAW, actor="window:w-1", reason="女方撤回离婚申请")
    desk.answer(scenario)

    assert scenario.status is CaseStatus.WITHDRAWN
    assert [c.step for c in scenario.sent if c.compensation] == ["accept"]
    assert scenario.step_status("cooling_off") is StepStatus.CANCELLED
    assert not [c for c in scenario.sent if c.step == "register_divorce"]
    assert desk.world.marriages[number].dissolved_on is None and not _facts(desk)


def test_a_couple_who_never_come_back_is_deemed_to_have_withdrawn() -> None:
    desk = Desk()
    scenario, number = _applied(desk)

    scenario.advance(APPEAR_BY - APPLIED + timedelta(seconds=1))
    desk.answer(scenario)

    assert scenario.status is CaseStatus.WITHDRAWN
    assert scenario.state is not None
    assert "deemed withdrawn" in (scenario.state.outcome or "")
    assert scenario.step_status("appearance") is StepStatus.CANCELLED
    assert [c.step for c in scenario.sent if c.compensation] == ["accept"]
    assert desk.world.marriages[number].dissolved_on is None and not _facts(desk)


def test_two_people_not_married_to_each_other_are_refused_in_chinese() -> None:
    desk = Desk()
    a, _, first = married_couple(desk.world, desk.taken)
    _, d, _ = married_couple(desk.world, desk.taken)
    data = divorce_form(a, d, first.certificate_no)

    scenario = desk.open(divorce_saga(), data, a.division)

    assert scenario.status is CaseStatus.REJECTED
    assert scenario.state is not None
    assert scenario.state.steps["verify_marriage"].reason_code == "not_spouses"
    assert scenario.step_status("cooling_off") is StepStatus.CANCELLED
    (reason,) = scenario.latest("refusal_notice").payload["reasons"]
    assert reason["reason"] == "双方不是登记在册的夫妻"
    assert first.dissolved_on is None


def test_a_clerk_who_finds_no_agreement_at_the_appearance_refuses_and_nothing_is_registered() -> (
    None
):
    desk = Desk()
    scenario, number = _applied(desk)
    scenario.advance(COOLED - APPLIED + timedelta(days=3))

    scenario.signal("appearance", approved=False, reason="双方对子女抚养未达成一致")
    desk.answer(scenario)

    assert scenario.status is CaseStatus.REJECTED
    assert desk.world.marriages[number].dissolved_on is None
    (reason,) = scenario.latest("refusal_notice").payload["reasons"]
    assert reason == {"item": "双方亲自到场申请发给离婚证", "reason": "双方对子女抚养未达成一致"}
