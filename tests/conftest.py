"""Fixtures shared by every test: the running stack, a Redis client, and unique case ids.

Unit tests need none of this. A test that asks for ``stack`` gets a ``Settings`` for a Kafka and a
Redis that answer: the same ``deploy.local.stack.up()`` as ``make up`` runs first (reusing a running
stack, or the external Kafka/Redis named by ``ONETHING_KAFKA_BOOTSTRAP`` / ``ONETHING_REDIS_URL``),
then the topic catalog is provisioned under a prefix unique to this session (``t<hex>``), so
sessions never see each other's messages. If the stack cannot start the test fails, with the
reason and the broker log's tail; it is never skipped.

Isolation in Redis is by key prefix, not database number: every key a test writes must start with
``f"{stack.topic_prefix}:"``. At the end of the session its topics and keys are deleted, but the
stack is left running, whoever started it, so the next run starts in seconds; ``make down`` stops
it. Test workers that serve the department simulators keep their journals in
``simulator_journals(settings)``, which the end of the session removes too.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import redis
import redis.asyncio as aioredis
from confluent_kafka import KafkaException
from hypothesis import settings as hypothesis_settings

from deploy.local import stack as local_stack
from deploy.local.common import StackError
from deploy.topics import provision
from onething.kafka import admin_client
from onething.settings import REPO_ROOT, Settings

JOURNALS = REPO_ROOT / ".stack" / "simulators"

# In CI the property tests draw the same examples every run: a failure there is reproducible, and
# a run that passed is not undone by an unlucky draw. Locally they explore afresh each time.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Chaos tests SIGKILL the shared Kafka and Redis: run them after every other test, so none
    meets a broker that is coming back (the sort is stable: the rest keep their order)."""
    items.sort(key=lambda item: item.get_closest_marker("chaos") is not None)


@pytest.fixture(scope="session")
def stack() -> Iterator[Settings]:
    """Settings for the running stack, with this session's own, freshly provisioned topics."""
    try:
        running = local_stack.up()
    except StackError as exc:
        failure = str(exc)
    else:
        failure = ""
    if failure:
        # Failed outside the except block, so the report shows the reason once, not a chain.
        pytest.fail(f"the local Kafka/Redis stack did not start: {failure}", pytrace=False)
    settings = Settings(
        kafka_bootstrap=running.kafka_bootstrap,
        redis_url=running.redis_url,
        topic_prefix=f"t{secrets.token_hex(4)}",
    )
    provision(settings)
    yield settings
    try:
        _forget(settings)
    except (KafkaException, redis.RedisError) as exc:
        # A cluster that refuses deletes must not turn passed tests into errors.
        warnings.warn(f"could not clean up after the session: {exc}", stacklevel=1)


def simulator_journals(settings: Settings) -> Path:
    """Where a test's departments worker keeps its simulator journals (set it as
    ``ONETHING_SIMULATOR_JOURNAL_DIR``): under the stack, one directory per prefix."""
    return JOURNALS / settings.topic_prefix


def _forget(settings: Settings) -> None:
    """Delete the session's topics (Faust's internal ones too), Redis keys and journals."""
    for directory in JOURNALS.glob(f"{settings.topic_prefix}*"):
        shutil.rmtree(directory, ignore_errors=True)
    admin = admin_client(settings)
    mine = [
        name
        for name in admin.list_topics(timeout=30).topics
        if name.startswith((f"{settings.topic_prefix}.", f"{settings.topic_prefix}-"))
    ]
    if mine:
        for future in admin.delete_topics(mine, operation_timeout=30).values():
            future.result(timeout=60)
    client = redis.Redis.from_url(settings.redis_url)
    try:
        # The session's keys, and those of the modules' own prefixes (``own_stack``).
        keys = list(client.scan_iter(match=f"{settings.topic_prefix}[:-]*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
async def redis_client(stack: Settings) -> AsyncIterator[aioredis.Redis]:
    """An asyncio Redis client on the stack; prefix every key with ``stack.topic_prefix + ':'``."""
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        yield client
    finally:
        await client.aclose()


_case_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def new_case_id() -> Callable[[], str]:
    """A factory of case ids unique across sessions and within one (``c<hex>-<n>``)."""
    session = secrets.token_hex(4)
    return lambda: f"c{session}-{next(_case_numbers)}"


def own_stack(stack: Settings, name: str) -> Settings:
    """The session's stack under a prefix of a test module's own (``<session>-<name>``), with
    the catalog provisioned: long-lived workers of one module never see another's messages."""
    settings = stack.model_copy(update={"topic_prefix": f"{stack.topic_prefix}-{name}"})
    provision(settings)
    return settings
