"""How the window and ops APIs answer when they cannot do what was asked.

Every error body is ``{"detail": ...}``: a sentence for 401/404/409/503, and for 422 either a
sentence (a reused ``Idempotency-Key``, a missing step) or FastAPI's list of broken rules, each
naming the field (``loc``) and the rule (``msg``). The input value is left out of that list: it
may hold ID numbers, and proxies log response bodies. ``documented`` gives the ``responses=``
entries that put these answers in the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from onething.http.ports import PublishFailed
from onething.redis_edge import REDIS_DOWN

__all__ = ["ErrorDetail", "documented", "install_error_handlers"]

RETRY_AFTER_SECONDS = 5
log = structlog.get_logger("onething.window")


class ErrorDetail(BaseModel):
    """Why a request was not accepted, in one sentence."""

    detail: str = Field(examples=["X-Window-Key is missing: every request needs its window's key"])


_MEANINGS: dict[int, str] = {
    401: "X-Window-Key missing or unknown",
    404: "No such case, or it belongs to another division",
    409: "The case is not in a state that allows this request; the detail says why",
    413: "The body is larger than ONETHING_WINDOW_MAX_BODY_BYTES; it was not read",
    503: "The broker did not acknowledge the message, or the read model (Redis) is not reachable;"
    " nothing was accepted unless a retry with the same Idempotency-Key says so; retry after"
    " Retry-After seconds",
}


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given error status codes (422 is documented by FastAPI)."""
    return {code: {"model": ErrorDetail, "description": _MEANINGS[code]} for code in codes}


async def _validation_failed(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": errors})


async def _publish_failed(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=503,
        content={"detail": f"{exc}; nothing was accepted, retry with the same Idempotency-Key"},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _redis_down(request: Request, exc: Exception) -> JSONResponse:
    # The client gets a retryable answer, the log says what is missing; no internal detail
    # (addresses, the driver's message) goes into the response.
    log.warning(
        "dependency.unavailable",
        dependency="redis",
        path=request.url.path,
        error=f"{type(exc).__name__}: {exc}",
        action="start Redis again or fix ONETHING_REDIS_URL; clients are told to retry",
    )
    return JSONResponse(
        status_code=503,
        content={
            "detail": "the case store is not reachable right now; nothing was accepted unless"
            " a retry with the same Idempotency-Key says so: retry after Retry-After seconds"
        },
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_failed)
    app.add_exception_handler(PublishFailed, _publish_failed)
    for kind in REDIS_DOWN:
        app.add_exception_handler(kind, _redis_down)
