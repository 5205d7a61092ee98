"""The composition root of the window API: real ports from ``Settings``, the window routes only.

``build`` is the only place that knows which adapter serves which port. It is called by
``python -m window`` at start-up, never at import; connections open lazily (Redis) or in the
background (the Kafka producer), and the app's lifespan closes them on shutdown. The ops API
has a composition root of its own (``ops.bootstrap``) and serves on its own port.
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
from window.adapters.idempotency import RedisIdempotencyStore
from window.adapters.registry import FileWindowRegistry
from window.app import create_app

__all__ = ["build"]


def _now() -> datetime:
    return datetime.now(UTC)


def build(settings: Settings) -> FastAPI:
    """The window API on Kafka and Redis."""
    # Short timeouts: a request waits at most a few seconds for a Redis that is gone, then 503.
    redis = connect(settings.redis_url, socket_timeout=2.0)
    publisher = KafkaPublisher(settings, timeout=settings.window_publish_timeout)
    app = create_app(
        settings,
        publisher=publisher,
        directory=RedisCaseDirectory(redis, settings.topic_prefix),
        idempotency=RedisIdempotencyStore(redis, settings.topic_prefix),
        windows=FileWindowRegistry.from_file(settings.window_keys_file),
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
