"""``POST /v1/afterlife/applications``: a family's after-death application, validated, then
published as a new case or merged into the case the hospital opened (see ``window.afterlife``)."""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time, and
# they name dependencies local to the router factory, which a string annotation cannot reach.

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse

from contracts.window import AfterDeathApplication, CaseAccepted
from window.afterlife import Refused, decide, messages_for
from window.auth import window_auth
from window.case_ids import afterlife_case_id
from window.errors import documented
from window.examples import APPLICATION_EXAMPLES
from window.idempotency import IDEMPOTENCY_HEADER, Decision, body_hash, respond_once
from window.ports import Window, WindowPorts
from window.publishing import MessageIds, publish_requests
from window.query_guard import known_query_only
from window.request_log import note

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

_DESCRIPTION = """
The family's single application (一表申请) for everything that follows a death.

The case id is derived from the deceased's resident ID, so an application and a case the hospital
opened proactively meet in one case:
- no case yet: a new case is started (`status: received`);
- a proactive case waiting for the family: the application is added to it (`status: merged`);
- a family application already exists (or the case is closed, or belongs to another division): 409.

202 means the request is on the broker; follow the case at `links.self`. Invalid input is
answered 422 with every broken rule, and nothing is published.
"""


def applications_router(ports: WindowPorts) -> APIRouter:
    router = APIRouter(
        prefix="/v1/afterlife",
        tags=["after-death applications"],
        dependencies=[Depends(known_query_only)],
    )
    calling_window = window_auth(ports.windows)

    @router.post(
        "/applications",
        status_code=202,
        response_model=CaseAccepted,
        responses=documented(401, 409, 413, 503),
        summary="Apply for the after-death one-thing (公民身后一件事)",
        description=_DESCRIPTION.strip(),
    )
    async def submit_application(
        request: Request,
        application: Annotated[AfterDeathApplication, Body(openapi_examples=APPLICATION_EXAMPLES)],
        window: Annotated[Window, Depends(calling_window)],
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        case_id = afterlife_case_id(application.deceased_id)
        note(case_id=case_id)

        async def choose() -> Decision:
            summary = await ports.directory.summary(case_id)
            steps = await ports.directory.steps(case_id) if summary else {}
            outcome = decide(window, case_id, summary, steps)
            if isinstance(outcome, Refused):
                raise HTTPException(status_code=outcome.status_code, detail=outcome.detail)
            return Decision(case_id, outcome)

        async def carry_out(decision: Decision, ids: MessageIds) -> None:
            messages = messages_for(decision.outcome, application, window, case_id, ports.clock())
            await publish_requests(ports, window, case_id, messages, ids)

        request_hash = body_hash(request.url.path, application)
        return await respond_once(
            ports.idempotency, window, idempotency_key, request_hash, choose, carry_out
        )

    return router
