"""Who hears the after-death notices, and the one notice only this one-thing sends.

The completion notice (办结告知, D13), the refusal notice of a rejected case
(不予受理/不予批准告知书) and the reversal's notice of what was corrected (更正告知) are the
shared builders of ``saga.notices``; this module says who they go to: whoever applied (an agent
and the relative they act for), and for a reversal the person too, alive after all. A proactive
case that is refused also corrects the notice its next of kin got when it opened by itself
(``next_of_kin_correction``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from contracts.departments.platform import CorrectNextOfKinNotice
from saga.definition import Context, Step
from saga.notices import refusal_reasons

__all__ = [
    "NEXT_OF_KIN_STEP",
    "SAGA",
    "next_of_kin_correction",
    "recipients",
    "reversal_reason",
    "reversal_recipients",
]

SAGA = "afterlife"
NEXT_OF_KIN_STEP = "notify_next_of_kin"


def _applicant(ctx: Context) -> dict[str, Any]:
    applicant = ctx.data.get("applicant")
    return applicant if isinstance(applicant, dict) else {}


def recipients(ctx: Context) -> list[str | None]:
    """The applicant and, for an agent, the relative they act for."""
    applicant = _applicant(ctx)
    return [applicant.get("resident_id"), applicant.get("on_behalf_of")]


def reversal_recipients(ctx: Context) -> list[str | None]:
    """The person whose death was retracted, and whoever applied in the original case."""
    return [ctx.data.get("deceased_id"), *recipients(ctx)]


def reversal_reason(ctx: Context) -> str:
    """Why the death was retracted, as health said."""
    return str(ctx.data["reason"])


def next_of_kin_correction(steps: Sequence[Step]) -> Callable[[Context], CorrectNextOfKinNotice]:
    """The correction of the notice the next of kin got when the case opened by itself, with the
    reasons of the refusal under ``steps``' titles."""
    titles = {s.name: s.title for s in steps}

    def build(ctx: Context) -> CorrectNextOfKinNotice:
        return CorrectNextOfKinNotice.model_construct(
            deceased_id=ctx.data["deceased_id"],
            corrected_notice_no=ctx.results[NEXT_OF_KIN_STEP]["notice_no"],
            reasons=refusal_reasons(ctx, titles),
        )

    return build
