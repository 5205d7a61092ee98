"""The composition root of the ops API: real ports from ``Settings``, served on its own.

``build`` is the only place that knows which adapter serves the ops API's ports: the Redis read
model for the queries, the Kafka producer for operators' actions. It is called by ``python -m
ops`` at start-up, never at import; connections open lazily (Redis) or in the background (the
Kafka producer), and the app's lifespan closes them on shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI

from onething.http.publisher import KafkaPublisher
from onething.readmodel.queries import RedisCaseDirectory
from onething.redis_edge import connect
from onething.settings import Settings
from ops.api import create_ops_app

__all__ = ["build"]


def _now() -> datetime:
    return datetime.now(UTC)


def build(settings: Settings) -> FastAPI:
    """The ops API on Kafka and Redis."""
    # Short timeouts, as for the window: a query waits a few seconds for a Redis that is gone.
    redis = connect(settings.redis_url, socket_timeout=2.0)
    # An action is published like a window's request, and waits as long for the broker.
    publisher = KafkaPublisher(settings, timeout=settings.window_publish_timeout)
    app = create_ops_app(
        settings,
        queries=RedisCaseDirectory(redis, settings.topic_prefix),
        publisher=publisher,
        clock=_now,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            publisher.close()
            await redis.aclose()

    app.router.lifespan_context = lifespan
    return app
