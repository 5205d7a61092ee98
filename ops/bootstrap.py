"""The composition root of the ops API: real ports from ``Settings``, served on its own.

``build`` is the only place that knows which adapter serves the ops API's ports: the Redis read
model for the queries, the Kafka producer for operators' actions. It is called by ``python -m
ops`` at start-up, never at import; connections open lazily (Redis) or in the background (the
Kafka producer), and the app's lifespan closes them on shutdown.
"""

from __future__ import annotations

from fastapi import FastAPI

from onething.http.edges import ApiEdges, utc_now
from onething.readmodel.queries import RedisCaseDirectory
from onething.settings import Settings
from ops.api import create_ops_app

__all__ = ["build"]


def build(settings: Settings) -> FastAPI:
    """The ops API on Kafka and Redis; an action waits for the broker as a window request does."""
    edges = ApiEdges.open(settings)
    app = create_ops_app(
        settings,
        queries=RedisCaseDirectory(edges.redis, settings.topic_prefix),
        publisher=edges.publisher,
        clock=utc_now,
    )
    return edges.close_with(app)
