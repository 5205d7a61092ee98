"""Saga definitions: a one-thing is a table of ``Step`` rows; ``Saga`` checks the table on load.

A step's *kind* says what the runtime may do with it:

- ``read_only``      a query; nothing to undo.
- ``compensatable``  has an undo command, run in reverse order if the case rolls back.
- ``pivot``          the legal act that cannot be undone; once one succeeds, the case goes forward.
- ``retriable``      after a pivot: retried with backoff until it succeeds, else escalated.
- ``decision``       a person decides (approve / refuse) through a ``Signal``.
- ``human_task``     a person records a result through a ``Signal``; has a deadline.

A ``decision`` or ``human_task`` row marked ``clerk=True`` is a *clerk task*: a window clerk of
the case's division completes it through the window API (the task list, then the result with the
clerk's identity and a reason, audited in the timeline); its deadline puts it in the late list.
Its ``task_form`` (a model) is what the clerk records with an approval — a home visit's findings —
checked by the window and kept as the step's result, where builders read it.
- ``timer``          waits (``wait``) then succeeds on its own: a grace period, a public notice.

``Step.commits`` says what a pivot's success commits. ``case`` (the default): the whole case;
nothing is undone any more and a later refusal fails only its own branch. ``branch``: a
*per-branch pivot* (an emergency payment made first, 先行救助) commits only its branch — itself,
every step it depends on (transitively, shared ones included) and the steps that follow from it
alone. A later refusal elsewhere still rolls back every compensatable step outside that branch,
the branch runs to its end, and the case ends ``rejected`` (or ``compensated``, ``withdrawn``)
with the branch pivots that stand listed in its terminal event (``saga.branches``).

``Step.loop_back`` (a ``LoopBack``) lets a step's result send the case back to named earlier
steps (an objection during a public notice re-opens the investigation): on a success when its
``when`` holds, or on a refusal with one of its ``codes`` (a ``Signal`` may carry one). The
steps from ``to`` up to this one run again as the next round, with the round in their command
ids and events; after ``max_rounds`` rounds the case escalates or is rejected, as
``on_exhausted`` says (``saga.loops``). The loop may not cross a pivot, and every step that
depends on a target must lead to the looping step (or follow it), so no step keeps an old
round's result.

``Step.recurs`` (a ``Recurrence``) makes a step run on a schedule (a monthly allowance, a
yearly review): one command per period (monthly, every N months, yearly, boundaries at midnight
in Asia/Shanghai) with the period in its command id (builders see it as ``Context.period``),
each period started by a durable timer,
until a predicate on the case (``until``) or another step (``ended_by``) ends it; then the step
succeeds and what depends on it runs (``saga.recurring``).

``Deadline.suspends`` marks a deadline (the case's, a step's, a wait) whose clock stops while a
补正 is awaited (a step in ``waiting_supplement``) and goes on when the material arrives: its end
moves by the time it stood still, in working days for a working-day deadline, and the timeline
shows ``clock_suspended`` and ``clock_resumed`` with the new deadlines (``saga.suspension``).

Two columns serve the ends of a case. ``Saga.on_rejected`` lists steps (notices, say) that run
when the case is rejected, after its compensation and before it ends ``rejected``; they see the
refusals that rejected it (``Context.refusals``) and may count a deadline from the decision
(``starts_on="case_rejected"``). ``Step.corrects`` makes a row of a *reversal* saga the
correction of one step of the reversed case: it runs if that step succeeded there, waits while
it was still in flight, and is skipped otherwise.

``Saga.merge`` is how a second start of the same case joins it (a family's form arriving for the
case a hospital's certificate opened, 免申即享): while the named step waits for its signal, the
start's data is added to the case and the named waits end; otherwise the start is a duplicate.
The engine applies it to the case's own state, so no reader of a lagging view decides it.

``Saga.retry_before_pivot`` and ``Saga.retry_after_pivot`` are the table's retry policies: a
row without its own ``retry`` takes the one of its phase when the ``Saga`` is made — before any
pivot (the pivot itself included), or after one (a step that depends on a pivot, and the
``on_rejected`` steps, which run once the case is decided). ``Step.retry_policy`` is the policy
in force.

``Saga.version`` numbers a table: an orchestrator may serve several versions of one saga at once,
starts new cases on the newest and runs each case on the version it started with; a version is
retired only when no open case uses it (``saga.versions``).

The table is pure data plus small builder functions; nothing here does I/O. A builder returns the
command's payload model (``contracts.departments``; ``saga.rows`` makes a row from it) or, for a
table without contracts, a mapping; ``Step.payload`` is the JSON object the command carries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from contracts.identifiers import check_division_code, enclosing_divisions

__all__ = [
    "CASE_REJECTED",
    "Commits",
    "DONE_STEPS",
    "IN_FLIGHT_STEPS",
    "OBJECTION",
    "ORIGINAL_CASE_ID",
    "REFUSALS",
    "Context",
    "Deadline",
    "LocalDeadline",
    "DeadlineUnit",
    "DefinitionError",
    "Every",
    "Join",
    "LoopBack",
    "Merge",
    "OnExhausted",
    "OnRefused",
    "Recurrence",
    "Refusal",
    "RetryPolicy",
    "Saga",
    "Step",
    "StepKind",
]


# Keys the runtime itself writes into a case's data. A reversal case starts with the reversed
# case's id, its succeeded steps and those still in flight; a rejected case gets the refusals
# that rejected it before its ``on_rejected`` steps run. They live in the data because that is
# what builders and predicates see (``Context.data``).
ORIGINAL_CASE_ID = "original_case_id"
DONE_STEPS = "done_steps"
IN_FLIGHT_STEPS = "in_flight_steps"
REFUSALS = "refusals"
# ``Deadline.starts_on`` for an ``on_rejected`` step: the moment the case was refused.
CASE_REJECTED = "case_rejected"
# The refusal code of an objection to a public notice: a timer step whose ``loop_back`` lists it
# takes objections through the window while it runs (``POST /v1/cases/{id}/objections``).
OBJECTION = "objection"


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
    SECOND = "second"  # elapsed time, for a demo's compressed clock; no statute counts in it
    MINUTE = "minute"
    HOUR = "hour"
    CALENDAR_DAY = "calendar_day"
    WORKING_DAY = "working_day"
    MONTH = "month"


class Commits(StrEnum):
    """What a pivot's success commits."""

    CASE = "case"  # the whole case: nothing is undone any more, refusals fail their branch
    BRANCH = "branch"  # only its own branch (see the module doc): the rest can still roll back


class Every(StrEnum):
    """The unit of a recurring step's period; boundaries are midnight in China (Asia/Shanghai)."""

    MONTH = "month"  # periods start on the first day of a month
    YEAR = "year"  # periods start on 1 January


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
class LocalDeadline:
    """A division's own period for a deadline, in force from ``effective_from`` (Suqian decides
    dibao within 15 working days where the national rule gives 30). It applies to the division
    and every division inside it (``contracts.identifiers.enclosing_divisions``)."""

    division: str
    effective_from: date
    value: int
    unit: DeadlineUnit

    def __post_init__(self) -> None:
        check_division_code(self.division)  # a typo would silently never match a case


@dataclass(frozen=True)
class Deadline:
    """``value`` ``unit``s counted from ``starts_on``: ``case_received``, ``step_started``
    (this step became runnable) or the name of another step (its success). ``local`` overrides
    the period per division and date; ``in_force`` picks the one a case counts."""

    value: int
    unit: DeadlineUnit
    starts_on: str = "step_started"
    escalate: bool = False  # at expiry: report overdue only (False) or also need a person
    suspends: bool = False  # the clock stops while a 补正 is awaited, and the end moves on
    # At expiry, a step not yet done means the application is deemed withdrawn (视为撤回: a
    # divorce the couple did not come back for): the case rolls back and ends ``withdrawn``.
    withdraws: bool = False
    local: tuple[LocalDeadline, ...] = ()

    def in_force(self, division: str, on: date) -> Deadline:
        """The period for a case of ``division`` whose period starts on ``on``: the most
        specific division's override in force that day (its latest), else this one."""
        for code in enclosing_divisions(division):
            versions = [o for o in self.local if o.division == code and o.effective_from <= on]
            if versions:
                chosen = max(versions, key=lambda o: o.effective_from)
                return replace(self, value=chosen.value, unit=chosen.unit, local=())
        return self


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
class Recurrence:
    """Run the step once per period (``every`` months or years, aligned to the period the step
    started in), each period's command keyed by the period (``case_id:step:2025-03:1``), until
    ``until`` holds (it sees the period about to begin as ``Context.period``) or one of the
    ``ended_by`` steps succeeds. ``from_next``: the first period is the one after the step
    started (a yearly review a year on), not the one it started in (an allowance paid from the
    month of approval)."""

    every: int = 1
    unit: Every = Every.MONTH
    until: Predicate | None = None
    ended_by: tuple[str, ...] = ()
    from_next: bool = False


@dataclass(frozen=True)
class Refusal:
    """One refusal that rejected a case: the step, its department, the code and the reason."""

    step: str
    department: str
    reason_code: str
    reason: str | None = None


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
    period: str | None = None  # for a recurring step: the period being run or about to begin

    @property
    def refusals(self) -> tuple[Refusal, ...]:
        """For an ``on_rejected`` step: the refused steps, in table order; empty otherwise."""
        return tuple(Refusal(**row) for row in self.data.get(REFUSALS, ()))


# What a builder returns: the command's payload model (``contracts.departments``), or a plain
# mapping for tables that have no contract of their own (the runtime's tests).
Payload = BaseModel | Mapping[str, Any]
Builder = Callable[[Context], Payload]
Predicate = Callable[[Context], bool]
# The policy of a row outside any saga (a bare ``Step``); a saga fills in its phase defaults.
DEFAULT_RETRY = RetryPolicy()


def _no_payload(_: Context) -> dict[str, Any]:
    return {}


def to_json(payload: Payload) -> dict[str, Any]:
    """A built payload as the JSON object a command carries. A model gives the fields its builder
    set, no defaults added: the department's own model fills those in when it validates."""
    if isinstance(payload, BaseModel):
        # ``warnings="error"``: a builder that put a value of the wrong type into a field (text
        # for a date) fails here, when the command is built, not at the department.
        return payload.model_dump(mode="json", exclude_unset=True, warnings="error")
    return dict(payload)


@dataclass(frozen=True)
class LoopBack:
    """Send the case back to earlier steps (``to``) when this step's result says so: on success
    when ``when`` holds (it sees this step's result in ``Context.results``), on a refusal whose
    reason code is in ``codes``. The steps from ``to`` up to this one run again as the next
    round; after ``max_rounds`` rounds (the first run is round 1) the case escalates to a person
    or is rejected (``on_exhausted``)."""

    to: tuple[str, ...]
    when: Predicate | None = None
    codes: tuple[str, ...] = ()
    max_rounds: int = 3
    on_exhausted: OnRefused = OnRefused.ESCALATE


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
    retry: RetryPolicy | None = None  # None: the saga's default for the row's phase
    on_refused: OnRefused | None = None  # None: reject before a pivot, fail_branch after
    wait: Deadline | None = None  # for timer steps; a Signal may end the wait early
    done_when: Predicate | None = None  # for decision/human_task: already satisfied by the data
    # Refusals that mean "material missing" (补正): each code → the case-data fields (dotted
    # paths) the applicant may then bring; nothing else can be changed by the supplement.
    supplement_codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    not_applicable: tuple[str, ...] = ()  # refusals that mean "nothing to do here": skipped
    supplement_within: Deadline = field(
        default_factory=lambda: Deadline(5, DeadlineUnit.WORKING_DAY)
    )
    # For a reversal saga: the step of the reversed case this row corrects (see the module doc).
    corrects: str | None = None
    commits: Commits = Commits.CASE  # for a pivot: the whole case, or only its own branch
    loop_back: LoopBack | None = None  # this step's result may send the case back a round
    recurs: Recurrence | None = None  # run once per period until it is ended
    # For decision/human_task: a window clerk of the case's division completes it (a clerk task).
    clerk: bool = False
    # For a clerk task: the model the clerk's result data must fit when approving (a home
    # visit's findings, say); the window checks it, and the data is the step's result.
    task_form: type[BaseModel] | None = None
    title: str = ""

    @property
    def retry_policy(self) -> RetryPolicy:
        """The row's own retry policy, or the default its saga filled in for its phase."""
        return DEFAULT_RETRY if self.retry is None else self.retry

    def payload(self, ctx: Context) -> dict[str, Any]:
        """The command's payload for this case, as it is sent (``build``, then ``to_json``)."""
        return to_json(self.build(ctx))

    def undo_payload(self, ctx: Context) -> dict[str, Any]:
        """The compensation's payload for this case, as it is sent."""
        if self.build_undo is None:
            raise DefinitionError(f"step {self.name!r} has no compensation to build")
        return to_json(self.build_undo(ctx))

    @property
    def takes_objections(self) -> bool:
        """A timer (a public notice) whose objection sends the case back a round."""
        loop = self.loop_back
        return self.kind is StepKind.TIMER and loop is not None and OBJECTION in loop.codes

    @property
    def sends_command(self) -> bool:
        return self.kind in COMMAND_KINDS

    @property
    def awaits_signal(self) -> bool:
        return self.kind in SIGNAL_KINDS


@dataclass(frozen=True)
class Merge:
    """How a start for a case that exists joins it: while ``waiting_step`` waits for its signal,
    the start's data is merged into the case as the application it was waiting for (every key but
    those in ``keep``, which the case keeps as it has them), then each of ``ends`` (steps awaiting
    a signal, or timers cut short) is signalled approved, in order, with ``note`` as the reason."""

    waiting_step: str
    ends: tuple[str, ...]
    keep: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Saga:
    """A named, versioned step table, validated when it is made."""

    name: str
    version: int
    steps: tuple[Step, ...]
    case_deadline: Deadline | None = None
    title: str = ""
    # Run when the case is rejected, after compensation, before it ends ``rejected``.
    on_rejected: tuple[Step, ...] = ()
    # How long a correction waits for the reversed case's in-flight step before a person looks.
    reversed_step_wait: timedelta = timedelta(days=1)
    # How a second start of the same case joins it; None: a second start is a duplicate.
    merge: Merge | None = None
    # The retry policy of a row that names none, by its phase (see the module doc).
    retry_before_pivot: RetryPolicy = DEFAULT_RETRY
    retry_after_pivot: RetryPolicy = DEFAULT_RETRY
    _by_name: dict[str, Step] = field(init=False, repr=False, compare=False)
    _order: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _rejection_order: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _after_pivot: frozenset[str] = field(init=False, repr=False, compare=False)
    _branches: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _loop_spans: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = _index(self)
        order = _topological_order(self, by_name)
        closing = {s.name for s in self.on_rejected}
        after_pivot = _downstream_of_pivots(by_name, order)
        by_name = _with_phase_retries(self, after_pivot | closing)
        _check_kinds(self, by_name, after_pivot)
        _check_on_rejected(self)
        _check_merge(self, by_name)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_order", tuple(n for n in order if n not in closing))
        object.__setattr__(self, "_rejection_order", tuple(n for n in order if n in closing))
        object.__setattr__(self, "_after_pivot", after_pivot)
        _check_branch_pivots(self, by_name)
        _check_recurrences(self, by_name)
        object.__setattr__(self, "_branches", _branch_pivot_branches(self, by_name))
        object.__setattr__(self, "_loop_spans", _loop_spans(self, by_name))

    def step(self, name: str) -> Step:
        return self._by_name[name]

    def has_step(self, name: str) -> bool:
        return name in self._by_name

    @property
    def order(self) -> tuple[str, ...]:
        """Step names in a dependency order (a step after everything it depends on); without
        the ``on_rejected`` steps, which a case has only once it is being rejected."""
        return self._order

    @property
    def rejection_order(self) -> tuple[str, ...]:
        """The ``on_rejected`` steps in a dependency order."""
        return self._rejection_order

    def on_rejection(self, name: str) -> bool:
        """Whether a step is one of the ``on_rejected`` steps."""
        return name in self._rejection_order

    def after_pivot(self, name: str) -> bool:
        """Whether a step can only run once some pivot has succeeded."""
        return name in self._after_pivot

    @property
    def suspends_clock(self) -> bool:
        """Whether any deadline of the table stops while a 补正 is awaited."""
        marked = [self.case_deadline] + [d for s in self.steps for d in (s.deadline, s.wait)]
        return any(d is not None and d.suspends for d in marked)

    @property
    def branch_pivots(self) -> tuple[str, ...]:
        """The pivots that commit only their own branch, in table order."""
        return tuple(self._branches)

    def branch(self, pivot: str) -> frozenset[str]:
        """What a branch pivot's success commits: the pivot, every step it depends on
        (transitively), and the steps that depend on it and on nothing outside that branch."""
        return self._branches[pivot]

    def loop_span(self, name: str) -> tuple[str, ...]:
        """The steps a loop back from ``name`` runs again, in a dependency order: its targets,
        the steps between them and ``name``, and ``name`` itself."""
        return self._loop_spans[name]

    def upstream(self, name: str) -> frozenset[str]:
        """Every step ``name`` depends on, directly or through others."""
        found: set[str] = set()
        frontier = [name]
        while frontier:
            for dep in self._by_name[frontier.pop()].depends_on:
                if dep not in found:
                    found.add(dep)
                    frontier.append(dep)
        return frozenset(found)

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


def _with_phase_retries(saga: Saga, decided: frozenset[str] | set[str]) -> dict[str, Step]:
    """Give every row without a retry policy its phase's default, in ``saga.steps`` and
    ``saga.on_rejected`` themselves, so whoever reads the table sees the policy that runs."""
    if saga.retry_after_pivot.on_exhausted is OnExhausted.COMPENSATE:
        raise DefinitionError(
            f"saga {saga.name}: retry_after_pivot cannot compensate the case; after a pivot "
            "nothing is undone"
        )

    def resolved(step: Step) -> Step:
        if step.retry is not None:
            return step
        default = saga.retry_after_pivot if step.name in decided else saga.retry_before_pivot
        return replace(step, retry=default)

    object.__setattr__(saga, "steps", tuple(resolved(s) for s in saga.steps))
    object.__setattr__(saga, "on_rejected", tuple(resolved(s) for s in saga.on_rejected))
    return {s.name: s for s in (*saga.steps, *saga.on_rejected)}


def _check_merge(saga: Saga, by_name: Mapping[str, Step]) -> None:
    if saga.merge is None:
        return
    for name in (saga.merge.waiting_step, *saga.merge.ends):
        step = by_name.get(name)
        # A signal also ends a timer's wait early (a grace period the applicant cut short).
        if step is None or not (step.awaits_signal or step.kind is StepKind.TIMER):
            raise DefinitionError(
                f"saga {saga.name}: merge names {name!r}, which is neither a step awaiting a"
                " signal nor a timer"
            )


def _index(saga: Saga) -> dict[str, Step]:
    by_name: dict[str, Step] = {}
    for step in (*saga.steps, *saga.on_rejected):
        if step.name in by_name:
            raise DefinitionError(f"saga {saga.name}: step {step.name!r} is defined twice")
        by_name[step.name] = step
    for step in (*saga.steps, *saga.on_rejected):
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

    for step in (*saga.steps, *saga.on_rejected):
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
    closing = {s.name for s in saga.on_rejected}
    for step in by_name.values():
        where = f"saga {saga.name}: step {step.name!r}"
        if step.sends_command and not (step.department and step.command):
            raise DefinitionError(f"{where} ({step.kind}) needs a department and a command")
        unnamed = sorted(code for code, fields in step.supplement_codes.items() if not fields)
        if unnamed:
            raise DefinitionError(
                f"{where}: supplement code(s) {unnamed} must name the fields a 补正 may set"
            )
        if step.kind is StepKind.COMPENSATABLE and not (step.undo and step.build_undo):
            raise DefinitionError(f"{where} is compensatable but has no compensation (undo)")
        if step.clerk and not (step.awaits_signal and step.title):
            raise DefinitionError(
                f"{where}: a clerk task must be a decision or human_task with a title to list"
            )
        if step.kind is StepKind.COMPENSATABLE and step.name in after_pivot:
            raise DefinitionError(
                f"{where} is compensatable but runs after a pivot; after a pivot steps are "
                "retriable, never undone"
            )
        if (
            step.deadline is not None
            and step.deadline.withdraws
            and (step.name in after_pivot or step.kind is StepKind.PIVOT or step.name in closing)
        ):
            raise DefinitionError(
                f"{where}: its deadline withdraws the application, which only a step before the"
                " pivot can do"
            )
        if step.task_form is not None and not step.clerk:
            raise DefinitionError(f"{where}: only a clerk task takes a task_form")
        if step.kind is StepKind.TIMER and step.wait is None:
            raise DefinitionError(f"{where} is a timer step without a wait")
        if step.retry_policy.max_attempts < 1:
            raise DefinitionError(f"{where}: retry.max_attempts must be at least 1")
        if step.name in after_pivot and step.retry_policy.on_exhausted is OnExhausted.COMPENSATE:
            raise DefinitionError(f"{where} runs after a pivot and cannot compensate the case")
        rejecting = step.name in closing
        if step.deadline and step.deadline.starts_on not in (
            "case_received",
            "step_started",
            *((CASE_REJECTED,) if rejecting else ()),
            *by_name,
        ):
            raise DefinitionError(
                f"{where}: deadline starts on unknown event {step.deadline.starts_on!r}"
            )
        if step.corrects is not None and not step.sends_command:
            raise DefinitionError(f"{where} corrects {step.corrects!r} but sends no command")


def _check_branch_pivots(saga: Saga, by_name: dict[str, Step]) -> None:
    for step in by_name.values():
        if step.commits is not Commits.BRANCH:
            continue
        where = f"saga {saga.name}: step {step.name!r}"
        if step.kind is not StepKind.PIVOT:
            raise DefinitionError(f"{where} commits its branch but is {step.kind}, not a pivot")
        if saga.on_rejection(step.name):
            raise DefinitionError(f"{where} is an on_rejected step and cannot be a pivot")
        case_pivots = [
            name
            for name in sorted(saga.upstream(step.name))
            if by_name[name].kind is StepKind.PIVOT and by_name[name].commits is Commits.CASE
        ]
        if case_pivots:
            raise DefinitionError(
                f"{where} commits its branch after the pivot {case_pivots[0]!r}, which has "
                "already committed the whole case"
            )


def _check_recurrences(saga: Saga, by_name: dict[str, Step]) -> None:
    for step in by_name.values():
        rec = step.recurs
        if rec is None:
            continue
        where = f"saga {saga.name}: step {step.name!r} recurs"
        if step.kind not in (StepKind.RETRIABLE, StepKind.READ_ONLY):
            raise DefinitionError(
                f"{where} but is {step.kind}; only a retriable or read-only step can run once "
                "per period"
            )
        if rec.every < 1:
            raise DefinitionError(f"{where}: every must be at least 1")
        if saga.on_rejection(step.name) or step.corrects is not None:
            raise DefinitionError(f"{where}; a rejection or correction step runs once")
        if step.loop_back is not None:
            raise DefinitionError(f"{where} and cannot loop back: each period stands alone")
        for name in rec.ended_by:
            if name == step.name or name not in by_name:
                raise DefinitionError(f"{where}, ended by unknown step {name!r}")


def _branch_pivot_branches(saga: Saga, by_name: dict[str, Step]) -> dict[str, frozenset[str]]:
    """A branch pivot's branch: the pivot, what it rests on, and what follows from it alone (a
    step that also waits on steps outside the branch belongs to the rest of the case)."""
    branches: dict[str, frozenset[str]] = {}
    for step in saga.steps:
        if step.kind is not StepKind.PIVOT or step.commits is not Commits.BRANCH:
            continue
        branch = {step.name} | saga.upstream(step.name)
        after = saga.downstream(step.name)
        for name in saga.order:
            if name in after and all(dep in branch for dep in by_name[name].depends_on):
                branch.add(name)
        branches[step.name] = frozenset(branch)
    return branches


def _loop_spans(saga: Saga, by_name: dict[str, Step]) -> dict[str, tuple[str, ...]]:
    spans: dict[str, tuple[str, ...]] = {}
    for step in saga.steps:
        if step.loop_back is not None:
            spans[step.name] = _loop_span(saga, by_name, step, step.loop_back)
    return spans


def _loop_span(saga: Saga, by_name: dict[str, Step], step: Step, loop: LoopBack) -> tuple[str, ...]:
    """Check a loop back and return the steps it runs again; each error names the step."""
    where = f"saga {saga.name}: step {step.name!r} loops back"
    if not loop.to or (loop.when is None and not loop.codes):
        raise DefinitionError(f"{where} but names no step to go back to or no reason to go")
    before = saga.upstream(step.name)
    strangers = [t for t in loop.to if t not in before]
    if strangers:
        raise DefinitionError(f"{where} to {strangers[0]!r}, which it does not depend on")
    if loop.max_rounds < 2:
        raise DefinitionError(f"{where}: max_rounds must be at least 2 (round 1 is the first run)")
    if loop.on_exhausted not in (OnRefused.ESCALATE, OnRefused.REJECT):
        raise DefinitionError(f"{where}: when the rounds run out it can escalate or reject")
    if loop.on_exhausted is OnRefused.REJECT and saga.after_pivot(step.name):
        raise DefinitionError(f"{where} after a pivot and cannot reject the case")
    between = {n for t in loop.to for n in saga.downstream(t)} & before
    span = {step.name, *loop.to, *between}
    for name in sorted(span):
        if by_name[name].kind is StepKind.PIVOT:
            raise DefinitionError(f"{where} over the pivot {name!r}, which cannot run twice")
        if by_name[name].recurs is not None:
            raise DefinitionError(f"{where} over the recurring step {name!r}")
    after = saga.downstream(step.name)
    for target in loop.to:
        for name in sorted(saga.downstream(target) - span - after):
            raise DefinitionError(
                f"{where} to {target!r}, but {name!r} depends on it without leading to "
                f"{step.name!r}; it would keep the first round's result"
            )
    return tuple(n for n in saga.order if n in span)


def _check_on_rejected(saga: Saga) -> None:
    """A rejection step tells someone about the refusal: it sends a command, is never undone and
    never rolls the case back again, and depends only on other rejection steps (the case's own
    steps have all settled when it runs)."""
    closing = {s.name for s in saga.on_rejected}
    for step in saga.on_rejected:
        where = f"saga {saga.name}: on_rejected step {step.name!r}"
        if step.kind is not StepKind.RETRIABLE:
            raise DefinitionError(f"{where} must be retriable (it runs after the roll-back)")
        if step.on_refused is not None or step.supplement_codes:
            raise DefinitionError(
                f"{where}: a refusal is recorded and the case still ends rejected; "
                "on_refused and supplement_codes do not apply"
            )
        if step.retry_policy.on_exhausted is OnExhausted.COMPENSATE:
            raise DefinitionError(f"{where} cannot compensate a case already rolled back")
        outside = [d for d in step.depends_on if d not in closing]
        if outside:
            raise DefinitionError(
                f"{where} depends on {outside[0]!r}; it may depend only on other on_rejected "
                "steps (read the case's steps through `when` and the results)"
            )
    for step in saga.steps:
        inside = [d for d in step.depends_on if d in closing]
        if inside:
            raise DefinitionError(
                f"saga {saga.name}: step {step.name!r} depends on on_rejected step {inside[0]!r}"
            )
        if step.deadline is not None and step.deadline.starts_on in closing:
            raise DefinitionError(
                f"saga {saga.name}: step {step.name!r}: deadline starts on on_rejected step "
                f"{step.deadline.starts_on!r}"
            )
