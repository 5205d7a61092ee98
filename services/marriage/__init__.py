"""结婚一件事 — marriage registration and what follows it (M0–M11 in ONE-THINGS.md), and divorce
by agreement (协议离婚) with its cooling-off, on the same service. See the README beside this
file for the flow."""

from services.marriage.one_thing import ONE_THING
from services.marriage.saga import divorce_saga, marriage_saga

__all__ = ["ONE_THING", "divorce_saga", "marriage_saga"]
