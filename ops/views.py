"""What the ops API shows: lists of cases, one case in full, and the steps awaiting a reply.

Operators see more than a window does (``window.views``): every event's detail, and for each step
waiting on its department when the request went out and how long ago that was, counted with the
API's clock at the moment of the request, so a silent department shows long before the
orchestrator's reply timeout retries it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from contracts.lifecycle import CaseEvent
from onething.readmodel.awaiting import awaiting_since
from onething.readmodel.views import CaseSummary, StepView, step_views

__all__ = ["AwaitingReply", "AwaitingReplyList", "CaseList", "OpsCaseView", "OpsStepView"]


def _seconds(since: datetime, now: datetime) -> int:
    # Never negative: the API's clock may run a little behind the orchestrator's.
    return max(0, int((now - since).total_seconds()))


class CaseList(BaseModel):
    """Cases matching a query: how many in all, and the first ``limit`` of them."""

    total: int
    cases: list[CaseSummary]


class OpsStepView(StepView):
    """A step, and while its department has not answered, since when and for how long."""

    awaiting_reply_since: datetime | None = Field(
        default=None, description="When the current attempt went to the department, if unanswered"
    )
    awaiting_reply_seconds: int | None = Field(
        default=None, description="How long that was before this request, in whole seconds"
    )

    @classmethod
    def from_row(cls, row: dict[str, Any], case_open: bool, now: datetime) -> OpsStepView:
        since = awaiting_since(row, case_open)
        if since is None:
            return cls.model_validate(row)
        waited = {"awaiting_reply_since": since, "awaiting_reply_seconds": _seconds(since, now)}
        return cls.model_validate(row | waited)


class OpsCaseView(CaseSummary):
    """Everything the read model holds about a case, events with their detail included."""

    steps: dict[str, OpsStepView] = Field(default_factory=dict)
    timeline: list[CaseEvent] = Field(default_factory=list)

    @classmethod
    def from_read_model(
        cls,
        summary: dict[str, str],
        steps: dict[str, dict[str, Any]],
        timeline: list[dict[str, Any]],
        now: datetime,
    ) -> OpsCaseView:
        case_open = not summary.get("ended_at")
        views = {
            name: OpsStepView.from_row(row, case_open, now)
            for name, row in step_views(steps, summary).items()
        }
        return cls.model_validate(cls.fields_from(summary) | {"steps": views, "timeline": timeline})


class AwaitingReply(BaseModel):
    """One step whose department has had the request longer than asked, and no reply yet."""

    case_id: str = Field(examples=["AD-3f1c9a7be0d24c55"])
    step: str = Field(examples=["stop_pension"])
    department: str | None = Field(default=None, examples=["social_security"])
    attempt: int | None = None
    since: datetime = Field(description="When the current attempt went to the department")
    seconds: int = Field(description="How long ago that was, in whole seconds")


class AwaitingReplyList(BaseModel):
    """Steps awaiting a reply, longest waiting first: how many in all, and the first ``limit``."""

    total: int
    steps: list[AwaitingReply]

    @classmethod
    def from_rows(
        cls, found: list[tuple[str, str, dict[str, Any]]], total: int, now: datetime
    ) -> AwaitingReplyList:
        """From ``(case_id, step, row)`` in index order; a row that got its reply since the index
        was read is left out."""
        listed = []
        for case_id, step, row in found:
            since = awaiting_since(row, case_open=True)  # the index holds open cases only
            if since is None:
                continue
            listed.append(
                AwaitingReply(
                    case_id=case_id,
                    step=step,
                    department=row.get("department"),
                    attempt=row.get("attempt"),
                    since=since,
                    seconds=_seconds(since, now),
                )
            )
        return cls(total=total, steps=listed)
