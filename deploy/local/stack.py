"""``python -m deploy.local.stack up|down|status|env``: the local Kafka and Redis, as one stack.

``up`` is idempotent: services that run and answer are reused, dead ones are restarted (on their old
ports when free, keeping their data). A service whose address is already given in the environment
(``ONETHING_KAFKA_BOOTSTRAP``, ``ONETHING_REDIS_URL``) is external: it is checked, never started.
The addresses of the local services are written to ``.stack/env``, which ``onething.settings``
reads, so every command and test finds the stack without being told. ``down`` stops what ``up``
started and leaves the data in ``.stack`` for the next ``up``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from deploy.local import kafka, redis_server
from deploy.local.common import STACK_DIR, StackError

__all__ = ["ENV_FILE", "KAFKA_ENV", "REDIS_ENV", "Stack", "down", "main", "status", "up"]

ENV_FILE = STACK_DIR / "env"
KAFKA_ENV = "ONETHING_KAFKA_BOOTSTRAP"
REDIS_ENV = "ONETHING_REDIS_URL"


@dataclass(frozen=True)
class Stack:
    """Where the stack's services are, and what ``up`` did for each (for people to read)."""

    kafka_bootstrap: str
    redis_url: str
    notes: dict[str, str] = field(default_factory=dict)


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    # `make up` in one terminal and a test session in another must not both start a broker.
    STACK_DIR.mkdir(parents=True, exist_ok=True)
    with (STACK_DIR / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _external(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _kafka() -> tuple[str, str | None, str]:
    """(bootstrap, line for .stack/env or None, note)."""
    external = _external(KAFKA_ENV)
    if external is not None:
        reason = kafka.ready(external, timeout=15)
        if reason is not None:
            raise StackError(f"the external Kafka {KAFKA_ENV}={external} does not answer: {reason}")
        return external, None, "external (from the environment)"
    state = kafka.running()
    if state is not None and kafka.ready(kafka.bootstrap_of(state)) is None:
        note = f"running, pid {state.pid}"
    else:
        kafka.stop()  # a broker that runs but does not answer is restarted
        state = kafka.start()
        note = f"started, pid {state.pid}"
    bootstrap = kafka.bootstrap_of(state)
    return bootstrap, f"{KAFKA_ENV}={bootstrap}", note


def _redis() -> tuple[str, str | None, str]:
    external = _external(REDIS_ENV)
    if external is not None:
        reason = redis_server.ready(external, timeout=5)
        if reason is not None:
            raise StackError(f"the external Redis {REDIS_ENV}={external} does not answer: {reason}")
        return external, None, "external (from the environment)"
    state = redis_server.running()
    if state is not None and redis_server.ready(redis_server.url_of(state)) is None:
        note = f"running, pid {state.pid}"
    else:
        redis_server.stop()
        state = redis_server.start()
        note = f"started, pid {state.pid}"
    url = redis_server.url_of(state)
    return url, f"{REDIS_ENV}={url}", note


def _write_env(lines: list[str]) -> None:
    header = "# Written by `make up` (deploy.local.stack): addresses of the local stack.\n"
    temporary = ENV_FILE.with_suffix(".tmp")
    temporary.write_text(header + "".join(f"{line}\n" for line in lines))
    temporary.replace(ENV_FILE)


def up() -> Stack:
    """Make sure Kafka and Redis run and answer; return their addresses. Raises ``StackError``."""
    with _locked():
        bootstrap, kafka_line, kafka_note = _kafka()
        url, redis_line, redis_note = _redis()
        _write_env([line for line in (kafka_line, redis_line) if line is not None])
    return Stack(bootstrap, url, {"kafka": kafka_note, "redis": redis_note})


def down() -> list[str]:
    """Stop the services this stack started; return the names of those that were running."""
    with _locked():
        services = (("kafka", kafka.stop), ("redis", redis_server.stop))
        stopped = [name for name, stop in services if stop()]
        ENV_FILE.unlink(missing_ok=True)
    return stopped


def status() -> dict[str, str]:
    """A line per service saying whether it runs and where."""
    lines: dict[str, str] = {}
    external = _external(KAFKA_ENV)
    kafka_state = kafka.running()
    if external is not None:
        lines["kafka"] = f"external {external}"
    elif kafka_state is not None:
        lines["kafka"] = f"running  {kafka.bootstrap_of(kafka_state)}  pid {kafka_state.pid}"
    else:
        lines["kafka"] = "stopped"
    external = _external(REDIS_ENV)
    redis_state = redis_server.running()
    if external is not None:
        lines["redis"] = f"external {external}"
    elif redis_state is not None:
        lines["redis"] = f"running  {redis_server.url_of(redis_state)}  pid {redis_state.pid}"
    else:
        lines["redis"] = "stopped"
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.local.stack", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "env"])
    command = parser.parse_args(argv).command
    if command == "up":
        try:
            stack = up()
        except StackError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"kafka  {stack.kafka_bootstrap}  ({stack.notes['kafka']})")
        print(f"redis  {stack.redis_url}  ({stack.notes['redis']})")
        print(f"env    {ENV_FILE.relative_to(STACK_DIR.parent)}")
    elif command == "down":
        stopped = down()
        print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    elif command == "status":
        for name, line in status().items():
            print(f"{name:6} {line}")
    else:
        # Shell syntax, for `eval "$(python -m deploy.local.stack env)"`.
        if ENV_FILE.is_file():
            for line in ENV_FILE.read_text().splitlines():
                if line and not line.startswith("#"):
                    print(f"export {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
