"""A window's view of and requests on one case: ``GET /v1/cases/{case_id}``, supplements (补正),
withdrawal and objections to its public notice. A case of another division answers 404 exactly as an unknown one does."""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time, and
# they name dependencies local to the router factory, which a string annotation cannot reach.

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from contracts.fields import QueryFlag
from contracts.lifecycle import TERMINAL_STATUSES, StepStatus
from contracts.saga import OperatorAction, OperatorCommand, Signal, SupplementCase
from contracts.window import CaseAccepted, Objection, Supplement, Withdrawal
from onething.http.errors import documented
from onething.http.query_guard import known_query_only
from onething.http.request_log import note
from saga.definition import OBJECTION
from services.registry import OneThing
from window.applications import IdempotencyKey
from window.auth import window_auth
from window.examples import OBJECTION_EXAMPLES, SUPPLEMENT_EXAMPLES, WITHDRAWAL_EXAMPLES
from window.idempotency import Decision, body_hash, respond_once
from window.ports import Window, WindowPorts
from window.publishing import MessageIds, publish_requests
from window.supplements import check_supplement, requested
from window.views import CaseView

__all__ = ["cases_router"]

CaseId = Annotated[str, Path(min_length=1, max_length=64, description="e.g. AD-3f1c9a7be0d24c55")]
_TERMINAL = frozenset(status.value for status in TERMINAL_STATUSES)


def cases_router(
    ports: WindowPorts,
    forms: Mapping[str, type[BaseModel]] | None = None,
    services: Mapping[str, OneThing] | None = None,
) -> APIRouter:
    """The case routes; ``forms``: each one-thing's application form, whose rules a supplement's
    values must keep; ``services``: the one-things, whose titles the case view shows."""
    forms = forms or {}
    # Saga name → (the one-thing's title, its steps' titles): a reversal saga is its thing's too.
    titles: dict[str, tuple[str, dict[str, str]]] = {
        saga: (thing.title, steps)
        for thing in (services or {}).values()
        for saga, steps in thing.step_titles().items()
    }
    router = APIRouter(prefix="/v1/cases", tags=["cases"], dependencies=[Depends(known_query_only)])
    calling_window = window_auth(ports.windows)

    async def visible_summary(case_id: str, window: Window) -> dict[str, str]:
        note(case_id=case_id)
        summary = await ports.directory.summary(case_id)
        if summary is None or summary.get("division_code") != window.division_code:
            raise HTTPException(status_code=404, detail=f"no case {case_id} for this window")
        return summary

    @router.get(
        "/{case_id}",
        response_model=CaseView,
        responses=documented(401, 404),
        summary="Where a case stands",
        description="The case's status, statutory deadline, outcome and every step's state;"
        " `?timeline=true` adds its lifecycle events in order. The read model follows the"
        " orchestrator closely but not instantly: a case just accepted may answer 404 briefly.",
    )
    async def get_case(
        case_id: CaseId,
        window: Annotated[Window, Depends(calling_window)],
        timeline: Annotated[QueryFlag, Query(description="Include the lifecycle events")] = False,
    ) -> CaseView:
        summary = await visible_summary(case_id, window)
        steps = await ports.directory.steps(case_id)
        events = await ports.directory.timeline(case_id) if timeline else None
        title, step_titles = titles.get(summary.get("saga", ""), (None, {}))
        return CaseView.from_read_model(summary, steps, events, titles=step_titles, title=title)

    @router.post(
        "/{case_id}/supplements",
        status_code=202,
        response_model=CaseAccepted,
        responses=documented(401, 404, 409, 413, 503),
        summary="Bring missing material (补正)",
        description="Adds or corrects the fields the case asked for (each waiting step's"
        " `supplement_fields`, e.g. `date_of_death`), nested as in the application form; the"
        " steps waiting for them run again. 422 naming the field for any other field (the"
        " person's identity, the division and the window can never be changed) or a value the"
        " form refuses; 409 when no step of the case is waiting for a supplement.",
    )
    async def supplement(
        request: Request,
        case_id: CaseId,
        body: Annotated[Supplement, Body(openapi_examples=SUPPLEMENT_EXAMPLES)],
        window: Annotated[Window, Depends(calling_window)],
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        async def choose() -> Decision:
            summary = await visible_summary(case_id, window)
            steps = await ports.directory.steps(case_id)
            waiting = StepStatus.WAITING_SUPPLEMENT.value
            if not any(row.get("status") == waiting for row in steps.values()):
                raise HTTPException(
                    status_code=409,
                    detail=f"case {case_id} is not waiting for a supplement (no step is {waiting})",
                )
            check_supplement(body.data, requested(steps, waiting), forms.get(summary["saga"]))
            return Decision(case_id, "supplement_received")

        async def carry_out(_decision: Decision, ids: MessageIds) -> None:
            message = SupplementCase(
                case_id=case_id,
                actor=f"window:{window.window_id}",
                data=body.data,
                note=body.note,
            )
            await publish_requests(ports, window, case_id, [message], ids)

        request_hash = body_hash(request.url.path, body)
        return await respond_once(
            ports.idempotency, window, idempotency_key, request_hash, choose, carry_out
        )

    @router.post(
        "/{case_id}/withdrawal",
        status_code=202,
        response_model=CaseAccepted,
        responses=documented(401, 404, 409, 413, 503),
        summary="Withdraw the case (撤回), before the pivot only",
        description="The steps done so far are undone and the case ends `withdrawn`. 409 when"
        " the case is closed or past its pivot (for after-death: the death is confirmed), after"
        " which nothing can be withdrawn.",
    )
    async def withdraw(
        request: Request,
        case_id: CaseId,
        body: Annotated[Withdrawal, Body(openapi_examples=WITHDRAWAL_EXAMPLES)],
        window: Annotated[Window, Depends(calling_window)],
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        async def choose() -> Decision:
            summary = await visible_summary(case_id, window)
            status = summary.get("status", "")
            if status in _TERMINAL:
                raise HTTPException(status_code=409, detail=f"case {case_id} is already {status}")
            if summary.get("pivot_passed") == "1":
                raise HTTPException(
                    status_code=409,
                    detail=f"case {case_id} is past its pivot: what has been done is a legal"
                    " act and nothing can be withdrawn any more",
                )
            return Decision(case_id, "withdrawal_requested")

        async def carry_out(_decision: Decision, ids: MessageIds) -> None:
            message = OperatorCommand(
                case_id=case_id,
                action=OperatorAction.WITHDRAW,
                actor=f"window:{window.window_id}",
                reason=body.reason,
            )
            await publish_requests(ports, window, case_id, [message], ids)

        request_hash = body_hash(request.url.path, body)
        return await respond_once(
            ports.idempotency, window, idempotency_key, request_hash, choose, carry_out
        )

    @router.post(
        "/{case_id}/objections",
        status_code=202,
        response_model=CaseAccepted,
        responses=documented(401, 404, 409, 413, 503),
        summary="Record an objection to the case's public notice (公示异议)",
        description="While a public notice of the case runs (低保's 公示, say), the clerk who"
        " received an objection records it with its reason: the notice is taken down, the"
        " investigation runs again and the case is noticed again, each round in its timeline."
        " 409 when no public notice of the case is running.",
    )
    async def object_to_notice(
        request: Request,
        case_id: CaseId,
        body: Annotated[Objection, Body(openapi_examples=OBJECTION_EXAMPLES)],
        window: Annotated[Window, Depends(calling_window)],
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        running: dict[str, str] = {}

        async def notice_running() -> str:
            await visible_summary(case_id, window)
            steps = await ports.directory.steps(case_id)
            dispatched = StepStatus.DISPATCHED.value
            found = [
                n
                for n, row in steps.items()
                if row.get("objections") and row.get("status") == dispatched
            ]
            if not found:
                raise HTTPException(
                    status_code=409, detail=f"case {case_id} has no public notice running"
                )
            return found[0]

        async def choose() -> Decision:
            running["step"] = await notice_running()
            return Decision(case_id, "objection_received")

        async def carry_out(_decision: Decision, ids: MessageIds) -> None:
            step = running.get("step") or await notice_running()
            signal = Signal(
                case_id=case_id,
                step=step,
                approved=False,
                actor=f"clerk:{body.clerk_id}@window:{window.window_id}",
                reason=body.reason,
                reason_code=OBJECTION,
            )
            await publish_requests(ports, window, case_id, [signal], ids)

        request_hash = body_hash(request.url.path, body)
        return await respond_once(
            ports.idempotency, window, idempotency_key, request_hash, choose, carry_out
        )

    return router
