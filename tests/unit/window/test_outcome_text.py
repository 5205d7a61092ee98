"""How a case ended, as the window's clerk reads it out (``outcome_text``): from the outcomes the
engine itself writes, so a change in its wording fails here rather than in a service hall."""

from __future__ import annotations

from datetime import timedelta

from contracts.lifecycle import CaseStatus
from contracts.saga import OperatorAction
from saga.testing import Scenario
from services.marriage import divorce_saga
from tests.unit.services.marriage.support import Desk, divorce_form, married_couple
from window.labels import outcome_for_window

STEPS = {
    "appearance": {"title": "双方亲自到场申请发给离婚证", "status": "cancelled"},
    "verify_marriage": {
        "title": "婚姻登记信息核验",
        "status": "refused",
        "reason": "双方不是登记在册的夫妻",
    },
    "upload_record": {"title": "上传全国婚姻登记信息", "status": "succeeded"},
}


def _divorce() -> tuple[Desk, Scenario]:
    desk = Desk()
    a, b, marriage = married_couple(desk.world, desk.taken)
    data = divorce_form(a, b, marriage.certificate_no)
    return desk, desk.open(divorce_saga(), data, a.division)


def test_a_lapsed_appearance_says_the_application_is_deemed_withdrawn() -> None:
    desk, scenario = _divorce()
    scenario.advance(timedelta(days=35))
    assert scenario.state is not None
    due = scenario.state.steps["appearance"].deadline_at
    assert due is not None
    scenario.advance(due - scenario.clock.now() + timedelta(seconds=1))
    desk.answer(scenario)
    assert scenario.state is not None and scenario.status is CaseStatus.WITHDRAWN

    text = outcome_for_window(CaseStatus.WITHDRAWN, scenario.state.outcome, STEPS)

    assert text == "未在规定期限内办理“双方亲自到场申请发给离婚证”，视为撤回申请"


def test_a_withdrawal_says_who_withdrew_with_the_reason_given() -> None:
    desk, scenario = _divorce()
    scenario.operator(OperatorAction.WITHDRAW, actor="window:w-1", reason="女方撤回离婚申请")
    desk.answer(scenario)
    assert scenario.state is not None

    assert "申请人已撤回申请：女方撤回离婚申请" == outcome_for_window(
        CaseStatus.WITHDRAWN, scenario.state.outcome, STEPS
    )
    assert "申请人已撤回申请" == outcome_for_window(CaseStatus.WITHDRAWN, "withdrawn: typo", {})


def test_a_refusal_names_each_refused_item_and_its_reason_and_a_running_case_nothing() -> None:
    text = outcome_for_window(CaseStatus.REJECTED, "verify_marriage: not_spouses", STEPS)

    assert text == "不予办理。婚姻登记信息核验：双方不是登记在册的夫妻"
    assert outcome_for_window(CaseStatus.COMPLETED, None, STEPS) == "全部事项已办结"
    assert outcome_for_window(CaseStatus.IN_PROGRESS, None, STEPS) is None
