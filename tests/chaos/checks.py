"""What a chaos run must leave true, each check returning what breaks it (empty when it holds):

- every case the window accepted is in the read model and terminal, or visibly needs attention;
- each ends as its application says it must (a crash changes no department's decision);
- no department applied a command twice (its journal names each command id once), and no step
  changed a department's records twice under two attempts;
- the live read model equals one rebuilt from the case-events topic.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.departments.catalogue import spec_for
from contracts.departments.spec import CommandKind
from contracts.lifecycle import TERMINAL_STATUSES, CaseStatus
from contracts.saga import ReplyOutcome
from departments.simulators.journal import JournalEntry, read_journal
from services.afterlife.demo import ELSEWHERE

__all__ = [
    "EXPECTED",
    "SETTLED",
    "applied_twice",
    "commands_journalled_twice",
    "journals",
    "last_events",
    "model_differences",
    "unsettled",
    "wrong_ends",
]

SETTLED = frozenset({s.value for s in TERMINAL_STATUSES} | {CaseStatus.NEEDS_ATTENTION.value})
# How each kind of application the demo makes ends when nothing fails: a certified death
# completes; at another city's window the funeral-fee waiver is refused after the pivot; a death
# no record confirms is refused before it and rolled back.
EXPECTED = {
    "certified": CaseStatus.COMPLETED.value,
    ELSEWHERE: CaseStatus.PARTIALLY_COMPLETED.value,
    "no death record": CaseStatus.REJECTED.value,
}


def unsettled(ids: list[str], cases: Mapping[str, dict[str, Any] | None]) -> dict[str, str]:
    """Accepted case → its status, for each one missing or neither terminal nor needing a person."""
    out = {}
    for case_id in ids:
        case = cases.get(case_id)
        status = "not in the read model" if case is None else case["status"]
        if status not in SETTLED:
            out[case_id] = status
    return out


def wrong_ends(kinds: dict[str, str], cases: Mapping[str, dict[str, Any] | None]) -> list[str]:
    """Settled cases that ended otherwise than their kind says (needing a person is allowed)."""
    out = []
    for case_id, kind in sorted(kinds.items()):
        case = cases.get(case_id)
        status = case["status"] if case else None
        if status in SETTLED and status not in (EXPECTED[kind], CaseStatus.NEEDS_ATTENTION.value):
            out.append(
                f"{case_id} ({kind}) ended {status}, not {EXPECTED[kind]}: {_refusals(case)}"
            )
    return out


def _refusals(case: dict[str, Any] | None) -> str:
    steps = case["steps"] if case else {}
    refused = {
        n: row.get("reason_code") for n, row in steps.items() if row.get("status") == "refused"
    }
    return ", ".join(f"{n} {code}" for n, code in sorted(refused.items())) or "no step refused"


def last_events(case: dict[str, Any] | None, count: int = 4) -> str:
    """A case's last timeline entries in one line: what a stuck case last did."""
    if case is None:
        return "no events projected"
    entries = case["timeline"][-count:]
    return "; ".join(
        f"#{e.get('seq')} {e.get('type')} {e.get('step') or ''} {e.get('step_status') or ''}"
        f" {e.get('reason_code') or ''}".strip()
        for e in entries
    )


def journals(directory: Path) -> dict[str, list[JournalEntry]]:
    """Department → its journal's whole lines (a line being written now is left out)."""
    return {path.stem: read_journal(path).entries for path in sorted(directory.glob("*.jsonl"))}


def commands_journalled_twice(entries: dict[str, list[JournalEntry]]) -> dict[str, list[str]]:
    """Department → the command ids its journal holds more than once."""
    out = {}
    for department, lines in entries.items():
        counts = Counter(e.command.command_id for e in lines)
        twice = sorted(i for i, n in counts.items() if n > 1)
        if twice:
            out[department] = twice
    return out


def applied_twice(entries: dict[str, list[JournalEntry]]) -> list[str]:
    """Steps whose records changed twice: two attempts (two command ids) of one step, forward or
    undo, that a department applied with success. A query may be asked again."""
    done: dict[tuple[str, str, str, bool], list[str]] = defaultdict(list)
    for department, lines in entries.items():
        for entry in lines:
            command = entry.command
            if entry.outcome.outcome is not ReplyOutcome.SUCCEEDED:
                continue
            if spec_for(department, command.command).kind is CommandKind.QUERY:
                continue
            key = (department, command.case_id, command.step, command.compensation)
            done[key].append(command.command_id)
    return [
        f"{department} {case_id} {step}{' (undo)' if undo else ''}: {ids}"
        for (department, case_id, step, undo), ids in sorted(done.items())
        if len(ids) > 1
    ]


def model_differences(live: dict[str, Any], rebuilt: dict[str, Any], limit: int = 8) -> list[str]:
    """Keys whose value differs between the live read model and a rebuild, with both values."""
    out = []
    for key in sorted(set(live) | set(rebuilt)):
        if live.get(key) != rebuilt.get(key):
            out.append(f"{key}: live={_short(live.get(key))} rebuilt={_short(rebuilt.get(key))}")
    if len(out) > limit:
        out = [*out[:limit], f"... and {len(out) - limit} more"]
    return out


def _short(value: Any) -> str:
    if isinstance(value, dict) and len(value) > 6:
        return f"<{len(value)} fields>"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:200] + "…"
