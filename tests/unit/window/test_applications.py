"""``POST /v1/afterlife/applications``: who may apply, what is validated, what is published, and
how retries and a case the hospital opened first are handled."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from contracts.envelope import encode
from contracts.identifiers import today_in_china
from contracts.lifecycle import CaseStatus, StepStatus
from contracts.saga import StartCase
from contracts.sealing import NotAuthentic, is_token
from services.afterlife.case_ids import afterlife_case_id
from tests.unit.window.support import (
    DECEASED_ID,
    HAILING,
    KEYS,
    NOW,
    SUCHENG,
    SUCHENG_KEY,
    Fakes,
    History,
    application,
    opened,
    waiting_for_family,
)
from window.fakes import InMemoryWindowRegistry
from window.ports import Window
from window.starts import NOT_HERE

URL = "/v1/afterlife/applications"
CASE_ID = afterlife_case_id(DECEASED_ID)


async def test_a_request_without_a_window_key_is_refused(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    response = await client.post(URL, json=application())

    assert 401 == response.status_code
    assert "X-Window-Key is missing" in response.json()["detail"]
    assert [] == fakes.publisher.sent


async def test_a_request_with_an_unknown_window_key_is_refused(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    response = await client.post(URL, json=application(), headers={"X-Window-Key": "guess"})

    assert 401 == response.status_code
    assert "X-Window-Key is not the key of any window" == response.json()["detail"]
    assert [] == fakes.publisher.sent


async def test_a_new_application_starts_a_case_in_the_windows_division(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    response = await client.post(URL, json=application(), headers=SUCHENG_KEY)

    assert 202 == response.status_code
    assert {
        "case_id": CASE_ID,
        "status": "received",
        "links": {"self": f"/v1/cases/{CASE_ID}"},
    } == response.json()
    assert f"/v1/cases/{CASE_ID}" == response.headers["Location"]
    [(topic, envelope)] = fakes.publisher.sent
    start = envelope.data
    assert "case.requests" == topic
    assert (CASE_ID, "/window/suqian-sucheng-hall") == (envelope.subject, envelope.source)
    assert isinstance(start, StartCase)
    assert ("afterlife", SUCHENG.division_code, NOW) == (
        start.saga,
        start.division_code,
        start.received_at,
    )
    assert {"channel": "window", "window_id": SUCHENG.window_id}.items() <= start.data.items()
    assert DECEASED_ID == opened(start.data, CASE_ID)["deceased_id"]
    assert "6222021234567890123" == opened(start.data, CASE_ID)["heir_account"]["account_no"]


async def test_the_personal_fields_of_an_application_are_published_sealed_for_its_case(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    form = application()
    await client.post(URL, json=form, headers=SUCHENG_KEY)

    [(_, envelope)] = fakes.publisher.sent
    data = envelope.data.data
    sealed = [
        data["deceased_id"],
        data["deceased_name"],
        data["death_certificate_no"],
        *(data["applicant"][k] for k in ("resident_id", "name", "phone")),
        data["heir_account"]["account_no"],
        data["heir_account"]["holder_name"],
    ]
    assert all(is_token(value) for value in sealed)
    # What the orchestrator routes and counts on stays readable.
    assert ("2025-11-02", "child", "window") == (
        data["date_of_death"],
        data["applicant"]["relation"],
        data["channel"],
    )
    published = encode(envelope).decode()
    for clear in (DECEASED_ID, "张三", "张四", "13812345678", "6222021234567890123"):
        assert clear not in published
    assert form["applicant"] | {"on_behalf_of": None} == opened(data, CASE_ID)["applicant"]
    with pytest.raises(NotAuthentic, match="sealed for another case"):
        opened(data, "AD-another-case")


async def test_a_bad_resident_id_checksum_is_422_naming_the_field_and_nothing_is_published(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    bad = DECEASED_ID[:-1] + "3"
    response = await client.post(
        URL,
        json=application(deceased_id=bad, death_certificate_no=DECEASED_ID),
        headers=SUCHENG_KEY,
    )

    assert 422 == response.status_code
    [error] = response.json()["detail"]
    assert ["body", "deceased_id"] == error["loc"]
    assert "check character should be 'X', got '3'" in error["msg"]
    assert "input" not in error  # the ID number is not echoed back
    assert [] == fakes.publisher.sent


async def test_a_date_of_death_in_the_future_is_422(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    tomorrow = (today_in_china() + timedelta(days=1)).isoformat()
    response = await client.post(URL, json=application(date_of_death=tomorrow), headers=SUCHENG_KEY)

    assert 422 == response.status_code
    [error] = response.json()["detail"]
    assert "date_of_death cannot be in the future" in error["msg"]
    assert [] == fakes.publisher.sent


async def test_payouts_without_an_heir_account_are_422(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    body = application()
    del body["heir_account"]
    response = await client.post(URL, json=body, headers=SUCHENG_KEY)

    assert 422 == response.status_code
    [error] = response.json()["detail"]
    assert "heir_account is required when a payout is opted in" in error["msg"]
    assert [] == fakes.publisher.sent


async def test_every_broken_rule_is_listed_with_its_field(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    body = application()
    body["applicant"] = body["applicant"] | {"phone": "12345", "relation": "cousin"}
    response = await client.post(URL, json=body, headers=SUCHENG_KEY)

    assert 422 == response.status_code
    where = {tuple(error["loc"]) for error in response.json()["detail"]}
    assert {("body", "applicant", "phone"), ("body", "applicant", "relation")} == where
    assert [] == fakes.publisher.sent


async def test_a_retry_with_the_same_key_and_body_gets_the_same_answer_and_publishes_nothing(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    headers = SUCHENG_KEY | {"Idempotency-Key": "7c1e-retry"}
    first = await client.post(URL, json=application(), headers=headers)

    again = await client.post(URL, json=application(), headers=headers)

    assert (202, first.json()) == (again.status_code, again.json())
    assert "true" == again.headers["Idempotent-Replayed"]
    assert [StartCase] == [type(m) for m in fakes.publisher.messages()]


async def test_a_key_reused_with_another_body_is_422(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    headers = SUCHENG_KEY | {"Idempotency-Key": "7c1e-reused"}
    await client.post(URL, json=application(), headers=headers)

    other = await client.post(URL, json=application(deceased_name="张五"), headers=headers)

    assert 422 == other.status_code
    assert "already used with a different body" in other.json()["detail"]
    assert 1 == len(fakes.publisher.sent)


async def test_the_same_key_from_another_window_is_another_request(fakes: Fakes) -> None:
    other = Window("sucheng-second-hall", SUCHENG.division_code)
    fakes.windows = InMemoryWindowRegistry(KEYS | {"key-other-000001": other})
    async with fakes.client() as client:
        await client.post(
            URL, json=application(), headers=SUCHENG_KEY | {"Idempotency-Key": "shared"}
        )
        second = await client.post(
            URL,
            json=application(),
            headers={"X-Window-Key": "key-other-000001", "Idempotency-Key": "shared"},
        )

    assert 202 == second.status_code
    assert "true" != second.headers.get("Idempotent-Replayed")
    assert 2 == len(fakes.publisher.sent)


async def test_an_application_joins_the_case_the_hospital_opened(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(waiting_for_family(CASE_ID))

    response = await client.post(URL, json=application(), headers=SUCHENG_KEY)

    assert 202 == response.status_code
    assert {"case_id": CASE_ID, "status": "merged"}.items() <= response.json().items()
    # One start, as for a new case: the saga's merge rule joins it to the case it finds waiting.
    [start] = fakes.publisher.messages()
    assert isinstance(start, StartCase)
    assert (CASE_ID, "afterlife", "window:suqian-sucheng-hall") == (
        start.case_id,
        start.saga,
        start.actor,
    )
    assert DECEASED_ID == opened(start.data, CASE_ID)["deceased_id"]
    assert is_token(start.data["applicant"]["resident_id"])
    assert {"case.requests"} == {topic for topic, _ in fakes.publisher.sent}


async def test_a_second_family_application_is_409_naming_the_case(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(History(CASE_ID).received().step("family_application", StepStatus.SUCCEEDED))

    response = await client.post(URL, json=application(), headers=SUCHENG_KEY)

    assert 409 == response.status_code
    assert (
        f"an application for this person already exists: case {CASE_ID}"
        == (response.json()["detail"])
    )
    assert [] == fakes.publisher.sent


async def test_an_application_for_a_closed_case_is_409(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(History(CASE_ID).received().ended(CaseStatus.WITHDRAWN))

    response = await client.post(URL, json=application(), headers=SUCHENG_KEY)

    assert 409 == response.status_code
    assert "already closed (withdrawn)" in response.json()["detail"]
    assert [] == fakes.publisher.sent


async def test_a_case_of_another_division_is_409_naming_no_division_case_or_status(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(waiting_for_family(CASE_ID, HAILING.division_code))

    response = await client.post(URL, json=application(), headers=SUCHENG_KEY)

    assert (409, NOT_HERE) == (response.status_code, response.json()["detail"])
    assert "waiting" not in response.text and "received" not in response.text
    assert CASE_ID not in response.text and HAILING.division_code not in response.text
    assert [] == fakes.publisher.sent


async def test_a_broker_failure_is_503_and_a_retry_republishes_with_the_same_message_ids(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    await fakes.given(waiting_for_family(CASE_ID))
    fakes.publisher.fail_after = 0  # the broker takes nothing
    headers = SUCHENG_KEY | {"Idempotency-Key": "half-way"}
    failed = await client.post(URL, json=application(), headers=headers)
    fakes.publisher.fail_after = None

    retried = await client.post(URL, json=application(), headers=headers)

    assert (503, "5") == (failed.status_code, failed.headers["Retry-After"])
    assert (202, "merged") == (retried.status_code, retried.json()["status"])
    assert [StartCase] == [type(m) for m in fakes.publisher.messages()]
