"""Real-estate registration (不动产登记): the household's homes, for the economic check (H2).

One read-only query under the household's signed consent: how many homes are registered to
the members. A count, no addresses: the assessment's asset rules count homes.
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

__all__ = ["COMMANDS", "DEPARTMENT", "REASONS", "CheckRealEstate", "RealEstateChecked"]

DEPARTMENT = Department.REAL_ESTATE


class CheckRealEstate(HouseholdCheck):
    """H2: the homes registered to the members."""


class RealEstateChecked(ReplyData):
    homes: int


REASONS: Mapping[str, str] = COMMON_REASONS

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        CheckRealEstate,
        RealEstateChecked,
        refused=("RealEstateCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="不动产登记核对 H2 homes registered to the members",
    ),
)
