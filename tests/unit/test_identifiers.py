"""Identifier validators: the standards' vectors, every error message, and checksum properties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from contracts.identifiers import (
    CREDIT_CODE_ALPHABET,
    CountyCode,
    CreditCode,
    DeathCertificateNo,
    DivisionCode,
    DivorceCertificateNo,
    InvalidIdentifier,
    MarriageCertificate,
    MarriageCertificateKind,
    MarriageCertificateNo,
    ResidentId,
    birth_date,
    check_county_code,
    check_credit_code,
    check_death_certificate_no,
    check_division_code,
    check_divorce_certificate,
    check_marriage_certificate,
    check_resident_id,
    county_of,
    division_name,
    enclosing_divisions,
    make_credit_code,
    make_marriage_certificate,
    make_resident_id,
    parse_marriage_certificate,
    region_code,
    sex,
)

TODAY = date(2026, 1, 1)
VALID_ID = "11010519491231002X"  # the GB 11643 example
VALID_CREDIT_CODE = "91350100M000100Y43"  # the GB 32100 example


def error_of(check: Callable[..., Any], *args: Any) -> str:
    with pytest.raises(InvalidIdentifier) as caught:
        check(*args)
    return str(caught.value)


# --- resident ID ---------------------------------------------------------------------------------


def test_the_standards_example_id_is_valid() -> None:
    assert VALID_ID == check_resident_id(VALID_ID, TODAY)


def test_a_lowercase_check_x_is_normalised_to_uppercase() -> None:
    assert VALID_ID == check_resident_id("11010519491231002x", TODAY)


def test_a_wrong_check_character_names_the_expected_one() -> None:
    assert "resident ID check character should be 'X', got '3'" == error_of(
        check_resident_id, "340524198001010013", TODAY
    )


def test_a_short_id_names_its_length() -> None:
    assert "resident ID must be 18 characters, got 17" == error_of(
        check_resident_id, VALID_ID[:17], TODAY
    )


def test_a_letter_among_the_first_17_names_its_position() -> None:
    assert "resident ID characters 1-17 must be digits, got 'A' at position 5" == error_of(
        check_resident_id, "1101A519491231002X", TODAY
    )


def test_a_check_character_other_than_a_digit_or_x_is_refused() -> None:
    assert "resident ID check character must be a digit or 'X', got 'Y'" == error_of(
        check_resident_id, "11010519491231002Y", TODAY
    )


def test_a_birth_date_that_does_not_exist_is_refused() -> None:
    assert "resident ID birth date 19800230 is not a real date" == error_of(
        check_resident_id, "340524198002300011", TODAY
    )


def test_a_birth_date_after_today_is_refused() -> None:
    tomorrow = make_resident_id("321302", date(2026, 1, 2), 1)
    assert "resident ID birth date 20260102 is in the future" == error_of(
        check_resident_id, tomorrow, TODAY
    )


def test_a_baby_registered_on_its_birthday_is_valid() -> None:
    newborn = make_resident_id("321302", TODAY, 2)
    assert newborn == check_resident_id(newborn, TODAY)


def test_an_address_code_with_province_00_is_refused() -> None:
    assert "resident ID address code cannot have province part 00" == error_of(
        check_resident_id, "001234199001010011", TODAY
    )


def test_an_address_code_missing_from_the_division_table_is_still_valid() -> None:
    abolished = make_resident_id("329999", date(1960, 5, 4), 7)
    assert abolished == check_resident_id(abolished, TODAY)


def test_the_helpers_read_birth_date_sex_and_region() -> None:
    assert (date(1949, 12, 31), "female", "110105") == (
        birth_date(VALID_ID),
        sex(VALID_ID),
        region_code(VALID_ID),
    )


def test_an_odd_sequence_number_is_male() -> None:
    assert "male" == sex(make_resident_id("321300", date(1985, 3, 1), 13))


def test_a_sequence_number_above_999_cannot_make_an_id() -> None:
    with pytest.raises(ValueError, match="sequence must be 0-999, got 1000"):
        make_resident_id("321300", date(1985, 3, 1), 1000)


provinces = st.integers(1, 99).map(lambda p: f"{p:02d}")
regions = st.builds(lambda p, rest: f"{p}{rest:04d}", provinces, st.integers(0, 9999))
births = st.dates(date(1900, 1, 1), date(2025, 12, 31))
generated_ids = st.builds(make_resident_id, regions, births, st.integers(0, 999))


@given(generated_ids)
def test_every_generated_id_is_valid(resident_id: str) -> None:
    assert resident_id == check_resident_id(resident_id, TODAY)


@given(generated_ids, st.integers(0, 17), st.data())
def test_every_single_character_corruption_is_refused(
    resident_id: str, position: int, data: st.DataObject
) -> None:
    allowed = "0123456789X" if position == 17 else "0123456789"
    other = data.draw(st.sampled_from([c for c in allowed if c != resident_id[position]]))
    corrupted = resident_id[:position] + other + resident_id[position + 1 :]
    with pytest.raises(InvalidIdentifier):
        check_resident_id(corrupted, TODAY)


# --- division codes ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["321300", "321302001", "321302001002"])
def test_county_township_and_village_codes_are_division_codes(code: str) -> None:
    assert code == check_division_code(code)


def test_a_seven_digit_division_code_is_refused() -> None:
    assert "division code must be 6, 9 or 12 digits, got 7" == error_of(
        check_division_code, "3213021"
    )


def test_a_division_code_with_province_00_is_refused() -> None:
    assert "division code cannot have province part 00" == error_of(check_division_code, "001300")


def test_a_division_code_with_a_letter_names_its_position() -> None:
    assert "division code must be digits only, got 'O' at position 2" == error_of(
        check_division_code, "3O1300"
    )


def test_a_township_code_is_not_a_county_code() -> None:
    assert "county code must be 6 digits, got 9" == error_of(check_county_code, "321302001")


def test_a_village_lies_in_its_county() -> None:
    assert "321302" == county_of("321302001002")


def test_a_code_unknown_to_the_table_is_valid_but_has_no_name() -> None:
    assert ("659999", None) == (check_county_code("659999"), division_name("659999"))


def test_the_brief_s_places_have_names() -> None:
    assert ["泰州市", "宿迁市", "本溪市", "东昌区", "太仓市"] == [
        division_name(code) for code in ["321200", "321300", "210500", "220502", "320585"]
    ]


def test_a_district_is_enclosed_by_its_city_and_province() -> None:
    assert ["321302001", "321302", "321300", "320000"] == enclosing_divisions("321302001")


# --- unified social credit code ------------------------------------------------------------------


def test_the_standards_example_credit_code_passes_its_checksum() -> None:
    assert (VALID_CREDIT_CODE, True) == (
        check_credit_code(VALID_CREDIT_CODE),
        check_credit_code(VALID_CREDIT_CODE).checksum_ok,
    )


def test_a_wrong_credit_code_check_character_is_flagged_not_refused() -> None:
    code = check_credit_code("91350100M000100Y44")
    assert ("91350100M000100Y44", False) == (code, code.checksum_ok)


def test_a_lowercase_credit_code_is_upper_cased() -> None:
    assert VALID_CREDIT_CODE == check_credit_code(VALID_CREDIT_CODE.lower())


def test_a_credit_code_with_a_letter_outside_the_alphabet_is_refused() -> None:
    assert (
        "credit code character 'O' at position 9 is not allowed (0-9 and A-Y without I, O, S, V, Z)"
    ) == error_of(check_credit_code, "91350100O000100Y43")


def test_a_short_credit_code_names_its_length() -> None:
    assert "credit code must be 18 characters, got 17" == error_of(
        check_credit_code, VALID_CREDIT_CODE[:17]
    )


credit_bodies = st.text(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=17, max_size=17)


@given(credit_bodies)
def test_a_credit_code_made_with_its_check_character_passes(body: str) -> None:
    assert check_credit_code(make_credit_code(body)).checksum_ok


@given(credit_bodies, st.data())
def test_a_corrupted_credit_code_check_character_is_accepted_and_flagged(
    body: str, data: st.DataObject
) -> None:
    good = make_credit_code(body)
    other = data.draw(st.sampled_from([c for c in CREDIT_CODE_ALPHABET if c != good[17]]))
    code = check_credit_code(body + other)
    assert (body + other, False) == (code, code.checksum_ok)


# --- marriage certificates -----------------------------------------------------------------------


def test_a_certificate_number_splits_into_its_parts() -> None:
    assert MarriageCertificate(MarriageCertificateKind.MARRIAGE, "321302", 2025, 123) == (
        parse_marriage_certificate("J321302-2025-000123")
    )


def test_a_certificate_number_is_made_from_its_parts() -> None:
    assert "BL321302-2025-000007" == make_marriage_certificate("BL", "321302", 2025, 7)


def test_a_lowercase_certificate_kind_is_upper_cased() -> None:
    assert "BJ321302-2025-000123" == check_marriage_certificate("bj321302-2025-000123")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("X321302-2025-000123", "number must start with J, L, BJ or BL, got 'X'"),
        ("321302-2025-000123", "number must start with J, L, BJ or BL, got '3'"),
        (
            "J321302/2025/000123",
            (
                "number must read <J|L|BJ|BL><office division>-<year>-<serial>, "
                "e.g. J321302-2025-000123"
            ),
        ),
        ("J32130-2025-000123", "office division code must be 6 digits, got '32130'"),
        ("J001302-2025-000123", "office division code cannot have province part 00"),
        ("J321302-25-000123", "year must be 4 digits, got '25'"),
        ("J321302-2025-123", "serial must be 6 digits, got '123'"),
    ],
)
def test_a_malformed_certificate_number_names_the_wrong_part(number: str, message: str) -> None:
    assert f"marriage certificate {message}" == error_of(check_marriage_certificate, number)


@given(
    st.sampled_from(MarriageCertificateKind),
    regions,
    st.integers(1950, 2100),
    st.integers(0, 999_999),
)
def test_a_made_certificate_number_parses_back_to_its_parts(
    kind: MarriageCertificateKind, office: str, year: int, serial: int
) -> None:
    number = make_marriage_certificate(kind, office, year, serial)
    assert MarriageCertificate(kind, office, year, serial) == parse_marriage_certificate(number)


def test_a_divorce_certificate_number_is_an_l_or_bl_number() -> None:
    assert ("L321302-2025-000001", "BL321302-2025-000002") == (
        check_divorce_certificate("l321302-2025-000001"),
        check_divorce_certificate("BL321302-2025-000002"),
    )


@pytest.mark.parametrize(
    ("number", "kind"), [("J321302-2025-000001", "J"), ("BJ321302-2025-000001", "BJ")]
)
def test_a_marriage_certificate_number_is_not_a_divorce_certificate_number(
    number: str, kind: str
) -> None:
    assert f"divorce certificate number must start with L or BL, got {kind!r}" == error_of(
        check_divorce_certificate, number
    )


def test_a_malformed_divorce_certificate_number_names_the_wrong_part() -> None:
    assert "marriage certificate serial must be 6 digits, got '1'" == error_of(
        check_divorce_certificate, "L321302-2025-1"
    )


class DivorceRecord(BaseModel):
    certificate: DivorceCertificateNo


def test_a_divorce_certificate_field_normalises_and_refuses_a_marriage_number() -> None:
    assert "L321302-2025-000001" == DivorceRecord(certificate="l321302-2025-000001").certificate
    with pytest.raises(ValidationError, match="must start with L or BL"):
        DivorceRecord(certificate="J321302-2025-000001")


# --- death certificates --------------------------------------------------------------------------


def test_a_death_certificate_number_is_the_deceased_s_resident_id() -> None:
    assert VALID_ID == check_death_certificate_no("11010519491231002x", TODAY)


def test_without_an_id_it_is_the_issuer_s_credit_code_year_and_serial() -> None:
    number = VALID_CREDIT_CODE + "2026" + "0001"
    assert number == check_death_certificate_no(number, TODAY)


def test_an_issuer_code_failing_its_checksum_still_numbers_a_certificate() -> None:
    number = "91350100M000100Y44" + "2026" + "0001"
    assert number == check_death_certificate_no(number, TODAY)


def test_a_bad_resident_id_form_says_which_form_it_was_read_as() -> None:
    assert (
        "death certificate number (resident ID form): "
        "resident ID check character should be 'X', got '3'"
    ) == error_of(check_death_certificate_no, "340524198001010013", TODAY)


def test_a_bad_serial_in_the_credit_code_form_is_refused() -> None:
    assert "death certificate serial must be 4 digits, got '00A1'" == error_of(
        check_death_certificate_no, VALID_CREDIT_CODE + "2026" + "00A1", TODAY
    )


def test_a_death_certificate_number_of_another_length_is_refused() -> None:
    assert error_of(check_death_certificate_no, "12345", TODAY).endswith(
        "(issuer's credit code + year + serial), got 5"
    )


# --- pydantic fields -----------------------------------------------------------------------------


class Application(BaseModel):
    applicant_id: ResidentId
    division: DivisionCode
    county: CountyCode
    funeral_home: CreditCode
    certificate: MarriageCertificateNo
    death_certificate: DeathCertificateNo


GOOD_APPLICATION = {
    "applicant_id": "11010519491231002x",
    "division": "321302001",
    "county": "321302",
    "funeral_home": "91350100m000100y44",
    "certificate": "j321302-2025-000123",
    "death_certificate": VALID_ID,
}


def test_a_model_stores_every_identifier_normalised() -> None:
    application = Application.model_validate(GOOD_APPLICATION)
    assert {
        "applicant_id": VALID_ID,
        "division": "321302001",
        "county": "321302",
        "funeral_home": "91350100M000100Y44",
        "certificate": "J321302-2025-000123",
        "death_certificate": VALID_ID,
    } == application.model_dump(mode="json")


def test_a_model_field_exposes_the_credit_code_checksum_flag() -> None:
    assert not Application.model_validate(GOOD_APPLICATION).funeral_home.checksum_ok


def test_a_credit_code_field_survives_a_json_round_trip() -> None:
    application = Application.model_validate(GOOD_APPLICATION)
    assert application == Application.model_validate_json(application.model_dump_json())


def test_a_model_error_names_the_field_and_the_rule() -> None:
    with pytest.raises(ValidationError) as caught:
        Application.model_validate({**GOOD_APPLICATION, "applicant_id": "340524198001010013"})
    error = caught.value.errors()[0]
    assert (
        ("applicant_id",),
        "Value error, resident ID check character should be 'X', got '3'",
    ) == (
        error["loc"],
        error["msg"],
    )


def test_a_nine_digit_code_is_refused_where_a_county_is_required() -> None:
    with pytest.raises(ValidationError, match="county code must be 6 digits, got 9"):
        Application.model_validate({**GOOD_APPLICATION, "county": "321302001"})


def test_the_json_schema_publishes_each_identifier_s_shape() -> None:
    properties = Application.model_json_schema()["properties"]
    assert "^[0-9]{17}[0-9Xx]$" == properties["applicant_id"]["pattern"]
