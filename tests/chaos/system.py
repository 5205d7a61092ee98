"""The system a chaos run attacks: the launcher's roles, each under its supervisor, on the
session's Kafka and Redis with a prefix of the run's own, and how each kind of process is killed
and comes back. The ops API runs too (the workers count as ready when both APIs answer) but is
not among the kinds killed.

A worker (orchestrator, departments, window) is SIGKILLed and its supervisor starts it again.
Redis and Kafka are SIGKILLed by pid, kept down a moment, and started again by
``deploy.local.stack.up`` (which starts only what is dead), on the same ports and data
directories, so ``make down`` still stops them; coming back anywhere else would leave every
client pointing at nothing, and fails the run.
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from deploy.local import kafka, procs, redis_server
from deploy.local import stack as local_stack
from deploy.local.ports import is_free
from deploy.local.state import ServiceState
from deploy.local.workers import ROLES, WORKER
from onething.settings import Settings
from tests.chaos.plan import WORKERS, Kill
from tests.support.supervised import SupervisedWorker

__all__ = ["Crash", "System", "local_services"]

ROLE_NAMES = ("orchestrator", "departments", "window", "ops")


@dataclass(frozen=True)
class Crash:
    """One kill as it happened: seconds from the run's start, how many cases were in flight
    (forms not yet answered and accepted cases not yet settled), and the seconds until the
    process was back (a worker started again; Redis or Kafka answering)."""

    kind: str
    at: float
    back_after: float
    in_flight: int | None = None  # None when the read model could not be read

    def describe(self) -> str:
        flying = "?" if self.in_flight is None else str(self.in_flight)
        return f"{self.kind}@{self.at:.1f}s({flying} in flight, back {self.back_after:.1f}s)"


def local_services() -> tuple[ServiceState, ServiceState] | None:
    """The Kafka and Redis this checkout's stack started, or None when either is not ours to
    kill (an external service named in the environment, or none running)."""
    if os.environ.get(local_stack.KAFKA_ENV) or os.environ.get(local_stack.REDIS_ENV):
        return None
    broker, cache = kafka.running(), redis_server.running()
    return (broker, cache) if broker is not None and cache is not None else None


class System:
    """The supervised roles of one run, and the stack under them."""

    def __init__(self, settings: Settings, home: Path, env: dict[str, str]) -> None:
        self.settings = settings
        self.home = home
        self.workers = {
            role: SupervisedWorker(
                settings,
                role,
                ROLES[role],
                log=home / f"{role}.log",
                extra_env={**env, **_member_name(settings, role)},
            )
            for role in ROLE_NAMES
        }

    def start(self) -> None:
        for worker in self.workers.values():
            worker.start()

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()

    def dead_supervisors(self) -> list[str]:
        return [role for role, worker in self.workers.items() if not worker.alive()]

    def restarts(self) -> dict[str, int]:
        """Role → how often its supervisor started it again (kills and crashes alike)."""
        return {role: worker.restarts() for role, worker in self.workers.items()}

    def journal_replays(self) -> list[int]:
        """How many commands the departments worker replayed from its journal at each start."""
        counts = []
        for line in self.workers["departments"].log.read_text(errors="replace").splitlines():
            if '"journal.replayed"' in line and line.startswith("{"):
                counts.append(int(json.loads(line)["commands"]))
        return counts

    def tails(self, lines: int = 12) -> str:
        return "\n".join(
            f"--- {worker.log} ---\n{worker.tail(lines)}" for worker in self.workers.values()
        )

    def crash(self, kill: Kill, since: float, in_flight: int | None) -> Crash:
        """Kill one process of ``kill.kind`` and wait until it is back."""
        at = time.monotonic()
        if kill.kind in WORKERS:
            worker = self.workers[kill.kind]
            pid = worker.kill_worker()
            worker.wait_worker(timeout=90, not_pid=pid)
        elif kill.kind == "redis":
            _kill_service(redis_server.running(), "redis")
            time.sleep(kill.down_for)
            self._restart_stack()
        else:
            _kill_service(kafka.running(), "kafka")
            time.sleep(kill.down_for)
            self._restart_stack()
        return Crash(kill.kind, at - since, time.monotonic() - at, in_flight)

    def _restart_stack(self) -> None:
        _wait_ports_free()
        running = local_stack.up()
        moved = (running.kafka_bootstrap, running.redis_url) != (
            self.settings.kafka_bootstrap,
            self.settings.redis_url,
        )
        if moved:
            raise AssertionError(
                f"the stack came back elsewhere ({running.kafka_bootstrap}, {running.redis_url});"
                " its clients still point at the old addresses"
            )


def _member_name(settings: Settings, role: str) -> dict[str, str]:
    """A Kafka consumer role is a static member named for its role, as the launcher starts it."""
    if ROLES[role][: len(WORKER)] != WORKER:
        return {}
    return {"ONETHING_CONSUMER_INSTANCE_ID": f"{settings.topic_prefix}-{role}"}


def _kill_service(state: ServiceState | None, name: str) -> None:
    if state is None:
        raise AssertionError(f"{name} is not running; nothing to kill")
    os.kill(state.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while procs.is_alive(state.pid):  # also reaps it when this process started it
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} (pid {state.pid}) survived SIGKILL")
        time.sleep(0.05)


def _wait_ports_free(timeout: float = 20.0) -> None:
    """The dead service's ports can be bound again (``up`` moves a broker whose ports are taken,
    which would reset its data)."""
    states = [ServiceState.load(kafka.STATE_FILE), ServiceState.load(redis_server.STATE_FILE)]
    ports = [
        port
        for state in states
        if state is not None
        for port in (state.port, state.controller_port)
        if port is not None
    ]
    deadline = time.monotonic() + timeout
    # A running service holds its own ports: only the dead one's must be free.
    while not all(is_free(p) or _held_by_running(p) for p in ports):
        if time.monotonic() > deadline:
            raise AssertionError(f"the stack's ports {ports} did not become free")
        time.sleep(0.1)


def _held_by_running(port: int) -> bool:
    broker, cache = kafka.running(), redis_server.running()
    held = set()
    if broker is not None:
        held |= {broker.port, broker.controller_port}
    if cache is not None:
        held.add(cache.port)
    return port in held
