"""Topic provisioning against the broker: catalog configs applied, idempotent, never destructive."""

from __future__ import annotations

import pytest
from confluent_kafka.admin import NewTopic

from contracts.topics import CleanupPolicy, Topics, catalog
from deploy.topics import provision, reconcile, topic_configs
from onething.kafka import admin_client
from onething.settings import Settings

pytestmark = pytest.mark.integration


def test_a_second_run_creates_nothing_and_every_topic_matches_the_catalog(
    stack: Settings,
) -> None:
    assert provision(stack) == []
    admin = admin_client(stack)
    topics = admin.list_topics(timeout=30).topics
    for spec in catalog():
        name = stack.topic(spec.name)
        configs = topic_configs(admin, name)
        assert len(topics[name].partitions) == spec.partitions, name
        assert configs["cleanup.policy"] == spec.cleanup.value, name
        assert configs["retention.ms"] == str(spec.retention_ms), name
    assert topic_configs(admin, stack.topic(Topics.CASE_STATE))["cleanup.policy"] == "compact"
    deletes = {s.name for s in catalog() if s.cleanup is CleanupPolicy.DELETE}
    assert deletes == {s.name for s in catalog()} - {Topics.CASE_STATE}


def test_a_drifted_topic_is_repaired_without_being_recreated(stack: Settings) -> None:
    settings = stack.model_copy(update={"topic_prefix": f"{stack.topic_prefix}-drift"})
    drifted = settings.topic(Topics.CASE_STATE)
    admin = admin_client(settings)
    wrong = {"cleanup.policy": "delete", "retention.ms": "60000", "segment.bytes": "1048576"}
    admin.create_topics([NewTopic(drifted, num_partitions=1, replication_factor=1, config=wrong)])[
        drifted
    ].result(timeout=30)

    first = reconcile(settings)
    assert drifted not in first.created
    assert len(first.created) == len(catalog()) - 1
    assert (first.grown, first.reconfigured) == ([drifted], [drifted])
    configs = topic_configs(admin, drifted)
    assert (configs["cleanup.policy"], configs["retention.ms"]) == ("compact", "-1")
    assert configs["segment.bytes"] == "1048576"  # configs outside the catalog are left alone
    assert len(admin.list_topics(timeout=30).topics[drifted].partitions) == 6

    second = reconcile(settings)
    assert (second.created, second.grown, second.reconfigured) == ([], [], [])
