"""The timer wheel fires what is due, once, and forgets what a case no longer holds."""

from datetime import UTC, datetime, timedelta

from contracts.saga import TimerKind
from saga.state import Timer
from saga.timers import TimerWheel

T0 = datetime(2025, 1, 6, tzinfo=UTC)


def timer(timer_id: str, seconds: int) -> Timer:
    return Timer(timer_id=timer_id, kind=TimerKind.RETRY, due_at=T0 + timedelta(seconds=seconds))


def test_due_timers_fire_earliest_first_and_only_once() -> None:
    wheel = TimerWheel()
    wheel.sync("a", [timer("late", 5), timer("early", 1)])
    wheel.sync("b", [timer("x", 3)])
    fired = wheel.due(T0 + timedelta(seconds=4))
    assert [(c, t.timer_id) for c, t in fired] == [("a", "early"), ("b", "x")]
    assert wheel.due(T0 + timedelta(seconds=4)) == []
    assert len(wheel) == 1


def test_a_timer_the_case_dropped_does_not_fire() -> None:
    wheel = TimerWheel()
    wheel.sync("a", [timer("t", 1)])
    wheel.sync("a", [])
    assert wheel.due(T0 + timedelta(seconds=10)) == []


def test_a_moved_timer_fires_at_its_new_time() -> None:
    wheel = TimerWheel()
    wheel.sync("a", [timer("t", 1)])
    wheel.sync("a", [timer("t", 8)])
    assert wheel.due(T0 + timedelta(seconds=5)) == []
    assert [t.timer_id for _, t in wheel.due(T0 + timedelta(seconds=8))] == ["t"]
