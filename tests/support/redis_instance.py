"""A Redis of one test's own, to kill and start again: the system's ``redis-server`` on a free
loopback port, with its append-only file (fsync every second, as the local stack runs it) in a
temporary directory. The session's shared Redis is never the one killed."""

from __future__ import annotations

import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from deploy.local.ports import HOST, free_port

__all__ = ["RedisInstance"]


class RedisInstance:
    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="onething-redis-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> RedisInstance:
        server = shutil.which("redis-server")
        assert server is not None, "redis-server is not on PATH (make up installs it)"
        self.proc = subprocess.Popen(
            [server, "--bind", HOST, "--port", str(self.port), "--dir", str(self.dir),
             "--appendonly", "yes", "--save", "", "--daemonize", "no",
             "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
                try:
                    client.ping()
                    return self
                finally:
                    client.close()
            except redis.RedisError:
                assert self.proc.poll() is None, (self.dir / "redis.log").read_text()
                assert time.monotonic() < deadline, "redis-server did not answer within 20 s"
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: what the append-only file had not synced is lost."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def wipe(self) -> None:
        """Lose everything, as a Redis without persistence (or a new node) comes back."""
        assert self.proc is None or self.proc.poll() is not None, "kill it first"
        for item in self.dir.iterdir():
            if item.name != "redis.log":
                if item.is_dir():
                    shutil.rmtree(item)
                else:
                    item.unlink()

    def stop(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
