"""The in-memory fakes and the file registry pass the ports' contract tests; the fakes' own
extras (expiry by the injected clock, failing on demand) behave as documented."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from contracts.envelope import envelope_for
from contracts.lifecycle import CaseEvent
from contracts.saga import Signal
from onething.http.fakes import RecordingPublisher
from onething.readmodel.fake import InMemoryReadModel
from onething.settings import Settings
from tests.unit.window.contracts import (
    AwaitingReplyContract,
    IdempotencyStoreContract,
    ReadModelContract,
    WindowRegistryContract,
)
from tests.unit.window.support import KEYS, NOW
from window.adapters.registry import FileWindowRegistry
from window.fakes import InMemoryIdempotencyStore, InMemoryWindowRegistry
from window.ports import PublishFailed, Remembered


class TestInMemoryIdempotencyStore(IdempotencyStoreContract):
    @pytest.fixture
    def store(self) -> InMemoryIdempotencyStore:
        return InMemoryIdempotencyStore(lambda: NOW)


class TestInMemoryReadModel(ReadModelContract, AwaitingReplyContract):
    @pytest.fixture
    def read_model(self) -> tuple[InMemoryReadModel, Callable[[CaseEvent], Any]]:
        model = InMemoryReadModel()
        return model, model.apply


class TestInMemoryWindowRegistry(WindowRegistryContract):
    @pytest.fixture
    def registry(self) -> InMemoryWindowRegistry:
        return InMemoryWindowRegistry(KEYS)


class TestFileWindowRegistry(WindowRegistryContract):
    @pytest.fixture
    def registry(self, tmp_path: Path) -> FileWindowRegistry:
        entries = [
            {
                "window_id": w.window_id,
                "division_code": w.division_code,
                "name": w.name,
                "api_key": k,
            }
            for k, w in KEYS.items()
        ]
        path = tmp_path / "windows.json"
        path.write_text(json.dumps({"windows": entries}, ensure_ascii=False), encoding="utf-8")
        return FileWindowRegistry.from_file(path)


def test_the_example_windows_file_is_the_default_and_loads() -> None:
    path = Settings().window_keys_file
    registry = FileWindowRegistry.from_file(path)

    window = registry.window_for("demo-window-321302-sucheng")

    assert "windows.example.json" == path.name
    assert window is not None and "321302" == window.division_code
    divisions = {entry["division_code"] for entry in json.loads(path.read_text())["windows"]}
    assert {"321302", "321202", "210502", "220502", "320585"} == divisions


def test_two_windows_with_one_key_are_refused(tmp_path: Path) -> None:
    entry = {"window_id": "a", "division_code": "321302", "api_key": "same-key-0000000"}
    path = tmp_path / "windows.json"
    path.write_text(json.dumps({"windows": [entry, entry | {"window_id": "b"}]}))

    with pytest.raises(ValueError, match="window b: its API key is used by another"):
        FileWindowRegistry.from_file(path)


async def test_the_fake_store_forgets_a_decision_after_24_hours() -> None:
    now = [NOW]
    store = InMemoryIdempotencyStore(lambda: now[0])
    decided = Remembered("hash-a", "AD-1", "received")
    await store.promise("w1", "k1", decided)
    await store.fulfil("w1", "k1", decided)

    now[0] += timedelta(hours=23)
    assert None is not await store.recall("w1", "k1")
    now[0] += timedelta(hours=2)
    assert None is await store.recall("w1", "k1")


async def test_the_fake_publisher_fails_after_the_messages_it_was_told_to_take() -> None:
    publisher = RecordingPublisher(fail_after=1)
    signal = Signal(case_id="AD-1", step="family_application", actor="window:w")
    envelope = envelope_for(signal, subject="AD-1", source="/tests")
    await publisher.publish("case.requests", envelope)

    with pytest.raises(PublishFailed):
        await publisher.publish("case.requests", envelope)
    assert [signal] == publisher.messages()
