"""The machinery of a window form: every broken rule reported at once, naming each field.

A form's whole-form rules (a date of death before the deceased's birth, the same person twice,
a payout without an account) are checked on whatever parts of the raw input could be read, beside
the errors of the fields themselves, which pydantic's ``mode="after"`` validators cannot do (they
run only on a form without field errors). Each one-thing's forms (``contracts.window``,
``contracts.marriage``) subclass ``Form`` and set ``form_rules``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, ClassVar, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    ModelWrapValidatorHandler,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from contracts.fields import IsoDate
from contracts.identifiers import InvalidIdentifier, check_resident_id, today_in_china

__all__ = [
    "Broken",
    "Form",
    "FormRules",
    "Loc",
    "age_on",
    "date_or_none",
    "part",
    "resident_id_or_none",
]

Loc = tuple[str | int, ...]
Broken = tuple[Loc, str]  # where a whole-form rule is broken, and which rule
FormRules = Callable[[Mapping[str, Any], date], list[Broken]]


_DATE: TypeAdapter[date] = TypeAdapter(IsoDate)  # a raw form's dates, read as the field does


def _rules_none(_raw: Mapping[str, Any], _today: date) -> list[Broken]:
    return []


def _as_mapping(data: object) -> Mapping[str, Any] | None:
    """The raw form as a mapping: given as one, as JSON text, or as a model (from Python)."""
    if isinstance(data, str | bytes | bytearray):
        try:
            data = json.loads(data)
        except ValueError:
            return None
    if isinstance(data, BaseModel):
        return data.model_dump()
    return data if isinstance(data, Mapping) else None


class Form(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    # The form's whole-form rules, over the raw input (see the module docstring).
    form_rules: ClassVar[FormRules] = _rules_none

    @model_validator(mode="wrap")
    @classmethod
    def _every_rule(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        raw = _as_mapping(data)
        if raw is None or isinstance(data, cls):
            return handler(data)  # not a form (the field errors say so), or one already checked
        errors: list[InitErrorDetails] = []
        try:
            form = handler(data)
        except ValidationError as exc:
            errors = [
                InitErrorDetails(
                    type=PydanticCustomError(error["type"], error["msg"]),
                    loc=error["loc"],
                    input=error["input"],
                )
                for error in exc.errors()
            ]
        failed = {error["loc"] for error in errors}
        for loc, rule in cls.form_rules(raw, today_in_china()):
            if loc not in failed:
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError("form_rule", rule), loc=loc, input=None
                    )
                )
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return form


# --- Reading the parts of a raw form that the whole-form rules need ------------------------------


def part(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value if isinstance(value, Mapping) else {}


def resident_id_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return check_resident_id(value.strip())
    except InvalidIdentifier:
        return None


def date_or_none(value: object) -> date | None:
    try:
        return _DATE.validate_python(value)
    except ValidationError:
        return None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
