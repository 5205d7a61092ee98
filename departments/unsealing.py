"""Opening a command's sealed fields just before its department's adapter is called.

The orchestrator sends personal fields sealed for the case (``contracts.personal``); the adapter,
its HTTP client and the simulators take the command's contract with clear values, so the
participant opens them here, in memory, for this one call. A value that does not open is a fault
no retry of the same command can fix (a key this deployment lacks, a value altered or moved from
another case): the saga is told with a ``failed`` reply that says so, and a person looks.
"""

from __future__ import annotations

from contracts.personal import open_sealed
from contracts.saga import DepartmentCommand
from contracts.sealing import Keyring, SealError, is_token
from departments.adapter import PermanentFault

__all__ = ["SealedFieldUnreadable", "opened"]


class SealedFieldUnreadable(PermanentFault):
    """A sealed field of a command could not be opened; the message says why, not what."""


def _has_token(value: object) -> bool:
    if isinstance(value, dict):
        return any(_has_token(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_token(item) for item in value)
    return is_token(value)


def opened(command: DepartmentCommand, keyring: Keyring | None) -> DepartmentCommand:
    """``command`` with every sealed value of its payload opened for its case."""
    if keyring is None:
        if _has_token(command.payload):
            raise SealedFieldUnreadable(
                f"command {command.command_id} has sealed fields and this participant holds no"
                " data keys"
            )
        return command
    try:
        payload = open_sealed(command.payload, keyring, command.case_id)
    except SealError as exc:
        raise SealedFieldUnreadable(f"command {command.command_id}: {exc}") from None
    return command.model_copy(update={"payload": payload})
