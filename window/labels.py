"""What the window's case view says in Chinese: each case and step status, and a reason a clerk
can read out when the engine's own (an English developer's sentence) is not for a service hall.

Times are shown in China's time (UTC+8, no daylight saving), the zone every deadline is counted
in, so a clerk reads the same date the law counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Annotated

from pydantic import AfterValidator

from contracts.departments import Department
from contracts.departments.catalogue import REASONS
from contracts.lifecycle import CaseStatus, StepStatus

__all__ = ["CASE_STATUS", "CHINA", "STEP_STATUS", "ChinaTime", "reason_for_window"]

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
