"""The one interface every department integration implements, simulator or real system alike.

Exception hierarchy (faults only; a business "no" is a returned ``Outcome`` with ``refused``)::

    DepartmentFault
    ├── TransientFault   retrying may help (timeout, 5xx, connection reset, outage)
    └── PermanentFault   retrying cannot help (malformed command, unknown command type)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from contracts.departments import Department
from contracts.saga import DepartmentCommand, ReplyOutcome

__all__ = [
    "DepartmentAdapter",
    "DepartmentFault",
    "Outcome",
    "PermanentFault",
    "TransientFault",
]


class DepartmentFault(Exception):
    """A department could not be reached or could not process a command."""

    retryable: bool = False


class TransientFault(DepartmentFault):
    retryable = True


class PermanentFault(DepartmentFault):
    retryable = False


@dataclass(frozen=True)
class Outcome:
    """What a department answered: the past-tense reply name, success or refusal, and data."""

    reply: str
    outcome: ReplyOutcome
    reason_code: str | None = None
    reason: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def done(cls, reply: str, **data: Any) -> Outcome:
        return cls(reply=reply, outcome=ReplyOutcome.SUCCEEDED, data=data)

    @classmethod
    def refused(cls, reply: str, reason_code: str, reason: str, **data: Any) -> Outcome:
        return cls(
            reply=reply,
            outcome=ReplyOutcome.REFUSED,
            reason_code=reason_code,
            reason=reason,
            data=data,
        )


@runtime_checkable
class DepartmentAdapter(Protocol):
    """Carry out one command against a department and say what it answered.

    Must be idempotent per ``command.command_id``: the same id twice applies the effect once and
    returns the same outcome. Raise ``TransientFault`` or ``PermanentFault`` for faults.
    """

    department: Department

    async def handle(self, command: DepartmentCommand) -> Outcome: ...
