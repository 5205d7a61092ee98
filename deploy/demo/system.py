"""Where the running local system is, for the demos: the two APIs, the window keys, readiness.

``make workers`` starts the orchestrator (with the projector), the department simulators, the
window API and the ops API; ``wait_until_ready`` returns once all of them can take work.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from confluent_kafka import KafkaException

from onething.kafka import admin_client
from onething.settings import LOCAL_OPS_KEY, REPO_ROOT, Settings

__all__ = [
    "ops_base",
    "ops_headers",
    "ops_key_for_display",
    "wait_until_ready",
    "window_base",
    "windows",
]


def windows(settings: Settings) -> dict[str, str]:
    """Division code → that window's API key, from the window keys file."""
    path = Path(settings.window_keys_file)
    path = path if path.is_absolute() else REPO_ROOT / path
    return {w["division_code"]: w["api_key"] for w in json.loads(path.read_text())["windows"]}


def window_base(settings: Settings) -> str:
    return f"http://{settings.window_host}:{settings.window_port}"


def ops_base(settings: Settings) -> str:
    return f"http://{settings.ops_host}:{settings.ops_port}"


def ops_headers(settings: Settings) -> dict[str, str]:
    return {"X-Ops-Key": settings.ops_api_key.get_secret_value()}


def ops_key_for_display(settings: Settings) -> str:
    """The built-in development key may be printed; a real one never is."""
    key = settings.ops_api_key.get_secret_value()
    return key if key == LOCAL_OPS_KEY else "$ONETHING_OPS_API_KEY"


def _answers(url: str, headers: dict[str, str] | None = None) -> bool:
    try:
        return httpx.get(url, headers=headers, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until_ready(settings: Settings, timeout: float = 90) -> None:
    """Wait until the orchestrator's and the departments' consumer groups are stable and both
    APIs answer (the ops API's document only with the key): work sent while a Faust worker is
    still joining its group can stall (see the README's known issues)."""
    admin = admin_client(settings)
    groups = [f"{settings.topic_prefix}-orchestrator", f"{settings.topic_prefix}-departments"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            described = admin.describe_consumer_groups(groups)
            states = [str(f.result(10).state) for f in described.values()]
        except (KafkaException, TimeoutError):  # the group coordinator is still loading
            states = []
        api_up = _answers(f"{window_base(settings)}/docs") and _answers(
            f"{ops_base(settings)}/openapi.json", ops_headers(settings)
        )
        if api_up and states and all(s.endswith("STABLE") for s in states):
            time.sleep(2)  # let recovery finish after the group settles
            return
        time.sleep(1)
    raise SystemExit("the workers did not become ready; see .stack/workers/*.log")
