"""Envelopes through a real broker with confluent-kafka: encode, produce, consume, decode.

Proves the wire format survives Kafka unchanged (Chinese text as UTF-8 characters), that the case
id is the key, and that one case's messages keep their order on one partition.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from confluent_kafka import Consumer, Message

from contracts.demo import DemoPing
from contracts.envelope import Envelope, decode, encode, envelope_for
from contracts.saga import StartCase
from contracts.topics import Topics
from onething.kafka import make_producer, publish
from onething.settings import Settings
from tests.integration.polling import consume_until

pytestmark = pytest.mark.integration


def test_an_envelope_with_chinese_text_round_trips_in_order_under_its_case_key(
    stack: Settings, new_case_id: Callable[[], str]
) -> None:
    case_id = new_case_id()
    now = datetime.now(UTC)
    start = StartCase(
        case_id=case_id,
        saga="afterlife",
        division_code="321302",
        data={"deceased_name": "张三", "place": "宿迁市宿城区", "note": "户口注销，医保停保"},
        received_at=now,
    )
    ping = DemoPing(run_id="roundtrip", seq=1, text="身后一件事：一次办好", sent_at=now)
    sent = [
        envelope_for(start, subject=case_id, source="/tests/integration"),
        envelope_for(ping, subject=case_id, source="/tests/integration"),
    ]
    topic = stack.topic(Topics.CASE_REQUESTS)
    producer = make_producer(stack)
    for envelope in sent:
        publish(producer, topic, envelope)
    assert producer.flush(30) == 0

    ids = {envelope.id for envelope in sent}
    received: list[Message] = []

    def keep(_consumer: Consumer, message: Message) -> None:
        if decode(message.value() or b"").id in ids:
            received.append(message)

    consumer = Consumer(
        {
            "bootstrap.servers": stack.kafka_bootstrap,
            "group.id": f"{stack.topic_prefix}-roundtrip-{secrets.token_hex(3)}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    try:
        consume_until(
            [consumer], lambda: len(received) == 2, keep, timeout=60, what="both envelopes"
        )
    finally:
        consumer.close()

    decoded: list[Envelope[Any]] = [decode(m.value() or b"") for m in received]
    assert [d.model_dump() for d in decoded] == [s.model_dump() for s in sent]
    assert [type(d.data) for d in decoded] == [StartCase, DemoPing]
    assert decoded[0].data.data["place"] == "宿迁市宿城区"
    assert decoded[1].data.text == "身后一件事：一次办好"
    raw = [m.value() or b"" for m in received]
    assert raw == [encode(s) for s in sent]
    assert "户口注销，医保停保".encode() in raw[0]
    assert all(b"\\u" not in r for r in raw)
    assert {m.key() for m in received} == {case_id.encode()}
    assert received[0].partition() == received[1].partition()
    earlier, later = (m.offset() for m in received)
    assert earlier is not None and later is not None and earlier < later
