"""Case ids that are a function of who the case is about, so two starts of one case meet.

An after-death case can be opened proactively (the hospital certifies the death) or by the family
at a window. Both sides compute the id from the deceased's resident ID, so the family's
application lands in the case the hospital opened instead of starting a second one. The id is an
HMAC-SHA-256 of the ID number keyed with the deployment's secret (``ONETHING_CASE_ID_KEY``):
without the key, knowing the region code and birth date does not let anyone try the few
thousand possible ID numbers against a case id seen in a URL or a log.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from onething.settings import Settings

__all__ = ["afterlife_case_id"]

AFTERLIFE_PREFIX = "AD-"


@cache
def _deployment_key() -> bytes:
    return Settings().case_id_key.get_secret_value().encode("utf-8")


def afterlife_case_id(deceased_id: str, key: bytes | None = None) -> str:
    """``AD-`` and the first 16 hex digits of the keyed hash of the deceased's resident ID.

    A trailing lower-case ``x`` is the same number as ``X`` (the ID validators normalise it that
    way), so it is upper-cased first: a hand-typed ID must not open a second case.
    """
    normalised = deceased_id.strip().upper().encode("utf-8")
    digest = hmac.new(key or _deployment_key(), normalised, hashlib.sha256).hexdigest()
    return AFTERLIFE_PREFIX + digest[:16]
