"""structlog configured once: JSON off a terminal, readable on one, personal data masked.

Context (``case_id``, ``message_id``, ``step`` ...) is bound with ``structlog.contextvars`` at the
edge that receives a message, so every line a unit of work writes carries it. The masking processor
is a safety net: callers must not log ID numbers or names, and if one slips through it is hidden.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

__all__ = ["configure_logging", "mask_personal_data"]

# A resident ID number anywhere in a string: 17 digits and a digit or X, not inside a longer number.
_RESIDENT_ID = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_NAME_KEYS = frozenset({"name", "full_name", "applicant_name", "deceased_name", "spouse_name"})
_ID_KEYS = frozenset({"id_number", "resident_id", "deceased_id", "applicant_id", "bank_account"})


def _mask_text(text: str) -> str:
    # Keep the 6-digit region code: useful for ops, not personal on its own.
    return _RESIDENT_ID.sub(lambda m: m.group(1) + "*" * 12, text)


def _mask_value(key: str, value: Any) -> Any:
    if key in _NAME_KEYS and isinstance(value, str) and value:
        return value[0] + "*" * (len(value) - 1)
    if key in _ID_KEYS and isinstance(value, str):
        return "***masked***"
    if isinstance(value, str):
        return _mask_text(value)
    return value


def mask_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Hide resident ID numbers, names and bank accounts in any field of a log event."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _mask_value(key, value)
    return event_dict


def configure_logging(level: str = "INFO", fmt: str = "auto") -> None:
    """Set structlog up for this process; call once from an entry point, never at import."""
    as_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if as_json
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            mask_personal_data,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
