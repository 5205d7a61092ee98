"""What the window shows of a case: its state, each step's state and, on request, its timeline.

For a service hall: each status also in Chinese, each step by its Chinese title, reasons in
Chinese and times in China's time (``window.labels``); the ops API keeps the English codes.

Built from the read model's rows (strings in the summary, JSON in step rows and events). The
timeline leaves out each event's ``detail``: that is for operators, not for a service hall. A step
whose department has the request and has not answered yet carries the hint 等待部门答复, so a
clerk can tell the family what the case waits for; how long it has waited is for operators.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from ops.awaiting import awaiting_since
from window.labels import CASE_STATUS, STEP_STATUS, ChinaTime, reason_for_window

__all__ = ["AWAITING_REPLY", "CaseSummary", "CaseView", "StepView", "TimelineEntry", "step_views"]

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


class ClerkStepView(StepView):
    """A step as a window clerk reads it: its name and status in Chinese, a reason in Chinese
    (a department's own words, its catalogue's text for the code, or what the status means), and
    times in China's time."""

    title: str | None = Field(default=None, description="The step's name, e.g. 户口注销")
    status_text: str | None = Field(default=None, description="The status, e.g. 已办结")
    deadline_at: ChinaTime | None = Field(default=None, description="The step's own deadline")
    updated_at: ChinaTime | None = None


class ClerkTimelineEntry(TimelineEntry):
    at: ChinaTime
    deadline_at: ChinaTime | None = None


class CaseView(CaseSummary):
    """A case as its window sees it: where it stands (in Chinese too), its statutory deadline,
    every step, and on request its timeline; times in China's time."""

    title: str | None = Field(default=None, description="The one-thing, e.g. 公民身后一件事")
    status_text: str = Field(description="The status in Chinese, e.g. 办理中")
    received_at: ChinaTime | None = None
    updated_at: ChinaTime | None = None
    deadline_at: ChinaTime | None = Field(default=None, description="The case's statutory deadline")
    ended_at: ChinaTime | None = None
    steps: dict[str, ClerkStepView] = Field(default_factory=dict)
    timeline: list[ClerkTimelineEntry] | None = Field(
        default=None, description="Lifecycle events in order; only with ?timeline=true"
    )

    @classmethod
    def from_read_model(
        cls,
        summary: dict[str, str],
        steps: dict[str, dict[str, Any]],
        timeline: list[dict[str, Any]] | None = None,
        *,
        titles: Mapping[str, str] | None = None,
        title: str | None = None,
    ) -> CaseView:
        """``titles``: the case's saga's step titles; ``title``: its one-thing's."""
        names = titles or {}
        rows = {
            name: row
            | {
                "title": names.get(name) or None,
                "status_text": STEP_STATUS.get(StepStatus(row["status"]))
                if row.get("status") in set(StepStatus)
                else None,
                "reason": reason_for_window(
                    row.get("status"), row.get("department"), row.get("reason_code"),
                    row.get("reason"),
                ),
            }
            for name, row in step_views(steps, summary).items()
        }  # fmt: skip
        fields = cls.fields_from(summary)
        status_text = CASE_STATUS[CaseStatus(fields["status"])]
        return cls.model_validate(
            fields
            | {"steps": rows, "timeline": timeline, "title": title, "status_text": status_text}
        )
