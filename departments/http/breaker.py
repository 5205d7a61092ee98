"""A small circuit breaker: stop calling a department that keeps failing, try again later.

States::

    closed ──(N consecutive failures)──▶ open ──(cool-down passed)──▶ half-open
      ▲                                   ▲                              │
      └──────────(trial call succeeds)────┼──────────────────────────────┤
                                          └─────(trial call fails)───────┘

While open every call fails at once with ``CircuitOpen`` (a ``TransientFault``: later may work).
Half-open lets one trial call through at a time. Time comes from an injected monotonic clock, so
tests step it instead of sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from departments.adapter import TransientFault

__all__ = ["BreakerState", "CircuitBreaker", "CircuitOpen"]


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(TransientFault):
    """The breaker is open: the call was not made."""


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = 5,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or cooldown < 0:
            raise ValueError("failure_threshold must be >= 1 and cooldown >= 0")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self.clock = clock
        self.failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self._opened_at < self.cooldown:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def before_call(self) -> None:
        """Raise ``CircuitOpen`` unless a call may go ahead now."""
        state = self.state
        if state is BreakerState.OPEN:
            assert self._opened_at is not None  # open implies a time it opened
            wait = self.cooldown - (self.clock() - self._opened_at)
            raise CircuitOpen(f"circuit open: not calling for another {wait:.1f}s")
        if state is BreakerState.HALF_OPEN:
            if self._trial_in_flight:
                raise CircuitOpen("circuit half-open: a trial call is already in flight")
            self._trial_in_flight = True

    def record_success(self) -> None:
        self.failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> None:
        trial_failed = self.state is BreakerState.HALF_OPEN
        self._trial_in_flight = False
        self.failures += 1
        if trial_failed or self.failures >= self.failure_threshold:
            self._opened_at = self.clock()
