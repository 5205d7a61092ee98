"""Safe retries: a submission repeated with the same ``Idempotency-Key`` is answered, not redone.

A keyed request first decides what it does (which case, which outcome: from the read model, with
no side effect) and keeps that decision under its key, then publishes, then marks the key
published. A repeat with the same body gets the same 202 back: if the first was published, with
nothing published again; if it may not have been (it died half-way, the broker did not confirm
in time, Redis went away before the key was marked), by publishing the kept decision's messages
again under the same ids, which the orchestrator recognises, so nothing happens twice. A repeat
with another body is refused (422). A refused request keeps nothing, so a retry decides afresh.
The decision is kept before publishing, not after: a retry never decides again against the case
its own first attempt created, and so is never told that its case already exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from fastapi import HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from onething.redis_edge import REDIS_DOWN
from window.ports import IdempotencyStore, Remembered, Window
from window.publishing import MessageIds, accepted

__all__ = [
    "IDEMPOTENCY_HEADER",
    "CarryOut",
    "Decide",
    "Decision",
    "body_hash",
    "respond_once",
]

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
log = structlog.get_logger("onething.window")


@dataclass(frozen=True)
class Decision:
    """What a request does: the case it is about and the outcome its 202 names."""

    case_id: str
    outcome: str


# Reads what it needs and decides, publishing nothing; refuses by raising HTTPException.
Decide = Callable[[], Awaitable[Decision]]
# Publishes the messages that carry a decision out, with the given ids.
CarryOut = Callable[[Decision, MessageIds], Awaitable[None]]


def body_hash(path: str, body: BaseModel) -> str:
    """A hash of what was asked: the path (a key reused on another route is another body) and the
    validated body in canonical JSON (so whitespace or key order do not matter)."""
    return hashlib.sha256(f"{path}\n{body.model_dump_json()}".encode()).hexdigest()


async def respond_once(
    store: IdempotencyStore,
    window: Window,
    key: str | None,
    request_hash: str,
    decide: Decide,
    carry_out: CarryOut,
) -> JSONResponse:
    if key is None:
        decision = await decide()
        await carry_out(decision, MessageIds(None))
        return _response(decision)
    held = await store.recall(window.window_id, key)
    if held is None:
        decision = await decide()
        mine = Remembered(request_hash, decision.case_id, decision.outcome)
        # A concurrent twin may have kept its decision first: then carry out that one.
        held = await store.promise(window.window_id, key, mine) or mine
        fresh = held is mine
    else:
        fresh = False
    if held.body_hash != request_hash:
        raise HTTPException(
            status_code=422,
            detail=f"{IDEMPOTENCY_HEADER} {key!r} was already used with a different body;"
            " use a new key for a new request",
        )
    decision = Decision(held.case_id, held.outcome)
    if held.published:
        return _response(decision, replayed=True)
    await carry_out(decision, MessageIds(f"{window.window_id}:{key}:{request_hash}"))
    try:
        await store.fulfil(window.window_id, key, held)
    except REDIS_DOWN as exc:
        # The messages are on the broker: the answer is 202 all the same. A retry finds the key
        # not marked and publishes the same messages again, which the orchestrator ignores.
        log.warning(
            "idempotency.unmarked",
            case_id=decision.case_id,
            error=f"{type(exc).__name__}: {exc}",
            action="none: a retry with this key republishes under the same ids, harmlessly",
        )
    return _response(decision, replayed=not fresh)


def _response(decision: Decision, *, replayed: bool = False) -> JSONResponse:
    status_code, body = accepted(decision.case_id, decision.outcome)
    headers = {REPLAY_HEADER: "true"} if replayed else {}
    location = body.get("links", {}).get("self")
    if isinstance(location, str):
        headers["Location"] = location
    return JSONResponse(status_code=status_code, content=body, headers=headers)
