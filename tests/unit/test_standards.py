"""Local assistance standards: the seed divisions' figures to the fen, versions by date, the
lookup through enclosing divisions, and files that cannot be read."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from contracts.standards import (
    DATA_DIR,
    LocalFigures,
    NoLocalStandard,
    StandardsFileError,
    default_standards,
    load_standards,
)

ON = date(2026, 3, 2)


def figures(division: str, on: date = ON) -> LocalFigures:
    return default_standards().figures(division, on)


# division: dibao urban / rural, tekun urban / rural, centralised urban / rural, low-income urban
SEED = {
    "321200": (71_000, 71_000, 92_300, 92_300, 92_300, 92_300, 106_500),  # Taizhou, 1.3 x
    "210500": (66_500, 45_000, 86_500, 58_500, 86_500, 58_500, 99_750),  # Benxi, rural 5400/yr
    "220502": (60_000, 41_000, 71_500, 44_200, 110_000, 68_000, 90_000),  # Dongchang's own tekun
    "320585": (75_000, 75_000, 97_500, 97_500, 97_500, 97_500, 112_500),  # Taicang
    "321300": (70_000, 70_000, 91_000, 91_000, 91_000, 91_000, 105_000),  # Suqian (ASSUMPTION)
}


@pytest.mark.parametrize("division", sorted(SEED))
def test_each_seed_division_has_its_figures_to_the_fen(division: str) -> None:
    f = figures(division)
    got = (
        f.dibao(urban=True).fen,
        f.dibao(urban=False).fen,
        f.tekun(urban=True).fen,
        f.tekun(urban=False).fen,
        f.tekun(urban=True, centralised=True).fen,
        f.tekun(urban=False, centralised=True).fen,
        f.low_income_line(urban=True).fen,
    )
    assert SEED[division] == got


def test_benxis_yearly_rural_standard_is_a_twelfth_a_month() -> None:
    rural = figures("210500").dibao_rural
    assert (45_000, "210500") == (rural.fen, rural.division)
    assert "5400 yuan a year" in rural.source


def test_tekun_as_a_multiple_is_rounded_up_to_the_yuan() -> None:
    # 665 x 1.3 = 864.5: "not lower than 1.3 x" makes it 865.
    assert 86_500 == figures("210500").tekun_urban.fen


def test_a_district_takes_its_citys_standard() -> None:
    hailing = figures("321202")
    assert (71_000, "321200") == (hailing.dibao_urban.fen, hailing.dibao_urban.division)


def test_derived_figures_name_both_rules_they_are_made_of() -> None:
    f = figures("321200")
    assert "1.3" in f.tekun_urban.source and "710" in f.tekun_urban.source
    assert "1.5" in f.low_income_urban.source and "710" in f.low_income_urban.source


def test_every_figure_carries_a_source() -> None:
    f = figures("220502")
    every = [
        f.dibao_urban,
        f.dibao_rural,
        f.tekun_urban,
        f.tekun_rural_centralised,
        f.low_income_rural,
        f.living_subsidy,
        *f.nursing_subsidy.values(),
        f.emergency_cap_per_person,
        f.township_cap,
    ]
    assert all(figure.source.strip() for figure in every)
    assert f.rigid_spending.source and all(period.source for period in f.deadlines.values())


def test_dongchangs_temporary_aid_caps() -> None:
    f = figures("220502")
    assert 100_000 == f.emergency_cap_per_person.fen  # 1000 yuan a person
    assert 360_000 == f.township_cap.fen  # 6 x the urban 600


def test_suqians_care_tiers_are_shares_of_the_minimum_wage() -> None:
    tiers = figures("321300").care_tiers
    assert tiers is not None
    assert (62_100, 31_050, 10_350) == (tiers.unable.fen, tiers.partly.fen, tiers.able.fen)
    assert figures("321200").care_tiers is None


def test_suqian_decides_within_15_working_days_from_2025() -> None:
    now = figures("321300", date(2025, 1, 1)).deadlines["decision"]
    before = figures("321300", date(2024, 12, 31)).deadlines["decision"]
    assert (15, "working_day", "321300") == (now.value, now.unit, now.division)
    assert (30, "working_day", "000000") == (before.value, before.unit, before.division)


def test_jiangsu_notices_for_5_working_days_and_elsewhere_7_days() -> None:
    taicang = figures("320585").deadlines["public_notice"]
    benxi = figures("210500").deadlines["public_notice"]
    assert (5, "working_day", "320000") == (taicang.value, taicang.unit, taicang.division)
    assert (7, "calendar_day", "000000") == (benxi.value, benxi.unit, benxi.division)


def test_a_standard_not_yet_in_force_is_not_found() -> None:
    with pytest.raises(NoLocalStandard, match="220502 on 2021-06-30"):
        figures("220502", date(2021, 6, 30))


def test_a_division_without_a_standard_is_not_found() -> None:
    with pytest.raises(NoLocalStandard, match="110105"):
        figures("110105")


def test_deadline_entries_list_every_divisions_override() -> None:
    entries = default_standards().deadline_entries("decision")
    assert [("000000", 30), ("321300", 15)] == [(code, e.value) for code, e in entries]


def copy_data(tmp_path: Path) -> Path:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def test_a_new_entry_takes_effect_on_its_day_and_the_old_one_stays(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    with (data / "320585.toml").open("a", encoding="utf-8") as file:
        file.write(
            "\n[[dibao]]\neffective_from = 2026-07-01\nurban = 985.50\nrural = 985.50\n"
            'source = "a revised standard"\n'
        )
    standards = load_standards(data)
    assert 98_550 == standards.figures("320585", date(2026, 7, 1)).dibao_urban.fen
    assert 75_000 == standards.figures("320585", date(2026, 6, 30)).dibao_urban.fen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("urban = 710.005\nrural = 710", r"320585.toml: dibao.0.urban.yuan: .*2 decimal"),
        ("urban = 710\nrural = 710\nbonus = 1", r"320585.toml: dibao.0.bonus: Extra inputs"),
        ("urban = 710", r"320585.toml: dibao.0.rural: Field required"),
        ("urban = -1\nrural = 710", r"320585.toml: dibao.0.urban.yuan: .*greater than or equal"),
    ],
)
def test_a_broken_entry_names_the_file_and_the_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    data = copy_data(tmp_path)
    (data / "320585.toml").write_text(
        f'division = "320585"\nname = "太仓市"\n[[dibao]]\neffective_from = 2015-01-01\n'
        f'source = "s"\n{text}\n',
        encoding="utf-8",
    )
    with pytest.raises(StandardsFileError, match=expected):
        load_standards(data)


def test_tekun_gives_a_multiple_or_amounts_not_both(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    with (data / "321200.toml").open("a", encoding="utf-8") as file:
        file.write(
            '\n[[tekun]]\neffective_from = 2026-01-01\ntimes_dibao = "1.3"\nurban = 900\n'
            'rural = 900\nsource = "s"\n'
        )
    with pytest.raises(StandardsFileError, match=r"321200.toml: tekun.1: .*either times_dibao"):
        load_standards(data)


def test_two_entries_on_the_same_day_are_refused(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    with (data / "320585.toml").open("a", encoding="utf-8") as file:
        file.write('\n[[dibao]]\neffective_from = 2015-01-01\nurban = 1\nrural = 1\nsource = "s"\n')
    with pytest.raises(StandardsFileError, match=r"320585.toml: dibao: .*same day"):
        load_standards(data)


def test_a_file_must_be_named_for_its_division(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    (data / "320585.toml").rename(data / "320586.toml")
    with pytest.raises(StandardsFileError, match=r"320586.toml: division 320585"):
        load_standards(data)


def test_the_national_rules_file_is_required(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    (data / "000000.toml").unlink()
    with pytest.raises(StandardsFileError, match=r"000000.toml: the national rules file"):
        load_standards(data)


def test_asset_limits_come_from_the_national_rules_where_a_division_has_none() -> None:
    limits = figures("321200").assets
    assert (limits.financial_months_of_dibao, limits.homes, limits.vehicles) == (24, 1, 0)
    assert "民发〔2021〕57号" in limits.source


def test_an_asset_limit_out_of_range_is_refused(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    (data / "320585.toml").write_text(
        'division = "320585"\nname = "太仓市"\n[[assets]]\neffective_from = 2015-01-01\n'
        'source = "s"\nfinancial_months_of_dibao = 0\nhomes = 1\nvehicles = 0\nbusinesses = 0\n',
        encoding="utf-8",
    )
    with pytest.raises(StandardsFileError, match=r"assets.0.financial_months_of_dibao: .*greater"):
        load_standards(data)
