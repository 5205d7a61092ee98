"""Disabled persons' federation (残联): disability cards and grades.

After death the card is cancelled (D12) and restored if the death is retracted. The assistance
one-thing asks the grade (H6c): the nursing subsidy needs grade 1–2, or 3–4 for an intellectual
or mental disability.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Literal

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    ReasonText,
    ReplyData,
    catalogue,
)
from contracts.identifiers import ResidentId

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "CancelDisabilityCard",
    "DisabilityCardCancelled",
    "DisabilityCardRestored",
    "DisabilityCategory",
    "DisabilityGradeReported",
    "QueryDisabilityGrade",
    "RestoreDisabilityCard",
]

DEPARTMENT = Department.DISABLED_FEDERATION

DisabilityCategory = Literal[
    "visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"
]


class CancelDisabilityCard(CommandPayload):
    """D12: cancel the deceased's disability card (残疾人证注销)."""

    resident_id: ResidentId
    date_of_death: date


class DisabilityCardCancelled(ReplyData):
    card_no: str


class RestoreDisabilityCard(CommandPayload):
    """Reversal: restore a card cancelled for a death that was retracted."""

    resident_id: ResidentId
    reason: ReasonText


class DisabilityCardRestored(ReplyData):
    card_no: str


class QueryDisabilityGrade(CommandPayload):
    """H6c: the grade and category on the person's valid card."""

    resident_id: ResidentId


class DisabilityGradeReported(ReplyData):
    grade: int
    category: DisabilityCategory


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "no_disability_card": "未持有残疾人证",
    "card_already_cancelled": "残疾人证已注销",
    "card_not_cancelled": "残疾人证未注销，无需恢复",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        CancelDisabilityCard,
        DisabilityCardCancelled,
        refused=("DisabilityCardCancellationRefused",),
        reason_codes=("no_disability_card", "card_already_cancelled"),
        summary="残疾人证注销 cancel the disability card",
    ),
    CommandSpec(
        RestoreDisabilityCard,
        DisabilityCardRestored,
        refused=("DisabilityCardRestorationRefused",),
        reason_codes=("no_disability_card", "card_not_cancelled", "death_still_certified"),
        kind=CommandKind.REVERSE,
        undoes="CancelDisabilityCard",
        summary="恢复残疾人证 restore the card",
    ),
    CommandSpec(
        QueryDisabilityGrade,
        DisabilityGradeReported,
        refused=("DisabilityGradeQueryRefused",),
        reason_codes=("no_disability_card", "card_already_cancelled"),
        kind=CommandKind.QUERY,
        summary="残疾等级查询 query the disability grade",
    ),
)
