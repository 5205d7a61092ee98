"""Pure offset bookkeeping for the at-least-once consumer: which offset is safe to commit, and
when a partition with work left has stopped moving.

Kept apart from the Faust consumer so the rules can be tested without a broker.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

__all__ = ["Progress", "StallWatch", "contiguous_end"]


def contiguous_end(base: int, acked: Collection[int]) -> int:
    """The offset to commit: one past the run of acked offsets that starts exactly at ``base``.

    ``base`` is the partition's commit point (the next offset not yet known to be processed).
    Anything not acked at ``base`` holds the commit where it is, however many later offsets were
    acked: committing past it would lose it if the worker died before it is processed.
    """
    end = base
    while end in acked:
        end += 1
    return end


@dataclass(frozen=True)
class Progress:
    """One look at a partition: its commit point, whether it is paused, whether the record at
    the commit point is being processed, and where the log ends (which may grow while the
    partition is stuck, so it does not count as movement)."""

    commit_point: int | None
    paused: bool
    in_flight: bool
    log_end: int = field(compare=False)

    def has_work_left(self) -> bool:
        if self.commit_point is None:
            return self.log_end > 0
        return self.commit_point < self.log_end


class StallWatch:
    """Tells a partition that is stuck from one that is merely busy.

    A partition is stuck when it has records left, the record at its commit point is not being
    processed, and its commit point has not moved for ``looks`` consecutive looks: that record
    was dropped, or the partition was left paused (the caller only looks outside rebalances and
    table recovery). A partition that is merely slow has its next record in flight.
    """

    def __init__(self, looks: int = 3) -> None:
        self.looks = looks
        self._seen: dict[object, tuple[Progress, int]] = {}

    def stuck(self, key: object, now: Progress) -> bool:
        if now.in_flight or not now.has_work_left():
            self._seen.pop(key, None)
            return False
        before, count = self._seen.get(key, (None, 0))
        count = count + 1 if before == now else 1
        if count >= self.looks:
            self._seen.pop(key, None)
            return True
        self._seen[key] = (now, count)
        return False

    def forget(self, keep: Collection[object]) -> None:
        for key in [k for k in self._seen if k not in keep]:
            del self._seen[key]
