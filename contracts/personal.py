"""Which case data is personal, and sealing it field by field on its way into OneThing.

Only the fields a department alone needs are sealed: names, resident ID numbers (and the death
certificate number, which is the deceased's ID number since 2026-07-01), the phone number and
the bank account. What the orchestrator reads to route a case and count its deadlines stays in
clear: the channel, the relation (an agent is checked by a clerk), the opt-ins, the dates, the
division and the window. The orchestrator copies sealed values into department commands as they
are, and the participant opens them just before the adapter is called (``open_sealed``); what a
department answers is sealed the same way, since replies are kept in the case state.

A value is sealed for the case it belongs to (``contracts.sealing``: the case id is the scope),
so it opens only in that case's commands. A reversal case is another case: the values it
carries over are sealed again for it where the orchestrator opens it (``reseal``).

The keys are looked up wherever they sit in the data, as the forms of ``contracts.window`` and
the start data of the one-things name them; a unit test keeps this list and those forms in step.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from contracts.message import Message
from contracts.saga import ReverseCase, StartCase, SupplementCase
from contracts.sealing import Keyring, is_token

__all__ = ["PERSONAL_KEYS", "open_sealed", "reseal", "seal_personal", "sealed_request"]

PERSONAL_KEYS = frozenset(
    {
        "deceased_id",
        "deceased_name",
        "death_certificate_no",
        "certificate_no",  # a department's answer naming the death certificate
        "resident_id",
        "name",
        "phone",
        "on_behalf_of",
        "account_no",
        "holder_name",
    }
)


def _seal_value(value: Any, keyring: Keyring, case_id: str) -> Any:
    if value is None or is_token(value):
        return value  # absent, or sealed already (a request passed on unchanged)
    plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return keyring.seal(plain, case_id)


def seal_personal(data: Mapping[str, Any], keyring: Keyring, case_id: str) -> dict[str, Any]:
    """``data`` with the value under every personal key sealed for ``case_id``."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in PERSONAL_KEYS:
            out[key] = _seal_value(value, keyring, case_id)
        elif isinstance(value, Mapping):
            out[key] = seal_personal(value, keyring, case_id)
        elif isinstance(value, list):
            # A roster: each member's personal fields sealed like a single person's.
            out[key] = [
                seal_personal(item, keyring, case_id) if isinstance(item, Mapping) else item
                for item in value
            ]
        else:
            out[key] = value
    return out


def open_sealed(value: Any, keyring: Keyring, case_id: str) -> Any:
    """``value`` with every sealed value in it opened for ``case_id`` (raises ``SealError``)."""
    if is_token(value):
        return json.loads(keyring.open(value, case_id))
    if isinstance(value, Mapping):
        return {key: open_sealed(item, keyring, case_id) for key, item in value.items()}
    if isinstance(value, list):
        return [open_sealed(item, keyring, case_id) for item in value]
    return value


def reseal(value: Any, keyring: Keyring, from_case: str, to_case: str) -> Any:
    """``value`` with every value sealed for ``from_case`` sealed again for ``to_case``."""
    if is_token(value):
        return keyring.seal(keyring.open(value, from_case), to_case)
    if isinstance(value, Mapping):
        return {key: reseal(item, keyring, from_case, to_case) for key, item in value.items()}
    if isinstance(value, list):
        return [reseal(item, keyring, from_case, to_case) for item in value]
    return value


def sealed_request(message: Message, keyring: Keyring) -> Message:
    """A case request with its personal fields sealed for its case; other messages unchanged."""
    if isinstance(message, StartCase | SupplementCase | ReverseCase):
        data = seal_personal(message.data, keyring, message.case_id)
        return message.model_copy(update={"data": data})
    return message
