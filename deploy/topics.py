"""``python -m deploy.topics``: make the broker's topics match the catalog in ``contracts.topics``.

Missing topics are created with their partitions, replication factor and configs; existing ones get
their catalog configs set again (other configs are left alone) and more partitions when they have
fewer. Nothing is ever deleted or shrunk, so running it twice, or against production, is safe.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewPartitions,
    NewTopic,
    ResourceType,
)

from contracts.topics import TopicSpec, catalog
from onething.kafka import admin_client
from onething.settings import Settings

__all__ = ["Provisioned", "provision", "reconcile", "topic_configs"]

TIMEOUT_S = 30.0


@dataclass
class Provisioned:
    """What one run changed, by full topic name."""

    created: list[str] = field(default_factory=list)
    reconfigured: list[str] = field(default_factory=list)
    grown: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _result(future: Future[Any], what: str) -> Any:
    try:
        return future.result(timeout=TIMEOUT_S)
    except KafkaException as exc:
        raise RuntimeError(f"{what}: {exc.args[0]}") from None


def topic_configs(admin: AdminClient, name: str) -> dict[str, str]:
    """The effective configs of one topic on the broker (defaults included)."""
    resource = ConfigResource(ResourceType.TOPIC, name)
    entries = _result(admin.describe_configs([resource])[resource], f"describe configs of {name}")
    return {key: entry.value for key, entry in entries.items() if entry.value is not None}


def _create(admin: AdminClient, settings: Settings, specs: Sequence[TopicSpec]) -> list[str]:
    if not specs:
        return []  # the client refuses an empty request
    new_topics = [
        NewTopic(
            settings.topic(spec.name),
            num_partitions=spec.partitions,
            replication_factor=settings.replication_factor,
            config=spec.configs(),
        )
        for spec in specs
    ]
    created = []
    for name, future in admin.create_topics(new_topics, request_timeout=TIMEOUT_S).items():
        try:
            future.result(timeout=TIMEOUT_S)
        except KafkaException as exc:
            # Someone else created it between our listing and our request: that is fine.
            if exc.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS:
                continue
            raise RuntimeError(f"create topic {name}: {exc.args[0]}") from None
        created.append(name)
    return created


def _reconfigure(admin: AdminClient, name: str, wanted: dict[str, str]) -> bool:
    current = topic_configs(admin, name)
    changes = {key: value for key, value in wanted.items() if current.get(key) != value}
    if not changes:
        return False
    entries = [
        ConfigEntry(key, value, incremental_operation=AlterConfigOpType.SET)
        for key, value in changes.items()
    ]
    resource = ConfigResource(ResourceType.TOPIC, name, incremental_configs=entries)
    _result(admin.incremental_alter_configs([resource])[resource], f"alter configs of {name}")
    return True


def _wait_visible(admin: AdminClient, wanted: dict[str, int]) -> None:
    """Block until every named topic has its partitions, each with a leader, in the metadata."""
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        topics = admin.list_topics(timeout=TIMEOUT_S).topics
        pending = [
            name
            for name, partitions in wanted.items()
            if name not in topics
            or len(topics[name].partitions) < partitions
            or any(p.leader < 0 for p in topics[name].partitions.values())
        ]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"topics not ready after {TIMEOUT_S:.0f}s: {', '.join(pending)}")
        time.sleep(0.2)


def reconcile(settings: Settings, specs: Sequence[TopicSpec] | None = None) -> Provisioned:
    """Bring the broker in line with ``specs`` (the whole catalog by default); report changes."""
    specs = list(catalog() if specs is None else specs)
    admin = admin_client(settings)
    existing = admin.list_topics(timeout=TIMEOUT_S).topics
    report = Provisioned()
    missing = [spec for spec in specs if settings.topic(spec.name) not in existing]
    report.created = _create(admin, settings, missing)
    grow = []
    for spec in specs:
        name = settings.topic(spec.name)
        if name not in existing:
            continue
        if len(existing[name].partitions) < spec.partitions:
            grow.append(NewPartitions(name, spec.partitions))
            report.grown.append(name)
        if _reconfigure(admin, name, spec.configs()):
            report.reconfigured.append(name)
        if name not in report.grown and name not in report.reconfigured:
            report.unchanged.append(name)
    if grow:
        for name, future in admin.create_partitions(grow, request_timeout=TIMEOUT_S).items():
            _result(future, f"add partitions to {name}")
    _wait_visible(admin, {settings.topic(spec.name): spec.partitions for spec in specs})
    return report


def provision(settings: Settings) -> list[str]:
    """Provision the whole catalog under ``settings.topic_prefix``; return the topics created."""
    return reconcile(settings).created


def main() -> int:
    settings = Settings()
    try:
        report = reconcile(settings)
    except (RuntimeError, KafkaException) as exc:
        print(f"error: provisioning topics on {settings.kafka_bootstrap} failed: {exc}")
        return 1
    print(
        f"topics {settings.topic_prefix or '(no prefix)'}.*: created {len(report.created)}, "
        f"reconfigured {len(report.reconfigured)}, grown {len(report.grown)}, "
        f"unchanged {len(report.unchanged)}"
    )
    for label, names in (
        ("created", report.created),
        ("reconfigured", report.reconfigured),
        ("grown", report.grown),
    ):
        for name in names:
            print(f"  {label:12} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
