"""Run OneThing workers: ``python -m onething.worker --name all --one-things --department
pkg.mod:factory --projector``.

``--one-things`` serves every saga and reactor of the registry (``services.registry``: each
``services/<thing>/`` and ``ONETHING_EXTRA_ONE_THINGS``); ``--saga pkg.mod:factory`` and
``--reactor pkg.mod:function`` add single ones (a saga factory returns a ``Saga``). A department
factory takes ``Settings`` and returns a ``DepartmentAdapter`` (or a list). Roles given together
share one process.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import Any

import faust
from pydantic import ValidationError

from contracts.envelope import describe_errors
from onething.bootstrap import build_app
from onething.logs import configure_logging
from onething.settings import Settings
from saga.versions import SagaSource
from services.registry import OneThing, one_things

__all__ = ["main"]


def load(spec: str) -> Callable[..., Any]:
    """``package.module:attribute`` → the attribute."""
    module, _, attribute = spec.partition(":")
    if not attribute:
        raise SystemExit(f"--saga/--department: {spec!r} must look like package.module:factory")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


def check_settings(thing: OneThing) -> None:
    """Read a one-thing's settings now: a bad value stops the worker, naming the variable."""
    if thing.settings is None:
        return
    try:
        thing.settings()
    except ValidationError as exc:
        prefix = str(thing.settings.model_config.get("env_prefix", "")).upper()
        raise SystemExit(f"one-thing {thing.name}: {prefix}*: {describe_errors(exc)}") from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="worker", help="role name; part of the app id")
    parser.add_argument(
        "--one-things", action="store_true", help="every saga and reactor of the registry"
    )
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
    registry = one_things(settings.extra_one_things) if args.one_things else {}
    for thing in registry.values():
        check_settings(thing)
    # Tables, lists of versions or SagaVersions: the orchestrator gathers versions by name.
    sagas: list[SagaSource] = [s for thing in registry.values() for s in thing.sagas()]
    sagas += [load(spec)() for spec in args.saga]
    adapters = []
    for spec in args.department:
        made = load(spec)(settings)  # one adapter, or several from one factory
        adapters += made if isinstance(made, list) else [made]
    reactors = [r for thing in registry.values() for r in thing.reactors]
    reactors += [load(spec) for spec in args.reactor]
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
