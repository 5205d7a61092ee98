"""``POST /v1/marriage/applications`` and ``/v1/divorce/applications``: a valid form starts its
own saga's case, sealed, with a case id of the couple and the day; the same form again that day
is the same case and publishes nothing more; every malformed form is answered 422 naming the
field and the rule, and publishes nothing."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import httpx
import pytest

from contracts.saga import StartCase
from contracts.sealing import is_token
from services.marriage.case_ids import DIVORCE_PREFIX, MARRIAGE_PREFIX, couple_case_id
from services.marriage.examples import DIVORCE_EXAMPLES, MARRIAGE_EXAMPLES
from tests.unit.window.support import NOW, SUCHENG, SUCHENG_KEY, Fakes, opened

MARRIAGE, DIVORCE = "/v1/marriage/applications", "/v1/divorce/applications"


def _form(examples: dict[str, Any], name: str) -> dict[str, Any]:
    return copy.deepcopy(examples[name]["value"])


def _couple(form: dict[str, Any]) -> tuple[str, str]:
    return form["party_a"]["resident_id"], form["party_b"]["resident_id"]


@pytest.mark.parametrize(
    ("url", "form", "saga", "prefix"),
    [
        (MARRIAGE, _form(MARRIAGE_EXAMPLES, "every_opt_in"), "marriage", MARRIAGE_PREFIX),
        (DIVORCE, _form(DIVORCE_EXAMPLES, "by_agreement"), "divorce", DIVORCE_PREFIX),
    ],
)
async def test_each_form_starts_its_own_sagas_case_sealed(
    client: httpx.AsyncClient, fakes: Fakes, url: str, form: dict[str, Any], saga: str, prefix: str
) -> None:
    response = await client.post(url, json=form, headers=SUCHENG_KEY)

    assert 202 == response.status_code, response.text
    case_id = couple_case_id(prefix, _couple(form), NOW)
    assert case_id == response.json()["case_id"]
    assert case_id == couple_case_id(prefix, _couple(form)[::-1], NOW)  # in either order
    [(_, envelope)] = fakes.publisher.sent
    start = envelope.data
    assert isinstance(start, StartCase)
    assert (saga, SUCHENG.division_code) == (start.saga, start.division_code)
    party = start.data["party_a"]
    assert all(is_token(party[key]) for key in ("resident_id", "name", "phone"))
    assert form["party_a"] == opened(start.data, case_id)["party_a"]


def test_the_same_couple_another_day_is_another_case() -> None:
    form = _form(MARRIAGE_EXAMPLES, "plain")
    today = couple_case_id(MARRIAGE_PREFIX, _couple(form), NOW)
    assert today != couple_case_id(MARRIAGE_PREFIX, _couple(form), NOW + timedelta(days=1))
    assert today != couple_case_id(DIVORCE_PREFIX, _couple(form), NOW)


def _broken(examples: dict[str, Any], name: str, path: tuple[str, ...], value: object) -> Any:
    form = _form(examples, name)
    target = form
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return form


@pytest.mark.parametrize(
    ("url", "form", "loc", "words"),
    [
        (MARRIAGE, _broken(MARRIAGE_EXAMPLES, "plain", ("declaration_signed",), False),
         ["body", "declaration_signed"], "declaration_signed must be true"),
        (MARRIAGE, _broken(MARRIAGE_EXAMPLES, "plain", ("party_b", "resident_id"),
                           "340524198001010013"), ["body", "party_b", "resident_id"], "check"),
        (MARRIAGE, _broken(MARRIAGE_EXAMPLES, "plain", ("opt_ins", "hukou_move"), "both"),
         ["body", "opt_ins", "hukou_move"], "party_a"),
        (MARRIAGE, _broken(MARRIAGE_EXAMPLES, "plain", ("party_a", "phone"), "12345"),
         ["body", "party_a", "phone"], "pattern"),
        (DIVORCE, _broken(DIVORCE_EXAMPLES, "by_agreement", ("marriage_certificate_no",),
                          "L321302-2024-000123"), ["body", "marriage_certificate_no"], "J or BJ"),
        (DIVORCE, _broken(DIVORCE_EXAMPLES, "by_agreement", ("agreement_signed",), False),
         ["body", "agreement_signed"], "divorce agreement"),
    ],
)  # fmt: skip
async def test_a_malformed_form_is_answered_422_naming_the_field_and_publishes_nothing(
    client: httpx.AsyncClient,
    fakes: Fakes,
    url: str,
    form: dict[str, Any],
    loc: list[str],
    words: str,
) -> None:
    response = await client.post(url, json=form, headers=SUCHENG_KEY)

    assert 422 == response.status_code
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert tuple(loc) in errors, errors
    assert words in errors[tuple(loc)]
    assert [] == fakes.publisher.sent
