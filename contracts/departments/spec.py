"""What a department command is: its payload model, its replies and the reasons it may refuse.

Each department module publishes ``COMMANDS``, a catalogue of ``CommandSpec`` keyed by command
name. The name *is* the payload class's name (``CancelHukou``) and the success reply's name is the
result class's name (``HukouCancelled``), so a typo cannot make the two drift apart. A saga step
copies ``spec.succeeded`` and ``spec.refused`` into its table; a participant validates an incoming
payload with ``spec.parse`` (a payload that fails is a permanent fault, not a crash) and checks
its answer with ``spec.accepts``. Payloads carry only the fields their step needs (data
minimisation); amounts are integers in fen (分) so sums are exact; months are ``YYYY-MM``.

``HouseholdCheck`` is the one payload shape the household economic check (H2) sends each of its
sources (``contracts.departments.economic_check``); ``HOUSEHOLD_CHECK_REASONS`` are the refusals
every source may answer it with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from contracts.identifiers import ResidentId

__all__ = [
    "COMMON_REASONS",
    "HOUSEHOLD_CHECK_REASONS",
    "CommandKind",
    "CommandPayload",
    "CommandSpec",
    "Fen",
    "HouseholdCheck",
    "HouseholdId",
    "Month",
    "ReasonText",
    "ReplyData",
    "catalogue",
]

Fen = Annotated[int, Field(ge=0, description="An amount in fen (分), 1/100 yuan")]
Month = Annotated[
    str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$"), Field(description="YYYY-MM")
]
ReasonText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
HouseholdId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=40),
    Field(description="户号, a hukou household"),
]


class CommandPayload(BaseModel):
    """The typed body of one command; it travels as ``DepartmentCommand.payload``."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ReplyData(BaseModel):
    """The typed body of a success reply; it travels as ``DepartmentReply.data``."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CommandKind(StrEnum):
    """What a command does to the department's records, which tells a saga where it may sit."""

    ACT = "act"  # changes records: a forward step
    QUERY = "query"  # reads only: safe to repeat, nothing to undo
    COMPENSATE = "compensate"  # undoes a forward step before the pivot
    REVERSE = "reverse"  # corrects a forward step after a legal reversal, with a reason


@dataclass(frozen=True)
class CommandSpec:
    """One command a department accepts, and every reply it may answer with."""

    payload: type[CommandPayload]
    result: type[BaseModel]
    refused: tuple[str, ...] = ()
    reason_codes: tuple[str, ...] = ()
    kind: CommandKind = CommandKind.ACT
    undoes: str | None = None
    summary: str = ""

    @property
    def command(self) -> str:
        return self.payload.__name__

    @property
    def succeeded(self) -> tuple[str, ...]:
        return (self.result.__name__,)

    @property
    def replies(self) -> tuple[str, ...]:
        return self.succeeded + self.refused

    def accepts(self, reply: str, reason_code: str | None = None) -> bool:
        """Whether a reply (and, for a refusal, its reason code) is one this command may send."""
        if reply in self.succeeded:
            return reason_code is None
        return reply in self.refused and reason_code in self.reason_codes

    def parse(self, payload: Mapping[str, Any]) -> CommandPayload:
        """The validated payload; raises ``pydantic.ValidationError`` naming each broken field."""
        return self.payload.model_validate(payload)


def catalogue(*specs: CommandSpec) -> Mapping[str, CommandSpec]:
    """A read-only catalogue keyed by command name, refusing a name declared twice."""
    by_name: dict[str, CommandSpec] = {}
    for spec in specs:
        if spec.command in by_name:
            raise TypeError(f"command {spec.command!r} is declared twice")
        by_name[spec.command] = spec
    return MappingProxyType(by_name)


# Reasons several departments give; a department module adds its own with ``COMMON_REASONS | {}``.
COMMON_REASONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "person_not_found": "查无此人",
        "household_not_found": "查无此户",
        "death_not_certified": "无有效的死亡医学证明",
        "death_still_certified": "死亡医学证明仍然有效，不能恢复",
        "already_enrolled": "已在册，不能重复登记",
        "nothing_to_recover": "没有可追回的款项",
        "not_spouses": "双方不是登记在册的夫妻",
        "consent_missing": "未签署家庭经济状况核对授权书",
    }
)


def _each_once(member_ids: list[str]) -> list[str]:
    if len(set(member_ids)) != len(member_ids):
        raise ValueError("a member is named twice (their figures would count twice)")
    return member_ids


class HouseholdCheck(CommandPayload):
    """H2: what the household economic check asks one source, under the household's signed
    authorisation (家庭经济状况核对授权书): the declared members. Each source has its own command
    (a subclass, adding no field), so each is a step with its own timeout in the saga; every
    source answers counts and amounts for the household, never a name or an ID number."""

    member_ids: Annotated[
        list[ResidentId], Field(min_length=1, max_length=12), AfterValidator(_each_once)
    ]
    consent_signed: bool


# How a source refuses a ``HouseholdCheck``: no signed consent, or a member it does not know
# (the refusal's data names the member by index in ``member_ids``, not by ID number).
HOUSEHOLD_CHECK_REASONS = ("consent_missing", "person_not_found")
