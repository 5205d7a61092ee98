"""The help-and-assistance one-thing as the platform sees it: its saga and its window form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contracts.assistance import AssistanceApplication
from services.assistance.case_ids import assistance_case_id
from services.assistance.examples import ASSISTANCE_EXAMPLES
from services.assistance.notice import ASSISTANCE
from services.assistance.saga import assistance_saga
from services.registry import Application, OneThing

__all__ = ["ONE_THING"]

_APPLICATION = """
The household's one application for assistance (一次申请、联动救助), at its township window, with
its roster and the signed consent to check its finances.

It is assessed once for every programme — 低保, 特困, the low-income status, the two disability
subsidies, temporary assistance: eight sources check its income and assets, the township visits
and a clerk records the findings (`GET /v1/tasks`), the proposal is publicly noticed (an objection:
`POST /v1/cases/{case_id}/objections`), and each programme is decided on its own, then paid
monthly. `urgent` with a `hardship` pays a temporary aid first. Nothing qualifying ends the case
`rejected` with the reasons in Chinese.

One case per household: its id comes from the household number, so a second form while the case
is open is refused 409. 202 means the request is on the broker; follow the case at `links.self`.
Invalid input is answered 422 with every broken rule, and nothing is published.
"""


def _case_id(form: AssistanceApplication, _received_at: datetime) -> str:
    return assistance_case_id(form.household_id)


def _start_data(form: AssistanceApplication, window_id: str) -> dict[str, Any]:
    return form.model_dump(mode="json") | {"channel": "window", "window_id": window_id}


ONE_THING = OneThing(
    name=ASSISTANCE,
    title="帮扶救助一件事",
    description="One application for every social assistance programme, decided and paid",
    sagas=lambda: (assistance_saga(),),
    applications=(
        Application(
            model=AssistanceApplication,
            case_id=_case_id,
            start_data=_start_data,
            summary="Apply for social assistance (帮扶救助一件事)",
            description=_APPLICATION.strip(),
            examples=ASSISTANCE_EXAMPLES,
        ),
    ),
)
