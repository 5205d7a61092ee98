"""A case filed in late December 2026 on the real broker and Redis: its deadlines run into 2027,
are real and marked provisional; when the official 2027 file lands in the orchestrator's calendar
directory they move, the timeline says from when to when, and a broken file is refused while the
calendar in force stays."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis

from contracts.envelope import envelope_for
from contracts.saga import StartCase
from contracts.topics import Topics
from onething.kafka import make_producer, publish
from onething.readmodel.queries import ReadModel
from onething.settings import Settings
from saga.calendar import CHINA
from tests.conftest import own_stack
from tests.support.processes import WorkerProcess

pytestmark = pytest.mark.integration

# The 2027 schedule as it might be published: New Year's Day through Tuesday 5 January off.
OFFICIAL_2027 = """\
year 2027
status official
source 国务院办公厅关于2027年部分节假日安排的通知
off 2027-01-01..2027-01-05 元旦
off 2027-02-05..2027-02-11 春节
off 2027-10-01..2027-10-07 国庆节
"""


def end_of(day: date) -> str:
    return datetime(day.year, day.month, day.day, 15, 59, 59, 999999, tzinfo=UTC).isoformat()


@pytest.fixture(scope="module")
def stack(stack: Settings) -> Settings:
    return own_stack(stack, "calendar")


@pytest.fixture(scope="module")
def calendar_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("calendar")


@pytest.fixture(scope="module")
def worker(stack: Settings, calendar_dir: Path) -> Iterator[WorkerProcess]:
    process = WorkerProcess(
        stack,
        ["--name", "calendar", "--saga", "tests.support.deadline_saga:deadline_saga",
         "--projector"],
        extra_env={
            "ONETHING_CALENDAR_DIR": str(calendar_dir),
            "ONETHING_CALENDAR_POLL_SECONDS": "0.5",
        },
    ).start()  # fmt: skip
    yield process
    process.stop()


async def until(
    check: Callable[[], Awaitable[Any]], worker: WorkerProcess, what: str, timeout: float = 90
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = await check()
        if found:
            return found
        if not worker.alive():
            raise AssertionError(f"the worker died:\n{worker.tail()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not seen after {timeout}s\n{worker.tail()}")
        await asyncio.sleep(0.25)


def file_case(settings: Settings, case_id: str, received_at: datetime) -> None:
    start = StartCase(
        case_id=case_id, saga="deadlines", division_code="321300", received_at=received_at
    )
    producer = make_producer(settings)
    publish(
        producer,
        settings.topic(Topics.CASE_REQUESTS),
        envelope_for(start, subject=case_id, source="/tests"),
    )
    assert producer.flush(30) == 0


async def test_a_case_filed_on_28_december_2026_gets_provisional_deadlines_that_move_with_2027(
    stack: Settings,
    worker: WorkerProcess,
    calendar_dir: Path,
    redis_client: aioredis.Redis,
    new_case_id: Callable[[], str],
) -> None:
    model = ReadModel(redis_client, stack.topic_prefix)
    case_id = new_case_id()
    file_case(stack, case_id, datetime(2026, 12, 28, 10, tzinfo=CHINA))

    async def counted() -> dict[str, Any] | None:
        case = await model.case(case_id)
        return case if case and "review" in case["steps"] else None

    # Provisional 2027: 29-31 Dec, 4-8, 11-15, 18-19 Jan: the 15th working day is 19 January.
    before = await until(counted, worker, "the case's deadlines")
    assert (end_of(date(2027, 1, 19)), "1") == (
        before["deadline_at"],
        before["deadline_provisional"],
    )
    assert {"deadline_at": end_of(date(2027, 1, 19)), "deadline_provisional": True}.items() <= (
        before["steps"]["review"].items()
    )

    (calendar_dir / "2027.txt").write_text(OFFICIAL_2027, encoding="utf-8")

    async def moved() -> dict[str, Any] | None:
        # The case's deadline and the step's are two events, projected one after the other.
        case = await model.case(case_id)
        recounted = (
            [e for e in case["timeline"] if e["type"] == "deadline_recomputed"] if case else []
        )
        return case if len(recounted) == 2 else None

    # Official: 1-5 January off, so 6-8, 11-15, 18-21 January: the 15th is 21 January.
    after = await until(moved, worker, "the recounted deadline")
    assert end_of(date(2027, 1, 21)) == after["deadline_at"]
    assert {"deadline_at": end_of(date(2027, 1, 21)), "deadline_provisional": False}.items() <= (
        after["steps"]["review"].items()
    )
    recounts = [e for e in after["timeline"] if e["type"] == "deadline_recomputed"]
    assert {
        (None, end_of(date(2027, 1, 19)), end_of(date(2027, 1, 21))),
        ("review", end_of(date(2027, 1, 19)), end_of(date(2027, 1, 21))),
    } == {(e["step"], e["detail"]["old"], e["detail"]["new"]) for e in recounts}
    assert {"工作日历更新：2027年（正式）"} == {e["reason"] for e in recounts}
    assert [case_id] == [c for c in await model.due_before(datetime(2027, 1, 22, tzinfo=UTC))
                         if c == case_id]  # fmt: skip


async def test_a_broken_calendar_file_is_refused_and_the_worker_goes_on(
    stack: Settings, worker: WorkerProcess, calendar_dir: Path
) -> None:
    (calendar_dir / "2028.txt").write_text("year 2028\nstatus final\n", encoding="utf-8")

    async def refused() -> bool:
        return "calendar.refused" in worker.log.read_text(errors="replace")

    await until(refused, worker, "the refusal in the log", timeout=30)
    line = next(line for line in worker.log.read_text().splitlines() if "calendar.refused" in line)
    assert f"{calendar_dir / '2028.txt'}:2: status must be official or provisional" in line
    assert worker.alive()
    (calendar_dir / "2028.txt").unlink()
