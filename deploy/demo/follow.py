"""Following cases through the window API until they settle, with one progress line.

A demo asks the window API where each case stands, as the service hall that filed it would:
``GET /v1/cases/{case_id}`` with the key of a window that may see it (its division's). A case the
read model does not hold yet (just accepted) answers 404 and is asked again next round; a settled
case is not asked again, so the polling thins out as cases finish.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Mapping

import httpx

from services.demo import CaseView, Settled, terminal

__all__ = ["WindowFollower"]

# Requests in flight at once: enough to ask 200 cases within a round, few enough to leave the
# machine to the workers.
_CONCURRENCY = 8


class WindowFollower:
    """``services.demo.Follow`` over the window API at ``client``'s base URL.

    ``interval`` is the pause between rounds and ``clock`` the monotonic clock the timeout is
    counted on (both injected so tests neither sleep nor wait)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.interval = interval
        self.clock = clock
        self._slots = asyncio.Semaphore(_CONCURRENCY)

    async def __call__(
        self, cases: Mapping[str, str], timeout: float, settled: Settled | None = None
    ) -> dict[str, CaseView]:
        done = settled or terminal
        deadline = self.clock() + timeout
        seen: dict[str, CaseView] = {}
        while True:
            open_ids = [i for i in cases if i not in seen or not done(i, seen[i])]
            views = await asyncio.gather(*(self._case(i, cases[i]) for i in open_ids))
            seen.update({i: v for i, v in zip(open_ids, views, strict=True) if v is not None})
            finished = sum(done(i, seen[i]) for i in cases if i in seen)
            states = Counter(str(v.get("status")) for v in seen.values())
            print(
                f"\r  {finished}/{len(cases)} settled  "
                + "  ".join(f"{s}={n}" for s, n in sorted(states.items())),
                end="",
                flush=True,
            )
            if finished == len(cases) or self.clock() > deadline:
                print()
                return {i: seen[i] for i in cases if i in seen}
            await asyncio.sleep(self.interval)

    async def _case(self, case_id: str, window_key: str) -> CaseView | None:
        """The case as its window sees it, or None while the window cannot show it."""
        async with self._slots:
            try:
                reply = await self.client.get(
                    f"/v1/cases/{case_id}", headers={"X-Window-Key": window_key}
                )
            except httpx.TransportError:  # the window API restarting: ask again next round
                return None
        if reply.status_code == 404:
            return None
        reply.raise_for_status()
        view: CaseView = reply.json()
        return view
