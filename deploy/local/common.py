"""Shared pieces of the local stack: where its state lives, its one error type, and bounded waiting.

Every failure to bring a service up is raised as ``StackError`` with a message a person can act on
(what failed, and the tail of the relevant log), so ``make up`` and the test fixture can show it as
is. This module imports only the standard library: ``make down`` must work without the venv.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["REPO_ROOT", "STACK_DIR", "StackError", "tail", "wait_until"]

REPO_ROOT = Path(__file__).resolve().parents[2]
STACK_DIR = REPO_ROOT / ".stack"


class StackError(RuntimeError):
    """The local stack could not be brought to the state asked for; ``str()`` says why."""


def wait_until(
    check: Callable[[], bool], *, timeout: float, interval: float = 0.2, what: str
) -> None:
    """Poll ``check`` until true, or raise ``StackError`` naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if time.monotonic() >= deadline:
            raise StackError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, or a note that it does not exist (for error messages)."""
    try:
        with path.open("rb") as handle:
            # Logs can be large; reading the last 64 KiB is enough for a few dozen lines.
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 65536))
            text = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return f"({path} does not exist)"
    return "\n".join(text.splitlines()[-lines:])
