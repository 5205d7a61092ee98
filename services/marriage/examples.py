"""Examples of the marriage and divorce applications for the window's OpenAPI document:
synthetic people with valid identifiers (``make_resident_id``) and customary placeholder names."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.identifiers import make_resident_id

__all__ = ["DIVORCE_EXAMPLES", "MARRIAGE_EXAMPLES"]

_GROOM = make_resident_id("321302", date(1996, 4, 18), 13)  # odd sequence: a man
_BRIDE = make_resident_id("321311", date(1998, 9, 2), 24)  # even sequence: a woman

_couple: dict[str, Any] = {
    "party_a": {"resident_id": _GROOM, "name": "李明", "phone": "13912345678"},
    "party_b": {"resident_id": _BRIDE, "name": "王芳", "phone": "13887654321"},
}

MARRIAGE_EXAMPLES: dict[str, Any] = {
    "plain": {
        "summary": "A couple registers their marriage, nothing else asked for",
        "value": _couple | {"declaration_signed": True},
    },
    "every_opt_in": {
        "summary": "With the premarital-check voucher, fertility registration and a hukou move",
        "description": "王芳's hukou moves into 李明's household (投靠); a local rule may refuse"
        " it, which the case reports without touching the marriage.",
        "value": _couple
        | {
            "declaration_signed": True,
            "opt_ins": {
                "premarital_check_voucher": True,
                "fertility_registration": True,
                "hukou_move": "party_b",
            },
        },
    },
}

DIVORCE_EXAMPLES: dict[str, Any] = {
    "by_agreement": {
        "summary": "A couple applies to divorce by agreement (协议离婚)",
        "description": "The 30-day cooling-off starts the next day; both must then come back"
        " within 30 days.",
        "value": _couple
        | {"marriage_certificate_no": "J321302-2024-000123", "agreement_signed": True},
    },
}
