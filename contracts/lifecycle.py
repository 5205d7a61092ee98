"""Lifecycle events: every transition of every case, the audit trail on the case-events topic.

Event ids are deterministic (``case_id:seq``), so when the orchestrator reprocesses a message after
a crash it re-emits the same ids and the read model (which remembers ids) applies each event once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from contracts.message import Message

__all__ = ["CaseEvent", "CaseEventType", "CaseStatus", "StepStatus", "TERMINAL_STATUSES"]


class CaseStatus(StrEnum):
    """Where a case stands; the terminal ones end it."""

    RECEIVED = "received"  # 已接件
    IN_PROGRESS = "in_progress"  # 办理中
    WAITING = "waiting"  # paused: supplement (补正), a grace period, a person's decision
    COMPENSATING = "compensating"  # rolling back the steps before the pivot
    NEEDS_ATTENTION = "needs_attention"  # a person must act; never silently stuck
    COMPLETED = "completed"  # 办结: every branch done
    PARTIALLY_COMPLETED = "partially_completed"  # past the pivot, some branches refused
    REJECTED = "rejected"  # 不予受理/不予批准: refused before the pivot, rolled back
    COMPENSATED = "compensated"  # rolled back after a fault or by an operator
    WITHDRAWN = "withdrawn"  # the applicant withdrew before the pivot
    REVERSED = "reversed"  # a legal reversal after the pivot (e.g. death retracted)


TERMINAL_STATUSES = frozenset(
    {
        CaseStatus.COMPLETED,
        CaseStatus.PARTIALLY_COMPLETED,
        CaseStatus.REJECTED,
        CaseStatus.COMPENSATED,
        CaseStatus.WITHDRAWN,
        CaseStatus.REVERSED,
    }
)


class StepStatus(StrEnum):
    PENDING = "pending"  # waiting on its dependencies
    DISPATCHED = "dispatched"  # command sent, reply awaited
    WAITING_RETRY = "waiting_retry"  # backoff timer running
    WAITING_SIGNAL = "waiting_signal"  # human_task / decision awaiting a person
    WAITING_SUPPLEMENT = "waiting_supplement"  # 补正: the applicant must bring missing material
    # A correction whose forward step was still in flight in the reversed case: it runs once
    # that step turns out to have succeeded there, and is skipped if it did not.
    WAITING_REVERSED_CASE = "waiting_reversed_case"
    SCHEDULED = "scheduled"  # a recurring step between periods: its next period's timer runs
    SUCCEEDED = "succeeded"
    REFUSED = "refused"
    FAILED = "failed"  # retries exhausted
    SKIPPED = "skipped"  # `when` was false, or an operator skipped it
    COMPENSATING = "compensating"
    COMPENSATED = "compensated"
    COMPENSATION_FAILED = "compensation_failed"
    CANCELLED = "cancelled"  # never ran: the case ended first


class CaseEventType(StrEnum):
    CASE_RECEIVED = "case_received"
    STEP_DISPATCHED = "step_dispatched"
    STEP_SUCCEEDED = "step_succeeded"
    STEP_REFUSED = "step_refused"
    STEP_FAILED = "step_failed"
    STEP_RETRIED = "step_retried"
    STEP_TIMED_OUT = "step_timed_out"
    STEP_SKIPPED = "step_skipped"
    STEP_WAITING = "step_waiting"
    COMPENSATION_DISPATCHED = "compensation_dispatched"
    STEP_COMPENSATED = "step_compensated"
    COMPENSATION_FAILED = "compensation_failed"
    CASE_STATUS_CHANGED = "case_status_changed"
    CASE_TERMINATED = "case_terminated"
    OVERDUE = "overdue"
    DEADLINE_UNKNOWN = "deadline_unknown"  # no calendar data or rules reach the period's year
    DEADLINE_RECOMPUTED = "deadline_recomputed"  # the calendar changed and a deadline moved
    OPERATOR_ACTION = "operator_action"
    SIGNAL_RECEIVED = "signal_received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_RECEIVED = "supplement_received"
    SUPPLEMENT_REFUSED = "supplement_refused"  # it set a field the case did not ask for
    CLOCK_SUSPENDED = "clock_suspended"  # a 补正 is awaited: marked deadlines stop
    CLOCK_RESUMED = "clock_resumed"  # it arrived (or the wait ended): they go on, moved
    CASE_REVERSED = "case_reversed"
    REVERSED_STEP_SETTLED = "reversed_step_settled"  # a reversal case hears a late outcome
    PERIOD_SCHEDULED = "period_scheduled"  # a recurring step's next period and when it begins
    RECURRENCE_ENDED = "recurrence_ended"  # a recurring step ran its last period
    LOOPED_BACK = "looped_back"  # a step's result sent the case back a round (detail.round)
    LOOP_EXHAUSTED = "loop_exhausted"  # it would again, but the rounds ran out
    DUPLICATE_IGNORED = "duplicate_ignored"
    STALE_REPLY_IGNORED = "stale_reply_ignored"


class CaseEvent(Message):
    """One thing that happened to a case. ``seq`` orders a case's events without gaps."""

    message_type = "CaseEvent"

    event_id: str = Field(description="case_id:seq, deterministic")
    case_id: str
    seq: int = Field(ge=1)
    saga: str
    saga_version: int
    division_code: str
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
    deadline_provisional: bool | None = Field(
        default=None,
        description="True when deadline_at was counted on a year whose holiday schedule is not"
        " yet official (statutory rules only); it is recomputed when the schedule arrives",
    )
    detail: dict[str, Any] = Field(default_factory=dict)
