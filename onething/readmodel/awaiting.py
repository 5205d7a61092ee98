"""Steps awaiting a department's reply: the rule, and how the read model indexes them.

A step is awaiting a reply while its row says ``dispatched`` and carries ``dispatched_at`` (the
time its current attempt went out, from that attempt's ``step_dispatched`` event) and its case is
open. A timer step is ``dispatched`` too but has no ``dispatched_at``: it waits on a clock, not on
anyone. A closed case waits on no one either, even when a step of it was in flight at the end.

The index is a sorted set of ``case_id|step`` scored by ``dispatched_at_ms``, the same moment in
whole epoch milliseconds, kept in the row beside the ISO time because the projector's Lua script
orders by it and Lua has no date parser. Milliseconds stay exact through Lua's JSON encoder (it
writes 14 significant digits; epoch milliseconds have 13 until 2286), so a row reads the same from
Redis as from the in-memory fake.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = ["awaiting_since", "epoch_ms", "member", "split_member"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def epoch_ms(moment: datetime) -> int:
    """``moment`` in whole milliseconds since 1970, computed exactly (no float on the way)."""
    return (moment - _EPOCH) // _MS


def member(case_id: str, step: str) -> str:
    return f"{case_id}|{step}"


def split_member(value: str) -> tuple[str, str]:
    """``(case_id, step)``; step names are identifiers, so the last ``|`` is the separator."""
    case_id, _, step = value.rpartition("|")
    return case_id, step


def awaiting_since(row: Mapping[str, Any], case_open: bool) -> datetime | None:
    """When the step's current request went to its department, while the case still waits for
    the answer; None when it waits for nothing (not dispatched, a timer, a closed case)."""
    since = row.get("dispatched_at")
    if not case_open or row.get("status") != "dispatched" or not since:
        return None
    return datetime.fromisoformat(str(since))
