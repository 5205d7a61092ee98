"""The consumer's offset rules: commit only a run of processed records that starts at the commit
point, and tell a stuck partition from a busy one."""

from __future__ import annotations

from onething.consumer_offsets import Progress, StallWatch, contiguous_end


def test_the_commit_moves_over_a_run_that_starts_at_the_base() -> None:
    assert contiguous_end(10, {10, 11, 12, 14}) == 13


def test_an_unprocessed_record_at_the_base_holds_the_commit() -> None:
    # Later records finished first (a participant works on several at once): nothing to commit.
    assert contiguous_end(0, {1, 2, 3}) == 0
    assert contiguous_end(31, {32, 33}) == 31


def test_acks_below_the_base_do_not_move_it() -> None:
    assert contiguous_end(5, {1, 2, 3}) == 5


def look(point: int | None, *, end: int = 10, paused: bool = False, busy: bool = False) -> Progress:
    return Progress(commit_point=point, paused=paused, in_flight=busy, log_end=end)


def test_a_partition_that_does_not_move_for_three_looks_is_stuck() -> None:
    watch = StallWatch(looks=3)
    assert [watch.stuck("tp", look(4)) for _ in range(3)] == [False, False, True]


def test_movement_starts_the_count_again() -> None:
    watch = StallWatch(looks=3)
    assert not watch.stuck("tp", look(4))
    assert not watch.stuck("tp", look(4))
    assert not watch.stuck("tp", look(5))
    assert not watch.stuck("tp", look(5))
    assert watch.stuck("tp", look(5))


def test_new_records_arriving_are_not_movement() -> None:
    watch = StallWatch(looks=2)
    assert not watch.stuck("tp", look(4, end=10))
    assert watch.stuck("tp", look(4, end=12))


def test_a_record_in_flight_or_nothing_left_is_not_stuck() -> None:
    watch = StallWatch(looks=2)
    assert not any(watch.stuck("tp", look(4, busy=True)) for _ in range(5))
    assert not any(watch.stuck("tp", look(10, end=10)) for _ in range(5))
    assert not any(watch.stuck("tp", look(None, end=0)) for _ in range(5))


def test_a_paused_partition_with_records_left_is_stuck_once_it_lasts() -> None:
    watch = StallWatch(looks=2)
    assert [watch.stuck("tp", look(None, paused=True)) for _ in range(2)] == [False, True]


def test_pausing_or_resuming_is_a_change() -> None:
    watch = StallWatch(looks=2)
    assert not watch.stuck("tp", look(4))
    assert not watch.stuck("tp", look(4, paused=True))


def test_partitions_no_longer_watched_are_forgotten() -> None:
    watch = StallWatch(looks=2)
    watch.stuck("a", look(4))
    watch.forget(keep={"b"})
    assert not watch.stuck("a", look(4))
