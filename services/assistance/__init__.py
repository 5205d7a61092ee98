"""帮扶救助一件事 — help and assistance: one application, every programme (一次申请、联动救助)."""

from services.assistance.one_thing import ONE_THING

__all__ = ["ONE_THING"]
