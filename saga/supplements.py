"""补正: a supplement changes only the fields the case asked for.

A refusal whose reason code is one of a step's ``supplement_codes`` puts the step in
``waiting_supplement`` and records which fields the applicant may now set (the table maps each
code to them, e.g. ``date_of_death_mismatch`` → ``date_of_death``). A supplement names fields as
paths into the case data (``applicant.relation``, or nested objects that flatten to them); it is
taken only if every path is one a waiting step asked for (or lies inside one), and then each
value is set at its path, so a nested field never replaces its siblings. Anything else — a
field nobody asked for, the person's identity, the division, the window — refuses the whole
supplement: nothing is merged and nothing resumes. The window refuses such a request before it
is sent (a 422 naming the field); this is the same rule where the case data is kept.

The family's application joining a case that opened by itself (``SupplementCase.application``)
is not a 补正: it brings the whole form, which the window has validated as an application.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from contracts.lifecycle import CaseEventType, StepStatus
from contracts.saga import SupplementCase
from saga import forward
from saga.run import Run

__all__ = ["MASK", "allowed", "flatten", "on_supplement", "requested_fields", "unrequested"]

MASK = "***"  # a supplement's values are personal data: the timeline shows which, not what


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted paths to their leaves: ``{"a": {"b": 1}}`` → ``{"a.b": 1}``."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out |= flatten(value, f"{path}.")
        else:
            out[path] = value
    return out


def allowed(path: str, requested: Iterable[str]) -> bool:
    """A path is allowed when it is a requested field or lies inside one."""
    return any(path == field or path.startswith(f"{field}.") for field in requested)


def unrequested(data: Mapping[str, Any], requested: Iterable[str]) -> list[str]:
    """The paths of ``data`` that no requested field covers, sorted."""
    fields = list(requested)
    return sorted(path for path in flatten(data) if not allowed(path, fields))


def requested_fields(run: Run) -> list[str]:
    """Every field a step waiting for a supplement asked for."""
    return sorted(
        {
            field
            for st in run.state.steps.values()
            if st.status is StepStatus.WAITING_SUPPLEMENT
            for field in st.supplement_fields
        }
    )


def on_supplement(run: Run, supplement: SupplementCase) -> list[str]:
    """Merge a supplement if it keeps to what was asked; the steps it resumed (none if refused)."""
    if supplement.application:
        run.state.data.update(supplement.data)
        return _received(run, supplement, flatten(supplement.data))
    requested = requested_fields(run)
    refused = unrequested(supplement.data, requested)
    if refused or not requested:
        run.emit(
            CaseEventType.SUPPLEMENT_REFUSED,
            actor=supplement.actor,
            reason="补正只能补充或更正所要求的材料",
            detail={"fields": refused or sorted(flatten(supplement.data)), "requested": requested},
        )
        return []
    changed = flatten(supplement.data)
    for path, value in changed.items():
        _set(run.state.data, path, value)
    return _received(run, supplement, changed)


def _received(run: Run, supplement: SupplementCase, changed: Mapping[str, Any]) -> list[str]:
    resumed = forward.resume_waiting(run)
    run.emit(
        CaseEventType.SUPPLEMENT_RECEIVED,
        actor=supplement.actor,
        reason=supplement.note,
        detail={"changed": dict.fromkeys(sorted(changed), MASK), "resumed": resumed},
    )
    return resumed


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = data
    for key in parents:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[leaf] = value
