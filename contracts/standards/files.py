"""What a standards file holds (``data/<division>.toml``), validated as it is read.

One file per division that publishes figures of its own, and ``000000.toml`` for the national
rules that apply wherever a division gives none. Each kind of figure is a list of dated entries,
so a division revising its dibao standard adds an entry with the new ``effective_from`` and
keeps the old one: a case assessed on an earlier day still finds the figure in force then.
Every entry names its ``source`` (the plan or regulation, or ``ASSUMPTION`` and why).

Amounts are written in yuan as the plans state them — a number, or ``{ yuan = 5400, per =
"year" }`` for a yearly figure — and read into fen exactly (``Money.monthly_fen``).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "AssetsEntry",
    "CareTiersEntry",
    "DatedEntry",
    "DeadlineEntry",
    "DeadlineName",
    "DibaoEntry",
    "DivisionFile",
    "LowIncomeEntry",
    "Money",
    "RigidSpendingEntry",
    "SpendingKind",
    "TekunEntry",
    "TemporaryAidEntry",
    "TwoSubsidiesEntry",
]

NATIONAL = "000000"
DeadlineName = Literal[
    "decision",  # the whole dibao process, from acceptance
    "decision_longest",  # the longest it may take in special circumstances
    "public_notice",  # 公示
    "emergency_proof",  # the proof after emergency aid was paid first (三先三后)
    "refusal_notice",  # a refusal's written notice after the decision
]
SpendingKind = Literal["medical", "education"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Money(_Strict):
    """An amount in yuan (at most two decimals) per month or per year."""

    yuan: Annotated[Decimal, Field(ge=0, decimal_places=2)]
    per: Literal["month", "year"] = "month"

    @model_validator(mode="before")
    @classmethod
    def _plain_number(cls, value: Any) -> Any:
        # A bare number is a monthly amount: the common case reads as the plans write it.
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            return {"yuan": str(value)}
        return value

    def monthly_fen(self) -> int:
        """The amount a month in fen; a yearly figure is divided by 12, rounded half up."""
        fen = self.yuan * 100
        if self.per == "year":
            fen = fen / 12
        return int(fen.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class DatedEntry(_Strict):
    """An entry in force from ``effective_from``, with its source."""

    effective_from: date
    source: Annotated[str, Field(min_length=1)]


class DibaoEntry(DatedEntry):
    """低保 standard: the monthly amount per person, urban and rural."""

    urban: Money
    rural: Money


class TekunEntry(DatedEntry):
    """特困 basic living standard: a multiple of the dibao standard, or the division's own
    amounts (dispersed, and optionally centralised support, 集中供养)."""

    times_dibao: Annotated[Decimal, Field(ge=1, le=5)] | None = None
    urban: Money | None = None
    rural: Money | None = None
    urban_centralised: Money | None = None
    rural_centralised: Money | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> TekunEntry:
        amounts = self.urban is not None and self.rural is not None
        if (self.times_dibao is not None) != amounts:
            return self
        raise ValueError("give either times_dibao or both urban and rural amounts, not both")


class LowIncomeEntry(DatedEntry):
    """低保边缘 line: household per-capita income below this multiple of the dibao standard."""

    times_dibao: Annotated[Decimal, Field(gt=1, le=3)]


class RigidSpendingEntry(DatedEntry):
    """刚性支出: which spending is deducted from income, and for which assessment."""

    kinds: Annotated[list[SpendingKind], Field(min_length=1)]
    deducted_for_dibao: bool
    deducted_for_low_income: bool


class TwoSubsidiesEntry(DatedEntry):
    """残疾人两项补贴: the living subsidy a month, and the nursing subsidy by disability grade."""

    living: Money
    nursing_by_grade: dict[Annotated[int, Field(ge=1, le=4)], Money]


class CareTiersEntry(DatedEntry):
    """特困 care standard (照料护理) by self-care ability, as shares of the minimum wage."""

    minimum_wage: Money
    unable_percent: Annotated[int, Field(ge=0, le=100)]
    partly_percent: Annotated[int, Field(ge=0, le=100)]
    able_percent: Annotated[int, Field(ge=0, le=100)]


class TemporaryAidEntry(DatedEntry):
    """临时救助 caps: emergency aid a person, and what a township may approve on its own."""

    emergency_cap_per_person: Money
    township_cap_times_urban_dibao: Annotated[int, Field(ge=1, le=24)]


class AssetsEntry(DatedEntry):
    """The asset limits of a dibao or low-income household: financial assets a member, as
    months of the dibao standard, and how many homes, vehicles and businesses it may hold."""

    financial_months_of_dibao: Annotated[int, Field(ge=1, le=120)]
    homes: Annotated[int, Field(ge=0, le=5)]
    vehicles: Annotated[int, Field(ge=0, le=5)]
    businesses: Annotated[int, Field(ge=0, le=5)]


class DeadlineEntry(DatedEntry):
    """A statutory period of the assistance process, as the saga's deadlines count it."""

    name: DeadlineName
    value: Annotated[int, Field(ge=1, le=366)]
    unit: Literal["calendar_day", "working_day", "month"]


class DivisionFile(_Strict):
    """One division's file: its code, its name and its dated entries of each kind."""

    division: Annotated[str, Field(pattern=r"^\d{6}$")]
    name: Annotated[str, Field(min_length=1)]
    dibao: list[DibaoEntry] = []
    tekun: list[TekunEntry] = []
    low_income: list[LowIncomeEntry] = []
    rigid_spending: list[RigidSpendingEntry] = []
    two_subsidies: list[TwoSubsidiesEntry] = []
    care_tiers: list[CareTiersEntry] = []
    temporary_aid: list[TemporaryAidEntry] = []
    assets: list[AssetsEntry] = []
    deadline: list[DeadlineEntry] = []

    @field_validator(
        "dibao",
        "tekun",
        "low_income",
        "rigid_spending",
        "two_subsidies",
        "care_tiers",
        "temporary_aid",
        "assets",
    )
    @classmethod
    def _one_entry_a_day(cls, entries: list[DatedEntry]) -> list[DatedEntry]:
        days = [entry.effective_from for entry in entries]
        if len(set(days)) != len(days):
            raise ValueError("two entries take effect on the same day")
        return entries

    @field_validator("deadline")
    @classmethod
    def _one_deadline_a_day(cls, entries: list[DeadlineEntry]) -> list[DeadlineEntry]:
        keys = [(entry.name, entry.effective_from) for entry in entries]
        if len(set(keys)) != len(keys):
            raise ValueError("two entries for the same deadline take effect on the same day")
        return entries
