"""The notices every one-thing sends, as builders of the platform's notice commands: the
completion notice (办结告知), the refusal notice of a rejected case (不予受理/不予批准告知书) and
the notice of what a reversal corrected (更正告知). A one-thing says who hears them
(``Recipients``, read from its own case data); the lines come from the table itself.

The completion notice is built once every branch it waits for (``awaited``) has settled, from
what a builder can see: a branch with a result is ``done``; one not asked for, or with nothing to
do (``skipped``), is ``skipped``; a branch the notice does not wait for (a payout that may take
weeks) and that has no result yet is ``pending``. Any other branch ended without a result: its
department refused, or what it needed was refused, so the line says ``refused`` and the case
record keeps the department's reason.

A refusal notice gives one written reason per refused step, in Chinese: the department's own
words if they are Chinese, else its catalogue's text for the code, else a plain 不符合办理条件.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from contracts.departments.catalogue import reason_text
from contracts.departments.platform import (
    NoticeItem,
    RefusalReason,
    SendCompletionNotice,
    SendCorrectionNotice,
    SendRefusalNotice,
)
from saga.definition import ORIGINAL_CASE_ID, Context, Predicate, Refusal, Step

__all__ = [
    "Recipients",
    "completion_notice",
    "corrected_anything",
    "correction_notice",
    "recipient_ids",
    "refusal_notice",
    "refusal_reasons",
]

# Who hears a notice: resident ids (sealed, as the case data holds them); blanks are dropped.
Recipients = Callable[[Context], Iterable[str | None]]

MAX_RECIPIENTS = 5  # the notices' recipient_ids max_length
REASON_LIMIT = 500  # ReasonText's max_length
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A refusal with no Chinese text of its own (a code no catalogue knows) still gets a reason the
# applicant can read; the case record keeps the code.
_NO_TEXT = "不符合办理条件"


def recipient_ids(ids: Iterable[str | None]) -> list[str]:
    """Each recipient once, in order, as many as a notice takes."""
    return list(dict.fromkeys(i for i in ids if i))[:MAX_RECIPIENTS]


# --- the completion notice ------------------------------------------------------------------------


def _line(step: Step, ctx: Context, awaited: Collection[str]) -> NoticeItem:
    item = step.title or step.name
    if step.name in ctx.results:
        return NoticeItem.model_construct(item=item, status="done")
    if step.name in ctx.skipped or (step.when is not None and not step.when(ctx)):
        return NoticeItem.model_construct(item=item, status="skipped")
    if step.name not in awaited:
        return NoticeItem.model_construct(item=item, status="pending")
    return NoticeItem.model_construct(item=item, status="refused")


def completion_notice(
    saga: str, reported: Sequence[Step], awaited: Collection[str], recipients: Recipients
) -> Callable[[Context], SendCompletionNotice]:
    """A builder with one line per ``reported`` branch; ``awaited`` are those the notice's row
    waits for (it depends on them with ``Join.SETTLED``)."""

    def build(ctx: Context) -> SendCompletionNotice:
        return SendCompletionNotice.model_construct(
            recipient_ids=recipient_ids(recipients(ctx)),
            saga=saga,
            items=[_line(step, ctx, awaited) for step in reported],
        )

    return build


# --- the refusal notice ---------------------------------------------------------------------------


def _reason_text(refusal: Refusal) -> str:
    if refusal.reason and _CJK.search(refusal.reason):
        return refusal.reason
    try:
        text = reason_text(refusal.department, refusal.reason_code)
    except (KeyError, ValueError):  # not a department of the catalogue (a clerk's decision)
        text = ""
    return text if _CJK.search(text) else _NO_TEXT


def refusal_reasons(ctx: Context, titles: Mapping[str, str]) -> list[RefusalReason]:
    """One written reason per refused step (``Context.refusals``), named by the step's title."""
    reasons = [
        RefusalReason.model_construct(
            item=titles.get(r.step) or r.step, reason=_reason_text(r)[:REASON_LIMIT]
        )
        for r in ctx.refusals
    ]
    return reasons or [RefusalReason.model_construct(item="办件", reason=_NO_TEXT)]


def refusal_notice(
    saga: str, steps: Sequence[Step], recipients: Recipients, intake: str
) -> Callable[[Context], SendRefusalNotice]:
    """The refusal notice's builder, for an ``on_rejected`` row: the refusing ``steps``' reasons
    under their titles. A refusal of ``intake`` (the step that accepts the application) refuses
    the application itself (不予受理, ``not_accepted``); any other refuses it once accepted
    (不予批准, ``not_approved``)."""
    titles = {s.name: s.title for s in steps}

    def build(ctx: Context) -> SendRefusalNotice:
        refused = {r.step for r in ctx.refusals}
        return SendRefusalNotice.model_construct(
            recipient_ids=recipient_ids(recipients(ctx)),
            saga=saga,
            decision="not_accepted" if intake in refused else "not_approved",
            reasons=refusal_reasons(ctx, titles),
        )

    return build


# --- a reversal: what was corrected ---------------------------------------------------------------


def correction_notice(
    saga: str, rows: Sequence[Step], recipients: Recipients, reason: Callable[[Context], str]
) -> Callable[[Context], SendCorrectionNotice]:
    """The builder of a reversal's notice: one line per correction that was needed, done or not
    (rows skipped, with nothing to correct, are left out), with the reason of the reversal."""

    def build(ctx: Context) -> SendCorrectionNotice:
        items = [
            NoticeItem.model_construct(
                item=row.title or row.name,
                status="done" if row.name in ctx.results else "refused",
            )
            for row in rows
            if row.name not in ctx.skipped
        ]
        return SendCorrectionNotice.model_construct(
            recipient_ids=recipient_ids(recipients(ctx)),
            saga=saga,
            original_case_id=str(ctx.data[ORIGINAL_CASE_ID]),
            reason=reason(ctx)[:REASON_LIMIT],
            items=items,
        )

    return build


def corrected_anything(rows: Sequence[Step]) -> Predicate:
    """Whether any of ``rows`` had something to correct (the notice has something to say)."""
    names = [row.name for row in rows]

    def needed(ctx: Context) -> bool:
        return any(name not in ctx.skipped for name in names)

    return needed
