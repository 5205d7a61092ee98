"""Strict field types for what people type at a window: dates, flags, names, one-line text.

The edge refuses what a lax parser would quietly turn into something else: a date sent as a
number (``-0.0`` is not 1970-01-01), a flag sent as ``"yes"`` or ``1``, a digit from another
script (``\\d`` in a pattern matches Arabic-Indic and full-width digits, so patterns here spell
``[0-9]``), and characters that make a name look like another one or break a log line (controls,
zero-width and bidirectional-text characters). Each error says which rule was broken and names a
bad character by its code point, never by echoing the value, which may be personal data.

Names: letters of the CJK ideographs (with extensions A-I and the compatibility ideographs) and
of Latin (ASCII and Latin-1/Extended-A, precomposed), single spaces between parts, and the middle
dot that separates the parts of minority and foreign names (``阿沛·阿旺晋美``). The dot is
U+00B7 as on the ID card; U+30FB (katakana middle dot, what many Chinese input methods type) is
accepted and normalised to U+00B7, so every department receives one spelling. Other look-alikes
(U+2022, U+2027, U+FF0E) are refused: they are rare enough that a clerk can retype them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Final

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = [
    "EARLIEST_DATE",
    "MIDDLE_DOT",
    "IsoDate",
    "IsoMoment",
    "OneLineText",
    "PersonName",
    "QueryFlag",
    "StrictFlag",
    "check_iso_date",
    "check_iso_moment",
    "check_one_line",
    "check_person_name",
    "check_query_flag",
]

# Nobody alive or recently dead was born before 1900; earlier dates are typing errors or probes
# (year 0001), and refusing them keeps every date arithmetic downstream in range.
EARLIEST_DATE: Final = date(1900, 1, 1)
MIDDLE_DOT: Final = "\u00b7"
_KATAKANA_MIDDLE_DOT = "\u30fb"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})"
)

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_LETTER_RANGES = (
    ("A", "Z"),
    ("a", "z"),
    ("\u00c0", "\u00d6"),  # Latin-1 letters, without the multiplication sign
    ("\u00d8", "\u00f6"),  # ... and without the division sign
    ("\u00f8", "\u017f"),  # Latin-1 and Latin Extended-A
    ("\u3007", "\u3007"),  # 〇, the ideographic zero some given names use
    ("\u3400", "\u4dbf"),  # CJK Extension A
    ("\u4e00", "\u9fff"),  # CJK Unified Ideographs
    ("\uf900", "\ufaff"),  # CJK Compatibility Ideographs
    ("\U00020000", "\U0003134f"),  # CJK Extensions B-H (and I), compatibility supplement
)


def _rule(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def check_iso_date(value: object) -> date:
    """A ``YYYY-MM-DD`` string (or a ``date`` from Python callers) on or after 1900-01-01."""
    if isinstance(value, date) and not isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise _rule("iso_date", "is not a real calendar date") from None
    else:
        raise _rule(
            "iso_date",
            'must be a date as a "YYYY-MM-DD" string (ISO 8601); numbers, timestamps and other'
            " formats are refused",
        )
    if parsed < EARLIEST_DATE:
        raise _rule("date_too_early", f"must be on or after {EARLIEST_DATE.isoformat()}")
    return parsed


def check_iso_moment(value: object) -> datetime:
    """An ISO 8601 time with its offset (``2025-11-03T09:30:00+08:00``), never a number."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise _rule("iso_moment", "is not a real time") from None
    raise _rule(
        "iso_moment",
        'must be an ISO 8601 time with its offset, e.g. "2025-11-03T09:30:00+08:00"; numbers'
        " and times without an offset are refused",
    )


def check_query_flag(value: object) -> bool:
    """A flag in a query string: exactly ``true`` or ``false``, as in JSON."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise _rule("flag", 'must be "true" or "false"; "1", "yes", "on" and the like are refused')


def _forbidden(char: str) -> str | None:
    """Why ``char`` may not appear in any text at the edge, or None."""
    if char in _ZERO_WIDTH:
        return "a zero-width character"
    if char in _BIDI:
        return "a bidirectional-text control"
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character (NUL, CR, LF, tab and the like)"
    if category in ("Cf", "Cs", "Co", "Cn"):
        return "an invisible, private-use or unassigned character"
    return None


def _at(char: str, index: int) -> str:
    return f"U+{ord(char):04X} at position {index + 1}"


def check_one_line(value: str) -> str:
    """Printable text on one line: no control, zero-width, bidi or unassigned characters."""
    for index, char in enumerate(value):
        why = _forbidden(char)
        if why is not None:
            raise _rule("forbidden_character", f"{_at(char, index)} is {why}; use one line of text")
    return value


def _is_letter(char: str) -> bool:
    return any(low <= char <= high for low, high in _LETTER_RANGES)


def check_person_name(value: str) -> str:
    """A name of letters, with single spaces or middle dots between its parts (see the module)."""
    name = value.replace(_KATAKANA_MIDDLE_DOT, MIDDLE_DOT)
    for index, char in enumerate(name):
        why = _forbidden(char)
        if why is not None:
            raise _rule("forbidden_character", f"{_at(char, index)} is {why}")
        if not (_is_letter(char) or char in (" ", MIDDLE_DOT)):
            raise _rule(
                "name_character",
                f"{_at(char, index)} is not allowed: a name has CJK or Latin letters, spaces"
                " and the middle dot (·) only",
            )
    parts = re.split(r"[ ·]", name)
    if any(part == "" for part in parts):
        raise _rule(
            "name_separator",
            "a space or middle dot (·) must stand between two letters, once, not at either end",
        )
    return name


IsoDate = Annotated[
    date,
    BeforeValidator(check_iso_date),  # hands the date schema a date, never text to guess at
    WithJsonSchema({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]
IsoMoment = Annotated[AwareDatetime, BeforeValidator(check_iso_moment)]
# Only JSON true and false: "yes", "off", "t" and 1 are refused, not guessed at.
StrictFlag = Annotated[bool, Strict()]
# The same in a query string, where everything arrives as text.
QueryFlag = Annotated[bool, BeforeValidator(check_query_flag)]
PersonName = Annotated[str, Field(min_length=1, max_length=50), AfterValidator(check_person_name)]
OneLineText = Annotated[str, AfterValidator(check_one_line)]
