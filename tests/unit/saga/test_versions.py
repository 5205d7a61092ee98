"""Several versions of a saga at once: new cases start on the newest, a case stays on the one it
started with, and an orchestrator refuses to serve without a version an open case needs."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.envelope import Envelope, encode, envelope_for
from contracts.message import Message
from contracts.saga import DepartmentCommand, DepartmentReply, ReplyOutcome, StartCase
from onething.records import Record
from saga.definition import DefinitionError
from saga.orchestrator import Orchestrator
from saga.state import CaseState
from saga.testing import Scenario
from saga.versions import SagaVersionMissing, SagaVersions, catalog, retirable, versions_in_use
from tests.support.sample_saga import sample_saga

NOW = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
V1, V2 = sample_saga(version=1), sample_saga(version=2, aid=True)  # v2 pays an aid first


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Envelope[Any]]] = []

    async def send(self, batch: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.sent += batch


class Store(dict[str, bytes]):
    def put(self, case_id: str, value: bytes) -> None:
        self[case_id] = value


def record(message: Message, subject: str, message_id: str) -> Record:
    envelope = envelope_for(message, subject=subject, source="/test", time=NOW, id=message_id)
    return Record(topic="t", partition=0, offset=0, key=None, value=encode(envelope))


def started_on(saga: Any, case_id: str) -> bytes:
    """A case accepted under ``saga``, its checks in flight."""
    scenario = Scenario(saga, case_id=case_id).start().succeed("accept")
    assert scenario.state is not None
    return scenario.state.model_dump_json().encode()


def commands(outbox: Outbox) -> list[str]:
    return [e.data.command_id for _, e in outbox.sent if isinstance(e.data, DepartmentCommand)]


def state(store: Store, case_id: str) -> CaseState:
    return CaseState.model_validate_json(store[case_id])


def test_a_new_case_starts_on_the_newest_version() -> None:
    store, outbox = Store(), Outbox()
    orchestrator = Orchestrator([V1, V2], store, outbox, clock=lambda: NOW)
    start = StartCase(case_id="new", saga="sample", division_code="321300", received_at=NOW)
    asyncio.run(orchestrator.process(record(start, "new", "start-1")))
    assert 2 == state(store, "new").saga_version
    assert {2} == {e.data.saga_version for _, e in outbox.sent if hasattr(e.data, "seq")}


def test_an_open_case_stays_on_the_version_it_started_with() -> None:
    store, outbox = Store({"old": started_on(V1, "old")}), Outbox()
    orchestrator = Orchestrator([V2, V1], store, outbox, clock=lambda: NOW)
    reply = DepartmentReply(command_id="old:check_a:1", case_id="old", step="check_a",
                            department="sample", reply="CheckADone",
                            outcome=ReplyOutcome.SUCCEEDED, attempt=1)  # fmt: skip
    assert "applied" == asyncio.run(orchestrator.process(record(reply, "old", "reply-1")))
    old = state(store, "old")
    assert (1, "succeeded") == (old.saga_version, old.steps["check_a"].status.value)
    assert "aid" not in old.steps  # run on v1's table, which pays no aid
    orchestrator.rebuild_timers(store)  # both versions loaded: it serves


def test_without_a_version_an_open_case_needs_it_refuses_to_start() -> None:
    store = Store({"old": started_on(V1, "old"), "new": started_on(V2, "new")})
    orchestrator = Orchestrator({"sample": V2}, store, Outbox(), clock=lambda: NOW)
    with pytest.raises(SagaVersionMissing) as refused:
        orchestrator.rebuild_timers(store)
    assert (
        "open cases need saga versions this orchestrator does not serve: saga 'sample' version 1"
        " (1 open case(s), e.g. old); it serves sample v2"
    ) == str(refused.value)


def test_a_message_for_a_case_on_a_version_not_served_is_not_handled() -> None:
    store, outbox = Store({"old": started_on(V1, "old")}), Outbox()
    before = dict(store)
    orchestrator = Orchestrator({"sample": V2}, store, outbox, clock=lambda: NOW)
    reply = DepartmentReply(command_id="old:check_a:1", case_id="old", step="check_a",
                            department="sample", reply="CheckADone",
                            outcome=ReplyOutcome.SUCCEEDED, attempt=1)  # fmt: skip
    with pytest.raises(SagaVersionMissing, match="saga 'sample' version 1"):
        asyncio.run(orchestrator.process(record(reply, "old", "reply-2")))
    assert ([], before) == (outbox.sent, dict(store))  # not dead-lettered, nothing stored


def test_which_versions_open_cases_use_and_which_can_be_retired() -> None:
    v3 = sample_saga(version=3)
    ended = Scenario(V1, case_id="ended").start()
    ended.refuse("accept", "no")
    assert ended.state is not None and ended.state.terminal
    store = Store({"a": started_on(V2, "a"), "b": started_on(V2, "b"),
                   "ended": ended.state.model_dump_json().encode()})  # fmt: skip
    assert {"sample": {2: ["a", "b"]}} == versions_in_use(store)
    served = catalog([V1, V2, v3])
    assert {"sample": [1]} == retirable(served, store)  # v3 is new cases' version


def test_a_factory_may_return_several_versions() -> None:
    versions = SagaVersions.of(V2, V1)
    assert ([1, 2], V2) == (list(versions.versions), versions.newest)
    assert {"sample": versions} == catalog({"sample": versions})


def test_one_version_loaded_twice_with_two_tables_is_refused() -> None:
    with pytest.raises(DefinitionError, match="'sample' version 1 is loaded twice"):
        catalog([V1, sample_saga(version=1, aid=True)])
    assert [1] == list(catalog([V1, V1])["sample"].versions)  # the same table twice is one


def test_a_table_under_another_name_is_refused() -> None:
    with pytest.raises(DefinitionError, match="saga 'sample' is given under the name 'other'"):
        catalog({"other": V1})
