"""公民身后一件事 — after death: the step table, its reversal, and the data a case starts with.

``afterlife_saga`` is the one-thing (D1–D13 in ONE-THINGS.md, opened by a family's form or
proactively by a certified death); ``afterlife_reversal_saga`` corrects what a case did when the
death is retracted. ``proactive_case_data`` and ``reversal_case_data`` turn the health events
into the data those cases start with. See the README beside this file for the flow.
"""

from services.afterlife.one_thing import ONE_THING
from services.afterlife.reversal import afterlife_reversal_saga
from services.afterlife.saga import afterlife_saga
from services.afterlife.start import (
    GRACE_DAYS,
    ProactiveStart,
    ReversalStart,
    proactive_case_data,
    reversal_case_data,
)

__all__ = [
    "GRACE_DAYS",
    "ONE_THING",
    "ProactiveStart",
    "ReversalStart",
    "afterlife_reversal_saga",
    "afterlife_saga",
    "proactive_case_data",
    "reversal_case_data",
]
