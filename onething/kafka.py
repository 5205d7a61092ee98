"""confluent-kafka clients configured once: producer, admin, and the partitioner everyone shares.

Faust (through aiokafka) places a key with murmur2, as the Java client does. Every producer we make
with confluent-kafka must do the same, or one case's messages would land on different partition
numbers of co-partitioned topics and the case table would split.
"""

from __future__ import annotations

from typing import Any

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient

from contracts.envelope import Envelope, encode, key_for
from onething.settings import Settings

__all__ = ["admin_client", "make_producer", "publish"]

PARTITIONER = "murmur2_random"


def make_producer(settings: Settings, **overrides: Any) -> Producer:
    config: dict[str, Any] = {
        "bootstrap.servers": settings.kafka_bootstrap,
        "partitioner": PARTITIONER,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
    }
    config.update(overrides)
    return Producer(config)


def admin_client(settings: Settings) -> AdminClient:
    return AdminClient({"bootstrap.servers": settings.kafka_bootstrap})


def publish(producer: Producer, topic: str, envelope: Envelope[Any]) -> None:
    """Queue one envelope, keyed by its subject; call ``producer.flush()`` to wait for acks."""
    producer.produce(topic, key=key_for(envelope), value=encode(envelope))
    producer.poll(0)
