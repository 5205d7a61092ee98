"""The envelope: what goes onto a topic comes back off it unchanged; bad bytes say what is wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from contracts.envelope import Envelope, InvalidEnvelope, decode, encode, envelope_for, key_for
from contracts.saga import StartCase

CST = timezone(timedelta(hours=8))
RECEIVED = datetime(2025, 3, 3, 9, 30, tzinfo=CST)
CASE_ID = "afterlife-321300-0001"


def start_case(**data: object) -> StartCase:
    return StartCase(
        case_id=CASE_ID,
        saga="afterlife",
        division_code="321300",
        data=dict(data),
        received_at=RECEIVED,
    )


def wrap(message: StartCase, **attributes: Any) -> Envelope[Any]:
    return envelope_for(message, subject=CASE_ID, source="/window/321300", **attributes)


def envelope_bytes(**changes: object) -> bytes:
    body = json.loads(encode(wrap(start_case(), time=RECEIVED)))
    body.update(changes)
    return json.dumps(body).encode()


def test_an_encoded_envelope_decodes_to_an_equal_envelope() -> None:
    envelope = wrap(start_case(), time=RECEIVED)
    assert envelope == decode(encode(envelope))


def test_the_payload_decodes_to_its_own_message_class() -> None:
    envelope = wrap(start_case())
    assert isinstance(decode(encode(envelope)).data, StartCase)


def test_chinese_text_travels_as_utf8_characters_not_escapes() -> None:
    raw = encode(wrap(start_case(deceased_name="张三", place="宿迁市宿城区")))
    assert (True, False, "张三") == (
        "宿迁市宿城区".encode() in raw,
        b"\\u" in raw,
        decode(raw).data.data["deceased_name"],
    )


def test_the_kafka_key_is_the_subject() -> None:
    envelope = wrap(start_case())
    assert CASE_ID.encode() == key_for(envelope)


def test_a_deterministic_id_survives_the_round_trip_and_starts_the_correlation() -> None:
    envelope = wrap(start_case(), id="case-1:start")
    decoded = decode(encode(envelope))
    assert ("case-1:start", "case-1:start") == (decoded.id, decoded.correlation_id)


def test_the_type_and_schema_name_the_payload() -> None:
    envelope = wrap(start_case())
    assert ("onething.StartCase", "urn:onething:schema:StartCase:1") == (
        envelope.type,
        envelope.dataschema,
    )


def test_bytes_that_are_not_json_are_refused_as_the_body() -> None:
    with pytest.raises(InvalidEnvelope, match=r"^body: not UTF-8 JSON"):
        decode(b"{not json")


def test_an_unknown_type_is_refused_naming_it() -> None:
    with pytest.raises(InvalidEnvelope) as caught:
        decode(envelope_bytes(type="onething.AdoptCat"))
    assert "type: no message type 'onething.AdoptCat' is known" == str(caught.value)


def test_a_missing_payload_field_is_named_by_its_path() -> None:
    body = json.loads(envelope_bytes())
    del body["data"]["case_id"]
    with pytest.raises(InvalidEnvelope) as caught:
        decode(json.dumps(body))
    assert "data.case_id: Field required" == str(caught.value)


def test_a_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(InvalidEnvelope) as caught:
        decode(envelope_bytes(time="2025-03-03T09:30:00"))
    assert "time: Value error, time must carry a timezone (RFC 3339)" == str(caught.value)


def test_a_utc_time_round_trips_as_the_same_instant() -> None:
    moment = datetime(2025, 3, 3, 1, 30, tzinfo=UTC)
    envelope = wrap(start_case(), time=moment)
    assert RECEIVED == decode(encode(envelope)).time
