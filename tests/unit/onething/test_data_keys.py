"""The deployment's data keys: read from the settings, a new one made by the command line, and the
built-in development keys (or none) refused outside local development."""

from __future__ import annotations

import base64

import pytest

from contracts.sealing import Cipher
from onething.keys import keyring_from, main, parse_keys
from onething.settings import LOCAL_DATA_KEYS, Settings

OWN = "k2026:" + base64.b64encode(bytes(range(32))).decode()
NEXT = "k2027:" + base64.b64encode(bytes(range(1, 33))).decode()
SECRETS = {"ops_api_key": "o" * 20, "case_id_key": "c" * 20}


def production(**changes: str) -> Settings:
    return Settings(environment="production", **(SECRETS | changes))  # type: ignore[arg-type]


def test_a_local_stack_seals_with_the_development_key_of_its_cipher() -> None:
    assert ("local-aes", Cipher.AES_256_GCM) == (
        keyring_from(Settings()).active,
        keyring_from(Settings()).cipher,
    )
    assert "local-sm4" == keyring_from(Settings(data_cipher="sm4-gcm")).active


def test_one_key_of_its_own_is_the_active_one() -> None:
    assert "k2026" == keyring_from(production(data_keys=OWN)).active


def test_with_several_keys_the_active_one_must_be_named() -> None:
    with pytest.raises(ValueError, match="ONETHING_DATA_KEY_ACTIVE must name the key"):
        keyring_from(production(data_keys=f"{OWN},{NEXT}"))
    rotated = keyring_from(production(data_keys=f"{OWN},{NEXT}", data_key_active="k2027"))
    assert ("k2027", frozenset({"k2026", "k2027"})) == (rotated.active, rotated.kids)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("k1", "entry 1: must be kid:base64key"),
        ("k1:%%%", "key 'k1': not valid base64"),
        (f"{OWN},{OWN}", "listed twice"),
        (" , ", "lists no key"),
    ],
)
def test_a_malformed_key_list_is_refused_naming_the_entry_never_the_key(
    text: str, error: str
) -> None:
    with pytest.raises(ValueError, match=error) as refused:
        parse_keys(text)
    assert OWN.split(":")[1] not in str(refused.value)


@pytest.mark.parametrize(
    "keys", [LOCAL_DATA_KEYS, f"{OWN},{LOCAL_DATA_KEYS.split(',')[0]}", "", "k1:c2hvcnQ="]
)
def test_outside_local_the_development_keys_or_none_or_a_bad_one_stop_the_process(
    keys: str,
) -> None:
    with pytest.raises(SystemExit, match="ONETHING_DATA_KEYS"):
        production(data_keys=keys, data_key_active="k2026").refuse_development_secrets()


def test_outside_local_a_deployment_with_its_own_keys_starts() -> None:
    production(data_keys=f"{OWN},{NEXT}", data_key_active="k2027").refuse_development_secrets()
    production(data_keys=OWN).refuse_development_secrets()


@pytest.mark.parametrize(("cipher", "size"), [("aes-256-gcm", 32), ("sm4-gcm", 16)])
def test_new_key_prints_a_pair_the_settings_accept(
    cipher: str, size: int, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["new-key", "--cipher", cipher, "--kid", "k2028"])

    line = capsys.readouterr().out.strip()
    assert line.startswith("k2028:")
    assert size == len(parse_keys(line)["k2028"])
    assert "k2028" == keyring_from(production(data_keys=line, data_cipher=cipher)).active
