"""What a family's after-death application does, decided from what the read model knows.

A pure function of the application, the calling window and the case (if any) with the same id:
- no such case: start one (``StartCase``);
- a case opened proactively (the hospital certified the death) that is waiting for the family:
  add the application to it (``SupplementCase``) and end the two waits (``Signal`` for
  ``family_application`` and ``family_window``), all on one topic and key, so in this order;
- anything else: refuse with 409 and say why.
The route publishes what comes back; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracts.lifecycle import TERMINAL_STATUSES, StepStatus
from contracts.message import Message
from contracts.saga import Signal, StartCase, SupplementCase
from contracts.window import AfterDeathApplication
from window.ports import Window

__all__ = ["FAMILY_APPLICATION", "FAMILY_WINDOW", "SAGA", "Accepted", "Refused", "decide"]

SAGA = "afterlife"
FAMILY_APPLICATION = "family_application"  # the step that waits for the family's application
FAMILY_WINDOW = "family_window"  # the grace period the family has to apply
_TERMINAL = frozenset(status.value for status in TERMINAL_STATUSES)
# Shown to the clerk: names no division, case or status (in Chinese, as clerks read it).
NOT_HERE = "本窗口无法受理该申请，请咨询服务大厅确认受理地点"


@dataclass(frozen=True)
class Accepted:
    status: str  # "received" (a new case) or "merged" (into the case opened proactively)
    messages: list[Message] = field(default_factory=list)


@dataclass(frozen=True)
class Refused:
    status_code: int
    detail: str


def decide(
    application: AfterDeathApplication,
    window: Window,
    case_id: str,
    summary: dict[str, str] | None,
    steps: dict[str, dict[str, Any]],
    now: datetime,
) -> Accepted | Refused:
    actor = f"window:{window.window_id}"
    fields = application.model_dump(mode="json")
    if summary is None:
        data = fields | {"channel": "window", "window_id": window.window_id}
        start = StartCase(
            case_id=case_id,
            saga=SAGA,
            division_code=window.division_code,
            data=data,
            received_at=now,
        )
        return Accepted("received", [start])
    if summary.get("division_code") != window.division_code:
        # Neither the case, its division nor its status is named: this window may not learn that
        # another division handles this person, only that it cannot take the application.
        return Refused(409, NOT_HERE)
    status = summary.get("status", "")
    if status in _TERMINAL:
        return Refused(409, f"case {case_id} for this person is already closed ({status})")
    waiting = steps.get(FAMILY_APPLICATION, {}).get("status") == StepStatus.WAITING_SIGNAL.value
    if not waiting:
        return Refused(409, f"a family application for this person already exists: case {case_id}")
    # The proactive case keeps its own channel; the application adds the family's data to it.
    supplement = SupplementCase(
        case_id=case_id,
        actor=actor,
        data=fields | {"window_id": window.window_id},
        note="family application",
        application=True,
    )
    applied = Signal(case_id=case_id, step=FAMILY_APPLICATION, approved=True, actor=actor)
    ended = Signal(
        case_id=case_id, step=FAMILY_WINDOW, approved=True, actor=actor, reason="family applied"
    )
    return Accepted("merged", [supplement, applied, ended])
