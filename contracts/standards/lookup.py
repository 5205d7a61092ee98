"""The figures in force for a division on a day, each with the source it came from.

A figure is looked up kind by kind: the division itself first, then each division containing
it (Taizhou's 321200 covers Hailing 321202; Jiangsu's 320000 covers Taizhou), then the national
rules (``000000``), and at the first level that has entries the latest one in force on the day
wins. So Suqian's own 15-working-day decision deadline replaces the national 30 from the day it
took effect, and a Jiangsu city without a public-notice rule of its own gets the province's.
The dibao standard has no national figure: a division with none raises ``NoLocalStandard``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar, get_args

from pydantic import ValidationError

from contracts.identifiers import enclosing_divisions
from contracts.standards.files import (
    NATIONAL,
    AssetsEntry,
    CareTiersEntry,
    DatedEntry,
    DeadlineEntry,
    DeadlineName,
    DivisionFile,
    LowIncomeEntry,
    Money,
    SpendingKind,
    TekunEntry,
    TemporaryAidEntry,
)

__all__ = [
    "DATA_DIR",
    "AssetLimits",
    "CareTiers",
    "Figure",
    "LocalFigures",
    "LocalPeriod",
    "NoLocalStandard",
    "RigidSpending",
    "Standards",
    "StandardsFileError",
    "default_standards",
    "load_standards",
]

DATA_DIR = Path(__file__).with_name("data")
_Entry = TypeVar("_Entry", bound=DatedEntry)


class NoLocalStandard(LookupError):
    """No dibao standard is published for a division (or any division containing it) on a day."""


class StandardsFileError(ValueError):
    """A standards file that cannot be read; the message names the file, the field and the rule."""


@dataclass(frozen=True)
class Figure:
    """An amount a month in fen, where it applies from and the source that gives it."""

    fen: int
    division: str
    effective_from: date
    source: str


@dataclass(frozen=True)
class LocalPeriod:
    """A statutory period (``value`` ``unit``s) and where it comes from."""

    value: int
    unit: str
    division: str
    effective_from: date
    source: str


@dataclass(frozen=True)
class RigidSpending:
    kinds: tuple[SpendingKind, ...]
    deducted_for_dibao: bool
    deducted_for_low_income: bool
    source: str


@dataclass(frozen=True)
class AssetLimits:
    """What a dibao or low-income household may own: financial assets a member up to so many
    months of the household's own (urban or rural) dibao standard, and at most so many homes,
    vehicles and registered businesses."""

    financial_months_of_dibao: int
    homes: int
    vehicles: int
    businesses: int
    source: str


@dataclass(frozen=True)
class CareTiers:
    """特困 care standard a month by self-care ability (unable / partly able / able)."""

    unable: Figure
    partly: Figure
    able: Figure


@dataclass(frozen=True)
class LocalFigures:
    """Every figure the assessment needs for one division on one day."""

    division: str
    on: date
    dibao_urban: Figure
    dibao_rural: Figure
    tekun_urban: Figure
    tekun_rural: Figure
    tekun_urban_centralised: Figure
    tekun_rural_centralised: Figure
    low_income_urban: Figure
    low_income_rural: Figure
    rigid_spending: RigidSpending
    living_subsidy: Figure
    nursing_subsidy: Mapping[int, Figure]
    care_tiers: CareTiers | None
    emergency_cap_per_person: Figure
    township_cap: Figure
    assets: AssetLimits
    deadlines: Mapping[DeadlineName, LocalPeriod]

    def dibao(self, urban: bool) -> Figure:
        return self.dibao_urban if urban else self.dibao_rural

    def tekun(self, urban: bool, centralised: bool = False) -> Figure:
        if centralised:
            return self.tekun_urban_centralised if urban else self.tekun_rural_centralised
        return self.tekun_urban if urban else self.tekun_rural

    def low_income_line(self, urban: bool) -> Figure:
        return self.low_income_urban if urban else self.low_income_rural


@dataclass(frozen=True)
class _Found(Generic[_Entry]):
    entry: _Entry
    division: str

    def figure(self, fen: int, source: str | None = None) -> Figure:
        return Figure(fen, self.division, self.entry.effective_from, source or self.entry.source)


class Standards:
    """The standards files of every division, read and checked once."""

    def __init__(self, files: Iterable[DivisionFile]) -> None:
        self._files = {file.division: file for file in files}
        if NATIONAL not in self._files:
            raise StandardsFileError(f"{NATIONAL}.toml: the national rules file is missing")

    @property
    def divisions(self) -> tuple[str, ...]:
        return tuple(sorted(self._files))

    def figures(self, division: str, on: date) -> LocalFigures:
        """Every figure in force for ``division`` on ``on``; ``NoLocalStandard`` without dibao."""
        dibao = self._find(division, on, lambda f: f.dibao)
        if dibao is None:
            raise NoLocalStandard(f"no dibao standard for division {division} on {on.isoformat()}")
        urban = dibao.figure(dibao.entry.urban.monthly_fen())
        rural = dibao.figure(dibao.entry.rural.monthly_fen())
        tekun = self._required(division, on, "tekun", lambda f: f.tekun)
        low = self._required(division, on, "low_income", lambda f: f.low_income)
        rigid = self._required(division, on, "rigid_spending", lambda f: f.rigid_spending)
        subsidies = self._required(division, on, "two_subsidies", lambda f: f.two_subsidies)
        aid = self._required(division, on, "temporary_aid", lambda f: f.temporary_aid)
        care = self._find(division, on, lambda f: f.care_tiers)
        assets = self._required(division, on, "assets", lambda f: f.assets)
        times = low.entry.times_dibao
        return LocalFigures(
            division=division,
            on=on,
            dibao_urban=urban,
            dibao_rural=rural,
            tekun_urban=_tekun(tekun, urban, tekun.entry.urban),
            tekun_rural=_tekun(tekun, rural, tekun.entry.rural),
            tekun_urban_centralised=_tekun(
                tekun, urban, tekun.entry.urban_centralised or tekun.entry.urban
            ),
            tekun_rural_centralised=_tekun(
                tekun, rural, tekun.entry.rural_centralised or tekun.entry.rural
            ),
            low_income_urban=low.figure(_times(urban.fen, times), _of(low, urban)),
            low_income_rural=low.figure(_times(rural.fen, times), _of(low, rural)),
            rigid_spending=RigidSpending(
                tuple(rigid.entry.kinds),
                rigid.entry.deducted_for_dibao,
                rigid.entry.deducted_for_low_income,
                rigid.entry.source,
            ),
            living_subsidy=subsidies.figure(subsidies.entry.living.monthly_fen()),
            nursing_subsidy={
                grade: subsidies.figure(money.monthly_fen())
                for grade, money in sorted(subsidies.entry.nursing_by_grade.items())
            },
            care_tiers=None if care is None else _care(care),
            emergency_cap_per_person=aid.figure(aid.entry.emergency_cap_per_person.monthly_fen()),
            township_cap=aid.figure(
                aid.entry.township_cap_times_urban_dibao * urban.fen, _of(aid, urban)
            ),
            assets=_assets(assets),
            deadlines=self._deadlines(division, on),
        )

    def deadline_entries(self, name: DeadlineName) -> list[tuple[str, DeadlineEntry]]:
        """Every division's entries for one deadline, for a saga's per-division overrides."""
        return [
            (code, entry)
            for code, file in sorted(self._files.items())
            for entry in file.deadline
            if entry.name == name
        ]

    def _deadlines(self, division: str, on: date) -> dict[DeadlineName, LocalPeriod]:
        periods: dict[DeadlineName, LocalPeriod] = {}
        for name in get_args(DeadlineName):
            found = self._find(division, on, _deadlines_named(name))
            if found is not None:
                entry = found.entry
                periods[entry.name] = LocalPeriod(
                    entry.value, entry.unit, found.division, entry.effective_from, entry.source
                )
        return periods

    def _find(
        self, division: str, on: date, entries: Callable[[DivisionFile], Sequence[_Entry]]
    ) -> _Found[_Entry] | None:
        for code in [*enclosing_divisions(division), NATIONAL]:
            file = self._files.get(code)
            if file is None:
                continue
            in_force = [entry for entry in entries(file) if entry.effective_from <= on]
            if in_force:
                return _Found(max(in_force, key=lambda entry: entry.effective_from), code)
        return None

    def _required(
        self,
        division: str,
        on: date,
        kind: str,
        entries: Callable[[DivisionFile], Sequence[_Entry]],
    ) -> _Found[_Entry]:
        found = self._find(division, on, entries)
        if found is None:
            # The national file gives every kind but dibao: only a broken data set gets here.
            raise NoLocalStandard(f"no {kind} rule for division {division} on {on.isoformat()}")
        return found


def load_standards(directory: Path = DATA_DIR) -> Standards:
    """Read and check every ``<division>.toml`` in ``directory``."""
    return Standards(_read(path) for path in sorted(directory.glob("*.toml")))


@cache
def default_standards() -> Standards:
    """The standards shipped with the project, read once per process."""
    return load_standards()


def _read(path: Path) -> DivisionFile:
    try:
        file = DivisionFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise StandardsFileError(f"{path.name}: not TOML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise StandardsFileError(f"{path.name}: {problems}") from exc
    if path.stem != file.division:
        raise StandardsFileError(f"{path.name}: division {file.division} must match the file name")
    return file


def _deadlines_named(name: str) -> Callable[[DivisionFile], list[DeadlineEntry]]:
    return lambda file: [entry for entry in file.deadline if entry.name == name]


def _times(fen: int, times: Decimal) -> int:
    return int((fen * times).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _of(found: _Found[LowIncomeEntry] | _Found[TemporaryAidEntry], dibao: Figure) -> str:
    # A derived figure names both rules it is made of.
    return f"{found.entry.source}; of the dibao standard: {dibao.source}"


def _tekun(found: _Found[TekunEntry], dibao: Figure, own: Money | None) -> Figure:
    """The division's own amount, else the multiple of its dibao standard, rounded up to the
    yuan because the rule is "not lower than". (A centralised amount not given is the dispersed
    one: the caller passes that as ``own``.)"""
    if own is not None:
        return found.figure(own.monthly_fen())
    times = found.entry.times_dibao
    assert times is not None  # TekunEntry holds either a multiple or both amounts
    yuan = (Decimal(dibao.fen) * times / 100).quantize(Decimal(1), ROUND_CEILING)
    return found.figure(
        int(yuan) * 100, f"{found.entry.source}; of the dibao standard: {dibao.source}"
    )


def _assets(found: _Found[AssetsEntry]) -> AssetLimits:
    entry = found.entry
    return AssetLimits(
        entry.financial_months_of_dibao, entry.homes, entry.vehicles, entry.businesses, entry.source
    )


def _care(found: _Found[CareTiersEntry]) -> CareTiers:
    entry = found.entry
    wage = entry.minimum_wage.monthly_fen()

    def share(percent: int) -> Figure:
        return found.figure(
            int((Decimal(wage) * percent / 100).quantize(Decimal(1), ROUND_HALF_UP))
        )

    return CareTiers(
        share(entry.unable_percent), share(entry.partly_percent), share(entry.able_percent)
    )
