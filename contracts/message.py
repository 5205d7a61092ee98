"""The base every message payload derives from, and the registry that finds a payload by type name.

A payload class names itself once (``message_type``) and carries its schema version; the registry
lets the envelope decoder turn a CloudEvents ``type`` back into the right pydantic model without a
hand-kept table.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = ["Message", "UnknownMessageType", "message_class", "registered_types"]

_REGISTRY: dict[str, type[Message]] = {}


class UnknownMessageType(LookupError):
    """An envelope names a ``type`` no payload class is registered for."""


class Message(BaseModel):
    """A payload carried in an envelope's ``data``; subclasses register themselves by name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    message_type: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Only concrete classes that declare their own name are registered; shared bases are not.
        name = cls.__dict__.get("message_type")
        if name:
            previous = _REGISTRY.get(name)
            if previous is not None and previous.__qualname__ != cls.__qualname__:
                raise TypeError(f"message type {name!r} is declared by both {previous} and {cls}")
            _REGISTRY[name] = cls

    @classmethod
    def event_type(cls) -> str:
        """The CloudEvents ``type`` attribute for this payload."""
        return f"onething.{cls.message_type}"

    @classmethod
    def schema_uri(cls) -> str:
        """The CloudEvents ``dataschema`` attribute: name and version of the payload's schema."""
        return f"urn:onething:schema:{cls.message_type}:{cls.schema_version}"


def message_class(event_type: str) -> type[Message]:
    """Return the payload class for a CloudEvents ``type`` such as ``onething.StartCase``."""
    name = event_type.removeprefix("onething.")
    if name not in _REGISTRY:
        _import_all_contracts()  # a reader need not have imported the module that defines it
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownMessageType(f"type: no message type {event_type!r} is known") from None


def _import_all_contracts() -> None:
    import contracts

    for module in pkgutil.walk_packages(contracts.__path__, prefix="contracts."):
        if module.name != "contracts.schemas" and not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def registered_types() -> dict[str, type[Message]]:
    """Every registered payload class by name (for schema export)."""
    return dict(sorted(_REGISTRY.items()))
