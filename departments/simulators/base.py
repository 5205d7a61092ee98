"""What every department simulator shares: dispatch, validation, idempotency and an outbox.

A simulator is one department's rules over its part of the shared ``World``. ``Simulator.handle``
looks the command up in the department's catalogue, validates the payload (one that fails is a
``PermanentFault``: the same bytes will fail again), and calls the handler ``routes()`` names for
it. A handler returns the success reply's data model or a ``Refusal`` with a reason code; the base
turns either into an ``Outcome`` and checks it against the catalogue, so a simulator cannot send
a reply its contract does not list. The outcome is kept per ``command_id``: the same id again is
answered from memory without running the handler, and ``effects[command_id]`` counts how often a
handler really ran, so tests can assert "applied exactly once". Handlers are synchronous, so
between the memory lookup and the store nothing yields to the event loop: two concurrent
deliveries of one command cannot both apply it. Events a department publishes on its own
(``DeathCertified``) wait in ``outbox`` for the participant runtime to send.

``household(check)`` is the economic check's common first step at every source (H2): the
declared members' records, or the refusal each source gives without the signed consent or for a
member it does not know.

Given a ``journal`` (``departments.simulators.journal``), every command a handler really applies
is written down before its outcome is returned, and ``replay`` applies the journal again at
start-up, so a restarted simulator has the records and the outcome memory it had.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ValidationError

from contracts.departments import Department
from contracts.departments.spec import CommandSpec, HouseholdCheck
from contracts.envelope import describe_errors
from contracts.message import Message
from contracts.saga import DepartmentCommand
from departments.adapter import Outcome, PermanentFault
from departments.world import CHINA, Person, World, add_months, month_of

if TYPE_CHECKING:
    from departments.simulators.journal import SimulatorJournal

__all__ = [
    "Clock",
    "ContractBreach",
    "Emitted",
    "Handler",
    "Refusal",
    "Simulator",
    "month_text",
    "pseudonym",
]

Clock = Callable[[], datetime]


class ContractBreach(AssertionError):
    """A simulator answered with a reply or reason code its catalogue does not list (a bug)."""


@dataclass(frozen=True)
class Refusal:
    """A handler's business "no": a reason code from the department's ``REASONS``, and the
    department's own words when it gives more than the code's text (the reasons an assessment
    found, say)."""

    code: str
    data: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None


@dataclass(frozen=True)
class Emitted:
    """An event for the runtime to publish: relative topic name, record key, payload."""

    topic: str
    subject: str
    message: Message


Handler = Callable[[Any, DepartmentCommand], BaseModel | Refusal]


@dataclass(frozen=True)
class _Answer:
    fingerprint: str
    outcome: Outcome


def month_text(month: date) -> str:
    """A month as the contracts write it: ``YYYY-MM``."""
    return f"{month.year:04d}-{month.month:02d}"


def pseudonym(text: str) -> str:
    """A stable key that does not show ``text`` (an ID number must not become a record key)."""
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _fingerprint(command: DepartmentCommand) -> str:
    return json.dumps([command.command, command.payload], sort_keys=True, default=str)


class Simulator(ABC):
    """A stateful, rule-enforcing stand-in for one department; a ``DepartmentAdapter``."""

    # Not a ClassVar: the ``DepartmentAdapter`` protocol reads it as an instance attribute.
    department: Department
    commands: ClassVar[Mapping[str, CommandSpec]]
    reasons: ClassVar[Mapping[str, str]]

    def __init__(self, world: World, clock: Clock | None = None) -> None:
        self.world = world
        self.clock: Clock = clock or world.now
        self.effects: Counter[str] = Counter()
        self.outbox: list[Emitted] = []
        self._answers: dict[str, _Answer] = {}
        self.journal: SimulatorJournal | None = None
        # Facts a replayed command emitted: sent again when it is asked again (see ``replay``).
        self._unsent: dict[str, list[Emitted]] = {}
        self._serials = itertools.count(1)
        self._routes = self.routes()
        unrouted = set(self.commands) ^ set(self._routes)
        if unrouted:
            raise TypeError(f"{type(self).__name__}: catalogue and routes differ on {unrouted}")

    @abstractmethod
    def routes(self) -> Mapping[str, Handler]:
        """Command name → handler, one entry per command in the catalogue."""

    async def handle(self, command: DepartmentCommand) -> Outcome:
        spec = self._spec(command)
        try:
            payload = spec.parse(command.payload)
        except ValidationError as exc:
            raise PermanentFault(f"{command.command} payload: {describe_errors(exc)}") from None
        fingerprint = _fingerprint(command)
        answered = self._answers.get(command.command_id)
        if answered is not None:
            if answered.fingerprint != fingerprint:
                raise PermanentFault(
                    f"command id {command.command_id} was already used for another command"
                )
            self.outbox += self._unsent.pop(command.command_id, [])
            return answered.outcome
        handled_at = self.clock()
        outcome = self._outcome(spec, self._routes[command.command](payload, command))
        if self.journal is not None:
            # Written down before it is remembered or answered, as a database commits first.
            self.journal.record(self.department, command, handled_at, outcome)
        self._answers[command.command_id] = _Answer(fingerprint, outcome)
        self.effects[command.command_id] += 1
        return outcome

    def replay(
        self, command: DepartmentCommand, handled_at: datetime, answered: Outcome
    ) -> Outcome:
        """Apply a journalled command again at start-up, on the clock of its first handling, and
        remember the outcome ``answered`` then; return what the handler answers now (the journal
        compares). Its facts are not published now: they are kept and go out again only if the
        command is asked again, as the worker may have died between applying it and sending them
        (a fact's id comes from the command, so a second copy is recognised)."""
        spec = self._spec(command)
        clock, before = self.clock, len(self.outbox)
        self.clock = lambda: handled_at
        try:
            result = self._routes[command.command](spec.parse(command.payload), command)
            now = self._outcome(spec, result)
        finally:
            self.clock = clock
            if len(self.outbox) > before:
                self._unsent[command.command_id] = self.outbox[before:]
                del self.outbox[before:]
        self._answers[command.command_id] = _Answer(_fingerprint(command), answered)
        self.effects[command.command_id] += 1
        return now

    # --- for handlers ----------------------------------------------------------------------

    def today(self) -> date:
        return self.clock().astimezone(CHINA).date()

    def this_month(self) -> date:
        return month_of(self.today())

    def month_after(self, day: date) -> date:
        return add_months(month_of(day), 1)

    def serial(self, prefix: str) -> str:
        """A fresh document number for this department, e.g. ``V000001``."""
        return f"{prefix}{next(self._serials):06d}"

    def household(self, check: HouseholdCheck) -> list[Person] | Refusal:
        """The members an economic-check query names (H2), or its refusal: ``consent_missing``
        when the authorisation is not signed, ``person_not_found`` with the index of the first
        member the records do not know (the index, not the ID number)."""
        if not check.consent_signed:
            return Refusal("consent_missing")
        members: list[Person] = []
        for index, resident_id in enumerate(check.member_ids):
            person = self.world.people.get(resident_id)
            if person is None:
                return Refusal("person_not_found", {"member": index})
            members.append(person)
        return members

    def emit(self, topic: str, subject: str, message: Message) -> None:
        self.outbox.append(Emitted(topic, subject, message))

    def drain(self) -> list[Emitted]:
        """Hand the outbox to the runtime and empty it."""
        emitted, self.outbox = self.outbox, []
        return emitted

    # --- internals -------------------------------------------------------------------------

    def _spec(self, command: DepartmentCommand) -> CommandSpec:
        if command.department != self.department:
            raise PermanentFault(
                f"command for {command.department} sent to {self.department.value}"
            )
        spec = self.commands.get(command.command)
        if spec is None:
            raise PermanentFault(f"{self.department.value} has no command {command.command!r}")
        return spec

    def _outcome(self, spec: CommandSpec, result: BaseModel | Refusal) -> Outcome:
        if isinstance(result, Refusal):
            if not spec.refused or not spec.accepts(spec.refused[0], result.code):
                raise ContractBreach(f"{spec.command} may not refuse with {result.code!r}")
            reason = result.reason or self.reasons[result.code]
            return Outcome.refused(spec.refused[0], result.code, reason, **result.data)
        reply = type(result).__name__
        if not spec.accepts(reply):
            raise ContractBreach(f"{spec.command} may not answer {reply}")
        return Outcome.done(reply, **result.model_dump(mode="json"))
