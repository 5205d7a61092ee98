"""The ops API: operators find cases by state and act on them, through the engine, never around it.

``create_ops_app`` serves it on its own (``python -m ops``, composed in ``ops.bootstrap``, on
``ONETHING_OPS_PORT``): apart from the window API, so neither its routes nor its OpenAPI document
are within reach of the service-hall network. Every request needs ``X-Ops-Key``, the document and
its pages included (``ops.docs``). Queries read the Redis read model (``onething.readmodel.queries.ReadModel``
plus the case reads of ``onething.readmodel.queries.RedisCaseDirectory``, which implements both);
actions publish an ``OperatorCommand`` to ``case.operator`` and answer 202: the engine decides
whether the action is allowed and records the decision, with actor and reason, in the case's
timeline. Operators see every division, and every step still awaiting its department's reply,
with how long it has waited, long before the orchestrator's reply timeout fires.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures at run time, and
# they name dependencies local to the router factory, which a string annotation cannot reach.

from datetime import datetime, timedelta
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from contracts.envelope import envelope_for
from contracts.fields import IsoMoment, OneLineText, QueryFlag
from contracts.lifecycle import CaseStatus
from contracts.saga import OperatorAction, OperatorCommand
from contracts.topics import Topics
from contracts.window import CaseAccepted
from onething.http.body_guard import BodyGuard
from onething.http.errors import documented, install_error_handlers
from onething.http.ports import Clock, Publisher
from onething.http.query_guard import known_query_only
from onething.http.request_log import RequestLog, note
from onething.readmodel.views import CaseSummary
from onething.settings import Settings
from ops.auth import OPS_KEY_HEADER, ops_auth
from ops.docs import docs_router
from ops.views import AwaitingReplyList, CaseList, OpsCaseView

__all__ = [
    "OPS_KEY_HEADER",
    "ActionRequest",
    "CaseList",
    "CaseQueries",
    "OpsCaseView",
    "create_ops_app",
    "ops_router",
]

_STEP_ACTIONS = frozenset({OperatorAction.RETRY_STEP, OperatorAction.SKIP_STEP})


class CaseQueries(Protocol):
    """What the ops API reads: one case, and the read model's indexes."""

    async def summary(self, case_id: str) -> dict[str, str] | None: ...

    async def steps(self, case_id: str) -> dict[str, dict[str, Any]]: ...

    async def timeline(self, case_id: str) -> list[dict[str, Any]]: ...

    async def ids_with_status(self, status: str) -> set[str]: ...

    async def ids_of_saga(self, saga: str) -> set[str]: ...

    async def ids_in_division(self, division: str) -> set[str]: ...

    async def overdue(self) -> set[str]: ...

    async def due_before(self, moment: datetime) -> list[str]: ...

    async def awaiting_reply(self, before: datetime) -> list[tuple[str, str]]: ...

    async def clerk_tasks_due(self, moment: datetime) -> list[tuple[str, str]]: ...


class ActionRequest(BaseModel):
    """An operator's action on a case; the actor and reason go into the audit trail."""

    action: OperatorAction
    step: str | None = Field(
        default=None,
        validate_default=True,  # so a missing step is checked against the action, too
        description="Required for retry_step and skip_step",
    )
    actor: OneLineText = Field(min_length=1, max_length=100, examples=["ops:duty-officer-3"])
    reason: OneLineText = Field(min_length=1, max_length=500, examples=["社保接口恢复，重新发起"])

    @field_validator("step")
    @classmethod
    def _step_for_step_actions(cls, step: str | None, info: ValidationInfo) -> str | None:
        action = info.data.get("action")
        if action in _STEP_ACTIONS and not step:
            raise ValueError(f"step is required for {action.value}")
        return step


def _answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """An ops route's error answers for the document, as the window's, the 401 naming our key."""
    answers = documented(*codes)
    if 401 in answers:
        answers[401] = answers[401] | {"description": f"{OPS_KEY_HEADER} missing or not valid"}
    return answers


Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many cases")]
CaseId = Annotated[str, Path(min_length=1, max_length=64)]
# A year is far longer than any reply timeout; the bound keeps `now - older_than` in range.
OlderThan = Annotated[
    int,
    Query(ge=0, le=366 * 24 * 3600, description="Only steps waiting longer than this, in seconds"),
]


def ops_router(
    *, ops_api_key: str, queries: CaseQueries, publisher: Publisher, clock: Clock
) -> APIRouter:
    router = APIRouter(
        prefix="/v1/ops",
        tags=["ops"],
        dependencies=[Depends(ops_auth(ops_api_key)), Depends(known_query_only)],
    )

    async def summaries(case_ids: list[str], total: int) -> CaseList:
        found = [await queries.summary(case_id) for case_id in case_ids]
        return CaseList(
            total=total, cases=[CaseSummary.from_summary(s) for s in found if s is not None]
        )

    @router.get(
        "/cases",
        response_model=CaseList,
        responses=_answers(401),
        summary="Find cases by status, one-thing, division and overdue flag",
        description="Filters combine (a case must match all); without filters every case"
        " matches. Cases are listed in case-id order.",
    )
    async def list_cases(
        status: CaseStatus | None = None,
        saga: Annotated[str | None, Query(min_length=1, examples=["afterlife"])] = None,
        division: Annotated[str | None, Query(pattern=r"^[0-9]{6}$", examples=["321302"])] = None,
        overdue: Annotated[
            QueryFlag | None, Query(description="true: only overdue cases; false: none of them")
        ] = None,
        limit: Limit = 100,
    ) -> CaseList:
        ids = await _matching(queries, status, saga, division, overdue)
        return await summaries(sorted(ids)[:limit], len(ids))

    @router.get(
        "/cases/late",
        response_model=CaseList,
        responses=_answers(401),
        summary="Open cases whose statutory deadline, or a clerk task's, falls before a moment",
        description="Earliest statutory deadline first, then cases late only on a clerk task"
        " (earliest task first); `before` defaults to now. Closed cases never appear here.",
    )
    async def late_cases(
        before: Annotated[
            IsoMoment | None, Query(description="An ISO 8601 time with its offset")
        ] = None,
        limit: Limit = 100,
    ) -> CaseList:
        moment = before or clock()
        # Late: the statutory deadline passed, or a clerk task's deadline did.
        ids = list(dict.fromkeys([
            *await queries.due_before(moment),
            *(case_id for case_id, _ in await queries.clerk_tasks_due(moment)),
        ]))  # fmt: skip
        return await summaries(ids[:limit], len(ids))

    @router.get(
        "/cases/awaiting-reply",
        response_model=AwaitingReplyList,
        responses=_answers(401),
        summary="Steps whose department has not answered for longer than a while",
        description="Every step of an open case whose current attempt went to its department"
        " more than `older_than_seconds` ago and has no reply yet, longest waiting first, with"
        " the department, when the request went out and how many seconds ago. A step shows here"
        " as soon as it waits longer than asked, long before the orchestrator's reply timeout"
        " retries it.",
    )
    async def awaiting_reply(
        older_than_seconds: OlderThan = 0, limit: Limit = 100
    ) -> AwaitingReplyList:
        now = clock()
        found = await queries.awaiting_reply(now - timedelta(seconds=older_than_seconds))
        rows = [
            (case_id, step, (await queries.steps(case_id)).get(step, {}))
            for case_id, step in found[:limit]
        ]
        return AwaitingReplyList.from_rows(rows, len(found), now)

    @router.get(
        "/cases/{case_id}",
        response_model=OpsCaseView,
        responses=_answers(401, 404),
        summary="Everything about one case, whatever its division",
        description="Each step still awaiting its department's reply shows since when"
        " (`awaiting_reply_since`) and for how many seconds (`awaiting_reply_seconds`).",
    )
    async def get_case(case_id: CaseId) -> OpsCaseView:
        note(case_id=case_id)
        summary = await queries.summary(case_id)
        if summary is None:
            raise HTTPException(status_code=404, detail=f"no case {case_id}")
        steps, timeline = await queries.steps(case_id), await queries.timeline(case_id)
        return OpsCaseView.from_read_model(summary, steps, timeline, clock())

    @router.post(
        "/cases/{case_id}/actions",
        status_code=202,
        response_model=CaseAccepted,
        responses=_answers(401, 404, 413, 503),
        summary="Retry or skip a step, compensate, resolve or withdraw a case",
        description="Publishes the action to the orchestrator and answers 202. The engine"
        " refuses actions the case does not allow (retrying a settled step, skipping the pivot,"
        " compensating past it) and records the refusal in the timeline.",
    )
    async def act(case_id: CaseId, body: ActionRequest) -> CaseAccepted:
        note(case_id=case_id, action=body.action.value)
        if await queries.summary(case_id) is None:
            raise HTTPException(status_code=404, detail=f"no case {case_id}")
        command = OperatorCommand(
            case_id=case_id,
            action=body.action,
            actor=body.actor,
            reason=body.reason,
            step=body.step,
        )
        envelope = envelope_for(command, subject=case_id, source="/ops", time=clock())
        await publisher.publish(Topics.CASE_OPERATOR, envelope)
        return CaseAccepted(
            case_id=case_id, status="action_requested", links={"self": f"/v1/ops/cases/{case_id}"}
        )

    return router


async def _matching(
    queries: CaseQueries,
    status: CaseStatus | None,
    saga: str | None,
    division: str | None,
    overdue: bool | None,
) -> set[str]:
    wanted: list[set[str]] = []
    if status is not None:
        wanted.append(await queries.ids_with_status(status.value))
    if saga is not None:
        wanted.append(await queries.ids_of_saga(saga))
    if division is not None:
        wanted.append(await queries.ids_in_division(division))
    if overdue:
        wanted.append(await queries.overdue())
    if not wanted:
        # Every case is in exactly one status index, so their union is all cases.
        every: set[str] = set()
        for each in CaseStatus:
            every |= await queries.ids_with_status(each.value)
        wanted.append(every)
    ids = set.intersection(*wanted)
    if overdue is False:
        ids -= await queries.overdue()
    return ids


DESCRIPTION = """
Operators' way into OneThing (高效办成一件事): find cases by state in every division, see the
steps still awaiting a department's reply and for how long, and act on a case through the engine
(retry or skip a step, compensate, resolve, withdraw); every action is audited with actor and
reason.

Served on its own port (`ONETHING_OPS_PORT`, 8081 by default), apart from the window API. Every
request carries `X-Ops-Key`, this document and its pages included: open `/docs` or `/redoc`
with a browser extension that adds the header, or fetch `/openapi.json` with
`curl -H 'X-Ops-Key: …'`.
"""

TAGS = [{"name": "ops", "description": "Find cases by state, act on them (X-Ops-Key)"}]


def create_ops_app(
    settings: Settings, *, queries: CaseQueries, publisher: Publisher, clock: Clock
) -> FastAPI:
    """The ops routes served on their own, the OpenAPI document and its pages behind the key."""
    ops_api_key = settings.ops_api_key.get_secret_value()
    app = FastAPI(
        title="OneThing ops API",
        summary="Cases of every division, what they wait for, and operators' actions",
        description=DESCRIPTION.strip(),
        version="1.0.0",
        openapi_tags=TAGS,
        # FastAPI would serve these to anyone; ``docs_router`` serves them behind the key.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.include_router(
        ops_router(ops_api_key=ops_api_key, queries=queries, publisher=publisher, clock=clock)
    )
    app.include_router(docs_router(ops_auth(ops_api_key)))
    install_error_handlers(app)
    app.add_middleware(BodyGuard, limit=settings.window_max_body_bytes)
    app.add_middleware(RequestLog)
    return app
