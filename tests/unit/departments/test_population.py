"""The synthetic population: the same for a seed, valid identifiers, consistent relations, a
person for every saga branch, and a faithful round trip through JSON lines."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from contracts.identifiers import check_marriage_certificate, check_resident_id, sex
from departments.population import dump, generate, load, main, summary
from departments.world import World, age_on

REFERENCE = generate(seed=7, people=1000)


def text(world: World) -> str:
    stream = io.StringIO()
    dump(world, stream)
    return stream.getvalue()


def test_the_same_seed_makes_the_same_people_and_another_seed_others() -> None:
    assert text(generate(seed=7, people=1000)) == text(REFERENCE)
    assert text(generate(seed=8, people=1000)) != text(REFERENCE)


def test_every_resident_id_is_valid_and_agrees_with_the_person() -> None:
    for person in REFERENCE.people.values():
        rid = person.resident_id
        assert rid == check_resident_id(rid, today=REFERENCE.reference_date)
        assert person.sex == sex(rid)
        assert f"{person.birth_date:%Y%m%d}" == rid[6:14]


def test_households_marriages_and_cards_are_consistent() -> None:
    w = REFERENCE
    for household in w.households.values():
        assert household.head_id in household.member_ids
        assert all(w.people[m].household_id == household.household_id for m in household.member_ids)
    for marriage in w.marriages.values():
        assert marriage.certificate_no == check_marriage_certificate(marriage.certificate_no)
    for person in w.people.values():
        if person.marital_status == "married" and person.spouse_id:
            assert person.resident_id == w.people[person.spouse_id].spouse_id
        for parent in (person.father_id, person.mother_id):
            assert parent is None or person.resident_id in w.children(parent)
    for card in w.disability_cards.values():
        assert card.card_no.startswith(card.resident_id) and card.card_no.endswith(str(card.grade))


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_every_saga_branch_has_someone_in_a_thousand(seed: int) -> None:
    counts = summary(generate(seed=seed, people=1000))

    assert {label: n for label, n in counts.items() if n == 0} == {}


def test_even_a_small_world_reaches_the_after_death_and_marriage_branches() -> None:
    small = generate(seed=3, people=60)
    for criteria in (
        {"certified_dead": True, "hukou_active": True, "pension_overpaid": True},
        {"certified_dead": True, "hukou_active": True, "on_dibao": True},
        {"certified_dead": True, "hukou_active": False},
        {"uncertified_dead": True},
        {"under_marriage_age": True},
        {"marriageable": True, "sex": "female"},
        {"married": True},
        {"on_tekun": True, "alive": True},
        {"nursing_eligible": True},
    ):
        assert small.find(**criteria)


def test_self_paid_medical_spending_falls_mostly_on_older_and_disabled_people() -> None:
    w = REFERENCE
    spenders = [p for p in w.people.values() if p.monthly_medical_spending_fen > 0]
    frail = [
        p
        for p in spenders
        if age_on(p.birth_date, w.reference_date) >= 60 or p.resident_id in w.disability_cards
    ]

    assert 0 < len(spenders) < len(w.people) // 2
    assert len(frail) > len(spenders) // 2


def test_housing_fund_deposits_follow_the_wage_while_the_holder_works() -> None:
    w = REFERENCE
    for account in w.housing_funds.values():
        holder = w.people[account.resident_id]
        working = holder.alive and age_on(holder.birth_date, w.reference_date) < 60
        wage_share = holder.monthly_income_fen * 12 // 100  # each side's 12 %
        assert (2 * wage_share if working else 0) == account.monthly_deposit_fen


def test_a_world_survives_the_round_trip_through_json_lines() -> None:
    assert text(REFERENCE) == text(load(io.StringIO(text(REFERENCE))))


def test_find_names_unknown_criteria() -> None:
    with pytest.raises(ValueError, match="unknown criterion 'dead'"):
        REFERENCE.find(dead=True)


def test_the_command_line_writes_the_world_and_prints_the_branches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "world.jsonl"

    assert 0 == main(["--seed", "7", "--people", "200", "--out", str(out)])

    printed = capsys.readouterr().out
    assert "certified dead, nothing done yet" in printed
    with out.open(encoding="utf-8") as lines:
        assert len(generate(seed=7, people=200).people) == len(load(lines).people)
