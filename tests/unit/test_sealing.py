"""Sealed values: both ciphers round-trip, a token opens only with its key and for its case, and
keys rotate without making what was sealed before unreadable."""

from __future__ import annotations

import pytest

from contracts.sealing import (
    Cipher,
    Keyring,
    MalformedToken,
    NotAuthentic,
    UnknownKey,
    is_token,
    new_key,
)

AES_KEY = bytes(range(32))
SM4_KEY = bytes(range(16))
CASE = "AD-3f1c9a7be0d24c55"


def aes() -> Keyring:
    return Keyring({"k1": AES_KEY}, "k1", Cipher.AES_256_GCM)


def sm4() -> Keyring:
    return Keyring({"g1": SM4_KEY}, "g1", Cipher.SM4_GCM)


@pytest.mark.parametrize(
    ("keyring", "prefix"), [(aes(), "v1.aes-256-gcm.k1."), (sm4(), "v1.sm4-gcm.g1.")]
)
def test_a_sealed_value_opens_to_what_was_sealed_with_either_cipher(
    keyring: Keyring, prefix: str
) -> None:
    token = keyring.seal(b"11010519491231002X", CASE)

    assert token.startswith(prefix) and is_token(token)
    assert "11010519491231002X" not in token
    assert b"11010519491231002X" == keyring.open(token, CASE)


def test_the_same_value_sealed_twice_gives_two_tokens() -> None:
    assert aes().seal("张三".encode(), CASE) != aes().seal("张三".encode(), CASE)


def test_a_value_moved_to_another_case_does_not_open_and_says_so() -> None:
    token = aes().seal(b"6222021234567890123", CASE)

    with pytest.raises(NotAuthentic, match="does not open for case AD-other: it was sealed for"):
        aes().open(token, "AD-other")


@pytest.mark.parametrize("keyring", [aes(), sm4()])
def test_a_tampered_ciphertext_does_not_open(keyring: Keyring) -> None:
    token = keyring.seal(b"13812345678", CASE)
    head, body = token.rsplit(".", 1)
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]

    with pytest.raises(NotAuthentic):
        keyring.open(f"{head}.{flipped}", CASE)


def test_a_header_edited_to_name_another_key_does_not_open() -> None:
    both = Keyring({"k1": AES_KEY, "k2": new_key()}, "k1", Cipher.AES_256_GCM)
    token = both.seal(b"13812345678", CASE)

    with pytest.raises(NotAuthentic):
        both.open(token.replace(".k1.", ".k2.", 1), CASE)


def test_a_token_of_a_key_the_deployment_lacks_names_the_key_and_the_setting() -> None:
    token = Keyring({"retired": new_key()}, "retired", Cipher.AES_256_GCM).seal(b"x", CASE)

    with pytest.raises(UnknownKey, match=r"key 'retired'.*add it to ONETHING_DATA_KEYS"):
        aes().open(token, CASE)


@pytest.mark.parametrize("text", ["11010519491231002X", "v2.aes-256-gcm.k1.AAAA", "v1.des.k1.AAAA"])
def test_what_is_not_a_token_is_refused_as_malformed(text: str) -> None:
    assert not is_token(text)
    with pytest.raises(MalformedToken):
        aes().open(text, CASE)


def test_a_token_too_short_for_a_nonce_and_tag_is_malformed() -> None:
    with pytest.raises(MalformedToken, match="too short"):
        aes().open("v1.aes-256-gcm.k1.AAAA", CASE)


def test_after_rotation_old_tokens_still_open_and_new_ones_use_the_new_key() -> None:
    old_token = aes().seal(b"old", CASE)
    rotated = Keyring({"k1": AES_KEY, "k2": new_key()}, "k2", Cipher.AES_256_GCM)

    new_token = rotated.seal(b"new", CASE)

    assert (b"old", b"new") == (rotated.open(old_token, CASE), rotated.open(new_token, CASE))
    assert new_token.startswith("v1.aes-256-gcm.k2.")
    with pytest.raises(UnknownKey):
        aes().open(new_token, CASE)


def test_a_move_to_sm4_keeps_the_aes_tokens_readable() -> None:
    aes_token = aes().seal(b"before", CASE)
    national = Keyring({"k1": AES_KEY, "g1": SM4_KEY}, "g1", Cipher.SM4_GCM)

    assert b"before" == national.open(aes_token, CASE)
    assert national.seal(b"after", CASE).startswith("v1.sm4-gcm.g1.")


def test_an_active_key_of_the_wrong_size_for_the_cipher_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="sm4-gcm takes 16"):
        Keyring({"k1": AES_KEY}, "k1", Cipher.SM4_GCM)
    with pytest.raises(ValueError, match="not among the keys"):
        Keyring({"k1": AES_KEY}, "k9", Cipher.AES_256_GCM)


def test_a_keyring_shows_its_key_ids_never_its_keys() -> None:
    assert "k1" in repr(aes()) and AES_KEY.hex() not in repr(aes())
