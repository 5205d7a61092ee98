"""Case ids that are a function of who the case is about, so two starts of one case meet.

An after-death case can be opened proactively (the hospital certifies the death) or by the family
at a window. Both sides compute the id from the deceased's resident ID, so the family's
application lands in the case the hospital opened instead of starting a second one. The id is a
truncated SHA-256, not the ID number itself, so it can appear in URLs and logs.
"""

from __future__ import annotations

import hashlib

__all__ = ["afterlife_case_id"]

AFTERLIFE_PREFIX = "AD-"


def afterlife_case_id(deceased_id: str) -> str:
    """``AD-`` and the first 16 hex digits of SHA-256 of the deceased's resident ID.

    A trailing lower-case ``x`` is the same number as ``X`` (the ID validators normalise it that
    way), so it is upper-cased first: a hand-typed ID must not open a second case.
    """
    normalised = deceased_id.strip().upper()
    return AFTERLIFE_PREFIX + hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]
