"""A scenario's command answered by the department simulator it is for, as the participant
runtime would hand it over: the tests of a one-thing against the simulators share this."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from contracts.departments import Department
from departments.adapter import DepartmentAdapter
from saga.testing import Scenario

__all__ = ["answer_from"]


def answer_from(
    scenario: Scenario, simulators: Mapping[Department, DepartmentAdapter], step: str
) -> None:
    """Hand ``step``'s latest command to its department's simulator and deliver the answer."""
    command = scenario.latest(step)
    outcome = asyncio.run(simulators[Department(command.department)].handle(command))
    scenario.reply(
        step,
        outcome.outcome,
        reply=outcome.reply,
        reason_code=outcome.reason_code,
        reason=outcome.reason,
        data=outcome.data,
        command=command,
    )
