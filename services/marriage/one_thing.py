"""The marriage one-thing as the platform sees it: its two sagas and their window forms, its
settings and its demo."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contracts.marriage import DivorceApplication, MarriageApplication
from services.marriage.case_ids import DIVORCE_PREFIX, MARRIAGE_PREFIX, couple_case_id
from services.marriage.demo import DEMO_ENVIRONMENT, run_demo
from services.marriage.examples import DIVORCE_EXAMPLES, MARRIAGE_EXAMPLES
from services.marriage.notice import DIVORCE, MARRIAGE
from services.marriage.saga import divorce_saga, marriage_saga
from services.marriage.settings import MarriageSettings
from services.registry import Application, OneThing

__all__ = ["ONE_THING"]

_MARRIAGE = """
The couple's joint application to register their marriage (结婚登记), at any registry office.

Both identities are verified and the national database checked while the couple waits; a clerk
then decides through the task list (`GET /v1/tasks`), and the certificate is issued. The opt-ins
(the premarital-check voucher, fertility registration, a hukou move to the spouse) run with the
registration and never stop it. A refusal — under the marriage age, already married, a party not
alive or not who the ID says, the same person twice — ends the case `rejected` with the reason
in Chinese, and nothing is registered.

The case id is derived from the couple and the day: the same form sent again the same day is
refused 409. 202 means the request is on the broker; follow the case at
`links.self`. Invalid input is answered 422 with every broken rule, and nothing is published.
"""

_DIVORCE = """
The couple's joint application to divorce by agreement (协议离婚), with their marriage
certificate's number.

The 30-day cooling-off (离婚冷静期) starts the day after; either party may withdraw meanwhile
(`POST /v1/cases/{case_id}/withdrawal`), and the case ends `withdrawn`. Within the next 30 days
both come back to the same office, and a clerk completes the appearance task; if they do not,
the application is deemed withdrawn. Then the divorce is registered and the certificate issued.
A couple not married to each other is refused, with the reason in Chinese.
"""


def _parties(form: MarriageApplication | DivorceApplication) -> tuple[str, str]:
    return form.party_a.resident_id, form.party_b.resident_id


def _marriage_case(form: MarriageApplication, received_at: datetime) -> str:
    return couple_case_id(MARRIAGE_PREFIX, _parties(form), received_at)


def _divorce_case(form: DivorceApplication, received_at: datetime) -> str:
    return couple_case_id(DIVORCE_PREFIX, _parties(form), received_at)


def _start_data(form: MarriageApplication | DivorceApplication, window_id: str) -> dict[str, Any]:
    return form.model_dump(mode="json") | {"channel": "window", "window_id": window_id}


ONE_THING = OneThing(
    name=MARRIAGE,
    title="结婚一件事",
    description="Marriage registration with what follows it, and divorce by agreement",
    sagas=lambda: (marriage_saga(), divorce_saga()),
    applications=(
        Application(
            model=MarriageApplication,
            case_id=_marriage_case,
            start_data=_start_data,
            summary="Apply to register a marriage (结婚一件事)",
            description=_MARRIAGE.strip(),
            examples=MARRIAGE_EXAMPLES,
        ),
        Application(
            saga=DIVORCE,
            model=DivorceApplication,
            case_id=_divorce_case,
            start_data=_start_data,
            summary="Apply to divorce by agreement (协议离婚)",
            description=_DIVORCE.strip(),
            examples=DIVORCE_EXAMPLES,
        ),
    ),
    settings=MarriageSettings,
    demo=run_demo,
    demo_environment=DEMO_ENVIRONMENT,
)
