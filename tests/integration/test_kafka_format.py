"""Formatting the broker's storage works for every cluster id the stack may draw, including the
one in 64 whose URL-safe base64 starts with ``-`` (once taken for an option by the tool)."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.local import jars
from deploy.local.kafka import format_command
from onething.settings import Settings

pytestmark = pytest.mark.integration


def test_a_cluster_id_starting_with_a_dash_formats_the_storage(
    stack: Settings, tmp_path: Path
) -> None:
    cluster_id = base64.urlsafe_b64encode(b"\xf8" + bytes(15)).decode().rstrip("=")
    config = tmp_path / "server.properties"
    config.write_text(
        "\n".join(
            [
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:1",
                "listeners=PLAINTEXT://127.0.0.1:2,CONTROLLER://127.0.0.1:1",
                "controller.listener.names=CONTROLLER",
                f"log.dirs={tmp_path / 'data'}",
            ]
        )
        + "\n"
    )
    java = shutil.which("java")
    assert java is not None
    result = subprocess.run(
        format_command(java, jars.ensure_jars(), cluster_id, config),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (cluster_id[0], 0) == ("-", result.returncode), result.stdout + result.stderr
    assert f"cluster.id={cluster_id}" in (tmp_path / "data" / "meta.properties").read_text()
