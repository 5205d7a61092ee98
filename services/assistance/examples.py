"""Examples of the assistance application for the window's OpenAPI document: a synthetic
household with valid identifiers (``make_resident_id``) and customary placeholder names."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.identifiers import make_resident_id

__all__ = ["ASSISTANCE_EXAMPLES"]

_HEAD = make_resident_id("321302", date(1968, 3, 9), 15)
_SPOUSE = make_resident_id("321302", date(1970, 11, 23), 26)
_SON = make_resident_id("321302", date(2009, 6, 1), 37)

_household: dict[str, Any] = {
    "household_id": "321302000123",
    "residence": "urban",
    "members": [
        {"resident_id": _HEAD, "name": "张建国", "relation": "self"},
        {"resident_id": _SPOUSE, "name": "李秀英", "relation": "spouse"},
        {"resident_id": _SON, "name": "张小明", "relation": "child"},
    ],
    "phone": "13912345678",
    "consent_signed": True,
    "payee_account": {
        "bank": "江苏宿迁农村商业银行",
        "account_no": "6228480012345678901",
        "holder_name": "张建国",
    },
}

ASSISTANCE_EXAMPLES: dict[str, Any] = {
    "household": {
        "summary": "A household applies; every programme is assessed",
        "value": _household,
    },
    "urgent": {
        "summary": "An urgent case: temporary aid is paid first (先行救助)",
        "description": "The proof of the hardship follows within 10 working days.",
        "value": _household
        | {
            "urgent": True,
            "hardship": {
                "kind": "medical",
                "amount_fen": 800_000,
                "description": "户主突发重病住院，自付医疗费用约八千元",
            },
        },
    },
}
