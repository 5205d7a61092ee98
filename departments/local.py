"""Factories the worker command line uses to serve departments with the reference simulators.

``python -m onething.worker --department departments.local:simulators`` serves every department
(or those named in ``ONETHING_DEPARTMENTS``) from one process over one seeded synthetic world, as
local runs and the demo want. An integration team replaces this factory with one returning its
own adapters, e.g. ``departments.http.client.HttpAdapter`` for a department reached over HTTP.
"""

from __future__ import annotations

from contracts.departments import Department
from departments.adapter import DepartmentAdapter
from departments.faults import FaultConfig, FaultyAdapter
from departments.population import generate
from departments.simulators import build_simulators
from onething.settings import Settings

__all__ = ["simulators", "wanted"]


def wanted(settings: Settings) -> set[Department]:
    """The departments this worker serves, from ``settings.departments``."""
    if settings.departments.strip() in ("", "all"):
        return set(Department)
    names = {name.strip() for name in settings.departments.split(",") if name.strip()}
    unknown = names - {d.value for d in Department}
    if unknown:
        raise SystemExit(f"ONETHING_DEPARTMENTS: unknown department(s) {sorted(unknown)}")
    return {Department(name) for name in names}


def simulators(settings: Settings) -> list[DepartmentAdapter]:
    """A simulator per wanted department, all over one world seeded from the settings, each
    wrapped in its fault plan when ``ONETHING_FAULTS`` gives one."""
    world = generate(settings.population_seed, settings.population_size)
    chosen = wanted(settings)
    faults = FaultConfig.from_env()
    adapters: list[DepartmentAdapter] = []
    for dept, sim in build_simulators(world).items():
        if dept in chosen:
            plan = faults.departments.get(dept)
            adapters.append(FaultyAdapter(sim, plan) if plan is not None else sim)
    return adapters
