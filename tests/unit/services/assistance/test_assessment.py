"""H4, the one assessment: every programme's amount to the fen for each seed division, the
exclusions between programmes, and the reasons a refusal gives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts.standards import default_standards
from services.assistance.assessment import (
    HouseholdFacts,
    Member,
    Programme,
    assess,
    yuan,
)

ON = date(2026, 3, 2)


def worker(n: int = 1, **changes: Any) -> Member:
    return Member(member_id=f"m{n}", able_to_work=True, **changes)


def frail(n: int = 1, **changes: Any) -> Member:
    """Someone who cannot work and whom nobody supports: a tekun candidate."""
    return Member(member_id=f"m{n}", able_to_work=False, **changes)


def household(division: str, *members: Member, income: int, **facts: Any) -> HouseholdFacts:
    return HouseholdFacts(
        division=division,
        urban=facts.pop("urban", True),
        members=members,
        monthly_income_fen=income,
        **facts,
    )


def run(facts: HouseholdFacts, on: date = ON) -> Any:
    return assess(facts, default_standards().figures(facts.division, on))


@pytest.mark.parametrize(
    ("division", "urban", "standard_fen"),
    [
        ("321200", True, 71000),  # Taizhou: 710 urban = rural
        ("321200", False, 71000),
        ("210500", True, 66500),  # Benxi: urban 665 a month
        ("210500", False, 45000),  # Benxi: rural 5400 a year = 450 a month
        ("220502", True, 60000),  # Dongchang from 2021-07-01: urban 600
        ("220502", False, 41000),  # rural 410
        ("320585", True, 75000),  # Taicang: 750
        ("321300", True, 70000),  # Suqian (an illustrative figure, the plan gives none)
    ],
)
def test_dibao_is_the_standard_times_members_less_the_households_income(
    division: str, urban: bool, standard_fen: int
) -> None:
    # Three people, 1 000.01 yuan a month between them: 333.33 yuan a person (rounded down).
    facts = household(division, worker(1), worker(2), worker(3), income=100001, urban=urban)
    result = run(facts).result(Programme.DIBAO)
    assert result.eligible
    assert result.monthly_fen == (standard_fen - 33333) * 3
    assert [figure.fen for figure in result.basis] == [standard_fen]
    assert result.basis[0].source


def test_a_household_at_the_standard_is_refused_with_its_per_capita_income_in_chinese() -> None:
    result = run(household("321200", worker(1), worker(2), income=142000)).result(Programme.DIBAO)
    assert not result.eligible and result.monthly_fen == 0
    assert result.reasons == ("家庭人均收入710.00元，不低于当地低保标准710.00元",)


def test_dongchang_before_its_2021_standard_has_none_and_after_it_600() -> None:
    facts = household("220502", worker(), income=0)
    assert run(facts, date(2021, 7, 1)).result(Programme.DIBAO).monthly_fen == 60000
    with pytest.raises(LookupError):
        run(facts, date(2021, 6, 30))


@pytest.mark.parametrize(
    ("division", "urban", "centralised", "tekun_fen"),
    [
        ("321200", True, False, 92300),  # Taizhou: 1.3 x 710 = 923
        ("220502", True, False, 71500),  # Dongchang: its own 715
        ("220502", True, True, 110000),  # centralised 1100
        ("220502", False, False, 44200),  # rural 442
        ("220502", False, True, 68000),  # rural centralised 680
        ("320585", True, False, 97500),  # Taicang: 1.3 x 750 = 975
        ("210500", False, False, 58500),  # Benxi rural: 1.3 x 450 = 585
    ],
)
def test_tekun_pays_its_standard_to_each_member_and_excludes_dibao(
    division: str, urban: bool, centralised: bool, tekun_fen: int
) -> None:
    facts = household(
        division, frail(1), frail(2), income=10000, urban=urban, centralised=centralised
    )
    assessment = run(facts)
    tekun = assessment.result(Programme.TEKUN)
    assert tekun.eligible
    assert [member.monthly_fen for member in tekun.members] == [tekun_fen, tekun_fen]
    assert tekun.monthly_fen == 2 * tekun_fen
    dibao = assessment.result(Programme.DIBAO)
    assert not dibao.eligible and dibao.reasons == ("已认定为特困人员，不重复享受低保",)
    assert not assessment.result(Programme.LOW_INCOME).eligible


def test_suqian_adds_the_care_standard_by_self_care_ability() -> None:
    # 30 / 15 / 5 % of the 2 070-yuan minimum wage: 621.00, 310.50, 103.50 over 1.3 x 700 = 910.
    facts = household(
        "321300",
        frail(1, self_care="unable"),
        frail(2, self_care="partly"),
        frail(3, self_care="able"),
        income=0,
    )
    tekun = run(facts).result(Programme.TEKUN)
    assert [m.monthly_fen for m in tekun.members] == [91000 + 62100, 91000 + 31050, 91000 + 10350]
    assert all(len(member.basis) == 2 for member in tekun.members)


def test_someone_who_can_work_or_has_a_supporter_is_not_tekun_but_may_be_dibao() -> None:
    assessment = run(household("321200", frail(1, supported=True), worker(2), income=0))
    tekun = assessment.result(Programme.TEKUN)
    assert tekun.reasons == ("家庭成员具有劳动能力", "有具备履行能力的法定赡养、抚养、扶养义务人")
    assert assessment.result(Programme.DIBAO).monthly_fen == 2 * 71000


@pytest.mark.parametrize(
    ("division", "income", "low_income"),
    [
        # Taizhou's line is the national 1.5 x 710 = 1 065 a person: two people below 2 130.
        ("321200", 142000, True),
        ("321200", 212999, True),
        ("321200", 213000, False),
        # Benxi urban: 1.5 x 665 = 997.50.
        ("210500", 199499, True),
        ("210500", 199500, False),
    ],
)
def test_the_low_income_status_lies_between_the_standard_and_the_line(
    division: str, income: int, low_income: bool
) -> None:
    assessment = run(household(division, worker(1), worker(2), income=income))
    assert not assessment.result(Programme.DIBAO).eligible
    assert assessment.result(Programme.LOW_INCOME).eligible is low_income


def test_medical_spending_is_deducted_for_the_low_income_line_only() -> None:
    # 2 200 yuan income over Taizhou's line of 2 130 for two; 100 yuan a month of medical bills
    # brings it to 2 100: low income, but the dibao assessment counts the full 2 200.
    facts = household(
        "321200", worker(1), worker(2), income=220000, rigid_spending_fen={"medical": 10000}
    )
    assessment = run(facts)
    assert assessment.result(Programme.LOW_INCOME).eligible
    assert not assessment.result(Programme.DIBAO).eligible
    assert assessment.counted_income_fen == 220000


def test_assets_over_the_limits_refuse_dibao_with_each_reason() -> None:
    facts = household(
        "321200",
        worker(1),
        income=0,
        financial_assets_fen=24 * 71000 + 1,  # one fen over 24 months of the standard
        vehicles=1,
        homes=2,
    )
    result = run(facts).result(Programme.DIBAO)
    assert not result.eligible
    assert result.reasons == (
        "家庭金融资产17040.01元，超过当地规定的17040.00元（人均24个月低保标准）",
        "家庭拥有住房2套，超过当地规定的1套",
        "家庭拥有机动车辆1辆，超过当地规定",
    )


def test_assets_at_the_limit_are_within_it() -> None:
    facts = household("321200", worker(1), worker(2), income=0, financial_assets_fen=48 * 71000)
    assert run(facts).result(Programme.DIBAO).eligible


def test_a_disabled_member_of_a_dibao_household_gets_both_subsidies_assessed_in_the_same_pass() -> (
    None
):
    facts = household(
        "321300",
        worker(1),
        frail(2, disability_grade=1, disability_category="physical", supported=True),
        income=50000,
    )
    assessment = run(facts)
    assert assessment.result(Programme.DIBAO).monthly_fen == 2 * 70000 - 50000
    living = assessment.result(Programme.LIVING_SUBSIDY)
    nursing = assessment.result(Programme.NURSING_SUBSIDY)
    assert [(m.member_id, m.monthly_fen) for m in living.members] == [("m2", 10000)]
    assert [(m.member_id, m.monthly_fen) for m in nursing.members] == [("m2", 15000)]
    assert set(assessment.granted) == {
        Programme.DIBAO,
        Programme.LIVING_SUBSIDY,
        Programme.NURSING_SUBSIDY,
    }


def test_the_living_subsidy_needs_dibao_or_low_income_and_the_nursing_subsidy_does_not() -> None:
    # Well off: 5 000 yuan for two in Taizhou.
    facts = household(
        "321200", worker(1), frail(2, disability_grade=2, supported=True), income=500000
    )
    assessment = run(facts)
    assert assessment.result(Programme.LIVING_SUBSIDY).reasons == ("家庭未纳入低保或低保边缘家庭",)
    assert assessment.result(Programme.NURSING_SUBSIDY).monthly_fen == 10000


@pytest.mark.parametrize(
    ("grade", "category", "nursing_fen"),
    [(1, "visual", 15000), (2, "hearing", 10000), (3, "physical", None), (3, "mental", 5000),
     (4, "intellectual", 5000), (4, "speech", None)],
)  # fmt: skip
def test_grades_three_and_four_are_nursed_only_for_intellectual_or_mental_disability(
    grade: int, category: str, nursing_fen: int | None
) -> None:
    member = worker(disability_grade=grade, disability_category=category)
    result = run(household("321200", member, income=500000)).result(Programme.NURSING_SUBSIDY)
    assert result.eligible is (nursing_fen is not None)
    assert result.monthly_fen == (nursing_fen or 0)


def test_a_tekun_person_gets_no_living_subsidy() -> None:
    facts = household("321200", frail(disability_grade=1), income=0)
    assessment = run(facts)
    assert assessment.result(Programme.TEKUN).eligible
    living = assessment.result(Programme.LIVING_SUBSIDY)
    assert living.reasons == ("特困人员已全额救助供养，不享受困难残疾人生活补贴",)
    assert assessment.result(Programme.NURSING_SUBSIDY).monthly_fen == 15000


def test_urgent_aid_is_paid_first_up_to_dongchangs_1000_yuan_a_person() -> None:
    facts = household("220502", worker(1), worker(2), income=900000, shock_fen=500000, urgent=True)
    aid = run(facts).result(Programme.TEMPORARY_AID)
    assert (aid.eligible, aid.once_fen, aid.approver) == (True, 200000, "township")
    assert aid.basis[0].fen == 100000


def test_a_township_approves_up_to_six_times_the_urban_standard_and_the_county_above() -> None:
    # Dongchang: 6 x 600 = 3 600 yuan.
    at_cap = household("220502", worker(), income=10000, shock_fen=360000)
    over = household("220502", worker(), income=10000, shock_fen=360001)
    assert run(at_cap).result(Programme.TEMPORARY_AID).approver == "township"
    aid = run(over).result(Programme.TEMPORARY_AID)
    assert (aid.once_fen, aid.approver) == (360001, "county")


def test_no_spending_shock_means_no_temporary_aid_and_a_well_off_one_is_refused() -> None:
    assert run(household("321200", worker(), income=0)).result(Programme.TEMPORARY_AID).reasons == (
        "未申请临时救助",
    )
    rich = run(household("321200", worker(), income=900000, shock_fen=100000))
    assert not rich.result(Programme.TEMPORARY_AID).eligible


def test_every_programme_is_assessed_once_and_every_figure_names_its_source() -> None:
    assessment = run(household("321300", frail(disability_grade=1), income=0, shock_fen=1))
    assert set(assessment.results) == set(Programme)
    figures = [f for r in assessment.results.values() for f in r.basis]
    assert figures and all(figure.source and figure.division for figure in figures)


@pytest.mark.parametrize(("fen", "text"), [(0, "0.00"), (5, "0.05"), (71000, "710.00"), (31050, "310.50")])  # fmt: skip
def test_amounts_read_as_yuan(fen: int, text: str) -> None:
    assert yuan(fen) == text
