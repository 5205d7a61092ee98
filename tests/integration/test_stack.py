"""The stack commands themselves: ``up`` reuses what runs, and the env file points at it."""

from __future__ import annotations

import os

import pytest

from deploy.local import stack as local_stack
from onething.settings import Settings

pytestmark = pytest.mark.integration


def test_up_again_reuses_the_running_services(stack: Settings) -> None:
    again = local_stack.up()
    assert (again.kafka_bootstrap, again.redis_url) == (stack.kafka_bootstrap, stack.redis_url)
    assert all(note.startswith(("running", "external")) for note in again.notes.values()), (
        again.notes
    )
    status = local_stack.status()
    assert all(line.startswith(("running", "external")) for line in status.values()), status


def test_the_env_file_names_the_local_services(stack: Settings) -> None:
    lines = local_stack.ENV_FILE.read_text().splitlines()
    if local_stack.KAFKA_ENV not in os.environ:
        assert f"{local_stack.KAFKA_ENV}={stack.kafka_bootstrap}" in lines
    if local_stack.REDIS_ENV not in os.environ:
        assert f"{local_stack.REDIS_ENV}={stack.redis_url}" in lines
