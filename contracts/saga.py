"""Messages between the window, the orchestrator, the departments and the operators.

Commands are imperative (``StartCase``, ``DispatchCommand`` carries a department command),
replies and events past tense (``StepReplied``, ``TimerFired``). A department's refusal is a
reply with ``outcome=refused`` and a reason code, never an error; a transient failure is a reply
with ``outcome=failed`` after the participant's own retries gave up.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from contracts.message import Message

__all__ = [
    "DepartmentCommand",
    "DepartmentReply",
    "OperatorAction",
    "OperatorCommand",
    "RecomputeDeadlines",
    "ReplyOutcome",
    "ReverseCase",
    "ReversedStepSettled",
    "Signal",
    "StartCase",
    "SupplementCase",
    "TimerFired",
    "TimerKind",
]


class StartCase(Message):
    """Open a case of a one-thing with its application data (already validated at the edge)."""

    message_type = "StartCase"

    case_id: str = Field(min_length=1, max_length=64)
    saga: str = Field(min_length=1, description="The one-thing, e.g. afterlife")
    division_code: str = Field(pattern=r"^\d{6}$")
    data: dict[str, Any] = Field(default_factory=dict)
    received_at: datetime
    # Who sent it (``window:<id>``), recorded when the start joins a case that exists.
    actor: str | None = Field(default=None, min_length=1, max_length=128)


class DepartmentCommand(Message):
    """An instruction to one department; ``command_id`` is the department's idempotency key."""

    message_type = "DepartmentCommand"

    command_id: str = Field(description="case_id:step:attempt, or case_id:step:undo:attempt")
    case_id: str
    saga: str
    step: str
    department: str
    command: str = Field(description="Imperative command name, e.g. CancelHukou")
    attempt: int = Field(ge=1)
    compensation: bool = False
    payload: dict[str, Any] = Field(default_factory=dict)
    deadline_at: datetime | None = None


class ReplyOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    REFUSED = "refused"  # a business "no", with a reason code: final for this attempt
    FAILED = "failed"  # a fault the participant could not get past: retrying may help


class DepartmentReply(Message):
    """A department's answer to one command, named in the past tense (``HukouCancelled``)."""

    message_type = "DepartmentReply"

    command_id: str
    case_id: str
    step: str
    department: str
    reply: str = Field(description="Past-tense reply name, e.g. HukouCancelled")
    outcome: ReplyOutcome
    attempt: int = Field(ge=1)
    compensation: bool = False
    reason_code: str | None = None
    reason: str | None = Field(default=None, description="Human-readable reason (Chinese)")
    retryable: bool = Field(default=True, description="For FAILED: can another attempt help?")
    data: dict[str, Any] = Field(default_factory=dict)


class TimerKind(StrEnum):
    RETRY = "retry"  # backoff before the next attempt
    REPLY_TIMEOUT = "reply_timeout"  # an attempt's reply is late: retry or escalate
    STEP_DEADLINE = "step_deadline"  # a step's statutory deadline: report overdue
    CASE_DEADLINE = "case_deadline"  # the statutory deadline of the whole case
    WAIT = "wait"  # a timer step, or a grace period a saga waits out
    SUPPLEMENT = "supplement"  # the time the applicant has to bring missing material
    PERIOD = "period"  # a recurring step's next period begins


class TimerFired(Message):
    """A durable timer came due; stale firings (timer no longer pending) are ignored."""

    message_type = "TimerFired"

    case_id: str
    timer_id: str
    kind: TimerKind
    step: str | None = None
    due_at: datetime


class OperatorAction(StrEnum):
    RETRY_STEP = "retry_step"
    SKIP_STEP = "skip_step"
    COMPENSATE = "compensate"
    MARK_RESOLVED = "mark_resolved"
    WITHDRAW = "withdraw"


class OperatorCommand(Message):
    """A person acting on a case: always with who and why, for the audit trail."""

    message_type = "OperatorCommand"

    case_id: str
    action: OperatorAction
    actor: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    step: str | None = None


class Signal(Message):
    """Completes a ``human_task`` or ``decision`` step: a clerk's decision, a home-visit result."""

    message_type = "Signal"

    case_id: str
    step: str
    approved: bool = True
    actor: str = Field(min_length=1)
    reason: str | None = None
    reason_code: str | None = Field(
        default=None,
        description="For a refusal: why, as a code the saga acts on (an objection to a public"
        " notice, say); refused_by_decision when not given",
    )
    data: dict[str, Any] = Field(default_factory=dict)


class SupplementCase(Message):
    """Missing material brought in (补正): merged into the case data; waiting steps run again."""

    message_type = "SupplementCase"

    case_id: str
    actor: str = Field(min_length=1)
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="The fields brought, nested as in the form; only those the case asked for",
    )
    note: str | None = None
    application: bool = Field(
        default=False,
        description="The family's whole application joining a case that opened by itself, not a"
        " 补正: merged as it is (the window validated it as an application)",
    )


class ReverseCase(Message):
    """A legal reversal after the pivot (e.g. a death certificate retracted as erroneous): the case
    is marked reversed; the corrective work runs as its own reversal case."""

    message_type = "ReverseCase"

    case_id: str
    reversal_case_id: str
    actor: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    reversal_saga: str | None = Field(
        default=None, description="Saga to start for the corrective work, if any"
    )
    data: dict[str, Any] = Field(
        default_factory=dict, description="Case data for the reversal, beside what the case knows"
    )
    carry: list[str] = Field(
        default_factory=list,
        description="Keys of the reversed case's data the reversal case gets too (e.g. who applied,"
        " so they can be told); only these, so no more personal data travels than needed",
    )


class ReversedStepSettled(Message):
    """A reversed case tells its reversal case that a step in flight at the reversal has settled.

    Keyed by the reversal case (``case_id``). A success means the department did the work after
    all, so the reversal runs the row that corrects it; a refusal or failure means there is
    nothing to correct. Sent once per step, with an id derived from the reply that settled it.
    """

    message_type = "ReversedStepSettled"

    case_id: str = Field(description="The reversal case")
    reversed_case_id: str
    step: str = Field(description="The step of the reversed case that settled")
    outcome: ReplyOutcome
    reply: str
    attempt: int = Field(ge=1)
    reason_code: str | None = None


class RecomputeDeadlines(Message):
    """The working-day calendar changed (a year's schedule published or corrected): count the
    case's open deadlines and timers again; each that moves is recorded in its timeline."""

    message_type = "RecomputeDeadlines"

    case_id: str
    calendar_version: str = Field(min_length=1, description="The calendar now in force")
    reason: str = Field(min_length=1, description="Why the calendar changed, for the timeline")
