"""The case id of a household's assistance: one file per household (一户一档).

The facts that change a household — a member's death, a marriage, a divorce — name the
household, not a case, so the case must be found from the household alone: the id is a keyed
hash of the household number (``services.case_ids``). A household applies once and its case
stays open while it is assisted (the monthly payment and the reviews recur); a second form
while it is open is refused 409 like any repeated application.
"""

from __future__ import annotations

from services.case_ids import keyed_case_id

__all__ = ["ASSISTANCE_PREFIX", "assistance_case_id"]

ASSISTANCE_PREFIX = "AS-"


def assistance_case_id(household_id: str, key: bytes | None = None) -> str:
    """``AS-`` and the keyed hash of the household number."""
    return keyed_case_id(ASSISTANCE_PREFIX, household_id.strip().upper(), key=key)
