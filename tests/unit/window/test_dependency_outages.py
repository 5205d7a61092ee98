"""The window while Redis is away, and retries of requests that were cut short half-way: 503 with
Retry-After and nothing published while the case store is unreachable; a retried
``Idempotency-Key`` answers the first attempt's 202 once that attempt was published, never
"already exists" for the case the attempt itself created."""

from __future__ import annotations

from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from contracts.lifecycle import StepStatus
from contracts.saga import StartCase
from contracts.window import AfterDeathApplication
from onething.readmodel.fake import InMemoryReadModel
from services.afterlife.case_ids import afterlife_case_id
from tests.unit.window.support import (
    DECEASED_ID,
    SUCHENG,
    SUCHENG_KEY,
    Fakes,
    History,
    application,
    waiting_for_family,
)
from window.fakes import InMemoryIdempotencyStore
from window.idempotency import body_hash
from window.ports import Remembered

URL = "/v1/afterlife/applications"
CASE_ID = afterlife_case_id(DECEASED_ID)


class UnreachableModel(InMemoryReadModel):
    """A read model whose Redis has gone away."""

    async def summary(self, case_id: str) -> dict[str, str] | None:
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    async def steps(self, case_id: str) -> dict[str, dict[str, Any]]:
        raise RedisTimeoutError("Timeout reading from socket")


class GoneBeforeMarking(InMemoryIdempotencyStore):
    """Redis goes away between publishing and marking the key published."""

    async def fulfil(self, window_id: str, key: str, decided: Remembered) -> None:
        raise RedisConnectionError("Connection closed by server.")


async def test_an_application_while_redis_is_away_is_503_with_retry_after_and_publishes_nothing(
    fakes: Fakes,
) -> None:
    fakes.model = UnreachableModel()
    async with fakes.client() as client:
        response = await client.post(URL, json=application(), headers=SUCHENG_KEY)

    assert (503, "5") == (response.status_code, response.headers["Retry-After"])
    assert "retry" in response.json()["detail"]
    assert "6379" not in response.text  # no address or driver message reaches the client
    assert [] == fakes.publisher.sent


async def test_reading_a_case_while_redis_is_away_is_503(fakes: Fakes) -> None:
    fakes.model = UnreachableModel()
    async with fakes.client() as client:
        response = await client.get(f"/v1/cases/{CASE_ID}", headers=SUCHENG_KEY)

    assert (503, "5") == (response.status_code, response.headers["Retry-After"])


async def test_a_retry_after_the_key_could_not_be_marked_gets_the_first_202_again(
    fakes: Fakes,
) -> None:
    fakes.idempotency = GoneBeforeMarking()
    headers = SUCHENG_KEY | {"Idempotency-Key": "cut-short"}
    async with fakes.client() as client:
        first = await client.post(URL, json=application(), headers=headers)
        # Meanwhile the case its own first attempt started is in the read model.
        await fakes.given(History(CASE_ID).received())
        again = await client.post(URL, json=application(), headers=headers)

    assert (202, 202) == (first.status_code, again.status_code)
    assert first.json() == again.json()
    assert {"case_id": CASE_ID, "status": "received"} == {
        k: again.json()[k] for k in ("case_id", "status")
    }
    ids = [envelope.id for _, envelope in fakes.publisher.sent]
    # Published again under the same id: the orchestrator takes it as the message it has.
    assert [StartCase, StartCase] == [type(m) for m in fakes.publisher.messages()]
    assert 1 == len(set(ids))


async def test_a_decision_kept_but_not_published_is_carried_out_by_the_retry(
    fakes: Fakes,
) -> None:
    # The first attempt decided "merged" and died before publishing anything; since then the
    # read model moved on (the family application step no longer waits).
    await fakes.given(waiting_for_family(CASE_ID).step("family_application", StepStatus.SUCCEEDED))
    headers = SUCHENG_KEY | {"Idempotency-Key": "died-half-way"}
    async with fakes.client() as client:
        probe = await client.post(URL, json=application(), headers=SUCHENG_KEY)
        assert 409 == probe.status_code  # deciding afresh would refuse
        request_hash = _hash_of(application())
        await fakes.idempotency.promise(
            SUCHENG.window_id, "died-half-way", Remembered(request_hash, CASE_ID, "merged")
        )

        retried = await client.post(URL, json=application(), headers=headers)

    assert (202, "merged") == (retried.status_code, retried.json()["status"])
    assert [StartCase] == [type(m) for m in fakes.publisher.messages()]


async def test_a_key_already_published_answers_without_publishing(fakes: Fakes) -> None:
    headers = SUCHENG_KEY | {"Idempotency-Key": "done"}
    async with fakes.client() as client:
        await client.post(URL, json=application(), headers=headers)
        again = await client.post(URL, json=application(), headers=headers)

    assert "true" == again.headers["Idempotent-Replayed"]
    assert 1 == len(fakes.publisher.sent)


def _hash_of(body: dict[str, Any]) -> str:
    return body_hash(URL, AfterDeathApplication.model_validate(body))
