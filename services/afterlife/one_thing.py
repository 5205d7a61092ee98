"""The after-death one-thing as the platform sees it: its sagas, its window form, its reactor,
and its demo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contracts.window import AfterDeathApplication
from services.afterlife.case_ids import afterlife_case_id
from services.afterlife.demo import run_demo
from services.afterlife.examples import APPLICATION_EXAMPLES
from services.afterlife.reversal import afterlife_reversal_saga
from services.afterlife.saga import afterlife_saga
from services.afterlife.settings import AfterlifeSettings
from services.afterlife.triggers import react
from services.registry import Application, OneThing

__all__ = ["ONE_THING"]

_DESCRIPTION = """
The family's single application (一表申请) for everything that follows a death.

The case id is derived from the deceased's resident ID, so an application and a case the hospital
opened proactively meet in one case:
- no case yet: a new case is started (`status: received`);
- a proactive case waiting for the family: the application joins it (`status: merged`);
- a family application already exists (or the case is closed, or belongs to another division): 409.

202 means the request is on the broker; follow the case at `links.self`. Invalid input is
answered 422 with every broken rule, and nothing is published.
"""


def _case_id(form: AfterDeathApplication, _received_at: datetime) -> str:
    return afterlife_case_id(form.deceased_id)


def _start_data(form: AfterDeathApplication, window_id: str) -> dict[str, Any]:
    return form.model_dump(mode="json") | {"channel": "window", "window_id": window_id}


ONE_THING = OneThing(
    name="afterlife",
    title="公民身后一件事",
    description="One application for everything that follows a death",
    sagas=lambda: (afterlife_saga(), afterlife_reversal_saga()),
    applications=(
        Application(
            model=AfterDeathApplication,
            case_id=_case_id,
            start_data=_start_data,
            summary="Apply for the after-death one-thing (公民身后一件事)",
            description=_DESCRIPTION.strip(),
            examples=APPLICATION_EXAMPLES,
            joins="family_application",
        ),
    ),
    reactors=(react,),
    settings=AfterlifeSettings,
    demo=run_demo,
)
