"""Retry policies and deadlines of the after-death tables, with where each figure comes from.

Figures marked [S] are statutory, [S2] from secondary sources, [B] from the municipal plans and
[I] our own inference where no rule sets one (ONE-THINGS.md and its research notes). A step
deadline only reports ``overdue`` (``escalate=False``): the work goes on and the read model shows
it late. Retry policies differ by how long a department may reasonably take: the checks before
the pivot are quick queries, the branches after it are ordinary back-office work, and the
housing fund may wait weeks for the heirs to be settled.
"""

from __future__ import annotations

from datetime import timedelta

from saga.definition import CASE_REJECTED, Deadline, DeadlineUnit, RetryPolicy

__all__ = [
    "BRANCH",
    "HOUSING_FUND_DUE",
    "MEDICAL",
    "REFUSAL_DUE",
    "SURVIVORS",
    "CASE_DEADLINE",
    "CHECK",
    "DAYS_TO_REPORT_A_DEATH",
    "HOUSING_FUND",
    "HOUSING_FUND_DEADLINE",
    "MANUAL_CHECK",
    "MEDICAL_INSURANCE_DEADLINE",
    "NEXT_WORKING_DAY",
    "REFUSAL_NOTICE_DEADLINE",
    "REVERSED_STEP_WAIT",
    "SURVIVOR_BENEFITS_DEADLINE",
]

# No statute limits the whole bundle. 15 working days sits inside the hardest bound the bundle
# touches (a rural hukou must be cancelled within one month [S]) and is the cycle the Suqian
# plan promises for its joint reviews [B]. A proactive case still waiting for the family passes
# it and is shown overdue, which is the point: someone should call the family.
CASE_DEADLINE = Deadline(15, DeadlineUnit.WORKING_DAY, "case_received")

# "On the spot" for a step the platform runs asynchronously: the runtime's ``on_the_spot`` unit
# is due the instant the step starts and would report every reply overdue, so the promise is
# kept as "by the end of the next working day" (hukou: before burial in a city [S]; pension:
# ≤1 working day after the death is confirmed [I]; completion notice: ≤1 working day [I]).
NEXT_WORKING_DAY = Deadline(1, DeadlineUnit.WORKING_DAY)
# A clerk checking an agent's mandate: manual fallback within a working day [I].
MANUAL_CHECK = Deadline(1, DeadlineUnit.WORKING_DAY)
# Families are asked to report a death to social security within 30 days (overpaid pension is
# clawed back) [S2]; a proactive case whose family has not applied by then is shown overdue.
DAYS_TO_REPORT_A_DEATH = Deadline(30, DeadlineUnit.CALENDAR_DAY)
SURVIVOR_BENEFITS_DEADLINE = Deadline(20, DeadlineUnit.WORKING_DAY)  # local guides, e.g. ≤20 [I]
MEDICAL_INSURANCE_DEADLINE = Deadline(10, DeadlineUnit.WORKING_DAY)  # ≤10 working days [I]
# Heirs may first need a notarised inheritance; three months is when a person should look [I].
HOUSING_FUND_DEADLINE = Deadline(3, DeadlineUnit.MONTH)

# A refusal is notified in writing, with its reasons, within 3 working days of the decision
# (不予受理/不予批准告知书; ONE-THINGS.md "Refusal notice") [S].
REFUSAL_NOTICE_DEADLINE = Deadline(3, DeadlineUnit.WORKING_DAY, CASE_REJECTED)
# How long a correction waits for a step that was in flight in the reversed case before a person
# asks the department: the longest reply timeout of the forward table (the housing fund's) [I].
REVERSED_STEP_WAIT = timedelta(days=3)

# Quick queries and the case file before the pivot: a family may be at the counter. When the
# attempts run out a person looks (the default), rather than the family being turned away.
CHECK = RetryPolicy(
    max_attempts=5,
    initial=timedelta(seconds=2),
    maximum=timedelta(minutes=1),
    timeout=timedelta(minutes=2),
)
# A branch after the pivot: keep trying for about a working day, then a person looks. A reply
# comes once the department's call returns, and the participant bounds that (its own retries and
# the HTTP adapter's timeouts: about a minute); one missing after 5 minutes means the command or
# its participant is stuck, so the step is retried, and shown, then rather than after half an
# hour [I].
BRANCH = RetryPolicy(
    max_attempts=8,
    initial=timedelta(minutes=1),
    maximum=timedelta(hours=2),
    timeout=timedelta(minutes=5),
)
# The housing fund answers slowly (a manual review) and a second withdrawal is refused, so wait
# days for each reply rather than send another attempt; the horizon is several weeks.
HOUSING_FUND = RetryPolicy(
    max_attempts=12,
    initial=timedelta(hours=1),
    maximum=timedelta(days=1),
    timeout=timedelta(days=3),
)

# Short names for the table, so a row reads on one or two lines.
SURVIVORS = SURVIVOR_BENEFITS_DEADLINE
MEDICAL = MEDICAL_INSURANCE_DEADLINE
HOUSING_FUND_DUE = HOUSING_FUND_DEADLINE
REFUSAL_DUE = REFUSAL_NOTICE_DEADLINE
