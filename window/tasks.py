"""Clerk tasks (人工核验、审核决定) at the window: the list of a division's tasks waiting for a
clerk, and a clerk's result for one.

A saga row marked ``clerk=True`` waits for a window clerk of the case's division. ``GET /v1/tasks``
lists this division's waiting tasks, earliest deadline first, the late ones marked; ``POST
/v1/cases/{case_id}/tasks/{step}`` records the result (approved or refused) with the clerk's
staff id and a reason, as a ``Signal`` the engine applies and keeps in the case's timeline. A task
of another division answers 404 like an unknown case; a step that is not a waiting clerk task,
409.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time, and
# they name dependencies local to the router factory, which a string annotation cannot reach.

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from contracts.lifecycle import StepStatus
from contracts.saga import Signal
from contracts.window import CaseAccepted, TaskResult
from onething.http.errors import documented
from onething.http.query_guard import known_query_only
from onething.http.request_log import note
from window.applications import IdempotencyKey
from window.auth import window_auth
from window.idempotency import Decision, body_hash, respond_once
from window.ports import Window, WindowPorts
from window.publishing import MessageIds, publish_requests

__all__ = ["ClerkTask", "TaskList", "tasks_router"]

StepName = Annotated[
    str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$", description="e.g. check_agent_mandate")
]
CaseId = Annotated[str, Path(min_length=1, max_length=64, description="e.g. AD-3f1c9a7be0d24c55")]
RESULT_EXAMPLES: dict[str, Any] = {
    "approved": {
        "summary": "The mandate checked and found in order",
        "value": {"approved": True, "clerk_id": "SQ-0231", "reason": "委托书与身份证件核验一致"},
    },
    "refused": {
        "summary": "The mandate refused, with the reason the applicant is told",
        "value": {"approved": False, "clerk_id": "SQ-0231", "reason": "委托书未经公证，无法核验"},
    },
}


class ClerkTask(BaseModel):
    """A task waiting for a clerk of this window's division."""

    case_id: str
    step: str
    title: str = Field(description="What is to be done, e.g. 代办委托人工核验")
    waiting_since: datetime | None = None
    deadline_at: datetime | None = None
    deadline_provisional: bool = False
    overdue: bool = Field(default=False, description="Its deadline has passed")
    links: dict[str, str] = Field(default_factory=dict)


class TaskList(BaseModel):
    total: int
    tasks: list[ClerkTask]


def _task(case_id: str, step: str, row: dict[str, Any], now: datetime) -> ClerkTask:
    deadline = datetime.fromisoformat(row["deadline_at"]) if row.get("deadline_at") else None
    return ClerkTask(
        case_id=case_id,
        step=step,
        title=str(row.get("title", step)),
        waiting_since=row.get("updated_at"),
        deadline_at=deadline,
        deadline_provisional=bool(row.get("deadline_provisional")),
        overdue=bool(row.get("overdue")) or (deadline is not None and deadline <= now),
        links={"case": f"/v1/cases/{case_id}", "result": f"/v1/cases/{case_id}/tasks/{step}"},
    )


def check_task_data(result: TaskResult, form: type[BaseModel] | None) -> dict[str, Any]:
    """The clerk's data as the step keeps it; a 422 naming each field the task's form refuses.
    A refusal carries none (the reason says why); a task without a form takes none."""
    if not result.approved or form is None:
        if result.data:
            rule = "a refusal carries no data" if form else "this task records no data"
            raise RequestValidationError(
                [{"loc": ("body", "data"), "msg": rule, "type": "task_data_not_taken"}]
            )
        return {}
    try:
        return form.model_validate(result.data).model_dump(mode="json")
    except ValidationError as exc:
        raise RequestValidationError(
            [
                {"loc": ("body", "data", *e["loc"]), "msg": e["msg"], "type": e["type"]}
                for e in exc.errors()
            ]
        ) from exc


def tasks_router(
    ports: WindowPorts, task_forms: Mapping[tuple[str, str], type[BaseModel]] | None = None
) -> APIRouter:
    """The clerk-task routes; ``task_forms``: (saga, step) → the form a task's data must fit."""
    task_forms = task_forms or {}
    router = APIRouter(tags=["clerk tasks"], dependencies=[Depends(known_query_only)])
    calling_window = window_auth(ports.windows)

    @router.get(
        "/v1/tasks",
        response_model=TaskList,
        responses=documented(401),
        summary="The clerk tasks waiting in this window's division",
        description="Earliest deadline first (tasks without one last); `overdue` marks those"
        " past their deadline, which also puts their case in the ops late list.",
    )
    async def list_tasks(
        window: Annotated[Window, Depends(calling_window)],
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> TaskList:
        found = await ports.directory.clerk_tasks(window.division_code)
        now = ports.clock()
        tasks = [
            _task(case_id, step, (await ports.directory.steps(case_id)).get(step, {}), now)
            for case_id, step in found[:limit]
        ]
        return TaskList(total=len(found), tasks=tasks)

    @router.post(
        "/v1/cases/{case_id}/tasks/{step}",
        status_code=202,
        response_model=CaseAccepted,
        responses=documented(401, 404, 409, 413, 503),
        summary="A clerk's result for a clerk task",
        description="Approved or refused, with the clerk's staff id and a reason, kept in the"
        " case's timeline. 409 when the step is not a clerk task waiting for its result.",
    )
    async def complete_task(
        request: Request,
        case_id: CaseId,
        step: StepName,
        result: Annotated[TaskResult, Body(openapi_examples=RESULT_EXAMPLES)],
        window: Annotated[Window, Depends(calling_window)],
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        note(case_id=case_id)

        async def choose() -> Decision:
            summary = await ports.directory.summary(case_id)
            if summary is None or summary.get("division_code") != window.division_code:
                raise HTTPException(status_code=404, detail=f"no case {case_id} for this window")
            row = (await ports.directory.steps(case_id)).get(step, {})
            waiting = row.get("status") == StepStatus.WAITING_SIGNAL.value
            if not (row.get("clerk_task") and waiting):
                raise HTTPException(
                    status_code=409,
                    detail=f"step {step} of case {case_id} is not a clerk task waiting for its"
                    " result",
                )
            checked[step] = check_task_data(result, task_forms.get((summary["saga"], step)))
            return Decision(case_id, "task_result_received")

        checked: dict[str, dict[str, Any]] = {}

        async def carry_out(_decision: Decision, ids: MessageIds) -> None:
            if step not in checked:  # a request kept before a crash, published now: check again
                summary = await ports.directory.summary(case_id) or {}
                form = task_forms.get((summary.get("saga", ""), step))
                checked[step] = check_task_data(result, form)
            signal = Signal(
                case_id=case_id,
                step=step,
                approved=result.approved,
                actor=f"clerk:{result.clerk_id}@window:{window.window_id}",
                reason=result.reason,
                data=checked[step],
            )
            await publish_requests(ports, window, case_id, [signal], ids)

        request_hash = body_hash(request.url.path, result)
        return await respond_once(
            ports.idempotency, window, idempotency_key, request_hash, choose, carry_out
        )

    return router
