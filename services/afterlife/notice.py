"""The completion notice (办结告知, D13): one line per branch, sent to whoever applied.

The notice is built when every branch it waits for has settled, from what the builder can see:
the results of the steps that succeeded, the steps skipped and the case data. A branch with a
result is ``done``; one the family did not ask for, or with nothing to do (no pension to stop),
is ``skipped``; a branch the notice does not wait for (the housing fund, which may take weeks) and
that has no result yet is ``pending``. Any other branch ended without a result: its department
refused, or what it needed was refused, so the line says ``refused`` and the case record keeps
the department's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from saga.definition import Context, Step

__all__ = ["completion_notice", "recipients"]

SAGA = "afterlife"
_MAX_RECIPIENTS = 5  # SendCompletionNotice.recipient_ids max_length


def recipients(ctx: Context) -> list[str]:
    """The applicant and, for an agent, the relative they act for."""
    applicant: dict[str, Any] = ctx.data["applicant"]
    ids = [applicant["resident_id"], applicant.get("on_behalf_of")]
    return list(dict.fromkeys(i for i in ids if i))[:_MAX_RECIPIENTS]


def _line(step: Step, ctx: Context, awaited: Collection[str]) -> dict[str, Any]:
    item = step.title or step.name
    if step.name in ctx.results:
        return {"item": item, "status": "done"}
    if step.name in ctx.skipped or (step.when is not None and not step.when(ctx)):
        return {"item": item, "status": "skipped"}
    if step.name not in awaited:
        return {"item": item, "status": "pending"}
    return {"item": item, "status": "refused"}


def completion_notice(
    reported: Sequence[Step], awaited: Collection[str]
) -> Callable[[Context], dict[str, Any]]:
    """A builder listing ``reported`` branches; ``awaited`` are those the notice waits for."""

    def build(ctx: Context) -> dict[str, Any]:
        return {
            "recipient_ids": recipients(ctx),
            "saga": SAGA,
            "items": [_line(step, ctx, awaited) for step in reported],
        }

    return build
