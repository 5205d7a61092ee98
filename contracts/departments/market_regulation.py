"""Market regulation (市场监管): the household's businesses, for the economic check (H2).

One read-only query under the household's signed consent: how many market entities
(companies, individual businesses 个体工商户) the members have registered.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    HOUSEHOLD_CHECK_REASONS,
    CommandKind,
    CommandSpec,
    HouseholdCheck,
    ReplyData,
    catalogue,
)

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "CheckBusinessRegistrations",
    "BusinessRegistrationsChecked",
]

DEPARTMENT = Department.MARKET_REGULATION


class CheckBusinessRegistrations(HouseholdCheck):
    """H2: the businesses registered to the members."""


class BusinessRegistrationsChecked(ReplyData):
    businesses: int


REASONS: Mapping[str, str] = COMMON_REASONS

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        CheckBusinessRegistrations,
        BusinessRegistrationsChecked,
        refused=("BusinessRegistrationsCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="市场主体登记核对 H2 businesses registered to the members",
    ),
)
