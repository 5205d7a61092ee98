"""The composition root of the window API: real ports from ``Settings``, the window routes only.

``build`` is the only place that knows which adapter serves which port. It is called by
``python -m window`` at start-up, never at import; connections open lazily (Redis) or in the
background (the Kafka producer), and the app's lifespan closes them on shutdown. The ops API
has a composition root of its own (``ops.bootstrap``) and serves on its own port.
"""

from __future__ import annotations

from fastapi import FastAPI

from onething.http.edges import ApiEdges, utc_now
from onething.readmodel.queries import RedisCaseDirectory
from onething.settings import Settings
from window.adapters.idempotency import RedisIdempotencyStore
from window.adapters.registry import FileWindowRegistry
from window.app import create_app

__all__ = ["build"]


def build(settings: Settings) -> FastAPI:
    """The window API on Kafka and Redis."""
    edges = ApiEdges.open(settings)
    app = create_app(
        settings,
        publisher=edges.publisher,
        directory=RedisCaseDirectory(edges.redis, settings.topic_prefix),
        idempotency=RedisIdempotencyStore(edges.redis, settings.topic_prefix),
        windows=FileWindowRegistry.from_file(settings.window_keys_file),
        clock=utc_now,
    )
    return edges.close_with(app)
