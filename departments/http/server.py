"""A department served over HTTP: ``POST /commands`` in, the outcome out.

``create_app(adapter)`` wraps any ``DepartmentAdapter`` (a simulator, usually behind a
``FaultyAdapter``). Status codes say what a client can do: 200 with the outcome (a refusal is an
answer, so 200 too); 422 when the command can never succeed (invalid body, unknown command, an
idempotency key reused for a different command); 503 with ``Retry-After`` when the department is
down or faulted (retry later); 400 when the ``Idempotency-Key`` header disagrees with the
command id. The command id is the idempotency key: the adapter answers a repeat from memory.
With a ``FaultyAdapter``, ``PUT /faults`` switches its plan at run time (for demos).

``python -m departments.http.server --department public_security --port 8081`` serves a
simulator over a generated population, with faults from ``ONETHING_FAULTS``.
"""

from __future__ import annotations

import argparse
from typing import Annotated

from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse

from contracts.departments import Department
from contracts.saga import DepartmentCommand
from departments.adapter import DepartmentAdapter, PermanentFault, TransientFault
from departments.faults import FaultConfig, FaultPlan, FaultyAdapter
from departments.http.wire import IDEMPOTENCY_HEADER, ErrorBody, OutcomeBody

__all__ = ["create_app", "main"]

_RETRY_AFTER_SECONDS = "1"


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(detail=detail).model_dump(), status_code=status, headers=headers)


def create_app(adapter: DepartmentAdapter) -> FastAPI:
    """An HTTP app that hands each posted command to ``adapter``."""
    department = Department(adapter.department)
    app = FastAPI(title=f"OneThing department: {department.value}")

    @app.post(
        "/commands",
        response_model=OutcomeBody,
        responses={400: {"model": ErrorBody}, 422: {"model": ErrorBody}, 503: {"model": ErrorBody}},
    )
    async def post_command(
        command: DepartmentCommand,
        idempotency_key: Annotated[str | None, Header(alias=IDEMPOTENCY_HEADER)] = None,
    ) -> OutcomeBody | JSONResponse:
        if idempotency_key is not None and idempotency_key != command.command_id:
            return _error(400, f"{IDEMPOTENCY_HEADER} must equal the command_id")
        try:
            outcome = await adapter.handle(command)
        except TransientFault as exc:
            return _error(503, str(exc), {"Retry-After": _RETRY_AFTER_SECONDS})
        except PermanentFault as exc:
            return _error(422, str(exc))
        return OutcomeBody.from_outcome(outcome)

    @app.get("/healthz")
    async def health() -> dict[str, str]:
        return {"department": department.value, "status": "ok"}

    if isinstance(adapter, FaultyAdapter):
        faulty = adapter

        @app.put("/faults")
        async def switch_faults(plan: FaultPlan) -> FaultPlan:
            faulty.switch(plan)
            return faulty.plan

    return app


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    from departments.population import generate
    from departments.simulators import SIMULATORS

    parser = argparse.ArgumentParser(prog="python -m departments.http.server")
    parser.add_argument("--department", type=Department, default=Department.PUBLIC_SECURITY)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args(argv)
    world = generate(args.seed, args.people)
    simulator = SIMULATORS[args.department](world)
    plan = FaultConfig.from_env().plan_for(args.department)
    uvicorn.run(create_app(FaultyAdapter(simulator, plan)), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
