"""Case ids of marriage and divorce applications: the couple and the day.

A form sent twice (a retry, a double click) must open one case, so the id is a keyed hash of
both resident IDs, in either order, and the day the office received it in China
(``services.case_ids``). The day is in it because a couple may apply again another day — after
a refusal they have since remedied, or to marry again after a divorce — which for the same two
people must be a new case.
"""

from __future__ import annotations

from datetime import datetime

from saga.calendar import china_date
from services.case_ids import keyed_case_id

__all__ = ["DIVORCE_PREFIX", "MARRIAGE_PREFIX", "couple_case_id"]

MARRIAGE_PREFIX, DIVORCE_PREFIX = "MA-", "DV-"


def couple_case_id(
    prefix: str, party_ids: tuple[str, str], received_at: datetime, key: bytes | None = None
) -> str:
    """``prefix`` and the keyed hash of the couple (in any order) and the day of ``received_at``."""
    couple = sorted(rid.strip().upper() for rid in party_ids)
    return keyed_case_id(prefix, *couple, china_date(received_at).isoformat(), key=key)
