"""Factories the worker command line uses to serve departments with the reference simulators.

``python -m onething.worker --department departments.local:simulators`` serves every department
(or those named in ``ONETHING_DEPARTMENTS``) from one process over one seeded synthetic world, as
local runs and the demo want. An integration team replaces this factory with one returning its
own adapters, e.g. ``departments.http.client.HttpAdapter`` for a department reached over HTTP.

With ``ONETHING_SIMULATOR_JOURNAL_DIR`` set, the simulators journal what they apply and replay it
at start-up (``departments.simulators.journal``), in a subdirectory per seeded population: a
journal applied to another world would describe records that world does not have.
"""

from __future__ import annotations

from pathlib import Path

from contracts.departments import Department
from departments.adapter import DepartmentAdapter
from departments.faults import FaultConfig, FaultyAdapter
from departments.population import generate
from departments.simulators import build_simulators
from departments.simulators.journal import SimulatorJournal
from onething.settings import Settings

__all__ = ["journal_directory", "simulators", "wanted"]


def wanted(settings: Settings) -> set[Department]:
    """The departments this worker serves, from ``settings.departments``."""
    if settings.departments.strip() in ("", "all"):
        return set(Department)
    names = {name.strip() for name in settings.departments.split(",") if name.strip()}
    unknown = names - {d.value for d in Department}
    if unknown:
        raise SystemExit(f"ONETHING_DEPARTMENTS: unknown department(s) {sorted(unknown)}")
    return {Department(name) for name in names}


def journal_directory(settings: Settings) -> Path | None:
    """Where this population's simulator journals are, or None when they keep memory only."""
    if settings.simulator_journal_dir is None:
        return None
    population = f"population-{settings.population_seed}-{settings.population_size}"
    return settings.simulator_journal_dir / population


def simulators(settings: Settings) -> list[DepartmentAdapter]:
    """A simulator per wanted department, all over one world seeded from the settings (and
    brought up to date from their journals, if kept), each wrapped in its fault plan when
    ``ONETHING_FAULTS`` gives one."""
    world = generate(settings.population_seed, settings.population_size)
    chosen = wanted(settings)
    served = {d: sim for d, sim in build_simulators(world).items() if d in chosen}
    directory = journal_directory(settings)
    if directory is not None:
        SimulatorJournal(directory).attach(served)
    faults = FaultConfig.from_env()
    adapters: list[DepartmentAdapter] = []
    for dept, sim in served.items():
        plan = faults.departments.get(dept)
        adapters.append(FaultyAdapter(sim, plan) if plan is not None else sim)
    return adapters
