"""The window API on the real stack: the Redis adapters pass the same contract tests as the fakes
(run side by side), and an application posted through the app built by ``window.bootstrap`` is on
the request topic as one ``StartCase`` under the case's key, even when the window retries; that app
serves no ops route."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from confluent_kafka import OFFSET_BEGINNING, Consumer, Message, TopicPartition

from contracts.envelope import decode, envelope_for
from contracts.identifiers import make_resident_id
from contracts.lifecycle import CaseEvent, CaseStatus
from contracts.saga import Signal, StartCase
from contracts.topics import Topics
from onething.http.publisher import KafkaPublisher
from onething.readmodel.awaiting import epoch_ms
from onething.readmodel.fake import InMemoryReadModel
from onething.readmodel.keys import Keys
from onething.readmodel.projector import Projector
from onething.readmodel.queries import RedisCaseDirectory
from onething.settings import Settings
from services.afterlife.case_ids import afterlife_case_id
from tests.support.windows import with_one_window
from tests.unit.window.contracts import (
    AwaitingReplyContract,
    ClerkTaskContract,
    IdempotencyStoreContract,
    ReadModelContract,
    a_case,
    dispatched,
    dispatched_then_done,
    retried_after_a_timeout,
)
from tests.unit.window.support import NOW, SUCHENG, History, application, opened
from window.adapters.idempotency import RedisIdempotencyStore, idempotency_key
from window.bootstrap import build
from window.fakes import InMemoryIdempotencyStore
from window.ports import PublishFailed, Remembered

pytestmark = pytest.mark.integration


@pytest.fixture
async def redis(stack: Settings) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def prefix(stack: Settings) -> str:
    """A key prefix of this test's own, inside the session's, so every test starts empty."""
    return f"{stack.topic_prefix}:contract-{secrets.token_hex(4)}"


class TestIdempotencyStores(IdempotencyStoreContract):
    @pytest.fixture(params=["memory", "redis"])
    def store(self, request: pytest.FixtureRequest, redis: aioredis.Redis, prefix: str) -> Any:
        if request.param == "memory":
            return InMemoryIdempotencyStore(lambda: NOW)
        return RedisIdempotencyStore(redis, prefix)


class TestReadModels(ReadModelContract, AwaitingReplyContract, ClerkTaskContract):
    @pytest.fixture(params=["memory", "redis"])
    def read_model(
        self, request: pytest.FixtureRequest, redis: aioredis.Redis, prefix: str
    ) -> tuple[Any, Callable[[CaseEvent], Any]]:
        if request.param == "memory":
            model = InMemoryReadModel()
            return model, model.apply
        return RedisCaseDirectory(redis, prefix), Projector(redis, prefix).apply


async def test_the_fake_read_model_holds_exactly_what_redis_holds(
    redis: aioredis.Redis, prefix: str
) -> None:
    fake, real = InMemoryReadModel(), RedisCaseDirectory(redis, prefix)
    projector = Projector(redis, prefix)
    events = a_case("AD-same").overdue().ended(CaseStatus.PARTIALLY_COMPLETED).events
    for event in [*events, events[2], events[0]]:  # with two redeliveries
        assert await fake.apply(event) == await projector.apply(event)

    assert await real.case("AD-same") == await fake.case("AD-same")


async def test_a_step_row_is_stored_the_same_byte_for_byte_whatever_order_its_fields_came(
    redis: aioredis.Redis, prefix: str
) -> None:
    # A rebuild is compared with the live model key by key, so equal rows must be equal strings.
    projector, keys = Projector(redis, prefix), Keys(prefix)
    scrambled = list(enumerate(dispatched_then_done("AD-x1").events, start=100))
    for position, event in [scrambled[0], scrambled[2], scrambled[1]]:
        await projector.apply(event, position=position)
    for position, event in enumerate(dispatched_then_done("AD-x2").events, start=100):
        await projector.apply(event, position=position)

    stored = [
        await redis.hget(keys.steps(case_id), "notify_pension") for case_id in ("AD-x1", "AD-x2")
    ]
    assert stored[0] is not None and stored[0] == stored[1]


async def test_the_awaiting_reply_index_is_kept_by_the_projector_as_the_fake_keeps_it(
    redis: aioredis.Redis, prefix: str
) -> None:
    # In Redis the index is a sorted set the Lua script maintains: `case_id|step` scored by the
    # current attempt's dispatch in epoch milliseconds, the same for any arrival order.
    projector, keys, fake = Projector(redis, prefix), Keys(prefix), InMemoryReadModel()
    events = list(enumerate(retried_after_a_timeout("AD-i1").events, start=100))
    for position, event in [events[4], events[0], events[3], events[1], events[2]]:
        assert await fake.apply(event, position) == await projector.apply(event, position)
    closed = dispatched(History("AD-i2").received(), "hukou").ended(CaseStatus.WITHDRAWN)
    for event in closed.events:
        await fake.apply(event)
        await projector.apply(event)

    index = await redis.zrange(keys.awaiting_reply(), 0, -1, withscores=True)
    later = NOW + timedelta(days=1)
    assert [(b"AD-i1|stop_pension", float(epoch_ms(events[4][1].at)))] == index
    assert await fake.awaiting_reply(later) == await RedisCaseDirectory(
        redis, prefix
    ).awaiting_reply(later)
    assert await fake.case("AD-i1") == await RedisCaseDirectory(redis, prefix).case("AD-i1")


async def test_the_redis_store_keeps_a_decision_for_a_day_and_nothing_personal(
    redis: aioredis.Redis, prefix: str
) -> None:
    store = RedisIdempotencyStore(redis, prefix)
    key = idempotency_key(prefix, SUCHENG.window_id, "k1")
    decided = Remembered("hash-a", "AD-1", "received")

    await store.promise(SUCHENG.window_id, "k1", decided)
    promised_ttl = await redis.ttl(key)
    await store.fulfil(SUCHENG.window_id, "k1", decided)
    answer_ttl = await redis.ttl(key)

    assert f"{prefix}:window:idem:suqian-sucheng-hall:k1" == key
    assert 24 * 3600 - 5 < promised_ttl <= 24 * 3600
    assert 24 * 3600 - 5 < answer_ttl <= 24 * 3600
    assert {"body_hash", "case_id", "outcome", "published"} == set(
        json.loads(await redis.get(key) or b"{}")
    )


async def test_the_kafka_publisher_fails_in_time_when_the_broker_cannot_take_a_message(
    stack: Settings,
) -> None:
    publisher = KafkaPublisher(stack, timeout=2)
    signal = Signal(case_id="AD-x", step="family_application", actor="window:test")
    started = time.monotonic()
    try:
        with pytest.raises(PublishFailed):
            # Topics are never auto-created, so this one cannot take anything.
            await publisher.publish(
                "no.such.topic", envelope_for(signal, subject="AD-x", source="/tests")
            )
    finally:
        publisher.close()
    assert time.monotonic() - started < 10


@pytest.fixture
def window_settings(stack: Settings, tmp_path: Path) -> Settings:
    return with_one_window(stack, tmp_path, "integration-window-key")


async def test_a_posted_application_is_one_start_case_on_the_request_topic_under_its_key(
    window_settings: Settings,
) -> None:
    # A deceased nobody else in this session uses, so the read model knows no case for them.
    # Born before 1962, so the applicant of `application()` (born 1976) can be their child.
    birth = date(1930, 1, 1) + timedelta(days=secrets.randbelow(11_500))
    deceased = make_resident_id("321302", birth, secrets.randbelow(1000))
    case_id = afterlife_case_id(deceased)
    body = application(deceased_id=deceased, death_certificate_no=deceased)
    headers = {"X-Window-Key": "integration-window-key", "Idempotency-Key": secrets.token_hex(8)}
    app = build(window_settings)

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://window") as client:
            first = await client.post("/v1/afterlife/applications", json=body, headers=headers)
            retry = await client.post("/v1/afterlife/applications", json=body, headers=headers)
            # The ops API is another server (python -m ops); the window does not know its routes.
            ops = await client.get("/v1/ops/cases", headers={"X-Ops-Key": "ops-local-key"})

    assert (202, case_id) == (first.status_code, first.json()["case_id"])
    assert 404 == ops.status_code
    assert (202, first.json(), "true") == (
        retry.status_code,
        retry.json(),
        retry.headers["Idempotent-Replayed"],
    )
    mine = [
        m for m in read_topic(window_settings, Topics.CASE_REQUESTS) if m.key() == case_id.encode()
    ]
    assert 1 == len(mine), "the retry must not publish again"
    envelope = decode(mine[0].value() or b"")
    start = envelope.data
    assert isinstance(start, StartCase)
    assert (case_id, "/window/suqian-sucheng-hall") == (envelope.subject, envelope.source)
    assert ("afterlife", "321302", deceased) == (
        start.saga,
        start.division_code,
        opened(start.data, case_id)["deceased_id"],
    )
    assert deceased.encode() not in (mine[0].value() or b"")  # sealed on the broker
    assert datetime.now(UTC) - start.received_at < timedelta(minutes=5)


def read_topic(settings: Settings, name: str, timeout: float = 30) -> list[Message]:
    """Every message now on a topic: each partition read from its start to its high watermark."""
    topic = settings.topic(name)
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"{settings.topic_prefix}-window-reader-{secrets.token_hex(3)}",
            "enable.auto.commit": False,
        }
    )
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        ends = {
            p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
            for p in partitions
        }
        left = {p for p, end in ends.items() if end > 0}
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in left])
        messages: list[Message] = []
        deadline = time.monotonic() + timeout
        while left:
            assert time.monotonic() < deadline, f"could not read {topic} to its end"
            message = consumer.poll(0.2)
            if message is None or message.error():
                continue
            messages.append(message)
            if (message.offset() or 0) + 1 >= ends[message.partition() or 0]:
                left.discard(message.partition() or 0)
        return messages
    finally:
        consumer.close()
