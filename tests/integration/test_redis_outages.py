"""Redis goes away and comes back, under workers that keep running: a Redis of these tests' own is
SIGKILLed and started again (with its append-only file, or wiped empty) while a department
worker and a projector worker run on it, on the session's broker.

- the participant neither exits nor leaves its group: commands taken while Redis is away are
  answered once it is back, each once, and a repeat still gets the stored reply;
- the projector skips nothing: events published while Redis is away reach the model, and a Redis
  that came back empty is filled again from the event topic by itself, equal to a rebuild;
- the window answers 503 with Retry-After while Redis is away, and a retried Idempotency-Key gets
  its first attempt's 202 even when Redis died between publishing and marking the key.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from confluent_kafka import Consumer, Message
from redis.exceptions import ConnectionError as RedisConnectionError

from contracts.departments import Department
from contracts.envelope import Envelope, decode, envelope_for
from contracts.identifiers import make_resident_id
from contracts.lifecycle import StepStatus
from contracts.saga import DepartmentCommand, DepartmentReply
from contracts.topics import Topics, command_topic
from departments.population import generate
from onething.http.publisher import KafkaPublisher
from onething.kafka import make_producer, publish
from onething.readmodel.queries import ReadModel
from onething.readmodel.rebuild import rebuild
from onething.redis_edge import connect
from onething.settings import Settings
from services.afterlife.case_ids import afterlife_case_id
from tests.conftest import own_stack
from tests.integration.test_window_api import read_topic
from tests.support.processes import WorkerProcess
from tests.support.redis_instance import RedisInstance
from tests.support.windows import with_one_window
from tests.unit.window.support import History, application
from window.bootstrap import build

pytestmark = pytest.mark.integration

SEED, PEOPLE = 13, 400
URL = "/v1/afterlife/applications"
WORLD = generate(SEED, PEOPLE)


@pytest.fixture(scope="module")
def own_redis() -> Iterator[RedisInstance]:
    instance = RedisInstance().start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def mine(stack: Settings, own_redis: RedisInstance) -> Settings:
    return own_stack(stack, "redis-outages").model_copy(update={"redis_url": own_redis.url})


@pytest.fixture(scope="module")
def departments(mine: Settings) -> Iterator[WorkerProcess]:
    process = WorkerProcess(
        mine,
        ["--name", "departments", "--department", "departments.local:simulators"],
        extra_env={
            "ONETHING_POPULATION_SEED": str(SEED),
            "ONETHING_POPULATION_SIZE": str(PEOPLE),
            "ONETHING_DEPARTMENTS": "public_security",
        },
    ).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def projector(mine: Settings) -> Iterator[WorkerProcess]:
    process = WorkerProcess(mine, ["--name", "projector", "--projector"]).start()
    yield process
    process.stop()


@pytest.fixture
async def model(mine: Settings) -> AsyncIterator[ReadModel]:
    client = connect(mine.redis_url)  # reconnects after each kill, as the workers' clients do
    yield ReadModel(client, mine.topic_prefix)
    await client.aclose()


def cancel_hukou(case_id: str, resident_id: str, died: str) -> DepartmentCommand:
    return DepartmentCommand(
        command_id=f"{case_id}:cancel_hukou:1",
        case_id=case_id,
        saga="afterlife",
        step="cancel_hukou",
        department=Department.PUBLIC_SECURITY.value,
        command="CancelHukou",
        attempt=1,
        payload={"resident_id": resident_id, "date_of_death": died,
                 "death_certificate_no": resident_id},
    )  # fmt: skip


def send_commands(settings: Settings, commands: list[DepartmentCommand]) -> None:
    producer = make_producer(settings)
    topic = settings.topic(command_topic(Department.PUBLIC_SECURITY))
    for command in commands:
        envelope = envelope_for(
            command, subject=command.case_id, source="/tests", id=command.command_id
        )
        publish(producer, topic, envelope)
    assert producer.flush(30) == 0


def replies(
    settings: Settings, wanted: set[str], worker: WorkerProcess, count: int, timeout: float = 90
) -> list[DepartmentReply]:
    """The first ``count`` replies to the commands ``wanted``, read from the start."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"{settings.topic_prefix}-outage-{time.monotonic_ns()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([settings.topic(Topics.DEPT_REPLIES)])
    got: list[DepartmentReply] = []
    deadline = time.monotonic() + timeout
    try:
        while len(got) < count:
            assert worker.alive(), worker.tail()
            assert time.monotonic() < deadline, f"{len(got)} of {count} replies\n{worker.tail()}"
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            data = decode(message.value() or b"").data
            if isinstance(data, DepartmentReply) and data.command_id in wanted:
                got.append(data)
        # Anything more that is already there (a reply sent twice) is read too.
        end = time.monotonic() + 3
        while time.monotonic() < end:
            message = consumer.poll(0.3)
            if message is not None and not message.error():
                data = decode(message.value() or b"").data
                if isinstance(data, DepartmentReply) and data.command_id in wanted:
                    got.append(data)
    finally:
        consumer.close()
    return got


def test_a_participant_waits_for_redis_and_answers_every_command_once(
    mine: Settings, own_redis: RedisInstance, departments: WorkerProcess
) -> None:
    people = list(WORLD.find_all(certified_dead=True, hukou_active=True))[:8]
    assert len(people) == 8
    run = f"ro{int(time.time() * 1000)}"
    commands = [
        cancel_hukou(f"{run}-{n}", p.resident_id, str(p.date_of_death))
        for n, p in enumerate(people)
    ]
    warm = commands[:2]
    send_commands(mine, warm)
    assert 2 == len(replies(mine, {c.command_id for c in warm}, departments, 2))

    own_redis.kill()
    send_commands(mine, commands[2:])
    time.sleep(4)  # longer than a Faust agent's restart budget would last
    assert departments.alive(), departments.tail()
    own_redis.start()

    ids = {c.command_id for c in commands[2:]}
    answered = replies(mine, ids, departments, len(ids))
    assert sorted(ids) == sorted(r.command_id for r in answered)  # each once
    assert {"HukouCancelled"} == {r.reply for r in answered}
    log = departments.log.read_text()
    assert 1 == log.count('"redis.unavailable"'), "one warning for one outage"
    assert '"redis.available"' in log

    # The memory survived the restart (append-only file): a repeat gets the stored reply.
    send_commands(mine, commands[2:3])
    again = replies(mine, {commands[2].command_id}, departments, 2)
    assert again[0] == again[1]


def publish_events(settings: Settings, histories: list[History]) -> None:
    producer = make_producer(settings)
    topic = settings.topic(Topics.CASE_EVENTS)
    for history in histories:
        for event in history.events:
            envelope = envelope_for(
                event, subject=event.case_id, source="/tests", id=event.event_id
            )
            publish(producer, topic, envelope)
    assert producer.flush(30) == 0


def a_case(case_id: str) -> History:
    return (
        History(case_id)
        .received()
        .step("verify_death", StepStatus.DISPATCHED, department="health", attempt=1)
        .step("verify_death", StepStatus.SUCCEEDED, department="health", attempt=1)
    )


async def until_known(model: ReadModel, case_ids: list[str], worker: WorkerProcess) -> None:
    deadline = time.monotonic() + 60
    for case_id in case_ids:
        while (await model.case(case_id)) is None or len(
            (await model.case(case_id) or {}).get("timeline", [])
        ) < 3:
            assert worker.alive(), worker.tail()
            assert time.monotonic() < deadline, f"{case_id} never projected\n{worker.tail()}"
            await asyncio.sleep(0.2)


async def settled_dump(model: ReadModel) -> dict[str, object]:
    """The model once it stopped changing for two seconds."""
    last: dict[str, object] = {}
    stable_since = time.monotonic()
    deadline = time.monotonic() + 60
    while True:
        try:
            now = await model.dump()
        except RedisConnectionError:
            now = {}
        if json.dumps(now, sort_keys=True) != json.dumps(last, sort_keys=True):
            last, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since > 2:
            return last
        assert time.monotonic() < deadline, "the read model never settled"
        await asyncio.sleep(0.25)


async def test_the_projector_skips_nothing_while_redis_is_away_and_refills_an_empty_redis(
    mine: Settings, own_redis: RedisInstance, projector: WorkerProcess, model: ReadModel
) -> None:
    run = f"rp{int(time.time() * 1000)}"
    before = [a_case(f"{run}-a{n}") for n in range(6)]
    publish_events(mine, before)
    await until_known(model, [h.case_id for h in before], projector)

    own_redis.kill()
    during = [a_case(f"{run}-b{n}") for n in range(6)]
    publish_events(mine, during)
    await asyncio.sleep(4)
    assert projector.alive(), projector.tail()
    own_redis.start()
    await until_known(model, [h.case_id for h in before + during], projector)
    live = await settled_dump(model)
    await rebuild(mine, model.redis)
    assert live == await model.dump(), "the live model differs from a rebuild"

    # Back empty: the projector sees a new Redis and replays the topic into it by itself.
    own_redis.kill()
    own_redis.wipe()
    own_redis.start()
    await until_known(model, [h.case_id for h in before + during], projector)
    assert live == await settled_dump(model)
    assert '"redis.restarted"' in projector.log.read_text()


@pytest.fixture
def window_settings(mine: Settings, tmp_path: Path) -> Settings:
    return with_one_window(mine, tmp_path, "outage-window-key")


def a_new_application() -> tuple[str, dict[str, object]]:
    birth = date(1930, 1, 1) + timedelta(days=secrets.randbelow(11_500))
    deceased = make_resident_id("321302", birth, secrets.randbelow(1000))
    body = application(deceased_id=deceased, death_certificate_no=deceased)
    return afterlife_case_id(deceased), body


async def test_the_window_is_503_while_redis_is_away_then_a_retry_is_accepted(
    window_settings: Settings, own_redis: RedisInstance
) -> None:
    case_id, body = a_new_application()
    headers = {"X-Window-Key": "outage-window-key", "Idempotency-Key": secrets.token_hex(8)}
    app = build(window_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://window") as client:
            own_redis.kill()
            try:
                away = await client.post(URL, json=body, headers=headers)
                reading = await client.get(f"/v1/cases/{case_id}", headers=headers)
            finally:
                own_redis.start()
            back = await client.post(URL, json=body, headers=headers)

    assert (503, "5") == (away.status_code, away.headers["Retry-After"])
    assert 503 == reading.status_code
    assert (202, case_id) == (back.status_code, back.json()["case_id"])
    assert 1 == len(requests_for(window_settings, case_id))


async def test_a_retry_gets_the_first_202_when_redis_died_after_the_publish(
    window_settings: Settings, own_redis: RedisInstance, monkeypatch: pytest.MonkeyPatch
) -> None:
    class KillsRedisAfterPublishing(KafkaPublisher):
        async def publish(self, topic: str, envelope: Envelope[Any]) -> None:
            await super().publish(topic, envelope)
            own_redis.kill()

    monkeypatch.setattr("onething.http.edges.KafkaPublisher", KillsRedisAfterPublishing)
    case_id, body = a_new_application()
    headers = {"X-Window-Key": "outage-window-key", "Idempotency-Key": secrets.token_hex(8)}
    app = build(window_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://window") as client:
            try:
                first = await client.post(URL, json=body, headers=headers)
            finally:
                own_redis.start()
            monkeypatch.setattr(KillsRedisAfterPublishing, "publish", KafkaPublisher.publish)
            retry = await client.post(URL, json=body, headers=headers)
            again = await client.post(URL, json=body, headers=headers)

    assert (202, 202, 202) == (first.status_code, retry.status_code, again.status_code)
    assert first.json() == retry.json() == again.json()
    assert "true" == again.headers["Idempotent-Replayed"]
    sent = requests_for(window_settings, case_id)
    # The retry published the same message again under the same id; the third did not publish.
    assert 2 == len(sent) and 1 == len({decode(m.value() or b"").id for m in sent})


def requests_for(settings: Settings, case_id: str) -> list[Message]:
    return [m for m in read_topic(settings, Topics.CASE_REQUESTS) if m.key() == case_id.encode()]
