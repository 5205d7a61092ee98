"""Builders shared by the window and ops tests: a case's history as lifecycle events, a valid
application, the demo windows and an app wired to the in-memory fakes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from contracts.identifiers import make_resident_id
from contracts.lifecycle import CaseEvent, CaseEventType, CaseStatus, StepStatus
from contracts.personal import open_sealed
from onething.http.fakes import RecordingPublisher
from onething.keys import keyring_from
from onething.readmodel.fake import InMemoryReadModel
from onething.settings import Settings
from services.registry import OneThing
from window.app import create_app
from window.fakes import InMemoryIdempotencyStore, InMemoryWindowRegistry
from window.ports import Window

NOW = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)
SUCHENG = Window("suqian-sucheng-hall", "321302", "宿迁市宿城区政务服务中心")
HAILING = Window("taizhou-hailing-hall", "321202", "泰州市海陵区政务服务中心")
KEYS = {"key-sucheng-0001": SUCHENG, "key-hailing-0001": HAILING}
SUCHENG_KEY = {"X-Window-Key": "key-sucheng-0001"}
HAILING_KEY = {"X-Window-Key": "key-hailing-0001"}
DECEASED_ID = "11010519491231002X"


def opened(data: dict[str, Any], case_id: str) -> Any:
    """Published case data with its sealed fields opened, as a participant would for the case."""
    return open_sealed(data, keyring_from(Settings()), case_id)


def application(**changes: Any) -> dict[str, Any]:
    """A valid after-death application as JSON; ``changes`` replace top-level fields."""
    body: dict[str, Any] = {
        "deceased_id": DECEASED_ID,
        "deceased_name": "张三",
        "date_of_death": "2025-11-02",
        "death_certificate_no": DECEASED_ID,
        "applicant": {
            "resident_id": make_resident_id("321302", date(1976, 5, 14), 27),
            "name": "张四",
            "relation": "child",
            "phone": "13812345678",
        },
        "heir_account": {
            "bank": "中国工商银行宿迁分行",
            "account_no": "6222021234567890123",
            "holder_name": "张四",
        },
    }
    body.update(changes)
    return body


@dataclass
class History:
    """A case's lifecycle events, written in order: ``received()``, then ``step()`` ..."""

    case_id: str
    division_code: str = SUCHENG.division_code
    saga: str = "afterlife"
    events: list[CaseEvent] = field(default_factory=list)
    at: datetime = NOW - timedelta(hours=1)

    def add(self, type: CaseEventType, status: CaseStatus, **fields: Any) -> History:
        self.at += timedelta(minutes=1)
        seq = len(self.events) + 1
        self.events.append(
            CaseEvent(
                event_id=f"{self.case_id}:{seq}",
                case_id=self.case_id,
                seq=seq,
                saga=self.saga,
                saga_version=1,
                division_code=self.division_code,
                type=type,
                at=self.at,
                status=status,
                **fields,
            )
        )
        return self

    def received(
        self,
        deadline_at: datetime | None = NOW + timedelta(days=20),
        provisional: bool | None = None,
    ) -> History:
        return self.add(
            CaseEventType.CASE_RECEIVED,
            CaseStatus.RECEIVED,
            deadline_at=deadline_at,
            deadline_provisional=provisional,
        )

    def step(
        self,
        step: str,
        step_status: StepStatus,
        status: CaseStatus = CaseStatus.IN_PROGRESS,
        **fields: Any,
    ) -> History:
        kind = {
            StepStatus.DISPATCHED: CaseEventType.STEP_DISPATCHED,
            StepStatus.SUCCEEDED: CaseEventType.STEP_SUCCEEDED,
            StepStatus.REFUSED: CaseEventType.STEP_REFUSED,
            StepStatus.WAITING_SIGNAL: CaseEventType.STEP_WAITING,
            StepStatus.WAITING_SUPPLEMENT: CaseEventType.SUPPLEMENT_REQUESTED,
        }[step_status]
        return self.add(kind, status, step=step, step_status=step_status, **fields)

    def overdue(self) -> History:
        return self.add(CaseEventType.OVERDUE, self.events[-1].status)

    def ended(self, status: CaseStatus, outcome: str = "done") -> History:
        return self.add(CaseEventType.CASE_TERMINATED, status, reason=outcome)


def waiting_for_family(case_id: str, division_code: str = SUCHENG.division_code) -> History:
    """A case the hospital opened proactively, waiting for the family to apply."""
    return (
        History(case_id, division_code)
        .received()
        .step("family_application", StepStatus.WAITING_SIGNAL, CaseStatus.WAITING)
    )


@dataclass
class Fakes:
    model: InMemoryReadModel = field(default_factory=InMemoryReadModel)
    publisher: RecordingPublisher = field(default_factory=RecordingPublisher)
    idempotency: InMemoryIdempotencyStore = field(
        default_factory=lambda: InMemoryIdempotencyStore(lambda: NOW)
    )
    windows: InMemoryWindowRegistry = field(default_factory=lambda: InMemoryWindowRegistry(KEYS))
    services: Mapping[str, OneThing] | None = None  # None: the registry's one-things

    async def given(self, *histories: History) -> None:
        for history in histories:
            for event in history.events:
                await self.model.apply(event)

    def app(self) -> FastAPI:
        return create_app(
            Settings(),
            publisher=self.publisher,
            directory=self.model,
            idempotency=self.idempotency,
            windows=self.windows,
            clock=lambda: NOW,
            services=self.services,
        )

    def client(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app())
        return httpx.AsyncClient(transport=transport, base_url="http://window")
