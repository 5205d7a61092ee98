"""Following cases through the window API: each case is asked for with its own window's key, a
404 (not projected yet) is asked again, a settled case is not asked again, and the follow ends when
all are settled or the time is up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from deploy.demo.follow import WindowFollower
from services.demo import CaseView


class FakeWindow:
    """The window API: ``script[case_id]`` is the list of statuses it answers in turn (``None``
    is a 404), the last one repeated; a wrong key is a 404 as for another division's case."""

    def __init__(self, script: dict[str, list[str | None]], keys: dict[str, str]) -> None:
        self.script, self.keys = script, keys
        self.asked: Counter[str] = Counter()

    def handle(self, request: httpx.Request) -> httpx.Response:
        case_id = request.url.path.rsplit("/", 1)[-1]
        if request.headers.get("X-Window-Key") != self.keys[case_id]:
            return httpx.Response(404, json={"detail": "no such case for this window"})
        statuses = self.script[case_id]
        status = statuses[min(self.asked[case_id], len(statuses) - 1)]
        self.asked[case_id] += 1
        if status is None:
            return httpx.Response(404, json={"detail": "not yet"})
        return httpx.Response(200, json={"case_id": case_id, "status": status, "steps": {}})


def _follower(window: FakeWindow, clock: Callable[[], float] | None = None) -> WindowFollower:
    client = httpx.AsyncClient(
        base_url="http://window.test", transport=httpx.MockTransport(window.handle)
    )
    return WindowFollower(client, interval=0, **({"clock": clock} if clock else {}))


async def test_cases_are_followed_until_terminal_and_not_asked_again_once_settled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    keys = {"AD-1": "key-a", "AD-2": "key-b"}
    window = FakeWindow({"AD-1": [None, "in_progress", "completed"], "AD-2": ["rejected"]}, keys)

    cases = await _follower(window)(keys, timeout=60)

    assert {"AD-1": "completed", "AD-2": "rejected"} == {i: c["status"] for i, c in cases.items()}
    assert Counter({"AD-1": 3, "AD-2": 1}) == window.asked
    assert "2/2 settled  completed=1  rejected=1" in capsys.readouterr().out


async def test_a_case_its_key_cannot_see_is_left_out_when_the_time_is_up() -> None:
    window = FakeWindow({"AD-1": ["completed"], "AD-2": ["completed"]}, {"AD-1": "a", "AD-2": "b"})
    ticks = iter(range(100))

    cases = await _follower(window, clock=lambda: float(next(ticks)))(
        {"AD-1": "a", "AD-2": "wrong"}, timeout=3
    )

    assert ["AD-1"] == list(cases)


async def test_a_case_settles_as_the_demo_says() -> None:
    keys = {"AD-1": "a"}
    window = FakeWindow({"AD-1": ["in_progress", "waiting", "completed"]}, keys)

    def waiting(case_id: str, case: CaseView) -> bool:
        return bool(case["status"] == "waiting")

    cases = await _follower(window)(keys, timeout=60, settled=waiting)

    assert "waiting" == cases["AD-1"]["status"]
    assert 2 == window.asked["AD-1"]
