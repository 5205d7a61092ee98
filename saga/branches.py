"""Per-branch pivots: a pivot that commits only its own branch (``Step(commits=BRANCH)``).

An emergency payment made first (先行救助) is a legal act like any pivot, but the rest of the case
has not been decided yet: the application may still be refused and rolled back, and the payment
stands. Once such a pivot has succeeded, its *branch* is committed: the pivot, every step it rests
on (everything it depends on, transitively, shared steps included: undoing what a standing act
rests on would leave it without its basis), and the steps that follow from it alone. A roll-back
of the case then undoes only compensatable steps outside every committed branch, lets the
committed branches' own forward steps run to their end, and ends in the status it was begun for
(``rejected``, ``compensated``, ``withdrawn``): the case's application was refused, and the
terminal event lists the branch pivots that stand. A branch pivot still in flight when the
roll-back begins is waited for; if it then fails, its branch is rolled back like the rest.
"""

from __future__ import annotations

from contracts.lifecycle import StepStatus
from saga.definition import Saga
from saga.state import CaseState

__all__ = ["committed", "kept_by_roll_back", "standing"]


def standing(saga: Saga, state: CaseState) -> list[str]:
    """The branch pivots that have succeeded, in table order."""
    return [name for name in saga.branch_pivots if state.steps[name].status is StepStatus.SUCCEEDED]


def committed(saga: Saga, state: CaseState) -> frozenset[str]:
    """Every step in the branch of a branch pivot that has succeeded: never undone, never
    cancelled by a roll-back."""
    names: set[str] = set()
    for pivot in standing(saga, state):
        names |= saga.branch(pivot)
    return frozenset(names)


def kept_by_roll_back(saga: Saga, state: CaseState) -> frozenset[str]:
    """What a roll-back beginning now leaves alone: the committed branches, and the branches of
    branch pivots still in flight, which may yet succeed and commit them."""
    names = set(committed(saga, state))
    for pivot in saga.branch_pivots:
        if state.steps[pivot].status is StepStatus.DISPATCHED:
            names |= saga.branch(pivot)
    return frozenset(names)
