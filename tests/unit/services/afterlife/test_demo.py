"""The after-death demo without a stack: whom it picks from the population and which window each
goes to, that its forms pass the window's own form rules, and its flow — applications, then a
hospital's certificates and one retraction, each case followed with a window key that sees it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from contracts.window import AfterDeathApplication
from departments.population import generate
from services.afterlife import demo
from services.afterlife.case_ids import afterlife_case_id
from services.afterlife.demo import ELSEWHERE, pick, run_demo
from services.demo import CaseView
from services.registry import one_things
from tests.support.demo_context import WINDOW_KEYS, FakeFollow, fake_context

WORLD = generate(7, 2000)
DIVISION = {p.resident_id: p.division for p in WORLD.people.values()}


def test_the_after_death_one_thing_registers_its_demo() -> None:
    assert run_demo is one_things()["afterlife"].demo


def test_the_cases_mix_certified_deaths_another_citys_window_and_unconfirmed_deaths() -> None:
    forms = pick(WORLD, dict(WINDOW_KEYS), 20, set())

    assert Counter({"certified": 10, "no death record": 8, ELSEWHERE: 2}) == Counter(
        kind for _, _, kind in forms
    )
    for form, key, kind in forms:
        home = DIVISION[form["deceased_id"]]
        if kind == ELSEWHERE:  # a window of another city (its first four digits differ)
            assert next(d for d, k in WINDOW_KEYS.items() if k == key)[:4] != home[:4]
        else:
            assert WINDOW_KEYS[home] == key


def test_people_who_already_have_a_case_are_left_out_and_the_chosen_are_taken() -> None:
    [(first, _, _), *_] = pick(WORLD, dict(WINDOW_KEYS), 20, set())
    taken = {afterlife_case_id(first["deceased_id"])}

    forms = pick(WORLD, dict(WINDOW_KEYS), 20, taken)

    ids = {afterlife_case_id(form["deceased_id"]) for form, _, _ in forms}
    assert afterlife_case_id(first["deceased_id"]) not in ids
    assert {afterlife_case_id(first["deceased_id"])} | ids == taken


def test_every_form_passes_the_windows_rules() -> None:
    for form, _, _ in pick(WORLD, dict(WINDOW_KEYS), 20, set()):
        AfterDeathApplication.model_validate(form)


class Hospital:
    """The hospital stand-in: records the health commands it is given."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def __call__(
        self, settings: object, commands: list[tuple[str, dict[str, Any]]], run: str
    ) -> None:
        self.sent += commands


@pytest.fixture
def hospital(monkeypatch: pytest.MonkeyPatch) -> Hospital:
    """The hospital stand-in and the window: commands recorded, every form accepted."""
    sent = Hospital()

    async def submit(base: str, forms: list[Any]) -> tuple[dict[str, str], dict[str, str]]:
        ids = [afterlife_case_id(form["deceased_id"]) for form, _, _ in forms]
        return (
            {i: kind for i, (_, _, kind) in zip(ids, forms, strict=True)},
            {i: key for i, (_, key, _) in zip(ids, forms, strict=True)},
        )

    monkeypatch.setattr(demo, "hospital", sent)
    monkeypatch.setattr(demo, "submit", submit)
    return sent


async def test_a_retracted_death_and_the_hospitals_cases_are_followed_where_they_run(
    hospital: Hospital,
) -> None:
    follow = FakeFollow()

    report = await run_demo(fake_context(follow))

    certified = [p["resident_id"] for name, p in hospital.sent if name == "IssueDeathCertificate"]
    [retraction] = [p for name, p in hospital.sent if name == "RetractDeathCertificate"]
    assert 3 == len(certified)
    [retracted] = [i for i, kind in report.kinds.items() if kind == "retracted"]
    assert afterlife_case_id(retraction["certificate_no"]) == retracted
    assert "reversal" == report.kinds[f"{retracted}-R"]
    assert report.window_keys[retracted] == report.window_keys[f"{retracted}-R"]
    for resident_id in certified:
        case_id = afterlife_case_id(resident_id)
        assert "proactive" == report.kinds[case_id]
        assert WINDOW_KEYS[DIVISION[resident_id]] == report.window_keys[case_id]
    first, then = follow.calls  # the window's cases, then every case the demo opened
    opened_later = {*map(afterlife_case_id, certified), f"{retracted}-R"}
    assert set(report.kinds) - opened_later == set(first.cases)
    assert report.window_keys == then.cases
    assert [] == report.problems


async def test_the_hospitals_cases_settle_waiting_for_the_family_and_a_retracted_one_reversed(
    hospital: Hospital,
) -> None:
    follow = FakeFollow()
    report = await run_demo(fake_context(follow))
    settled = follow.calls[1].settled
    proactive = next(i for i, kind in report.kinds.items() if kind == "proactive")
    retracted = next(i for i, kind in report.kinds.items() if kind == "retracted")
    waiting: CaseView = {
        "status": "in_progress",
        "steps": {"family_application": {"status": "waiting_signal"}},
    }

    assert settled(proactive, waiting)
    assert not settled(retracted, {"status": "completed", "steps": {}})
    assert settled(retracted, {"status": "reversed", "steps": {}})
    assert not settled("AD-other", waiting)


async def test_a_case_that_never_shows_fails_the_check(hospital: Hospital) -> None:
    follow = FakeFollow(lambda ids: {i: {"status": "completed", "steps": {}} for i in ids[1:]})

    report = await run_demo(fake_context(follow))

    assert not report.ok
    assert [f"1 of {len(report.kinds)} cases never showed"] == [
        p.split(":")[0] for p in report.problems
    ]
