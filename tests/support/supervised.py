"""A worker under ``deploy.local.supervise``, as the local launcher runs it, for tests that crash it.

``kill_worker`` SIGKILLs the worker process, not its supervisor, which starts it again as it
would after any crash; ``stop`` ends both politely (the supervisor passes SIGTERM on), and kills
the process group it started if they do not go in time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from onething.settings import REPO_ROOT, Settings
from tests.support.processes import WorkerProcess

__all__ = ["SupervisedWorker", "children_of"]


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        # After the parenthesised name (which may hold spaces): state, then the parent's pid.
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if int(parent) == pid and state not in {"Z", "X"}:
            found.append(int(entry.name))
    return found


class SupervisedWorker(WorkerProcess):
    """``command`` (an argv, e.g. one of ``deploy.local.workers.ROLES``) under the supervisor."""

    def __init__(
        self,
        settings: Settings,
        role: str,
        command: Sequence[str],
        *,
        log: Path,
        extra_env: dict[str, str] | None = None,
        first_wait: float = 0.5,
    ) -> None:
        super().__init__(settings, [], extra_env=extra_env)
        self.role = role
        self.command = list(command)
        self.first_wait = first_wait
        self.log.unlink(missing_ok=True)  # the temporary file the base made
        self.log = log

    def start(self) -> SupervisedWorker:
        self.started_at = time.monotonic()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        argv = [
            sys.executable, "-m", "deploy.local.supervise", self.role,
            "--first-wait", str(self.first_wait), "--", *self.command,
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                argv,
                cwd=REPO_ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: ``stop`` can end whatever is left
            )
        return self

    def worker_pid(self) -> int | None:
        """The supervised worker's pid, or None between a death and the next start."""
        if self.proc is None:
            return None
        children = children_of(self.proc.pid)
        return children[0] if children else None

    def wait_worker(self, timeout: float, not_pid: int | None = None) -> int:
        """Wait until a worker runs (another than ``not_pid``); its pid."""
        deadline = time.monotonic() + timeout
        while True:
            pid = self.worker_pid()
            if pid is not None and pid != not_pid:
                return pid
            if not self.alive():
                raise AssertionError(f"the {self.role} supervisor died:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the {self.role} worker did not start:\n{self.tail()}")
            time.sleep(0.05)

    def kill_worker(self) -> int:
        """SIGKILL the worker (a crash: no goodbye, no flush); its pid."""
        pid = self.wait_worker(timeout=30)
        os.kill(pid, signal.SIGKILL)
        return pid

    def restarts(self) -> int:
        """How often the supervisor has started the worker again."""
        return self.log.read_text(errors="replace").count('"worker.restarting"')

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
