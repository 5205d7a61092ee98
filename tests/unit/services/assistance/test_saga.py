"""The assistance table through the pure engine, answered by the department simulators: one
application assessed for every programme, each decided on its own, paid monthly once a month;
the statutory periods per division; the gaps, the objections and the urgent case."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.departments import Department
from contracts.departments.platform import NoticeItem
from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction
from contracts.standards import default_standards
from departments.world import Household
from saga.calendar import CHINA, china_date, deadline_at
from saga.testing import Scenario
from services.assistance.household import SOURCE_STEPS
from tests.unit.services.assistance.support import START, Township, sent

NOTICE_OVER = timedelta(days=10)
MONTH = timedelta(days=31)
HARDSHIP = {"kind": "medical", "amount_fen": 5_000_000, "description": "突发重病住院"}


def _standard(household: Household) -> int:
    figures = default_standards().figures(household.division, china_date(START))
    return figures.dibao(household.urban).fen


def _notice_lines(scenario: Scenario) -> list[NoticeItem]:
    command = scenario.latest("decision_notice")
    return [NoticeItem.model_validate(item) for item in command.payload["items"]]


def _rich(desk: Township) -> Household:
    """A household whose head earns 9 000 yuan a month: above every line."""
    return desk.poor(income_fen=900_000)


def test_a_household_below_the_standard_gets_dibao_to_the_fen_and_is_paid_monthly() -> None:
    desk = Township()
    household = desk.poor(income_fen=50_001)  # 500.01 yuan between them
    members = len(household.member_ids)

    scenario = desk.decided(household)

    expected = (_standard(household) - 50_001 // members) * members
    assert expected == scenario.state.results["decide_dibao"]["monthly_amount_fen"]
    lines = {line.item: line for line in _notice_lines(scenario)}
    assert f"最低生活保障：每月{expected // 100}.{expected % 100:02d}元" in lines
    assert "refused" == lines["特困人员救助供养"].status
    assert "家庭成员具有劳动能力" in (lines["特困人员救助供养"].reason or "")
    # Paid from the month after the approval, the month in the command's key.
    assert StepStatus.SCHEDULED is scenario.step_status("monthly_payment")
    desk.wait(scenario, MONTH)
    [august] = sent(scenario, "monthly_payment")
    assert august.command_id.endswith(":monthly_payment:2025-08:1")
    assert expected == scenario.state.results["monthly_payment"]["amount_fen"]
    desk.wait(scenario, MONTH)
    assert ["2025-08", "2025-09"] == [c.payload["month"] for c in sent(scenario, "monthly_payment")]


def test_a_month_is_paid_once_however_often_its_command_or_reply_comes() -> None:
    desk = Township()
    household = desk.poor()
    scenario = desk.decided(household)
    desk.wait(scenario, MONTH)
    [august] = sent(scenario, "monthly_payment")
    paid = scenario.state.results["monthly_payment"]

    scenario.redeliver_last()  # the reply again
    again = asyncio.run(desk.simulators[Department.CIVIL_AFFAIRS].handle(august))

    assert [august] == sent(scenario, "monthly_payment")
    assert paid["payment_no"] == again.data["payment_no"]


def test_a_household_over_the_line_is_refused_with_the_reasons_and_nothing_stays() -> None:
    desk = Township()
    household = _rich(desk)

    scenario = desk.open(household)
    desk.visit(scenario, household)

    assert CaseStatus.REJECTED is scenario.status
    notice = scenario.latest("refusal_notice")
    [reason] = [r["reason"] for r in notice.payload["reasons"]]
    assert "最低生活保障：家庭人均收入" in reason and "不低于当地低保标准" in reason
    assert "not_approved" == notice.payload["decision"]
    # Rolled back: the application withdrawn (its data purged), the visit cancelled.
    assert StepStatus.COMPENSATED is scenario.step_status("accept")
    assert StepStatus.COMPENSATED is scenario.step_status("home_visit")
    assert StepStatus.CANCELLED is scenario.step_status("decide_dibao")


def test_dibao_and_both_disability_subsidies_are_decided_in_the_same_pass() -> None:
    desk = Township()
    household = desk.poor()
    disabled = household.member_ids[1]
    desk.card(disabled, grade=1)

    scenario = desk.decided(household)

    steps = ("decide_dibao", "decide_living_subsidy", "decide_nursing_subsidy")
    assert all(StepStatus.SUCCEEDED is scenario.step_status(s) for s in steps)
    results = scenario.state.results
    figures = default_standards().figures(household.division, china_date(START))
    assert figures.living_subsidy.fen == results["decide_living_subsidy"]["monthly_amount_fen"]
    assert figures.nursing_subsidy[1].fen == results["decide_nursing_subsidy"]["monthly_amount_fen"]
    assert [disabled] == sent(scenario, "decide_nursing_subsidy")[0].payload["resident_ids"]
    desk.wait(scenario, MONTH)
    monthly = sum(results[s]["monthly_amount_fen"] for s in steps)
    assert monthly == scenario.state.results["monthly_payment"]["amount_fen"]


def test_a_programme_a_department_refuses_leaves_the_others_granted() -> None:
    desk = Township()
    household = desk.poor()
    disabled = household.member_ids[1]
    desk.card(disabled, grade=2)
    # The federation's card lapses after the visit saw it: the subsidies are refused.
    scenario = desk.open(household)
    desk.visit(scenario, household)
    desk.world.disability_cards[disabled].active = False
    desk.wait(scenario, NOTICE_OVER)

    assert StepStatus.SUCCEEDED is scenario.step_status("decide_dibao")
    assert StepStatus.REFUSED is scenario.step_status("decide_nursing_subsidy")
    assert "no_disability_card" == scenario.state.steps["decide_nursing_subsidy"].reason_code
    lines = {line.item.split("：")[0]: line.status for line in _notice_lines(scenario)}
    assert ("done", "refused") == (lines["最低生活保障"], lines["重度残疾人护理补贴"])


def test_an_urgent_case_is_paid_first_and_its_proof_is_due_in_ten_working_days() -> None:
    desk = Township()
    household = desk.poor()

    scenario = desk.open(household, hold=frozenset(SOURCE_STEPS), urgent=True, hardship=HARDSHIP)

    # Paid before any source has answered, capped at 1 000 yuan a member.
    assert StepStatus.SUCCEEDED is scenario.step_status("emergency_aid")
    assert (
        100_000 * len(household.member_ids) == scenario.state.results["emergency_aid"]["amount_fen"]
    )
    assert all(scenario.step_status(s) is StepStatus.DISPATCHED for s in SOURCE_STEPS)
    proof = scenario.state.steps["emergency_proof"]
    assert StepStatus.WAITING_SIGNAL is proof.status
    assert proof.deadline_at is not None
    assert deadline_at(START, 10, "working_day") == proof.deadline_at


def test_an_urgent_aid_stands_when_the_rest_is_refused() -> None:
    desk = Township()
    household = _rich(desk)

    scenario = desk.open(household, urgent=True, hardship=HARDSHIP)
    desk.visit(scenario, household)
    scenario.signal("emergency_proof", reason="住院票据已补齐")
    desk.answer(scenario)

    assert CaseStatus.REJECTED is scenario.status
    assert StepStatus.SUCCEEDED is scenario.step_status("emergency_aid")
    assert StepStatus.COMPENSATED is scenario.step_status("home_visit")
    [ended] = [e for e in scenario.events if e.type is CaseEventType.CASE_TERMINATED]
    assert "emergency_aid" in str(ended.detail)


def test_an_objection_runs_the_checks_and_the_visit_again_then_notices_again() -> None:
    desk = Township()
    household = desk.poor()
    scenario = desk.open(household)
    desk.visit(scenario, household)
    assert StepStatus.DISPATCHED is scenario.step_status("notice_period")

    scenario.signal("notice_period", approved=False, reason_code="objection",
                    reason="群众反映有收入未申报")  # fmt: skip
    desk.answer(scenario)

    again = {c.step for c in scenario.sent if ":r2:" in c.command_id}
    assert {*SOURCE_STEPS, "home_visit"} <= again
    assert StepStatus.WAITING_SIGNAL is scenario.step_status("visit_findings")
    assert 1 == len(sent(scenario, "public_notice"))
    desk.visit(scenario, household)
    assert 2 == len(sent(scenario, "public_notice"))  # noticed again
    desk.wait(scenario, NOTICE_OVER)
    assert StepStatus.SUCCEEDED is scenario.step_status("decide_dibao")
    [looped] = [e for e in scenario.events if e.type is CaseEventType.LOOPED_BACK]
    assert ("objection", 2) == (looped.reason_code, looped.detail["round"])


def test_a_source_that_never_answers_is_a_gap_a_clerk_decides_on() -> None:
    desk = Township()
    household = desk.poor()
    silent = frozenset({"check_bank_deposits"})
    scenario = desk.open(household, hold=silent)
    desk.visit(scenario, household, hold=silent)

    # Three tries of four hours each, then a person looks; nothing is assessed meanwhile.
    desk.wait(scenario, timedelta(hours=14), hold=silent)
    assert 3 == len(sent(scenario, "check_bank_deposits"))
    assert scenario.state.steps["check_bank_deposits"].attention is not None
    assert StepStatus.PENDING is scenario.step_status("assess")
    scenario.operator(
        OperatorAction.SKIP_STEP, step="check_bank_deposits", reason="银行查询平台故障"
    )
    assert StepStatus.WAITING_SIGNAL is scenario.step_status("gap_review")
    scenario.signal("gap_review", reason="存款以申请人书面承诺为准，系统恢复后补核")
    desk.answer(scenario)

    assert ["check_bank_deposits"] == scenario.latest("assess").payload["gaps"]


def test_when_every_source_answers_no_clerk_is_asked_about_gaps() -> None:
    desk = Township()
    household = desk.poor()
    scenario = desk.open(household)
    assert StepStatus.SUCCEEDED is scenario.step_status("gap_review")
    assert [] == [e for e in scenario.events if e.step == "gap_review" and
                  e.type is CaseEventType.STEP_WAITING]  # fmt: skip


def _decision_due(desk: Township, household: Household) -> datetime | None:
    scenario = desk.open(household)
    desk.visit(scenario, household)
    desk.wait(scenario, NOTICE_OVER)
    assert StepStatus.SUCCEEDED is scenario.step_status("decide_dibao")
    return scenario.state.steps["decide_dibao"].deadline_at


@pytest.mark.parametrize(
    ("division", "working_days"),
    [("321322", 15), ("321302", 15), ("321202", 30), ("220502", 30), ("210502", 30)],
)
def test_suqian_decides_within_15_working_days_of_acceptance_and_elsewhere_30(
    division: str, working_days: int
) -> None:
    desk = Township()
    due = _decision_due(desk, desk.poor(division=division))
    assert deadline_at(START, working_days, "working_day") == due


# Friday before the 2025 National Day holiday (1–8 October, Sunday 28 September a make-up
# working day): 5 working days end on 10 October, 7 calendar days on the 3rd, a holiday, so 9th.
BEFORE_HOLIDAY = datetime(2025, 9, 26, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("division", "ends"),
    [
        ("321202", date(2025, 10, 10)),  # Jiangsu: at least 5 working days
        ("320585", date(2025, 10, 10)),
        ("220502", date(2025, 10, 9)),  # elsewhere: 7 days
        ("210502", date(2025, 10, 9)),
    ],
)
def test_the_public_notice_runs_its_divisions_period(division: str, ends: date) -> None:
    desk = Township(start=BEFORE_HOLIDAY)
    household = desk.poor(division=division)
    scenario = desk.open(household)
    desk.visit(scenario, household)
    [waiting] = [
        e for e in scenario.events
        if e.type is CaseEventType.STEP_WAITING and e.step == "notice_period"
    ]  # fmt: skip
    assert waiting.deadline_at is not None
    assert ends == (waiting.deadline_at - timedelta(seconds=1)).astimezone(CHINA).date()
