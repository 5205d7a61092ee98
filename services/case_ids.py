"""Case ids that are a function of who a case is about, keyed with the deployment's secret.

Two starts of one case must meet (a hospital's certificate and a family's form; a couple's form
sent twice), so a one-thing derives the id from the people the case is about. The id is an
HMAC-SHA-256 of them keyed with ``ONETHING_CASE_ID_KEY``: without the key, knowing a region code
and a birth date does not let anyone try the few thousand possible ID numbers against a case id
seen in a URL or a log.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from onething.settings import Settings

__all__ = ["keyed_case_id"]


@cache
def _deployment_key() -> bytes:
    return Settings().case_id_key.get_secret_value().encode("utf-8")


def keyed_case_id(prefix: str, *parts: str, key: bytes | None = None) -> str:
    """``prefix`` and the first 16 hex digits of the keyed hash of ``parts``.

    A trailing lower-case ``x`` in an ID number is the same number as ``X`` (the ID validators
    normalise it that way), so every part is upper-cased first: a hand-typed ID must not open a
    second case.
    """
    message = "\x1f".join(part.strip().upper() for part in parts).encode("utf-8")
    digest = hmac.new(key or _deployment_key(), message, hashlib.sha256).hexdigest()
    return prefix + digest[:16]
