"""Redis key names of the read model, in one place.

Every key starts with ``<deployment prefix>:rm:`` so the model can be flushed and rebuilt without
touching anything else kept in the same Redis (participants' idempotency memory, for one).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Keys"]


@dataclass(frozen=True)
class Keys:
    deployment: str

    @property
    def prefix(self) -> str:
        return f"{self.deployment}:rm"

    def case(self, case_id: str) -> str:
        return f"{self.prefix}:case:{case_id}"

    def steps(self, case_id: str) -> str:
        return f"{self.prefix}:case:{case_id}:steps"

    def timeline(self, case_id: str) -> str:
        return f"{self.prefix}:case:{case_id}:timeline"

    def positions(self, case_id: str) -> str:
        """Where in the event topic the kept version of the case's state, of each step row and
        of each timeline entry was published: what a late or repeated event is compared with."""
        return f"{self.prefix}:case:{case_id}:positions"

    def by_status(self, status: str) -> str:
        return f"{self.prefix}:idx:status:{status}"

    def by_saga(self, saga: str) -> str:
        return f"{self.prefix}:idx:saga:{saga}"

    def by_division(self, division: str) -> str:
        return f"{self.prefix}:idx:division:{division}"

    def deadlines(self) -> str:
        """Open cases by their statutory deadline (epoch seconds): what is due soon or late."""
        return f"{self.prefix}:idx:deadline"

    def overdue(self) -> str:
        return f"{self.prefix}:idx:overdue"

    def read_marks(self) -> str:
        """Partition of the case-events topic → the highest offset the model was given."""
        return f"{self.prefix}:read"

    def clerk_tasks(self, division: str) -> str:
        """Clerk tasks waiting in a division, ``case_id|step`` by deadline (epoch ms; no deadline
        sorts last): the window's task list."""
        return f"{self.prefix}:idx:tasks:{division}"

    def clerk_tasks_due(self) -> str:
        """Every division's waiting clerk tasks by deadline: what the late list adds."""
        return f"{self.prefix}:idx:tasks"

    def awaiting_reply(self) -> str:
        """Steps of open cases awaiting a department's reply, ``case_id|step`` by the time the
        current attempt was dispatched (epoch milliseconds): see ``onething.readmodel.awaiting``."""
        return f"{self.prefix}:idx:awaiting_reply"

    def pattern(self) -> str:
        return f"{self.prefix}:*"
