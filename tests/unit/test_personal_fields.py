"""Which case data is sealed: every personal field of the after-death forms and start data, and
nothing the orchestrator reads; opened again only for the same case, sealed again for another."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from contracts.assistance import AssistanceApplication
from contracts.marriage import DivorceApplication, MarriageApplication
from contracts.personal import PERSONAL_KEYS, open_sealed, reseal, seal_personal, sealed_request
from contracts.saga import ReverseCase, Signal, StartCase
from contracts.sealing import Cipher, Keyring, NotAuthentic, is_token
from contracts.window import AfterDeathApplication
from services.afterlife.start import ProactiveStart, ReversalStart
from tests.unit.services.afterlife.support import ACCOUNT_NO, CHILD_ID, DECEASED_ID, form

KEYRING = Keyring({"k1": bytes(range(32))}, "k1", Cipher.AES_256_GCM)
CASE = "AD-3f1c9a7be0d24c55"
# Read by the orchestrator (routing, predicates, deadlines, 补正) or naming no one: kept clear.
CLEAR_ON_PURPOSE = {
    "date_of_death": "a date names no one; 补正 corrects it",
    "relation": "an agent is checked by a clerk, a relative by public security",
    "bank": "the bank's name, not the account",
    "opt_ins": "which branches run",
    "funeral_fee_waiver": "an opt-in",
    "survivor_benefits": "an opt-in",
    "medical_account_payout": "an opt-in",
    "housing_fund_withdrawal": "an opt-in",
    "applicant": "a group; its fields are listed",
    "heir_account": "a group; its fields are listed",
    "channel": "how the case opened",
    "certified_at": "when, not who",
    "grace_days": "a setting",
    "original_case_id": "a case id is keyed, so it reveals no one",
    "reason": "why a death was retracted",
    "done_steps": "step names",
    "in_flight_steps": "step names",
    "party_a": "a group; its fields are listed",
    "party_b": "a group; its fields are listed",
    "declaration_signed": "a checkbox",
    "agreement_signed": "a checkbox",
    "premarital_check_voucher": "an opt-in",
    "fertility_registration": "an opt-in",
    "hukou_move": "an opt-in: which party, not who",
    "marriage_certificate_no": "a registry number names no one without the registry",
    "household_id": "a hukou household's number: the facts that change it find its case by it",
    "residence": "which standard applies, urban or rural",
    "members": "a group; its fields are listed",
    "consent_signed": "a checkbox",
    "payee_account": "a group; its fields are listed",
    "hardship": "a group; its fields are listed",
    "kind": "what kind of hardship, not whose",
    "amount_fen": "an amount",
    "description": "what happened, for the township's decision; the clerk writes no names in it",
    "urgent": "which branch runs first",
    "centralised_care": "which standard applies",
}


def _fields(model: type[BaseModel]) -> Iterator[str]:
    for name, info in model.model_fields.items():
        yield name
        for candidate in (info.annotation, *getattr(info.annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                yield from _fields(candidate)


@pytest.mark.parametrize(
    "model",
    [
        AfterDeathApplication,
        ProactiveStart,
        ReversalStart,
        MarriageApplication,
        DivorceApplication,
        AssistanceApplication,
    ],
)
def test_every_field_of_the_case_data_is_either_sealed_or_clear_for_a_stated_reason(
    model: type[BaseModel],
) -> None:
    unclassified = {f for f in _fields(model) if f not in PERSONAL_KEYS | CLEAR_ON_PURPOSE.keys()}

    assert set() == unclassified


def _leaves(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{path}{key}.")
    else:
        yield path.rstrip("."), data


def test_a_form_is_sealed_field_by_field_and_opens_back_for_its_case() -> None:
    data = form() | {"channel": "window"}

    sealed = seal_personal(data, KEYRING, CASE)

    tokens = {path for path, value in _leaves(sealed) if is_token(value)}
    assert {
        "deceased_id",
        "deceased_name",
        "death_certificate_no",
        "applicant.resident_id",
        "applicant.name",
        "applicant.phone",
        "heir_account.account_no",
        "heir_account.holder_name",
    } == tokens
    assert sealed["applicant"]["on_behalf_of"] is None  # absent stays absent
    assert (data["opt_ins"], "window") == (sealed["opt_ins"], sealed["channel"])
    for clear in (DECEASED_ID, CHILD_ID, ACCOUNT_NO, "张三", "13812345678"):
        assert clear not in str(sealed)
    assert data == open_sealed(sealed, KEYRING, CASE)
    with pytest.raises(NotAuthentic):
        open_sealed(sealed, KEYRING, "AD-other")


def test_sealing_twice_leaves_sealed_values_as_they_are() -> None:
    sealed = seal_personal(form(), KEYRING, CASE)

    assert sealed == seal_personal(sealed, KEYRING, CASE)


def test_a_reversal_carries_values_sealed_again_for_the_reversal_case() -> None:
    sealed = seal_personal({"applicant": form()["applicant"]}, KEYRING, CASE)

    moved = reseal(sealed, KEYRING, CASE, f"{CASE}-R")

    assert form()["applicant"] == open_sealed(moved, KEYRING, f"{CASE}-R")["applicant"]
    with pytest.raises(NotAuthentic):
        open_sealed(moved, KEYRING, CASE)


def test_case_requests_are_sealed_for_their_case_and_other_messages_pass_unchanged() -> None:
    start = StartCase(
        case_id=CASE, saga="afterlife", division_code="321300", data=form(),
        received_at="2025-03-03T08:30:00+00:00",
    )  # fmt: skip
    reverse = ReverseCase(
        case_id=CASE, reversal_case_id=f"{CASE}-R", actor="health", reason="填报错误",
        data={"deceased_id": DECEASED_ID, "reason": "填报错误"},
    )  # fmt: skip
    signal = Signal(case_id=CASE, step="family_application", actor="window:w")

    sealed_start = sealed_request(start, KEYRING)
    sealed_reverse = sealed_request(reverse, KEYRING)

    assert isinstance(sealed_start, StartCase) and isinstance(sealed_reverse, ReverseCase)
    assert form() == open_sealed(sealed_start.data, KEYRING, CASE)
    assert (
        is_token(sealed_reverse.data["deceased_id"]) and "填报错误" == sealed_reverse.data["reason"]
    )
    assert signal is sealed_request(signal, KEYRING)
