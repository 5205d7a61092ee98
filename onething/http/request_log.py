"""One structlog line per HTTP request: route, method, status, duration, window and case.

An ASGI middleware writes the line when the response starts (or when the app fails). Handlers add
what only they know (``window_id``, ``case_id``, ``actor``) with ``note()``, which writes into a
dict the middleware created for this request; a dict, not context variables, because FastAPI runs
some dependencies in other threads and tasks whose context changes would not come back. Request
and response bodies are never logged.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestLog", "note"]

log = structlog.get_logger("onething.window")
_fields: ContextVar[dict[str, Any] | None] = ContextVar("window_request_fields", default=None)


def note(**fields: Any) -> None:
    """Add fields to the current request's log line (a no-op outside a request)."""
    current = _fields.get()
    if current is not None:
        current.update(fields)


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fields: dict[str, Any] = {}
        token = _fields.set(fields)
        started = time.perf_counter()
        status = 500  # if the app raises before answering, the server answers 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            log.info(
                "http.request",
                method=scope["method"],
                route=getattr(route, "path", scope["path"]),
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                **fields,
            )
            _fields.reset(token)
