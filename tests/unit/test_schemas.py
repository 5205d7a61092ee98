"""The checked-in JSON Schemas match the code, and the exporter reports every kind of drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contracts.schemas import all_message_modules, export_schemas, main, stale_schemas


def test_the_checked_in_schemas_match_the_message_types() -> None:
    problems = stale_schemas()
    assert [] == problems, (
        "contracts/schemas is out of date with the code; run `python -m contracts.schemas` and "
        "commit the result:\n  " + "\n  ".join(problems)
    )


def test_every_contracts_module_is_imported_so_new_ones_are_exported() -> None:
    assert {"contracts.saga", "contracts.lifecycle", "contracts.departments"} <= set(
        all_message_modules()
    )


def test_an_exported_directory_has_nothing_stale(tmp_path: Path) -> None:
    export_schemas(tmp_path)
    assert [] == stale_schemas(tmp_path)


def test_a_message_schema_is_identified_by_the_envelope_s_dataschema(tmp_path: Path) -> None:
    export_schemas(tmp_path)
    schema = json.loads((tmp_path / "CaseEvent.json").read_text(encoding="utf-8"))
    assert "urn:onething:schema:CaseEvent:1" == schema["$id"]


def test_two_exports_write_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    export_schemas(first)
    export_schemas(second)
    assert {p.name: p.read_bytes() for p in first.iterdir()} == {
        p.name: p.read_bytes() for p in second.iterdir()
    }


def test_drift_is_reported_as_stale_missing_and_extra(tmp_path: Path) -> None:
    export_schemas(tmp_path)
    (tmp_path / "StartCase.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "Signal.json").unlink()
    (tmp_path / "RetiredMessage.json").write_text("{}\n", encoding="utf-8")
    assert ["missing: Signal.json", "stale: StartCase.json", "extra: RetiredMessage.json"] == (
        stale_schemas(tmp_path)
    )


def test_exporting_again_removes_schemas_no_type_produces(tmp_path: Path) -> None:
    (tmp_path / "RetiredMessage.json").write_text("{}\n", encoding="utf-8")
    export_schemas(tmp_path)
    assert not (tmp_path / "RetiredMessage.json").exists()


def test_check_exits_1_and_says_how_to_regenerate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = main(["--check", "--directory", str(tmp_path)])
    assert (1, "run `python -m contracts.schemas` to regenerate") == (
        exit_code,
        capsys.readouterr().err.splitlines()[-1],
    )


def test_check_exits_0_on_a_fresh_export(tmp_path: Path) -> None:
    main(["--directory", str(tmp_path)])
    assert 0 == main(["--check", "--directory", str(tmp_path)])
