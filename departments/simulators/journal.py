"""The simulators' journal: every command a simulator applied, written down so it survives a restart.

A department's own system keeps its records when it restarts; a simulator holds them in memory,
so without this a killed departments worker would come back to the freshly seeded world (a
cancelled hukou active again) and forget what it answered. With a journal, every command a
handler really applies is appended as one JSON line — the command, the simulator's clock when it
was handled, and the outcome — to ``<directory>/<department>.jsonl``, and flushed before the
outcome is returned. At start-up ``SimulatorJournal.attach`` applies every line again to the
seeded world in the order they were first handled, on the clock of that handling, so
date-dependent rules decide as they did, and without publishing facts again; the simulators then
answer a redelivered command from memory. The order is a sequence number shared by every
department of the process, because departments read each other's records (public security reads
the health commission's death certificates).

A command id appears at most once in a department's file: the journal is the durable record of
effects that tests count. A SIGKILL in the middle of a write leaves a torn last line; it is
dropped with a warning (that command had not been answered) and cut off before the next append.
Any other line that cannot be read, or applied again, stops the worker (``JournalCorrupt``).

The file is flushed, not fsynced: a killed process loses nothing the operating system holds,
which is what the simulators are for; a real department's database would also survive a power cut.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contracts.departments import Department
from contracts.envelope import describe_errors
from contracts.saga import DepartmentCommand, ReplyOutcome
from departments.adapter import Outcome
from departments.simulators.base import Simulator

__all__ = [
    "JournalCorrupt",
    "JournalEntry",
    "JournalFile",
    "RecordedOutcome",
    "SimulatorJournal",
    "journal_path",
    "read_journal",
]

log = structlog.get_logger("onething.simulators.journal")


class JournalCorrupt(RuntimeError):
    """A journal line other than a torn last one cannot be read or applied again: the
    department's records are unknown, so its simulator must not serve (a developer error)."""


class RecordedOutcome(BaseModel):
    """What the simulator answered, as ``departments.adapter.Outcome`` holds it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reply: str
    outcome: ReplyOutcome
    reason_code: str | None = None
    reason: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def of(cls, outcome: Outcome) -> RecordedOutcome:
        return cls(
            reply=outcome.reply,
            outcome=outcome.outcome,
            reason_code=outcome.reason_code,
            reason=outcome.reason,
            data=outcome.data,
        )

    def as_outcome(self) -> Outcome:
        return Outcome(self.reply, self.outcome, self.reason_code, self.reason, dict(self.data))


class JournalEntry(BaseModel):
    """One applied command: one line of a department's journal."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seq: int = Field(ge=1, description="order of handling across the process's departments")
    handled_at: datetime = Field(description="the simulator's clock when it handled the command")
    command: DepartmentCommand
    outcome: RecordedOutcome


@dataclass(frozen=True)
class JournalFile:
    """A journal as read: its whole lines, and where they end (a torn line may follow)."""

    entries: list[JournalEntry]
    complete_bytes: int
    torn_bytes: int


def journal_path(directory: Path, department: Department | str) -> Path:
    return directory / f"{Department(department).value}.jsonl"


def read_journal(path: Path) -> JournalFile:
    """Read a journal without changing it (a missing file is an empty journal); a last line with
    no newline is torn and left out. Raises ``JournalCorrupt`` for any other unreadable line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    end = data.rfind(b"\n") + 1
    entries = []
    for number, line in enumerate(data[:end].split(b"\n")[:-1], start=1):
        try:
            entries.append(JournalEntry.model_validate_json(line))
        except ValidationError as exc:
            raise JournalCorrupt(f"{path}:{number}: {describe_errors(exc)}") from None
    return JournalFile(entries, end, len(data) - end)


class SimulatorJournal:
    """The journals of one process's simulators, a file per department in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._files: dict[str, IO[str]] = {}
        self._next_seq = 1

    def attach(self, simulators: Mapping[Department, Simulator]) -> int:
        """Apply each simulator's journal to it again, then journal what it applies from now on;
        return how many commands were replayed."""
        self.directory.mkdir(parents=True, exist_ok=True)
        replaying: list[tuple[JournalEntry, Simulator]] = []
        for department, simulator in simulators.items():
            path = journal_path(self.directory, department)
            journal = read_journal(path)
            if journal.torn_bytes:
                log.warning(
                    "journal.torn_line_dropped",
                    department=department.value,
                    path=str(path),
                    bytes=journal.torn_bytes,
                    action="none: the command on it was not answered and will be asked again",
                )
                os.truncate(path, journal.complete_bytes)
            replaying += [(entry, simulator) for entry in journal.entries]
        replaying.sort(key=lambda pair: pair[0].seq)
        diverged = sum(not self._replay(entry, simulator) for entry, simulator in replaying)
        self._next_seq = 1 + max((entry.seq for entry, _ in replaying), default=0)
        for department, simulator in simulators.items():
            path = journal_path(self.directory, department)
            self._files[department.value] = path.open("a", encoding="utf-8")
            simulator.journal = self
        counts = Counter(simulator.department.value for _, simulator in replaying)
        log.info(
            "journal.replayed",
            directory=str(self.directory),
            commands=len(replaying),
            diverged=diverged,
            per_department=dict(sorted(counts.items())),
        )
        return len(replaying)

    def record(
        self,
        department: Department | str,
        command: DepartmentCommand,
        handled_at: datetime,
        outcome: Outcome,
    ) -> None:
        """Append one applied command to its department's journal and flush it."""
        entry = JournalEntry(
            seq=self._next_seq,
            handled_at=handled_at,
            command=command,
            outcome=RecordedOutcome.of(outcome),
        )
        handle = self._files[Department(department).value]
        handle.write(entry.model_dump_json() + "\n")
        handle.flush()
        self._next_seq += 1

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def _replay(self, entry: JournalEntry, simulator: Simulator) -> bool:
        """Apply one entry again; False (logged) if the handler now answers otherwise."""
        recorded = entry.outcome.as_outcome()
        command = entry.command
        try:
            now = simulator.replay(command, entry.handled_at, recorded)
        except Exception as exc:
            path = journal_path(self.directory, simulator.department)
            raise JournalCorrupt(
                # The exception's type only: its text may hold an ID number.
                f"{path}: command {entry.seq} ({command.command} {command.command_id}) cannot be"
                f" applied again ({type(exc).__name__}); a journal belongs to one seeded"
                " population (remove the directory to start from the seeded world)"
            ) from exc
        same = (now.reply, now.outcome, now.reason_code) == (
            recorded.reply,
            recorded.outcome,
            recorded.reason_code,
        )
        if not same:
            # The outcome first given is the one kept: the world has already acted on it.
            log.warning(
                "journal.replay_diverged",
                department=str(simulator.department),
                command=command.command,
                command_id=command.command_id,
                recorded=recorded.reason_code or recorded.reply,
                replayed=now.reason_code or now.reply,
            )
        return same
