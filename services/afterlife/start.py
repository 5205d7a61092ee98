"""The case data an after-death case starts with when no family form opens it.

A proactive case (免申即享) is opened from health's ``DeathCertified`` event, which carries only
the certificate and the death: ``ProactiveStart`` is that, marked ``channel: proactive``, plus the
grace period the next of kin are given to apply. A family form arriving later is merged into the
same case by the window API (``SupplementCase``), so a proactive case gains ``applicant``,
``heir_account`` and ``opt_ins`` exactly as a window case has them from the start. A reversal
case is opened from ``DeathRetracted`` together with what the original case had done:
``ReversalStart`` names the original case, the steps that succeeded there and those still in
flight (corrected only if they turn out to have succeeded), so the reversal only corrects what
really happened; it also carries who applied, so they hear of the correction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.departments.health import DeathCertified, DeathRetracted
from contracts.departments.spec import ReasonText
from contracts.identifiers import DeathCertificateNo, ResidentId
from contracts.window import Applicant
from services.afterlife.settings import GRACE_DAYS, GraceDays

__all__ = [
    "GRACE_DAYS",
    "ProactiveStart",
    "ReversalStart",
    "proactive_case_data",
    "reversal_case_data",
]


class _CaseData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProactiveStart(_CaseData):
    """A draft case opened because a death was certified; no one has applied yet."""

    channel: Literal["proactive"] = "proactive"
    deceased_id: ResidentId
    date_of_death: date
    death_certificate_no: DeathCertificateNo
    certified_at: datetime
    # What the next of kin were told; the table's timer runs the same deployment setting.
    grace_days: GraceDays = GRACE_DAYS


class ReversalStart(_CaseData):
    """A retracted death: which case to correct, why, and which of its steps had succeeded."""

    original_case_id: Annotated[str, Field(min_length=1, max_length=64)]
    deceased_id: ResidentId
    reason: ReasonText
    done_steps: list[str]
    in_flight_steps: list[str] = []
    applicant: Applicant | None = None  # who applied in the original case, if anyone did


def proactive_case_data(event: DeathCertified, grace_days: int = GRACE_DAYS) -> dict[str, Any]:
    """The ``StartCase.data`` of a proactive case; the event's division is the case's division."""
    start = ProactiveStart(
        deceased_id=event.deceased_id,
        date_of_death=event.date_of_death,
        death_certificate_no=event.certificate_no,
        certified_at=event.certified_at,
        grace_days=grace_days,
    )
    return start.model_dump(mode="json")


def reversal_case_data(
    event: DeathRetracted,
    original_case_id: str,
    done_steps: Iterable[str],
    in_flight_steps: Iterable[str] = (),
    applicant: Applicant | None = None,
) -> dict[str, Any]:
    """The ``StartCase.data`` of a reversal case for ``original_case_id`` (the runtime builds
    the same when it reverses a case; this is for tests and tools)."""
    start = ReversalStart(
        original_case_id=original_case_id,
        deceased_id=event.deceased_id,
        reason=event.reason,
        done_steps=sorted(set(done_steps)),
        in_flight_steps=sorted(set(in_flight_steps)),
        applicant=applicant,
    )
    return start.model_dump(mode="json", exclude_none=True)
