"""What the stack remembers about a service it started: pid and ports, one JSON file per service.

The record outlives the process on purpose: after a crash or a reboot, ``up`` finds the old ports
in it and takes them again when they are free, so a restarted broker keeps its data and addresses.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["ServiceState"]


@dataclass(frozen=True)
class ServiceState:
    """A started service: its pid and the loopback ports it was told to listen on."""

    pid: int
    port: int
    controller_port: int | None = None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self)) + "\n")
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> ServiceState | None:
        """The saved record, or None when there is none or it cannot be read."""
        try:
            raw = json.loads(path.read_text())
            return cls(
                pid=int(raw["pid"]),
                port=int(raw["port"]),
                controller_port=(
                    None if raw.get("controller_port") is None else int(raw["controller_port"])
                ),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
