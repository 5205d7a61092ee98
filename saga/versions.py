"""Several versions of a saga served at once: a case stays on the version it started with.

A step table changes (a new step, another deadline), but a case opened under the old table must
finish under it: its state names steps and timers of that table (``CaseState.saga_version``). So
an orchestrator serves every version an open case still uses, starts new cases on the newest, and
a version can be retired only once no open case uses it.

``catalog`` gathers what the saga factories gave (one table, a list of versions, the same name
twice with different versions) into one ``SagaVersions`` per name; the same version of a name
twice is an error unless it is the same table. ``versions_in_use`` reports which versions the
open cases use, ``missing`` which of those a catalog lacks, ``retirable`` which loaded versions
no open case needs any more. The orchestrator refuses to start, and to handle a message, for a
case whose version it does not serve (``SagaVersionMissing``): the message waits, undelivered,
for a worker that has that version loaded, instead of being dead-lettered or run on a table
the case did not start with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from saga.definition import DefinitionError, Saga
from saga.state import CaseState

__all__ = [
    "SagaSource",
    "SagaVersionMissing",
    "SagaVersions",
    "catalog",
    "describe",
    "missing",
    "retirable",
    "versions_in_use",
]


class SagaVersionMissing(LookupError):
    """Open cases use a saga version this orchestrator does not serve; load it again (a factory
    may return several versions) before starting, and retire it only when no case uses it."""

    def __init__(self, needed: Mapping[tuple[str, int], list[str]], served: str) -> None:
        parts = [
            f"saga {name!r} version {version} ({len(cases)} open case(s), e.g. {cases[0]})"
            for (name, version), cases in sorted(needed.items())
        ]
        super().__init__(
            "open cases need saga versions this orchestrator does not serve: "
            f"{'; '.join(parts)}; it serves {served}"
        )
        self.needed = dict(needed)


@dataclass(frozen=True)
class SagaVersions:
    """Every loaded version of one saga, by version number."""

    name: str
    versions: Mapping[int, Saga] = field(default_factory=dict)

    @classmethod
    def of(cls, *sagas: Saga) -> SagaVersions:
        """Several versions of one saga, as a saga factory may return them."""
        [named] = catalog(sagas).values()
        return named

    @property
    def newest(self) -> Saga:
        """The table new cases start on."""
        return self.versions[max(self.versions)]

    def get(self, version: int) -> Saga | None:
        return self.versions.get(version)


SagaSource = Saga | SagaVersions | Iterable[Saga]


def catalog(
    sagas: Mapping[str, SagaSource] | Iterable[SagaSource],
) -> dict[str, SagaVersions]:
    """One ``SagaVersions`` per name from tables, lists of tables or ``SagaVersions``; a mapping's
    keys must be the names of the tables under them."""
    found: dict[str, dict[int, Saga]] = {}
    items = sagas.items() if isinstance(sagas, Mapping) else ((None, s) for s in sagas)
    for key, source in items:
        for saga in _tables(source):
            if key is not None and key != saga.name:
                raise DefinitionError(f"saga {saga.name!r} is given under the name {key!r}")
            versions = found.setdefault(saga.name, {})
            known = versions.get(saga.version)
            if known is not None and known is not saga:
                raise DefinitionError(
                    f"saga {saga.name!r} version {saga.version} is loaded twice with two tables"
                )
            versions[saga.version] = saga
    return {name: SagaVersions(name, dict(sorted(v.items()))) for name, v in found.items()}


def _tables(source: SagaSource) -> list[Saga]:
    if isinstance(source, Saga):
        return [source]
    if isinstance(source, SagaVersions):
        return list(source.versions.values())
    return list(source)


def versions_in_use(
    states: Mapping[str, bytes] | Iterable[CaseState],
) -> dict[str, dict[int, list[str]]]:
    """Saga name → version → the open cases on it (sorted): what may not be retired."""
    used: dict[str, dict[int, list[str]]] = {}
    for state in _states(states):
        if not state.terminal:
            used.setdefault(state.saga, {}).setdefault(state.saga_version, []).append(state.case_id)
    return {
        name: {version: sorted(cases) for version, cases in sorted(by_version.items())}
        for name, by_version in sorted(used.items())
    }


def missing(
    served: Mapping[str, SagaVersions], states: Mapping[str, bytes] | Iterable[CaseState]
) -> dict[tuple[str, int], list[str]]:
    """(name, version) → open cases, for every version of a served saga that is not loaded."""
    return {
        (name, version): cases
        for name, by_version in versions_in_use(states).items()
        if name in served
        for version, cases in by_version.items()
        if served[name].get(version) is None
    }


def retirable(
    served: Mapping[str, SagaVersions], states: Mapping[str, bytes] | Iterable[CaseState]
) -> dict[str, list[int]]:
    """Name → the loaded versions, newest excepted, that no open case uses."""
    used = versions_in_use(states)
    out: dict[str, list[int]] = {}
    for name, versions in served.items():
        newest = max(versions.versions)
        idle = [v for v in versions.versions if v != newest and v not in used.get(name, {})]
        if idle:
            out[name] = idle
    return out


def _states(states: Mapping[str, bytes] | Iterable[CaseState]) -> Iterable[CaseState]:
    if isinstance(states, Mapping):
        return (CaseState.model_validate_json(raw) for raw in states.values())
    return states


def describe(served: Mapping[str, SagaVersions]) -> str:
    """``afterlife v1, v2; marriage v1``, for errors and logs."""
    return (
        "; ".join(
            f"{name} " + ", ".join(f"v{v}" for v in versions.versions)
            for name, versions in sorted(served.items())
        )
        or "no saga"
    )
