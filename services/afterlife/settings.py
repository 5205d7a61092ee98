"""What a deployment may set for the after-death one-thing, from ``ONETHING_AFTERLIFE_*``.

Read once, when the worker builds the step table and its reactor: the table's grace-period timer
and the period recorded in a proactive case's data then always agree within one worker.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Final

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["GRACE_DAYS", "AfterlifeSettings", "GraceDays", "afterlife_settings"]

# How long the next of kin of a hospital-certified death are given to apply before the benefits
# are stopped without them. No rule sets it; a week is what the municipal plans describe [B].
GRACE_DAYS: Final = 7
GraceDays = Annotated[
    int,
    Field(ge=1, le=60, description="Calendar days the family of a proactive case has to apply"),
]


class AfterlifeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONETHING_AFTERLIFE_", extra="ignore")

    grace_days: GraceDays = GRACE_DAYS


@cache
def afterlife_settings() -> AfterlifeSettings:
    return AfterlifeSettings()
