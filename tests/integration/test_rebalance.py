"""Two consumers in one group split a topic's partitions, and each message reaches its owner.

The first consumer takes every partition; when the second joins, the group rebalances, the
partitions are divided between them without overlap, and messages produced afterwards are
consumed exactly once, each by the consumer that owns its partition.
"""

from __future__ import annotations

import pytest
from confluent_kafka import Consumer, Message, Producer
from confluent_kafka.admin import NewTopic

from onething.kafka import admin_client
from onething.settings import Settings
from tests.integration.polling import consume_until, eventually

pytestmark = pytest.mark.integration

PARTITIONS = 4
MESSAGES = 40


def _consumer(stack: Settings, name: str) -> Consumer:
    return Consumer(
        {
            "bootstrap.servers": stack.kafka_bootstrap,
            "group.id": f"{stack.topic_prefix}-rebalance",
            "client.id": name,
            "auto.offset.reset": "earliest",
            "session.timeout.ms": 10000,
            "heartbeat.interval.ms": 500,
        }
    )


def _partitions(consumer: Consumer) -> set[int]:
    return {tp.partition for tp in consumer.assignment()}


def _owners(first: Consumer, second: Consumer) -> dict[int, str]:
    return dict.fromkeys(_partitions(first), "first") | dict.fromkeys(_partitions(second), "second")


def test_a_second_consumer_takes_half_the_partitions_and_only_its_messages(
    stack: Settings,
) -> None:
    topic = stack.topic("test.rebalance")
    admin = admin_client(stack)
    admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)])[
        topic
    ].result(timeout=30)
    eventually(lambda: topic in admin.list_topics(timeout=10).topics, timeout=30, what="the topic")

    first, second = _consumer(stack, "first"), _consumer(stack, "second")
    received: list[tuple[str, int, bytes]] = []

    def keep(consumer: Consumer, message: Message) -> None:
        name = "first" if consumer is first else "second"
        received.append((name, message.partition() or 0, message.value() or b""))

    try:
        first.subscribe([topic])
        consume_until(
            [first],
            lambda: len(_partitions(first)) == PARTITIONS,
            keep,
            timeout=60,
            what="the first consumer to own every partition",
        )
        second.subscribe([topic])

        def split() -> bool:
            mine, theirs = _partitions(first), _partitions(second)
            return bool(mine) and bool(theirs) and mine | theirs == set(range(PARTITIONS))

        consume_until([first, second], split, keep, timeout=60, what="the partitions to be split")
        owners = _owners(first, second)
        assert not _partitions(first) & _partitions(second)
        assert len(owners) == PARTITIONS

        producer = Producer({"bootstrap.servers": stack.kafka_bootstrap, "acks": "all"})
        for n in range(MESSAGES):
            producer.produce(topic, value=f"m{n}".encode(), partition=n % PARTITIONS)
        assert producer.flush(30) == 0

        consume_until(
            [first, second],
            lambda: len(received) >= MESSAGES,
            keep,
            timeout=60,
            what=f"{MESSAGES} messages",
        )
        # The group must not have rebalanced again while consuming.
        assert _owners(first, second) == owners
    finally:
        first.close()
        second.close()

    assert sorted(value for _, _, value in received) == sorted(
        f"m{n}".encode() for n in range(MESSAGES)
    )
    assert all(owners[partition] == name for name, partition, _ in received)
    assert {name for name, _, _ in received} == {"first", "second"}
