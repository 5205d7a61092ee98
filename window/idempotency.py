"""Safe retries: a submission repeated with the same ``Idempotency-Key`` is answered, not redone.

The first request with a key claims it, does its work and stores its answer; a repeat with the
same body gets that answer again (and publishes nothing), a repeat with another body is refused
(422), and one that arrives while the first is still running is told to wait (409). A request that
is not accepted releases its claim, so a retry is processed afresh. The messages of a keyed
request get ids derived from the key and the body, so if a retry does publish again (the first
attempt failed half-way), the orchestrator recognises every message it already has.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from window.ports import IdempotencyStore, Window

__all__ = ["IDEMPOTENCY_HEADER", "MessageIds", "Work", "body_hash", "respond_once"]

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"


class MessageIds:
    """Envelope ids for one request: derived from a seed if given, else random."""

    def __init__(self, seed: str | None) -> None:
        self._seed = seed
        self._count = 0

    def next(self) -> str:
        self._count += 1
        if self._seed is None:
            return uuid.uuid4().hex
        return hashlib.sha256(f"{self._seed}:{self._count}".encode()).hexdigest()[:32]


# The work a request does once: given its message ids, publish and return (status, body).
Work = Callable[[MessageIds], Awaitable[tuple[int, dict[str, Any]]]]


def body_hash(path: str, body: BaseModel) -> str:
    """A hash of what was asked: the path (a key reused on another route is another body) and the
    validated body in canonical JSON (so whitespace or key order do not matter)."""
    return hashlib.sha256(f"{path}\n{body.model_dump_json()}".encode()).hexdigest()


async def respond_once(
    store: IdempotencyStore, window: Window, key: str | None, request_hash: str, work: Work
) -> JSONResponse:
    if key is None:
        return _response(*await work(MessageIds(None)))
    held = await store.claim(window.window_id, key, request_hash)
    if held is not None:
        if held.body_hash != request_hash:
            raise HTTPException(
                status_code=422,
                detail=f"{IDEMPOTENCY_HEADER} {key!r} was already used with a different body;"
                " use a new key for a new request",
            )
        if held.status_code is None or held.body is None:
            raise HTTPException(
                status_code=409,
                detail=f"a request with {IDEMPOTENCY_HEADER} {key!r} is still being processed;"
                " retry shortly",
            )
        return _response(held.status_code, held.body, replayed=True)
    try:
        status_code, body = await work(MessageIds(f"{window.window_id}:{key}:{request_hash}"))
    except BaseException:
        await store.release(window.window_id, key)
        raise
    await store.complete(window.window_id, key, request_hash, status_code, body)
    return _response(status_code, body)


def _response(status_code: int, body: dict[str, Any], *, replayed: bool = False) -> JSONResponse:
    headers = {REPLAY_HEADER: "true"} if replayed else {}
    location = body.get("links", {}).get("self")
    if isinstance(location, str):
        headers["Location"] = location
    return JSONResponse(status_code=status_code, content=body, headers=headers)
