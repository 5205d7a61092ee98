"""The topic catalog: every topic OneThing uses, with its partitions and policies, in one place.

Names are relative; a deployment (or a test session) puts its prefix in front, so several
environments can share one cluster. Every case-keyed topic has the same partition count, which
Faust needs to co-partition the case table with its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from contracts.departments import Department

__all__ = [
    "CASE_PARTITIONS",
    "CleanupPolicy",
    "TopicSpec",
    "Topics",
    "catalog",
    "command_topic",
]

CASE_PARTITIONS = 6
DAY_MS = 24 * 60 * 60 * 1000


class CleanupPolicy(StrEnum):
    DELETE = "delete"  # events and commands: a log that ages out
    COMPACT = "compact"  # state: the latest value per key is what matters


@dataclass(frozen=True)
class TopicSpec:
    """One topic: relative name, partitions, and the configs an admin client sets on it."""

    name: str
    purpose: str
    partitions: int = CASE_PARTITIONS
    cleanup: CleanupPolicy = CleanupPolicy.DELETE
    retention_ms: int = 7 * DAY_MS
    extra: dict[str, str] = field(default_factory=dict)

    def configs(self) -> dict[str, str]:
        """Topic-level configs as the broker wants them."""
        configs = {"cleanup.policy": self.cleanup.value, "retention.ms": str(self.retention_ms)}
        configs.update(self.extra)
        return configs


class Topics:
    """Relative topic names; ``Topics.full(prefix, name)`` gives the name on the broker."""

    CASE_REQUESTS = "case.requests"
    CASE_OPERATOR = "case.operator"
    CASE_TIMERS = "case.timers"
    CASE_EVENTS = "case.events"
    CASE_STATE = "case.state"
    DEPT_REPLIES = "dept.replies"
    DEPT_EVENTS = "dept.events"
    HOUSEHOLD_EVENTS = "household.events"
    DEAD_LETTERS = "dlq"
    DEMO_PINGS = "demo.pings"

    @staticmethod
    def full(prefix: str, name: str) -> str:
        return f"{prefix}.{name}" if prefix else name


def command_topic(department: Department | str) -> str:
    """The relative name of a department's command topic (any participant name, not only ours)."""
    return f"dept.{Department(department).value if isinstance(department, Department) else department}.commands"


_FOREVER = -1


def catalog() -> list[TopicSpec]:
    """Every topic OneThing provisions, in a stable order."""
    topics = [
        TopicSpec(Topics.CASE_REQUESTS, "case starts, supplements, withdrawals and signals"),
        TopicSpec(Topics.CASE_OPERATOR, "operator commands: retry, skip, compensate, resolve"),
        TopicSpec(Topics.CASE_TIMERS, "timer firings: backoff, step and case deadlines"),
        TopicSpec(
            Topics.CASE_EVENTS,
            "lifecycle events: the audit trail of every case",
            retention_ms=_FOREVER,
        ),
        TopicSpec(
            Topics.CASE_STATE,
            "authoritative case state (the orchestrator table's changelog)",
            cleanup=CleanupPolicy.COMPACT,
            retention_ms=_FOREVER,
        ),
        TopicSpec(Topics.DEPT_REPLIES, "replies from every department to the orchestrator"),
        TopicSpec(
            Topics.DEPT_EVENTS,
            "facts a department publishes on its own (DeathCertified, DeathRetracted)",
            retention_ms=30 * DAY_MS,
        ),
        TopicSpec(
            Topics.HOUSEHOLD_EVENTS,
            "household changes for the assistance one-thing (from D12, M5)",
            retention_ms=30 * DAY_MS,
        ),
        TopicSpec(
            Topics.DEAD_LETTERS,
            "messages that could not be decoded or validated, with the reason",
            partitions=1,
            retention_ms=30 * DAY_MS,
        ),
        TopicSpec(Topics.DEMO_PINGS, "the round-trip check of `make demo`", partitions=2),
    ]
    topics += [TopicSpec(command_topic(dept), f"commands for {dept.value}") for dept in Department]
    return topics
