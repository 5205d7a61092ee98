"""What a reversal case carries over from the case it reverses is sealed again for it, so its
commands open; a carried value that is not the reversed case's own is dead-lettered."""

from __future__ import annotations

import asyncio

import pytest

from contracts.dead_letter import DeadLetter
from contracts.personal import open_sealed, seal_personal
from contracts.saga import ReverseCase, StartCase
from contracts.sealing import Cipher, Keyring, NotAuthentic, is_token
from contracts.topics import Topics
from saga.orchestrator import Orchestrator
from saga.testing import Scenario
from tests.support.sample_saga import run_to_pivot, sample_reversal_saga, sample_saga
from tests.unit.saga.test_orchestrator_forwards import NOW, Outbox, Store, record

KEYRING = Keyring({"k1": bytes(range(32))}, "k1", Cipher.AES_256_GCM)
APPLICANT = {"resident_id": "11010519491231002X", "name": "张四", "relation": "child"}


def _reversed(reverse_data: dict[str, object]) -> tuple[Orchestrator, Outbox, ReverseCase]:
    data = seal_personal({"applicant": APPLICANT}, KEYRING, "case-1")
    scenario = run_to_pivot(Scenario(sample_saga(), data=data))
    assert scenario.state is not None
    store, outbox = Store({"case-1": scenario.state.model_dump_json().encode()}), Outbox()
    sagas = {"sample": sample_saga(), "sample_reversal": sample_reversal_saga()}
    orchestrator = Orchestrator(sagas, store, outbox, clock=lambda: NOW, keyring=KEYRING)
    reverse = ReverseCase(
        case_id="case-1", reversal_case_id="case-1-R", actor="health", reason="填报错误",
        reversal_saga="sample_reversal", carry=["applicant"], data=reverse_data,
    )  # fmt: skip
    return orchestrator, outbox, reverse


def test_the_reversal_case_gets_the_carried_values_sealed_for_itself() -> None:
    told = seal_personal({"deceased_id": "11010519491231002X"}, KEYRING, "case-1")
    orchestrator, outbox, reverse = _reversed(told)

    assert "applied" == asyncio.run(orchestrator.process(record(reverse, "case-1", "rev-1")))

    [(topic, envelope)] = [(t, e) for t, e in outbox.sent if isinstance(e.data, StartCase)]
    data = envelope.data.data
    assert (Topics.CASE_REQUESTS, "case-1-R") == (topic, envelope.subject)
    assert is_token(data["applicant"]["resident_id"]) and is_token(data["deceased_id"])
    opened = open_sealed(data, KEYRING, "case-1-R")
    assert (APPLICANT, "11010519491231002X") == (opened["applicant"], opened["deceased_id"])
    with pytest.raises(NotAuthentic):  # no longer the reversed case's
        open_sealed(data["applicant"], KEYRING, "case-1")


def test_a_clear_personal_value_in_a_reversal_is_sealed_on_its_way_out() -> None:
    orchestrator, outbox, reverse = _reversed({"deceased_id": "11010519491231002X"})

    asyncio.run(orchestrator.process(record(reverse, "case-1", "rev-1")))

    [start] = [e.data for _, e in outbox.sent if isinstance(e.data, StartCase)]
    assert is_token(start.data["deceased_id"])
    assert "11010519491231002X" == open_sealed(start.data, KEYRING, "case-1-R")["deceased_id"]


def test_a_value_sealed_for_another_case_is_dead_lettered_and_nothing_is_sent() -> None:
    foreign = seal_personal({"deceased_id": "11010519491231002X"}, KEYRING, "case-9")
    orchestrator, outbox, reverse = _reversed(foreign)

    assert "dead_letter" == asyncio.run(orchestrator.process(record(reverse, "case-1", "rev-1")))

    [(topic, letter)] = outbox.sent
    assert (Topics.DEAD_LETTERS, True) == (topic, isinstance(letter.data, DeadLetter))
    assert "does not open for case case-1" in letter.data.reason
