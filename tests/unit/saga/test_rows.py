"""A command row finds its department, its command and its replies from the payload model its
builder returns; an undo from its own builder's model. A builder that names no model, or a model
no department accepts, or an undo that compensates something else, is refused naming the row."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts.departments.catalogue import spec_for
from contracts.departments.civil_affairs import (
    AcceptAfterDeathApplication,
    CancelAfterDeathApplication,
)
from contracts.departments.platform import DiscardHeirData
from contracts.departments.public_security import CancelHukou
from contracts.departments.spec import CommandPayload
from saga.definition import Context, DefinitionError, Saga, StepKind
from saga.rows import command_row
from saga.testing import Scenario


class NotACommand(CommandPayload):
    """A model of the right kind that no department's catalogue lists."""

    what: str


def cancel_hukou(ctx: Context) -> CancelHukou:
    return CancelHukou.model_construct(
        resident_id=str(ctx.data["person"]),
        date_of_death=date(2025, 3, 1),
        death_certificate_no=str(ctx.data["person"]),
    )


def accept(ctx: Context) -> AcceptAfterDeathApplication:
    return AcceptAfterDeathApplication.model_construct(office_division=ctx.division_code)


def cancel(_: Context) -> CancelAfterDeathApplication:
    return CancelAfterDeathApplication.model_construct()


def discard(_: Context) -> DiscardHeirData:
    return DiscardHeirData.model_construct()


def nothing_known(_: Context) -> NotACommand:
    return NotACommand.model_construct(what="x")


def unresolved(_: Context) -> NoSuchModel:  # noqa: F821 - a model that does not exist, on purpose
    raise AssertionError("never built")


def test_the_department_command_and_replies_follow_from_the_payload_model() -> None:
    row = command_row("cancel_hukou", StepKind.RETRIABLE, cancel_hukou, title="户口注销")
    spec = spec_for("public_security", "CancelHukou")

    assert ("public_security", "CancelHukou", "户口注销") == (
        row.department,
        row.command,
        row.title,
    )
    assert (spec.succeeded, spec.refused) == (row.succeeded, row.refused)


def test_the_undo_command_follows_from_the_undo_builders_model() -> None:
    row = command_row("accept", StepKind.COMPENSATABLE, accept, undo=cancel)

    assert ("civil_affairs", "AcceptAfterDeathApplication", "CancelAfterDeathApplication") == (
        row.department,
        row.command,
        row.undo,
    )
    assert cancel is row.build_undo


def test_a_model_no_department_accepts_is_refused_naming_the_row() -> None:
    with pytest.raises(DefinitionError, match="step 'mystery': nothing_known returns NotACommand"):
        command_row("mystery", StepKind.RETRIABLE, nothing_known)


def test_a_builder_that_names_no_model_is_refused_naming_the_row() -> None:
    untyped: Any = lambda ctx: {}  # noqa: E731 - a builder as a table might inline it

    with pytest.raises(DefinitionError, match=r"step 'inline': .* must be annotated with the"):
        command_row("inline", StepKind.RETRIABLE, untyped)
    with pytest.raises(DefinitionError, match="step 'typo': the return annotation of unresolved"):
        command_row("typo", StepKind.RETRIABLE, unresolved)


def test_an_undo_must_be_the_compensation_of_the_rows_own_command() -> None:
    with pytest.raises(
        DefinitionError,
        match=r"step 'accept': platform\.DiscardHeirData is not the compensation of "
        r"civil_affairs\.AcceptAfterDeathApplication",
    ):
        command_row("accept", StepKind.COMPENSATABLE, accept, undo=discard)


def test_a_row_built_from_a_model_sends_that_models_fields() -> None:
    person = "11010519491231002X"
    saga = Saga("t", 1, (command_row("cancel_hukou", StepKind.RETRIABLE, cancel_hukou),))

    command = Scenario(saga, data={"person": person}).start().latest("cancel_hukou")

    assert ("public_security", "CancelHukou") == (command.department, command.command)
    assert {
        "resident_id": person,
        "date_of_death": "2025-03-01",
        "death_certificate_no": person,
    } == command.payload
    assert spec_for("public_security", "CancelHukou").parse(command.payload)
