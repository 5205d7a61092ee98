"""``POST /v1/{saga}/applications`` for every window form of every one-thing: the form validated
by its model, then published as the start of its saga's case (see ``window.starts``)."""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time, and
# they name dependencies local to the router factory, which a string annotation cannot reach.

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse

from contracts.window import CaseAccepted
from onething.http.errors import documented
from onething.http.query_guard import known_query_only
from onething.http.request_log import note
from services.registry import Application, OneThing
from window.auth import window_auth
from window.idempotency import IDEMPOTENCY_HEADER, Decision, body_hash, respond_once
from window.ports import Window, WindowPorts
from window.publishing import MessageIds, publish_requests
from window.starts import Refused, decide, start_for

__all__ = ["IdempotencyKey", "applications_router"]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        pattern=r"^[A-Za-z0-9._:-]{1,128}$",
        description="Any unique string (a UUID will do); a retry with the same key and body gets"
        " the first answer again and publishes nothing; with another body, 422",
    ),
]


def applications_router(ports: WindowPorts, thing: OneThing, application: Application) -> APIRouter:
    """The route of one of a one-thing's forms, its model in the OpenAPI document."""
    form_model: Any = application.model  # a type chosen at run time: FastAPI reads it, mypy cannot
    router = APIRouter(
        prefix=f"/v1/{application.saga}",
        tags=[thing.title],
        dependencies=[Depends(known_query_only)],
    )
    calling_window = window_auth(ports.windows)

    @router.post(
        "/applications",
        status_code=202,
        response_model=CaseAccepted,
        responses=documented(401, 409, 413, 503),
        summary=application.summary,
        description=application.description,
        operation_id=f"submit_{application.saga}_application",
    )
    async def submit_application(
        request: Request,
        form: Annotated[form_model, Body(openapi_examples=dict(application.examples))],
        window: Annotated[Window, Depends(calling_window)],
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        received_at = ports.clock()
        case_id = application.case_id(form, received_at)
        note(case_id=case_id)

        async def choose() -> Decision:
            summary = await ports.directory.summary(case_id)
            steps = await ports.directory.steps(case_id) if summary else {}
            outcome = decide(application.joins, window, case_id, summary, steps)
            if isinstance(outcome, Refused):
                raise HTTPException(status_code=outcome.status_code, detail=outcome.detail)
            return Decision(case_id, outcome)

        async def carry_out(_decision: Decision, ids: MessageIds) -> None:
            start = start_for(application, form, window, case_id, received_at)
            await publish_requests(ports, window, case_id, [start], ids)

        request_hash = body_hash(request.url.path, form)
        return await respond_once(
            ports.idempotency, window, idempotency_key, request_hash, choose, carry_out
        )

    return router
