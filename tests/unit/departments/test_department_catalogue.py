"""The published catalogue is consistent: names follow the conventions, every reason has a
Chinese text, every undo names a real command, and every simulator routes every command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contracts.departments import Department
from contracts.departments.catalogue import CATALOGUE, REASONS, UnknownCommand, spec_for
from contracts.departments.spec import CommandKind, CommandSpec
from contracts.message import registered_types
from departments.simulators import SIMULATORS
from departments.world import World

_CJK = re.compile(r"[\u4e00-\u9fff]")
SPECS = [(d, s) for d, commands in CATALOGUE.items() for s in commands.values()]
IDS = [f"{d.value}:{s.command}" for d, s in SPECS]


def test_every_department_publishes_a_catalogue_and_has_a_simulator() -> None:
    assert set(Department) == set(CATALOGUE) == set(SIMULATORS)


def test_every_simulator_routes_exactly_its_catalogue(world: World) -> None:
    for department, simulator in SIMULATORS.items():
        assert department == simulator(world).department  # the constructor checks the routes


@pytest.mark.parametrize(("department", "spec"), SPECS, ids=IDS)
def test_names_follow_the_conventions(department: Department, spec: CommandSpec) -> None:
    assert not spec.command.endswith(("ed", "Refused"))
    assert all(not r.endswith("Refused") for r in spec.succeeded)
    assert all(r.endswith("Refused") for r in spec.refused)
    assert bool(spec.refused) == bool(spec.reason_codes)


@pytest.mark.parametrize(("department", "spec"), SPECS, ids=IDS)
def test_every_reason_code_is_snake_case_with_a_chinese_text(
    department: Department, spec: CommandSpec
) -> None:
    for code in spec.reason_codes:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code)
        assert _CJK.search(REASONS[department][code]), code


@pytest.mark.parametrize(("department", "spec"), SPECS, ids=IDS)
def test_an_undo_names_a_forward_command_of_the_same_department(
    department: Department, spec: CommandSpec
) -> None:
    undoing = spec.kind in (CommandKind.COMPENSATE, CommandKind.REVERSE)
    assert undoing == (spec.undoes is not None)
    if spec.undoes is not None:
        assert CATALOGUE[department][spec.undoes].kind is CommandKind.ACT


@pytest.mark.parametrize(("department", "spec"), SPECS, ids=IDS)
def test_payloads_are_frozen_and_refuse_unknown_fields(
    department: Department, spec: CommandSpec
) -> None:
    assert spec.payload.model_config.get("frozen") is True
    assert spec.payload.model_config.get("extra") == "forbid"


def test_department_events_are_registered_messages() -> None:
    assert {
        "DeathCertified",
        "DeathRetracted",
        "HouseholdChanged",
        "DeathConfirmed",
        "DeathConfirmationRevoked",
        "MarriageRegistered",
        "DivorceRegistered",
    } <= set(registered_types())


def test_an_unknown_command_names_what_is_unknown() -> None:
    with pytest.raises(UnknownCommand, match="IssuePassport"):
        spec_for(Department.PUBLIC_SECURITY, "IssuePassport")


def test_the_departments_readme_lists_every_command() -> None:
    readme = (Path(__file__).parents[3] / "departments" / "README.md").read_text(encoding="utf-8")

    assert [s.command for _, s in SPECS if f"`{s.command}`" not in readme] == []
