"""A reversal saga derived from its forward saga: per forward step, the row that corrects it.

A legal reversal after the pivot (a death certificate retracted, a marriage annulled) corrects
what the reversed case did, each correction in its own row (``Step.corrects``: run if that step
succeeded there, waited for while it was in flight, skipped otherwise). ``reversal_saga`` takes
the forward saga and, keyed by forward step, each correction row, and checks every pair against
the department catalogue: the forward step exists and sends a command, and the correction's
command is the catalogue's reversal of that very command at the same department. Each error
names the row.

A reversal has no pivot and nothing to undo, so by default a refused correction fails only its
own branch (the others go on and the refusal is reported), and every row retries as the forward
saga's rows do after its pivot: both are back-office work with no one waiting at a counter. A
row may set its own ``on_refused`` or ``retry``; the saga's columns (``title``,
``case_deadline``, ``reversed_step_wait``, the retry defaults) pass through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from contracts.departments.catalogue import UnknownCommand, spec_for
from contracts.departments.spec import CommandKind
from saga.definition import DefinitionError, OnRefused, Saga, Step

__all__ = ["reversal_saga"]


def _correction(forward: Saga, reversal: str, corrects: str, row: Step) -> Step:
    where = f"reversal {reversal}: step {row.name!r}"
    if not forward.has_step(corrects) or not forward.step(corrects).sends_command:
        raise DefinitionError(f"{where} corrects {corrects!r}, no command step of {forward.name}")
    if row.corrects not in (None, corrects):
        raise DefinitionError(f"{where} is listed for {corrects!r} but corrects {row.corrects!r}")
    done = forward.step(corrects)
    try:
        spec = spec_for(row.department, row.command)
    except UnknownCommand as exc:
        raise DefinitionError(f"{where}: {exc}") from None
    reverses = (row.department, spec.kind, spec.undoes)
    if reverses != (done.department, CommandKind.REVERSE, done.command):
        raise DefinitionError(
            f"{where}: {row.department}.{row.command} does not reverse "
            f"{done.department}.{done.command}, which {corrects!r} sent"
        )
    return replace(row, corrects=corrects)


def _alone(step: Step) -> Step:
    # Without a pivot the runtime's default would reject the case on a refusal and stop the
    # other corrections; here each refusal fails its own branch unless the row says otherwise.
    return step if step.on_refused is not None else replace(step, on_refused=OnRefused.FAIL_BRANCH)


def reversal_saga(
    forward: Saga,
    corrections: Mapping[str, Step],
    *,
    name: str,
    version: int,
    then: Sequence[Step] = (),
    **columns: Any,
) -> Saga:
    """The reversal of ``forward``: ``corrections`` maps each forward step to the row correcting
    it, in the order the table lists them; ``then`` are the rows that follow (a new ID card once
    the hukou is restored, the notice of what was corrected); ``columns`` are ``Saga`` columns."""
    rows = [_correction(forward, name, step, row) for step, row in corrections.items()]
    phases = {
        "retry_before_pivot": forward.retry_after_pivot,
        "retry_after_pivot": forward.retry_after_pivot,
    }
    return Saga(
        name=name,
        version=version,
        steps=tuple(_alone(step) for step in (*rows, *then)),
        **(phases | columns),
    )
