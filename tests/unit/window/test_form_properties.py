"""Properties of the window's forms: every consistent application that can be generated is
accepted, and each way of breaking one (a hostile character, a foreign digit, a date that cannot
be, kinship the birth dates contradict) is refused with an error at the broken field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from contracts.identifiers import birth_date, make_resident_id, today_in_china
from contracts.window import AfterDeathApplication

TODAY = today_in_china()
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
Body = dict[str, Any]
Loc = tuple[str | int, ...]
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def years(n: int) -> timedelta:
    return timedelta(days=round(n * 365.25))


def person(draw: st.DrawFn, low: date, high: date) -> str:
    region = draw(st.sampled_from(["321302", "321202", "110105", "210521"]))
    return make_resident_id(region, draw(st.dates(low, high)), draw(st.integers(0, 999)))


@st.composite
def applications(draw: st.DrawFn) -> Body:
    deceased = person(draw, date(1920, 1, 1), date(1960, 12, 31))
    born = birth_date(deceased)
    died = draw(st.dates(born + years(40), TODAY))
    relation = draw(st.sampled_from(["spouse", "child", "parent", "sibling", "agent"]))
    if relation == "child":
        low, high = born + years(16), min(died, TODAY - years(19))
    elif relation == "parent":
        low, high = date(1900, 1, 1), born - years(16)
    else:
        low, high = date(1920, 1, 1), TODAY - years(19)
    applicant: Body = {
        "resident_id": person(draw, low, high),
        "name": draw(st.text(CJK, min_size=2, max_size=4)),
        "relation": relation,
        "phone": "1" + draw(st.text("0123456789", min_size=10, max_size=10)),
    }
    if relation == "agent":
        applicant["on_behalf_of"] = person(draw, date(1920, 1, 1), TODAY - years(19))
    people = [deceased, applicant["resident_id"], applicant.get("on_behalf_of")]
    assume(len(set(people)) == 3)  # three different people (two with no agent)
    flags = ["funeral_fee_waiver", "survivor_benefits", "medical_account_payout"]
    return {
        "deceased_id": deceased,
        "deceased_name": draw(st.text(CJK, min_size=2, max_size=4)),
        "date_of_death": died.isoformat(),
        "death_certificate_no": deceased,
        "applicant": applicant,
        "heir_account": {
            "bank": "中国工商银行宿迁分行",
            "account_no": draw(st.text("0123456789", min_size=12, max_size=19)),
            "holder_name": applicant["name"],
        },
        "opt_ins": {flag: draw(st.booleans()) for flag in flags},
    }


FOREIGN_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: c not in "0123456789")
# Controls, zero-width, bidi; then a digit, punctuation, a soft hyphen, a private-use character.
HOSTILE = st.sampled_from(
    list(
        "\x00\r\n\t\x1b\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        "3@<\u00ad\ue000"
    )
)
Mutation = Callable[[st.DrawFn, Body], Loc]


def _digit_swap(draw: st.DrawFn, text: str) -> str:
    at = draw(st.integers(1, len(text) - 1))
    return text[:at] + draw(FOREIGN_DIGITS) + text[at + 1 :]


def _insert(draw: st.DrawFn, text: str) -> str:
    at = draw(st.integers(1, len(text) - 1))
    return text[:at] + draw(HOSTILE) + text[at:]


def date_as_number(draw: st.DrawFn, body: Body) -> Loc:
    body["date_of_death"] = draw(st.one_of(st.integers(), st.floats(allow_nan=False)))
    return ("date_of_death",)


def date_in_another_format(draw: st.DrawFn, body: Body) -> Loc:
    died = date.fromisoformat(body["date_of_death"])
    body["date_of_death"] = draw(
        st.sampled_from([died.strftime("%Y%m%d"), died.strftime("%d/%m/%Y"), f"{died}T00:00:00"])
    )
    return ("date_of_death",)


def death_before_birth(draw: st.DrawFn, body: Body) -> Loc:
    born = birth_date(body["deceased_id"])
    body["date_of_death"] = draw(st.dates(date(1900, 1, 1), born - timedelta(days=1))).isoformat()
    return ("date_of_death",)


def death_in_the_future(draw: st.DrawFn, body: Body) -> Loc:
    body["date_of_death"] = draw(st.dates(TODAY + timedelta(days=1))).isoformat()
    return ("date_of_death",)


def flag_not_a_boolean(draw: st.DrawFn, body: Body) -> Loc:
    flag = draw(st.sampled_from(sorted(body["opt_ins"])))
    body["opt_ins"][flag] = draw(st.sampled_from(["yes", "no", "off", "on", "t", "true", 1, 0]))
    return ("opt_ins", flag)


def foreign_digit_in_phone(draw: st.DrawFn, body: Body) -> Loc:
    body["applicant"]["phone"] = _digit_swap(draw, body["applicant"]["phone"])
    return ("applicant", "phone")


def foreign_digit_in_account(draw: st.DrawFn, body: Body) -> Loc:
    account = body["heir_account"]
    account["account_no"] = _digit_swap(draw, account["account_no"])
    return ("heir_account", "account_no")


def foreign_digit_in_resident_id(draw: st.DrawFn, body: Body) -> Loc:
    body["applicant"]["resident_id"] = _digit_swap(draw, body["applicant"]["resident_id"])
    return ("applicant", "resident_id")


def hostile_character_in_a_name(draw: st.DrawFn, body: Body) -> Loc:
    part, field = draw(
        st.sampled_from(
            [(None, "deceased_name"), ("applicant", "name"), ("heir_account", "holder_name")]
        )
    )
    form = body if part is None else body[part]
    form[field] = _insert(draw, form[field])
    return (field,) if part is None else (part, field)


def applicant_is_the_deceased(_draw: st.DrawFn, body: Body) -> Loc:
    body["applicant"]["resident_id"] = body["deceased_id"]
    return ("applicant", "resident_id")


def applicant_a_minor(draw: st.DrawFn, body: Body) -> Loc:
    body["applicant"]["resident_id"] = person(draw, TODAY - years(17), TODAY)
    return ("applicant", "resident_id")


def child_older_than_the_parent(draw: st.DrawFn, body: Body) -> Loc:
    born = birth_date(body["deceased_id"])
    body["applicant"] |= {
        "relation": "child",
        "resident_id": person(draw, date(1900, 1, 1), born - timedelta(days=1)),
    }
    return ("applicant", "relation")


def parent_younger_than_the_deceased(draw: st.DrawFn, body: Body) -> Loc:
    born = birth_date(body["deceased_id"])
    body["applicant"] |= {
        "relation": "parent",
        # Born after the deceased: born the same day, the draw could be the deceased's own ID,
        # which is refused as "the applicant is the deceased" instead.
        "resident_id": person(draw, born + timedelta(days=1), TODAY - years(19)),
    }
    return ("applicant", "relation")


def payout_without_an_account(_draw: st.DrawFn, body: Body) -> Loc:
    del body["heir_account"]
    body["opt_ins"]["survivor_benefits"] = True
    return ("heir_account",)


MUTATIONS: list[Mutation] = [
    date_as_number,
    date_in_another_format,
    death_before_birth,
    death_in_the_future,
    flag_not_a_boolean,
    foreign_digit_in_phone,
    foreign_digit_in_account,
    foreign_digit_in_resident_id,
    hostile_character_in_a_name,
    applicant_is_the_deceased,
    applicant_a_minor,
    child_older_than_the_parent,
    parent_younger_than_the_deceased,
    payout_without_an_account,
]


@PROPERTY
@given(applications())
def test_every_consistent_application_is_accepted(body: Body) -> None:
    AfterDeathApplication.model_validate(body)


@PROPERTY
@given(applications(), st.sampled_from(MUTATIONS), st.data())
def test_every_broken_application_is_refused_at_the_broken_field(
    body: Body, mutation: Mutation, data: st.DataObject
) -> None:
    loc = mutation(data.draw, body)

    try:
        AfterDeathApplication.model_validate(body)
    except ValidationError as exc:
        assert loc in {error["loc"] for error in exc.errors()}, (mutation.__name__, exc.errors())
    else:
        raise AssertionError(f"{mutation.__name__} was accepted")
