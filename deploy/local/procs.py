"""Background processes by pid: start one detached, tell whether it still runs, stop it for sure.

Services are started in their own session so that a Ctrl-C in the terminal that ran ``make up``
does not reach them, and so that stopping one signals its whole process group. Before signalling,
the pid's command line is checked against what we started: a recycled pid is never killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["is_alive", "spawn", "stop"]


def spawn(
    argv: Sequence[str],
    *,
    log: Path,
    cwd: Path,
    env: Mapping[str, str] | None = None,
) -> int:
    """Start ``argv`` in the background, its output appended to ``log``; return its pid."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=None if env is None else dict(env),
            start_new_session=True,
        )
    return process.pid


def _reap(pid: int) -> None:
    # A service we started in this same process lingers as a zombie until waited for.
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def is_alive(pid: int, *needles: str) -> bool:
    """Whether ``pid`` runs (not a zombie) and its command line contains every needle."""
    proc = Path("/proc") / str(pid)
    try:
        stat = (proc / "stat").read_text()
        cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    # The state is the field after the parenthesised command name, which may contain spaces.
    state = stat.rsplit(")", 1)[-1].split()[0]
    if state in {"Z", "X"}:
        _reap(pid)
        return False
    return all(needle in cmdline for needle in needles)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        # Not a group leader (or gone already): signal the process alone.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def stop(pid: int, *needles: str, grace: float = 20.0) -> bool:
    """SIGTERM ``pid``'s group, SIGKILL it after ``grace`` seconds; True if it was running."""
    if not is_alive(pid, *needles):
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while is_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if is_alive(pid):
        _signal_group(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while is_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
    _reap(pid)
    return True
