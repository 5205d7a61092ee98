"""``python -m deploy.demo.worker --datadir DIR``: run the demo's Faust app as a worker process.

Kafka, Redis and the topic prefix come from ``onething.settings.Settings`` (environment, then
``.stack/env``). The worker runs until SIGTERM; Faust can take a while to shut down, so whoever
started it should follow up with SIGKILL after a grace period (``deploy.local.procs.stop`` does).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import faust

from deploy.demo.app import build_app
from onething.settings import Settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.demo.worker", description=__doc__)
    parser.add_argument("--datadir", type=Path, required=True, help="Faust's local state folder")
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)
    args.datadir.mkdir(parents=True, exist_ok=True)
    app = build_app(Settings(), args.datadir)
    worker = faust.Worker(app, loglevel=args.loglevel, workdir=args.datadir)
    worker.execute_from_commandline()  # runs until SIGTERM, then exits the process


if __name__ == "__main__":
    main()
