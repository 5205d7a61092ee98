"""Saga definitions: a one-thing is a table of ``Step`` rows; ``Saga`` checks the table on load.

A step's *kind* says what the runtime may do with it:

- ``read_only``      a query; nothing to undo.
- ``compensatable``  has an undo command, run in reverse order if the case rolls back.
- ``pivot``          the legal act that cannot be undone; once one succeeds, the case goes forward.
- ``retriable``      after a pivot: retried with backoff until it succeeds, else escalated.
- ``decision``       a person decides (approve / refuse) through a ``Signal``.
- ``human_task``     a person records a result through a ``Signal``; has a deadline.
- ``timer``          waits (``wait``) then succeeds on its own: a grace period, a public notice.

A pivot that runs in parallel with compensatable steps is a *per-branch pivot* (an emergency
payment made first, 先救助后审核): if the rest of the case is rolled back, its effect stands.

The table is pure data plus small builder functions; nothing here does I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

__all__ = [
    "Context",
    "Deadline",
    "DeadlineUnit",
    "DefinitionError",
    "Join",
    "OnExhausted",
    "OnRefused",
    "RetryPolicy",
    "Saga",
    "Step",
    "StepKind",
]


class DefinitionError(ValueError):
    """A saga table that cannot run; the message names the saga, the step and the rule."""


class StepKind(StrEnum):
    READ_ONLY = "read_only"
    COMPENSATABLE = "compensatable"
    PIVOT = "pivot"
    RETRIABLE = "retriable"
    DECISION = "decision"
    HUMAN_TASK = "human_task"
    TIMER = "timer"


COMMAND_KINDS = frozenset(
    {StepKind.READ_ONLY, StepKind.COMPENSATABLE, StepKind.PIVOT, StepKind.RETRIABLE}
)
SIGNAL_KINDS = frozenset({StepKind.DECISION, StepKind.HUMAN_TASK})


class DeadlineUnit(StrEnum):
    ON_THE_SPOT = "on_the_spot"
    MINUTE = "minute"
    HOUR = "hour"
    CALENDAR_DAY = "calendar_day"
    WORKING_DAY = "working_day"
    MONTH = "month"


class OnExhausted(StrEnum):
    ESCALATE = "escalate"  # the step waits in needs_attention for a person
    COMPENSATE = "compensate"  # roll the case back (only before a pivot)


class OnRefused(StrEnum):
    REJECT = "reject"  # roll back what was done; the case ends rejected (before a pivot)
    FAIL_BRANCH = "fail_branch"  # record the refusal; the rest goes on (partially_completed)
    ESCALATE = "escalate"  # a person looks at it (needs_attention)


class Join(StrEnum):
    SUCCEEDED = "succeeded"  # run after every dependency succeeded (or was skipped)
    SETTLED = "settled"  # run after every dependency ended, whatever the outcome


@dataclass(frozen=True)
class Deadline:
    """``value`` ``unit``s counted from ``starts_on``: ``case_received``, ``step_started``
    (this step became runnable) or the name of another step (its success)."""

    value: int
    unit: DeadlineUnit
    starts_on: str = "step_started"
    escalate: bool = False  # at expiry: report overdue only (False) or also need a person


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts and backoff for a step's command; ``timeout`` bounds the wait for each reply."""

    max_attempts: int = 5
    initial: timedelta = timedelta(seconds=2)
    multiplier: float = 2.0
    maximum: timedelta = timedelta(minutes=10)
    jitter: float = 0.2
    timeout: timedelta | None = timedelta(minutes=10)
    on_exhausted: OnExhausted = OnExhausted.ESCALATE

    def backoff(self, attempt: int, seed: str) -> timedelta:
        """The wait before attempt ``attempt + 1``; jitter comes from ``seed`` so it replays."""
        base = self.initial.total_seconds() * self.multiplier ** max(attempt - 1, 0)
        base = min(base, self.maximum.total_seconds())
        digest = hashlib.sha256(f"{seed}:{attempt}".encode()).digest()
        spread = (int.from_bytes(digest[:4], "big") / 0xFFFFFFFF) * 2 - 1  # in [-1, 1]
        return timedelta(seconds=max(base * (1 + self.jitter * spread), 0.0))


@dataclass(frozen=True)
class Context:
    """What builders and ``when`` predicates see: the application, earlier steps' results, and
    which steps were skipped (not asked for, or a department answering there was nothing to do)."""

    case_id: str
    division_code: str
    data: Mapping[str, Any]
    results: Mapping[str, Mapping[str, Any]]
    received_at: datetime
    skipped: frozenset[str] = frozenset()


Builder = Callable[[Context], dict[str, Any]]
Predicate = Callable[[Context], bool]


def _no_payload(_: Context) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Step:
    """One row of a saga table."""

    name: str
    kind: StepKind
    department: str = ""
    command: str = ""
    build: Builder = _no_payload
    succeeded: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    undo: str | None = None
    build_undo: Builder | None = None
    depends_on: tuple[str, ...] = ()
    join: Join = Join.SUCCEEDED
    when: Predicate | None = None
    deadline: Deadline | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    on_refused: OnRefused | None = None  # None: reject before a pivot, fail_branch after
    wait: Deadline | None = None  # for timer steps; a Signal may end the wait early
    done_when: Predicate | None = None  # for decision/human_task: already satisfied by the data
    supplement_codes: tuple[str, ...] = ()  # refusals that mean "material missing" (补正)
    not_applicable: tuple[str, ...] = ()  # refusals that mean "nothing to do here": skipped
    supplement_within: Deadline = field(
        default_factory=lambda: Deadline(5, DeadlineUnit.WORKING_DAY)
    )
    title: str = ""

    @property
    def sends_command(self) -> bool:
        return self.kind in COMMAND_KINDS

    @property
    def awaits_signal(self) -> bool:
        return self.kind in SIGNAL_KINDS


@dataclass(frozen=True)
class Saga:
    """A named, versioned step table, validated when it is made."""

    name: str
    version: int
    steps: tuple[Step, ...]
    case_deadline: Deadline | None = None
    title: str = ""
    _by_name: dict[str, Step] = field(init=False, repr=False, compare=False)
    _order: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _after_pivot: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = _index(self)
        order = _topological_order(self, by_name)
        after_pivot = _downstream_of_pivots(by_name, order)
        _check_kinds(self, by_name, after_pivot)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_order", order)
        object.__setattr__(self, "_after_pivot", after_pivot)

    def step(self, name: str) -> Step:
        return self._by_name[name]

    def has_step(self, name: str) -> bool:
        return name in self._by_name

    @property
    def order(self) -> tuple[str, ...]:
        """Step names in a dependency order (a step after everything it depends on)."""
        return self._order

    def after_pivot(self, name: str) -> bool:
        """Whether a step can only run once some pivot has succeeded."""
        return name in self._after_pivot

    def dependents(self, name: str) -> tuple[str, ...]:
        return tuple(s.name for s in self.steps if name in s.depends_on)

    def downstream(self, name: str) -> frozenset[str]:
        """Every step that depends on ``name``, directly or through others."""
        found: set[str] = set()
        frontier = [name]
        while frontier:
            for dependent in self.dependents(frontier.pop()):
                if dependent not in found:
                    found.add(dependent)
                    frontier.append(dependent)
        return frozenset(found)


def _index(saga: Saga) -> dict[str, Step]:
    by_name: dict[str, Step] = {}
    for step in saga.steps:
        if step.name in by_name:
            raise DefinitionError(f"saga {saga.name}: step {step.name!r} is defined twice")
        by_name[step.name] = step
    for step in saga.steps:
        for dep in step.depends_on:
            if dep not in by_name:
                raise DefinitionError(
                    f"saga {saga.name}: step {step.name!r} depends on unknown step {dep!r}"
                )
    return by_name


def _topological_order(saga: Saga, by_name: dict[str, Step]) -> tuple[str, ...]:
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = " -> ".join([*path[path.index(name) :], name])
            raise DefinitionError(f"saga {saga.name}: dependency cycle {cycle}")
        state[name] = "visiting"
        for dep in by_name[name].depends_on:
            visit(dep, [*path, name])
        state[name] = "done"
        order.append(name)

    for step in saga.steps:
        visit(step.name, [])
    return tuple(order)


def _downstream_of_pivots(by_name: dict[str, Step], order: tuple[str, ...]) -> frozenset[str]:
    after: set[str] = set()
    for name in order:
        step = by_name[name]
        if any(dep in after or by_name[dep].kind is StepKind.PIVOT for dep in step.depends_on):
            after.add(name)
    return frozenset(after)


def _check_kinds(saga: Saga, by_name: dict[str, Step], after_pivot: frozenset[str]) -> None:
    for step in by_name.values():
        where = f"saga {saga.name}: step {step.name!r}"
        if step.sends_command and not (step.department and step.command):
            raise DefinitionError(f"{where} ({step.kind}) needs a department and a command")
        if step.kind is StepKind.COMPENSATABLE and not (step.undo and step.build_undo):
            raise DefinitionError(f"{where} is compensatable but has no compensation (undo)")
        if step.kind is StepKind.COMPENSATABLE and step.name in after_pivot:
            raise DefinitionError(
                f"{where} is compensatable but runs after a pivot; after a pivot steps are "
                "retriable, never undone"
            )
        if step.kind is StepKind.TIMER and step.wait is None:
            raise DefinitionError(f"{where} is a timer step without a wait")
        if step.retry.max_attempts < 1:
            raise DefinitionError(f"{where}: retry.max_attempts must be at least 1")
        if step.name in after_pivot and step.retry.on_exhausted is OnExhausted.COMPENSATE:
            raise DefinitionError(f"{where} runs after a pivot and cannot compensate the case")
        if step.deadline and step.deadline.starts_on not in (
            "case_received",
            "step_started",
            *by_name,
        ):
            raise DefinitionError(
                f"{where}: deadline starts on unknown event {step.deadline.starts_on!r}"
            )
