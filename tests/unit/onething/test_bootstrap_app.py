"""The app the composition root builds, inspected without a broker: what Faust is told about
each topic decides which of its checks apply."""

from __future__ import annotations

from pathlib import Path

import faust

from contracts.topics import Topics
from onething.bootstrap import build_app
from onething.settings import Settings
from tests.support.sample_saga import sample_saga


def orchestrator_app(tmp_path: Path, **settings: object) -> tuple[faust.App, Settings]:
    config = Settings(topic_prefix="unit", data_dir=tmp_path, **settings)  # type: ignore[arg-type]
    saga = sample_saga()
    return build_app(config, name="unit", sagas={saga.name: saga}), config


async def test_the_case_state_changelog_is_not_an_acking_topic(tmp_path: Path) -> None:
    # Faust's livelock check looks at acking topics only; the changelog is read by table
    # recovery, never by a stream, and marked acking it reported an error per partition every
    # 2.5 s once the stream processing timeout had passed.
    app, settings = orchestrator_app(tmp_path)
    table = app.tables["cases"]
    app.topics.add(table.changelog_topic.clone_using_queue(app.tables.changelog_queue))
    await app.topics._update_indices()  # what the conductor runs when it subscribes

    changelog = settings.topic(Topics.CASE_STATE)
    assert table.changelog_topic.get_topic_name() == changelog
    assert app.topics.acks_enabled_for(changelog) is False


def test_consumer_timeouts_and_static_membership_come_from_the_settings(tmp_path: Path) -> None:
    app, _ = orchestrator_app(
        tmp_path,
        consumer_session_timeout=10.0,
        consumer_instance_id="orchestrator-0",
        stream_processing_timeout=5.0,
    )
    assert app.conf.broker_session_timeout == 10.0
    assert app.conf.broker_heartbeat_interval == 1.0
    assert app.conf.consumer_group_instance_id == "orchestrator-0"
    assert app.conf.stream_processing_timeout == 5.0


def test_without_an_instance_id_the_worker_is_a_dynamic_member(tmp_path: Path) -> None:
    app, _ = orchestrator_app(tmp_path, consumer_instance_id="")
    assert app.conf.consumer_group_instance_id is None
