"""Retry policies and deadlines of the marriage and divorce tables, with where each comes from
([S] statutory, [I] our own inference; ONE-THINGS.md and its research notes).

A marriage is registered on the spot [S]: the couple is at the counter, so the checks and the
clerk's decision are due the same day, and the checks are retried quickly, then a person looks.
The two periods of a divorce are settings (``services.marriage.settings``) because the demo runs
them in seconds; what runs in production is the statute's.
"""

from __future__ import annotations

from datetime import timedelta

from saga.definition import CASE_REJECTED, Deadline, DeadlineUnit, RetryPolicy

__all__ = ["AT_THE_COUNTER", "BRANCH", "CHECK", "NEXT_WORKING_DAY", "REFUSAL_DUE"]

# "On the spot" for a step the platform runs asynchronously: by the end of the day it started
# (the runtime's ``on_the_spot`` would be due the instant it starts) [S].
AT_THE_COUNTER = Deadline(0, DeadlineUnit.CALENDAR_DAY)
# The registrations after the pivot (database upload, hukou, e-licence): the next working day [I].
NEXT_WORKING_DAY = Deadline(1, DeadlineUnit.WORKING_DAY)
# A refusal is notified in writing, with its reasons, within 3 working days of the decision [S].
REFUSAL_DUE = Deadline(3, DeadlineUnit.WORKING_DAY, CASE_REJECTED)
# The couple waits at the counter: a few quick tries, then a person looks [I].
CHECK = RetryPolicy(
    max_attempts=5,
    initial=timedelta(seconds=2),
    maximum=timedelta(minutes=1),
    timeout=timedelta(minutes=2),
)
# After the pivot: keep trying for about a working day, then a person looks [I].
BRANCH = RetryPolicy(
    max_attempts=8,
    initial=timedelta(minutes=1),
    maximum=timedelta(hours=2),
    timeout=timedelta(minutes=5),
)
