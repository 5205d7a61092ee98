"""A fresh synthetic world per test: simulators change it, so no test sees another's changes."""

from __future__ import annotations

import pytest

from departments.population import generate
from departments.world import World


@pytest.fixture
def world() -> World:
    return generate(seed=7, people=600)
