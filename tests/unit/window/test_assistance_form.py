"""``POST /v1/assistance/applications``: a household's valid form starts its case, sealed, with
the household's case id; the same household again is the same case; every malformed form is a
422 naming the field and the rule, and publishes nothing."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from contracts.saga import StartCase
from contracts.sealing import is_token
from services.assistance.case_ids import assistance_case_id
from services.assistance.examples import ASSISTANCE_EXAMPLES
from tests.unit.window.support import SUCHENG_KEY, Fakes, opened

URL = "/v1/assistance/applications"


def form(name: str = "household") -> dict[str, Any]:
    return copy.deepcopy(ASSISTANCE_EXAMPLES[name]["value"])


async def test_a_households_form_starts_its_case_sealed(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    response = await client.post(URL, json=form("urgent"), headers=SUCHENG_KEY)

    assert 202 == response.status_code, response.text
    case_id = assistance_case_id("321302000123")
    assert case_id == response.json()["case_id"]
    [(_, envelope)] = fakes.publisher.sent
    start = envelope.data
    assert isinstance(start, StartCase)
    assert ("assistance", case_id) == (start.saga, start.case_id)
    member = start.data["members"][0]
    assert is_token(member["resident_id"]) and is_token(member["name"])
    assert is_token(start.data["payee_account"]["account_no"])
    assert "self" == member["relation"] and start.data["urgent"] is True
    assert (
        form("urgent")["members"][0]["resident_id"]
        == opened(start.data, case_id)["members"][0]["resident_id"]
    )


async def test_the_same_household_again_is_the_same_case(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    first = await client.post(URL, json=form(), headers=SUCHENG_KEY)
    changed = form() | {"phone": "13800000000"}
    second = await client.post(URL, json=changed, headers=SUCHENG_KEY)

    assert first.json()["case_id"] == second.json()["case_id"]


def _broken(change: Any) -> dict[str, Any]:
    body = form()
    change(body)
    return body


@pytest.mark.parametrize(
    ("change", "loc", "words"),
    [
        (lambda b: b.update(consent_signed=False), ["body", "consent_signed"], "授权书"),
        (lambda b: b["members"][1].update(relation="self"), ["body", "members"], "exactly one"),
        (
            lambda b: b["members"][2].update(resident_id=b["members"][0]["resident_id"]),
            ["body", "members", 2, "resident_id"],
            "listed once",
        ),
        (lambda b: b.update(urgent=True), ["body", "hardship"], "required when urgent"),
        (lambda b: b.update(members=[]), ["body", "members"], "at least 1"),
        (lambda b: b.update(residence="suburban"), ["body", "residence"], "urban"),
        (
            lambda b: b.update(hardship={"kind": "medical", "amount_fen": 0, "description": "x"}),
            ["body", "hardship", "amount_fen"],
            "greater than 0",
        ),
    ],
)
async def test_a_broken_form_is_422_naming_the_field_and_publishes_nothing(
    client: httpx.AsyncClient, fakes: Fakes, change: Any, loc: list[Any], words: str
) -> None:
    response = await client.post(URL, json=_broken(change), headers=SUCHENG_KEY)

    assert 422 == response.status_code
    found = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert tuple(loc) in found, found
    assert words in found[tuple(loc)]
    assert [] == fakes.publisher.sent
