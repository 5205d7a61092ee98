"""The marriage one-thing's demo (``make demo``): marriages and divorces through the running
system."""

from __future__ import annotations

from services.demo import DemoContext, DemoReport

__all__ = ["DEMO_ENVIRONMENT", "run_demo"]

# The divorce periods in seconds, so the demo sees a cooling-off and a deemed withdrawal pass.
DEMO_ENVIRONMENT = {
    "ONETHING_MARRIAGE_COOLING_OFF": "15 second",
    "ONETHING_MARRIAGE_APPEARANCE": "20 second",
}


async def run_demo(context: DemoContext) -> DemoReport:
    """The marriage demo on the running system (``OneThing.demo``)."""
    return DemoReport(cases={}, kinds={})
