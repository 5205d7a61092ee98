"""What a one-thing's demo is given and what it hands back (``make demo``).

A one-thing may register a demo (``OneThing.demo``): an async function that sends cases of its
own through the running local system (the workers, the window API, the ops API) as a service hall
and the departments' outside systems would, follows them and says how they ended. The runner
(``deploy.demo.one_things``) builds one ``DemoContext`` with everything that is the same for every
one-thing — where the APIs are, each division's window key, the synthetic population the
department simulators share, following cases until they settle, printing the tables — and runs
every registry one-thing's demo with it in turn.

These types live in ``services/`` rather than beside the runner so that a one-thing's
``demo.py`` can name them without importing the deploy tooling.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from contracts.lifecycle import TERMINAL_STATUSES
from onething.settings import Settings

__all__ = [
    "CaseView",
    "DemoContext",
    "DemoReport",
    "Follow",
    "Population",
    "PrintReport",
    "Settled",
    "terminal",
]

# A case as the window API answers ``GET /v1/cases/{case_id}`` (``window.views.CaseView``).
CaseView = dict[str, Any]
# Whether a case, as last seen, needs no more following: ``(case id, view) -> bool``.
Settled = Callable[[str, CaseView], bool]

_TERMINAL = frozenset(status.value for status in TERMINAL_STATUSES)


def terminal(case_id: str, case: CaseView) -> bool:
    """The default ``Settled``: the case has ended (completed, rejected, reversed …)."""
    return case.get("status") in _TERMINAL


class Follow(Protocol):
    """Polls the window API until every case is settled or ``timeout`` seconds have passed,
    printing progress, and returns each case as last seen (a case never seen is absent).

    ``cases`` maps each case id to the window key that may see it (its division's); ``settled``
    defaults to "the case is in a terminal state"."""

    async def __call__(
        self, cases: Mapping[str, str], timeout: float, settled: Settled | None = None
    ) -> dict[str, CaseView]: ...


@dataclass(frozen=True)
class Population:
    """The synthetic population the department simulators share (``departments.population``):
    people drawn with the same seed and size are the ones every department has records of."""

    seed: int
    size: int


@dataclass
class DemoReport:
    """How a one-thing's demo went: the cases it followed and whether its check passed.

    ``kinds`` says what each case was (``"certified"``, ``"another city"``, ``"reversal"``…):
    the outcome table is split by it. ``window_keys`` gives the key of a window that may see
    each case, for the ``curl`` lines. ``problems`` is empty when the demo's own correctness
    check passed; otherwise each entry says what went wrong, and ``make demo`` fails."""

    cases: dict[str, CaseView]
    kinds: dict[str, str]
    window_keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def sample(self) -> tuple[str, str] | None:
        """One case the demo followed and a window key that sees it, if any."""
        return next(((i, self.window_keys[i]) for i in self.cases if i in self.window_keys), None)


class PrintReport(Protocol):
    """Prints a demo's report: outcomes per state and kind, per step, case durations, problems."""

    def __call__(self, report: DemoReport) -> None: ...


@dataclass(frozen=True)
class DemoContext:
    """Everything a one-thing's demo needs from the running system, the same for every one.

    ``cases`` and ``timeout`` are how many cases a demo should send (about) and how long it
    should follow them; ``known_cases(saga)`` are the ids the read model already holds for a
    saga (earlier runs over the same population), which a demo leaves alone."""

    settings: Settings
    window_base: str
    ops_base: str
    ops_headers: Mapping[str, str]
    window_keys: Mapping[str, str]  # division code → its window's key, sent as X-Window-Key
    population: Population
    follow: Follow
    print_report: PrintReport
    known_cases: Callable[[str], Awaitable[set[str]]]
    cases: int = 200
    timeout: float = 150
