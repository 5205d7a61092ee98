"""The window's strict input rules: each hostile or inconsistent field is a 422 that names the
field and the rule, every broken rule is listed at once, and nothing is published."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from contracts.identifiers import make_resident_id, today_in_china
from contracts.window import AfterDeathApplication
from tests.unit.window.support import DECEASED_ID, SUCHENG_KEY, Fakes, application

URL = "/v1/afterlife/applications"
ADULT = make_resident_id("321302", date(1976, 5, 14), 27)


def applicant(**changes: Any) -> dict[str, Any]:
    part: dict[str, Any] = application()["applicant"]
    return part | changes


def account(**changes: Any) -> dict[str, Any]:
    part: dict[str, Any] = application()["heir_account"]
    return part | changes


def born(day: date) -> str:
    return make_resident_id("321302", day, 41)


TODAY = today_in_china()
REFUSED: list[tuple[str, dict[str, Any], tuple[str | int, ...], str]] = [
    ("a date as a number", {"date_of_death": -0.0}, ("date_of_death",), "YYYY-MM-DD"),
    ("a timestamp", {"date_of_death": 1762041600}, ("date_of_death",), "YYYY-MM-DD"),
    ("a datetime", {"date_of_death": "2025-11-02T00:00:00"}, ("date_of_death",), "YYYY-MM-DD"),
    ("year 0001", {"date_of_death": "0001-01-01"}, ("date_of_death",), "on or after 1900"),
    ("a date that does not exist", {"date_of_death": "2025-02-30"}, ("date_of_death",), "real"),
    ("death before birth", {"date_of_death": "1949-12-30"}, ("date_of_death",), "before the"),
    (
        "death in the future",
        {"date_of_death": (TODAY + timedelta(days=1)).isoformat()},
        ("date_of_death",),
        "in the future",
    ),
    (
        "a child born after the death",
        {"applicant": applicant(resident_id=born(date(2025, 11, 20)))},
        ("applicant", "relation"),
        "born after date_of_death",
    ),
    (
        "a child older than the parent",
        {"applicant": applicant(resident_id=born(date(1940, 3, 1)))},
        ("applicant", "relation"),
        "born after the deceased",
    ),
    (
        "a parent younger than the deceased",
        {"applicant": applicant(relation="parent")},
        ("applicant", "relation"),
        "born before the deceased",
    ),
    (
        "an applicant under 18",
        {"applicant": applicant(resident_id=born(TODAY - timedelta(days=17 * 365)))},
        ("applicant", "resident_id"),
        "adult",
    ),
    (
        "the applicant is the deceased",
        {"applicant": applicant(resident_id=DECEASED_ID)},
        ("applicant", "resident_id"),
        "must differ from deceased_id",
    ),
    (
        "an agent for nobody",
        {"applicant": applicant(relation="agent")},
        ("applicant", "on_behalf_of"),
        "required when relation is 'agent'",
    ),
    (
        "an agent for the deceased",
        {"applicant": applicant(relation="agent", on_behalf_of=DECEASED_ID)},
        ("applicant", "on_behalf_of"),
        "not for the deceased",
    ),
    (
        "a flag as yes",
        {"opt_ins": {"survivor_benefits": "yes"}},
        ("opt_ins", "survivor_benefits"),
        "boolean",
    ),
    (
        "a flag as off",
        {"opt_ins": {"funeral_fee_waiver": "off"}},
        ("opt_ins", "funeral_fee_waiver"),
        "boolean",
    ),
    (
        "a flag as t",
        {"opt_ins": {"funeral_fee_waiver": "t"}},
        ("opt_ins", "funeral_fee_waiver"),
        "boolean",
    ),
    (
        "a flag as 1",
        {"opt_ins": {"housing_fund_withdrawal": 1}},
        ("opt_ins", "housing_fund_withdrawal"),
        "boolean",
    ),
    (
        "Arabic-Indic digits in a phone",
        {"applicant": applicant(phone="١٣٨١٢٣٤٥٦٧٨")},
        ("applicant", "phone"),
        "pattern",
    ),
    (
        "full-width digits in a phone",
        {"applicant": applicant(phone="１３８１２３４５６７８")},
        ("applicant", "phone"),
        "pattern",
    ),
    (
        "Devanagari digits in an account",
        {"heir_account": account(account_no="६२२२०२१२३४५६७८९०")},
        ("heir_account", "account_no"),
        "pattern",
    ),
    (
        "full-width digits in a resident ID",
        {"deceased_id": "１１０１０５１９４９１２３１００２X"},
        ("deceased_id",),
        "digits",
    ),
    ("a NUL in a name", {"deceased_name": "张\x00三"}, ("deceased_name",), "control character"),
    ("a line feed in a name", {"deceased_name": "张\n三"}, ("deceased_name",), "control character"),
    ("a zero-width space", {"deceased_name": "张\u200b三"}, ("deceased_name",), "zero-width"),
    ("a bidi override", {"deceased_name": "张\u202e三"}, ("deceased_name",), "bidirectional"),
    ("an isolate", {"deceased_name": "张\u2066三"}, ("deceased_name",), "bidirectional"),
    ("a BOM", {"deceased_name": "\ufeff张三"}, ("deceased_name",), "zero-width"),
    ("digits in a name", {"deceased_name": "张3"}, ("deceased_name",), "letters"),
    ("a dot at the end", {"deceased_name": "阿沛·"}, ("deceased_name",), "between two letters"),
    ("a name too long", {"deceased_name": "张" * 51}, ("deceased_name",), "at most 50"),
    (
        "a control in the bank's name",
        {"heir_account": account(bank="中国\r\n银行")},
        ("heir_account", "bank"),
        "control character",
    ),
]


@pytest.mark.parametrize(("_what", "changes", "loc", "rule"), REFUSED, ids=[r[0] for r in REFUSED])
async def test_a_broken_rule_is_422_naming_the_field_and_nothing_is_published(
    client: httpx.AsyncClient,
    fakes: Fakes,
    _what: str,
    changes: dict[str, Any],
    loc: tuple[str | int, ...],
    rule: str,
) -> None:
    response = await client.post(URL, json=application(**changes), headers=SUCHENG_KEY)

    assert 422 == response.status_code, response.text
    [error] = [e for e in response.json()["detail"] if tuple(e["loc"]) == ("body", *loc)]
    assert rule in error["msg"]
    assert [] == fakes.publisher.sent


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("阿沛·阿旺晋美", "阿沛·阿旺晋美"),
        ("阿沛・阿旺晋美", "阿沛·阿旺晋美"),  # the katakana middle dot becomes U+00B7
        ("Jean Dupré", "Jean Dupré"),
        ("𠮷田", "𠮷田"),  # CJK Extension B
    ],
)
def test_names_of_minority_foreign_and_rare_characters_are_accepted(name: str, stored: str) -> None:
    form = AfterDeathApplication.model_validate(application(deceased_name=name))

    assert stored == form.deceased_name


async def test_whole_form_rules_are_listed_beside_field_errors(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    body = application(
        date_of_death=(TODAY + timedelta(days=3)).isoformat(),
        applicant=applicant(resident_id=DECEASED_ID, phone="12345"),
        opt_ins={"funeral_fee_waiver": "yes"},
    )
    del body["heir_account"]

    response = await client.post(URL, json=body, headers=SUCHENG_KEY)

    assert 422 == response.status_code
    assert {
        ("body", "date_of_death"),
        ("body", "applicant", "phone"),
        ("body", "applicant", "resident_id"),
        ("body", "opt_ins", "funeral_fee_waiver"),
        ("body", "heir_account"),
    } == {tuple(error["loc"]) for error in response.json()["detail"]}
    assert [] == fakes.publisher.sent


async def test_a_key_given_twice_is_422_naming_it_and_nothing_is_published(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    body = (
        '{"deceased_id": "11010519491231002X", "applicant": {"phone": "13812345678",'
        ' "phone": "13900000000"}, "deceased_id": "11010519491231002X"}'
    )
    headers = SUCHENG_KEY | {"Content-Type": "application/json"}

    response = await client.post(URL, content=body, headers=headers)

    assert 422 == response.status_code
    assert [["body", "applicant", "phone"], ["body", "deceased_id"]] == [
        error["loc"] for error in response.json()["detail"]
    ]
    assert "given more than once" in response.json()["detail"][0]["msg"]
    assert [] == fakes.publisher.sent


async def test_a_body_over_the_limit_is_413_before_it_is_read(fakes: Fakes) -> None:
    app = fakes.app()
    limit = app.state.settings.window_max_body_bytes
    read: list[int] = []

    async def receive() -> dict[str, Any]:
        read.append(1)
        return {"type": "http.request", "body": b"{}", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": URL,
        "headers": [
            (b"content-length", str(limit + 1).encode()),
            *[(k.lower().encode(), v.encode()) for k, v in SUCHENG_KEY.items()],
        ],
        "query_string": b"",
    }
    await app(scope, receive, send)  # type: ignore[arg-type]

    assert 413 == sent[0]["status"]
    assert [] == read
    assert [] == fakes.publisher.sent


async def test_a_streamed_body_is_413_once_its_bytes_pass_the_limit(
    client: httpx.AsyncClient, fakes: Fakes
) -> None:
    chunk = b" " * 16 * 1024

    async def chunks() -> Any:
        for _ in range(8):  # 128 KiB, over the 64 KiB default, with no Content-Length
            yield chunk

    response = await client.post(URL, content=chunks(), headers=SUCHENG_KEY)

    assert 413 == response.status_code
    assert "larger than 65536 bytes" in response.json()["detail"]
    assert [] == fakes.publisher.sent


@pytest.mark.parametrize("flag", ["1", "yes", "on", "t", "True"])
async def test_a_query_flag_other_than_true_or_false_is_422(
    client: httpx.AsyncClient, flag: str
) -> None:
    response = await client.get(f"/v1/cases/AD-1?timeline={flag}", headers=SUCHENG_KEY)

    assert 422 == response.status_code
    assert ["query", "timeline"] == response.json()["detail"][0]["loc"]


async def test_a_query_parameter_the_route_does_not_declare_is_422(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/v1/cases/AD-1?timelin=true", headers=SUCHENG_KEY)

    assert 422 == response.status_code
    assert ["query", "timelin"] == response.json()["detail"][0]["loc"]
