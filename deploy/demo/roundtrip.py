"""The demo's moving parts as functions: make pings, publish them, run a worker, await the records.

Publishing uses confluent-kafka directly (as a non-Faust producer such as the window would); the
consuming side is a real Faust worker in its own process. Waiting is always bounded, and a worker
that dies early fails the wait at once with the tail of its log.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from confluent_kafka import KafkaError, Message

from contracts.demo import DemoPing
from contracts.envelope import Envelope, encode, envelope_for, key_for
from contracts.topics import Topics
from deploy.demo.app import records_key
from deploy.local import procs
from deploy.local.common import REPO_ROOT, tail
from onething.kafka import make_producer
from onething.settings import Settings

__all__ = [
    "TEXTS",
    "Worker",
    "make_pings",
    "publish",
    "recorded",
    "running_worker",
    "wait_recorded",
]

TEXTS = (
    "你好，一件事！",
    "身后一件事：户口注销",
    "医保待遇停发",
    "住房公积金余额提取",
    "丧葬补助金申领",
)
WORKER_MODULE = "deploy.demo.worker"


def make_pings(run_id: str, count: int = len(TEXTS)) -> list[Envelope[Any]]:
    """``count`` enveloped pings of one run, one subject each (so they spread over partitions)."""
    now = datetime.now(UTC)
    return [
        envelope_for(
            DemoPing(run_id=run_id, seq=seq, text=TEXTS[seq % len(TEXTS)], sent_at=now),
            subject=f"demo-{run_id}-{seq}",
            source="/deploy/demo",
        )
        for seq in range(count)
    ]


def publish(settings: Settings, envelopes: Sequence[Envelope[Any]]) -> None:
    """Produce the envelopes to ``demo.pings`` and wait until the broker has acknowledged all."""
    producer = make_producer(settings)
    errors: list[str] = []

    def delivered(error: KafkaError | None, _message: Message) -> None:
        if error is not None:
            errors.append(str(error))

    topic = settings.topic(Topics.DEMO_PINGS)
    for envelope in envelopes:
        producer.produce(
            topic, key=key_for(envelope), value=encode(envelope), on_delivery=delivered
        )
    remaining = producer.flush(30)
    if remaining or errors:
        raise RuntimeError(f"publishing to {topic}: {remaining} undelivered, errors {errors}")


def recorded(settings: Settings, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The agent's records of the given envelope ids that exist so far."""
    client = redis.Redis.from_url(settings.redis_url)
    try:
        values = client.hmget(records_key(settings), list(ids))
    finally:
        client.close()
    return {
        envelope_id: json.loads(value)
        for envelope_id, value in zip(ids, values, strict=True)
        if value is not None
    }


@dataclass(frozen=True)
class Worker:
    """A running demo worker process and its log."""

    pid: int
    log: Path

    def alive(self) -> bool:
        return procs.is_alive(self.pid, WORKER_MODULE)

    def log_tail(self, lines: int = 40) -> str:
        return tail(self.log, lines)


@contextlib.contextmanager
def running_worker(settings: Settings, workdir: Path) -> Iterator[Worker]:
    """Run a demo worker for ``settings`` while the block runs; stop it (for sure) afterwards."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "ONETHING_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "ONETHING_REDIS_URL": settings.redis_url,
        "ONETHING_TOPIC_PREFIX": settings.topic_prefix,
        "ONETHING_REPLICATION_FACTOR": str(settings.replication_factor),
        "PYTHONUNBUFFERED": "1",
    }
    log = workdir / "worker.log"
    argv = [sys.executable, "-m", WORKER_MODULE, "--datadir", str(workdir / "data")]
    pid = procs.spawn(argv, log=log, cwd=REPO_ROOT, env=env)
    try:
        yield Worker(pid, log)
    finally:
        # Faust may linger on SIGTERM while it leaves the group; a few seconds is enough.
        procs.stop(pid, WORKER_MODULE, grace=8)


def wait_recorded(
    settings: Settings, worker: Worker, ids: Sequence[str], timeout: float = 120.0
) -> dict[str, dict[str, Any]]:
    """Poll Redis until every id is recorded; raise with the worker's log if it does not happen."""
    deadline = time.monotonic() + timeout
    while True:
        found = recorded(settings, ids)
        if len(found) == len(ids):
            return found
        if not worker.alive():
            raise RuntimeError(f"the demo worker exited early; its log:\n{worker.log_tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"only {len(found)} of {len(ids)} pings recorded after {timeout:.0f}s; "
                f"worker log:\n{worker.log_tail()}"
            )
        time.sleep(0.5)
