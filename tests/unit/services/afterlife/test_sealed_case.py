"""An after-death case on sealed data: the window's form sealed field by field runs to the end
through the department simulators; no command carries a name, ID number, phone or account in
clear; each department sees clear values once its participant has opened them, and what it
answers is kept sealed; a command whose values were sealed for another case fails without
reaching the department."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.departments import Department
from contracts.envelope import Envelope, encode, envelope_for
from contracts.lifecycle import CaseStatus, StepStatus
from contracts.personal import seal_personal
from contracts.saga import DepartmentCommand, DepartmentReply, ReplyOutcome
from contracts.sealing import Cipher, Keyring, is_token
from departments.adapter import Outcome
from departments.participant import Participant
from departments.population import generate
from departments.sealed_adapter import SealedAdapter
from departments.simulators import build_simulators
from departments.simulators.platform import PlatformSimulator
from departments.world import Person, World
from onething.records import Record
from saga.testing import Scenario
from services.afterlife import afterlife_saga
from tests.unit.services.afterlife.support import form, open_commands

CASE = "AD-5ea1ed0000000001"
NOW = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
ACCOUNT_NO = "6222021234567890123"


def _pensioner_with_a_child(world: World) -> tuple[Person, Person]:
    for person in world.find_all(certified_dead=True, hukou_active=True, has_pension=True):
        for kin in world.next_of_kin(person.resident_id):
            if world.relation(kin, person.resident_id) == "child":
                return person, world.people[kin]
    raise LookupError("no pensioner with an adult child in this world")


def _window_case(person: Person, child: Person) -> dict[str, Any]:
    assert person.date_of_death is not None
    return form(
        deceased_id=person.resident_id,
        deceased_name="张三",
        date_of_death=person.date_of_death.isoformat(),
        death_certificate_no=person.resident_id,
        applicant={"resident_id": child.resident_id, "name": "张四", "relation": "child",
                   "phone": "13812345678"},
        heir_account={"bank": "中国工商银行宿迁分行", "account_no": ACCOUNT_NO,
                      "holder_name": "张四"},
    ) | {"channel": "window", "window_id": "w-1"}  # fmt: skip


@pytest.mark.parametrize("cipher", [Cipher.AES_256_GCM, Cipher.SM4_GCM])
def test_a_sealed_case_runs_to_the_end_and_no_command_carries_personal_data_in_clear(
    cipher: Cipher,
) -> None:
    keyring = Keyring({"k1": bytes(range(32)), "g1": bytes(range(16))}, _kid(cipher), cipher)
    world = generate(seed=7, people=600)
    simulators = dict(build_simulators(world))
    sealed = {d: SealedAdapter(a, keyring) for d, a in simulators.items()}
    person, child = _pensioner_with_a_child(world)
    clear = [person.resident_id, child.resident_id, "张三", "张四", "13812345678", ACCOUNT_NO]
    data = seal_personal(_window_case(person, child), keyring, CASE)
    scenario = Scenario(afterlife_saga(), case_id=CASE, data=data).start()
    sent: list[DepartmentCommand] = []

    while pending := open_commands(scenario):
        for step in pending:
            command = scenario.latest(step)
            sent.append(command)
            outcome = asyncio.run(sealed[Department(command.department)].handle(command))
            scenario.reply(step, outcome.outcome, reply=outcome.reply,
                           reason_code=outcome.reason_code, reason=outcome.reason,
                           data=outcome.data, command=command)  # fmt: skip

    assert scenario.status in (CaseStatus.COMPLETED, CaseStatus.PARTIALLY_COMPLETED)
    for step in ("verify_kinship", "register_heir_account", "confirm_death", "cancel_hukou"):
        assert StepStatus.SUCCEEDED is scenario.step_status(step)
    assert not world.people[person.resident_id].hukou_active
    platform = simulators[Department.PLATFORM]
    assert isinstance(platform, PlatformSimulator)
    [account] = platform.heir_accounts.values()
    assert (child.resident_id, ACCOUNT_NO) == (account.heir_id, account.bank_account)
    assert len(sent) > 10
    for command in sent:
        payload = json.dumps(command.payload, ensure_ascii=False)
        assert [] == [value for value in clear if value in payload], command.command
    assert scenario.state is not None  # replies are kept in the state, sealed too
    state = scenario.state.model_dump_json()
    assert [] == [value for value in clear if value in state]
    assert is_token(scenario.state.results["verify_death"]["certificate_no"])


def _kid(cipher: Cipher) -> str:
    return "k1" if cipher is Cipher.AES_256_GCM else "g1"


class Untouched:
    department = Department.PUBLIC_SECURITY

    def __init__(self) -> None:
        self.calls = 0

    async def handle(self, command: DepartmentCommand) -> Outcome:
        self.calls += 1
        return Outcome.done("HukouCancelled")


class Memory:
    async def recall(self, command_id: str) -> bytes | None:
        return None

    async def remember(self, command_id: str, reply: bytes) -> bytes:
        return reply


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Envelope[Any]]] = []

    async def send(self, batch: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.sent += batch


def test_a_command_whose_values_were_sealed_for_another_case_fails_without_reaching_the_department() -> (
    None
):
    keyring = Keyring({"k1": bytes(range(32))}, "k1", Cipher.AES_256_GCM)
    sealed = seal_personal({"resident_id": "11010519491231002X"}, keyring, CASE)
    command = DepartmentCommand(
        command_id="AD-other:cancel_hukou:1", case_id="AD-other", saga="afterlife",
        step="cancel_hukou", department="public_security", command="CancelHukou", attempt=1,
        payload=sealed,
    )  # fmt: skip
    department, outbox = Untouched(), Outbox()
    participant = Participant(SealedAdapter(department, keyring), Memory(), outbox,  # type: ignore[arg-type]
                              clock=lambda: NOW)  # fmt: skip
    envelope = envelope_for(command, subject="AD-other", source="/test", time=NOW)

    outcome = asyncio.run(participant.process(Record("t", 0, 0, None, encode(envelope))))

    [(_, sent)] = outbox.sent
    reply = sent.data
    assert isinstance(reply, DepartmentReply)
    assert ("failed", ReplyOutcome.FAILED, False) == (outcome, reply.outcome, reply.retryable)
    assert ("SealedFieldUnreadable", 0) == (reply.reason_code, department.calls)
    assert reply.reason is not None and "does not open for case AD-other" in reply.reason
    assert "11010519491231002X" not in encode(sent).decode()
