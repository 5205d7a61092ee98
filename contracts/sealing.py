"""Sealed values: one personal field encrypted and authenticated, bound to the case it belongs to.

A sealed value is a JSON-safe string, so it sits in a message or the case state wherever the clear
value would::

    v1.<alg>.<kid>.<base64url(nonce | ciphertext | tag)>

- ``alg`` is ``aes-256-gcm`` (the default) or ``sm4-gcm`` (SM4, GB/T 32907, in GCM mode, for a
  deployment that must use the national algorithms); both are AEAD ciphers with a 96-bit random
  nonce and a 128-bit tag, so one construction serves both and no MAC is added by hand.
- ``kid`` names the key that sealed it. A ``Keyring`` holds several keys: it seals with its
  active one and opens with whichever the token names, so a key is rotated by adding a new one,
  making it active, and retiring the old one once nothing sealed with it is still kept.
- The associated data is the token's own header and its *scope* (the case id): a header edited
  to name another key or cipher, a ciphertext altered, or a value copied into another case does
  not open. The scope is not written in the token; the opener says which case it expects.

Errors, none of which repeat the token or the clear value::

    SealError
    ├── MalformedToken   not a token of this format
    ├── UnknownKey       names a key this keyring does not hold (a deployment's key list)
    └── NotAuthentic     does not open for this case: sealed for another case, or altered

Pure: no settings, no environment; ``onething.keys`` builds the deployment's keyring.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers import Cipher as _Cipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "Cipher",
    "KEY_BYTES",
    "Keyring",
    "MalformedToken",
    "NotAuthentic",
    "SealError",
    "UnknownKey",
    "VERSION",
    "is_token",
    "new_key",
]

VERSION = "v1"
NONCE_BYTES = 12
TAG_BYTES = 16
_KID = r"[A-Za-z0-9_-]{1,32}"
KID_PATTERN = re.compile(_KID)


class Cipher(StrEnum):
    AES_256_GCM = "aes-256-gcm"
    SM4_GCM = "sm4-gcm"  # the national block cipher; its key is 128 bits


KEY_BYTES: Mapping[Cipher, int] = MappingProxyType({Cipher.AES_256_GCM: 32, Cipher.SM4_GCM: 16})
_TOKEN = re.compile(
    rf"^{VERSION}\.(?P<alg>{'|'.join(re.escape(c.value) for c in Cipher)})\.(?P<kid>{_KID})"
    r"\.(?P<body>[A-Za-z0-9_-]+)$"
)


class SealError(ValueError):
    """A sealed value that cannot be opened; ``str()`` says why, never what it holds."""


class MalformedToken(SealError):
    pass


class UnknownKey(SealError):
    pass


class NotAuthentic(SealError):
    pass


def is_token(value: object) -> bool:
    """Whether ``value`` has the form of a sealed value (it may still fail to open)."""
    return isinstance(value, str) and _TOKEN.match(value) is not None


def new_key(cipher: Cipher = Cipher.AES_256_GCM) -> bytes:
    """Fresh random key material of the size ``cipher`` takes."""
    return os.urandom(KEY_BYTES[cipher])


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        raise MalformedToken("sealed value is not valid base64url") from None


def _associated(cipher: Cipher, kid: str, scope: str) -> bytes:
    return f"onething:{VERSION}:{cipher.value}:{kid}:{scope}".encode()


def _sm4_seal(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    encryptor = _Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    sealed = encryptor.update(plaintext) + encryptor.finalize()
    return sealed + encryptor.tag


def _sm4_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    ciphertext, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    decryptor = _Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    return decryptor.update(ciphertext) + decryptor.finalize()


def _encrypt(cipher: Cipher, key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    if cipher is Cipher.AES_256_GCM:
        return AESGCM(key).encrypt(nonce, plaintext, aad)
    return _sm4_seal(key, nonce, plaintext, aad)


def _decrypt(cipher: Cipher, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    if cipher is Cipher.AES_256_GCM:
        return AESGCM(key).decrypt(nonce, sealed, aad)
    return _sm4_open(key, nonce, sealed, aad)


class Keyring:
    """Keys by id: seals with ``active`` under ``cipher``, opens with any key a token names."""

    def __init__(self, keys: Mapping[str, bytes], active: str, cipher: Cipher) -> None:
        for kid, key in keys.items():
            if not KID_PATTERN.fullmatch(kid):
                raise ValueError(f"key id {kid!r}: 1-32 letters, digits, '_' or '-'")
            if len(key) not in KEY_BYTES.values():
                raise ValueError(
                    f"key {kid!r} has {len(key)} bytes; aes-256-gcm takes 32, sm4-gcm 16"
                )
        if active not in keys:
            raise ValueError(f"the active key {active!r} is not among the keys ({', '.join(keys)})")
        if len(keys[active]) != KEY_BYTES[cipher]:
            raise ValueError(
                f"the active key {active!r} has {len(keys[active])} bytes; {cipher.value} takes"
                f" {KEY_BYTES[cipher]}"
            )
        if cipher is Cipher.SM4_GCM:
            _check_sm4_available()
        self._keys = dict(keys)
        self.active = active
        self.cipher = cipher

    def __repr__(self) -> str:  # never the key material
        return f"Keyring(kids={sorted(self._keys)}, active={self.active!r}, cipher={self.cipher})"

    @property
    def kids(self) -> frozenset[str]:
        return frozenset(self._keys)

    def seal(self, plaintext: bytes, scope: str) -> str:
        """A token holding ``plaintext`` that opens only for ``scope`` (the case id)."""
        nonce = os.urandom(NONCE_BYTES)
        aad = _associated(self.cipher, self.active, scope)
        sealed = _encrypt(self.cipher, self._keys[self.active], nonce, plaintext, aad)
        return f"{VERSION}.{self.cipher.value}.{self.active}.{_b64encode(nonce + sealed)}"

    def open(self, token: str, scope: str) -> bytes:
        """The clear bytes of ``token``, checked to have been sealed for ``scope``."""
        match = _TOKEN.match(token)
        if match is None:
            raise MalformedToken(f"not a sealed value of format {VERSION}")
        cipher, kid = Cipher(match["alg"]), match["kid"]
        key = self._keys.get(kid)
        if key is None:
            raise UnknownKey(
                f"sealed with key {kid!r}, which this deployment does not hold"
                f" (it holds {', '.join(sorted(self._keys))}): add it to ONETHING_DATA_KEYS"
            )
        if len(key) != KEY_BYTES[cipher]:
            raise UnknownKey(f"key {kid!r} is not a {cipher.value} key ({len(key)} bytes)")
        raw = _b64decode(match["body"])
        if len(raw) < NONCE_BYTES + TAG_BYTES:
            raise MalformedToken("sealed value too short to hold a nonce and a tag")
        try:
            return _decrypt(
                cipher, key, raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(cipher, kid, scope)
            )
        except InvalidTag:
            raise NotAuthentic(
                f"sealed value does not open for case {scope}: it was sealed for another case,"
                " or altered"
            ) from None


def _check_sm4_available() -> None:
    try:
        _Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(NONCE_BYTES))).encryptor()
    except UnsupportedAlgorithm:
        raise ValueError(
            "sm4-gcm: the OpenSSL under this Python's cryptography package has no SM4-GCM"
        ) from None
