"""Every status has its Chinese words, and a reason the window shows is never an English
engine message."""

from __future__ import annotations

from contracts.lifecycle import CaseStatus, StepStatus
from window.labels import CASE_STATUS, STEP_STATUS, reason_for_window


def test_every_case_and_step_status_has_its_chinese_words() -> None:
    assert set(CaseStatus) == set(CASE_STATUS)
    assert set(StepStatus) == set(STEP_STATUS)


def test_a_reason_is_the_departments_words_its_catalogue_text_or_the_status() -> None:
    assert "亲属关系无法核实" == reason_for_window(
        "refused", "public_security", "x", "亲属关系无法核实"
    )
    assert "户口已注销，不能重复注销" == reason_for_window(
        "refused", "public_security", "already_cancelled", "already cancelled"
    )
    assert "未办理（案件已结束）" == reason_for_window("cancelled", None, None, "cannot run: ended")
    assert None is reason_for_window("succeeded", None, None, None)
