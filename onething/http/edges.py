"""The connections an API process holds, opened and closed in one place: a Redis client with
short timeouts (a request waits a few seconds for a Redis that is gone, then answers 503) and
the Kafka publisher, closed by the app's lifespan when the server stops."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import FastAPI
from redis.asyncio import Redis

from onething.http.publisher import KafkaPublisher
from onething.redis_edge import connect
from onething.settings import Settings

__all__ = ["ApiEdges", "utc_now"]

REQUEST_REDIS_TIMEOUT = 2.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ApiEdges:
    redis: Redis
    publisher: KafkaPublisher

    @classmethod
    def open(cls, settings: Settings) -> ApiEdges:
        """Nothing connects yet: Redis on first use, the producer in the background."""
        return cls(
            redis=connect(settings.redis_url, socket_timeout=REQUEST_REDIS_TIMEOUT),
            publisher=KafkaPublisher(settings, timeout=settings.window_publish_timeout),
        )

    def close_with(self, app: FastAPI) -> FastAPI:
        """Have the app close these when it shuts down."""

        @asynccontextmanager
        async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
            try:
                yield
            finally:
                self.publisher.close()
                await self.redis.aclose()

        app.router.lifespan_context = lifespan
        return app
