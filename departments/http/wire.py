"""What travels over the department HTTP edge besides the command itself: the outcome body.

The request body is a ``DepartmentCommand`` as JSON, with an ``Idempotency-Key`` header equal to
its ``command_id``. A 200 answer is an ``OutcomeBody`` (a refusal is a 200 too: it is an answer);
a 4xx means the command can never succeed (``PermanentFault``), a 5xx or 503 that it may later
(``TransientFault``); error bodies are ``{"detail": "..."}``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from contracts.saga import ReplyOutcome
from departments.adapter import Outcome

__all__ = ["IDEMPOTENCY_HEADER", "ErrorBody", "OutcomeBody"]

IDEMPOTENCY_HEADER = "Idempotency-Key"


class OutcomeBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    reply: str = Field(min_length=1)
    outcome: ReplyOutcome
    reason_code: str | None = None
    reason: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_outcome(cls, outcome: Outcome) -> OutcomeBody:
        return cls(
            reply=outcome.reply,
            outcome=outcome.outcome,
            reason_code=outcome.reason_code,
            reason=outcome.reason,
            data=outcome.data,
        )

    def to_outcome(self) -> Outcome:
        return Outcome(self.reply, self.outcome, self.reason_code, self.reason, dict(self.data))


class ErrorBody(BaseModel):
    detail: str
