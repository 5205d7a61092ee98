"""The local Redis: the system's ``redis-server`` on a loopback port, append-only file in the stack.

Redis comes from the operating system rather than from PyPI; when it is missing and we are root on
Debian, it is installed with apt-get, otherwise ``up`` says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from deploy.local import procs
from deploy.local.common import STACK_DIR, StackError, tail, wait_until
from deploy.local.ports import HOST, free_port, is_free, is_listening
from deploy.local.state import ServiceState

__all__ = ["REDIS_DIR", "log_tail", "ready", "running", "start", "stop", "url_of"]

REDIS_DIR = STACK_DIR / "redis"
STATE_FILE = REDIS_DIR / "service.json"
LOG_FILE = REDIS_DIR / "redis.log"
STDOUT_LOG = REDIS_DIR / "stdout.log"


def _needles(state: ServiceState) -> tuple[str, ...]:
    # redis-server rewrites its command line to "redis-server 127.0.0.1:<port>".
    return ("redis-server", f":{state.port}")


def url_of(state: ServiceState) -> str:
    return f"redis://{HOST}:{state.port}/0"


def ready(url: str, timeout: float = 2.0) -> str | None:
    """None if Redis at ``url`` answers PING, else the reason it did not."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as exc:
        return str(exc)
    finally:
        client.close()
    return None


def running() -> ServiceState | None:
    """The Redis this stack started, if it still runs and accepts connections."""
    state = ServiceState.load(STATE_FILE)
    if state is None or not procs.is_alive(state.pid, *_needles(state)):
        return None
    return state if is_listening(state.port) else None


def log_tail(lines: int = 20) -> str:
    return (
        f"--- {STDOUT_LOG} ---\n{tail(STDOUT_LOG, lines)}\n"
        f"--- {LOG_FILE} ---\n{tail(LOG_FILE, lines)}"
    )


def _redis_server() -> str:
    found = shutil.which("redis-server")
    if found is not None:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get") is not None:
        print("redis-server is missing; installing it with apt-get", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in ("update", "install -y redis-server"):
            subprocess.run(
                ["apt-get", "-q", *command.split()], check=True, env=env, stdin=subprocess.DEVNULL
            )
        found = shutil.which("redis-server")
        if found is not None:
            return found
    raise StackError("redis-server is not on PATH (Debian: apt-get install redis-server)")


def start() -> ServiceState:
    """Start Redis on its previous port if free, else a new one; wait until it answers PING."""
    server = _redis_server()
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    for log in (STDOUT_LOG, LOG_FILE):
        if log.exists():
            log.replace(log.with_name(log.name + ".previous"))
    previous = ServiceState.load(STATE_FILE)
    port = previous.port if previous is not None and is_free(previous.port) else free_port()
    argv = [
        server,
        "--bind", HOST,
        "--port", str(port),
        "--dir", str(REDIS_DIR),
        "--appendonly", "yes",
        "--daemonize", "no",
        "--logfile", str(LOG_FILE),
    ]  # fmt: skip
    pid = procs.spawn(argv, log=STDOUT_LOG, cwd=REDIS_DIR)
    state = ServiceState(pid=pid, port=port)
    state.save(STATE_FILE)

    def answers() -> bool:
        if not procs.is_alive(state.pid):
            raise StackError("the redis-server process exited")
        return is_listening(port) and ready(url_of(state)) is None

    try:
        wait_until(answers, timeout=30, what=f"Redis to answer PING on port {port}")
    except StackError as exc:
        procs.stop(pid, grace=5)
        raise StackError(f"Redis did not start: {exc}\n{log_tail()}") from None
    return state


def stop() -> bool:
    """Stop Redis if it runs (it writes its append-only file on SIGTERM); True if it ran."""
    state = ServiceState.load(STATE_FILE)
    if state is None:
        return False
    return procs.stop(state.pid, *_needles(state), grace=15)
