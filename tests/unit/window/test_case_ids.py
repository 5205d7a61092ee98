"""After-death case ids: a function of the deceased's resident ID, so both starts meet, keyed
with the deployment's secret, so the id does not give the ID number away."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from onething.settings import LOCAL_CASE_ID_KEY, LOCAL_OPS_KEY, Settings
from services.afterlife.case_ids import afterlife_case_id


def test_the_id_is_ad_and_16_hex_digits_of_the_hmac_of_the_resident_id() -> None:
    digest = hmac.new(b"k" * 16, b"11010519491231002X", hashlib.sha256).hexdigest()

    assert "AD-" + digest[:16] == afterlife_case_id("11010519491231002X", b"k" * 16)


def test_the_id_is_not_the_plain_hash_that_anyone_could_recompute() -> None:
    plain = "AD-" + hashlib.sha256(b"11010519491231002X").hexdigest()[:16]

    assert plain != afterlife_case_id("11010519491231002X")


def test_another_deployment_key_gives_other_ids() -> None:
    assert afterlife_case_id("11010519491231002X", b"a" * 16) != afterlife_case_id(
        "11010519491231002X", b"b" * 16
    )


OWN_DATA_KEY = "k1:" + "A" * 43 + "="  # 32 bytes, not a built-in key


@pytest.mark.parametrize(
    ("variable", "built_in"), [("ops_api_key", LOCAL_OPS_KEY), ("case_id_key", LOCAL_CASE_ID_KEY)]
)
def test_outside_local_development_a_built_in_or_short_secret_stops_the_process(
    variable: str, built_in: str
) -> None:
    good = {"ops_api_key": "o" * 20, "case_id_key": "c" * 20, "data_keys": OWN_DATA_KEY}
    for secret in (built_in, "short"):
        settings = Settings(environment="production", **(good | {variable: secret}))
        with pytest.raises(SystemExit, match=f"ONETHING_{variable.upper()} must be set"):
            settings.refuse_development_secrets()
    Settings(environment="production", **good).refuse_development_secrets()  # no exception


def test_a_process_is_held_only_to_the_secrets_it_names() -> None:
    # The window keys case ids and seals personal data, and holds no ops key; the ops server
    # holds nothing else (the read model has no personal data to open).
    window_only = Settings(environment="production", case_id_key="c" * 20, data_keys=OWN_DATA_KEY)
    ops_only = Settings(environment="production", ops_api_key="o" * 20)

    window_only.refuse_development_secrets("case_id_key", "data_keys")  # no exception
    ops_only.refuse_development_secrets("ops_api_key")  # no exception
    with pytest.raises(SystemExit, match="ONETHING_DATA_KEYS must be set"):
        ops_only.refuse_development_secrets("ops_api_key", "data_keys")
    with pytest.raises(SystemExit, match="ONETHING_OPS_API_KEY must be set"):
        window_only.refuse_development_secrets()
    with pytest.raises(SystemExit, match="ONETHING_CASE_ID_KEY must be set"):
        ops_only.refuse_development_secrets("case_id_key")
