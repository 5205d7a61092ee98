"""The household economic-check centre (居民家庭经济状况核对中心) and its data sources (H2).

One command, one answer per source. The centre is the aggregator in life: it fans the query out
to tax, employment and pensions, banks, the housing fund, real estate, vehicles and market
regulation under the household's signed consent, and reports each source's answer beside the
totals. A source that did not answer in time is reported ``answered=False`` and the result is
``complete=False``; the saga (or a clerk) decides whether that is good enough, rather than the
whole check failing because one registry is slow. Sending one command per source was the
alternative; it would have moved the aggregation rules into every saga that needs a check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, get_args

from pydantic import Field

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    Fen,
    ReplyData,
    catalogue,
)
from contracts.identifiers import ResidentId

__all__ = [
    "ALL_SOURCES",
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "CheckHouseholdEconomy",
    "EconomicSource",
    "HouseholdEconomyChecked",
    "SourceAnswer",
]

DEPARTMENT = Department.ECONOMIC_CHECK

EconomicSource = Literal[
    "tax",  # 税务: wages and other taxed income
    "employment",  # 人社: employment status and pensions
    "banks",  # 银行: deposits
    "housing_fund",  # 住房公积金: balances
    "real_estate",  # 不动产登记: properties
    "vehicles",  # 车辆管理: vehicles
    "market_regulation",  # 市场监管: business registrations
]
ALL_SOURCES: tuple[EconomicSource, ...] = get_args(EconomicSource)


class CheckHouseholdEconomy(CommandPayload):
    """H2: check the declared household's income and assets with every source asked."""

    member_ids: Annotated[list[ResidentId], Field(min_length=1, max_length=12)]
    consent_signed: bool
    sources: Annotated[list[EconomicSource], Field(min_length=1)] = list(ALL_SOURCES)


class SourceAnswer(ReplyData):
    """One source's answer: income per month, assets, or a count (properties, vehicles ...)."""

    answered: bool
    monthly_income_fen: Fen = 0
    assets_fen: Fen = 0
    count: int = 0


class HouseholdEconomyChecked(ReplyData):
    members: int
    complete: bool
    monthly_income_fen: Fen
    per_capita_income_fen: Fen
    assets_fen: Fen
    sources: dict[EconomicSource, SourceAnswer]


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "consent_missing": "未签署家庭经济状况核对授权书",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        CheckHouseholdEconomy,
        HouseholdEconomyChecked,
        refused=("HouseholdEconomyCheckRefused",),
        reason_codes=("consent_missing", "person_not_found"),
        kind=CommandKind.QUERY,
        summary="家庭经济状况核对 household income and asset check",
    ),
)
