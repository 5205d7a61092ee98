"""What a chaos run does, drawn from its seed alone: how many cases, which process dies, when.

Pure, so a seed names a run: ``plan_for(7)`` is the same plan on every machine. The timing of
a real run still varies with the machine's load; the plan fixes what is attempted, and the run
reports what happened.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

__all__ = ["DEFAULT_SEEDS", "KINDS", "WORKERS", "Kill", "Kind", "Plan", "chosen_seeds", "plan_for"]

Kind = Literal["orchestrator", "departments", "window", "redis", "kafka"]
KINDS: tuple[Kind, ...] = ("orchestrator", "departments", "window", "redis", "kafka")
WORKERS: frozenset[Kind] = frozenset({"orchestrator", "departments", "window"})
# What ``make test`` runs, chosen by their plans: seed 3 kills the departments worker, 8 Redis
# and 10 Kafka, each once, while cases are being submitted or worked on.
DEFAULT_SEEDS = (3, 8, 10)


@dataclass(frozen=True)
class Kill:
    """SIGKILL one process of ``kind`` ``after`` seconds (from the first submission, or from the
    previous kill's recovery). Redis and Kafka stay down ``down_for`` seconds before the test
    starts them again; a worker comes back when its supervisor restarts it."""

    kind: Kind
    after: float
    down_for: float

    def describe(self) -> str:
        return f"{self.kind}@+{self.after:.1f}s"


@dataclass(frozen=True)
class Plan:
    seed: int
    cases: int
    kills: tuple[Kill, ...]
    people_seed: int  # which of the candidate people apply, in which order

    def describe(self) -> str:
        return ", ".join(kill.describe() for kill in self.kills)


def plan_for(seed: int) -> Plan:
    """The run of ``seed``: 30–45 cases; one kill while the windows are still sending them (they
    take about 8 s, and each case a few seconds more), and in two seeds of five a second kill
    soon after the first process is back."""
    rng = random.Random(seed)
    cases = rng.randint(30, 45)
    kills = [_kill(rng, rng.uniform(0.5, 7.5))]
    if rng.random() < 0.4:
        kills.append(_kill(rng, rng.uniform(0.0, 4.0)))
    return Plan(seed=seed, cases=cases, kills=tuple(kills), people_seed=rng.getrandbits(32))


def _kill(rng: random.Random, after: float) -> Kill:
    kind = rng.choice(KINDS)
    return Kill(kind=kind, after=round(after, 1), down_for=round(rng.uniform(0.5, 4.0), 1))


def chosen_seeds(text: str | None) -> list[int]:
    """``CHAOS_SEEDS``: seeds and ranges, e.g. ``4,7,30-35``; ``DEFAULT_SEEDS`` when unset."""
    if not text or not text.strip():
        return list(DEFAULT_SEEDS)
    seeds: list[int] = []
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        seeds += range(int(first), int(last or first) + 1)
    return seeds
