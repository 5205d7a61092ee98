"""Fault injection: wrap any department adapter to make it slow, flaky, down, or contrary.

A ``FaultPlan`` (pydantic, so it loads from a dict, JSON or the ``ONETHING_FAULTS`` environment
variable through ``FaultConfig``) describes one department's misbehaviour: a latency
distribution, a transient-failure rate, refusal rules, outage windows on the injected clock,
duplicate replies and replies later than the step's deadline. ``FaultyAdapter`` applies it around
an inner adapter and is itself a ``DepartmentAdapter``; ``switch`` changes the plan at run time.

Reproducible: every random draw comes from a generator seeded with the plan's seed, the command
id and how many times that id was seen, so a run replays exactly whatever order the commands
arrive in, and a redelivery of the same command draws afresh (a retry can get through). Sleeping
goes through the injected ``sleep``, so tests skip time instead of waiting. An injected refusal is
remembered per command id like a real one; a transient fault or an outage is not (retrying helps).
A duplicate reply is a flag in the outcome's data (``DUPLICATE_REPLY``) that the participant
runtime strips and answers by publishing the reply twice.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from statistics import NormalDist
from typing import Annotated, Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from contracts.departments import Department
from contracts.departments.catalogue import CATALOGUE, UnknownCommand, reason_text, spec_for
from contracts.saga import DepartmentCommand
from departments.adapter import DepartmentAdapter, Outcome, TransientFault

__all__ = [
    "DUPLICATE_REPLY",
    "ENVIRONMENT_VARIABLE",
    "FaultConfig",
    "FaultPlan",
    "FaultyAdapter",
    "LateReplies",
    "Latency",
    "Outage",
    "RefusalRule",
    "wrap_all",
]

DUPLICATE_REPLY = "_duplicate_reply"
ENVIRONMENT_VARIABLE = "ONETHING_FAULTS"

Rate = Annotated[float, Field(ge=0.0, le=1.0)]
Seconds = Annotated[float, Field(ge=0.0)]
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], datetime]


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Latency(_Config):
    """How long the department takes: none, fixed, uniform(low, high) or lognormal(median, sigma)."""

    kind: Literal["none", "fixed", "uniform", "lognormal"] = "none"
    seconds: Seconds = 0.0
    low: Seconds = 0.0
    high: Seconds = 0.0
    median: Seconds = 0.0
    sigma: Seconds = 0.5

    def draw(self, rng: random.Random) -> float:
        # Always one draw, whatever the kind, so switching kinds does not shift later draws.
        u = rng.random()
        if self.kind == "fixed":
            return self.seconds
        if self.kind == "uniform":
            return self.low + (self.high - self.low) * u
        if self.kind == "lognormal" and self.median > 0:
            z = NormalDist().inv_cdf(max(u, 1e-12))  # random() may return exactly 0.0
            return self.median * math.exp(self.sigma * z)
        return 0.0


class RefusalRule(_Config):
    """Refuse ``command`` (any command if None) with ``reason_code`` for a fraction of calls,
    or only when every ``when`` field of the payload equals the given value."""

    command: str | None = None
    reason_code: str = Field(min_length=1)
    reason: str | None = None
    rate: Rate = 1.0
    when: dict[str, Any] = Field(default_factory=dict)

    def matches(self, command: DepartmentCommand) -> bool:
        if self.command is not None and self.command != command.command:
            return False
        return all(command.payload.get(k) == v for k, v in self.when.items())


class Outage(_Config):
    """The department is down from ``start`` (included) to ``end`` (excluded)."""

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("an outage must end after it starts")
        return self

    def covers(self, now: datetime) -> bool:
        return self.start <= now < self.end


class LateReplies(_Config):
    """A fraction of replies held until ``by`` seconds past the command's deadline (or now)."""

    rate: Rate = 0.0
    by: Seconds = 60.0


class FaultPlan(_Config):
    """How one department misbehaves; the default plan injects nothing."""

    seed: int = 0
    latency: Latency = Latency()
    transient_rate: Rate = 0.0
    refusals: list[RefusalRule] = Field(default_factory=list)
    outages: list[Outage] = Field(default_factory=list)
    duplicate_rate: Rate = 0.0
    late: LateReplies = LateReplies()


class FaultConfig(_Config):
    """Plans per department, e.g. ``{"departments": {"public_security": {"transient_rate": 0.1}}}``."""

    departments: dict[Department, FaultPlan] = Field(default_factory=dict)

    def plan_for(self, department: Department) -> FaultPlan:
        return self.departments.get(department, FaultPlan())

    @classmethod
    def from_json(cls, text: str) -> FaultConfig:
        return cls.model_validate_json(text)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FaultConfig:
        """From ``ONETHING_FAULTS``: inline JSON, or ``@path`` to a JSON file; empty if unset."""
        value = (os.environ if environ is None else environ).get(ENVIRONMENT_VARIABLE, "").strip()
        if not value:
            return cls()
        if value.startswith("@"):
            value = Path(value[1:]).read_text(encoding="utf-8")
        return cls.model_validate(json.loads(value))


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FaultyAdapter:
    """A ``DepartmentAdapter`` that applies a ``FaultPlan`` around another one."""

    def __init__(
        self,
        inner: DepartmentAdapter,
        plan: FaultPlan | None = None,
        clock: Clock = _utc_now,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.inner = inner
        self.department = inner.department
        self.clock = clock
        self.sleep = sleep
        self._seen: Counter[str] = Counter()
        self._refused: dict[str, Outcome] = {}
        self._plan = FaultPlan()
        self.switch(plan or FaultPlan())

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    def drain(self) -> list[Any]:
        """Pass on the facts the wrapped department emitted (faults do not lose them)."""
        inner_drain = getattr(self.inner, "drain", None)
        return list(inner_drain()) if inner_drain is not None else []

    def switch(self, plan: FaultPlan) -> None:
        """Apply another plan from the next command on (e.g. start an outage during a demo)."""
        for rule in plan.refusals:
            if rule.command is None:
                continue
            try:
                refusable = bool(spec_for(self.department, rule.command).refused)
            except UnknownCommand as exc:
                raise ValueError(str(exc)) from None
            if not refusable:
                raise ValueError(f"{rule.command} has no refusal reply to inject")
        self._plan = plan

    async def handle(self, command: DepartmentCommand) -> Outcome:
        plan = self._plan
        draws = random.Random(f"{plan.seed}:{command.command_id}:{self._seen[command.command_id]}")
        self._seen[command.command_id] += 1
        now = self.clock()
        for outage in plan.outages:
            if outage.covers(now):
                raise TransientFault(f"{self.department} is down until {outage.end.isoformat()}")
        # Every draw is taken, used or not, so enabling one fault does not reshuffle the others.
        delay = plan.latency.draw(draws)
        transient, late, duplicate = draws.random(), draws.random(), draws.random()
        if delay:
            await self.sleep(delay)
        if transient < plan.transient_rate:
            raise TransientFault(f"{self.department}: injected transient fault")
        outcome = self._refused.get(command.command_id) or self._refusal(plan, command, draws)
        if outcome is None:
            outcome = await self.inner.handle(command)
        if late < plan.late.rate:
            await self.sleep(self._lateness(command, plan.late.by))
        if duplicate < plan.duplicate_rate:
            outcome = replace(outcome, data={**outcome.data, DUPLICATE_REPLY: True})
        return outcome

    def _refusal(
        self, plan: FaultPlan, command: DepartmentCommand, draws: random.Random
    ) -> Outcome | None:
        if not plan.refusals:
            return None  # also spares a department outside the catalogue the lookup below
        spec = CATALOGUE[Department(self.department)].get(command.command)
        for rule in plan.refusals:
            if draws.random() < rule.rate and rule.matches(command) and spec and spec.refused:
                reason = rule.reason or reason_text(self.department, rule.reason_code)
                outcome = Outcome.refused(spec.refused[0], rule.reason_code, reason, injected=True)
                self._refused[command.command_id] = outcome
                return outcome
        return None

    def _lateness(self, command: DepartmentCommand, by: float) -> float:
        if command.deadline_at is None:
            return by
        return max(0.0, (command.deadline_at - self.clock()).total_seconds()) + by


def wrap_all(
    adapters: Mapping[Department, DepartmentAdapter],
    config: FaultConfig,
    clock: Clock = _utc_now,
    sleep: Sleep = asyncio.sleep,
) -> dict[Department, FaultyAdapter]:
    """Every adapter wrapped with its department's plan from ``config``."""
    return {
        department: FaultyAdapter(adapter, config.plan_for(department), clock, sleep)
        for department, adapter in adapters.items()
    }
