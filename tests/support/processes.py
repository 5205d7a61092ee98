"""Worker processes for integration tests: started with the session's settings, stopped politely
or killed with SIGKILL, their output kept in a log file for when a test fails."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from onething.settings import REPO_ROOT, Settings

__all__ = ["WorkerProcess", "free_port"]


def free_port() -> int:
    """A loopback port nothing listens on now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WorkerProcess:
    def __init__(
        self,
        settings: Settings,
        args: Sequence[str],
        session_timeout: float = 8.0,
        extra_env: dict[str, str] | None = None,
        module: str = "onething.worker",
    ):
        self.module = module
        self.settings = settings
        self.args = list(args)
        self.extra_env = extra_env or {}
        self.session_timeout = session_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0  # time.monotonic() of the last start
        self.log = Path(tempfile.mkstemp(prefix="onething-worker-", suffix=".log")[1])

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            ONETHING_KAFKA_BOOTSTRAP=self.settings.kafka_bootstrap,
            ONETHING_REDIS_URL=self.settings.redis_url,
            ONETHING_TOPIC_PREFIX=self.settings.topic_prefix,
            ONETHING_CONSUMER_SESSION_TIMEOUT=str(self.session_timeout),
            ONETHING_LOG_FORMAT="json",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> WorkerProcess:
        self.started_at = time.monotonic()
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", self.module, *self.args],
                cwd=REPO_ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no goodbye to the group, no flush, no commit: a crash."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])
