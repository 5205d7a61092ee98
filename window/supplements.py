"""What a window may bring as a 补正: only the fields the case asked for, each valid as the
application form says.

The step waiting for the supplement names its fields in the read model (``supplement_fields``,
from the refusal's reason code). A path nobody asked for — the person's identity, the division,
the window, anything else — is a 422 naming it, and so is a value the form would refuse; nothing
is published. The engine applies the same rule to what does reach it (``saga.supplements``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

from saga.supplements import flatten, unrequested

__all__ = ["check_supplement", "requested"]


def requested(steps: Mapping[str, Mapping[str, Any]], waiting: str) -> list[str]:
    """Every field the case's waiting steps asked for."""
    fields = {
        str(field)
        for row in steps.values()
        if row.get("status") == waiting
        for field in row.get("supplement_fields", [])
    }
    return sorted(fields)


def check_supplement(
    data: Mapping[str, Any], fields: list[str], form: type[BaseModel] | None
) -> None:
    """Raise a 422 listing every path not asked for and every value the form refuses."""
    errors: list[dict[str, Any]] = [
        {
            "loc": ("body", "data", *path.split(".")),
            "msg": f"not asked for by this case's 补正; it may set only: {', '.join(fields)}",
            "type": "supplement_field_not_requested",
        }
        for path in unrequested(data, fields)
    ]
    if form is not None and not errors:
        for path, value in flatten(data).items():
            errors += _value_errors(form, path, value)
    if errors:
        raise RequestValidationError(errors)


def _value_errors(form: type[BaseModel], path: str, value: Any) -> list[dict[str, Any]]:
    """The form's own rule for the field at ``path``, applied to ``value``."""
    model: type[BaseModel] = form
    *parents, leaf = path.split(".")
    for name in parents:
        nested = (
            _model_in(model.model_fields[name].annotation) if name in model.model_fields else None
        )
        if nested is None:
            return []
        model = nested
    info = model.model_fields.get(leaf)
    if info is None:
        return []
    try:
        # The field's type with its own constraints (pattern, length) as one standalone type.
        field_type: Any = Annotated[info.annotation, info]  # built at run time: no static form
        TypeAdapter(field_type).validate_python(value)
    except ValidationError as exc:
        return [
            {
                "loc": ("body", "data", *path.split("."), *e["loc"]),
                "msg": e["msg"],
                "type": e["type"],
            }
            for e in exc.errors()
        ]
    return []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The form model a field holds (``Applicant``, or ``BankAccount`` of ``BankAccount | None``)."""
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None
