"""Service-hall windows submitting after-death applications the way a real window's client would
while parts of the system die: each form keeps its ``Idempotency-Key`` and is sent again after a
5xx, a timeout or a refused connection, and after a 409 for a request still in work (a window
killed mid-request holds its key for a minute), waiting as ``Retry-After`` says or backing off.
The forms come in over a few seconds, as at a counter, so a kill meets some still being sent.

What each window was answered is kept, so a run can say which cases were accepted (202) and what
the windows saw on the way (``500×3``, ``ConnectError×5``).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["Form", "Submission", "submit_all"]

PATH = "/v1/afterlife/applications"
REQUEST_TIMEOUT = 15.0  # the window waits up to 10 s for the broker, then answers 503
LONGEST_WAIT = 5.0


@dataclass(frozen=True)
class Form:
    body: dict[str, Any]
    window_key: str
    kind: str  # what the demo calls it: certified, another city, no death record
    idempotency_key: str


@dataclass
class Submission:
    form: Form
    case_id: str | None = None  # set when the window answered 202
    final_status: int | None = None  # the last HTTP status, if any
    detail: str = ""
    seen: Counter[str] = field(default_factory=Counter)  # what was answered on the way


def _retry_after(reply: httpx.Response, attempt: int) -> float:
    header = reply.headers.get("Retry-After", "")
    if header.isdigit():
        return min(float(header), LONGEST_WAIT)
    return _backoff(attempt)


def _backoff(attempt: int) -> float:
    return min(0.25 * 2.0 ** (attempt - 1), LONGEST_WAIT)


def _in_work(reply: httpx.Response) -> bool:
    """A 409 for a request with this key still being processed (not a conflicting case)."""
    return reply.status_code == 409 and "still being processed" in reply.text


async def _submit(client: httpx.AsyncClient, form: Form, give_up_at: float) -> Submission:
    done = Submission(form)
    headers = {"X-Window-Key": form.window_key, "Idempotency-Key": form.idempotency_key}
    attempt = 0
    while True:
        attempt += 1
        try:
            reply = await client.post(PATH, json=form.body, headers=headers)
        except httpx.TransportError as exc:  # refused, reset, timed out
            done.seen[type(exc).__name__] += 1
            wait = _backoff(attempt)
        else:
            done.final_status = reply.status_code
            if reply.status_code == 202:
                done.case_id = reply.json()["case_id"]
                return done
            done.seen[str(reply.status_code)] += 1
            done.detail = reply.text[:300]
            if reply.status_code < 500 and not _in_work(reply):
                return done  # refused for good: nothing a retry changes
            wait = _retry_after(reply, attempt)
        if time.monotonic() + wait > give_up_at:
            return done
        await asyncio.sleep(wait)


async def submit_all(
    base_url: str,
    forms: list[Form],
    answered: list[Submission],
    *,
    windows: int = 4,
    spread: float = 8.0,
    give_up_after: float = 150.0,
) -> None:
    """Send every form from ``windows`` windows, the first of each over about ``spread`` s, each
    giving up ``give_up_after`` s from the start; each form's ``Submission`` joins ``answered``
    as soon as it is settled (202 or given up)."""
    give_up_at = time.monotonic() + give_up_after
    pause = spread * windows / max(len(forms), 1)
    queue: asyncio.Queue[Form] = asyncio.Queue()
    for form in forms:
        queue.put_nowait(form)

    async def window(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            answered.append(await _submit(client, queue.get_nowait(), give_up_at))
            await asyncio.sleep(pause)

    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        await asyncio.gather(*(window(client) for _ in range(windows)))
