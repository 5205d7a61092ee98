"""After-death case ids: a function of the deceased's resident ID, so both starts meet."""

from __future__ import annotations

import hashlib

from window.case_ids import afterlife_case_id


def test_the_id_is_ad_and_16_hex_digits_of_the_sha256_of_the_resident_id() -> None:
    digest = hashlib.sha256(b"11010519491231002X").hexdigest()

    assert "AD-" + digest[:16] == afterlife_case_id("11010519491231002X")


def test_a_lower_case_check_character_gives_the_same_case() -> None:
    assert afterlife_case_id("11010519491231002X") == afterlife_case_id("11010519491231002x")


def test_two_people_get_two_cases() -> None:
    assert afterlife_case_id("11010519491231002X") != afterlife_case_id("110105194912310003")
