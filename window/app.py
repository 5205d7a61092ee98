"""The window API's app factory: routes, error answers and the request log, over injected ports.

``create_app`` connects to nothing; the composition root (``window.bootstrap``) builds the real
ports, tests pass the fakes of ``window.fakes``. The ops API is not part of it: it is its own app
(``ops.api.create_ops_app``) on its own port, so a window's network reaches neither the
operators' routes nor a document that names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

from onething.http.body_guard import BodyGuard
from onething.http.errors import install_error_handlers
from onething.http.request_log import RequestLog
from onething.keys import keyring_from
from onething.settings import Settings
from services.registry import OneThing, one_things
from window.applications import applications_router
from window.cases import cases_router
from window.ports import (
    CaseDirectory,
    Clock,
    IdempotencyStore,
    Publisher,
    WindowPorts,
    WindowRegistry,
)
from window.tasks import tasks_router

__all__ = ["create_app"]

DESCRIPTION = """
The service-hall window's way into OneThing (高效办成一件事): submit an application, follow the
case, bring missing material, withdraw.

Every request carries the window's key in `X-Window-Key`; a window sees only the cases of its own
division. Submissions answer **202 Accepted** once the request is on the broker; the case then
runs asynchronously and `GET /v1/cases/{case_id}` shows where it stands. Submissions accept an
`Idempotency-Key` header, so a window can retry safely after a timeout.
"""

CASES_TAG = {"name": "cases", "description": "Follow a case, bring missing material, withdraw"}
TASKS_TAG = {
    "name": "clerk tasks",
    "description": "Tasks waiting for a clerk of this division, and a clerk's result for one",
}


def create_app(
    settings: Settings,
    *,
    publisher: Publisher,
    directory: CaseDirectory,
    idempotency: IdempotencyStore,
    windows: WindowRegistry,
    clock: Clock,
    services: Mapping[str, OneThing] | None = None,
) -> FastAPI:
    """The window API for ``services`` (the registry's one-things when not given): an
    application route for each one-thing with a window form, the case routes for all."""
    served = one_things(settings.extra_one_things) if services is None else dict(services)
    with_forms = [thing for thing in served.values() if thing.applications]
    tags: list[dict[str, Any]] = [
        {"name": thing.title, "description": thing.description} for thing in with_forms
    ]
    app = FastAPI(
        title="OneThing window API",
        summary="Applications and cases of the 高效办成一件事 services",
        description=DESCRIPTION.strip(),
        version="1.0.0",
        openapi_tags=[*tags, CASES_TAG, TASKS_TAG],
    )
    ports = WindowPorts(publisher, directory, idempotency, windows, clock, keyring_from(settings))
    for thing in with_forms:
        for application in thing.applications:
            app.include_router(applications_router(ports, thing, application))
    forms = {a.saga: a.model for thing in with_forms for a in thing.applications}
    app.include_router(cases_router(ports, forms, served))
    task_forms = {
        key: form for thing in served.values() for key, form in thing.task_forms().items()
    }
    app.include_router(tasks_router(ports, task_forms))
    install_error_handlers(app)
    # Added first, so it runs inside the request log: a refused body is logged like any answer.
    app.add_middleware(BodyGuard, limit=settings.window_max_body_bytes)
    app.add_middleware(RequestLog)
    # Kept for what the composition root adds later (a lifespan) to read.
    app.state.settings = settings
    return app
