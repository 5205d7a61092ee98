"""After-death cases end to end on the real broker and Redis, through the window API, with the
department simulators: departments end in the right state with each effect applied once, and a
retried submission opens one case. (The SIGKILL proof is the runtime's own integration test; the
same proof through this stack is flaky while the Faust rebalance issue in the README is open.)"""

from __future__ import annotations

import asyncio
import socket
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from confluent_kafka import Consumer

from contracts.departments.civil_affairs import HouseholdChanged
from contracts.envelope import decode
from contracts.lifecycle import TERMINAL_STATUSES
from contracts.saga import DepartmentReply, StartCase
from contracts.topics import Topics
from departments.population import generate
from departments.world import Person, add_months, month_of
from deploy.demo.afterlife import applicant_for, application, wait_until_ready, windows
from onething.settings import Settings
from ops.read_model import ReadModel
from services.afterlife.case_ids import afterlife_case_id
from tests.conftest import own_stack
from tests.support.processes import WorkerProcess

pytestmark = pytest.mark.integration

SEED, PEOPLE = 7, 20000
WORLD = generate(SEED, PEOPLE)
TERMINAL = {status.value for status in TERMINAL_STATUSES}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def system(stack: Settings) -> Iterator[tuple[Settings, dict[str, WorkerProcess]]]:
    settings = own_stack(stack, "e2e").model_copy(update={"window_port": free_port()})
    env = {
        "ONETHING_POPULATION_SEED": str(SEED),
        "ONETHING_POPULATION_SIZE": str(PEOPLE),
        "ONETHING_WINDOW_PORT": str(settings.window_port),
    }
    procs = {
        "orchestrator": WorkerProcess(settings, [
            "--name", "orchestrator", "--saga", "services.afterlife:afterlife_saga",
            "--saga", "services.afterlife:afterlife_reversal_saga", "--projector",
            "--reactor", "services.afterlife.triggers:react"], extra_env=env),
        "departments": WorkerProcess(settings, [
            "--name", "departments", "--department", "departments.local:simulators"],
            extra_env=env),
        "window": WorkerProcess(settings, [], extra_env=env, module="window"),
    }  # fmt: skip
    try:
        for process in procs.values():
            process.start()
        wait_until_ready(settings, timeout=120)
        yield settings, procs
    finally:  # also when the workers never became ready: leave no process behind
        for process in procs.values():
            process.stop()


def people(count: int, taken: set[str]) -> list[tuple[Person, Person]]:
    keys = windows(Settings())
    out = []
    for person in WORLD.find_all(certified_dead=True, hukou_active=True, has_pension=True):
        applicant = applicant_for(WORLD, person)
        if applicant and person.division in keys and person.resident_id not in taken:
            taken.add(person.resident_id)
            out.append((person, applicant))
        if len(out) == count:
            break
    return out


TAKEN: set[str] = set()


async def submit(
    settings: Settings, pairs: list[tuple[Person, Person]], key_suffix: str
) -> list[str]:
    keys = windows(settings)
    ids = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.window_port}") as client:
        for n, (deceased, applicant) in enumerate(pairs):
            form = application(deceased, applicant, n)
            headers = {
                "X-Window-Key": keys[deceased.division],
                "Idempotency-Key": f"{key_suffix}-{deceased.resident_id}",
            }
            reply = await client.post("/v1/afterlife/applications", json=form, headers=headers)
            assert reply.status_code == 202, reply.text
            ids.append(reply.json()["case_id"])
    return ids


async def wait_terminal(
    model: ReadModel, ids: list[str], procs: dict[str, WorkerProcess], timeout: float = 180
) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        cases = {i: c for i in ids if (c := await model.case(i)) is not None}
        if len(cases) == len(ids) and all(c["status"] in TERMINAL for c in cases.values()):
            return cases
        for name, process in procs.items():
            assert process.alive(), f"{name} died:\n{process.tail()}"
        if time.monotonic() > deadline:
            stuck = {i: cases[i]["status"] if i in cases else "unknown" for i in ids}
            raise AssertionError(f"not all terminal: {stuck}\n{procs['orchestrator'].tail()}")
        await asyncio.sleep(0.5)


def topic_messages(settings: Settings, topic: str) -> list[Any]:
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"{settings.topic_prefix}-e2e-{time.monotonic_ns()}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([settings.topic(topic)])
    out, idle = [], 0
    try:
        while idle < 6:
            message = consumer.poll(0.5)
            if message is None or message.error():
                idle += 1
                continue
            idle = 0
            out.append(decode(message.value() or b""))
    finally:
        consumer.close()
    return out


def successes(settings: Settings, ids: list[str]) -> dict[tuple[str, str], set[str]]:
    """(case, step) → the command ids a department answered with success (forward only)."""
    done: dict[tuple[str, str], set[str]] = defaultdict(set)
    for envelope in topic_messages(settings, Topics.DEPT_REPLIES):
        reply = envelope.data
        if (
            isinstance(reply, DepartmentReply)
            and reply.case_id in ids
            and reply.outcome == "succeeded"
            and not reply.compensation
        ):
            done[(reply.case_id, reply.step)].add(reply.command_id)
    return done


def test_cases_reach_every_department_once_with_the_right_effects(
    system: tuple[Settings, dict[str, WorkerProcess]],
) -> None:
    settings, procs = system
    pairs = people(6, TAKEN)
    ids = asyncio.run(submit(settings, pairs, "a"))
    again = asyncio.run(submit(settings, pairs[:1], "a"))  # a retried submission
    assert again == ids[:1]
    cases = asyncio.run(_terminal(settings, ids, procs))
    assert {c["status"] for c in cases.values()} <= {"completed", "partially_completed"}
    done = successes(settings, ids)
    for case_id in ids:
        assert len(done[(case_id, "cancel_hukou")]) == 1, case_id
        assert len(done[(case_id, "survivor_benefits")]) <= 1, case_id
    replies = [
        e.data
        for e in topic_messages(settings, Topics.DEPT_REPLIES)
        if isinstance(e.data, DepartmentReply) and e.data.case_id in ids
    ]
    for deceased, _ in pairs:
        stop = next(
            r
            for r in replies
            if r.case_id == afterlife_case_id(deceased.resident_id)
            and r.step == "stop_pension"
            and r.outcome == "succeeded"
        )
        assert deceased.date_of_death is not None
        first_unpaid = add_months(month_of(deceased.date_of_death), 1)
        assert stop.data["stopped_from"] == first_unpaid.strftime("%Y-%m")
    starts = [
        e
        for e in topic_messages(settings, Topics.CASE_REQUESTS)
        if isinstance(e.data, StartCase) and e.subject == ids[0]
    ]
    assert len(starts) == 1  # the retried submission published nothing new
    households = [
        e.data
        for e in topic_messages(settings, Topics.HOUSEHOLD_EVENTS)
        if isinstance(e.data, HouseholdChanged)
    ]
    by_case_household = {WORLD.people[d.resident_id].household_id for d, _ in pairs}
    assert all(h.household_id in by_case_household for h in households)


async def _terminal(
    settings: Settings, ids: list[str], procs: dict[str, WorkerProcess]
) -> dict[str, dict[str, Any]]:
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        return await wait_terminal(ReadModel(client, settings.topic_prefix), ids, procs)
    finally:
        await client.aclose()
