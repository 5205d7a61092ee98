"""Contract tests every implementation of a window port must pass, fake or real.

Each suite is a base class that is not collected itself (no ``Test`` prefix); a test module
subclasses it and provides the fixture the suite names (``store``, ``read_model``, ``registry``).
The unit tests run them against the fakes, ``tests/integration/test_window_api.py`` against the
fakes and the Redis adapters side by side, so a fake cannot drift from what it stands in for.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from tests.unit.window.support import NOW, SUCHENG, History
from window.ports import IdempotencyStore, Remembered, WindowRegistry


class IdempotencyStoreContract:
    async def test_an_unused_key_holds_nothing(self, store: IdempotencyStore) -> None:
        assert None is await store.recall("w1", "k1")

    async def test_a_decision_is_kept_unpublished_until_fulfilled(
        self, store: IdempotencyStore
    ) -> None:
        decided = Remembered("hash-a", "AD-1", "received")

        assert None is await store.promise("w1", "k1", decided)
        assert decided == await store.recall("w1", "k1")
        await store.fulfil("w1", "k1", decided)

        assert Remembered("hash-a", "AD-1", "received", True) == await store.recall("w1", "k1")

    async def test_of_two_decisions_the_first_is_kept(self, store: IdempotencyStore) -> None:
        first = Remembered("hash-a", "AD-1", "received")
        await store.promise("w1", "k1", first)

        held = await store.promise("w1", "k1", Remembered("hash-b", "AD-2", "merged"))

        assert first == held == await store.recall("w1", "k1")

    async def test_a_fulfilled_key_keeps_its_body_hash(self, store: IdempotencyStore) -> None:
        decided = Remembered("hash-a", "AD-1", "received")
        await store.promise("w1", "k1", decided)
        await store.fulfil("w1", "k1", decided)

        held = await store.promise("w1", "k1", Remembered("hash-b", "AD-1", "received"))

        assert held is not None and ("hash-a", True) == (held.body_hash, held.published)

    async def test_keys_belong_to_one_window(self, store: IdempotencyStore) -> None:
        await store.promise("w1", "k1", Remembered("hash-a", "AD-1", "received"))

        assert None is await store.recall("w2", "k1")
        assert None is await store.promise("w2", "k1", Remembered("hash-a", "AD-9", "merged"))


def _renamed(view: Any, old: str, new: str) -> Any:
    return json.loads(json.dumps(view, default=str).replace(old, new))


def a_case(case_id: str) -> History:
    """Received, one step done, one refused with a reason, the pivot passed."""
    return (
        History(case_id)
        .received()
        .step("verify_death", StepStatus.DISPATCHED, department="health", attempt=1)
        .step("verify_death", StepStatus.SUCCEEDED, department="health", attempt=1)
        .step(
            "family_application",
            StepStatus.REFUSED,
            reason_code="not_kin",
            reason="申请人与逝者无亲属关系",
        )
        .add(
            CaseEventType.STEP_SUCCEEDED,
            CaseStatus.IN_PROGRESS,
            step="confirm_death",
            step_status=StepStatus.SUCCEEDED,
            detail={"pivot": True},
        )
    )


def dispatched_then_done(case_id: str) -> History:
    """A step dispatched with a department and a deadline, then done by a reply with neither."""
    return (
        History(case_id)
        .received()
        .step(
            "notify_pension",
            StepStatus.DISPATCHED,
            department="social_security",
            attempt=1,
            deadline_at=NOW + timedelta(days=5),
        )
        .step("notify_pension", StepStatus.SUCCEEDED)
    )


class ReadModelContract:
    """The case reads of the window and the index queries of the ops API."""

    async def test_an_unknown_case_has_no_summary_steps_or_timeline(self, read_model: Any) -> None:
        directory, _apply = read_model

        assert None is await directory.summary("AD-unknown")
        assert {} == await directory.steps("AD-unknown")
        assert [] == await directory.timeline("AD-unknown")
        assert None is await directory.case("AD-unknown")

    async def test_a_case_shows_its_summary_steps_and_timeline(self, read_model: Any) -> None:
        directory, apply = read_model
        history = a_case("AD-0001")
        for event in history.events:
            await apply(event)

        summary = await directory.summary("AD-0001")
        steps = await directory.steps("AD-0001")
        timeline = await directory.timeline("AD-0001")

        assert {
            "case_id": "AD-0001",
            "saga": "afterlife",
            "status": "in_progress",
            "division_code": SUCHENG.division_code,
            "pivot_passed": "1",
            "deadline_at": (NOW + timedelta(days=20)).isoformat(),
            "last_seq": "5",
        }.items() <= summary.items()
        assert {"status": "succeeded", "department": "health", "attempt": 1}.items() <= steps[
            "verify_death"
        ].items()
        assert {"status": "refused", "reason_code": "not_kin"}.items() <= steps[
            "family_application"
        ].items()
        assert [1, 2, 3, 4, 5] == [event["seq"] for event in timeline]
        assert history.events[3].model_dump(mode="json") == timeline[3]

    async def test_a_provisional_deadline_is_marked_and_a_recount_moves_it_and_its_index(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        first, moved = NOW + timedelta(days=20), NOW + timedelta(days=22)
        history = (
            History("AD-0009")
            .add(
                CaseEventType.CASE_RECEIVED,
                CaseStatus.RECEIVED,
                deadline_at=first,
                deadline_provisional=True,
            )
            .step(
                "verify_death",
                StepStatus.DISPATCHED,
                deadline_at=first,
                deadline_provisional=True,
            )
        )
        for event in history.events:
            await apply(event)
        provisional = await directory.summary("AD-0009")
        history.add(
            CaseEventType.DEADLINE_RECOMPUTED,
            CaseStatus.IN_PROGRESS,
            deadline_at=moved,
            deadline_provisional=False,
        ).add(
            CaseEventType.DEADLINE_RECOMPUTED,
            CaseStatus.IN_PROGRESS,
            step="verify_death",
            deadline_at=moved,
            deadline_provisional=False,
        )
        for event in history.events[2:]:
            await apply(event)

        summary = await directory.summary("AD-0009")
        steps = await directory.steps("AD-0009")
        assert ("1", first.isoformat()) == (
            provisional["deadline_provisional"],
            provisional["deadline_at"],
        )
        assert ("", moved.isoformat()) == (summary["deadline_provisional"], summary["deadline_at"])
        assert {"deadline_at": moved.isoformat(), "deadline_provisional": False}.items() <= steps[
            "verify_death"
        ].items()
        assert ([], ["AD-0009"]) == (
            await directory.due_before(NOW + timedelta(days=21)),
            await directory.due_before(NOW + timedelta(days=23)),
        )

    async def test_a_redelivered_or_older_event_changes_nothing(self, read_model: Any) -> None:
        directory, apply = read_model
        history = a_case("AD-0002")
        for event in history.events:
            assert await apply(event)
        before = await directory.case("AD-0002")

        assert not await apply(history.events[1])
        assert not await apply(history.events[-1])
        assert before == await directory.case("AD-0002")

    async def test_events_arriving_out_of_order_end_as_they_were_published(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        events = a_case("AD-0004").events
        in_order = a_case("AD-0005").events
        published = list(enumerate(events, start=100))
        for position, event in [*published[3:], *published[:3], published[4]]:
            await apply(event, position=position)
        for position, event in enumerate(in_order, start=100):
            await apply(event, position=position)

        scrambled, straight = await directory.case("AD-0004"), await directory.case("AD-0005")
        assert scrambled is not None and straight is not None
        assert _renamed(scrambled, "AD-0004", "AD-0005") == straight

    async def test_a_sequence_number_published_again_later_replaces_the_earlier_version(
        self, read_model: Any
    ) -> None:
        # An orchestrator that crashed before storing its state publishes seq 2 again, now
        # saying something else; a replay of the first version afterwards changes nothing.
        directory, apply = read_model
        first = History("AD-0006").received().step("verify_death", StepStatus.DISPATCHED).events
        again = History("AD-0006").received().overdue().events
        await apply(first[0], position=10)
        await apply(first[1], position=11)
        assert await apply(again[1], position=20)
        assert not await apply(first[1], position=11)

        timeline = await directory.timeline("AD-0006")
        summary = await directory.summary("AD-0006")
        assert [e["type"] for e in timeline] == ["case_received", "overdue"]
        assert summary is not None and summary["last_event"] == "overdue"

    async def test_a_step_row_keeps_what_an_earlier_event_said_when_a_later_one_came_first(
        self, read_model: Any
    ) -> None:
        # A rewound consumer can hand over a step's reply before its dispatch: the row still
        # shows the department and deadline only the dispatch carried, as a replay would.
        directory, apply = read_model
        scrambled = list(enumerate(dispatched_then_done("AD-0007").events, start=100))
        for position, event in [scrambled[0], scrambled[2], scrambled[1]]:
            await apply(event, position=position)
        for position, event in enumerate(dispatched_then_done("AD-0008").events, start=100):
            await apply(event, position=position)

        row = (await directory.steps("AD-0007"))["notify_pension"]
        assert {"status": "succeeded", "department": "social_security"}.items() <= row.items()
        assert (NOW + timedelta(days=5)).isoformat() == row["deadline_at"]
        in_order = await directory.case("AD-0008")
        assert _renamed(await directory.case("AD-0007"), "AD-0007", "AD-0008") == in_order

    async def test_a_fact_published_again_keeps_the_later_value_whatever_arrives_first(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        first = History("AD-0009").received(NOW + timedelta(days=20)).events[0]
        again = History("AD-0009").received(NOW + timedelta(days=30)).events[0]
        assert await apply(again, position=20)
        assert not await apply(first, position=10)

        summary = await directory.summary("AD-0009")
        assert summary is not None
        assert (NOW + timedelta(days=30)).isoformat() == summary["deadline_at"]
        assert [] == await directory.due_before(NOW + timedelta(days=25))
        assert ["AD-0009"] == await directory.due_before(NOW + timedelta(days=31))

    async def test_a_closed_case_has_its_outcome_and_leaves_the_open_indexes(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        for event in History("AD-0003").received().overdue().ended(CaseStatus.COMPLETED).events:
            await apply(event)

        summary = await directory.summary("AD-0003")

        assert ("completed", "done") == (summary["status"], summary["outcome"])
        assert "AD-0003" not in await directory.overdue()
        assert "AD-0003" not in await directory.due_before(NOW + timedelta(days=365))
        assert {"AD-0003"} == await directory.ids_with_status("completed")

    async def test_the_indexes_find_cases_by_status_saga_division_and_overdue(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        histories = [
            History("AD-a").received(),
            History("AD-b", division_code="321202").received().overdue(),
            History("MA-c", saga="marriage").received().step("register", StepStatus.DISPATCHED),
        ]
        for history in histories:
            for event in history.events:
                await apply(event)

        assert {"AD-a", "AD-b"} == await directory.ids_with_status("received")
        assert {"MA-c"} == await directory.ids_with_status("in_progress")
        assert {"AD-a", "AD-b"} == await directory.ids_of_saga("afterlife")
        assert {"AD-b"} == await directory.ids_in_division("321202")
        assert {"AD-b"} == await directory.overdue()

    async def test_due_before_lists_open_cases_earliest_deadline_first(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        for case_id, days in (("AD-late", 9), ("AD-soon", 2), ("AD-later", 30)):
            for event in History(case_id).received(NOW + timedelta(days=days)).events:
                await apply(event)

        assert ["AD-soon", "AD-late"] == await directory.due_before(NOW + timedelta(days=10))
        assert [] == await directory.due_before(NOW)


def dispatched(history: History, step: str, attempt: int = 1, **fields: Any) -> History:
    return history.step(
        step, StepStatus.DISPATCHED, department="social_security", attempt=attempt, **fields
    )


def retried_after_a_timeout(case_id: str) -> History:
    """A step dispatched, silent past its timeout, dispatched again: as the engine tells it."""
    history = dispatched(History(case_id).received(), "stop_pension")
    history.add(
        CaseEventType.STEP_TIMED_OUT,
        CaseStatus.IN_PROGRESS,
        step="stop_pension",
        step_status=StepStatus.DISPATCHED,
        attempt=1,
    ).add(
        CaseEventType.STEP_FAILED,
        CaseStatus.IN_PROGRESS,
        step="stop_pension",
        step_status=StepStatus.WAITING_RETRY,
        attempt=1,
        reason="no reply before the timeout",
    )
    return dispatched(history, "stop_pension", attempt=2)


LATER = NOW + timedelta(days=1)


class AwaitingReplyContract:
    """Steps awaiting a department's reply: the row's ``dispatched_at`` and the index behind
    ``awaiting_reply(before)``, longest waiting first."""

    async def test_a_dispatched_step_awaits_its_reply_from_its_dispatch_until_the_reply(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        history = dispatched(dispatched(History("AD-w1").received(), "stop_pension"), "hukou")
        for event in history.events:
            await apply(event)
        sent = history.events[1].at
        both = await directory.awaiting_reply(LATER)
        await apply(history.step("hukou", StepStatus.SUCCEEDED).events[-1])

        row = (await directory.steps("AD-w1"))["stop_pension"]
        assert sent.isoformat() == row["dispatched_at"]
        assert [("AD-w1", "stop_pension"), ("AD-w1", "hukou")] == both
        assert [("AD-w1", "stop_pension")] == await directory.awaiting_reply(LATER)

    async def test_only_steps_dispatched_strictly_before_the_moment_are_listed(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        history = dispatched(History("AD-w2").received(), "stop_pension")
        for event in history.events:
            await apply(event)
        sent = history.events[-1].at

        assert [] == await directory.awaiting_reply(sent)
        assert [("AD-w2", "stop_pension")] == await directory.awaiting_reply(
            sent + timedelta(milliseconds=1)
        )

    async def test_the_longest_waiting_comes_first_across_cases(self, read_model: Any) -> None:
        directory, apply = read_model
        late = dispatched(History("AD-late", at=NOW - timedelta(minutes=30)).received(), "hukou")
        early = dispatched(History("AD-early", at=NOW - timedelta(hours=3)).received(), "hukou")
        for event in [*late.events, *early.events]:
            await apply(event)

        assert [("AD-early", "hukou"), ("AD-late", "hukou")] == await directory.awaiting_reply(
            LATER
        )
        assert [("AD-early", "hukou")] == await directory.awaiting_reply(NOW - timedelta(hours=1))

    async def test_a_retry_leaves_the_list_while_it_backs_off_and_awaits_from_its_own_dispatch(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        history = retried_after_a_timeout("AD-w3")
        for event in history.events[:-1]:
            await apply(event)
        backing_off = await directory.awaiting_reply(LATER)
        await apply(history.events[-1])

        row = (await directory.steps("AD-w3"))["stop_pension"]
        again = history.events[-1].at
        assert [] == backing_off
        assert (2, again.isoformat()) == (row["attempt"], row["dispatched_at"])
        assert [] == await directory.awaiting_reply(again)
        assert [("AD-w3", "stop_pension")] == await directory.awaiting_reply(LATER)

    async def test_a_timer_step_waits_on_no_one(self, read_model: Any) -> None:
        directory, apply = read_model
        # A timer step is `dispatched` while its wait runs, but no department has anything.
        history = History("AD-w4").received()
        history.add(
            CaseEventType.STEP_WAITING,
            CaseStatus.IN_PROGRESS,
            step="public_notice",
            step_status=StepStatus.DISPATCHED,
            deadline_at=NOW + timedelta(days=30),
        )
        for event in history.events:
            await apply(event)

        assert "dispatched_at" not in (await directory.steps("AD-w4"))["public_notice"]
        assert [] == await directory.awaiting_reply(LATER)

    async def test_a_closed_case_awaits_nothing_even_with_a_step_in_flight_at_its_end(
        self, read_model: Any
    ) -> None:
        # The engine ends a case without a step event for what was in flight; a late word on
        # such a step (an overdue, a late reply's note) does not bring it back.
        directory, apply = read_model
        history = dispatched(History("AD-w5").received(), "hukou").ended(CaseStatus.REVERSED)
        history.add(
            CaseEventType.OVERDUE,
            CaseStatus.REVERSED,
            step="hukou",
            step_status=StepStatus.DISPATCHED,
        )
        for event in history.events[:2]:
            await apply(event)
        before = await directory.awaiting_reply(LATER)
        for event in history.events[2:]:
            await apply(event)

        assert [("AD-w5", "hukou")] == before
        assert [] == await directory.awaiting_reply(LATER)

    async def test_the_list_ends_as_published_whatever_order_the_events_arrive_in(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        orders = {
            "AD-s1": [3, 0, 4, 2, 1],  # the second dispatch before the timeout that caused it
            "AD-s2": [4, 3, 2, 1, 0],
            "AD-s3": [0, 1, 2, 3, 4],
        }
        for case_id, order in orders.items():
            events = list(enumerate(retried_after_a_timeout(case_id).events, start=100))
            for position, event in [events[i] for i in order]:
                await apply(event, position=position)

        rows = [(await directory.steps(c))["stop_pension"] for c in orders]
        assert [(c, "stop_pension") for c in orders] == await directory.awaiting_reply(LATER)
        assert rows[0] == rows[1] == rows[2]


def clerk_task(history: History, step: str = "check_agent_mandate", **fields: Any) -> History:
    """The step starts waiting for a clerk, as the engine announces a clerk task."""
    return history.step(
        step,
        StepStatus.WAITING_SIGNAL,
        detail={"clerk_task": True, "title": "代办委托人工核验"},
        **fields,
    )


class ClerkTaskContract:
    """Clerk tasks: listed per division while they wait, earliest deadline first; due ones
    found across divisions; gone once completed or the case ends."""

    async def test_a_waiting_clerk_task_is_listed_in_its_division_until_it_is_done(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        due = NOW + timedelta(days=2)
        history = clerk_task(History("AD-t1").received(), deadline_at=due)
        for event in history.events:
            await apply(event)
        listed = await directory.clerk_tasks(SUCHENG.division_code)
        elsewhere = await directory.clerk_tasks("320000")
        row = (await directory.steps("AD-t1"))["check_agent_mandate"]
        await apply(history.step("check_agent_mandate", StepStatus.SUCCEEDED).events[-1])

        assert [("AD-t1", "check_agent_mandate")] == listed
        assert [] == elsewhere
        assert (True, "代办委托人工核验", due.isoformat()) == (
            row["clerk_task"],
            row["title"],
            row["deadline_at"],
        )
        assert [] == await directory.clerk_tasks(SUCHENG.division_code)

    async def test_tasks_come_earliest_deadline_first_and_those_without_one_last(
        self, read_model: Any
    ) -> None:
        directory, apply = read_model
        later = clerk_task(History("AD-t2").received(), deadline_at=NOW + timedelta(days=5))
        sooner = clerk_task(History("AD-t3").received(), deadline_at=NOW + timedelta(days=1))
        never = clerk_task(History("AD-t4").received())
        for event in [*never.events, *later.events, *sooner.events]:
            await apply(event)

        assert ["AD-t3", "AD-t2", "AD-t4"] == [
            case_id for case_id, _ in await directory.clerk_tasks(SUCHENG.division_code)
        ]
        assert [("AD-t3", "check_agent_mandate")] == await directory.clerk_tasks_due(
            NOW + timedelta(days=2)
        )

    async def test_a_step_waiting_for_someone_else_is_no_clerk_task(self, read_model: Any) -> None:
        directory, apply = read_model
        history = History("AD-t5").received().step("family_application", StepStatus.WAITING_SIGNAL)
        for event in history.events:
            await apply(event)

        assert [] == await directory.clerk_tasks(SUCHENG.division_code)

    async def test_an_ended_case_has_no_task_left(self, read_model: Any) -> None:
        directory, apply = read_model
        history = clerk_task(History("AD-t6").received()).ended(CaseStatus.WITHDRAWN)
        for event in history.events:
            await apply(event)

        assert [] == await directory.clerk_tasks(SUCHENG.division_code)
        assert [] == await directory.clerk_tasks_due(LATER + timedelta(days=9999))


class WindowRegistryContract:
    def test_a_known_key_names_its_window(self, registry: WindowRegistry) -> None:
        assert SUCHENG == registry.window_for("key-sucheng-0001")

    def test_an_unknown_or_empty_key_names_none(self, registry: WindowRegistry) -> None:
        assert None is registry.window_for("key-nobody-00001")
        assert None is registry.window_for("")
