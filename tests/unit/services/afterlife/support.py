"""Cases and replies shared by the after-death scenario tests: a family's form, a certified death,
the data each department answers with, and a driver that settles every open command."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from contracts.departments.health import DeathCertified
from contracts.identifiers import make_resident_id
from contracts.lifecycle import StepStatus
from contracts.saga import ReplyOutcome
from contracts.window import AfterDeathApplication
from saga.testing import Scenario
from services.afterlife import ONE_THING, afterlife_saga, proactive_case_data
from window.ports import Window
from window.starts import Refused, decide, start_for

DECEASED_ID = "11010519491231002X"
CHILD_ID = make_resident_id("321302", date(1976, 5, 14), 27)
AGENT_ID = make_resident_id("321302", date(1990, 8, 1), 13)
ACCOUNT_NO = "6222021234567890123"
HEIR_REF = "HEIR-000001"
CREMATION_NO = "HZ3213002025000001"
WINDOW = Window("suqian-sucheng-hall", "321300", "宿迁市政务服务中心")
CERTIFIED_AT = datetime(2025, 3, 3, 8, 30, tzinfo=UTC)
# The branches that go out as soon as the pivot succeeds, needing nothing of the heirs.
STOPPING = (
    "record_cremation",
    "cancel_hukou",
    "stop_pension",
    "end_medical_insurance",
    "stop_welfare",
    "cancel_disability_card",
)


def form(**changes: Any) -> dict[str, Any]:
    """A valid after-death form as JSON (the child applies); ``changes`` replace fields."""
    body: dict[str, Any] = {
        "deceased_id": DECEASED_ID,
        "deceased_name": "张三",
        "date_of_death": "2025-03-01",
        "death_certificate_no": DECEASED_ID,
        "applicant": {
            "resident_id": CHILD_ID,
            "name": "张四",
            "relation": "child",
            "phone": "13812345678",
        },
        "heir_account": {
            "bank": "中国工商银行宿迁分行",
            "account_no": ACCOUNT_NO,
            "holder_name": "张四",
        },
    }
    body.update(changes)
    return AfterDeathApplication.model_validate(body).model_dump(mode="json")


def by_agent() -> dict[str, Any]:
    """A form an agent files for the child."""
    return form(
        applicant={
            "resident_id": AGENT_ID,
            "name": "李五",
            "relation": "agent",
            "phone": "13912345678",
            "on_behalf_of": CHILD_ID,
        }
    )


def window_case(**changes: Any) -> dict[str, Any]:
    """The case data the window API starts a family's case with."""
    return form(**changes) | {"channel": "window", "window_id": WINDOW.window_id}


def death_certified() -> DeathCertified:
    return DeathCertified(
        certificate_no=DECEASED_ID,
        deceased_id=DECEASED_ID,
        date_of_death=date(2025, 3, 1),
        division_code="321300",
        certified_at=CERTIFIED_AT,
    )


def proactive_case() -> dict[str, Any]:
    return proactive_case_data(death_certified())


def window_scenario(data: dict[str, Any] | None = None) -> Scenario:
    return Scenario(afterlife_saga(), data=data or window_case()).start()


def proactive_scenario() -> Scenario:
    return Scenario(afterlife_saga(), data=proactive_case()).start()


# What each department answers on success, as the reply data the builders later read.
REPLIES: dict[str, dict[str, Any]] = {
    "accept": {"application_no": "SH-2025-0001"},
    "notify_next_of_kin": {"notice_no": "TZ000001", "notified": 2},
    "verify_death": {"certificate_no": DECEASED_ID, "date_of_death": "2025-03-01"},
    "verify_kinship": {"relation": "child"},
    "verify_kinship_late": {"relation": "child"},
    "register_heir_account": {"heir_account_ref": HEIR_REF},
    "register_heir_account_late": {"heir_account_ref": HEIR_REF},
    "confirm_death": {
        "case_id": "case-1",
        "deceased_id": DECEASED_ID,
        "date_of_death": "2025-03-01",
        "certificate_no": DECEASED_ID,
        "division_code": "321300",
        "confirmed_at": "2025-03-03T09:05:00+00:00",
    },
    "record_cremation": {"cremation_certificate_no": CREMATION_NO, "cremated_on": "2025-03-03"},
    "funeral_fee_waiver": {"amount_fen": 120000},
    "cancel_hukou": {
        "cancelled_on": "2025-03-03",
        "id_card_voided": True,
        "spouse_widowed": True,
        "household_head_changed": False,
    },
    "stop_pension": {
        "stopped_from": "2025-04",
        "last_paid_month": "2025-03",
        "overpaid_months": 0,
        "overpayment_fen": 0,
    },
    "survivor_benefits": {
        "funeral_grant_fen": 500000,
        "survivor_pension_fen": 3000000,
        "account_balance_fen": 1200000,
        "overpayment_offset_fen": 0,
        "net_payable_fen": 4700000,
    },
    "end_medical_insurance": {"terminated_from": "2025-04"},
    "pay_out_medical_account": {"account_paid_out_fen": 35000},
    "housing_fund_withdrawal": {"amount_fen": 8800000},
    "stop_welfare": {"programmes": [], "stopped_from": "2025-04", "household_on_dibao": False},
    "cancel_disability_card": {"card_no": "32130019491231002X11"},
    "completion_notice": {"notice_no": "TZ000002"},
    "refusal_notice": {"notice_no": "BY000001"},
    "correct_next_of_kin_notice": {"notice_no": "GZ000001", "notified": 2},
}


def ok(scenario: Scenario, *steps: str) -> Scenario:
    """Each step's department answers yes, with its usual reply data."""
    for step in steps:
        scenario.succeed(step, data=REPLIES.get(step))
    return scenario


def open_commands(scenario: Scenario) -> list[str]:
    """Steps whose command went out and is still unanswered."""
    assert scenario.state is not None
    return [
        name
        for name, st in scenario.state.steps.items()
        if st.status is StepStatus.DISPATCHED and scenario.saga.step(name).sends_command
    ]


def settle(
    scenario: Scenario, refuse: dict[str, str] | None = None, hold: frozenset[str] = frozenset()
) -> Scenario:
    """Answer every open command (refusing those in ``refuse``) until none is left but ``hold``."""
    refuse = refuse or {}
    while pending := [s for s in open_commands(scenario) if s not in hold]:
        for step in pending:
            if step in refuse:
                scenario.reply(step, ReplyOutcome.REFUSED, reason_code=refuse[step])
            else:
                ok(scenario, step)
    return scenario


def to_pivot(scenario: Scenario) -> Scenario:
    """A family's case through D1–D4: every check passes and the death is confirmed."""
    ok(scenario, "accept", "verify_kinship", "register_heir_account", "verify_death")
    ok(scenario, "confirm_death")
    return scenario


def family_applies(scenario: Scenario, application: dict[str, Any] | None = None) -> str:
    """The window API's answer to a family applying to this proactive case, delivered."""
    assert scenario.state is not None
    steps = {n: {"status": st.status.value} for n, st in scenario.state.steps.items()}
    summary = {"division_code": WINDOW.division_code, "status": scenario.status.value}
    (window_form,) = ONE_THING.applications
    outcome = decide(window_form.joins, WINDOW, scenario.case_id, summary, steps)
    assert not isinstance(outcome, Refused), outcome
    form_data = AfterDeathApplication.model_validate(application or form())
    scenario.deliver(
        start_for(window_form, form_data, WINDOW, scenario.case_id, scenario.clock.now())
    )
    return outcome
