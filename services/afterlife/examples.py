"""Examples of the after-death application for the window's OpenAPI document: synthetic people
with valid identifiers.

Resident IDs come from ``make_resident_id`` (right address code, birth date and check character),
so every example passes validation as it stands; the names are the customary placeholders.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.identifiers import make_resident_id

__all__ = ["APPLICATION_EXAMPLES"]

DECEASED_ID = "11010519491231002X"
_SPOUSE_ID = make_resident_id("321302", date(1952, 8, 3), 26)
_SON_ID = make_resident_id("321302", date(1976, 5, 14), 27)
_AGENT_ID = make_resident_id("321202", date(1985, 10, 9), 31)

_family: dict[str, Any] = {
    "deceased_id": DECEASED_ID,
    "deceased_name": "张三",
    "date_of_death": "2025-11-02",
    "death_certificate_no": DECEASED_ID,
    "applicant": {
        "resident_id": _SON_ID,
        "name": "张四",
        "relation": "child",
        "phone": "13812345678",
    },
    "heir_account": {
        "bank": "中国工商银行宿迁分行",
        "account_no": "6222021234567890123",
        "holder_name": "张四",
    },
    "opt_ins": {
        "funeral_fee_waiver": True,
        "survivor_benefits": True,
        "medical_account_payout": True,
        "housing_fund_withdrawal": True,
    },
}

_agent = _family | {
    "applicant": {
        "resident_id": _AGENT_ID,
        "name": "李四",
        "relation": "agent",
        "phone": "13912345678",
        "on_behalf_of": _SPOUSE_ID,
    },
    "opt_ins": {"housing_fund_withdrawal": False},
}

_no_payouts = {
    key: value for key, value in _family.items() if key not in ("heir_account", "opt_ins")
} | {
    "opt_ins": {
        "survivor_benefits": False,
        "medical_account_payout": False,
        "housing_fund_withdrawal": False,
    }
}

APPLICATION_EXAMPLES: dict[str, Any] = {
    "child": {
        "summary": "A child applies, with every payout to the heirs' account",
        "value": _family,
    },
    "agent": {
        "summary": "An agent (代办人) applies for the spouse",
        "value": _agent,
    },
    "no_payouts": {
        "summary": "No payouts chosen, so no heir account is needed",
        "value": _no_payouts,
    },
}
