"""Request examples for the case routes of the OpenAPI document, the same for every one-thing
(each one-thing's application examples are its own, in its registry entry)."""

from __future__ import annotations

from typing import Any

__all__ = ["OBJECTION_EXAMPLES", "SUPPLEMENT_EXAMPLES", "WITHDRAWAL_EXAMPLES"]

SUPPLEMENT_EXAMPLES: dict[str, Any] = {
    "date_of_death": {
        "summary": "补正: the date of death the health record disagreed with, corrected",
        "value": {"data": {"date_of_death": "2025-11-01"}, "note": "按死亡医学证明更正"},
    },
    "relation": {
        "summary": "补正: the applicant's relation to the deceased, corrected",
        "value": {"data": {"applicant": {"relation": "child"}}, "note": "关系填写有误"},
    },
}

WITHDRAWAL_EXAMPLES: dict[str, Any] = {
    "family": {
        "summary": "The family withdraws before the death is confirmed",
        "value": {"reason": "家属决定暂缓办理"},
    }
}

OBJECTION_EXAMPLES: dict[str, Any] = {
    "undeclared_income": {
        "summary": "A neighbour reports income the household did not declare",
        "value": {"clerk_id": "SQ-0231", "reason": "群众反映该户有成员在外务工收入未申报"},
    }
}
