"""What the window's case view says in Chinese: each case and step status, and a reason a clerk
can read out when the engine's own (an English developer's sentence) is not for a service hall.

Times are shown in China's time (UTC+8, no daylight saving), the zone every deadline is counted
in, so a clerk reads the same date the law counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

from pydantic import AfterValidator

from contracts.departments import Department
from contracts.departments.catalogue import REASONS
from contracts.lifecycle import CaseStatus, StepStatus

__all__ = [
    "CASE_STATUS",
    "CHINA",
    "STEP_STATUS",
    "ChinaTime",
    "outcome_for_window",
    "reason_for_window",
]

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

CASE_STATUS: Mapping[CaseStatus, str] = {
    CaseStatus.RECEIVED: "已接件",
    CaseStatus.IN_PROGRESS: "办理中",
    CaseStatus.WAITING: "等待中",
    CaseStatus.COMPENSATING: "正在撤销已办事项",
    CaseStatus.NEEDS_ATTENTION: "需人工处理",
    CaseStatus.COMPLETED: "已办结",
    CaseStatus.PARTIALLY_COMPLETED: "部分办结",
    CaseStatus.REJECTED: "不予办理",
    CaseStatus.COMPENSATED: "已撤销",
    CaseStatus.WITHDRAWN: "已撤回",
    CaseStatus.REVERSED: "已更正撤销",
}

STEP_STATUS: Mapping[StepStatus, str] = {
    StepStatus.PENDING: "待办理",
    StepStatus.DISPATCHED: "办理中",
    StepStatus.WAITING_RETRY: "稍后重试",
    StepStatus.WAITING_SIGNAL: "等待人工办理",
    StepStatus.WAITING_SUPPLEMENT: "等待补正材料",
    StepStatus.WAITING_REVERSED_CASE: "等待原案件结果",
    StepStatus.SCHEDULED: "按期办理中",
    StepStatus.SUCCEEDED: "已办结",
    StepStatus.REFUSED: "不予办理",
    StepStatus.FAILED: "办理失败，需人工处理",
    StepStatus.SKIPPED: "无需办理",
    StepStatus.COMPENSATING: "正在撤销",
    StepStatus.COMPENSATED: "已撤销",
    StepStatus.COMPENSATION_FAILED: "撤销失败，需人工处理",
    StepStatus.CANCELLED: "未办理（案件已结束）",
}

_CJK = re.compile(r"[\u3400-\u9fff]")


def _in_china(moment: datetime) -> datetime:
    return moment.astimezone(CHINA) if moment.tzinfo is not None else moment


ChinaTime = Annotated[datetime, AfterValidator(_in_china)]


def reason_for_window(
    status: str | None, department: str | None, code: str | None, reason: str | None
) -> str | None:
    """The reason as the window shows it: a department's own Chinese words, its catalogue's text
    for the code, or what the step's status means; never an engine message in English."""
    if reason and _CJK.search(reason):
        return reason
    if department in set(Department) and code:
        known = REASONS[Department(department)].get(code)
        if known:
            return known
    if reason is None and code is None:
        return None
    return STEP_STATUS[StepStatus(status)] if status in set(StepStatus) else "详见工作人员说明"


# How the engine words a withdrawal (``saga.operator``) and a lapsed period (``saga.forward``).
_WITHDRAWN = re.compile(r"^withdrawn: (?P<reason>.+)$", re.DOTALL)
_DEEMED = re.compile(r"^deemed withdrawn: (?P<step>\w+) not done in time$")
_TERMINAL_TEXT: Mapping[CaseStatus, str] = {
    CaseStatus.COMPLETED: "全部事项已办结",
    CaseStatus.COMPENSATED: "办理未能完成，已办事项均已撤销",
    CaseStatus.REVERSED: "已依法更正，原办理事项已撤销",
}
_NOT_DONE = frozenset({StepStatus.REFUSED.value, StepStatus.FAILED.value})


def _listed(rows: Mapping[str, Mapping[str, Any]]) -> str:
    return "；".join(
        f"{row.get('title') or name}：{row.get('reason') or STEP_STATUS[StepStatus.REFUSED]}"
        for name, row in rows.items()
        if row.get("status") in _NOT_DONE
    )


def outcome_for_window(
    status: CaseStatus, outcome: str | None, steps: Mapping[str, Mapping[str, Any]]
) -> str | None:
    """How a case ended, as a clerk can read it out: the refused items and why, who withdrew,
    or the period that ran out. ``steps`` are the case's step views (titles and reasons in
    Chinese); None while the case runs."""
    if status in _TERMINAL_TEXT:
        return _TERMINAL_TEXT[status]
    if status is CaseStatus.WITHDRAWN:
        deemed = _DEEMED.match(outcome or "")
        if deemed:
            title = steps.get(deemed["step"], {}).get("title") or deemed["step"]
            return f"未在规定期限内办理“{title}”，视为撤回申请"
        said = _WITHDRAWN.match(outcome or "")
        reason = said["reason"] if said and _CJK.search(said["reason"]) else None
        return f"申请人已撤回申请：{reason}" if reason else "申请人已撤回申请"
    if status is CaseStatus.REJECTED:
        return f"不予办理。{_listed(steps)}" if _listed(steps) else "不予办理"
    if status is CaseStatus.PARTIALLY_COMPLETED:
        return f"部分事项未办结。{_listed(steps)}" if _listed(steps) else "部分事项未办结"
    return None
