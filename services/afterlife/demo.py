"""The after-death one-thing's demo (``make demo``): its cases through the whole running system.

For people of the population the department simulators share, it submits applications through
the window API — mostly deaths the health records certify, some filed at another city's window
(whose civil affairs refuses the funeral-fee waiver for a hukou not its own), some whose death no
record confirms (rejected before the pivot) — then, standing in for a hospital's system, certifies
a few deaths (cases that open by themselves and wait for the family) and retracts one (its case is
reversed), and follows every case until it settles. Its check: every case it opened is seen.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from contracts.departments import Department
from contracts.envelope import envelope_for
from contracts.personal import seal_personal
from contracts.saga import DepartmentCommand
from contracts.topics import command_topic
from departments.population import generate
from departments.world import Person, World, age_on
from onething.kafka import make_producer, publish
from onething.keys import keyring_from
from onething.settings import Settings
from services.afterlife.case_ids import afterlife_case_id
from services.demo import CaseView, DemoContext, DemoReport, terminal

__all__ = ["ELSEWHERE", "applicant_for", "application", "hospital", "pick", "run_demo"]

Form = tuple[dict[str, Any], str, str]  # (application form, window key, kind)

# Filed at a window in another city (跨域通办): the case runs there, and that city's civil
# affairs refuses the funeral-fee waiver, which is for its own hukou — a branch refused after the
# pivot, so the case ends partially completed with the reason on the step.
ELSEWHERE = "another city"
# How long to follow the cases after the hospital's certificates and the retraction: by then the
# window's cases have settled, and these only need the few steps a certificate starts.
_AFTERWARDS_SECONDS = 30


def applicant_for(world: World, person: Person) -> Person | None:
    """A living adult child of ``person``, who may apply for them."""
    adults = [
        world.people[c]
        for c in world.children(person.resident_id)
        if world.people[c].alive and age_on(world.people[c].birth_date, world.reference_date) >= 18
    ]
    return adults[0] if adults else None


def application(deceased: Person, applicant: Person, n: int) -> dict[str, Any]:
    """The window form for ``deceased``, filed by ``applicant``; ``n`` varies phone and account."""
    died = deceased.date_of_death.isoformat() if deceased.date_of_death else "2025-06-01"
    return {
        "deceased_id": deceased.resident_id,
        "deceased_name": deceased.name,
        "date_of_death": died,
        "death_certificate_no": deceased.resident_id,
        "applicant": {
            "resident_id": applicant.resident_id,
            "name": applicant.name,
            "relation": "child",
            "phone": f"138{n:08d}",
        },
        "heir_account": {
            "bank": "中国农业银行",
            "account_no": f"62284800{n:010d}",
            "holder_name": applicant.name,
        },
        "opt_ins": {"housing_fund_withdrawal": n % 3 == 0},
    }


def window_for(keys: dict[str, str], person: Person, elsewhere: bool) -> str | None:
    """The key of the window ``person``'s family goes to: their own division's, or, ``elsewhere``,
    one in another city (only for people of a division that has a window at all)."""
    if not elsewhere:
        return keys.get(person.division)
    if person.division not in keys:
        return None
    return next((k for d, k in sorted(keys.items()) if d[:4] != person.division[:4]), None)


def pick(world: World, keys: dict[str, str], count: int, taken: set[str]) -> list[Form]:
    """(form, window key, kind) for ``count`` cases: certified deaths, some filed at a window of
    another city, and a few deaths no record confirms; people who already have a case (an
    earlier run) are left out, and the ones chosen are added to ``taken``."""
    chosen: list[Form] = []
    certified = list(world.find_all(certified_dead=True, hukou_active=True))
    uncertified = list(world.find_all(uncertified_dead=True, hukou_active=True))
    for kind, source, upto in (
        (ELSEWHERE, certified, max(2, count // 50)),
        ("certified", certified, int(count * 0.9)),
        ("no death record", uncertified, count),
    ):
        for person in source:
            if len(chosen) >= upto:
                break
            if afterlife_case_id(person.resident_id) in taken:
                continue
            applicant = applicant_for(world, person)
            key = window_for(keys, person, elsewhere=kind == ELSEWHERE)
            if applicant is not None and key is not None:
                taken.add(afterlife_case_id(person.resident_id))
                chosen.append((application(person, applicant, len(chosen)), key, kind))
    return chosen


async def submit(base: str, forms: list[Form]) -> tuple[dict[str, str], dict[str, str]]:
    """Each form to its window; (case id → kind, case id → window key) of those accepted."""
    kinds: dict[str, str] = {}
    keys: dict[str, str] = {}
    run = uuid.uuid4().hex[:8]  # a key per run and person: a retry within the run is recognised
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for form, key, kind in forms:
            reply = await client.post(
                "/v1/afterlife/applications",
                json=form,
                headers={"X-Window-Key": key, "Idempotency-Key": f"{run}-{form['deceased_id']}"},
            )
            if reply.status_code == 202:
                case_id = reply.json()["case_id"]
                kinds[case_id], keys[case_id] = kind, key
            else:
                print(f"  not accepted ({reply.status_code}): {reply.text[:120]}")
    return kinds, keys


def hospital(settings: Settings, commands: list[tuple[str, dict[str, Any]]], run: str) -> None:
    """Send health commands as a hospital's system would (certify or retract a death)."""
    producer = make_producer(settings)
    keyring = keyring_from(settings)
    for n, (name, payload) in enumerate(commands):
        command = DepartmentCommand(
            command_id=f"hospital-{run}-{n}",
            case_id=f"hospital-{run}-{n}",
            saga="hospital",
            step="certify",
            department=Department.HEALTH.value,
            command=name,
            attempt=1,
            # Sealed as the orchestrator's commands are: the health participant opens them.
            payload=seal_personal(payload, keyring, f"hospital-{run}-{n}"),
        )
        envelope = envelope_for(
            command, subject=command.case_id, source="/demo/hospital", id=command.command_id
        )
        publish(producer, settings.topic(command_topic(Department.HEALTH)), envelope)
    producer.flush(30)


def proactive(world: World, keys: dict[str, str], count: int, taken: set[str]) -> list[Person]:
    """Living people a hospital now certifies as dead: their cases open without an application."""
    people: list[Person] = []
    for person in world.find_all(alive=True, hukou_active=True):
        case_id = afterlife_case_id(person.resident_id)
        if person.division in keys and case_id not in taken and len(people) < count:
            people.append(person)
    return people


def _awaits_family(case: CaseView) -> bool:
    return bool(case["steps"].get("family_application", {}).get("status") == "waiting_signal")


def _certify(settings: Settings, people: list[Person], run: str) -> None:
    today = datetime.now().date().isoformat()
    certificate = {"date_of_death": today, "issuer_credit_code": "12320000466000000W"}
    hospital(
        settings,
        [("IssueDeathCertificate", {"resident_id": p.resident_id} | certificate) for p in people],
        run,
    )


def _retract(settings: Settings, deceased_id: str, run: str) -> None:
    # One death was reported in error: the health system retracts it, the case reverses.
    retraction = {"certificate_no": deceased_id, "reason": "死亡信息误报，核实后撤销"}
    hospital(settings, [("RetractDeathCertificate", retraction)], run)


async def run_demo(context: DemoContext) -> DemoReport:
    """The after-death demo on the running system (``OneThing.demo``)."""
    world = generate(context.population.seed, context.population.size)
    keys = dict(context.window_keys)
    taken = await context.known_cases("afterlife")  # earlier runs' people are left alone
    forms = pick(world, keys, context.cases, taken)
    if len(forms) < context.cases:
        print(
            f"Only {len(forms)} people of the seeded population have no case yet (earlier runs "
            "used the rest); `make clean` starts from an empty stack."
        )
    print(f"Submitting {len(forms)} after-death applications to {context.window_base} ...")
    kinds, window_keys = await submit(context.window_base, forms)
    run_id = uuid.uuid4().hex[:6]
    certified = proactive(world, keys, 3, taken)
    _certify(context.settings, certified, run_id)
    print(f"A hospital certified {len(certified)} deaths: proactive cases wait for the family.")
    waiting = {afterlife_case_id(p.resident_id): keys[p.division] for p in certified}

    cases = await context.follow(window_keys, context.timeout)
    done = [i for i in kinds if cases.get(i, {}).get("status") == "completed"]
    if done:
        deceased = {afterlife_case_id(f["deceased_id"]): f["deceased_id"] for f, _, _ in forms}
        _retract(context.settings, deceased[done[0]], run_id + "r")
        print(f"The death behind {done[0]} was retracted: its case reverses.")
        kinds[done[0]] = "retracted"
        kinds[f"{done[0]}-R"] = "reversal"
        window_keys[f"{done[0]}-R"] = window_keys[done[0]]  # the reversal runs where the case did
    kinds.update(dict.fromkeys(waiting, "proactive"))
    window_keys.update(waiting)
    retracted = {i for i, kind in kinds.items() if kind == "retracted"}

    def settled(case_id: str, case: CaseView) -> bool:
        # A hospital's case settles once it waits for the family; a retracted one once reversed.
        if case_id in retracted:
            return bool(case["status"] == "reversed")
        return terminal(case_id, case) or (case_id in waiting and _awaits_family(case))

    cases = await context.follow(window_keys, _AFTERWARDS_SECONDS, settled)
    missing = sorted(set(kinds) - set(cases))
    problems = (
        [f"{len(missing)} of {len(kinds)} cases never showed: {missing[:5]}"] if missing else []
    )
    return DemoReport(cases=cases, kinds=kinds, window_keys=window_keys, problems=problems)
