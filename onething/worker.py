"""Run OneThing workers: ``python -m onething.worker --name all --saga pkg.mod:factory
--department pkg.mod:factory --projector``.

A saga factory returns a ``Saga``; a department factory takes ``Settings`` and returns a
``DepartmentAdapter``. Roles given together share one process.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any

import faust

from onething.bootstrap import build_app
from onething.logs import configure_logging
from onething.settings import Settings
from saga.definition import Saga

__all__ = ["main"]


def load(spec: str) -> Callable[..., Any]:
    """``package.module:attribute`` → the attribute."""
    module, _, attribute = spec.partition(":")
    if not attribute:
        raise SystemExit(f"--saga/--department: {spec!r} must look like package.module:factory")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="worker", help="role name; part of the app id")
    parser.add_argument("--saga", action="append", default=[], help="saga factory")
    parser.add_argument("--department", action="append", default=[], help="adapter factory")
    parser.add_argument("--projector", action="store_true", help="project the read model")
    parser.add_argument("--reactor", action="append", default=[], help="fact reactor function")
    parser.add_argument("--loglevel", default="info")
    parser.add_argument("--faust-loglevel", default="warning", help="Faust's own log level")
    args = parser.parse_args(argv)
    settings = Settings()
    settings.refuse_development_secrets()
    configure_logging(args.loglevel.upper(), settings.log_format)
    sagas: dict[str, Saga] = {}
    for spec in args.saga:
        saga = load(spec)()
        sagas[saga.name] = saga
    adapters = []
    for spec in args.department:
        made = load(spec)(settings)  # one adapter, or several from one factory
        adapters += made if isinstance(made, list) else [made]
    reactors = [load(spec) for spec in args.reactor]
    app = build_app(
        settings,
        name=args.name,
        sagas=sagas,
        adapters=adapters,
        projector=args.projector,
        reactors=reactors,
    )
    worker = faust.Worker(app, loglevel=args.faust_loglevel, quiet=True)
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
