"""Every department's command catalogue in one place, for code that serves or checks them all.

A participant runtime looks a command up here to validate its payload; the HTTP edge, the fault
injector and the contract tests use it to find the refusal reply a command sends and the Chinese
text of a reason code; a saga's row finds its department and command from the payload model its
builder returns (``command_of``), each model being the payload of exactly one command.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from contracts.departments import (
    Department,
    banks,
    civil_affairs,
    disabled_federation,
    e_licence,
    funeral_services,
    health,
    housing_fund,
    market_regulation,
    medical_insurance,
    platform,
    public_security,
    real_estate,
    social_security,
    tax,
)
from contracts.departments.spec import CommandPayload, CommandSpec

__all__ = ["CATALOGUE", "REASONS", "UnknownCommand", "command_of", "reason_text", "spec_for"]


class UnknownCommand(LookupError):
    """A department was sent a command it does not accept."""


_MODULES = (
    public_security,
    civil_affairs,
    funeral_services,
    social_security,
    medical_insurance,
    health,
    housing_fund,
    disabled_federation,
    e_licence,
    tax,
    real_estate,
    market_regulation,
    banks,
    platform,
)

CATALOGUE: Mapping[Department, Mapping[str, CommandSpec]] = MappingProxyType(
    {module.DEPARTMENT: module.COMMANDS for module in _MODULES}
)
REASONS: Mapping[Department, Mapping[str, str]] = MappingProxyType(
    {module.DEPARTMENT: module.REASONS for module in _MODULES}
)


def _by_payload() -> Mapping[type[CommandPayload], tuple[Department, CommandSpec]]:
    found: dict[type[CommandPayload], tuple[Department, CommandSpec]] = {}
    for department, commands in CATALOGUE.items():
        for spec in commands.values():
            if spec.payload in found:
                raise TypeError(f"{spec.command} is the payload of two departments' commands")
            found[spec.payload] = (department, spec)
    return MappingProxyType(found)


_BY_PAYLOAD = _by_payload()


def spec_for(department: Department | str, command: str) -> CommandSpec:
    """The spec of ``command`` at ``department``, or ``UnknownCommand`` saying which is unknown."""
    try:
        commands = CATALOGUE[Department(department)]
    except ValueError:
        raise UnknownCommand(f"department {department!r} is not known") from None
    try:
        return commands[command]
    except KeyError:
        raise UnknownCommand(f"{department} does not accept command {command!r}") from None


def reason_text(department: Department | str, reason_code: str) -> str:
    """The Chinese text of a reason code, or the code itself if the department has no text."""
    return REASONS[Department(department)].get(reason_code, reason_code)


def command_of(payload: type) -> tuple[Department, CommandSpec]:
    """The department and spec of the one command whose payload model is ``payload``, or
    ``UnknownCommand`` when no department accepts it."""
    try:
        return _BY_PAYLOAD[payload]
    except (KeyError, TypeError):  # TypeError: not hashable, so not a model at all
        name = getattr(payload, "__qualname__", repr(payload))
        raise UnknownCommand(f"no department accepts {name} as a command's payload") from None
