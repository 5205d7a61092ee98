"""Redis as a dependency that goes away and comes back: one way to connect, one way to wait.

Every OneThing process that talks to Redis connects through ``connect``: bounded socket timeouts
(a request never hangs on a dead server), TCP keepalive, a health check on connections idle for a
while, and redis-py's own short retry with backoff for a dropped connection. That covers a blip.
A restart takes longer, and what to do then depends on who is waiting:

- a worker (a department participant, the read-model projector) must not drop what it holds nor
  crash out of its consumer group: it calls ``until_available``, which retries the operation with
  growing waits for as long as Redis is away, so the record in hand is finished, not skipped, and
  its offset is committed only after that;
- an API request cannot wait that long: it lets ``REDIS_DOWN`` propagate and answers 503 with
  Retry-After (see ``onething.http.errors``).

``until_available`` logs one warning when Redis goes away (and again every ``REMIND_SECONDS``),
and one line when it is back, with how long it was gone: an outage is two log lines, not one per
retry.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

__all__ = ["REDIS_DOWN", "Outage", "connect", "until_available"]

T = TypeVar("T")
log = structlog.get_logger("onething.redis")

# What "Redis is not there right now" looks like; BusyLoadingError (a restarted server still
# reading its append-only file) is a ConnectionError. Anything else (a script error, a wrong
# type) is a bug and is raised, never retried.
REDIS_DOWN: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError, OSError)

SOCKET_TIMEOUT_SECONDS = 5.0
FIRST_WAIT_SECONDS = 0.1
LONGEST_WAIT_SECONDS = 5.0
REMIND_SECONDS = 30.0


def connect(url: str, *, socket_timeout: float = SOCKET_TIMEOUT_SECONDS) -> Redis:
    """A client that notices a dead server within ``socket_timeout`` and reconnects by itself.

    Nothing connects here: the pool opens a connection on first use and a new one after a
    connection breaks, so a client made while Redis is down works once it is back."""
    return Redis.from_url(
        url,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        socket_keepalive=True,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )


class Outage:
    """Tracks one stretch of Redis being away, to log its start and end once each."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.since: float | None = None
        self._reminded = 0.0

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, exc: BaseException, retry_in: float) -> None:
        now = time.monotonic()
        if self.since is None:
            self.since = self._reminded = now
            log.warning(
                "redis.unavailable",
                waiting=self.what,
                error=f"{type(exc).__name__}: {exc}",
                retry_in=round(retry_in, 2),
                action="start Redis again or fix ONETHING_REDIS_URL; this worker waits and"
                " goes on where it stopped, nothing is skipped",
            )
        elif now - self._reminded >= REMIND_SECONDS:
            self._reminded = now
            log.warning(
                "redis.still_unavailable",
                waiting=self.what,
                seconds=round(now - self.since, 1),
                error=f"{type(exc).__name__}: {exc}",
                action="start Redis again or fix ONETHING_REDIS_URL",
            )

    def ended(self) -> float:
        """Log the end of the outage; return how long it lasted (0 when there was none)."""
        if self.since is None:
            return 0.0
        seconds = time.monotonic() - self.since
        self.since = None
        log.info("redis.available", waiting=self.what, down_seconds=round(seconds, 1))
        return seconds


async def until_available(
    operation: Callable[[], Awaitable[T]],
    outage: Outage,
    *,
    first_wait: float = FIRST_WAIT_SECONDS,
    longest_wait: float = LONGEST_WAIT_SECONDS,
) -> T:
    """Run ``operation`` until Redis answers it, waiting longer after each failure (doubling up to
    ``longest_wait``). Only "Redis is away" is retried; the operation must be safe to repeat
    (a read, or a write that is idempotent)."""
    wait = first_wait
    while True:
        try:
            result = await operation()
        except REDIS_DOWN as exc:
            outage.failed(exc, wait)
            await asyncio.sleep(wait)
            wait = min(wait * 2, longest_wait)
            continue
        outage.ended()
        return result
