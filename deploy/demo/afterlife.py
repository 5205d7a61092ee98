"""``make demo``: after-death cases through the whole system, from the window to every department.

With the stack and the workers running (``make workers``: orchestrator and projector, the
department simulators over a seeded population, the window API), it submits applications
through the window API for people of that same population — mostly deaths the health records
certify, some filed at another city's window (whose civil affairs refuses the funeral-fee waiver
for a hukou not its own), some whose death no record confirms (rejected before the pivot), then
hospital-certified deaths that open cases by themselves and one retracted death — shows progress as
they run, and ends with outcomes per state and per step, with timings, what the ops API (on its
own port, behind ``X-Ops-Key``) says about cases needing attention and steps awaiting a
department's reply, and ``curl`` lines for both APIs. Stack and workers keep running afterwards:
``make down`` stops them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from confluent_kafka import KafkaException
from redis.asyncio import Redis

from contracts.departments import Department
from contracts.envelope import envelope_for
from contracts.lifecycle import TERMINAL_STATUSES
from contracts.personal import seal_personal
from contracts.saga import DepartmentCommand
from contracts.topics import command_topic
from departments.population import generate
from departments.world import Person, World, age_on
from onething.kafka import admin_client, make_producer, publish
from onething.keys import keyring_from
from onething.readmodel.queries import ReadModel
from onething.settings import LOCAL_OPS_KEY, REPO_ROOT, Settings
from services.afterlife.case_ids import afterlife_case_id

__all__ = ["main"]

TERMINAL = {status.value for status in TERMINAL_STATUSES}


def windows(settings: Settings) -> dict[str, str]:
    """Division code → that window's API key."""
    path = Path(settings.window_keys_file)
    path = path if path.is_absolute() else REPO_ROOT / path
    return {w["division_code"]: w["api_key"] for w in json.loads(path.read_text())["windows"]}


def applicant_for(world: World, person: Person) -> Person | None:
    adults = [
        world.people[c]
        for c in world.children(person.resident_id)
        if world.people[c].alive and age_on(world.people[c].birth_date, world.reference_date) >= 18
    ]
    return adults[0] if adults else None


def application(deceased: Person, applicant: Person, n: int) -> dict[str, Any]:
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


def pick(
    world: World, keys: dict[str, str], count: int, taken: set[str]
) -> list[tuple[dict[str, Any], str, str]]:
    """(form, window key, kind) for ``count`` cases: certified deaths, some filed at a window of
    another city, and a few deaths no record confirms; people who already have a case (an
    earlier run) are left out."""
    chosen: list[tuple[dict[str, Any], str, str]] = []
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


# Filed at a window in another city (跨域通办): the case runs there, and that city's civil
# affairs refuses the funeral-fee waiver, which is for its own hukou — a branch refused after the
# pivot, so the case ends partially completed with the reason on the step.
ELSEWHERE = "another city"


def window_for(keys: dict[str, str], person: Person, elsewhere: bool) -> str | None:
    if not elsewhere:
        return keys.get(person.division)
    if person.division not in keys:
        return None
    return next((k for d, k in sorted(keys.items()) if d[:4] != person.division[:4]), None)


def window_base(settings: Settings) -> str:
    return f"http://{settings.window_host}:{settings.window_port}"


def ops_base(settings: Settings) -> str:
    return f"http://{settings.ops_host}:{settings.ops_port}"


def ops_headers(settings: Settings) -> dict[str, str]:
    return {"X-Ops-Key": settings.ops_api_key.get_secret_value()}


def _answers(url: str, headers: dict[str, str] | None = None) -> bool:
    try:
        return httpx.get(url, headers=headers, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until_ready(settings: Settings, timeout: float = 90) -> None:
    """Wait until the orchestrator's and the departments' consumer groups are stable and both
    APIs answer (the ops API's document only with the key): work sent while a Faust worker is
    still joining its group can stall (see the README's known issues)."""
    admin = admin_client(settings)
    groups = [f"{settings.topic_prefix}-orchestrator", f"{settings.topic_prefix}-departments"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            described = admin.describe_consumer_groups(groups)
            states = [str(f.result(10).state) for f in described.values()]
        except (KafkaException, TimeoutError):  # the group coordinator is still loading
            states = []
        api_up = _answers(f"{window_base(settings)}/docs") and _answers(
            f"{ops_base(settings)}/openapi.json", ops_headers(settings)
        )
        if api_up and states and all(s.endswith("STABLE") for s in states):
            time.sleep(2)  # let recovery finish after the group settles
            return
        time.sleep(1)
    raise SystemExit("the workers did not become ready; see .stack/workers/*.log")


async def submit(base: str, forms: list[tuple[dict[str, Any], str, str]]) -> dict[str, str]:
    ids: dict[str, str] = {}
    run = uuid.uuid4().hex[:8]  # a key per run and person: a retry within the run is recognised
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for form, key, kind in forms:
            reply = await client.post(
                "/v1/afterlife/applications",
                json=form,
                headers={"X-Window-Key": key, "Idempotency-Key": f"{run}-{form['deceased_id']}"},
            )
            if reply.status_code == 202:
                ids[reply.json()["case_id"]] = kind
            else:
                print(f"  not accepted ({reply.status_code}): {reply.text[:120]}")
    return ids


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


def proactive(world: World, keys: dict[str, str], count: int, taken: set[str]) -> list[str]:
    """Living people a hospital now certifies as dead: their cases open without an application."""
    ids: list[str] = []
    for person in world.find_all(alive=True, hukou_active=True):
        case_id = afterlife_case_id(person.resident_id)
        if person.division in keys and case_id not in taken and len(ids) < count:
            ids.append(person.resident_id)
    return ids


async def follow(
    model: ReadModel,
    ids: list[str],
    timeout: float,
    waiting_for_family: frozenset[str] | set[str] = frozenset(),
    reversed_ids: frozenset[str] | set[str] = frozenset(),
) -> dict[str, dict[str, Any]]:
    """Print progress until every case is terminal, or, for the ids in ``waiting_for_family``
    (opened by a hospital), waits for the family's application; the ids in ``reversed_ids``
    (a retracted death) only count once they are ``reversed``."""
    deadline, cases = time.monotonic() + timeout, {}
    while True:
        cases = {i: c for i in ids if (c := await model.case(i)) is not None}
        states = Counter(c["status"] for c in cases.values())
        done = sum(
            (c["status"] == "reversed" if i in reversed_ids else c["status"] in TERMINAL)
            or (i in waiting_for_family and _awaits_family(c))
            for i, c in cases.items()
        )
        print(
            f"\r  {done}/{len(ids)} settled  "
            + "  ".join(f"{s}={n}" for s, n in sorted(states.items())),
            end="",
            flush=True,
        )
        if done == len(ids) or time.monotonic() > deadline:
            print()
            return cases
        await asyncio.sleep(1)


def _awaits_family(case: dict[str, Any]) -> bool:
    return bool(case["steps"].get("family_application", {}).get("status") == "waiting_signal")


def seconds(case: dict[str, Any]) -> float | None:
    if "ended_at" not in case or "received_at" not in case:
        return None
    return (
        datetime.fromisoformat(case["ended_at"]) - datetime.fromisoformat(case["received_at"])
    ).total_seconds()


def report(cases: dict[str, dict[str, Any]], kinds: dict[str, str]) -> None:
    print("\nOutcomes per state (and what was applied for):")
    for (state, kind), n in sorted(
        Counter((c["status"], kinds[i]) for i, c in cases.items()).items()
    ):
        print(f"  {state:<22} {kind:<16} {n:>5}")
    print(
        "\nPer step (status counts, mean seconds from the case's start to the step's last change):"
    )
    per_step: dict[str, Counter[str]] = {}
    timing: dict[str, list[float]] = {}
    for case in cases.values():
        if "received_at" not in case:
            continue  # opened before this run (a case id the population already used)
        start = datetime.fromisoformat(case["received_at"])
        for name, step in case["steps"].items():
            per_step.setdefault(name, Counter())[step.get("status", "?")] += 1
            if "updated_at" in step:
                timing.setdefault(name, []).append(
                    (datetime.fromisoformat(step["updated_at"]) - start).total_seconds()
                )
    for name in sorted(per_step, key=lambda n: statistics.mean(timing.get(n, [0]))):
        counts = ", ".join(f"{s} {n}" for s, n in per_step[name].most_common())
        print(f"  {name:<28} {statistics.mean(timing.get(name, [0])):6.2f}s  {counts}")
    took = [s for c in cases.values() if (s := seconds(c)) is not None]
    if took:
        print(f"\nCase duration: median {statistics.median(took):.2f}s, max {max(took):.2f}s")


def ops_report(settings: Settings, older_than: int = 5) -> None:
    """What an operator would look at next, asked of the ops API on its own port."""
    base, headers = ops_base(settings), ops_headers(settings)
    try:
        attention = httpx.get(
            f"{base}/v1/ops/cases", params={"status": "needs_attention"}, headers=headers
        ).json()
        awaiting = httpx.get(
            f"{base}/v1/ops/cases/awaiting-reply",
            params={"older_than_seconds": older_than},
            headers=headers,
        ).json()
    except (httpx.HTTPError, ValueError) as exc:
        print(f"\nThe ops API at {base} did not answer ({exc}); see .stack/workers/ops.log")
        return
    print(f"\nOps API at {base} (every request, its /docs included, with X-Ops-Key):")
    print(f"  cases needing attention: {attention['total']}")
    print(f"  steps awaiting a department's reply for over {older_than}s: {awaiting['total']}")
    for step in awaiting["steps"][:5]:
        print(
            f"    {step['case_id']} {step['step']:<24} {step['department'] or '?':<20}"
            f" {step['seconds']}s"
        )


def ops_key_for_display(settings: Settings) -> str:
    """The built-in development key may be printed; a real one never is."""
    key = settings.ops_api_key.get_secret_value()
    return key if key == LOCAL_OPS_KEY else "$ONETHING_OPS_API_KEY"


async def run(count: int, timeout: float) -> int:
    settings = Settings()
    world = generate(settings.population_seed, settings.population_size)
    keys = windows(settings)
    base = window_base(settings)
    redis = Redis.from_url(settings.redis_url)
    model = ReadModel(redis, settings.topic_prefix)
    forms = pick(world, keys, count, set(await model.ids_of_saga("afterlife")))
    if len(forms) < count:
        print(
            f"Only {len(forms)} people of the seeded population have no case yet (earlier runs "
            "used the rest); `make clean` starts from an empty stack."
        )
    print("Waiting for the workers to be ready ...")
    wait_until_ready(settings)
    print(f"Submitting {len(forms)} after-death applications to {base} ...")
    kinds = await submit(base, forms)
    run_id = uuid.uuid4().hex[:6]
    taken = await model.ids_of_saga("afterlife")
    certified = proactive(world, keys, 3, taken)
    today = datetime.now().date().isoformat()
    hospital(
        settings,
        [
            (
                "IssueDeathCertificate",
                {
                    "resident_id": rid,
                    "date_of_death": today,
                    "issuer_credit_code": "12320000466000000W",
                },
            )
            for rid in certified
        ],
        run_id,
    )
    print(f"A hospital certified {len(certified)} deaths: proactive cases wait for the family.")
    waiting = {afterlife_case_id(rid): "proactive" for rid in certified}
    try:
        cases = await follow(model, list(kinds), timeout)
        done = [i for i in kinds if cases.get(i, {}).get("status") == "completed"]
        if done:
            # One death was reported in error: the health system retracts it, the case reverses.
            wrong = next(
                f[0]["deceased_id"]
                for f in forms
                if afterlife_case_id(f[0]["deceased_id"]) == done[0]
            )
            hospital(
                settings,
                [
                    (
                        "RetractDeathCertificate",
                        {"certificate_no": wrong, "reason": "死亡信息误报，核实后撤销"},
                    )
                ],
                run_id + "r",
            )
            print(f"The death behind {done[0]} was retracted: its case reverses.")
            kinds[done[0]] = "retracted"
            kinds[f"{done[0]}-R"] = "reversal"
        kinds.update(waiting)
        retracted = {i for i, kind in kinds.items() if kind == "retracted"}
        cases = await follow(
            model, list(kinds), 30, waiting_for_family=set(waiting), reversed_ids=retracted
        )
    finally:
        await redis.aclose()
    report(cases, kinds)
    ops_report(settings)
    ops, ops_key = ops_base(settings), ops_key_for_display(settings)
    if cases:
        case_id = next(iter(cases))
        key = next(iter(keys.values())) if not forms else forms[0][1]
        print(
            f"\nLook at one case, as its window and as an operator:\n"
            f"  curl -s -H 'X-Window-Key: {key}' {base}/v1/cases/{case_id}?timeline=true\n"
            f"  curl -s -H 'X-Ops-Key: {ops_key}' {ops}/v1/ops/cases/{case_id}"
        )
    print(
        f"Steps awaiting a reply for over a minute:\n"
        f"  curl -s -H 'X-Ops-Key: {ops_key}' '{ops}/v1/ops/cases/awaiting-reply?older_than_seconds=60'"
    )
    print(
        f"API documentation: window {base}/docs; ops {ops}/docs (the browser must send"
        f" X-Ops-Key, e.g. through a header extension)     Stop everything: make down"
    )
    return 0 if len(cases) == len(kinds) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=150)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.cases, args.timeout)))


if __name__ == "__main__":
    main()
