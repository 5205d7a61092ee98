"""The after-death notices: the completion notice (办结告知, D13), the refusal notice of a
rejected case (不予受理/不予批准告知书) with the correction of the next of kin's notice, and the
notice of what a reversal corrected (更正告知).

The completion notice has one line per branch and goes to whoever applied.

The notice is built when every branch it waits for has settled, from what the builder can see:
the results of the steps that succeeded, the steps skipped and the case data. A branch with a
result is ``done``; one the family did not ask for, or with nothing to do (no pension to stop),
is ``skipped``; a branch the notice does not wait for (the housing fund, which may take weeks) and
that has no result yet is ``pending``. Any other branch ended without a result: its department
refused, or what it needed was refused, so the line says ``refused`` and the case record keeps
the department's reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from contracts.departments.catalogue import reason_text
from saga.definition import Context, Refusal, Step

__all__ = [
    "NEXT_OF_KIN_STEP",
    "completion_notice",
    "corrected_anything",
    "correction_notice",
    "next_of_kin_correction",
    "recipients",
    "refusal_notice",
    "refusal_reasons",
]

SAGA = "afterlife"
NEXT_OF_KIN_STEP = "notify_next_of_kin"
_MAX_RECIPIENTS = 5  # the notices' recipient_ids max_length
_REASON_LIMIT = 500  # ReasonText's max_length


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


# --- a rejected case: the refusal notice and the correction of the next-of-kin notice -----------

_CJK = re.compile(r"[\u4e00-\u9fff]")
# A refusal with no Chinese text of its own (a code no catalogue knows) still gets a reason the
# applicant can read; the case record keeps the code.
_NO_TEXT = "不符合办理条件"
# Refusing the application itself is 不予受理; refusing after it was accepted is 不予批准.
_ACCEPT_STEP = "accept"


def _reason_text(refusal: Refusal) -> str:
    if refusal.reason and _CJK.search(refusal.reason):
        return refusal.reason
    try:
        text = reason_text(refusal.department, refusal.reason_code)
    except (KeyError, ValueError):  # not a department of the catalogue (a clerk's decision)
        text = ""
    return text if _CJK.search(text) else _NO_TEXT


def refusal_reasons(ctx: Context, titles: Mapping[str, str]) -> list[dict[str, str]]:
    """One written reason per refused step, in Chinese, named by the step's title."""
    return [
        {"item": titles.get(r.step) or r.step, "reason": _reason_text(r)[:_REASON_LIMIT]}
        for r in ctx.refusals
    ] or [{"item": "办件", "reason": _NO_TEXT}]


def refusal_notice(steps: Sequence[Step]) -> Callable[[Context], dict[str, Any]]:
    """The refusal notice's builder: to whoever applied, with the refusing steps' reasons."""
    titles = {s.name: s.title for s in steps}

    def build(ctx: Context) -> dict[str, Any]:
        refused = {r.step for r in ctx.refusals}
        return {
            "recipient_ids": recipients(ctx),
            "saga": SAGA,
            "decision": "not_accepted" if _ACCEPT_STEP in refused else "not_approved",
            "reasons": refusal_reasons(ctx, titles),
        }

    return build


def next_of_kin_correction(steps: Sequence[Step]) -> Callable[[Context], dict[str, Any]]:
    """The correction of the notice the next of kin got when the case opened by itself."""
    titles = {s.name: s.title for s in steps}

    def build(ctx: Context) -> dict[str, Any]:
        return {
            "deceased_id": ctx.data["deceased_id"],
            "corrected_notice_no": ctx.results[NEXT_OF_KIN_STEP]["notice_no"],
            "reasons": refusal_reasons(ctx, titles),
        }

    return build


# --- a reversal: what was corrected -------------------------------------------------------------


def correction_notice(rows: Sequence[Step]) -> Callable[[Context], dict[str, Any]]:
    """The reversal's notice to the person (alive after all) and whoever applied: one line per
    correction that was needed, done or not; rows with nothing to correct are left out."""

    def build(ctx: Context) -> dict[str, Any]:
        applicant = ctx.data.get("applicant") or {}
        ids = [ctx.data["deceased_id"], applicant.get("resident_id"), applicant.get("on_behalf_of")]
        items = [
            {
                "item": row.title or row.name,
                "status": "done" if row.name in ctx.results else "refused",
            }
            for row in rows
            if row.name not in ctx.skipped
        ]
        return {
            "recipient_ids": list(dict.fromkeys(i for i in ids if i))[:_MAX_RECIPIENTS],
            "saga": SAGA,
            "original_case_id": ctx.data["original_case_id"],
            "reason": str(ctx.data["reason"])[:_REASON_LIMIT],
            "items": items,
        }

    return build


def corrected_anything(rows: Sequence[Step]) -> Callable[[Context], bool]:
    """Whether any correction was needed (the notice has something to say)."""
    names = [row.name for row in rows]

    def needed(ctx: Context) -> bool:
        return any(name not in ctx.skipped for name in names)

    return needed
