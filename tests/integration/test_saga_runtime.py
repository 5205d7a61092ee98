"""The saga runtime end to end on the real broker and Redis: a worker process hosting the
orchestrator, a sample participant and the read-model projector runs the sample saga; cases end
where their replies say; a SIGKILL mid-flight loses nothing and applies nothing twice; the read
model rebuilt from the event topic is identical; a poison message is dead-lettered."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import redis.asyncio as aioredis
from confluent_kafka import Consumer
from confluent_kafka.admin import NewTopic

from contracts.dead_letter import DeadLetter
from contracts.envelope import decode, envelope_for
from contracts.lifecycle import TERMINAL_STATUSES
from contracts.saga import StartCase
from contracts.topics import CASE_PARTITIONS, Topics, command_topic
from onething.bootstrap import INBOUND
from onething.kafka import admin_client, make_producer, publish
from onething.readmodel.queries import ReadModel
from onething.readmodel.rebuild import rebuild
from onething.settings import Settings
from tests.conftest import own_stack
from tests.integration.polling import wait_committed_to_end
from tests.support.processes import WorkerProcess

pytestmark = pytest.mark.integration

WORKER_ARGS = [
    "--name", "runtime",
    "--saga", "tests.support.sample_saga:sample_saga",
    "--department", "tests.support.sample_participant:make_adapter",
    "--projector",
    "--faust-loglevel", "info",
]  # fmt: skip
TERMINAL = {s.value for s in TERMINAL_STATUSES}
# Faust's livelock check, shortened from 5 minutes so it runs many times within this module.
STREAM_PROCESSING_TIMEOUT = 10.0
LIVELOCK_EVERY = 2.5  # Faust looks every 2.5 commit intervals (1 s here)
WORKER_ENV = {
    "ONETHING_STREAM_PROCESSING_TIMEOUT": str(STREAM_PROCESSING_TIMEOUT),
    # A static member: the SIGKILLed worker takes its partitions back as soon as it restarts.
    "ONETHING_CONSUMER_INSTANCE_ID": "runtime-0",
}


@pytest.fixture(scope="module")
def stack(stack: Settings) -> Settings:
    """This module's own prefix: its worker replays nothing another module wrote."""
    return own_stack(stack, "runtime")


@pytest.fixture(scope="module")
def worker(stack: Settings) -> Iterator[WorkerProcess]:
    topic = stack.topic(command_topic("sample"))
    admin = admin_client(stack)
    if topic not in admin.list_topics(timeout=10).topics:
        admin.create_topics([NewTopic(topic, CASE_PARTITIONS, 1)])[topic].result(30)
    process = WorkerProcess(stack, WORKER_ARGS, extra_env=WORKER_ENV).start()
    yield process
    process.stop()


def submit(settings: Settings, cases: dict[str, dict[str, Any]]) -> None:
    producer = make_producer(settings)
    for case_id, data in cases.items():
        start = StartCase(
            case_id=case_id,
            saga="sample",
            division_code="321300",
            data=data,
            received_at=datetime.now(UTC),
        )
        publish(
            producer,
            settings.topic(Topics.CASE_REQUESTS),
            envelope_for(start, subject=case_id, source="/tests"),
        )
    assert producer.flush(30) == 0


async def statuses(model: ReadModel, case_ids: list[str]) -> dict[str, str]:
    out = {}
    for case_id in case_ids:
        case = await model.case(case_id)
        out[case_id] = case["status"] if case else "unknown"
    return out


async def wait_terminal(
    model: ReadModel, case_ids: list[str], worker: WorkerProcess, timeout: float = 120
) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while True:
        now = await statuses(model, case_ids)
        if all(s in TERMINAL for s in now.values()):
            return now
        if not worker.alive():
            raise AssertionError(f"the worker died:\n{worker.tail()}")
        if time.monotonic() > deadline:
            stuck = {c: s for c, s in now.items() if s not in TERMINAL}
            raise AssertionError(f"not terminal after {timeout}s: {stuck}\n{worker.tail()}")
        await asyncio.sleep(0.25)


async def effects(redis: aioredis.Redis, pattern: str) -> dict[str, int]:
    keys = [k async for k in redis.scan_iter(match=pattern, count=500)]
    values = await redis.mget(keys) if keys else []
    return {k.decode(): int(v) for k, v in zip(keys, values, strict=True)}


async def test_cases_end_where_their_replies_say(
    stack: Settings,
    worker: WorkerProcess,
    redis_client: aioredis.Redis,
    new_case_id: Callable[[], str],
) -> None:
    clean = [new_case_id() for _ in range(8)]
    early = [new_case_id() for _ in range(3)]
    late = [new_case_id() for _ in range(3)]
    cases = {c: {} for c in clean} | {c: {"refuse": ["check_a"]} for c in early}
    cases |= {c: {"refuse": ["notify_x"]} for c in late}
    submit(stack, cases)
    model = ReadModel(redis_client, stack.topic_prefix)

    final = await wait_terminal(model, list(cases), worker)

    assert {final[c] for c in clean} == {"completed"}
    assert {final[c] for c in early} == {"rejected"}
    assert {final[c] for c in late} == {"partially_completed"}
    undone = await effects(redis_client, f"{stack.topic_prefix}:sample:step-effects:*:undo")
    for case_id in early:  # accept and check_b were undone, once each
        assert undone[f"{stack.topic_prefix}:sample:step-effects:{case_id}:accept:undo"] == 1
    case = await model.case(late[0])
    assert case is not None and case["steps"]["notify_x"]["reason_code"] == "not_eligible"
    assert [e["seq"] for e in case["timeline"]] == list(range(1, len(case["timeline"]) + 1))


async def test_a_worker_killed_mid_flight_finishes_every_case_with_each_effect_once(
    stack: Settings,
    worker: WorkerProcess,
    redis_client: aioredis.Redis,
    new_case_id: Callable[[], str],
) -> None:
    cases = {new_case_id(): {} for _ in range(40)}
    model = ReadModel(redis_client, stack.topic_prefix)
    submit(stack, cases)
    deadline = time.monotonic() + 60
    while sum(s != "unknown" for s in (await statuses(model, list(cases))).values()) < 5:
        assert time.monotonic() < deadline, worker.tail()
        await asyncio.sleep(0.05)

    worker.kill()
    at_kill = await statuses(model, list(cases))
    assert not all(s in TERMINAL for s in at_kill.values()), "killed too late to prove anything"
    worker.start()

    final = await wait_terminal(model, list(cases), worker, timeout=180)
    assert set(final.values()) == {"completed"}
    prefix = f"{stack.topic_prefix}:sample:step-effects:"
    per_step = await effects(redis_client, prefix + "*")
    for case_id in cases:
        for step in ("accept", "check_a", "check_b", "approve", "notify_x", "notify_y", "close"):
            assert per_step.get(f"{prefix}{case_id}:{step}:do") == 1, (case_id, step)
    per_key = await effects(redis_client, f"{stack.topic_prefix}:sample:effects:*")
    assert set(per_key.values()) == {1}


async def test_the_read_model_rebuilt_from_the_event_topic_is_identical(
    stack: Settings,
    worker: WorkerProcess,
    redis_client: aioredis.Redis,
    new_case_id: Callable[[], str],
) -> None:
    cases = {new_case_id(): {"refuse": ["notify_y"]} for _ in range(5)}
    submit(stack, cases)
    model = ReadModel(redis_client, stack.topic_prefix)
    await wait_terminal(model, list(cases), worker)
    # Terminal cases, and the worker has committed all it reads, so the model holds still while
    # compared, even for the cases the SIGKILL test left to a rewound consumer.
    inputs = [*INBOUND, command_topic("sample"), Topics.CASE_EVENTS]
    await asyncio.to_thread(
        wait_committed_to_end,
        stack,
        f"{stack.topic_prefix}-runtime",
        [stack.topic(t) for t in inputs],
        timeout=90,
    )
    before = await model.dump()
    applied = await rebuild(stack, redis_client)
    after = await model.dump()
    assert applied > 0
    assert any(k.endswith(":timeline") for k in after)
    assert after == before
    kept = await effects(redis_client, f"{stack.topic_prefix}:sample:effects:*")
    assert kept, "the rebuild must leave keys outside the read model alone"


async def test_a_poison_message_is_dead_lettered_and_processing_continues(
    stack: Settings,
    worker: WorkerProcess,
    redis_client: aioredis.Redis,
    new_case_id: Callable[[], str],
) -> None:
    producer = make_producer(stack)
    requests = stack.topic(Topics.CASE_REQUESTS)
    poison_key = new_case_id()
    producer.produce(requests, key=poison_key.encode(), value=b"{not json")
    unknown = StartCase(
        case_id=new_case_id(),
        saga="no-such-saga",
        division_code="321300",
        received_at=datetime.now(UTC),
    )
    publish(producer, requests, envelope_for(unknown, subject=unknown.case_id, source="/tests"))
    assert producer.flush(30) == 0
    good = new_case_id()
    submit(stack, {good: {}})

    letters = read_dead_letters(stack, {poison_key, unknown.case_id}, timeout=60)
    reasons = {letter.key: letter.reason for letter in letters}
    assert reasons[poison_key].startswith("body: not UTF-8 JSON")
    assert "no-such-saga" in reasons[unknown.case_id]
    poison = next(letter for letter in letters if letter.key == poison_key)
    assert poison.original() == b"{not json" and poison.source_topic == requests
    final = await wait_terminal(ReadModel(redis_client, stack.topic_prefix), [good], worker)
    assert final[good] == "completed"


def read_dead_letters(settings: Settings, keys: set[str], timeout: float) -> list[DeadLetter]:
    """Read the dead-letter topic until a letter for each key arrived (repeats are possible:
    a record redelivered after a rebalance is dead-lettered again)."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"{settings.topic_prefix}-dlq-reader",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([settings.topic(Topics.DEAD_LETTERS)])
    letters: list[DeadLetter] = []
    deadline = time.monotonic() + timeout
    try:
        while not keys <= {letter.key for letter in letters}:
            assert time.monotonic() < deadline, f"dead letters so far: {letters}"
            message = consumer.poll(0.5)
            if message is not None and not message.error():
                letter = decode(message.value() or b"").data
                assert isinstance(letter, DeadLetter)
                letters.append(letter)
    finally:
        consumer.close()
    return letters


async def test_the_case_state_changelog_raises_no_livelock_error(
    stack: Settings, worker: WorkerProcess, new_case_id: Callable[[], str]
) -> None:
    """The changelog is written as cases move and read only by table recovery: Faust's check
    for streams that never started must not take it for a stalled input."""
    submit(stack, {new_case_id(): {} for _ in range(3)})
    # Past the (shortened) timeout since the worker's last start, and a few checks more.
    left = STREAM_PROCESSING_TIMEOUT + 3 * LIVELOCK_EVERY - (time.monotonic() - worker.started_at)
    await asyncio.sleep(max(left, 3 * LIVELOCK_EVERY))
    assert worker.alive(), worker.tail()
    changelog = stack.topic(Topics.CASE_STATE)
    errors = [
        line
        for line in worker.log.read_text(errors="replace").splitlines()
        if "processing" in line and changelog in line
    ]
    assert errors == []
