"""The row helper of every one-thing's table: a command row whose builder names its payload model.

A builder says what it returns: ``def cancel_hukou(ctx: Context) -> CancelHukou``, the payload
model of the department contract (``contracts.departments``). ``command_row`` looks that model up
in the department catalogue (``command_of``: each model is the payload of exactly one command),
so the row's department and command follow from it, and copies the command's reply names, so a
table cannot name a command or a reply the department does not have. An undo builder names its
own model, which must be the catalogue's compensation of the row's command at the same
department. Every check runs when the table is made, and each error names the row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_type_hints

from contracts.departments import Department
from contracts.departments.catalogue import UnknownCommand, command_of
from contracts.departments.spec import CommandKind, CommandPayload, CommandSpec
from saga.definition import Context, DefinitionError, Step, StepKind

__all__ = ["PayloadBuilder", "command_row", "command_spec", "payload_model"]

# A builder that returns a department command's payload model.
PayloadBuilder = Callable[[Context], CommandPayload]


def _named(build: Callable[..., Any]) -> str:
    return getattr(build, "__qualname__", repr(build))


def payload_model(row: str, build: Callable[..., Any]) -> type:
    """The model ``build``'s return annotation names; a ``DefinitionError`` naming the row if it
    names none or its annotation does not resolve."""
    try:
        model = get_type_hints(build).get("return")
    except Exception as exc:  # noqa: BLE001 - an annotation that does not resolve, whatever the cause
        raise DefinitionError(
            f"step {row!r}: the return annotation of {_named(build)} does not resolve ({exc})"
        ) from None
    if not isinstance(model, type):
        raise DefinitionError(
            f"step {row!r}: {_named(build)} must be annotated with the payload model it returns"
        )
    return model


def command_spec(row: str, build: Callable[..., Any]) -> tuple[Department, CommandSpec]:
    """The department and command whose payload ``build`` returns, for the row ``row``."""
    model = payload_model(row, build)
    try:
        return command_of(model)
    except UnknownCommand:
        raise DefinitionError(
            f"step {row!r}: {_named(build)} returns {model.__qualname__}, the payload of no "
            "department's command"
        ) from None


def command_row(
    name: str,
    kind: StepKind,
    build: PayloadBuilder,
    *,
    undo: PayloadBuilder | None = None,
    **columns: Any,
) -> Step:
    """A ``Step`` sending the command ``build``'s model is the payload of, to its department;
    ``undo`` builds its compensation; ``columns`` are the row's other ``Step`` columns."""
    department, spec = command_spec(name, build)
    undo_command = None
    if undo is not None:
        undo_department, undo_spec = command_spec(name, undo)
        compensates = (undo_department, undo_spec.kind, undo_spec.undoes)
        if compensates != (department, CommandKind.COMPENSATE, spec.command):
            raise DefinitionError(
                f"step {name!r}: {undo_department}.{undo_spec.command} is not the compensation "
                f"of {department}.{spec.command}"
            )
        undo_command = undo_spec.command
    return Step(
        name=name,
        kind=kind,
        department=department.value,
        command=spec.command,
        build=build,
        succeeded=spec.succeeded,
        refused=spec.refused,
        undo=undo_command,
        build_undo=undo,
        **columns,
    )
