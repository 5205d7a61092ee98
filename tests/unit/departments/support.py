"""Helpers for department tests: a command from a payload model, a synchronous ``answer``, and an
ID nobody in the synthetic world has."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from contracts.departments import Department
from contracts.identifiers import make_resident_id
from contracts.saga import DepartmentCommand
from departments.adapter import DepartmentAdapter, Outcome
from departments.world import Person, World

_ids = itertools.count(1)

# Beijing's Chaoyang: no synthetic household lives there, so this valid ID belongs to no one.
STRANGER_ID = make_resident_id("110105", date(1980, 1, 1), 991)


def command(
    department: Department,
    payload: BaseModel | dict[str, Any],
    *,
    name: str | None = None,
    command_id: str | None = None,
    case_id: str = "case-1",
    deadline_at: datetime | None = None,
) -> DepartmentCommand:
    """A command carrying ``payload``; its name is the payload class's unless given."""
    if isinstance(payload, BaseModel):
        name = name or type(payload).__name__
        body = payload.model_dump(mode="json")
    else:
        assert name is not None, "a dict payload needs a command name"
        body = payload
    return DepartmentCommand(
        command_id=command_id or f"{case_id}:step:{next(_ids)}",
        case_id=case_id,
        saga="test",
        step="step",
        department=department.value,
        command=name,
        attempt=1,
        payload=body,
        deadline_at=deadline_at,
    )


def answer(
    adapter: DepartmentAdapter, payload: BaseModel | dict[str, Any], **kwargs: Any
) -> Outcome:
    """What the adapter answers to one command carrying ``payload`` (run to completion); a dict
    payload, which no model has checked, needs the command's ``name``."""
    department = Department(adapter.department)
    return asyncio.run(adapter.handle(command(department, payload, **kwargs)))


def died(person: Person) -> date:
    """The person's date of death (they must be dead)."""
    assert person.date_of_death is not None
    return person.date_of_death


def retract(world: World, person: Person) -> None:
    """What the health commission's retraction does to the shared world."""
    world.death_certificates[person.resident_id].retracted = True
    person.date_of_death = None
