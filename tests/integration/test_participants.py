"""Department participants on the real broker and Redis: the reference simulators served by a
worker process answer commands with replies, refuse by their rules, apply each effect once per
idempotency key, and publish the facts they emit (a death certificate's ``DeathCertified``)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from confluent_kafka import Consumer

from contracts.departments import Department
from contracts.envelope import Envelope, decode, envelope_for
from contracts.saga import DepartmentCommand, DepartmentReply
from contracts.topics import Topics, command_topic
from departments.population import generate
from onething.kafka import make_producer, publish
from onething.settings import Settings
from tests.conftest import own_stack
from tests.support.processes import WorkerProcess

pytestmark = pytest.mark.integration

SEED, PEOPLE = 11, 400
WORLD = generate(SEED, PEOPLE)


@pytest.fixture(scope="module")
def mine(stack: Settings) -> Settings:
    return own_stack(stack, "participants")


@pytest.fixture(scope="module")
def departments(mine: Settings) -> Iterator[WorkerProcess]:
    process = WorkerProcess(
        mine,
        ["--name", "departments", "--department", "departments.local:simulators"],
        extra_env={
            "ONETHING_POPULATION_SEED": str(SEED),
            "ONETHING_POPULATION_SIZE": str(PEOPLE),
            "ONETHING_DEPARTMENTS": "public_security,health",
        },
    ).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def listener(mine: Settings) -> Iterator[Consumer]:
    consumer = Consumer(
        {
            "bootstrap.servers": mine.kafka_bootstrap,
            "group.id": f"{mine.topic_prefix}-participant-test",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([mine.topic(Topics.DEPT_REPLIES), mine.topic(Topics.DEPT_EVENTS)])
    yield consumer
    consumer.close()


def send(settings: Settings, department: Department, command: DepartmentCommand) -> None:
    producer = make_producer(settings)
    envelope = envelope_for(
        command, subject=command.case_id, source="/tests", id=command.command_id
    )
    publish(producer, settings.topic(command_topic(department)), envelope)
    assert producer.flush(30) == 0


def collect(
    consumer: Consumer, want: int, worker: WorkerProcess, timeout: float = 90
) -> list[Envelope]:  # type: ignore[type-arg]
    got: list[Envelope] = []  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while len(got) < want:
        assert worker.alive(), worker.tail()
        assert time.monotonic() < deadline, f"only {len(got)} of {want} arrived\n{worker.tail()}"
        message = consumer.poll(0.5)
        if message is not None and not message.error():
            got.append(decode(message.value() or b""))
    return got


def replies_for(
    consumer: Consumer, case_id: str, want: int, worker: WorkerProcess, timeout: float = 90
) -> list[DepartmentReply]:
    got: list[DepartmentReply] = []
    deadline = time.monotonic() + timeout
    while len(got) < want:
        assert worker.alive(), worker.tail()
        assert time.monotonic() < deadline, f"only {len(got)} of {want} replies\n{worker.tail()}"
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        envelope = decode(message.value() or b"")
        if envelope.subject == case_id and isinstance(envelope.data, DepartmentReply):
            got.append(envelope.data)
    return got


def command(
    department: Department, case_id: str, step: str, name: str, attempt: int, **payload: object
) -> DepartmentCommand:
    return DepartmentCommand(
        command_id=f"{case_id}:{step}:{attempt}",
        case_id=case_id,
        saga="afterlife",
        step=step,
        department=department.value,
        command=name,
        attempt=attempt,
        payload=payload,
    )


def test_hukou_cancellation_is_applied_once_and_refused_on_a_second_key(
    mine: Settings, departments: WorkerProcess, listener: Consumer, new_case_id: object
) -> None:
    dead = WORLD.find(certified_dead=True, hukou_active=True)
    assert dead.date_of_death is not None
    case_id = f"p-{int(time.time() * 1000)}"
    cancel = command(
        Department.PUBLIC_SECURITY,
        case_id,
        "cancel_hukou",
        "CancelHukou",
        1,
        resident_id=dead.resident_id,
        date_of_death=dead.date_of_death.isoformat(),
        death_certificate_no=dead.resident_id,
    )
    # A participant works on several commands at once, so the order between commands is not
    # kept: the second key is sent only once the first key's replies are in.
    send(mine, Department.PUBLIC_SECURITY, cancel)
    send(mine, Department.PUBLIC_SECURITY, cancel)  # redelivered: same key
    replies = replies_for(listener, case_id, 2, departments)
    again = cancel.model_copy(update={"command_id": f"{case_id}:cancel_hukou:2", "attempt": 2})
    send(mine, Department.PUBLIC_SECURITY, again)  # a new key for the same person
    unknown = command(
        Department.PUBLIC_SECURITY,
        case_id,
        "cancel_other",
        "CancelHukou",
        1,
        resident_id="11010519491231002X",
        date_of_death="2025-01-02",
        death_certificate_no="11010519491231002X",
    )
    send(mine, Department.PUBLIC_SECURITY, unknown)
    replies += replies_for(listener, case_id, 2, departments)

    by_key: dict[str, list[DepartmentReply]] = {}
    for reply in replies:
        by_key.setdefault(reply.command_id, []).append(reply)

    first = by_key[cancel.command_id]
    assert [r.reply for r in first] == ["HukouCancelled", "HukouCancelled"], first
    assert first[0] == first[1]  # the repeat got the stored reply, not a second effect
    assert by_key[again.command_id][0].reason_code == "already_cancelled"
    assert by_key[unknown.command_id][0].reason_code == "person_not_found"


def test_an_invalid_payload_is_a_permanent_failure_not_a_crash(
    mine: Settings, departments: WorkerProcess, listener: Consumer
) -> None:
    case_id = f"bad-{int(time.time() * 1000)}"
    send(
        mine,
        Department.PUBLIC_SECURITY,
        command(
            Department.PUBLIC_SECURITY,
            case_id,
            "cancel_hukou",
            "CancelHukou",
            1,
            resident_id="not-an-id",
        ),
    )
    [reply] = [e.data for e in collect(listener, 1, departments) if e.subject == case_id]
    assert isinstance(reply, DepartmentReply)
    assert reply.outcome == "failed" and reply.retryable is False
    assert "resident" in (reply.reason or "").lower()


def test_issuing_a_death_certificate_publishes_death_certified(
    mine: Settings, departments: WorkerProcess, listener: Consumer
) -> None:
    person = WORLD.find(alive=True, hukou_active=True)
    case_id = f"hc-{int(time.time() * 1000)}"
    send(
        mine,
        Department.HEALTH,
        command(
            Department.HEALTH,
            case_id,
            "certify",
            "IssueDeathCertificate",
            1,
            resident_id=person.resident_id,
            date_of_death=datetime.now(UTC).date().isoformat(),
            issuer_credit_code="12320000466000000W",
        ),
    )
    arrived = collect(listener, 2, departments)
    replies = [e.data for e in arrived if isinstance(e.data, DepartmentReply)]
    assert [r.reply for r in replies] == ["DeathCertificateIssued"], replies
    types = {e.type for e in arrived}
    assert "onething.DeathCertified" in types, types
