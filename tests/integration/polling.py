"""Bounded waiting for integration tests: consume until a condition holds, or fail saying why.

Kafka and a Faust worker answer "soon", not "now"; tests wait on the outcome they assert, with a
deadline, and never sleep a fixed time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from confluent_kafka import Consumer, Message

__all__ = ["consume_until", "eventually"]


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
