"""What a family's after-death application does, decided from what the read model knows.

Pure functions of the application, the calling window and the case (if any) with the same id.
``decide`` answers the outcome:
- no such case: ``received``, a new case is started (``StartCase``);
- a case opened proactively (the hospital certified the death) that is waiting for the family:
  ``merged``, the application is added to it (``SupplementCase``) and the two waits end
  (``Signal`` for ``family_application`` and ``family_window``), all on one topic and key, so in
  this order;
- anything else: refused with 409 and why.
``messages_for`` gives the messages that carry an outcome out; a retry of a request that may not
have been published gets the same messages again from it. The route publishes them; nothing here
does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.lifecycle import TERMINAL_STATUSES, StepStatus
from contracts.message import Message
from contracts.saga import Signal, StartCase, SupplementCase
from contracts.window import AfterDeathApplication
from window.ports import Window

__all__ = [
    "FAMILY_APPLICATION",
    "FAMILY_WINDOW",
    "MERGED",
    "RECEIVED",
    "SAGA",
    "Refused",
    "decide",
    "messages_for",
]

SAGA = "afterlife"
FAMILY_APPLICATION = "family_application"  # the step that waits for the family's application
FAMILY_WINDOW = "family_window"  # the grace period the family has to apply
_TERMINAL = frozenset(status.value for status in TERMINAL_STATUSES)
# Shown to the clerk: names no division, case or status (in Chinese, as clerks read it).
NOT_HERE = "本窗口无法受理该申请，请咨询服务大厅确认受理地点"


RECEIVED = "received"  # a new case
MERGED = "merged"  # into the case opened proactively


@dataclass(frozen=True)
class Refused:
    status_code: int
    detail: str


def decide(
    window: Window,
    case_id: str,
    summary: dict[str, str] | None,
    steps: dict[str, dict[str, Any]],
) -> str | Refused:
    """``RECEIVED``, ``MERGED``, or why the application cannot be taken."""
    if summary is None:
        return RECEIVED
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
    return MERGED


def messages_for(
    outcome: str,
    application: AfterDeathApplication,
    window: Window,
    case_id: str,
    now: datetime,
) -> list[Message]:
    """What carries ``outcome`` out, the same messages for the same application."""
    actor = f"window:{window.window_id}"
    fields = application.model_dump(mode="json")
    if outcome == RECEIVED:
        data = fields | {"channel": "window", "window_id": window.window_id}
        return [
            StartCase(
                case_id=case_id,
                saga=SAGA,
                division_code=window.division_code,
                data=data,
                received_at=now,
            )
        ]
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
    return [supplement, applied, ended]
