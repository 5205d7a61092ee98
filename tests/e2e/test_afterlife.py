"""After-death cases end to end on the real broker and Redis, through the window API, with the
department simulators: departments end in the right state with each effect applied once (hukou
cancelled, pension stopped from the right month with the overpayment computed, one funeral grant,
welfare stopped, the dibao household's change published); a retried submission opens one case; a
hospital-certified death stops benefits without the family and pays out once they apply; a
retracted death reverses its case; no name, ID number, phone or account is in clear on the case
or command topics; and an orchestrator SIGKILLed mid-run loses nothing."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from confluent_kafka import Consumer

from contracts.departments import Department
from contracts.departments.civil_affairs import HouseholdChanged
from contracts.envelope import decode
from contracts.lifecycle import TERMINAL_STATUSES
from contracts.saga import DepartmentReply, StartCase
from contracts.topics import Topics, command_topic
from departments.population import generate
from departments.world import Person, add_months, month_of, months_inclusive
from deploy.demo.system import wait_until_ready, windows
from onething.readmodel.queries import ReadModel
from onething.settings import Settings
from services.afterlife.case_ids import afterlife_case_id
from services.afterlife.demo import applicant_for, application, hospital
from tests.conftest import own_stack, simulator_journals
from tests.support.processes import WorkerProcess, free_port

pytestmark = pytest.mark.integration

SEED, PEOPLE = 7, 20000
WORLD = generate(SEED, PEOPLE)
TERMINAL = {status.value for status in TERMINAL_STATUSES}
# A query may be asked again after a restart; anything that changes a record is done once.
QUERIES = {"verify_death", "verify_kinship", "verify_kinship_late"}


@pytest.fixture(scope="module")
def system(stack: Settings) -> Iterator[tuple[Settings, dict[str, WorkerProcess]]]:
    ports = {"window_port": free_port(), "ops_port": free_port()}
    settings = own_stack(stack, "e2e").model_copy(update=ports)
    env = {
        "ONETHING_POPULATION_SEED": str(SEED),
        "ONETHING_POPULATION_SIZE": str(PEOPLE),
        "ONETHING_WINDOW_PORT": str(settings.window_port),
        "ONETHING_OPS_PORT": str(settings.ops_port),
        "ONETHING_SIMULATOR_JOURNAL_DIR": str(simulator_journals(settings)),
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
        "ops": WorkerProcess(settings, [], extra_env=env, module="ops"),
    }  # fmt: skip
    try:
        for process in procs.values():
            process.start()
        wait_until_ready(settings, timeout=120)
        yield settings, procs
    finally:  # also when the workers never became ready: leave no process behind
        for process in procs.values():
            process.stop()


def people(count: int, taken: set[str], **criteria: object) -> list[tuple[Person, Person]]:
    """(deceased or about to be, applicant) pairs nobody in this module has used yet."""
    keys = windows(Settings())
    out = []
    wanted = {"certified_dead": True, "hukou_active": True, "has_pension": True} | criteria
    for person in WORLD.find_all(**wanted):
        applicant = applicant_for(WORLD, person)
        if applicant and person.division in keys and person.resident_id not in taken:
            taken.add(person.resident_id)
            out.append((person, applicant))
        if len(out) == count:
            break
    return out


TAKEN: set[str] = set()
SUBMITTED: list[dict[str, Any]] = []  # every form this module sent, to look for in the topics


async def submit(
    settings: Settings,
    pairs: list[tuple[Person, Person]],
    key_suffix: str,
    date_of_death: date | None = None,
) -> list[str]:
    keys = windows(settings)
    ids = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.window_port}") as client:
        for n, (deceased, applicant) in enumerate(pairs):
            form = application(deceased, applicant, n)
            SUBMITTED.append(form)
            if date_of_death is not None:
                form["date_of_death"] = date_of_death.isoformat()
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


def replies_of(settings: Settings, ids: list[str]) -> list[DepartmentReply]:
    return [
        e.data
        for e in topic_messages(settings, Topics.DEPT_REPLIES)
        if isinstance(e.data, DepartmentReply) and e.data.case_id in ids
    ]


def succeeded(replies: list[DepartmentReply], case_id: str, step: str) -> DepartmentReply:
    found = [
        r for r in replies if r.case_id == case_id and r.step == step and r.outcome == "succeeded"
    ]
    assert found, f"{case_id}: no success for {step}"
    return found[0]


def test_cases_reach_every_department_once_with_the_right_effects(
    system: tuple[Settings, dict[str, WorkerProcess]],
) -> None:
    settings, procs = system
    pairs = people(6, TAKEN, pension_overpaid=True)
    ids = asyncio.run(submit(settings, pairs, "a"))
    again = asyncio.run(submit(settings, pairs[:1], "a"))  # a retried submission
    assert again == ids[:1]
    cases = asyncio.run(_terminal(settings, ids, procs))
    assert {c["status"] for c in cases.values()} <= {"completed", "partially_completed"}
    done = successes(settings, ids)
    replies = replies_of(settings, ids)
    for deceased, _ in pairs:
        case_id = afterlife_case_id(deceased.resident_id)
        assert len(done[(case_id, "cancel_hukou")]) == 1, case_id
        assert len(done[(case_id, "stop_welfare")]) == 1, case_id
        # Pension stopped from the month after death; every month paid since is overpaid.
        assert deceased.date_of_death is not None
        pension = WORLD.pensions[deceased.resident_id]
        first_unpaid = add_months(month_of(deceased.date_of_death), 1)
        overpaid = months_inclusive(first_unpaid, pension.last_paid_month)
        stop = succeeded(replies, case_id, "stop_pension")
        assert stop.data["stopped_from"] == first_unpaid.strftime("%Y-%m")
        assert (stop.data["overpaid_months"], stop.data["overpayment_fen"]) == (
            overpaid,
            overpaid * pension.monthly_fen,
        )
        assert overpaid > 0
        # One funeral grant, paid net of the whole overpayment D8 answered (a few months'
        # pension, always less than the grants).
        assert len(done[(case_id, "survivor_benefits")]) == 1, case_id
        grant = succeeded(replies, case_id, "survivor_benefits")
        assert grant.data["funeral_grant_fen"] > 0
        assert grant.data["overpayment_offset_fen"] == stop.data["overpayment_fen"]
        gross = sum(
            grant.data[f]
            for f in ("funeral_grant_fen", "survivor_pension_fen", "account_balance_fen")
        )
        assert grant.data["net_payable_fen"] == gross - stop.data["overpayment_fen"]
    starts = [
        e
        for e in topic_messages(settings, Topics.CASE_REQUESTS)
        if isinstance(e.data, StartCase) and e.subject == ids[0]
    ]
    assert len(starts) == 1  # the retried submission published nothing new


def test_a_death_in_a_dibao_household_publishes_that_households_change(
    system: tuple[Settings, dict[str, WorkerProcess]],
) -> None:
    # Hospital-certified, and nobody applies: welfare stops (D12) without the family, and civil
    # affairs publishes the change of the deceased's dibao household for the assistance one-thing.
    settings, procs = system
    keys = windows(settings)
    person = next(
        p
        for p in WORLD.find_all(alive=True, hukou_active=True)
        if p.household_id in WORLD.dibao and p.division in keys and p.resident_id not in TAKEN
    )
    TAKEN.add(person.resident_id)
    case_id = certify_and_skip_grace(settings, person, procs)
    asyncio.run(_steps_succeeded(settings, case_id, ("stop_welfare",), procs))

    stop = succeeded(replies_of(settings, [case_id]), case_id, "stop_welfare")
    assert stop.data["household_on_dibao"] is True
    changes = [
        e.data
        for e in topic_messages(settings, Topics.HOUSEHOLD_EVENTS)
        if isinstance(e.data, HouseholdChanged) and e.data.household_id == person.household_id
    ]
    assert len(changes) == 1, changes
    [change] = changes
    household = WORLD.households[person.household_id]
    assert (change.change, change.division_code, change.effective_month) == (
        "member_died",
        household.division,
        add_months(month_of(date.today()), 1).strftime("%Y-%m"),
    )


def certify_and_skip_grace(
    settings: Settings, person: Person, procs: dict[str, WorkerProcess]
) -> str:
    """A hospital certifies ``person``'s death today; the case opens by itself and waits for the
    family; an operator ends the grace period (in production its 7-day timer does)."""
    case_id = afterlife_case_id(person.resident_id)
    certify = {
        "resident_id": person.resident_id,
        "date_of_death": date.today().isoformat(),
        "issuer_credit_code": "12320000466000000W",
    }
    hospital(settings, [("IssueDeathCertificate", certify)], f"e2e-{case_id}")
    opened = asyncio.run(
        _until(
            settings,
            case_id,
            procs,
            lambda c: c["steps"].get("family_window", {}).get("status") == "dispatched",
        )
    )
    assert opened["steps"]["family_application"]["status"] == "waiting_signal"
    ops = httpx.post(
        f"http://127.0.0.1:{settings.ops_port}/v1/ops/cases/{case_id}/actions",
        json={
            "action": "skip_step",
            "step": "family_window",
            "actor": "ops-e2e",
            "reason": "近亲属已电话联系，暂不申请",
        },
        headers={"X-Ops-Key": settings.ops_api_key.get_secret_value()},
    )
    assert ops.status_code == 202, ops.text
    return case_id


def test_a_certified_death_stops_benefits_without_the_family_and_pays_out_once_they_apply(
    system: tuple[Settings, dict[str, WorkerProcess]],
) -> None:
    settings, procs = system
    [(person, child)] = people(1, TAKEN, certified_dead=False, alive=True)
    case_id = certify_and_skip_grace(settings, person, procs)
    today = date.today()
    stopping: tuple[str, ...] = ("cancel_hukou", "stop_pension", "stop_welfare")
    insured = WORLD.medical.get(person.resident_id)
    if insured is not None and insured.enrolled:
        stopping += ("end_medical_insurance",)
    waiting = asyncio.run(_steps_succeeded(settings, case_id, stopping, procs))
    assert waiting["status"] == "waiting"
    assert waiting["steps"].get("survivor_benefits", {}).get("status", "pending") == "pending"

    # The family applies at the window: the form joins the same case and the payouts run.
    [again] = asyncio.run(submit(settings, [(person, child)], "late", date_of_death=today))
    assert again == case_id
    final = asyncio.run(_terminal(settings, [case_id], procs))[case_id]
    assert final["status"] == "completed", final
    done = successes(settings, [case_id])
    paid = ("survivor_benefits", "completion_notice")
    if "end_medical_insurance" in stopping:
        paid += ("pay_out_medical_account",)
    for step in (*stopping, *paid):
        assert len(done[(case_id, step)]) == 1, step


def test_a_retracted_death_reverses_its_case(
    system: tuple[Settings, dict[str, WorkerProcess]],
) -> None:
    settings, procs = system
    pairs = people(1, TAKEN)
    [case_id] = asyncio.run(submit(settings, pairs, "retract"))
    assert asyncio.run(_terminal(settings, [case_id], procs))[case_id]["status"] == "completed"

    retract = {"certificate_no": pairs[0][0].resident_id, "reason": "死亡信息误报，核实后撤销"}
    hospital(settings, [("RetractDeathCertificate", retract)], f"e2e-{case_id}-r")
    reversal = f"{case_id}-R"
    cases = asyncio.run(_terminal(settings, [case_id, reversal], procs))
    assert cases[case_id]["status"] == "reversed"
    assert cases[reversal]["status"] == "completed", _brief(cases[reversal])
    done = successes(settings, [reversal])
    # The restored hukou gets a new ID card and the person is told, each once.
    for step in ("restore_hukou", "resume_pension", "reissue_id_card", "correction_notice"):
        assert len(done[(reversal, step)]) == 1, step


def raw_records(settings: Settings, topics: list[str]) -> dict[str, list[bytes]]:
    """Every record's key and value bytes as the broker holds them, by relative topic name."""
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"{settings.topic_prefix}-e2e-raw-{time.monotonic_ns()}",
            "auto.offset.reset": "earliest",
        }
    )
    names = {settings.topic(t): t for t in topics}
    consumer.subscribe(list(names))
    out: dict[str, list[bytes]] = {t: [] for t in topics}
    idle = 0
    try:
        while idle < 6:
            message = consumer.poll(0.5)
            if message is None or message.error():
                idle += 1
                continue
            idle = 0
            out[names[message.topic() or ""]].append(
                (message.key() or b"") + b"\n" + (message.value() or b"")
            )
    finally:
        consumer.close()
    return out


def test_no_name_id_number_phone_or_account_is_in_clear_on_the_case_and_command_topics(
    system: tuple[Settings, dict[str, WorkerProcess]],
) -> None:
    settings, _ = system
    assert SUBMITTED and TAKEN, "runs after the cases above"
    clear: set[str] = set(TAKEN)  # every deceased of this module, proactive and reversed too
    for form in SUBMITTED:
        applicant, account = form["applicant"], form["heir_account"]
        clear |= {applicant["resident_id"], applicant["phone"], account["account_no"]}
        # A name as a whole JSON string: a two-character name may also be part of a sentence.
        clear |= {json.dumps(n, ensure_ascii=False) for n in (form["deceased_name"],
                                                              applicant["name"])}  # fmt: skip
    commands = [command_topic(d) for d in Department]
    kept = [Topics.CASE_REQUESTS, Topics.CASE_STATE, Topics.CASE_EVENTS, Topics.DEPT_REPLIES]
    records = raw_records(settings, [*kept, *commands])

    for topic in (Topics.CASE_REQUESTS, Topics.CASE_STATE, command_topic(Department.PLATFORM)):
        assert records[topic], f"nothing on {topic}: the scan would prove nothing"
    found = {
        topic: sorted(v for v in clear if any(v.encode() in r for r in raws))
        for topic, raws in records.items()
    }
    assert {t: [] for t in records} == found


def test_an_orchestrator_killed_mid_run_finishes_every_case_with_no_effect_twice(
    system: tuple[Settings, dict[str, WorkerProcess]],
) -> None:
    settings, procs = system
    pairs = people(20, TAKEN)
    ids = asyncio.run(submit(settings, pairs, "k"))
    asyncio.run(_until_some_known(settings, ids, 5))  # mid-flight: cases are being worked on
    procs["orchestrator"].kill()
    procs["orchestrator"].start()
    cases = asyncio.run(_terminal(settings, ids, procs))
    assert {c["status"] for c in cases.values()} <= {"completed", "partially_completed"}
    for (case_id, step), commands in successes(settings, ids).items():
        if step not in QUERIES:
            assert len(commands) == 1, (case_id, step, commands)


async def _until_some_known(settings: Settings, ids: list[str], count: int) -> None:
    client = aioredis.Redis.from_url(settings.redis_url)
    model = ReadModel(client, settings.topic_prefix)
    try:
        deadline = time.monotonic() + 60
        while sum([await model.case(i) is not None for i in ids]) < count:
            assert time.monotonic() < deadline, "the orchestrator did not start the cases"
            await asyncio.sleep(0.1)
    finally:
        await client.aclose()


async def _steps_succeeded(
    settings: Settings, case_id: str, steps: tuple[str, ...], procs: dict[str, WorkerProcess]
) -> dict[str, Any]:
    return await _until(
        settings,
        case_id,
        procs,
        lambda c: all(c["steps"].get(s, {}).get("status") == "succeeded" for s in steps),
    )


async def _until(
    settings: Settings,
    case_id: str,
    procs: dict[str, WorkerProcess],
    reached: Callable[[dict[str, Any]], bool],
    timeout: float = 120,
) -> dict[str, Any]:
    client = aioredis.Redis.from_url(settings.redis_url)
    model = ReadModel(client, settings.topic_prefix)
    deadline = time.monotonic() + timeout
    try:
        while True:
            case = await model.case(case_id)
            if case is not None and reached(case):
                return case
            for name, process in procs.items():
                assert process.alive(), f"{name} died:\n{process.tail()}"
            assert time.monotonic() < deadline, f"{case_id} is stuck: {_brief(case)}"
            await asyncio.sleep(0.5)
    finally:
        await client.aclose()


def _brief(case: dict[str, Any] | None) -> str:
    if case is None:
        return "not in the read model"
    steps = {
        name: (row.get("status"), row.get("reason_code"), row.get("reason"))
        for name, row in case["steps"].items()
    }
    return f"{case['status']} {steps}"


async def _terminal(
    settings: Settings, ids: list[str], procs: dict[str, WorkerProcess]
) -> dict[str, dict[str, Any]]:
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        return await wait_terminal(ReadModel(client, settings.topic_prefix), ids, procs)
    finally:
        await client.aclose()
