"""The circuit breaker's states, stepped with an injected clock."""

from __future__ import annotations

import pytest

from departments.adapter import TransientFault
from departments.http.breaker import BreakerState, CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(clock: Clock) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, cooldown=30.0, clock=clock)


def state(breaker: CircuitBreaker) -> BreakerState:
    # A call, not the property: mypy would otherwise narrow ``breaker.state`` between steps.
    return breaker.state


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.before_call()
        breaker.record_failure()


def test_it_opens_after_the_threshold_of_consecutive_failures(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    assert BreakerState.CLOSED == state(breaker)

    fail(breaker, 1)

    assert BreakerState.OPEN == state(breaker)


def test_a_success_resets_the_count(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.record_success()
    fail(breaker, 2)

    assert BreakerState.CLOSED == state(breaker)


def test_while_open_calls_fail_fast_as_a_transient_fault(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, 3)
    clock.now += 29.0

    with pytest.raises(CircuitOpen, match=r"another 1\.0s") as raised:
        breaker.before_call()

    assert isinstance(raised.value, TransientFault)


def test_after_the_cooldown_one_trial_goes_through_and_success_closes(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, 3)
    clock.now += 30.0
    assert BreakerState.HALF_OPEN == state(breaker)

    breaker.before_call()
    with pytest.raises(CircuitOpen, match="trial call"):
        breaker.before_call()
    breaker.record_success()

    assert BreakerState.CLOSED == state(breaker)


def test_a_failed_trial_opens_it_again_for_a_full_cooldown(
    breaker: CircuitBreaker, clock: Clock
) -> None:
    fail(breaker, 3)
    clock.now += 31.0

    fail(breaker, 1)
    clock.now += 29.0

    assert BreakerState.OPEN == state(breaker)
    clock.now += 1.0
    assert BreakerState.HALF_OPEN == state(breaker)


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)
