"""One helper for the step tables: a row whose replies come from the department's catalogue.

``command_step`` looks the command up in ``contracts.departments`` and copies its success and
refusal reply names into the row, so a table cannot name a reply the department never sends; an
undo must be the catalogue's compensation of that very command. Both checks run when the table
is made, so a contract change that breaks a row fails at load, naming the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts.departments import Department
from contracts.departments.catalogue import spec_for
from saga.definition import Context, DefinitionError, Step, StepKind

__all__ = ["Builder", "command_step"]

Builder = Callable[[Context], dict[str, Any]]


def command_step(
    name: str,
    kind: StepKind,
    department: Department,
    command: str,
    build: Builder,
    *,
    undo: str | None = None,
    build_undo: Builder | None = None,
    **row: Any,
) -> Step:
    """A ``Step`` sending ``command`` to ``department``; ``row`` holds the other columns."""
    spec = spec_for(department, command)
    if undo is not None and spec_for(department, undo).undoes != command:
        raise DefinitionError(f"step {name!r}: {department}.{undo} does not undo {command}")
    return Step(
        name=name,
        kind=kind,
        department=department.value,
        command=spec.command,
        build=build,
        succeeded=spec.succeeded,
        refused=spec.refused,
        undo=undo,
        build_undo=build_undo,
        **row,
    )
