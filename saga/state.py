"""A case's state: what the engine reads and returns, and what the case table stores.

State is plain pydantic data, so it serialises to the compacted state topic as JSON and back
without loss. It remembers the ids of the messages it has handled, so redelivery is a no-op,
and it holds the case's pending timers, so they survive a worker restart with the state itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from contracts.lifecycle import TERMINAL_STATUSES, CaseStatus, StepStatus
from contracts.saga import TimerKind

__all__ = ["PROCESSED_MEMORY", "CaseState", "Period", "StepState", "Timer"]

# A case sees tens of messages in its life; remembering the last thousand ids is ample and bounded.
PROCESSED_MEMORY = 1000


class Period(BaseModel):
    """How a calendar-counted due time was reached, so it can be counted again on a new calendar."""

    start: datetime
    value: int
    unit: str
    # How long its clock stood still while a 补正 was awaited, in the unit the calendar's
    # ``stood_still`` counts for this period's unit (working days, calendar days or seconds).
    suspended: int = 0


class Timer(BaseModel):
    timer_id: str
    kind: TimerKind
    due_at: datetime
    step: str | None = None
    attempt: int | None = None  # the attempt a retry or timeout timer belongs to
    undo: bool = False  # belongs to the step's compensation, not its forward command
    period: Period | None = None  # set for deadlines, waits and 补正 periods, not for backoff
    provisional: bool = False  # counted on a provisional calendar year
    suspends: bool = False  # its clock stops while a 补正 is awaited (``Deadline.suspends``)


class StepState(BaseModel):
    name: str
    status: StepStatus = StepStatus.PENDING
    attempt: int = 0
    undo_attempt: int = 0
    started_at: datetime | None = None  # became runnable
    dispatched_at: datetime | None = None  # latest attempt sent
    settled_at: datetime | None = None
    deadline_at: datetime | None = None  # statutory deadline, reported when passed
    deadline_provisional: bool = False  # counted on a provisional calendar year
    overdue: bool = False
    attention: str | None = None  # why a person must look at this step; None when fine
    reply: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    skipped_by: str | None = None
    supplement_fields: list[str] = Field(default_factory=list)  # what a 补正 may set
    round: int = 1  # how many times a loop back has run this step (1: the first run)
    period: str | None = None  # a recurring step: the period its current command is for
    next_period: str | None = None  # ... and the one its timer waits for
    periods: int = 0  # ... and how many periods it has completed

    @property
    def settled(self) -> bool:
        return self.status in SETTLED_STEP_STATUSES


SETTLED_STEP_STATUSES = frozenset(
    {
        StepStatus.SUCCEEDED,
        StepStatus.REFUSED,
        StepStatus.FAILED,
        StepStatus.SKIPPED,
        StepStatus.CANCELLED,
        StepStatus.COMPENSATED,
        StepStatus.COMPENSATION_FAILED,
    }
)


class CaseState(BaseModel):
    case_id: str
    saga: str
    saga_version: int
    division_code: str
    status: CaseStatus = CaseStatus.RECEIVED
    received_at: datetime
    updated_at: datetime
    data: dict[str, Any] = Field(default_factory=dict)
    results: dict[str, dict[str, Any]] = Field(default_factory=dict)
    steps: dict[str, StepState] = Field(default_factory=dict)
    timers: dict[str, Timer] = Field(default_factory=dict)
    pivot_passed: bool = False
    rolling_back: bool = False
    ending: CaseStatus | None = None  # the terminal status a roll-back ends in
    decided_at: datetime | None = None  # when the roll-back was decided (a refusal, a person)
    rejection_steps_started: bool = False  # the saga's on_rejected steps have been added
    # A reversed case: its reversal case, and the steps in flight at the reversal whose late
    # outcome that case still needs to hear.
    reversal_case_id: str | None = None
    awaiting_late: list[str] = Field(default_factory=list)
    deadline_at: datetime | None = None
    deadline_provisional: bool = False
    # While a 补正 is awaited: since when, and the stopped timers (kept apart so none fires).
    suspended_at: datetime | None = None
    suspended_timers: dict[str, Timer] = Field(default_factory=dict)
    calendar_version: str | None = None  # the calendar its deadlines were last all counted on
    overdue: bool = False
    outcome: str | None = None  # a short why for the terminal status
    event_seq: int = 0
    processed: list[str] = Field(default_factory=list)
    seen_replies: list[str] = Field(default_factory=list)

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    def remember(self, message_id: str) -> None:
        self.processed.append(message_id)
        del self.processed[:-PROCESSED_MEMORY]

    def handled(self, message_id: str) -> bool:
        return message_id in self.processed
