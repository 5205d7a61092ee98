"""``python -m deploy.local.supervise ROLE -- COMMAND...``: run a local worker and start it again
whenever it dies, so one crash (Redis gone, an out-of-memory kill) does not leave a role down.

The launcher (``deploy.local.workers``) starts every role under this. A child that ran for a
minute or more is restarted at once; one that keeps dying waits longer each time (doubling, at
most 30 s), so a role that cannot start does not spin. SIGTERM or SIGINT (``make down``, which
signals the whole process group) stops the child and this supervisor with it, with no restart.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from types import FrameType

__all__ = ["backoff", "main"]

STEADY_SECONDS = 60.0  # a child that lived this long had been working: restart it at once
LONGEST_WAIT = 30.0


def backoff(quick_failures: int, first: float) -> float:
    """Seconds to wait before the next start, after ``quick_failures`` deaths in a row."""
    return 0.0 if quick_failures == 0 else min(LONGEST_WAIT, first * 2 ** (quick_failures - 1))


def _say(role: str, event: str, **fields: object) -> None:
    # One JSON line, like every other log line of the local stack.
    line = {"event": event, "role": role, "timestamp": datetime.now(UTC).isoformat(), **fields}
    print(json.dumps(line), flush=True)


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role")
    parser.add_argument("--first-wait", type=float, default=1.0, help="seconds; doubles")
    # Everything after ``--`` is the command, options included, untouched by this parser.
    split = words.index("--") if "--" in words else len(words)
    args = parser.parse_args(words[:split])
    command = words[split + 1 :]
    if not command:
        parser.error("give the command to supervise after --")
    stopping = threading.Event()  # set by the signal handler

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    quick_failures, code = 0, 0
    while not stopping.is_set():
        started = time.monotonic()
        child = subprocess.Popen(command)
        ended = _wait(child)
        while ended is None:
            if stopping.is_set():
                child.terminate()  # a signal to this process alone, not to the group
            ended = _wait(child)
        code = ended
        if stopping.is_set():
            break
        lived = time.monotonic() - started
        quick_failures = 0 if lived >= STEADY_SECONDS else quick_failures + 1
        wait = backoff(quick_failures, args.first_wait)
        _say(args.role, "worker.restarting", exit_code=code, lived_s=round(lived, 1), wait_s=wait,
             action="see the lines above for why it died; it is being started again")  # fmt: skip
        deadline = time.monotonic() + wait
        while not stopping.is_set() and time.monotonic() < deadline:
            time.sleep(0.1)
    return code


def _wait(child: subprocess.Popen[bytes]) -> int | None:
    try:
        return child.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        return None


if __name__ == "__main__":
    sys.exit(main())
