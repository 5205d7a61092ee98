"""The deployment's data keys: the keyring that seals personal fields, built from ``Settings``.

``ONETHING_DATA_KEYS`` lists the keys as ``kid:base64key`` pairs, comma-separated (32-byte keys
for ``aes-256-gcm``, 16-byte keys for ``sm4-gcm``), ``ONETHING_DATA_KEY_ACTIVE`` names the one
that seals and ``ONETHING_DATA_CIPHER`` the cipher it seals with; every key listed opens what it
sealed. Outside ``ONETHING_ENVIRONMENT=local`` a deployment must bring its own keys: the built-in
development keys below are published and protect nothing.

``python -m onething.keys new-key [--cipher sm4-gcm] [--kid ID]`` prints a fresh ``kid:key`` pair.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from contracts.sealing import KID_PATTERN, Cipher, Keyring, new_key

if TYPE_CHECKING:
    from onething.settings import Settings

__all__ = [
    "LOCAL_DATA_KEYS",
    "keyring_from",
    "main",
    "parse_keys",
    "refuse_development_data_keys",
]

# One key per cipher, so a local stack runs either; published here, so they protect nothing.
LOCAL_DATA_KEYS = (
    "local-aes:k9LsexW5YctskM6sDkjaGD7WzPE1Qljt_VZZjMpiMPA=,local-sm4:KvVrQcYPWEBd24YLzJ6i-A=="
)
_LOCAL_ACTIVE = {Cipher.AES_256_GCM: "local-aes", Cipher.SM4_GCM: "local-sm4"}


def parse_keys(text: str) -> dict[str, bytes]:
    """``kid:base64key,kid2:base64key`` → key material by id; errors name the key, not its value."""
    keys: dict[str, bytes] = {}
    for n, item in enumerate((part.strip() for part in text.split(",")), start=1):
        if not item:
            continue
        kid, sep, encoded = item.partition(":")
        if not sep or not KID_PATTERN.fullmatch(kid):
            raise ValueError(
                f"ONETHING_DATA_KEYS entry {n}: must be kid:base64key, the kid 1-32 letters,"
                " digits, '_' or '-'"
            )
        try:
            key = base64.b64decode(encoded.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"ONETHING_DATA_KEYS key {kid!r}: not valid base64") from None
        if kid in keys:
            raise ValueError(f"ONETHING_DATA_KEYS: key id {kid!r} is listed twice")
        keys[kid] = key
    if not keys:
        raise ValueError("ONETHING_DATA_KEYS lists no key")
    return keys


def _active(settings: Settings, keys: dict[str, bytes], cipher: Cipher) -> str:
    if settings.data_key_active:
        return settings.data_key_active
    if settings.data_keys.get_secret_value() == LOCAL_DATA_KEYS:
        return _LOCAL_ACTIVE[cipher]
    if len(keys) == 1:
        return next(iter(keys))
    raise ValueError(
        f"ONETHING_DATA_KEY_ACTIVE must name the key that seals, one of {', '.join(sorted(keys))}"
    )


def keyring_from(settings: Settings) -> Keyring:
    """The deployment's keyring; ``ValueError`` says which setting is wrong."""
    keys = parse_keys(settings.data_keys.get_secret_value())
    cipher = Cipher(settings.data_cipher)
    return Keyring(keys, _active(settings, keys, cipher), cipher)


def refuse_development_data_keys(settings: Settings) -> None:
    """Outside local development, stop unless the deployment's own valid keys are set."""
    if settings.environment == "local":
        return
    local = set(parse_keys(LOCAL_DATA_KEYS).values())
    try:
        keys = parse_keys(settings.data_keys.get_secret_value())
        keyring_from(settings)
    except ValueError as exc:
        raise SystemExit(f"ONETHING_DATA_KEYS: {exc}") from None
    if set(keys.values()) & local:
        raise SystemExit(
            f"ONETHING_DATA_KEYS must be set to this deployment's own keys when"
            f" ONETHING_ENVIRONMENT={settings.environment!r} (the built-in keys are for local"
            " development only); make one with: python -m onething.keys new-key"
        )


def _default_kid() -> str:
    return datetime.now(UTC).strftime("k%Y%m%d")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m onething.keys", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("new-key", help="print a fresh kid:base64key for ONETHING_DATA_KEYS")
    make.add_argument("--cipher", choices=[c.value for c in Cipher], default=Cipher.AES_256_GCM)
    make.add_argument("--kid", default=None, help="the key's id (default: k + today's date)")
    args = parser.parse_args(argv)
    cipher = Cipher(args.cipher)
    kid = args.kid or _default_kid()
    if not KID_PATTERN.fullmatch(kid):
        parser.error("--kid: 1-32 letters, digits, '_' or '-'")
    key = base64.urlsafe_b64encode(new_key(cipher)).decode("ascii")
    sys.stdout.write(f"{kid}:{key}\n")


if __name__ == "__main__":
    main()
