"""A department adapter behind the data keys: commands opened on the way in, replies sealed on the
way out.

The orchestrator sends personal fields sealed for the case (``contracts.personal``). The adapter,
its HTTP client and the simulators take the command's contract with clear values, so
``SealedAdapter`` opens them in memory for this one call, just before the inner adapter runs; what
the department answers (a death record's certificate number, say) is sealed again for the case
before the participant publishes it, because replies are kept in the case state. The participant
runtime wraps nothing itself: the composition root hands it the adapter wrapped.

A value that does not open is a fault no retry of the same command can fix (a key this deployment
lacks, a value altered or moved from another case): the saga gets a ``failed`` reply that says so,
without the value, and a person looks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from contracts.personal import open_sealed, seal_personal
from contracts.saga import DepartmentCommand
from contracts.sealing import Keyring, SealError
from departments.adapter import DepartmentAdapter, Outcome, PermanentFault

__all__ = ["SealedAdapter", "SealedFieldUnreadable"]


class SealedFieldUnreadable(PermanentFault):
    """A sealed field of a command could not be opened; the message says why, not what."""


class SealedAdapter:
    """``adapter`` seeing clear commands, its replies sealed for their case."""

    def __init__(self, adapter: DepartmentAdapter, keyring: Keyring) -> None:
        self.inner = adapter
        self.keyring = keyring
        self.department = adapter.department

    def __getattr__(self, name: str) -> Any:
        # Anything else the participant may ask of an adapter (``drain`` for the facts a
        # department publishes on its own) is the inner adapter's.
        return getattr(self.inner, name)

    def opened(self, command: DepartmentCommand) -> DepartmentCommand:
        """``command`` with every sealed value of its payload opened for its case."""
        try:
            payload = open_sealed(command.payload, self.keyring, command.case_id)
        except SealError as exc:
            raise SealedFieldUnreadable(f"command {command.command_id}: {exc}") from None
        return command.model_copy(update={"payload": payload})

    async def handle(self, command: DepartmentCommand) -> Outcome:
        outcome = await self.inner.handle(self.opened(command))
        return replace(outcome, data=seal_personal(outcome.data, self.keyring, command.case_id))
