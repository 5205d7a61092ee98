"""A window keys file with one window (Sucheng's hall) under a key of the test's choosing, for
tests that run the real window API against the session's stack."""

from __future__ import annotations

import json
from pathlib import Path

from onething.settings import Settings
from tests.unit.window.support import SUCHENG

__all__ = ["with_one_window"]


def with_one_window(settings: Settings, directory: Path, api_key: str) -> Settings:
    """``settings`` reading its window keys from a file in ``directory`` holding one window."""
    entry = {
        "window_id": SUCHENG.window_id,
        "division_code": SUCHENG.division_code,
        "api_key": api_key,
    }
    path = directory / "windows.json"
    path.write_text(json.dumps({"windows": [entry]}), encoding="utf-8")
    return settings.model_copy(update={"window_keys_file": path})
