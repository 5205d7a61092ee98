"""A ``DemoContext`` for unit tests: no stack, no API; it records what a demo asked of it.

``FakeFollow`` answers each follow with the views a test scripted (``views``: case id → view,
or a function of the ``settled`` predicate's call) and remembers every call; ``printed`` collects
the reports handed to the printer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from onething.settings import Settings
from services.demo import CaseView, DemoContext, DemoReport, Population, Settled, terminal

__all__ = ["WINDOW_KEYS", "FakeFollow", "FollowCall", "fake_context"]

# Windows in five of the population's seven divisions, as in window/windows.example.json.
WINDOW_KEYS = {d: f"key-{d}" for d in ("321302", "321202", "210502", "220502", "320585")}


@dataclass
class FollowCall:
    cases: dict[str, str]
    timeout: float
    settled: Settled


@dataclass
class FakeFollow:
    """Answers with ``answer(case_ids)`` (every case ``completed`` by default)."""

    answer: Callable[[list[str]], dict[str, CaseView]] = field(
        default=lambda ids: {i: {"status": "completed", "steps": {}} for i in ids}
    )
    calls: list[FollowCall] = field(default_factory=list)

    async def __call__(
        self, cases: Mapping[str, str], timeout: float, settled: Settled | None = None
    ) -> dict[str, CaseView]:
        self.calls.append(FollowCall(dict(cases), timeout, settled or terminal))
        return self.answer(list(cases))


def fake_context(
    follow: FakeFollow | None = None,
    printed: list[DemoReport] | None = None,
    known: set[str] | None = None,
    **overrides: Any,
) -> DemoContext:
    """A context whose follow is ``follow``, whose printer appends to ``printed`` and whose read
    model already holds ``known``."""
    sink = printed if printed is not None else []

    async def known_cases(saga: str) -> set[str]:
        return set(known or ())

    fields: dict[str, Any] = {
        "settings": Settings(),
        "window_base": "http://window.test",
        "ops_base": "http://ops.test",
        "ops_headers": {"X-Ops-Key": "ops-test-key"},
        "window_keys": WINDOW_KEYS,
        "population": Population(seed=7, size=2000),
        "follow": follow or FakeFollow(),
        "print_report": sink.append,
        "known_cases": known_cases,
        "cases": 20,
        "timeout": 5,
    }
    return DemoContext(**(fields | overrides))
