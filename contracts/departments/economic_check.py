"""The household economic check (居民家庭经济状况核对, H2): its eight sources and their commands.

Not a department: the economic-check centre's fan-out is the assistance saga's own, one read-only
step per source, each with its own timeout and retries, so a slow or silent source is a visible
gap in the case rather than one aggregated answer that hides it. Each source is a command of the
department that keeps those records, every one a ``HouseholdCheck`` (the members and the signed
consent, refused ``consent_missing`` or ``person_not_found``) answering counts and amounts only.
``EconomicSource`` names the steps; ``SOURCE_COMMANDS`` gives each step's payload model, from
which ``catalogue.command_of`` finds its department and replies.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, get_args

from contracts.departments.banks import CheckBankDeposits
from contracts.departments.housing_fund import CheckHousingFundBalance
from contracts.departments.market_regulation import CheckBusinessRegistrations
from contracts.departments.medical_insurance import CheckMedicalSpending
from contracts.departments.public_security import CheckHouseholdRegistration
from contracts.departments.real_estate import CheckRealEstate
from contracts.departments.social_security import CheckEmploymentAndPension
from contracts.departments.spec import HouseholdCheck
from contracts.departments.tax import CheckTaxedIncome

__all__ = ["ALL_SOURCES", "SOURCE_COMMANDS", "EconomicSource"]

EconomicSource = Literal[
    "hukou_vehicles",  # 公安: hukou households and motor vehicles
    "employment_pension",  # 人社: employment, pensions, unemployment benefit
    "medical_spending",  # 医保: self-paid medical spending
    "tax",  # 税务: wages and business income as taxed
    "real_estate",  # 不动产登记: homes
    "business_registration",  # 市场监管: businesses
    "housing_fund",  # 住房公积金: balances and deposits
    "bank_deposits",  # 银行: deposits
]
ALL_SOURCES: tuple[EconomicSource, ...] = get_args(EconomicSource)

SOURCE_COMMANDS: Mapping[EconomicSource, type[HouseholdCheck]] = MappingProxyType(
    {
        "hukou_vehicles": CheckHouseholdRegistration,
        "employment_pension": CheckEmploymentAndPension,
        "medical_spending": CheckMedicalSpending,
        "tax": CheckTaxedIncome,
        "real_estate": CheckRealEstate,
        "business_registration": CheckBusinessRegistrations,
        "housing_fund": CheckHousingFundBalance,
        "bank_deposits": CheckBankDeposits,
    }
)
