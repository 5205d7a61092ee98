"""A one-thing that exists only in the tests: the sample saga with a window form of its own.

Nothing in ``window/``, ``ops/``, ``onething/`` or ``deploy/`` knows it; it is served only because
``ONETHING_EXTRA_ONE_THINGS`` names it, which is the proof that adding a one-thing touches only
its own folder and its contracts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from services.registry import Application, OneThing
from tests.support.sample_saga import sample_saga

__all__ = ["ONE_THING", "SPEC", "SampleForm"]

SPEC = "tests.support.sample_thing:ONE_THING"


class SampleForm(BaseModel):
    """The sample one-thing's application: a reference and an opt-in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: Annotated[str, Field(pattern=r"^[A-Z0-9]{4,16}$", description="e.g. S1234")]
    want_y: StrictBool = True


def _case_id(form: SampleForm, _received_at: datetime) -> str:
    return f"SM-{form.reference}"


def _start_data(form: SampleForm, window_id: str) -> dict[str, Any]:
    return form.model_dump(mode="json") | {"window_id": window_id}


ONE_THING = OneThing(
    name="sample",
    title="样例一件事",
    description="A one-thing of the tests",
    sagas=lambda: (sample_saga(),),
    applications=(
        Application(
            model=SampleForm,
            case_id=_case_id,
            start_data=_start_data,
            summary="Apply for the sample one-thing",
            examples={"plain": {"summary": "A plain sample", "value": {"reference": "S1234"}}},
        ),
    ),
)
