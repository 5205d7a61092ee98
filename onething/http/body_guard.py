"""An ASGI middleware that looks at a request body before anything parses it.

Two rules the models cannot enforce, because by the time they see a body it is already parsed:
- **size**: a body over ``limit`` bytes is answered 413 without being read (by its Content-Length)
  or as soon as the bytes streamed so far pass the limit (a chunked body has no length);
- **duplicate keys**: ``json.loads`` keeps the last of two equal keys, so ``{"phone": a,
  "phone": b}`` would pass as ``b`` while a log or a proxy saw ``a``; such a body is answered 422
  naming every duplicated key by its place (``loc``), like any field error.
A body that passes is handed on unchanged; one that is not JSON is left to FastAPI's own answer.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_MAX_BODY_BYTES", "BodyGuard", "duplicate_keys"]

DEFAULT_MAX_BODY_BYTES = 64 * 1024
Loc = list[str | int]


class _Object(dict[str, Any]):
    """A parsed JSON object that remembers which of its keys were given more than once."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    parsed = _Object(pairs)
    parsed.duplicates = []
    if len(parsed) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                parsed.duplicates.append(key)
            seen.add(key)
    return parsed


def duplicate_keys(body: bytes) -> list[Loc] | None:
    """The place of every key given twice in a JSON body; None when the body is not JSON."""
    try:
        document = json.loads(body, object_pairs_hook=_object)
    except (ValueError, RecursionError):
        return None
    found: list[Loc] = []
    pending: list[tuple[Loc, Any]] = [([], document)]
    while pending:  # iterative: a deeply nested body must not exhaust the stack here
        loc, value = pending.pop()
        if isinstance(value, _Object):
            found += [[*loc, key] for key in dict.fromkeys(value.duplicates)]
            pending += [([*loc, key], item) for key, item in value.items()]
        elif isinstance(value, list):
            pending += [([*loc, index], item) for index, item in enumerate(value)]
    return sorted(found, key=str)


def _is_json(scope: Scope) -> bool:
    # FastAPI reads a body as JSON when it says so, or when it names no content type at all.
    for name, value in scope["headers"]:
        if name == b"content-type":
            kind: str = value.decode("latin-1").split(";")[0].strip().lower()
            return kind == "application/json" or kind.endswith("+json")
    return True


async def _answer(send: Send, status: int, content: dict[str, Any]) -> None:
    body = json.dumps(content, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyGuard:
    def __init__(self, app: ASGIApp, limit: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    def _too_large(self) -> dict[str, Any]:
        return {"detail": f"the request body is larger than {self.limit} bytes; nothing was read"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            status = 413 if declared.isdigit() else 400
            detail = self._too_large() if status == 413 else {"detail": "bad Content-Length"}
            await _answer(send, status, detail)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _answer(send, 413, self._too_large())
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        duplicates = duplicate_keys(body) if body and _is_json(scope) else None
        if duplicates:
            errors = [
                {
                    "loc": ["body", *loc],
                    "msg": f"key {loc[-1]!r} is given more than once in this JSON object;"
                    " each key may appear only once",
                    "type": "duplicate_key",
                }
                for loc in duplicates
            ]
            await _answer(send, 422, {"detail": errors})
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the buffered body once, then waits on the client as before."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
