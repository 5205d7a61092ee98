"""The window registry read from a JSON file: each window's id, division and API key.

The file is read once at start-up (configuration, not data). Keys are kept only as SHA-256
digests, so a lookup compares digests rather than the secrets themselves, and a process dump does
not show them. In production the file comes from the secret store; ``window/windows.example.json``
holds demo windows for the local stack.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from contracts.identifiers import CountyCode
from window.ports import Window

__all__ = ["FileWindowRegistry", "WindowEntry", "WindowsFile"]


class WindowEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    window_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    division_code: CountyCode
    name: str = ""
    api_key: str = Field(min_length=16)


class WindowsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    windows: list[WindowEntry]


class FileWindowRegistry:
    def __init__(self, entries: list[WindowEntry]) -> None:
        self._by_digest: dict[str, Window] = {}
        for entry in entries:
            digest = _digest(entry.api_key)
            if digest in self._by_digest:
                raise ValueError(f"window {entry.window_id}: its API key is used by another")
            self._by_digest[digest] = Window(entry.window_id, entry.division_code, entry.name)

    @classmethod
    def from_file(cls, path: Path) -> FileWindowRegistry:
        return cls(WindowsFile.model_validate_json(path.read_bytes()).windows)

    def window_for(self, api_key: str) -> Window | None:
        return self._by_digest.get(_digest(api_key)) if api_key else None


def _digest(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()
