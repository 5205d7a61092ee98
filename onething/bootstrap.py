"""The composition root: builds one Faust app hosting any of the orchestrator, the read-model
projector and department participants, wired to Kafka and Redis from ``Settings``.

One process can host everything (local runs, the demo); in production each role runs alone with
its own app id, so it scales and restarts on its own. Nothing connects before the app starts.
Every role is handed the deployment's data keyring: the reactors seal the personal fields of the
cases they open, the orchestrator seals again what a reversal case carries over, and each
participant's adapter is wrapped to open a command's fields and seal its reply's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import faust
import structlog

from contracts.envelope import InvalidEnvelope, decode, envelope_for
from contracts.lifecycle import CaseEvent
from contracts.personal import sealed_request
from contracts.sealing import Keyring
from contracts.topics import CASE_PARTITIONS, Topics, command_topic
from departments.adapter import DepartmentAdapter
from departments.idempotency import ReplyMemory
from departments.participant import Participant
from departments.sealed_adapter import SealedAdapter
from onething.faust_consumer import NoDropConsumer
from onething.faust_edges import RAW, FaustOutbox, TableStore
from onething.keys import keyring_from
from onething.readmodel.catch_up import CatchUp
from onething.readmodel.event_log import EventLog
from onething.readmodel.projector import Projector
from onething.records import Record, dead_letter
from onething.redis_edge import connect
from onething.settings import Settings
from saga.calendar import CalendarFileError, current
from saga.calendar.watch import CalendarWatch
from saga.orchestrator import Orchestrator
from saga.ports import Clock
from saga.versions import SagaSource
from services.registry import Reactor

__all__ = ["Reactor", "build_app", "utc_now"]


log = structlog.get_logger("onething.bootstrap")
INBOUND = (Topics.CASE_REQUESTS, Topics.DEPT_REPLIES, Topics.CASE_TIMERS, Topics.CASE_OPERATOR)
TIMER_TICK_SECONDS = 0.2
PARTICIPANT_CONCURRENCY = 8
# How often the projector asks whether Redis restarted (one INFO call).
REDIS_WATCH_SECONDS = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_app(
    settings: Settings,
    *,
    name: str,
    sagas: Mapping[str, SagaSource] | Sequence[SagaSource] | None = None,
    adapters: Sequence[DepartmentAdapter] = (),
    projector: bool = False,
    reactors: Sequence[Reactor] = (),
    clock: Clock = utc_now,
    store: str = "memory://",
) -> faust.App:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        f"{settings.topic_prefix}-{name}",
        broker=f"kafka://{settings.kafka_bootstrap}",
        store=store,
        datadir=str(settings.data_dir / "{conf.id}"),
        web_enabled=False,
        topic_partitions=CASE_PARTITIONS,
        topic_replication_factor=settings.replication_factor,
        table_standby_replicas=0,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        broker_commit_every=100,
        broker_commit_interval=1.0,
        broker_session_timeout=settings.consumer_session_timeout,
        broker_heartbeat_interval=max(settings.consumer_session_timeout / 10, 0.5),
        consumer_group_instance_id=settings.consumer_instance_id or None,
        stream_processing_timeout=settings.stream_processing_timeout,
    )
    # Use the consumer that rewinds rather than drops records Faust did not deliver.
    app.transport.Consumer = NoDropConsumer  # type: ignore[misc]  # per-app, on purpose
    outbox = FaustOutbox(app, settings)
    keyring = keyring_from(settings)
    if sagas:
        _install_orchestrator(app, settings, sagas, outbox, clock, keyring)
    redis = connect(settings.redis_url) if (adapters or projector) else None
    for adapter in adapters:
        assert redis is not None
        memory = ReplyMemory(redis, settings.topic_prefix, str(adapter.department))
        participant = Participant(SealedAdapter(adapter, keyring), memory, outbox, clock)
        _install_participant(app, settings, participant)
    if reactors:
        _install_reactors(app, settings, reactors, outbox, clock, keyring)
    if projector:
        assert redis is not None
        projection = CatchUp(redis, Projector(redis, settings.topic_prefix), EventLog(settings))
        _install_projector(app, settings, projection, outbox, clock)
    return app


def _install_orchestrator(
    app: faust.App,
    settings: Settings,
    sagas: Mapping[str, SagaSource] | Sequence[SagaSource],
    outbox: FaustOutbox,
    clock: Clock,
    keyring: Keyring,
) -> None:
    # No acks, as Faust's own changelogs: records here are read by table recovery, never by a
    # stream, so nothing acks or commits them. Marked acking, the topic's partitions look to
    # Faust's livelock check like inputs whose stream never started (the log grows as states are
    # written, the fetch position stays where recovery ended), an error for each every 2.5 s.
    changelog = app.topic(settings.topic(Topics.CASE_STATE), schema=RAW, acks=False)
    table = app.Table(
        "cases",
        default=None,
        partitions=CASE_PARTITIONS,
        changelog_topic=changelog,
        key_type=bytes,
        value_type=bytes,
    )
    store = TableStore(table)
    orchestrator = Orchestrator(sagas, store, outbox, clock, keyring=keyring)
    inbound = app.topic(*(settings.topic(t) for t in INBOUND), schema=RAW)
    # A broken calendar file stops the orchestrator from starting, naming the file and line.
    watch = CalendarWatch(settings.calendar_dir)
    calendar = watch.load()
    log.info("calendar.loaded", version=calendar.version, directory=str(settings.calendar_dir))

    async def rebuild_timers() -> None:
        states = store.items()
        count = orchestrator.rebuild_timers(states)
        log.info("timers.rebuilt", pending=count)
        # Cases last counted on another calendar (this one arrived while the worker was down).
        await outbox.send(orchestrator.recounts(states, current(), "工作日历更新"))

    table.on_recover(rebuild_timers)

    @app.timer(settings.calendar_poll_seconds, name="reload_calendar")  # type: ignore[untyped-decorator]
    async def reload_calendar() -> None:
        before = current()
        try:
            changed = watch.poll()
        except CalendarFileError as exc:
            log.error(
                "calendar.refused",
                error=str(exc),
                in_force=before.version,
                action="fix the file; the calendar in force stays until it is valid",
            )
            return
        if changed is None:
            return
        reason = changed.describe_change(before)
        batch = orchestrator.recounts(store.items(), changed, reason)
        log.info("calendar.reloaded", version=changed.version, years=changed.changed_years(before),
                 cases=len(batch))  # fmt: skip
        await outbox.send(batch)

    @app.agent(inbound, name="orchestrate", concurrency=1)  # one at a time: no lost updates
    async def orchestrate(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            await orchestrator.process(_record(event))

    # faust's timer decorator carries no type hints
    @app.timer(TIMER_TICK_SECONDS, name="fire_timers")  # type: ignore[untyped-decorator]
    async def fire_timers() -> None:
        batch = orchestrator.due_timers(clock())
        if batch:
            await outbox.send(batch)


def _install_participant(app: faust.App, settings: Settings, participant: Participant) -> None:
    topic = app.topic(settings.topic(command_topic(participant.department)), schema=RAW)

    @app.agent(
        topic, name=f"participant_{participant.department}", concurrency=PARTICIPANT_CONCURRENCY
    )
    async def serve(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            await participant.process(_record(event))


def _install_projector(
    app: faust.App, settings: Settings, projection: CatchUp, outbox: FaustOutbox, clock: Clock
) -> None:
    topic = app.topic(settings.topic(Topics.CASE_EVENTS), schema=RAW)

    @app.agent(topic, name="project", concurrency=1)
    async def project(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            record = _record(event)
            try:
                data = decode(record.value).data
            except InvalidEnvelope as exc:
                letter = dead_letter(
                    record,
                    str(exc),
                    consumer="projector",
                    source="/onething/ops/projector",
                    now=clock(),
                )
                await outbox.send([(Topics.DEAD_LETTERS, letter)])
                await projection.passed(record.partition, record.offset)
                continue
            if isinstance(data, CaseEvent):
                await projection.project(data, record.partition, record.offset)
            else:
                await projection.passed(record.partition, record.offset)

    # Also catches up, once after start-up, on what Redis lost while no projector ran.
    @app.timer(REDIS_WATCH_SECONDS, name="watch_read_model")  # type: ignore[untyped-decorator]
    async def watch_read_model() -> None:
        await projection.watch()


def _install_reactors(
    app: faust.App,
    settings: Settings,
    reactors: Sequence[Reactor],
    outbox: FaustOutbox,
    clock: Clock,
    keyring: Keyring,
) -> None:
    """Turn departments' facts (DeathCertified ...) into case messages, by the one-things' rules;
    the personal fields of the case requests they make are sealed here, as the window does."""
    topic = app.topic(
        settings.topic(Topics.DEPT_EVENTS), settings.topic(Topics.HOUSEHOLD_EVENTS), schema=RAW
    )

    @app.agent(topic, name="react", concurrency=1)
    async def react(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            record = _record(event)
            try:
                fact = decode(record.value)
            except InvalidEnvelope as exc:
                letter = dead_letter(
                    record, str(exc), consumer="reactor", source="/onething/reactor", now=clock()
                )
                await outbox.send([(Topics.DEAD_LETTERS, letter)])
                continue
            batch = [
                (
                    out_topic,
                    envelope_for(
                        sealed_request(message, keyring),
                        subject=subject,
                        source="/onething/reactor",
                        time=fact.time,
                        id=f"{fact.id}:react:{n}",
                        correlation_id=fact.correlation_id,
                        causation_id=fact.id,
                    ),
                )
                for n, (out_topic, subject, message) in enumerate(
                    (item for reactor in reactors for item in reactor(fact.data)), start=1
                )
            ]
            if batch:
                await outbox.send(batch)


def _record(event: faust.EventT[bytes]) -> Record:
    message = event.message
    return Record(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key if isinstance(message.key, bytes) else None,
        value=message.value if isinstance(message.value, bytes) else bytes(message.value or b""),
    )
