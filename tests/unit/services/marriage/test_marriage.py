"""Marriage cases (M0–M11) answered by the department simulators: what each party's records
hold afterwards, the certificate issued once, every opt-in, a hukou move a local rule refuses,
the clerk's refusal rolling back the voucher and the acceptance, and each refusal a citizen
should understand, in Chinese, with nothing registered."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from contracts.departments import Department
from contracts.departments.civil_affairs import MarriageRegistered
from contracts.lifecycle import CaseStatus, StepStatus
from contracts.saga import DepartmentCommand
from departments.simulators.base import Simulator
from departments.world import Person
from saga.testing import Scenario
from services.marriage import marriage_saga
from tests.unit.services.marriage.support import Desk, couple, marriage_form

CLOSED = "320585"  # public security's reference rule: no hukou moves into Taicang (投靠)
BRANCHES = ("upload_record", "update_hukou_status", "move_hukou", "register_fertility",
            "publish_e_licence")  # fmt: skip


def _married(desk: Desk, a: Person, b: Person, **opt_ins: object) -> Scenario:
    scenario = desk.open(marriage_saga(), marriage_form(a, b, **opt_ins), a.division)
    assert scenario.step_status("clerk_review") is StepStatus.WAITING_SIGNAL
    scenario.signal("clerk_review", approved=True, actor="clerk:SQ-0231@window:w-1",
                    reason="材料齐全，符合结婚登记条件")  # fmt: skip
    return desk.answer(scenario)


def _facts(desk: Desk) -> list[MarriageRegistered]:
    outbox = desk.simulators[Department.CIVIL_AFFAIRS]
    assert isinstance(outbox, Simulator)
    return [e.message for e in outbox.outbox if isinstance(e.message, MarriageRegistered)]


def _sent(scenario: Scenario, step: str) -> list[DepartmentCommand]:
    return [c for c in scenario.sent if c.step == step and not c.compensation]


def test_a_couple_with_every_opt_in_is_married_once_and_every_record_follows() -> None:
    desk = Desk()
    man, woman = couple(desk.world, desk.taken)
    household, office = woman.household_id, man.division

    scenario = _married(desk, man, woman, premarital_check_voucher=True,
                        fertility_registration=True, hukou_move="party_a")  # fmt: skip

    assert scenario.status is CaseStatus.COMPLETED
    assert scenario.state is not None
    results = scenario.state.results
    number = results["register_marriage"]["certificate_no"]
    assert re.fullmatch(rf"J{office}-2025-\d{{6}}", number)
    marriage = desk.world.current_marriage(man.resident_id)
    assert marriage is not None and marriage.certificate_no == number
    assert set(marriage.party_ids) == {man.resident_id, woman.resident_id}
    assert marriage.uploaded
    assert (man.marital_status, woman.marital_status) == ("married", "married")
    assert (man.spouse_id, woman.spouse_id) == (woman.resident_id, man.resident_id)
    assert man.household_id == household  # moved into her household (投靠)
    assert results["premarital_voucher"]["voucher_no"]
    assert results["register_fertility"]["registration_no"]
    assert results["publish_e_licence"]["licence_id"]
    assert len(_sent(scenario, "register_marriage")) == 1
    (fact,) = _facts(desk)
    assert fact.certificate_no == number and fact.case_id == scenario.case_id
    households = [h.household_id for h in fact.households]
    assert len(households) == 2 and households[1] == household
    items = {i["item"]: i["status"] for i in scenario.latest("completion_notice").payload["items"]}
    assert set(items.values()) == {"done"} and len(items) == 6


def test_the_options_not_asked_for_are_skipped_and_said_so_in_the_notice() -> None:
    desk = Desk()
    man, woman = couple(desk.world, desk.taken)

    scenario = _married(desk, man, woman)

    assert scenario.status is CaseStatus.COMPLETED
    for step in ("premarital_voucher", "move_hukou", "register_fertility"):
        assert scenario.step_status(step) is StepStatus.SKIPPED
    items = {i["item"]: i["status"] for i in scenario.latest("completion_notice").payload["items"]}
    assert items["夫妻投靠落户"] == items["生育登记"] == "skipped"
    assert items["结婚证电子证照"] == "done"


def test_a_hukou_move_a_local_rule_refuses_is_reported_and_the_marriage_stands() -> None:
    desk = Desk()
    man, woman = couple(desk.world, desk.taken, division=CLOSED)
    household = man.household_id

    scenario = _married(desk, man, woman, hukou_move="party_a")

    assert scenario.status is CaseStatus.PARTIALLY_COMPLETED
    assert scenario.state is not None
    step = scenario.state.steps["move_hukou"]
    assert (step.status, step.reason_code) == (StepStatus.REFUSED, "target_division_not_accepting")
    assert man.household_id == household
    assert desk.world.current_marriage(man.resident_id) is not None
    for branch in set(BRANCHES) - {"move_hukou", "register_fertility"}:
        assert scenario.step_status(branch) is StepStatus.SUCCEEDED
    items = {i["item"]: i["status"] for i in scenario.latest("completion_notice").payload["items"]}
    assert items["夫妻投靠落户"] == "refused"


def test_the_clerks_refusal_voids_the_voucher_and_the_application_with_written_reasons() -> None:
    desk = Desk()
    man, woman = couple(desk.world, desk.taken)
    data = marriage_form(man, woman, premarital_check_voucher=True)
    scenario = desk.open(marriage_saga(), data, man.division)
    assert scenario.step_status("premarital_voucher") is StepStatus.SUCCEEDED

    scenario.signal("clerk_review", approved=False, actor="clerk:SQ-0231@window:w-1",
                    reason="当事人未能提供本人签署的声明书原件")  # fmt: skip
    desk.answer(scenario)

    assert scenario.status is CaseStatus.REJECTED
    voided = [c for c in scenario.sent if c.compensation]
    assert sorted(c.step for c in voided) == ["accept", "premarital_voucher"]
    assert scenario.state is not None
    assert scenario.state.steps["premarital_voucher"].status is StepStatus.COMPENSATED
    assert not _sent(scenario, "register_marriage")
    assert desk.world.current_marriage(man.resident_id) is None
    notice = scenario.latest("refusal_notice").payload
    assert notice["reasons"] == [
        {"item": "结婚登记审查", "reason": "当事人未能提供本人签署的声明书原件"}
    ]


def _dead(desk: Desk) -> Person:
    return next(p for p in desk.world.find_all(certified_dead=True, sex="female"))


@pytest.mark.parametrize(
    ("who", "step", "code", "text"),
    [
        ("under age", "verify_identities", "under_marriage_age", "未达法定婚龄"),
        ("already married", "check_marital_status", "already_married", "当事人有配偶"),
        ("the same man twice", "verify_identities", "same_person", "双方为同一人"),
        ("not alive", "verify_identities", "person_deceased", "当事人已死亡"),
        (
            "the name not on the ID",
            "verify_identities",
            "name_mismatch",
            "姓名与公民身份号码不一致",
        ),
    ],
)
def test_a_refusal_a_citizen_understands_registers_nothing(
    who: str, step: str, code: str, text: str
) -> None:
    desk = Desk()
    man, woman = couple(desk.world, desk.taken)
    if who == "under age":
        woman = next(desk.world.find_all(under_marriage_age=True, sex="female"))
    elif who == "already married":
        woman = next(desk.world.find_all(married=True, sex="female", alive=True))
    elif who == "the same man twice":
        woman = man
    elif who == "not alive":
        woman = _dead(desk)
    else:
        woman = replace(woman, name="王不符")
    before = dict(desk.world.marriages)

    scenario = desk.open(marriage_saga(), marriage_form(man, woman), man.division)

    assert scenario.status is CaseStatus.REJECTED, who
    assert scenario.state is not None
    assert scenario.state.steps[step].reason_code == code
    assert scenario.step_status("clerk_review") is StepStatus.CANCELLED
    assert not _sent(scenario, "register_marriage")
    assert desk.world.marriages == before and not _facts(desk)
    (reason,) = scenario.latest("refusal_notice").payload["reasons"]
    assert text in reason["reason"]


def test_a_voucher_health_refuses_never_stops_the_marriage() -> None:
    desk = Desk()
    man, woman = couple(desk.world, desk.taken)
    data = marriage_form(man, woman, premarital_check_voucher=True)
    scenario = Scenario(marriage_saga(), data=data, division_code=man.division).start()
    desk.answer_one(scenario, "accept")
    scenario.refuse("premarital_voucher", "person_not_found")
    desk.answer(scenario)
    scenario.signal("clerk_review", approved=True, reason="符合条件")
    desk.answer(scenario)

    assert scenario.step_status("register_marriage") is StepStatus.SUCCEEDED
    assert scenario.status is CaseStatus.PARTIALLY_COMPLETED
    items = {i["item"]: i["status"] for i in scenario.latest("completion_notice").payload["items"]}
    assert items["免费婚前医学检查券"] == "refused"
