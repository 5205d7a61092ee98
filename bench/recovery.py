"""How soon work moves again after a worker is SIGKILLed and restarted: ``python bench/recovery.py``.

Starts (or reuses) the local stack, provisions the catalog under a prefix of its own, and runs
one worker hosting the runtime's sample saga, its sample department and the projector (the same
worker as ``tests/integration/test_saga_runtime.py``). Each round sends a batch of cases, kills
the worker with SIGKILL while they are in flight, starts it again at once and submits one more
case; it prints the seconds from the restart until that case reaches the read model (the first
case moving again), and until every case of the round is terminal. Nothing is asserted: this is
a figure to read, with the consumer settings the worker would run with (``--session-timeout`` and
``--instance-id`` override them, to compare).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # after the path: the bench runs as a plain script
import redis.asyncio as aioredis
from confluent_kafka.admin import NewTopic

from contracts.envelope import envelope_for
from contracts.lifecycle import TERMINAL_STATUSES
from contracts.saga import StartCase
from contracts.topics import CASE_PARTITIONS, Topics, command_topic
from deploy.local import stack as local_stack
from deploy.topics import provision
from onething.kafka import admin_client, make_producer, publish
from onething.readmodel.queries import ReadModel
from onething.settings import Settings
from tests.support.processes import WorkerProcess

WORKER_ARGS = [
    "--name", "bench",
    "--saga", "tests.support.sample_saga:sample_saga",
    "--department", "tests.support.sample_participant:make_adapter",
    "--projector",
]  # fmt: skip
TERMINAL = {s.value for s in TERMINAL_STATUSES}


def submit(settings: Settings, case_ids: list[str]) -> None:
    producer = make_producer(settings)
    for case_id in case_ids:
        start = StartCase(
            case_id=case_id,
            saga="sample",
            division_code="321300",
            data={},
            received_at=datetime.now(UTC),
        )
        publish(
            producer,
            settings.topic(Topics.CASE_REQUESTS),
            envelope_for(start, subject=case_id, source="/bench/recovery"),
        )
    if producer.flush(30) != 0:
        raise SystemExit("the broker did not take the cases")


async def wait_for(
    model: ReadModel,
    case_ids: list[str],
    done: set[str] | None,
    worker: WorkerProcess,
    limit: float,
) -> float:
    """Seconds until every case is in the read model (``done=None``) or in one of ``done``."""
    started = time.monotonic()
    while True:
        cases = [await model.case(case_id) for case_id in case_ids]
        if all(c is not None and (done is None or c["status"] in done) for c in cases):
            return time.monotonic() - started
        if not worker.alive():
            raise SystemExit(f"the worker died:\n{worker.tail()}")
        if time.monotonic() - started > limit:
            raise SystemExit(f"nothing moved in {limit:.0f} s:\n{worker.tail()}")
        await asyncio.sleep(0.05)


async def one_round(settings: Settings, worker: WorkerProcess, n: int, cases: int) -> float:
    client = aioredis.Redis.from_url(settings.redis_url)
    model = ReadModel(client, settings.topic_prefix)
    try:
        batch = [f"bench-{n}-{i}" for i in range(cases)]
        submit(settings, batch)
        await wait_for(model, batch[:3], None, worker, limit=120)  # in flight: kill now
        worker.kill()
        worker.start()
        restarted = time.monotonic()
        probe = f"bench-{n}-probe"
        submit(settings, [probe])
        await wait_for(model, [probe], None, worker, limit=300)
        moved = time.monotonic() - restarted
        await wait_for(model, [*batch, probe], TERMINAL, worker, limit=300)
        finished = time.monotonic() - restarted
        print(f"round {n}: first case moved {moved:5.1f} s after the restart, all terminal "
              f"{finished:5.1f} s")  # fmt: skip
        return moved
    finally:
        await client.aclose()


def forget(settings: Settings) -> None:
    """Delete the bench's topics (Faust's internal ones too) and Redis keys."""
    admin = admin_client(settings)
    prefix = settings.topic_prefix
    mine = [t for t in admin.list_topics(timeout=30).topics if t.startswith(f"{prefix}")]
    if mine:
        for future in admin.delete_topics(mine, operation_timeout=30).values():
            future.result(timeout=60)
    client = redis.Redis.from_url(settings.redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}[:-]*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=int, default=20, help="cases in flight at each kill")
    parser.add_argument("--session-timeout", type=float, help="seconds (default: the setting's)")
    parser.add_argument("--instance-id", help="static group member id ('' for none)")
    args = parser.parse_args()

    running = local_stack.up()
    defaults = Settings()
    settings = Settings(
        kafka_bootstrap=running.kafka_bootstrap,
        redis_url=running.redis_url,
        topic_prefix=f"bench{secrets.token_hex(4)}",
    )
    provision(settings)
    topic = settings.topic(command_topic("sample"))
    admin = admin_client(settings)  # kept: the futures die with their client
    if topic not in admin.list_topics(timeout=10).topics:
        admin.create_topics([NewTopic(topic, CASE_PARTITIONS, 1)])[topic].result(30)
    session = args.session_timeout or defaults.consumer_session_timeout
    env = {}
    instance = defaults.consumer_instance_id if args.instance_id is None else args.instance_id
    env["ONETHING_CONSUMER_INSTANCE_ID"] = instance or ""
    print(f"session timeout {session} s, static member id {instance or '(none)'}")
    worker = WorkerProcess(settings, WORKER_ARGS, session_timeout=session, extra_env=env).start()
    try:
        moved = [asyncio.run(one_round(settings, worker, n, args.cases)) for n in range(1, 1 + args.rounds)]  # fmt: skip
    finally:
        worker.stop()
        forget(settings)
    print(
        f"first case moved again: median {statistics.median(moved):.1f} s, max {max(moved):.1f} s"
    )


if __name__ == "__main__":
    main()
