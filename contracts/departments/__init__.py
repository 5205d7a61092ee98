"""Department identities and, one module each, the commands they accept and the replies they send.

A department id names a participant: it is part of its command topic's name and of every command
and reply. The set is closed on purpose: adding a department is a contract change.
"""

from enum import StrEnum

__all__ = ["Department"]


class Department(StrEnum):
    """The participants a one-thing talks to."""

    PUBLIC_SECURITY = "public_security"  # 公安: population and hukou registry
    CIVIL_AFFAIRS = "civil_affairs"  # 民政: marriage registry, welfare rolls
    FUNERAL_SERVICES = "funeral_services"  # 殡葬服务: funeral homes, cremation records
    SOCIAL_SECURITY = "social_security"  # 人社: pensions, survivor benefits
    MEDICAL_INSURANCE = "medical_insurance"  # 医保
    HEALTH = "health"  # 卫健: death certificates, fertility, premarital checks
    HOUSING_FUND = "housing_fund"  # 住房公积金
    DISABLED_FEDERATION = "disabled_federation"  # 残联: disability cards
    E_LICENCE = "e_licence"  # 电子证照
    TAX = "tax"  # 税务: taxed income
    REAL_ESTATE = "real_estate"  # 不动产登记: property registry
    MARKET_REGULATION = "market_regulation"  # 市场监管: business registrations
    BANKS = "banks"  # 银行存款查询: the banks' deposit-query platform
    PLATFORM = "platform"  # the platform's own steps: confirmations, notices
