"""JSON Schema export of the published language: one file per message type, plus the envelope.

Teams that do not use Python read these files, so they are checked in under ``contracts/schemas``
and must match the code: ``python -m contracts.schemas`` rewrites them, ``--check`` exits 1 naming
the stale, missing and extra files (CI and ``tests/unit/test_schemas.py`` run it). Every module of
the ``contracts`` package is imported first, so a new department module's messages are exported
without being listed anywhere. Output is deterministic (sorted keys, two-space indent, Chinese
kept as characters, trailing newline) so a diff shows only real contract changes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

import contracts
from contracts.envelope import Envelope
from contracts.message import registered_types

__all__ = [
    "SCHEMA_DIRECTORY",
    "all_message_modules",
    "export_schemas",
    "main",
    "render_schemas",
    "stale_schemas",
]

SCHEMA_DIRECTORY = Path(__file__).parent / "schemas"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def all_message_modules() -> list[str]:
    """Import every module of the ``contracts`` package (so all messages register); their names."""
    names = []
    for module in pkgutil.walk_packages(contracts.__path__, prefix="contracts."):
        if module.name in (__name__, "contracts.schemas") or module.name.endswith("__main__"):
            continue  # this module is already running; importing it again would run it twice
        importlib.import_module(module.name)
        names.append(module.name)
    return sorted(names)


def _render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _envelope_schema() -> dict[str, Any]:
    schema = Envelope[Any].model_json_schema()
    schema["title"] = "Envelope"
    schema["properties"]["data"] = {
        "description": "The payload: the schema named by `dataschema` (one file per type here).",
        "type": "object",
    }
    return schema


def render_schemas() -> dict[str, str]:
    """File name -> file text for the envelope and every message type ``contracts`` defines."""
    all_message_modules()
    envelope = {"$schema": _DIALECT, "$id": "urn:onething:schema:Envelope:1", **_envelope_schema()}
    files = {"Envelope.json": _render(envelope)}
    for name, message in registered_types().items():
        # Only the published language is exported, not payloads a test or a service declares.
        if not message.__module__.startswith("contracts."):
            continue
        schema = {"$schema": _DIALECT, "$id": message.schema_uri(), **message.model_json_schema()}
        files[f"{name}.json"] = _render(schema)
    return dict(sorted(files.items()))


def stale_schemas(directory: Path = SCHEMA_DIRECTORY) -> list[str]:
    """One line per file that differs from the code: ``stale:``, ``missing:`` or ``extra:``."""
    wanted = render_schemas()
    present = {path.name for path in directory.glob("*.json")}
    problems = [f"missing: {name}" for name in wanted if name not in present]
    problems += [
        f"stale: {name}"
        for name, text in wanted.items()
        if name in present and (directory / name).read_text(encoding="utf-8") != text
    ]
    problems += [f"extra: {name}" for name in sorted(present - wanted.keys())]
    return problems


def export_schemas(directory: Path = SCHEMA_DIRECTORY) -> list[Path]:
    """Write every schema into ``directory`` and delete schema files no type produces any more."""
    directory.mkdir(parents=True, exist_ok=True)
    wanted = render_schemas()
    for path in directory.glob("*.json"):
        if path.name not in wanted:
            path.unlink()
    written = []
    for name, text in wanted.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m contracts.schemas [--check] [--directory DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m contracts.schemas", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1")
    parser.add_argument("--directory", type=Path, default=SCHEMA_DIRECTORY)
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_schemas(args.directory)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run `python -m contracts.schemas` to regenerate", file=sys.stderr)
        return 1 if problems else 0
    written = export_schemas(args.directory)
    print(f"wrote {len(written)} schemas to {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
