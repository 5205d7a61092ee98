"""Typed configuration, read once at start-up from ``ONETHING_*`` environment variables.

Defaults point at the local stack that ``make up`` starts; ``make up`` also writes the addresses it
chose into ``.stack/env``, which is read here when the variables are not set, so every command and
test finds the running stack without being told.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from onething.keys import LOCAL_DATA_KEYS, refuse_development_data_keys

__all__ = [
    "LOCAL_CASE_ID_KEY",
    "LOCAL_DATA_KEYS",
    "LOCAL_OPS_KEY",
    "Settings",
    "STACK_ENV_FILE",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
STACK_ENV_FILE = REPO_ROOT / ".stack" / "env"
# Development secrets, refused outside ``ONETHING_ENVIRONMENT=local``.
LOCAL_OPS_KEY = "ops-local-key"
LOCAL_CASE_ID_KEY = "onething-local-case-id-key"


class Settings(BaseSettings):
    """Where Kafka and Redis are, and how this deployment names its topics."""

    model_config = SettingsConfigDict(
        env_prefix="ONETHING_", env_file=STACK_ENV_FILE, extra="ignore"
    )

    kafka_bootstrap: str = "127.0.0.1:9092"
    redis_url: str = "redis://127.0.0.1:6379/0"
    topic_prefix: str = "onething"
    replication_factor: int = 1
    log_format: str = "auto"  # auto | json | console
    # One-things defined outside ``services/`` to serve too (``package.module:ONE_THING``,
    # comma-separated): a deployment's own, or a test's.
    extra_one_things: str = ""
    # The synthetic population the reference simulators share (departments.local).
    population_seed: int = 7
    population_size: int = 20000
    departments: str = "all"  # comma-separated department ids a participants worker serves
    # Where the reference simulators write down every command they apply, a file per department,
    # and read it back at start-up (departments.simulators.journal), so that a restarted
    # simulator keeps its records as a department's own system would. Unset: memory only.
    simulator_journal_dir: Path | None = None
    # Where Faust keeps its local table stores (RocksDB in production, nothing with memory://).
    data_dir: Path = REPO_ROOT / ".stack" / "faust"
    # How long a silent worker keeps its partitions before the group moves them elsewhere, and
    # so how long a restarted dynamic member waits for its dead self to be dropped (8 s: ~8.5 s to
    # recover, measured by bench/recovery.py; 30 s took 30 s). Heartbeats go every tenth of it,
    # from aiokafka's own thread, so a busy event loop does not make a worker look dead. Kafka
    # refuses less than group.min.session.timeout.ms (6 s by default).
    consumer_session_timeout: float = 8.0
    # A name for this worker that outlives its process (a StatefulSet pod's name, the local
    # launcher's role): with it the worker is a static member of its group (group.instance.id),
    # and a restart takes its partitions back at once instead of after the session timeout.
    # Unique per running process: a second worker with the same name fences the first.
    consumer_instance_id: str | None = None
    # How long an input partition with records left may go without one reaching its stream
    # before Faust's livelock check logs an error (Faust's stream_processing_timeout).
    stream_processing_timeout: float = 300.0
    # The window API (``python -m window``): where it listens, and whose keys it accepts.
    window_host: str = "127.0.0.1"
    window_port: int = 8080
    window_keys_file: Path = REPO_ROOT / "window" / "windows.example.json"
    # How long a submission waits for the broker's acknowledgement before answering 503.
    window_publish_timeout: float = 10.0
    # A request body larger than this is refused (413) before it is read, let alone parsed.
    window_max_body_bytes: int = 64 * 1024
    # The ops API (``python -m ops``): a port of its own, so the service-hall network never
    # reaches the operators' routes or learns from their OpenAPI document that they exist.
    ops_host: str = "127.0.0.1"
    ops_port: int = 8081
    ops_api_key: SecretStr = SecretStr(LOCAL_OPS_KEY)
    # The secret that case ids are keyed with (an HMAC of who the case is about), so an id
    # reveals nothing: without it, an ID number is found from its case id by trying them all.
    case_id_key: SecretStr = SecretStr(LOCAL_CASE_ID_KEY)
    # The keys personal fields are sealed with (``onething.keys``): ``kid:base64key`` pairs,
    # comma-separated. One is active for sealing (``data_key_active``; needed once there are
    # several), every one opens what it sealed, so a key is rotated by adding its successor.
    data_keys: SecretStr = SecretStr(LOCAL_DATA_KEYS)
    data_key_active: str | None = None
    data_cipher: Literal["aes-256-gcm", "sm4-gcm"] = "aes-256-gcm"
    # ``local`` allows the built-in development secrets above; anything else refuses to start
    # with them (see ``refuse_development_secrets``).
    environment: str = "local"
    # A directory of working-day calendar year files (``2027.txt``) laid over the shipped ones:
    # how a deployment adds a year's State Council schedule without a release. The orchestrator
    # reads it at start-up and again whenever its files change (checked every poll interval).
    calendar_dir: Path | None = None
    calendar_poll_seconds: float = 60.0

    def refuse_development_secrets(self, *needed: str) -> None:
        """Outside local development, stop before serving if a secret is missing or the built-in
        one: a documented default key is no key. ``needed`` names the secrets this process uses
        (``"ops_api_key"``, ``"case_id_key"``, ``"data_keys"``; all of them when none is named),
        so a process is not made to hold a secret it has no use for."""
        if self.environment == "local":
            return
        secrets = {
            "ops_api_key": (self.ops_api_key, LOCAL_OPS_KEY),
            "case_id_key": (self.case_id_key, LOCAL_CASE_ID_KEY),
        }
        wanted = needed or (*secrets, "data_keys")
        for name in wanted:
            if name not in secrets:
                continue
            value, default = secrets[name]
            # Stripped, so a key of blanks (an empty variable padded by a template) is no key.
            secret = value.get_secret_value().strip()
            if len(secret) < 16 or secret == default:
                raise SystemExit(
                    f"ONETHING_{name.upper()} must be set to a secret of at least 16 characters"
                    f" when ONETHING_ENVIRONMENT={self.environment!r} (the built-in value is for"
                    " local development only)"
                )
        if "data_keys" in wanted:
            refuse_development_data_keys(self)

    def topic(self, name: str) -> str:
        """The full broker name of a catalog topic."""
        return f"{self.topic_prefix}.{name}" if self.topic_prefix else name
