"""What an application does, decided from what the read model knows of the case it is about.

A pure function of the calling window, the case id the one-thing derives from the form, and the
case's summary and step rows (if the read model has them):
- no such case: ``received``, a new case is started;
- a case of the window's division that waits for this form (the one-thing's ``joins`` step waits
  for its signal, as a case a hospital opened proactively does): ``merged``; the same start is
  published, and the saga's merge rule joins it to the case;
- anything else: refused with 409 and why.
Both outcomes publish one ``StartCase``: the engine, on the case's own state, decides whether it
opens the case or joins it (``saga.definition.Merge``), so a read model that lags behind never
makes two cases or loses a form. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from contracts.lifecycle import TERMINAL_STATUSES, StepStatus
from contracts.saga import StartCase
from services.registry import Application
from window.ports import Window

__all__ = ["MERGED", "NOT_HERE", "RECEIVED", "Refused", "decide", "start_for"]

RECEIVED = "received"  # a new case
MERGED = "merged"  # into the case opened proactively
_TERMINAL = frozenset(status.value for status in TERMINAL_STATUSES)
# Shown to the clerk: names no division, case or status (in Chinese, as clerks read it).
NOT_HERE = "本窗口无法受理该申请，请咨询服务大厅确认受理地点"


@dataclass(frozen=True)
class Refused:
    status_code: int
    detail: str


def decide(
    joins: str | None,
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
    waiting = StepStatus.WAITING_SIGNAL.value
    if joins is None or steps.get(joins, {}).get("status") != waiting:
        return Refused(409, f"an application for this person already exists: case {case_id}")
    return MERGED


def start_for(
    application: Application, form: BaseModel, window: Window, case_id: str, now: datetime
) -> StartCase:
    """The start a validated form publishes, whether it opens the case or joins it."""
    return StartCase(
        case_id=case_id,
        saga=application.saga,
        division_code=window.division_code,
        data=application.start_data(form, window.window_id),
        received_at=now,
        actor=f"window:{window.window_id}",
    )
