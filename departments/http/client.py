"""``HttpAdapter``: a department reached over HTTP, written as a real integration would be.

Each command is posted to ``{base_url}/commands`` with its id as the ``Idempotency-Key``, so a
retry after a lost answer cannot apply it twice. What can go wrong, and what the caller sees::

    connect error, timeout, 429, 5xx  → retried here (exponential backoff with jitter, bounded),
                                        then TransientFault
    circuit breaker open              → CircuitOpen (a TransientFault) at once, no request made
    other 4xx, unreadable 200 body    → PermanentFault (the same command will fail again)

The breaker counts failed attempts, not failed commands, so a department that is down opens it
within one command's retries. Sleeping between retries goes through the injected ``sleep``.
These retries are short (they ride out a blip); the saga's own retry policy handles long outages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType

import httpx
from pydantic import ValidationError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from contracts.departments import Department
from contracts.saga import DepartmentCommand
from departments.adapter import Outcome, PermanentFault, TransientFault
from departments.http.breaker import CircuitBreaker
from departments.http.wire import IDEMPOTENCY_HEADER, OutcomeBody

__all__ = ["HttpAdapter"]

Sleep = Callable[[float], Awaitable[None]]


class _Retryable(TransientFault):
    """A failed attempt worth repeating at once (unlike an open circuit)."""


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("detail", body)) if isinstance(body, dict) else str(body)[:200]


class HttpAdapter:
    """A ``DepartmentAdapter`` over HTTP with timeouts, bounded retries and a circuit breaker."""

    def __init__(
        self,
        base_url: str,
        department: Department,
        timeout: float = 5.0,
        *,
        attempts: int = 3,
        backoff_initial: float = 0.2,
        backoff_max: float = 2.0,
        breaker: CircuitBreaker | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.department = department
        self.attempts = attempts
        self.breaker = breaker or CircuitBreaker()
        self._wait = wait_exponential_jitter(
            multiplier=backoff_initial, max=backoff_max, jitter=backoff_initial
        )
        self._sleep = sleep
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def handle(self, command: DepartmentCommand) -> Outcome:
        if command.department != self.department:
            raise PermanentFault(f"command for {command.department} sent to {self.department}")
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._post(command)
        raise AssertionError("unreachable: tenacity returns or re-raises")

    async def _post(self, command: DepartmentCommand) -> Outcome:
        self.breaker.before_call()
        try:
            response = await self._client.post(
                "/commands",
                content=command.model_dump_json(),
                headers={
                    IDEMPOTENCY_HEADER: command.command_id,
                    "Content-Type": "application/json",
                },
            )
        except httpx.TimeoutException as exc:
            self.breaker.record_failure()
            raise _Retryable(f"{self.department} did not answer in time ({exc!r})") from exc
        except httpx.TransportError as exc:
            self.breaker.record_failure()
            raise _Retryable(f"{self.department} could not be reached ({exc!r})") from exc
        status = response.status_code
        if status == 429 or status >= 500:
            self.breaker.record_failure()
            raise _Retryable(f"{self.department} answered {status}: {_detail(response)}")
        self.breaker.record_success()
        if status >= 400:
            raise PermanentFault(
                f"{self.department} rejected the command ({status}): {_detail(response)}"
            )
        try:
            return OutcomeBody.model_validate_json(response.content).to_outcome()
        except ValidationError as exc:
            raise PermanentFault(f"{self.department} sent an unreadable outcome: {exc}") from None

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HttpAdapter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
