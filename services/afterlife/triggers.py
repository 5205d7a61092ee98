"""How after-death cases start without an application: facts from the health department.

- ``DeathCertified`` (a hospital's e-certificate) opens the proactive case: the draft that notifies
  the next of kin and, after the grace period, stops the benefits even if nobody applies.
- ``DeathRetracted`` (the certificate was wrong) reverses the case: past the pivot it opens the
  reversal case; before it, the case is rolled back.

Pure: a fact in, the messages to send out. The worker's reactor role publishes them.
"""

from __future__ import annotations

from contracts.departments.health import DeathCertified, DeathRetracted
from contracts.message import Message
from contracts.saga import ReverseCase, StartCase
from contracts.topics import Topics
from services.afterlife.case_ids import afterlife_case_id
from services.afterlife.settings import afterlife_settings
from services.afterlife.start import proactive_case_data

__all__ = ["react"]

REVERSAL_SAGA = "afterlife_reversal"


def react(fact: Message) -> list[tuple[str, str, Message]]:
    """``(relative topic, case id, message)`` to publish for a health fact; nothing otherwise."""
    if isinstance(fact, DeathCertified):
        case_id = afterlife_case_id(fact.deceased_id)
        start = StartCase(
            case_id=case_id,
            saga="afterlife",
            division_code=fact.division_code[:6],
            data=proactive_case_data(fact, afterlife_settings().grace_days),
            received_at=fact.certified_at,
        )
        return [(Topics.CASE_REQUESTS, case_id, start)]
    if isinstance(fact, DeathRetracted):
        case_id = afterlife_case_id(fact.deceased_id)
        reverse = ReverseCase(
            case_id=case_id,
            reversal_case_id=f"{case_id}-R",
            actor="health",
            reason=fact.reason,
            reversal_saga=REVERSAL_SAGA,
            data={"deceased_id": fact.deceased_id, "reason": fact.reason},
            carry=["applicant"],  # whoever applied hears what the reversal corrected
        )
        return [(Topics.CASE_REQUESTS, case_id, reverse)]
    return []
