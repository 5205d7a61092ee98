"""The orchestrator asks every open case it owns to recount its deadlines when the calendar in
force is not the one the case was counted on, and only those: after a restart that brought a new
calendar file, or when a reload puts one in force."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from contracts.envelope import Envelope, encode
from contracts.lifecycle import CaseEventType
from contracts.saga import RecomputeDeadlines
from contracts.topics import Topics
from onething.records import Record
from saga.calendar import CHINA, WorkingCalendar, load_calendar
from saga.orchestrator import Orchestrator
from saga.testing import FakeClock, Scenario
from tests.unit.saga.test_deadline_recompute import OFFICIAL_2027, notice_saga

LATE_DECEMBER = datetime(2026, 12, 31, 10, tzinfo=CHINA).astimezone(UTC)


class MemoryStore:
    def __init__(self, states: dict[str, bytes]) -> None:
        self.states = states

    def get(self, case_id: str) -> bytes | None:
        return self.states.get(case_id)

    def put(self, case_id: str, value: bytes) -> None:
        self.states[case_id] = value


class MemoryOutbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Envelope[Any]]] = []

    async def send(self, batch: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.sent += batch


def states_of(*scenarios: Scenario) -> dict[str, bytes]:
    out = {}
    for scenario in scenarios:
        assert scenario.state is not None
        out[scenario.case_id] = scenario.state.model_dump_json().encode()
    return out


def official(tmp_path: Path) -> WorkingCalendar:
    (tmp_path / "2027.txt").write_text(OFFICIAL_2027, encoding="utf-8")
    return load_calendar(tmp_path)


def test_only_open_cases_counted_on_another_calendar_are_asked_to_recount(tmp_path: Path) -> None:
    new = official(tmp_path)
    open_case = Scenario(notice_saga(), case_id="open", clock=FakeClock(LATE_DECEMBER)).start()
    ended = Scenario(notice_saga(), case_id="ended", clock=FakeClock(LATE_DECEMBER)).start()
    ended.succeed("check").advance(timedelta(days=8))
    current = Scenario(notice_saga(), case_id="current", calendar=new).start()
    orchestrator = Orchestrator({}, MemoryStore({}), MemoryOutbox(), lambda: LATE_DECEMBER)

    batch = orchestrator.recounts(states_of(open_case, ended, current), new, "工作日历更新")

    assert [(Topics.CASE_OPERATOR, "open", f"open:calendar:{new.version}")] == [
        (topic, envelope.subject, envelope.id) for topic, envelope in batch
    ]
    assert isinstance(batch[0][1].data, RecomputeDeadlines)


async def test_the_recount_message_moves_the_stored_case_and_publishes_the_moves(
    tmp_path: Path,
) -> None:
    new = official(tmp_path)
    case = Scenario(notice_saga(), case_id="open", clock=FakeClock(LATE_DECEMBER)).start()
    store, outbox = MemoryStore(states_of(case)), MemoryOutbox()
    orchestrator = Orchestrator(
        {"notice": notice_saga()}, store, outbox, lambda: LATE_DECEMBER, calendar=lambda: new
    )
    [(_, envelope)] = orchestrator.recounts(store.states, new, "工作日历更新")

    await orchestrator.process(Record(Topics.CASE_OPERATOR, 0, 0, b"open", encode(envelope)))

    moves = [e.data for _, e in outbox.sent if getattr(e.data, "type", None)
             is CaseEventType.DEADLINE_RECOMPUTED]  # fmt: skip
    assert 2 == len(moves)
    assert [] == orchestrator.recounts(store.states, new, "again")
