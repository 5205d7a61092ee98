"""The message envelope: CloudEvents attribute names around a typed pydantic payload.

Every record on every OneThing topic is one envelope, serialised as UTF-8 JSON (Chinese text kept
as characters, not ``\\u`` escapes) and keyed by the case id so that everything about one case lands
on one partition, in order. ``encode``/``decode`` are the only places bytes are made or read.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from contracts.message import Message, UnknownMessageType, message_class

__all__ = [
    "Envelope",
    "InvalidEnvelope",
    "decode",
    "encode",
    "envelope_for",
    "key_for",
]

DataT = TypeVar("DataT", bound=Message)


class InvalidEnvelope(ValueError):
    """Bytes that are not a valid envelope; ``str()`` names the field and the rule broken."""


class Envelope(BaseModel, Generic[DataT]):
    """A CloudEvents 1.0 envelope (structured mode) with OneThing's tracing attributes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1, description="Unique message id; redeliveries keep it.")
    source: str = Field(min_length=1, description="Who produced it, e.g. /window/321300.")
    type: str = Field(min_length=1, description="onething.<MessageType>")
    subject: str = Field(min_length=1, description="The case id; also the Kafka key.")
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str = Field(min_length=1)
    correlation_id: str = Field(min_length=1, description="The case's first message id.")
    causation_id: str | None = Field(default=None, description="The message this one answers.")
    data: DataT

    @field_validator("time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a timezone (RFC 3339)")
        return value


def envelope_for(
    data: Message,
    *,
    subject: str,
    source: str,
    time: datetime | None = None,
    id: str | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Envelope[Any]:
    """Wrap a payload; a deterministic ``id`` makes a re-sent message recognisable downstream."""
    message_id = id or uuid.uuid4().hex
    return Envelope[Any](
        id=message_id,
        source=source,
        type=data.event_type(),
        subject=subject,
        time=time or datetime.now(UTC),
        dataschema=data.schema_uri(),
        correlation_id=correlation_id or message_id,
        causation_id=causation_id,
        data=data,
    )


def key_for(envelope: Envelope[Any]) -> bytes:
    """The Kafka key of an envelope: its subject (the case id), UTF-8."""
    return envelope.subject.encode("utf-8")


def encode(envelope: Envelope[Any]) -> bytes:
    """Serialise an envelope to UTF-8 JSON."""
    body = envelope.model_dump(mode="json")
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(raw: bytes | str) -> Envelope[Any]:
    """Parse and validate an envelope and its payload, or raise ``InvalidEnvelope`` saying why."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEnvelope(f"body: not UTF-8 JSON ({exc})") from None
    if not isinstance(body, dict):
        raise InvalidEnvelope("body: must be a JSON object")
    event_type = body.get("type")
    if not isinstance(event_type, str):
        raise InvalidEnvelope("type: missing or not a string")
    try:
        payload_class = message_class(event_type)
    except UnknownMessageType as exc:
        raise InvalidEnvelope(str(exc)) from None
    try:
        return Envelope[payload_class].model_validate(body)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise InvalidEnvelope(describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """One line per broken rule: ``data.deceased_id: resident ID checksum ...``."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)
