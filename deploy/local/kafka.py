"""The local Kafka broker: one KRaft node in combined broker+controller mode on loopback ports.

Its storage is formatted once (the cluster id is kept in ``meta.properties``), so stopping and
starting again keeps every topic. Topics are never auto-created: they come from the catalog (see
``deploy.topics``), and Faust creates its own internal topics through the admin API.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import uuid
from pathlib import Path

from deploy.local import jars, procs
from deploy.local.common import STACK_DIR, StackError, tail, wait_until
from deploy.local.ports import HOST, free_port, is_free, is_listening
from deploy.local.state import ServiceState

__all__ = ["KAFKA_DIR", "bootstrap_of", "log_tail", "ready", "running", "start", "stop"]

KAFKA_DIR = STACK_DIR / "kafka"
DATA_DIR = KAFKA_DIR / "data"
LOG_DIR = KAFKA_DIR / "logs"
STATE_FILE = KAFKA_DIR / "service.json"
SERVER_PROPERTIES = KAFKA_DIR / "server.properties"
LOG4J_PROPERTIES = KAFKA_DIR / "log4j2.properties"
STDOUT_LOG = LOG_DIR / "stdout.log"
SERVER_LOG = LOG_DIR / "server.log"
START_TIMEOUT_S = 120.0


def _needles() -> tuple[str, ...]:
    # The broker's command line names our config file: that is how we know a pid is ours.
    return ("kafka.Kafka", str(SERVER_PROPERTIES))


def bootstrap_of(state: ServiceState) -> str:
    return f"{HOST}:{state.port}"


def ready(bootstrap: str, timeout: float = 5.0) -> str | None:
    """None if a metadata request to ``bootstrap`` succeeds, else the reason it did not."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    admin = AdminClient(
        {"bootstrap.servers": bootstrap, "socket.connection.setup.timeout.ms": 5000}
    )
    try:
        metadata = admin.list_topics(timeout=timeout)
    except KafkaException as exc:
        return str(exc)
    if not metadata.brokers:
        return "metadata lists no broker"
    return None


def running() -> ServiceState | None:
    """The broker this stack started, if it still runs and accepts connections."""
    state = ServiceState.load(STATE_FILE)
    if state is None or not procs.is_alive(state.pid, *_needles()):
        return None
    return state if is_listening(state.port) else None


def log_tail(lines: int = 40) -> str:
    return (
        f"--- {STDOUT_LOG} ---\n{tail(STDOUT_LOG, lines // 2)}\n"
        f"--- {SERVER_LOG} ---\n{tail(SERVER_LOG, lines)}"
    )


def _ports() -> tuple[int, int]:
    previous = ServiceState.load(STATE_FILE)
    formatted = (DATA_DIR / "meta.properties").is_file()
    if (
        previous is not None
        and previous.controller_port is not None
        and formatted
        and is_free(previous.port)
        and is_free(previous.controller_port)
    ):
        return previous.port, previous.controller_port
    # New addresses for an old log would confuse the quorum; start from empty storage instead.
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    port = free_port()
    controller_port = free_port()
    while controller_port == port:
        controller_port = free_port()
    return port, controller_port


def _write_configs(port: int, controller_port: int) -> None:
    properties = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@{HOST}:{controller_port}",
        "listeners": f"PLAINTEXT://{HOST}:{port},CONTROLLER://{HOST}:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://{HOST}:{port}",
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(DATA_DIR),
        "num.partitions": "1",
        # Topics come from the catalog; a typo in a topic name must fail, not create a topic.
        "auto.create.topics.enable": "false",
        # One node: every internal topic has one replica.
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        # Tests and the demo start consumer groups often; do not wait for more members to join.
        "group.initial.rebalance.delay.ms": "0",
    }
    SERVER_PROPERTIES.write_text("".join(f"{key}={value}\n" for key, value in properties.items()))
    LOG4J_PROPERTIES.write_text(
        "status = warn\n"
        "appender.file.type = RollingFile\n"
        "appender.file.name = file\n"
        f"appender.file.fileName = {SERVER_LOG}\n"
        f"appender.file.filePattern = {SERVER_LOG}.%i\n"
        "appender.file.layout.type = PatternLayout\n"
        "appender.file.layout.pattern = [%d] %p %m (%c)%n\n"
        "appender.file.policies.type = Policies\n"
        "appender.file.policies.size.type = SizeBasedTriggeringPolicy\n"
        "appender.file.policies.size.size = 50MB\n"
        "appender.file.strategy.type = DefaultRolloverStrategy\n"
        "appender.file.strategy.max = 3\n"
        "rootLogger.level = info\n"
        "rootLogger.appenderRef.file.ref = file\n"
    )


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise StackError("java is not on PATH; install a JDK 17+ (Debian: openjdk-17-jre-headless)")
    return java


def format_command(
    java: str, libs: Path, cluster_id: str, config: Path = SERVER_PROPERTIES
) -> list[str]:
    """The storage tool's command line. The id is joined to its option with ``=``: a URL-safe
    base64 id starts with ``-`` one time in 64, and given as a separate word the tool's argument
    parser would take it for an option and fail with "expected one argument"."""
    return [
        java, "-cp", f"{libs}/*", "kafka.tools.StorageTool", "format",
        f"--cluster-id={cluster_id}", "-c", str(config),
    ]  # fmt: skip


def _format(java: str, libs: Path) -> None:
    if (DATA_DIR / "meta.properties").is_file():
        return
    cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    result = subprocess.run(
        format_command(java, libs, cluster_id),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise StackError(f"formatting Kafka storage failed:\n{result.stdout}{result.stderr}")


def start() -> ServiceState:
    """Start the broker (fetching jars and formatting storage first if needed); wait until ready."""
    libs = jars.ensure_jars()
    java = _java()
    KAFKA_DIR.mkdir(parents=True, exist_ok=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    for log in (STDOUT_LOG, SERVER_LOG):
        # Keep one previous run's log, so an error shows only this start's lines.
        if log.exists():
            log.replace(log.with_name(log.name + ".previous"))
    port, controller_port = _ports()
    _write_configs(port, controller_port)
    _format(java, libs)
    argv = [
        java,
        "-Xms128m",
        "-Xmx512m",
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={LOG4J_PROPERTIES}",
        "-cp",
        f"{libs}/*",
        "kafka.Kafka",
        str(SERVER_PROPERTIES),
    ]
    pid = procs.spawn(argv, log=STDOUT_LOG, cwd=KAFKA_DIR)
    state = ServiceState(pid=pid, port=port, controller_port=controller_port)
    state.save(STATE_FILE)
    try:
        _wait_ready(state)
    except StackError as exc:
        procs.stop(pid, *_needles(), grace=5)
        raise StackError(f"Kafka did not start: {exc}\n{log_tail()}") from None
    return state


def _wait_ready(state: ServiceState) -> None:
    def listening() -> bool:
        if not procs.is_alive(state.pid, *_needles()):
            raise StackError("the broker process exited")
        return is_listening(state.port)

    wait_until(listening, timeout=START_TIMEOUT_S, what=f"Kafka to listen on port {state.port}")
    reasons: list[str] = []

    def answers() -> bool:
        reason = ready(bootstrap_of(state))
        if reason is not None:
            reasons.append(reason)
        return reason is None

    try:
        wait_until(answers, timeout=60, interval=0.5, what="Kafka to answer a metadata request")
    except StackError as exc:
        raise StackError(f"{exc}; last error: {reasons[-1] if reasons else '-'}") from None


def stop() -> bool:
    """Stop the broker if it runs; True if there was one to stop."""
    state = ServiceState.load(STATE_FILE)
    if state is None:
        return False
    # A controlled shutdown of a single node takes a few seconds; give it time to close its logs.
    return procs.stop(state.pid, *_needles(), grace=30)
