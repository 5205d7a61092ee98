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
from typing import Any

from pydantic import Field

from contracts.lifecycle import CaseStatus, StepStatus
from onething.readmodel.views import (
    AWAITING_REPLY,
    CaseSummary,
    StepView,
    TimelineEntry,
    step_views,
)
from window.labels import (
    CASE_STATUS,
    STEP_STATUS,
    ChinaTime,
    outcome_for_window,
    reason_for_window,
)

__all__ = ["AWAITING_REPLY", "CaseSummary", "CaseView", "StepView", "TimelineEntry", "step_views"]


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
    outcome_text: str | None = Field(
        default=None,
        description="How the case ended, in Chinese, once terminal: what was refused and why,"
        " who withdrew, or the period that ran out (视为撤回)",
    )
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
        status = CaseStatus(fields["status"])
        outcome_text = outcome_for_window(status, fields.get("outcome"), rows)
        return cls.model_validate(
            fields
            | {"steps": rows, "timeline": timeline, "title": title}
            | {"status_text": CASE_STATUS[status], "outcome_text": outcome_text}
        )
