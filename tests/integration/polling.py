"""Bounded waiting for integration tests: consume until a condition holds, or fail saying why.

Kafka and a Faust worker answer "soon", not "now"; tests wait on the outcome they assert, with a
deadline, and never sleep a fixed time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from confluent_kafka import Consumer, Message, TopicPartition

from onething.settings import Settings

__all__ = ["consume_until", "eventually", "wait_committed_to_end"]


def eventually(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Call ``check`` until it returns True; fail the test naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.1)


def consume_until(
    consumers: Iterable[Consumer],
    done: Callable[[], bool],
    on_message: Callable[[Consumer, Message], None],
    *,
    timeout: float,
    what: str,
) -> None:
    """Poll every consumer in turn (so each keeps its group membership) until ``done()``."""
    clients = list(consumers)
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        for consumer in clients:
            message = consumer.poll(0.1)
            if message is None:
                continue
            error = message.error()
            if error is not None:
                raise AssertionError(f"consumer error: {error}")
            on_message(consumer, message)


def wait_committed_to_end(
    settings: Settings,
    group: str,
    topics: Sequence[str],
    *,
    timeout: float,
    settle: float = 2.5,
) -> None:
    """Wait until consumer ``group`` has committed every partition of ``topics`` to its end, and
    still has ``settle`` seconds later.

    The group's commit point only passes records it has processed, so this is "nothing is left
    in flight", which a terminal case status alone does not prove: a rewound consumer may still
    owe an earlier record, and a reply handled again after a case ended adds an event to it.
    Holding for longer than the commit interval covers what the last records processed sent on.
    """
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": group,  # never subscribes, so it only reads the group's commits
            "enable.auto.commit": False,
        }
    )
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(consumer.list_topics(topic, timeout=10).topics[topic].partitions)
        ]

        def at_end() -> bool:
            for tp in consumer.committed(partitions, timeout=10):
                _low, high = consumer.get_watermark_offsets(tp, timeout=10)
                if max(tp.offset, 0) < high:
                    return False
            return True

        def settled() -> bool:
            if not at_end():
                return False
            time.sleep(settle)
            return at_end()

        eventually(settled, timeout=timeout, what=f"{group} to commit {list(topics)} to the end")
    finally:
        consumer.close()
