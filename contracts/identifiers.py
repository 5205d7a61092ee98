"""Validators for the identifiers OneThing accepts at its edges, also usable as pydantic types.

Each ``check_*`` function is pure: it takes the text a clerk, a citizen or a department sent and
returns it normalised, or raises ``InvalidIdentifier`` (a ``ValueError``) whose message names the
rule broken without repeating the whole number, e.g. "resident ID check character should be 'X',
got '3'". The ``Annotated`` types (``ResidentId``, ``DivisionCode``, ``CountyCode``,
``MarriageCertificateNo``, ``DivorceCertificateNo``, ``DeathCertificateNo``) and the ``CreditCode`` class put the same rules
on pydantic fields. Rules: GB 11643 (resident ID), GB/T 2260 (division codes), GB 32100 (unified
social credit code), the civil-affairs certificate numbering, and the death certificate numbering
in force from 2026-07-01. Division codes are checked for shape only, never against a table: an ID
issued by a county since merged away is still a valid ID. A credit code whose check character is
wrong is accepted and flagged (``CreditCode.checksum_ok``), because early pilot codes fail the
checksum legitimately.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import AfterValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "KNOWN_DIVISIONS",
    "CountyCode",
    "CreditCode",
    "DeathCertificateNo",
    "DivisionCode",
    "DivorceCertificateNo",
    "InvalidIdentifier",
    "MarriageCertificate",
    "MarriageCertificateKind",
    "MarriageCertificateNo",
    "ResidentId",
    "birth_date",
    "check_county_code",
    "check_credit_code",
    "check_death_certificate_no",
    "check_division_code",
    "check_divorce_certificate",
    "check_marriage_certificate",
    "check_resident_id",
    "county_of",
    "credit_code_check_char",
    "division_name",
    "enclosing_divisions",
    "make_credit_code",
    "make_marriage_certificate",
    "make_resident_id",
    "parse_marriage_certificate",
    "region_code",
    "resident_id_check_char",
    "sex",
    "today_in_china",
]

# China has kept UTC+8 without daylight saving since 1991, so a fixed offset gives today's date
# exactly and spares the contracts package a time-zone database.
_CHINA = timezone(timedelta(hours=8), "CST")
_DIGITS = frozenset("0123456789")


class InvalidIdentifier(ValueError):
    """An identifier broke a rule; ``str()`` names the rule and the offending part."""


def today_in_china() -> date:
    """Today's date where the services run: what "in the future" and "an adult" are counted on."""
    return datetime.now(_CHINA).date()


def _first_outside(text: str, allowed: frozenset[str]) -> tuple[int, str] | None:
    """The 1-based position and character of the first character not in ``allowed``."""
    for index, char in enumerate(text):
        if char not in allowed:
            return index + 1, char
    return None


def _require_digits(text: str, length: int, what: str) -> str:
    if len(text) != length or _first_outside(text, _DIGITS) is not None:
        raise InvalidIdentifier(f"{what} must be {length} digits, got {text!r}")
    return text


# --- Division codes (GB/T 2260) -----------------------------------------------------------------

# A sample for names in seed data and tests, not GB/T 2260: unknown codes are still valid.
KNOWN_DIVISIONS: Mapping[str, str] = MappingProxyType(
    {
        "110000": "北京市",
        "110105": "朝阳区",
        "210000": "辽宁省",
        "210500": "本溪市",
        "210502": "平山区",
        "210521": "本溪满族自治县",
        "220000": "吉林省",
        "220500": "通化市",
        "220502": "东昌区",
        "320000": "江苏省",
        "320500": "苏州市",
        "320585": "太仓市",
        "321200": "泰州市",
        "321202": "海陵区",
        "321300": "宿迁市",
        "321302": "宿城区",
        "321322": "沭阳县",
    }
)


def _check_division_shape(code: str, what: str) -> str:
    bad = _first_outside(code, _DIGITS)
    if bad is not None:
        raise InvalidIdentifier(f"{what} must be digits only, got {bad[1]!r} at position {bad[0]}")
    if code[:2] == "00":
        raise InvalidIdentifier(f"{what} cannot have province part 00")
    return code


def check_division_code(value: str) -> str:
    """A 6-digit division code, or its 9-digit (township) or 12-digit (village) extension."""
    if len(value) not in (6, 9, 12):
        raise InvalidIdentifier(f"division code must be 6, 9 or 12 digits, got {len(value)}")
    return _check_division_shape(value, "division code")


def check_county_code(value: str) -> str:
    """Exactly a 6-digit division code: a province, prefecture or county."""
    if len(value) != 6:
        raise InvalidIdentifier(f"county code must be 6 digits, got {len(value)}")
    return _check_division_shape(value, "county code")


def county_of(code: str) -> str:
    """The 6-digit county-level code a division code lies in."""
    return check_division_code(code)[:6]


def enclosing_divisions(code: str) -> list[str]:
    """The code and every division containing it, most specific first (for local overrides)."""
    code = check_division_code(code)
    chain: list[str] = []
    for candidate in (code, code[:9], code[:6], code[:4] + "00", code[:2] + "0000"):
        if candidate not in chain:
            chain.append(candidate)
    return chain


def division_name(code: str) -> str | None:
    """The Chinese name of a division in the sample table, or None when it is not there."""
    return KNOWN_DIVISIONS.get(code)


# --- Resident ID (GB 11643) ---------------------------------------------------------------------

_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_ID_CHECK = "10X98765432"
_RESIDENT_ID_LAST = frozenset("0123456789X")


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID."""
    total = sum(int(c) * w for c, w in zip(first17, _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK[total % 11]


def _birth(digits: str) -> date:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdentifier(f"resident ID birth date {digits} is not a real date") from None


def _check_resident_id_structure(value: str) -> str:
    """Everything but the future-birth rule, which is the only one that depends on the day."""
    if len(value) != 18:
        raise InvalidIdentifier(f"resident ID must be 18 characters, got {len(value)}")
    # Handwritten and typed IDs often carry a lowercase x; it is the same number.
    normalised = value[:17] + ("X" if value[17] == "x" else value[17])
    bad = _first_outside(normalised[:17], _DIGITS)
    if bad is not None:
        raise InvalidIdentifier(
            f"resident ID characters 1-17 must be digits, got {bad[1]!r} at position {bad[0]}"
        )
    if normalised[17] not in _RESIDENT_ID_LAST:
        raise InvalidIdentifier(
            f"resident ID check character must be a digit or 'X', got {normalised[17]!r}"
        )
    _check_division_shape(normalised[:6], "resident ID address code")
    _birth(normalised[6:14])
    expected = resident_id_check_char(normalised[:17])
    if normalised[17] != expected:
        raise InvalidIdentifier(
            f"resident ID check character should be {expected!r}, got {normalised[17]!r}"
        )
    return normalised


def check_resident_id(value: str, today: date | None = None) -> str:
    """The ID with ``x`` normalised to ``X``, if valid; a birth date after ``today`` is refused.

    ``today`` defaults to the current date in China, the function's only impure part; tests and
    replays pass a fixed day.
    """
    normalised = _check_resident_id_structure(value)
    if _birth(normalised[6:14]) > (today or today_in_china()):
        raise InvalidIdentifier(f"resident ID birth date {normalised[6:14]} is in the future")
    return normalised


def birth_date(resident_id: str) -> date:
    """The holder's date of birth."""
    return _birth(_check_resident_id_structure(resident_id)[6:14])


def sex(resident_id: str) -> Literal["male", "female"]:
    """The holder's sex as registered: an odd sequence number is male, an even one female."""
    return "male" if int(_check_resident_id_structure(resident_id)[16]) % 2 else "female"


def region_code(resident_id: str) -> str:
    """The 6-digit address code of the place the ID was first issued (not where one lives now)."""
    return _check_resident_id_structure(resident_id)[:6]


def make_resident_id(region: str, birth: date, seq: int) -> str:
    """A valid resident ID for synthetic people: address code, birth date, sequence, check."""
    check_county_code(region)
    if not 0 <= seq <= 999:
        raise ValueError(f"resident ID sequence must be 0-999, got {seq}")
    first17 = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


# --- Unified social credit code (GB 32100) ------------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {char: index for index, char in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(_CREDIT_VALUES[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _check_credit_code_shape(value: str) -> str:
    if len(value) != 18:
        raise InvalidIdentifier(f"credit code must be 18 characters, got {len(value)}")
    normalised = value.upper()
    bad = _first_outside(normalised, frozenset(CREDIT_CODE_ALPHABET))
    if bad is not None:
        raise InvalidIdentifier(
            f"credit code character {bad[1]!r} at position {bad[0]} is not allowed "
            "(0-9 and A-Y without I, O, S, V, Z)"
        )
    return normalised


class CreditCode(str):
    """A unified social credit code (统一社会信用代码), upper-cased, with its checksum verdict.

    ``checksum_ok`` is False when the check character is wrong: such codes are accepted (early
    pilot codes fail legitimately) and the flag lets a clerk or a report look at them.
    """

    checksum_ok: bool

    def __new__(cls, value: str) -> Self:
        normalised = _check_credit_code_shape(value)
        code = super().__new__(cls, normalised)
        code.checksum_ok = credit_code_check_char(normalised[:17]) == normalised[17]
        return code

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": "^[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]{18}$",
            "description": "Unified social credit code (GB 32100); checksum verified, not enforced",
        }


def check_credit_code(value: str) -> CreditCode:
    """The code upper-cased, with ``checksum_ok`` set; wrong length or characters are refused."""
    return CreditCode(value)


def make_credit_code(first17: str) -> str:
    """A credit code with the right check character, for synthetic organisations."""
    if len(first17) != 17:
        raise ValueError(f"a credit code body must be 17 characters, got {len(first17)}")
    # A placeholder check character lets the shape check vet (and upper-case) the body.
    body = _check_credit_code_shape(first17 + "0")[:17]
    return body + credit_code_check_char(body)


# --- Marriage and divorce certificates (结婚证 / 离婚证) ------------------------------------------


class MarriageCertificateKind(StrEnum):
    MARRIAGE = "J"  # 结婚证
    DIVORCE = "L"  # 离婚证
    MARRIAGE_REISSUED = "BJ"  # 补发的结婚证
    DIVORCE_REISSUED = "BL"  # 补发的离婚证


class MarriageCertificate(NamedTuple):
    """The parts of a certificate number such as ``J321302-2025-000123``."""

    kind: MarriageCertificateKind
    office_division: str  # the registry office's 6-digit division code
    year: int
    serial: int

    @property
    def number(self) -> str:
        return f"{self.kind.value}{self.office_division}-{self.year:04d}-{self.serial:06d}"


_KIND_PREFIX = re.compile(r"[A-Z]*")


def parse_marriage_certificate(value: str) -> MarriageCertificate:
    """Split a certificate number into its parts, naming the first part that is wrong."""
    text = value.upper()
    prefix = _KIND_PREFIX.match(text)
    letters = prefix.group() if prefix else ""
    try:
        kind = MarriageCertificateKind(letters)
    except ValueError:
        got = letters or text[:1]
        raise InvalidIdentifier(
            f"marriage certificate number must start with J, L, BJ or BL, got {got!r}"
        ) from None
    parts = text[len(letters) :].split("-")
    if len(parts) != 3:
        raise InvalidIdentifier(
            "marriage certificate number must read <J|L|BJ|BL><office division>-<year>-<serial>,"
            " e.g. J321302-2025-000123"
        )
    office = _require_digits(parts[0], 6, "marriage certificate office division code")
    _check_division_shape(office, "marriage certificate office division code")
    year = _require_digits(parts[1], 4, "marriage certificate year")
    serial = _require_digits(parts[2], 6, "marriage certificate serial")
    return MarriageCertificate(kind, office, int(year), int(serial))


def check_marriage_certificate(value: str) -> str:
    """The certificate number in its canonical (upper-case) form, if valid."""
    return parse_marriage_certificate(value).number


_DIVORCE_KINDS = (MarriageCertificateKind.DIVORCE, MarriageCertificateKind.DIVORCE_REISSUED)


def check_divorce_certificate(value: str) -> str:
    """A divorce certificate number (``L``, or ``BL`` for a reissue) in its canonical form.

    A marriage certificate number is well formed too, but names the wrong record: a divorce
    record looked up by it would silently miss, so it is refused here.
    """
    certificate = parse_marriage_certificate(value)
    if certificate.kind not in _DIVORCE_KINDS:
        raise InvalidIdentifier(
            f"divorce certificate number must start with L or BL, got {certificate.kind.value!r}"
        )
    return certificate.number


def make_marriage_certificate(
    kind: MarriageCertificateKind | str, office_division: str, year: int, serial: int
) -> str:
    """A certificate number from its parts, e.g. ``("J", "321302", 2025, 123)``."""
    check_county_code(office_division)
    if not 1000 <= year <= 9999:
        raise ValueError(f"marriage certificate year must have 4 digits, got {year}")
    if not 0 <= serial <= 999_999:
        raise ValueError(f"marriage certificate serial must be 0-999999, got {serial}")
    return MarriageCertificate(MarriageCertificateKind(kind), office_division, year, serial).number


# --- Death certificates (from 2026-07-01) -------------------------------------------------------


def check_death_certificate_no(value: str, today: date | None = None) -> str:
    """The deceased's resident ID, or without one the issuer's credit code + year + serial."""
    if len(value) == 18:
        try:
            return check_resident_id(value, today)
        except InvalidIdentifier as exc:
            raise InvalidIdentifier(f"death certificate number (resident ID form): {exc}") from None
    if len(value) == 26:
        try:
            issuer = CreditCode(value[:18])
        except InvalidIdentifier as exc:
            raise InvalidIdentifier(f"death certificate number (credit code form): {exc}") from None
        year = _require_digits(value[18:22], 4, "death certificate year")
        serial = _require_digits(value[22:], 4, "death certificate serial")
        return f"{issuer}{year}{serial}"
    raise InvalidIdentifier(
        "death certificate number must be 18 characters (the deceased's resident ID) or 26 "
        f"(issuer's credit code + year + serial), got {len(value)}"
    )


# --- Pydantic field types ------------------------------------------------------------------------


def _resident_id(value: str) -> str:
    return check_resident_id(value)


def _death_certificate_no(value: str) -> str:
    return check_death_certificate_no(value)


def _described(pattern: str, description: str) -> WithJsonSchema:
    # The published schema carries the shape; the checksum and date rules are only in the code.
    return WithJsonSchema({"type": "string", "pattern": pattern, "description": description})


ResidentId = Annotated[
    str,
    AfterValidator(_resident_id),
    _described("^[0-9]{17}[0-9Xx]$", "Resident ID number (GB 11643); checksum and date verified"),
]
DivisionCode = Annotated[
    str,
    AfterValidator(check_division_code),
    _described("^[0-9]{6}([0-9]{3}([0-9]{3})?)?$", "Administrative division code (GB/T 2260)"),
]
CountyCode = Annotated[
    str,
    AfterValidator(check_county_code),
    _described("^[0-9]{6}$", "6-digit administrative division code (GB/T 2260)"),
]
MarriageCertificateNo = Annotated[
    str,
    AfterValidator(check_marriage_certificate),
    _described(
        "^([Bb]?[JjLl])[0-9]{6}-[0-9]{4}-[0-9]{6}$",
        "Marriage (J) or divorce (L) certificate number, B for a reissue",
    ),
]
DivorceCertificateNo = Annotated[
    str,
    AfterValidator(check_divorce_certificate),
    _described(
        "^[Bb]?[Ll][0-9]{6}-[0-9]{4}-[0-9]{6}$",
        "Divorce certificate number (L), BL for a reissue",
    ),
]
DeathCertificateNo = Annotated[
    str,
    AfterValidator(_death_certificate_no),
    _described(
        "^([0-9]{17}[0-9Xx]|[0-9A-HJ-NP-RTUW-Ya-hj-np-rtuw-y]{18}[0-9]{8})$",
        "Death certificate number: the deceased's resident ID, else issuer credit code + year"
        " + serial",
    ),
]
