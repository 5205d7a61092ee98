"""Case ids that are a function of who the case is about, so two starts of one case meet.

An after-death case can be opened proactively (the hospital certifies the death) or by the family
at a window. Both sides compute the id from the deceased's resident ID, so the family's
application lands in the case the hospital opened instead of starting a second one. The id is a
keyed hash of the ID number (``services.case_ids``).
"""

from __future__ import annotations

from services.case_ids import keyed_case_id

__all__ = ["afterlife_case_id"]

AFTERLIFE_PREFIX = "AD-"


def afterlife_case_id(deceased_id: str, key: bytes | None = None) -> str:
    """``AD-`` and the first 16 hex digits of the keyed hash of the deceased's resident ID."""
    return keyed_case_id(AFTERLIFE_PREFIX, deceased_id, key=key)
