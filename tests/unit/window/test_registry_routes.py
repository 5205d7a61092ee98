"""The one-thing registry: what it finds, what it refuses, and a one-thing defined only in the
tests getting its window route from it, with no line of the window changed."""

from __future__ import annotations

import httpx
import pytest

from contracts.saga import StartCase
from onething.settings import Settings
from onething.worker import check_settings
from services.afterlife import ONE_THING as AFTERLIFE
from services.registry import OneThing, RegistryError, load_one_thing, one_things
from tests.support.sample_thing import ONE_THING, SPEC
from tests.unit.window.support import NOW, SUCHENG_KEY, Fakes
from window.app import create_app


def test_every_one_thing_under_services_is_found_and_extras_are_added() -> None:
    assert "afterlife" in one_things()
    assert "sample" not in one_things()
    assert one_things(SPEC)["sample"] is ONE_THING


def test_a_spec_that_names_no_one_thing_is_refused() -> None:
    with pytest.raises(RegistryError, match=r"must look like package\.module:ONE_THING"):
        load_one_thing("tests.support.sample_thing")
    with pytest.raises(RegistryError, match="is not a OneThing"):
        load_one_thing("tests.support.sample_thing:SPEC")


def test_a_name_that_cannot_be_a_url_segment_is_refused() -> None:
    with pytest.raises(RegistryError, match="lower-case identifier"):
        OneThing(name="Sample-Thing", title="x", sagas=lambda: ())


def sample_client(fakes: Fakes) -> httpx.AsyncClient:
    app = create_app(
        Settings(extra_one_things=SPEC),
        publisher=fakes.publisher,
        directory=fakes.model,
        idempotency=fakes.idempotency,
        windows=fakes.windows,
        clock=lambda: NOW,
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://window")


async def test_a_one_thing_of_the_tests_gets_its_application_route_and_form_in_the_document(
    fakes: Fakes,
) -> None:
    async with sample_client(fakes) as client:
        spec = (await client.get("/openapi.json")).json()
        accepted = await client.post(
            "/v1/sample/applications", json={"reference": "S1234"}, headers=SUCHENG_KEY
        )
        refused = await client.post(
            "/v1/sample/applications", json={"reference": "s-1"}, headers=SUCHENG_KEY
        )

    route = spec["paths"]["/v1/sample/applications"]["post"]
    assert route["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SampleForm"
    }
    assert "/v1/afterlife/applications" in spec["paths"]
    assert (202, "SM-S1234", "received") == (
        accepted.status_code,
        accepted.json()["case_id"],
        accepted.json()["status"],
    )
    [start] = fakes.publisher.messages()
    assert isinstance(start, StartCase)
    assert ("sample", "SM-S1234", "window:suqian-sucheng-hall") == (
        start.saga,
        start.case_id,
        start.actor,
    )
    assert 422 == refused.status_code
    assert [["body", "reference"]] == [e["loc"] for e in refused.json()["detail"]]


def test_a_worker_stops_on_a_one_things_bad_setting_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ONETHING_AFTERLIFE_GRACE_DAYS", "0")

    with pytest.raises(SystemExit, match="ONETHING_AFTERLIFE_\\*: grace_days"):
        check_settings(AFTERLIFE)
