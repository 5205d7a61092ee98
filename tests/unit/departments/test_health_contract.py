"""Health's contract against its simulator: certificates and their events, death records,
premarital-check vouchers and fertility registration."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.departments.health import (
    DeathCertified,
    DeathRetracted,
    IssueDeathCertificate,
    IssuePremaritalCheckVoucher,
    RegisterFertility,
    RetractDeathCertificate,
    VerifyDeathRecord,
    VoidPremaritalCheckVoucher,
)
from contracts.identifiers import make_credit_code
from contracts.topics import Topics
from departments.simulators.base import pseudonym
from departments.simulators.health import HealthSimulator
from departments.world import World
from tests.unit.departments.support import STRANGER_ID, answer, died

HOSPITAL = make_credit_code("12321302MB0000001")


@pytest.fixture
def health(world: World) -> HealthSimulator:
    return HealthSimulator(world)


def certify(resident_id: str, day: date = date(2025, 6, 29)) -> IssueDeathCertificate:
    return IssueDeathCertificate(
        resident_id=resident_id, date_of_death=day, issuer_credit_code=HOSPITAL
    )


def test_a_certified_death_is_published_without_the_id_in_the_key(
    health: HealthSimulator, world: World
) -> None:
    person = world.find(alive=True, min_age=70)

    outcome = answer(health, certify(person.resident_id))

    (emitted,) = health.drain()
    assert {"certificate_no": person.resident_id} == outcome.data
    assert date(2025, 6, 29) == person.date_of_death
    assert (Topics.DEPT_EVENTS, pseudonym(person.resident_id)) == (emitted.topic, emitted.subject)
    assert person.resident_id not in emitted.subject
    assert isinstance(emitted.message, DeathCertified)
    assert person.division == emitted.message.division_code


def test_a_death_is_certified_once(health: HealthSimulator, world: World) -> None:
    deceased = world.find(certified_dead=True)

    outcome = answer(health, certify(deceased.resident_id))

    assert ("DeathCertificationRefused", "already_certified") == (
        outcome.reply,
        outcome.reason_code,
    )
    assert [] == health.drain()


def test_a_retraction_revives_the_person_and_is_published(
    health: HealthSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True)
    retraction = RetractDeathCertificate(certificate_no=deceased.resident_id, reason="医院误报")

    retracted = answer(health, retraction)
    again = answer(health, retraction)

    (emitted,) = health.drain()
    assert "DeathCertificateRetracted" == retracted.reply
    assert deceased.alive
    assert isinstance(emitted.message, DeathRetracted)
    assert "医院误报" == emitted.message.reason
    assert "already_retracted" == again.reason_code


def test_the_death_record_is_verified_against_the_certificate(
    health: HealthSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True)

    verified = answer(
        health, VerifyDeathRecord(deceased_id=deceased.resident_id, date_of_death=died(deceased))
    )
    wrong_day = answer(
        health, VerifyDeathRecord(deceased_id=deceased.resident_id, date_of_death=date(2000, 1, 1))
    )

    assert {
        "certificate_no": deceased.resident_id,
        "date_of_death": died(deceased).isoformat(),
    } == verified.data
    assert "date_of_death_mismatch" == wrong_day.reason_code


@pytest.mark.parametrize(
    ("criteria", "reason_code"),
    [
        ({"uncertified_dead": True}, "death_record_not_found"),
        ({"alive": True}, "death_record_not_found"),
    ],
)
def test_no_record_no_verification(
    health: HealthSimulator, world: World, criteria: dict[str, object], reason_code: str
) -> None:
    person = world.find(**criteria)

    assert (
        reason_code == answer(health, VerifyDeathRecord(deceased_id=person.resident_id)).reason_code
    )


def test_a_retracted_record_is_refused(health: HealthSimulator, world: World) -> None:
    deceased = world.find(certified_dead=True)
    answer(health, RetractDeathCertificate(certificate_no=deceased.resident_id, reason="误报"))

    outcome = answer(health, VerifyDeathRecord(deceased_id=deceased.resident_id))

    assert "death_record_retracted" == outcome.reason_code


def test_one_voucher_per_case_and_voiding_is_safe_to_repeat(
    health: HealthSimulator, world: World
) -> None:
    couple = [
        world.find(marriageable=True, sex="male").resident_id,
        world.find(marriageable=True, sex="female").resident_id,
    ]

    issued = answer(health, IssuePremaritalCheckVoucher(resident_ids=couple), case_id="m-1")
    reissued = answer(health, IssuePremaritalCheckVoucher(resident_ids=couple), case_id="m-1")
    voided = answer(health, VoidPremaritalCheckVoucher(), case_id="m-1")
    nothing = answer(health, VoidPremaritalCheckVoucher(), case_id="m-1")

    assert issued.data == reissued.data
    assert (1, 0) == (voided.data["voided"], nothing.data["voided"])


def test_fertility_is_registered_once_per_couple(health: HealthSimulator, world: World) -> None:
    couple = [
        world.find(marriageable=True, sex="male").resident_id,
        world.find(marriageable=True, sex="female").resident_id,
    ]
    registration = RegisterFertility(
        resident_ids=couple, marriage_certificate_no="J321302-2025-000001"
    )

    first = answer(health, registration)
    second = answer(health, registration)
    stranger = answer(
        health, registration.model_copy(update={"resident_ids": [STRANGER_ID, couple[1]]})
    )

    assert "FertilityRegistered" == first.reply
    assert "already_registered" == second.reason_code
    assert "person_not_found" == stranger.reason_code
