"""The Kafka publisher: one confluent-kafka producer whose delivery reports resolve awaitables.

``publish`` returns only when the broker has acknowledged the message (``acks=all``, idempotent
producer, the shared murmur2 partitioner from ``onething.kafka``), so the API can answer 202
meaning "on the broker". Delivery reports are served by one poller thread, so no request blocks
the event loop or another request while it waits.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Message

from contracts.envelope import Envelope, encode, key_for
from onething.http.ports import PublishFailed
from onething.kafka import make_producer
from onething.settings import Settings

__all__ = ["KafkaPublisher"]

_POLL_SECONDS = 0.05


class KafkaPublisher:
    def __init__(self, settings: Settings, *, timeout: float = 10.0) -> None:
        self._settings = settings
        self._timeout = timeout
        # librdkafka keeps retrying a message for message.timeout.ms; bounding it by our own
        # deadline means every message gets a delivery report (success or failure) in time.
        self._producer = make_producer(settings, **{"message.timeout.ms": int(timeout * 1000)})
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._lock = threading.Lock()

    async def publish(self, topic: str, envelope: Envelope[Any]) -> None:
        self._ensure_poller()
        loop = asyncio.get_running_loop()
        delivered: asyncio.Future[None] = loop.create_future()

        def report(error: KafkaError | None, _message: Message) -> None:
            loop.call_soon_threadsafe(_settle, delivered, error)

        try:
            self._producer.produce(
                self._settings.topic(topic),
                key=key_for(envelope),
                value=encode(envelope),
                on_delivery=report,
            )
        except (BufferError, KafkaException) as exc:
            raise PublishFailed(f"the producer refused the message: {exc}") from None
        try:
            # A little beyond message.timeout.ms: the failure report itself may come late.
            await asyncio.wait_for(delivered, timeout=self._timeout + 5)
        except TimeoutError:
            raise PublishFailed(f"no delivery report within {self._timeout:.0f}s") from None

    def close(self) -> None:
        """Stop the poller and deliver whatever is still queued (bounded by the timeout)."""
        self._stop.set()
        if self._poller is not None:
            self._poller.join()
        self._producer.flush(self._timeout)

    def _ensure_poller(self) -> None:
        with self._lock:
            if self._poller is None:
                self._poller = threading.Thread(
                    target=self._poll, name="window-kafka-poller", daemon=True
                )
                self._poller.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(_POLL_SECONDS)


def _settle(future: asyncio.Future[None], error: KafkaError | None) -> None:
    if future.done():  # the request gave up waiting already
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(PublishFailed(f"the broker did not take the message: {error}"))
