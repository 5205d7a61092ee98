"""The read model's rows as API models, shared by the window and the ops API: a case's summary,
a step, a timeline entry; each API builds its own views on them (the window's in Chinese, for a
service hall; the ops API's with every detail)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from onething.readmodel.awaiting import awaiting_since

__all__ = [
    "AWAITING_REPLY",
    "PROVISIONAL",
    "CaseSummary",
    "StepView",
    "TimelineEntry",
    "step_views",
]

AWAITING_REPLY = "等待部门答复"

PROVISIONAL = (
    "暂定：the deadline was counted on a year whose State Council holiday schedule is not out"
    " yet (statutory holidays only); it is recounted, and may move, when the schedule arrives"
)


class StepView(BaseModel):
    """One step of the case as the read model last saw it."""

    status: StepStatus | None = None
    attempt: int | None = None
    department: str | None = None
    deadline_at: datetime | None = Field(default=None, description="The step's own deadline")
    deadline_provisional: bool = Field(default=False, description=PROVISIONAL)
    overdue: bool = False
    reason_code: str | None = Field(default=None, description="Why a department refused")
    reason: str | None = None
    updated_at: datetime | None = None
    hint: str | None = Field(
        default=None,
        description="What the step waits for, in words for the window: 等待部门答复 while the"
        " department has the request and has not answered",
        examples=[AWAITING_REPLY],
    )


def step_views(
    steps: dict[str, dict[str, Any]], summary: dict[str, str]
) -> dict[str, dict[str, Any]]:
    """The step rows with what a reader is told about each: the hint, while one awaits a reply."""
    case_open = not summary.get("ended_at")
    return {
        name: (row | {"hint": AWAITING_REPLY}) if awaiting_since(row, case_open) else row
        for name, row in steps.items()
    }


class TimelineEntry(BaseModel):
    """One lifecycle event, in the order the case went through them."""

    seq: int
    type: CaseEventType
    at: datetime
    status: CaseStatus = Field(description="The case's status after this event")
    step: str | None = None
    step_status: StepStatus | None = None
    attempt: int | None = None
    department: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    actor: str | None = None
    deadline_at: datetime | None = None
    deadline_provisional: bool | None = None


class CaseSummary(BaseModel):
    """A case's summary row: where it stands and its statutory deadline."""

    case_id: str = Field(examples=["AD-3f1c9a7be0d24c55"])
    saga: str = Field(description="The one-thing, e.g. afterlife")
    status: CaseStatus
    division_code: str
    received_at: datetime | None = None
    updated_at: datetime | None = None
    deadline_at: datetime | None = Field(default=None, description="The case's statutory deadline")
    deadline_provisional: bool = Field(default=False, description=PROVISIONAL)
    overdue: bool = False
    pivot_passed: bool = Field(
        default=False, description="Past the pivot (e.g. death confirmed): no withdrawal any more"
    )
    outcome: str | None = Field(default=None, description="How the case ended, once terminal")
    ended_at: datetime | None = None

    @classmethod
    def fields_from(cls, summary: dict[str, str]) -> dict[str, Any]:
        """The summary row's strings as model fields (empty strings are absent values)."""
        return {
            "case_id": summary["case_id"],
            "saga": summary["saga"],
            "status": summary["status"],
            "division_code": summary["division_code"],
            "received_at": summary.get("received_at") or None,
            "updated_at": summary.get("updated_at") or None,
            "deadline_at": summary.get("deadline_at") or None,
            "deadline_provisional": summary.get("deadline_provisional") == "1",
            "overdue": summary.get("overdue") == "1",
            "pivot_passed": summary.get("pivot_passed") == "1",
            "outcome": summary.get("outcome") or None,
            "ended_at": summary.get("ended_at") or None,
        }

    @classmethod
    def from_summary(cls, summary: dict[str, str]) -> CaseSummary:
        return cls.model_validate(cls.fields_from(summary))
