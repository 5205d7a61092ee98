"""``python -m deploy.demo`` (``make demo``): one round trip through the running stack, as a table.

It provisions the catalog (idempotent), starts a Faust worker, publishes a handful of pings,
waits until the worker has recorded every one in Redis, stops the worker and prints what went
through. The stack itself is left running: ``make down`` stops it.
"""

from __future__ import annotations

import sys
import time
import unicodedata
import uuid

from deploy.demo.roundtrip import make_pings, publish, running_worker, wait_recorded
from deploy.local.common import REPO_ROOT, STACK_DIR
from deploy.topics import provision
from onething.settings import Settings


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(c, widths[i]) for i, c in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    settings = Settings()
    provision(settings)
    run_id = uuid.uuid4().hex[:8]
    pings = make_pings(run_id)
    print(f"kafka {settings.kafka_bootstrap}, redis {settings.redis_url}, run {run_id}")
    started = time.monotonic()
    with running_worker(settings, STACK_DIR / "demo") as worker:
        publish(settings, pings)
        print(f"published {len(pings)} pings to {settings.topic('demo.pings')}; waiting...")
        try:
            records = wait_recorded(settings, worker, [ping.id for ping in pings])
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    rows = [["seq", "partition", "offset", "case (key)", "text"]]
    for ping in pings:
        record = records[ping.id]
        rows.append(
            [
                str(record["seq"]),
                str(record["partition"]),
                str(record["offset"]),
                record["subject"],
                record["text"],
            ]
        )
    print(_table(rows))
    print(
        f"all {len(pings)} pings went Kafka -> Faust agent -> Redis "
        f"in {time.monotonic() - started:.1f}s (worker log: {worker.log.relative_to(REPO_ROOT)})"
    )
    print("The stack is still running; stop it with: make down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
