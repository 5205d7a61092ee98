"""The platform's own steps against its simulator: the death confirmation (the after-death
pivot), heir accounts kept here alone, and notices recorded."""

from __future__ import annotations

import pytest

from contracts.departments.platform import (
    ConfirmDeath,
    DeathConfirmed,
    DiscardHeirData,
    NoticeItem,
    NotifyNextOfKin,
    RegisterHeirAccount,
    RevokeDeathConfirmation,
    SendCompletionNotice,
)
from departments.simulators.platform import PlatformSimulator
from departments.world import Person, World
from tests.unit.departments.support import answer, died


@pytest.fixture
def platform(world: World) -> PlatformSimulator:
    return PlatformSimulator(world)


def confirmation(deceased: Person) -> ConfirmDeath:
    return ConfirmDeath(
        deceased_id=deceased.resident_id,
        date_of_death=died(deceased),
        death_certificate_no=deceased.resident_id,
        division_code=deceased.division,
    )


def test_a_death_is_confirmed_once_and_published_keyed_by_the_case(
    platform: PlatformSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True)

    confirmed = answer(platform, confirmation(deceased), case_id="d-1")
    second_case = answer(platform, confirmation(deceased), case_id="d-2")

    (emitted,) = platform.drain()
    assert "DeathConfirmed" == confirmed.reply
    assert DeathConfirmed.model_validate(confirmed.data) == emitted.message
    assert "d-1" == emitted.subject
    assert "already_confirmed" == second_case.reason_code


def test_an_uncertified_death_cannot_be_confirmed(
    platform: PlatformSimulator, world: World
) -> None:
    unreported = world.find(uncertified_dead=True)

    assert "death_not_certified" == answer(platform, confirmation(unreported)).reason_code


def test_a_revoked_confirmation_can_be_revoked_only_once(
    platform: PlatformSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True)
    answer(platform, confirmation(deceased))
    revoke = RevokeDeathConfirmation(deceased_id=deceased.resident_id, reason="误报")

    assert "DeathConfirmationRevoked" == answer(platform, revoke).reply
    assert "not_confirmed" == answer(platform, revoke).reason_code


def test_heir_data_is_held_here_and_discarded_per_case(
    platform: PlatformSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, has_living_spouse=True)
    assert deceased.spouse_id is not None
    account = RegisterHeirAccount(
        deceased_id=deceased.resident_id,
        heir_id=deceased.spouse_id,
        bank_account="6222020200112233445",
    )

    registered = answer(platform, account, case_id="d-1")
    discarded = answer(platform, DiscardHeirData(), case_id="d-1")
    nothing = answer(platform, DiscardHeirData(), case_id="d-1")

    assert "6222020200112233445" not in registered.data["heir_account_ref"]
    assert (1, 0) == (discarded.data["discarded"], nothing.data["discarded"])


def test_notices_are_recorded(platform: PlatformSimulator, world: World) -> None:
    deceased = world.find(certified_dead=True, has_living_spouse=True)
    loner = world.find(certified_dead=True, has_living_spouse=False, has_adult_child=False)
    notice = SendCompletionNotice(
        recipient_ids=[deceased.spouse_id or ""],
        saga="afterlife",
        items=[
            NoticeItem(item="户口注销", status="done"),
            NoticeItem(item="公积金提取", status="pending"),
        ],
    )

    sent = answer(platform, notice, case_id="d-1")
    kin = answer(platform, NotifyNextOfKin(deceased_id=deceased.resident_id), case_id="d-1")
    nobody = answer(platform, NotifyNextOfKin(deceased_id=loner.resident_id))

    assert [sent.data["notice_no"], kin.data["notice_no"]] == [
        n.notice_no for n in platform.notices
    ]
    assert ("户口注销: done", "公积金提取: pending") == platform.notices[0].items
    assert "no_next_of_kin" == nobody.reason_code
