"""What a deployment may set for the marriage one-thing, from ``ONETHING_MARRIAGE_*``.

The two periods of a divorce by agreement are the Civil Code's (民法典 art. 1077): 30 calendar
days of cooling-off from the day after the application, then 30 days for both parties to come
back to the office, else the application is deemed withdrawn. They are settings only so that the
demo can run them in seconds (``"20 second"``); a deployment leaves them as they are. Read once,
when the worker builds the divorce table.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Final

from pydantic import AfterValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from saga.definition import Deadline, DeadlineUnit

__all__ = ["STATUTORY_PERIOD", "MarriageSettings", "Period", "marriage_settings", "period"]

STATUTORY_PERIOD: Final = "30 calendar_day"
_UNITS = tuple(u.value for u in DeadlineUnit if u is not DeadlineUnit.ON_THE_SPOT)


def _check_period(text: str) -> str:
    value, _, unit = text.strip().partition(" ")
    if not value.isdigit() or int(value) < 1 or unit not in _UNITS:
        raise ValueError(
            f"a period reads '<count> <unit>' with a count of at least 1 and a unit among"
            f" {', '.join(_UNITS)}, e.g. '30 calendar_day'; got {text!r}"
        )
    return f"{int(value)} {unit}"


Period = Annotated[
    str,
    AfterValidator(_check_period),
    Field(description="'<count> <unit>', e.g. '30 calendar_day' (the statute's)"),
]


def period(text: str, *, withdraws: bool = False) -> Deadline:
    """A period setting as the table's ``Deadline``; ``withdraws``: its end withdraws the case."""
    value, unit = _check_period(text).split(" ")
    return Deadline(int(value), DeadlineUnit(unit), withdraws=withdraws)


class MarriageSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONETHING_MARRIAGE_", extra="ignore")

    cooling_off: Period = STATUTORY_PERIOD  # 离婚冷静期
    appearance: Period = STATUTORY_PERIOD  # both come back within it, else deemed withdrawn


@cache
def marriage_settings() -> MarriageSettings:
    return MarriageSettings()
