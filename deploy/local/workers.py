"""OneThing's own processes on the local stack, started in the background and stopped by pid:
``python -m deploy.local.workers up|down|status``.

- ``orchestrator``: the saga worker (every one-thing of the registry: its sagas and reactors)
  with the read-model projector;
- ``departments``: every department's participant, served by the reference simulators;
- ``window``: the service-hall window API on ``settings.window_port``;
- ``ops``: the ops API, on a port of its own, ``settings.ops_port``. Neither API is a Kafka
  consumer, so neither gets a static group member name.

Each runs under ``deploy.local.supervise``, which starts it again when it dies; ``down`` stops
the supervisor and its worker together.

``up --demo`` (``make demo``) adds what each registry one-thing asks its demo to run with
(``OneThing.demo_environment``: a compressed clock, so a divorce's 30-day periods pass in
seconds); an environment variable set by hand wins. A role already running with other demo
settings than asked for is restarted, so ``make workers`` after ``make demo`` brings the real
periods back.

In production each runs on its own (and departments one per process, see ``departments.local``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from deploy.local import procs
from onething.settings import REPO_ROOT, Settings
from services.registry import one_things

__all__ = ["ROLES", "down", "up"]

WORKER = [sys.executable, "-m", "onething.worker"]
ROLES: dict[str, list[str]] = {
    "orchestrator": [*WORKER, "--name", "orchestrator", "--one-things", "--projector"],
    "departments": [*WORKER, "--name", "departments", "--department", "departments.local:simulators"],
    "window": [sys.executable, "-m", "window"],
    "ops": [sys.executable, "-m", "ops"],
}  # fmt: skip
HOME = REPO_ROOT / ".stack" / "workers"


def _pid_file(role: str) -> Path:
    return HOME / f"{role}.pid"


def _running(role: str) -> int | None:
    path = _pid_file(role)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    return pid if pid and procs.is_alive(pid, ROLES[role][-1]) else None


def supervised(role: str) -> list[str]:
    """The role's command under the supervisor that starts it again when it dies."""
    return [sys.executable, "-m", "deploy.local.supervise", role, "--", *ROLES[role]]


def _demo_file(role: str) -> Path:
    return HOME / f"{role}.demo.json"


def demo_environment() -> dict[str, str]:
    """What every registry one-thing's demo asks the workers to run with."""
    wanted: dict[str, str] = {}
    for thing in one_things(Settings().extra_one_things).values():
        wanted |= thing.demo_environment
    return wanted


def role_env(role: str, demo: Mapping[str, str] | None = None) -> dict[str, str]:
    """A role's environment: a worker is a static member of its consumer groups, named for its
    role, so its restart takes its partitions back at once instead of after a rebalance; with
    ``demo``, the demo settings the environment does not set already."""
    env = dict(demo or {}) | dict(os.environ)
    if ROLES[role][:3] == WORKER:
        prefix = Settings().topic_prefix
        env.setdefault("ONETHING_CONSUMER_INSTANCE_ID", f"{prefix}-{role}")
        # The simulators keep their records across restarts, beside the stack's Kafka data.
        env.setdefault("ONETHING_SIMULATOR_JOURNAL_DIR", str(HOME.parent / "simulators" / prefix))
    return env


def _started_with(role: str) -> dict[str, str]:
    path = _demo_file(role)
    return dict(json.loads(path.read_text())) if path.exists() else {}


def up(roles: list[str], demo: bool = False) -> None:
    wanted = demo_environment() if demo else {}
    for role in roles:
        pid = _running(role)
        if pid is not None and _started_with(role) != wanted:
            print(f"{role}: restarting with {'the demo' if demo else 'the real'} settings")
            down([role])
            pid = None
        if pid is None:
            env = role_env(role, wanted)
            pid = procs.spawn(supervised(role), log=HOME / f"{role}.log", cwd=REPO_ROOT, env=env)
            _pid_file(role).write_text(str(pid))
            _demo_file(role).write_text(json.dumps(wanted, sort_keys=True))
            print(f"{role}: started (pid {pid}, log .stack/workers/{role}.log)")
        else:
            print(f"{role}: already running (pid {pid})")


def down(roles: list[str]) -> None:
    for role in roles:
        pid = _running(role)
        if pid is not None:
            procs.stop(pid, ROLES[role][-1], grace=15.0)
            print(f"{role}: stopped")
        _pid_file(role).unlink(missing_ok=True)
        _demo_file(role).unlink(missing_ok=True)


def status(roles: list[str]) -> None:
    for role in roles:
        pid = _running(role)
        print(f"{role}: {f'running (pid {pid})' if pid else 'stopped'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("roles", nargs="*", help=f"any of {', '.join(ROLES)} (default: all)")
    parser.add_argument(
        "--demo", action="store_true", help="with the one-things' demo settings (make demo)"
    )
    args = parser.parse_args()
    unknown = set(args.roles) - set(ROLES)
    if unknown:
        parser.error(f"unknown role(s) {sorted(unknown)}; choose from {sorted(ROLES)}")
    HOME.mkdir(parents=True, exist_ok=True)
    roles = args.roles or list(ROLES)
    if args.action == "up":
        up(roles, demo=args.demo)
    else:
        {"down": down, "status": status}[args.action](roles)


if __name__ == "__main__":
    main()
