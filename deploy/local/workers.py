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

In production each runs on its own (and departments one per process, see ``departments.local``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from deploy.local import procs
from onething.settings import REPO_ROOT, Settings

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


def role_env(role: str) -> dict[str, str]:
    """A role's environment: a worker is a static member of its consumer groups, named for its
    role, so its restart takes its partitions back at once instead of after a rebalance."""
    env = dict(os.environ)
    if ROLES[role][:3] == WORKER:
        prefix = Settings().topic_prefix
        env.setdefault("ONETHING_CONSUMER_INSTANCE_ID", f"{prefix}-{role}")
        # The simulators keep their records across restarts, beside the stack's Kafka data.
        env.setdefault("ONETHING_SIMULATOR_JOURNAL_DIR", str(HOME.parent / "simulators" / prefix))
    return env


def up(roles: list[str]) -> None:
    for role in roles:
        pid = _running(role)
        if pid is None:
            pid = procs.spawn(
                supervised(role), log=HOME / f"{role}.log", cwd=REPO_ROOT, env=role_env(role)
            )
            _pid_file(role).write_text(str(pid))
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


def status(roles: list[str]) -> None:
    for role in roles:
        pid = _running(role)
        print(f"{role}: {f'running (pid {pid})' if pid else 'stopped'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("roles", nargs="*", help=f"any of {', '.join(ROLES)} (default: all)")
    args = parser.parse_args()
    unknown = set(args.roles) - set(ROLES)
    if unknown:
        parser.error(f"unknown role(s) {sorted(unknown)}; choose from {sorted(ROLES)}")
    HOME.mkdir(parents=True, exist_ok=True)
    {"up": up, "down": down, "status": status}[args.action](args.roles or list(ROLES))


if __name__ == "__main__":
    main()
