"""The HTTP edge: the client's retries, fault classes and breaker over a mock transport, and the
server's status codes, in-process. Nothing sleeps: sleeping is injected."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from contracts.departments import Department
from contracts.departments.public_security import RestoreHukou
from contracts.saga import DepartmentCommand, ReplyOutcome
from departments.adapter import PermanentFault, TransientFault
from departments.faults import FaultPlan, FaultyAdapter, Outage
from departments.http.breaker import BreakerState, CircuitBreaker, CircuitOpen
from departments.http.client import HttpAdapter
from departments.http.server import create_app
from departments.simulators.public_security import PublicSecuritySimulator
from departments.world import World
from tests.unit.departments.support import command

PS = Department.PUBLIC_SECURITY
BASE = "http://public-security.invalid"
OK = {"reply": "HukouRestored", "outcome": "succeeded", "data": {"restored_on": "2025-06-30"}}


class Sleeps:
    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


def restore() -> DepartmentCommand:
    return command(PS, RestoreHukou(resident_id="11010519491231002X", reason="误报"))


def scripted(*answers: int | Exception) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering each request with the next status (200 = a good outcome) or error."""
    seen: list[httpx.Request] = []
    script = list(answers)

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, Exception):
            raise answer
        body = OK if answer == 200 else {"detail": f"status {answer}"}
        return httpx.Response(answer, json=body)

    return httpx.MockTransport(respond), seen


def client(
    transport: httpx.AsyncBaseTransport, sleeps: Sleeps | None = None, **kwargs: object
) -> HttpAdapter:
    return HttpAdapter(BASE, PS, transport=transport, sleep=sleeps or Sleeps(), **kwargs)  # type: ignore[arg-type]


# --- client --------------------------------------------------------------------------------------


async def test_the_command_is_posted_with_its_id_as_the_idempotency_key() -> None:
    transport, seen = scripted(200)
    sent = restore()

    outcome = await client(transport).handle(sent)

    (request,) = seen
    assert sent.command_id == request.headers["Idempotency-Key"]
    assert sent == DepartmentCommand.model_validate(json.loads(request.content))
    assert ("HukouRestored", ReplyOutcome.SUCCEEDED) == (outcome.reply, outcome.outcome)


async def test_5xx_answers_are_retried_with_backoff_until_one_succeeds() -> None:
    transport, seen = scripted(503, 500, 200)
    sleeps = Sleeps()

    outcome = await client(transport, sleeps).handle(restore())

    assert ReplyOutcome.SUCCEEDED == outcome.outcome
    assert 3 == len(seen)
    assert 2 == len(sleeps.slept)


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("no answer"),
    ],
)
async def test_unreachable_or_slow_departments_end_as_a_transient_fault(error: Exception) -> None:
    transport, seen = scripted(error)

    with pytest.raises(TransientFault):
        await client(transport, attempts=4).handle(restore())

    assert 4 == len(seen)


@pytest.mark.parametrize("status", [400, 404, 409, 422])
async def test_4xx_is_a_permanent_fault_and_not_retried(status: int) -> None:
    transport, seen = scripted(status)

    with pytest.raises(PermanentFault, match=f"\\({status}\\): status {status}"):
        await client(transport).handle(restore())

    assert 1 == len(seen)


async def test_an_unreadable_answer_is_a_permanent_fault() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"no": "outcome"}))

    with pytest.raises(PermanentFault, match="unreadable"):
        await client(transport).handle(restore())


async def test_a_command_for_another_department_is_not_sent() -> None:
    transport, seen = scripted(200)

    with pytest.raises(PermanentFault):
        await client(transport).handle(command(Department.HEALTH, {}, name="VerifyDeathRecord"))

    assert [] == seen


async def test_the_breaker_stops_the_retries_and_later_lets_a_trial_through() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, cooldown=10.0, clock=lambda: now[0])
    transport, seen = scripted(503, 503, 200)
    adapter = client(transport, attempts=5, breaker=breaker)

    with pytest.raises(CircuitOpen):
        await adapter.handle(restore())  # two failed attempts open it; the third is not made
    with pytest.raises(CircuitOpen):
        await adapter.handle(restore())  # open: no request at all
    requests_while_open = len(seen)
    now[0] += 10.0
    outcome = await adapter.handle(restore())  # half-open: the trial succeeds

    assert 2 == requests_while_open
    assert ReplyOutcome.SUCCEEDED == outcome.outcome
    assert BreakerState.CLOSED == breaker.state


# --- server --------------------------------------------------------------------------------------


JSON = {"Content-Type": "application/json"}


def served(
    world: World, plan: FaultPlan | None = None, clock: Callable[[], datetime] | None = None
) -> httpx.AsyncClient:
    adapter = FaultyAdapter(
        PublicSecuritySimulator(world), plan, clock or (lambda: datetime.now(UTC))
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(adapter)), base_url=BASE)


async def test_an_outage_is_503_with_retry_after_and_a_transient_fault_for_the_client(
    world: World,
) -> None:
    now = datetime(2025, 6, 30, 4, tzinfo=UTC)
    plan = FaultPlan(outages=[Outage(start=now, end=now + timedelta(hours=1))])
    adapter = FaultyAdapter(PublicSecuritySimulator(world), plan, lambda: now)
    transport = httpx.ASGITransport(app=create_app(adapter))
    sent = restore()

    async with httpx.AsyncClient(transport=transport, base_url=BASE) as raw:
        response = await raw.post("/commands", content=sent.model_dump_json(), headers=JSON)
    with pytest.raises(TransientFault):
        await client(transport).handle(sent)

    assert (503, "1") == (response.status_code, response.headers["Retry-After"])
    assert "down until" in response.json()["detail"]


async def test_a_mismatched_idempotency_key_is_400_and_a_bad_body_422(world: World) -> None:
    sent = restore()
    async with served(world) as raw:
        mismatch = await raw.post(
            "/commands", content=sent.model_dump_json(), headers={**JSON, "Idempotency-Key": "x"}
        )
        garbage = await raw.post("/commands", json={"command": "RestoreHukou"})
        invalid_payload = await raw.post(
            "/commands",
            content=sent.model_copy(update={"payload": {"resident_id": "1"}}).model_dump_json(),
            headers=JSON,
        )

    assert (400, 422, 422) == (
        mismatch.status_code,
        garbage.status_code,
        invalid_payload.status_code,
    )


async def test_the_fault_plan_is_switched_over_http(world: World) -> None:
    async with served(world) as raw:
        health = await raw.get("/healthz")
        switched = await raw.put("/faults", json={"transient_rate": 1.0})
        failing = await raw.post("/commands", content=restore().model_dump_json(), headers=JSON)

    assert {"department": "public_security", "status": "ok"} == health.json()
    assert 1.0 == switched.json()["transient_rate"]
    assert 503 == failing.status_code
