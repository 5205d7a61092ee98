"""Deadlines and retry policies of the assistance table, with where each comes from ([S]
statutory, [B] the municipal plans, [I] our own inference; ONE-THINGS.md).

The statutory periods are data, not code: the decision (national 30 working days, Suqian 15
from 2025), the public notice (7 days, Jiangsu 5 working days), the emergency proof (10 working
days) and the refusal notice (3 working days) come from the standards files
(``contracts.standards``), national entry as the period and every division's own as a
``LocalDeadline``, so a division's new rule is a new dated entry in its file.
"""

from __future__ import annotations

from datetime import timedelta

from contracts.standards import DeadlineName, default_standards
from contracts.standards.files import NATIONAL
from saga.definition import CASE_REJECTED, Deadline, DeadlineUnit, LocalDeadline, RetryPolicy

__all__ = [
    "BRANCH",
    "DECISION",
    "DECISION_NOTICE",
    "EMERGENCY_PROOF",
    "GAP_REVIEW",
    "NOTICE",
    "RECURRING",
    "REFUSAL_DUE",
    "SOURCE_TIMEOUTS",
    "VISIT",
    "source_retry",
    "statutory",
]


def statutory(name: DeadlineName, starts_on: str = "step_started") -> Deadline:
    """The period ``name`` of the standards files: the national rule, with each division's
    own in force from its date."""
    entries = default_standards().deadline_entries(name)
    national = max(
        (entry for code, entry in entries if code == NATIONAL), key=lambda e: e.effective_from
    )
    local = tuple(
        LocalDeadline(code, entry.effective_from, entry.value, DeadlineUnit(entry.unit))
        for code, entry in entries
        if code != NATIONAL
    )
    return Deadline(national.value, DeadlineUnit(national.unit), starts_on, local=local)


# Every programme decided within the whole-process period of acceptance [S][B].
DECISION = statutory("decision", "case_received")
# The proposed decision is noticed, then decided [S][B].
NOTICE = statutory("public_notice")
# Emergency aid is paid first; the proof follows within 10 working days [S].
EMERGENCY_PROOF = statutory("emergency_proof", "emergency_aid")
# A refusal is notified in writing, with its reasons, within 3 working days [S].
REFUSAL_DUE = statutory("refusal_notice", CASE_REJECTED)
# The decision notices (H10), granted or refused, in the same 3 working days of the decisions.
DECISION_NOTICE = statutory("refusal_notice", "notice_period")
# The visit and the appraisal within 10 working days of acceptance [I]; a clerk deciding what
# to do about a source that never answered, within 2 [I].
VISIT = Deadline(10, DeadlineUnit.WORKING_DAY)
GAP_REVIEW = Deadline(2, DeadlineUnit.WORKING_DAY)

# How long each source may take to answer one query [I]: the registers answer in minutes, the
# banks' deposit-query platform in hours. Three tries, then a person looks (needs attention):
# retried, or skipped — and then a clerk decides whether to go on without it (``gap_review``).
SOURCE_TIMEOUTS: dict[str, timedelta] = {
    "check_hukou_vehicles": timedelta(minutes=5),
    "check_employment_pension": timedelta(minutes=10),
    "check_medical_spending": timedelta(minutes=10),
    "check_tax": timedelta(minutes=30),
    "check_real_estate": timedelta(minutes=30),
    "check_business_registration": timedelta(minutes=10),
    "check_housing_fund": timedelta(minutes=10),
    "check_bank_deposits": timedelta(hours=4),
}


def source_retry(step: str) -> RetryPolicy:
    """The retry policy of one source's step: its own timeout."""
    timeout = SOURCE_TIMEOUTS[step]
    return RetryPolicy(
        max_attempts=3, initial=timedelta(seconds=30), maximum=timeout, timeout=timeout
    )


# The decisions and what follows them: keep trying for about a working day, then a person [I].
BRANCH = RetryPolicy(
    max_attempts=8,
    initial=timedelta(minutes=1),
    maximum=timedelta(hours=2),
    timeout=timedelta(minutes=10),
)
# A month's payment or a review: a day of tries, then a person; never skipped silently [I].
RECURRING = RetryPolicy(
    max_attempts=10,
    initial=timedelta(minutes=5),
    maximum=timedelta(hours=4),
    timeout=timedelta(minutes=30),
)
