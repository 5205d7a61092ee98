"""Chaos: after-death applications go in through the window while a seeded choice of process —
the orchestrator, the departments worker, the window, Redis or Kafka — is SIGKILLed at a seeded
moment and comes back (workers through their supervisor, Redis and Kafka started again by the
test on their ports and data). Whatever died, every case the window accepted ends as its
application says it must, or visibly needs attention; no department applies anything twice; and
the live read model equals a rebuild from the case-events topic.

``make test`` runs ``plan.DEFAULT_SEEDS`` (a worker, Redis and Kafka each die once);
``make chaos SEEDS=20`` or ``CHAOS_SEEDS=4,7,30-35 make chaos`` runs others. Each run prints one
line: the seed, what was killed when and how soon it was back, the cases and how they ended, and
how long they took to settle once the last process was back. These tests kill the session's
shared Kafka and Redis, so ``tests/conftest.py`` runs them after every other test, and each run
leaves the stack running. A failed run keeps its workers' logs and journals in ``.stack/chaos/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from contracts.departments import Department
from contracts.topics import Topics, command_topic
from departments.local import journal_directory
from departments.population import generate
from departments.world import World
from deploy.demo.system import wait_until_ready, windows
from deploy.local import stack as local_stack
from deploy.local.ports import free_port
from onething.bootstrap import INBOUND
from onething.readmodel.queries import ReadModel
from onething.readmodel.rebuild import rebuild
from onething.settings import REPO_ROOT, Settings
from services.afterlife.case_ids import afterlife_case_id
from services.afterlife.demo import pick
from tests.chaos.checks import (
    applied_twice,
    commands_journalled_twice,
    journals,
    last_events,
    model_differences,
    unsettled,
    wrong_ends,
)
from tests.chaos.plan import Plan, chosen_seeds, plan_for
from tests.chaos.system import Crash, System, local_services
from tests.chaos.window_client import Form, Submission, submit_all
from tests.conftest import own_stack
from tests.integration.polling import wait_committed_to_end

# A run takes about a minute; a failing one waits for its cases and in-flight work first.
pytestmark = [pytest.mark.integration, pytest.mark.chaos, pytest.mark.timeout(600)]

POPULATION_SEED, POPULATION = 7, 20000
# From the last kill's recovery. A healthy run settles within about 20 s; a case saved only by
# a reply timeout (2 minutes for a check, 5 for a branch: a command was lost) is reported stuck.
SETTLE_TIMEOUT = 90.0


@pytest.fixture(scope="module")
def world() -> World:
    return generate(POPULATION_SEED, POPULATION)


@pytest.fixture
def stack_restored(stack: Settings) -> Iterator[Settings]:
    """The session's stack, running again on its own addresses after the test, whatever it
    killed: the tests after it (and the next `make test`) find it healthy."""
    yield stack
    running = local_stack.up()
    assert (running.kafka_bootstrap, running.redis_url) == (stack.kafka_bootstrap, stack.redis_url)


@dataclass
class Run:
    """What one seed's run did and found."""

    plan: Plan
    crashes: list[Crash] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    cases: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    settled_after: float | None = None  # seconds from the last recovery, None if never
    journalled: int = 0
    replays: list[int] = field(default_factory=list)  # journal commands replayed per start
    restarts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> list[str]:
        return [s.case_id for s in self.submissions if s.case_id is not None]

    def summary(self) -> str:
        kinds = Counter(s.form.kind for s in self.submissions if s.case_id)
        ends = Counter(c["status"] if c else "missing" for c in self.cases.values())
        seen: Counter[str] = Counter()
        for submission in self.submissions:
            seen += submission.seen
        settled = "never" if self.settled_after is None else f"{self.settled_after:.1f}s"
        return (
            f"chaos seed={self.plan.seed} killed: {' '.join(c.describe() for c in self.crashes)}"
            f" | accepted {len(self.accepted)}/{len(self.submissions)}"
            f" ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
            f" | {', '.join(f'{s} {n}' for s, n in sorted(ends.items()))}"
            f" | settled {settled} after the last recovery"
            f" | window said {' '.join(f'{k}x{n}' for k, n in sorted(seen.items())) or 'nothing else'}"
            f" | restarts {' '.join(f'{r} {n}' for r, n in self.restarts.items())}"
            f" | journal {self.journalled} commands, replayed {self.replays[1:]}"
            f" | problems {len(self.problems)}"
        )


def forms_for(plan: Plan, world: World, settings: Settings) -> list[Form]:
    """The demo's mix for ``plan.cases`` people drawn by the plan: certified deaths, a few filed
    at another city's window (a branch refused after the pivot: partially completed) and a few
    deaths no record confirms (refused before the pivot and rolled back: rejected)."""
    rng = random.Random(plan.people_seed)
    candidates = [
        *world.find_all(certified_dead=True, hukou_active=True),
        *world.find_all(uncertified_dead=True, hukou_active=True),
    ]
    skipped = {afterlife_case_id(p.resident_id) for p in candidates if rng.random() < 0.5}
    chosen = pick(world, windows(settings), plan.cases, skipped)
    return [
        Form(body, key, kind, idempotency_key=f"chaos-{plan.seed}-{n}")
        for n, (body, key, kind) in enumerate(chosen)
    ]


@pytest.mark.parametrize("seed", chosen_seeds(os.environ.get("CHAOS_SEEDS")))
def test_every_accepted_case_settles_with_nothing_applied_twice_whatever_dies(
    seed: int, stack_restored: Settings, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    if local_services() is None:
        # Never a skip: a chaos run that did not run must not look like one that passed.
        pytest.fail(
            "chaos kills the stack's own Kafka and Redis, and this session uses others"
            " (ONETHING_KAFKA_BOOTSTRAP / ONETHING_REDIS_URL); unset them, or leave the chaos"
            " tests out with -m 'not chaos'",
            pytrace=False,
        )
    plan = plan_for(seed)
    settings = own_stack(stack_restored, f"chaos{seed}")
    settings = settings.model_copy(update={"window_port": free_port(), "ops_port": free_port()})
    home = REPO_ROOT / ".stack" / "chaos" / settings.topic_prefix
    with_journal = settings.model_copy(
        update={
            "simulator_journal_dir": home / "journal",
            "population_seed": POPULATION_SEED,
            "population_size": POPULATION,
        }
    )
    system = System(
        settings,
        home,
        {
            "ONETHING_POPULATION_SEED": str(POPULATION_SEED),
            "ONETHING_POPULATION_SIZE": str(POPULATION),
            "ONETHING_WINDOW_PORT": str(settings.window_port),
            "ONETHING_OPS_PORT": str(settings.ops_port),
            "ONETHING_SIMULATOR_JOURNAL_DIR": str(home / "journal"),
        },
    )
    forms = forms_for(plan, world, settings)
    try:
        system.start()
        wait_until_ready(settings, timeout=120)
        run = asyncio.run(attack(plan, system, forms, with_journal))
    finally:
        system.stop()
    with capsys.disabled():
        print(f"\n{run.summary()}")
    assert not run.problems, "\n".join([run.summary(), *run.problems, f"logs: {home}"])
    shutil.rmtree(home, ignore_errors=True)


async def attack(plan: Plan, system: System, forms: list[Form], settings: Settings) -> Run:
    """Submit the forms while the plan's kills happen, then wait for the cases and check."""
    run = Run(plan)
    started = time.monotonic()
    base = f"http://{settings.window_host}:{settings.window_port}"
    submitting = asyncio.create_task(submit_all(base, forms, run.submissions))
    try:
        since = started
        for kill in plan.kills:
            await asyncio.sleep(max(0.0, since + kill.after - time.monotonic()))
            flying = await in_flight(settings, forms, run.submissions)
            run.crashes.append(await asyncio.to_thread(system.crash, kill, started, flying))
            since = time.monotonic()
        await submitting
    finally:
        submitting.cancel()
    order = {form.idempotency_key: n for n, form in enumerate(forms)}
    run.submissions.sort(key=lambda s: order[s.form.idempotency_key])
    refused = [s for s in run.submissions if s.case_id is None]
    for submission in refused:
        run.problems.append(
            f"not accepted: {submission.form.kind} form {submission.form.idempotency_key}:"
            f" last {submission.final_status} {submission.detail} (saw {dict(submission.seen)})"
        )
    run.cases = await settle(settings, run.accepted, system)
    still = unsettled(run.accepted, run.cases)
    if still:
        run.problems += [
            f"stuck: {case_id} {status}; last events: {last_events(run.cases.get(case_id))}"
            for case_id, status in sorted(still.items())
        ]
        run.problems.append(system.tails())
    else:
        run.settled_after = time.monotonic() - since
    kinds = {s.case_id: s.form.kind for s in run.submissions if s.case_id is not None}
    run.problems += [f"wrong end: {line}" for line in wrong_ends(kinds, run.cases)]
    check_journals(run, settings)
    run.replays, run.restarts = system.journal_replays(), system.restarts()
    if not still and not system.dead_supervisors():
        await check_read_model(run, settings)
    dead = system.dead_supervisors()
    if dead:
        run.problems.append(f"supervisors gone: {dead}\n{system.tails()}")
    return run


async def in_flight(
    settings: Settings, forms: list[Form], answered: list[Submission]
) -> int | None:
    """Forms not yet answered plus accepted cases not yet settled; None if Redis is not there."""
    ids = [s.case_id for s in answered if s.case_id is not None]
    client = aioredis.Redis.from_url(settings.redis_url, socket_timeout=2)
    try:
        model = ReadModel(client, settings.topic_prefix)
        cases = {case_id: await model.case(case_id) for case_id in ids}
    except RedisError:
        return None
    finally:
        await client.aclose()
    return len(forms) - len(answered) + len(unsettled(ids, cases))


async def settle(
    settings: Settings, ids: list[str], system: System
) -> dict[str, dict[str, Any] | None]:
    """Read the cases until every one is settled, a supervisor is gone, or time is up."""
    client = aioredis.Redis.from_url(settings.redis_url)
    model = ReadModel(client, settings.topic_prefix)
    deadline = time.monotonic() + SETTLE_TIMEOUT
    cases: dict[str, dict[str, Any] | None] = {}
    try:
        while True:
            with contextlib.suppress(RedisError):  # Redis is coming back: read again
                cases = {case_id: await model.case(case_id) for case_id in ids}
            done = cases and not unsettled(ids, cases)
            if done or time.monotonic() > deadline or system.dead_supervisors():
                return cases
            await asyncio.sleep(0.5)
    finally:
        await client.aclose()


def check_journals(run: Run, settings: Settings) -> None:
    directory = journal_directory(settings)
    assert directory is not None
    entries = journals(directory)
    run.journalled = sum(len(lines) for lines in entries.values())
    for department, ids in commands_journalled_twice(entries).items():
        run.problems.append(f"{department} journalled {len(ids)} commands twice: {ids[:5]}")
    run.problems += [f"applied twice: {line}" for line in applied_twice(entries)]


async def check_read_model(run: Run, settings: Settings) -> None:
    """Once nothing is in flight, the live model must equal a rebuild from the event topic."""
    groups = {
        f"{settings.topic_prefix}-orchestrator": [
            *INBOUND,
            Topics.CASE_EVENTS,
            Topics.DEPT_EVENTS,
            Topics.HOUSEHOLD_EVENTS,
        ],
        f"{settings.topic_prefix}-departments": [command_topic(d) for d in Department],
    }
    for group, topics in groups.items():
        try:
            await asyncio.to_thread(
                wait_committed_to_end,
                settings,
                group,
                [settings.topic(t) for t in topics],
                timeout=90,
            )
        except AssertionError as exc:
            run.problems.append(f"still in flight after every case settled: {exc}")
            return
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        model = ReadModel(client, settings.topic_prefix)
        live = await model.dump()
        await rebuild(settings, client)
        rebuilt = await model.dump()
    finally:
        await client.aclose()
    differences = model_differences(live, rebuilt)
    if differences:
        run.problems.append(
            "the live read model differs from a rebuild:\n  " + "\n  ".join(differences)
        )
