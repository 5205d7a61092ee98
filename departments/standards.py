"""Local assistance standards: dibao 最低生活保障 and tekun 特困 per month, by division and date.

The figures come from the municipal plans (泰州, 宿迁, 本溪, 东昌, 太仓); where a plan gives none, the
figure is marked ASSUMPTION in ``source``. A standard applies to its division and everything in
it (Taizhou's 321200 covers Hailing 321202), the most specific division first, and the latest
version in force on the day asked. Tekun is at least 1.3 × dibao where the plan gives no figure
of its own (Taizhou's rule). Amounts are fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.identifiers import enclosing_divisions

__all__ = ["STANDARDS", "LocalStandard", "NoLocalStandard", "standard_for"]


class NoLocalStandard(LookupError):
    """No standard is published for a division (or any division containing it) on a day."""


@dataclass(frozen=True)
class LocalStandard:
    division: str
    effective_from: date
    dibao_urban_fen: int
    dibao_rural_fen: int
    tekun_urban_fen: int
    tekun_rural_fen: int
    source: str

    def dibao_fen(self, urban: bool) -> int:
        return self.dibao_urban_fen if urban else self.dibao_rural_fen

    def tekun_fen(self, urban: bool) -> int:
        return self.tekun_urban_fen if urban else self.tekun_rural_fen


def _tekun(dibao_fen: int) -> int:
    # 1.3 × dibao, rounded up to the yuan: "not lower than" is the rule.
    return -(-dibao_fen * 13 // 1000) * 100


STANDARDS: tuple[LocalStandard, ...] = (
    LocalStandard(
        "321200",
        date(2021, 1, 1),  # ASSUMPTION: the plan gives the figure at the end of 2020, no date
        71_000,
        71_000,
        _tekun(71_000),
        _tekun(71_000),
        "Taizhou plan: 710 yuan urban = rural; tekun >= 1.3 x dibao",
    ),
    LocalStandard(
        "210500",
        date(2021, 1, 1),  # ASSUMPTION: date as for Taizhou
        66_500,
        45_000,
        _tekun(66_500),
        _tekun(45_000),
        "Benxi plan: urban 665 yuan/month, rural 5400 yuan/year; tekun 1.3 x (ASSUMPTION)",
    ),
    LocalStandard(
        "220502",
        date(2021, 7, 1),
        60_000,
        41_000,
        71_500,
        44_200,
        "Dongchang plan: from 2021-07-01 urban 600 / rural 410; tekun 715 / 442 (dispersed)",
    ),
    LocalStandard(
        "320585",
        date(2015, 1, 1),
        75_000,
        75_000,
        _tekun(75_000),
        _tekun(75_000),
        "Taicang plan: 750 yuan urban = rural (2015); tekun 1.3 x (ASSUMPTION)",
    ),
    LocalStandard(
        "321300",
        date(2024, 1, 1),
        70_000,
        70_000,
        _tekun(70_000),
        _tekun(70_000),
        "ASSUMPTION: the Suqian plan gives no amount; 700 yuan is an illustrative Jiangsu figure",
    ),
)


def standard_for(division: str, on: date) -> LocalStandard:
    """The standard in force for ``division`` on ``on``, or ``NoLocalStandard``."""
    for code in enclosing_divisions(division):
        versions = [s for s in STANDARDS if s.division == code and s.effective_from <= on]
        if versions:
            return max(versions, key=lambda s: s.effective_from)
    raise NoLocalStandard(f"no dibao standard for division {division} on {on.isoformat()}")
