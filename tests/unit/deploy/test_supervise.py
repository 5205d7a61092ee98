"""The local supervisor starts a worker again when it dies, waits longer when it keeps dying,
and stops, child and all, on SIGTERM without starting it again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from deploy.local.supervise import LONGEST_WAIT, backoff
from onething.settings import REPO_ROOT


def test_a_child_that_kept_working_is_restarted_at_once_one_that_keeps_dying_waits_longer() -> None:
    assert [0.0, 1.0, 2.0, 4.0, LONGEST_WAIT] == [backoff(n, 1.0) for n in (0, 1, 2, 3, 9)]


def test_a_dead_worker_is_started_again_and_sigterm_stops_both_for_good(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    # Each start leaves a line; the child dies at once the first two times, then keeps running.
    child = (
        "import pathlib, sys, time; p = pathlib.Path(sys.argv[1]);"
        " p.open('a').write('x\\n'); n = len(p.read_text().splitlines());"
        " sys.exit(1) if n < 3 else time.sleep(60)"
    )
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "deploy.local.supervise", "test", "--first-wait", "0.1", "--",
         sys.executable, "-c", child, str(starts)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (
        starts.exists() and len(starts.read_text().splitlines()) >= 3
    ):
        time.sleep(0.1)
    assert 3 == len(starts.read_text().splitlines())

    os.killpg(supervisor.pid, signal.SIGTERM)  # as `make down` does: the whole group
    supervisor.wait(timeout=20)
    time.sleep(0.5)
    assert 3 == len(starts.read_text().splitlines())  # not started again
    output = supervisor.stdout.read().decode() if supervisor.stdout else ""
    assert 2 == output.count('"worker.restarting"')
