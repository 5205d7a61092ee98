"""The platform's own steps against its simulator: the death confirmation (the after-death
pivot), heir accounts kept here alone, and notices recorded."""

from __future__ import annotations

import pytest

from contracts.departments.platform import (
    ConfirmDeath,
    CorrectNextOfKinNotice,
    DeathConfirmationRevoked,
    DeathConfirmed,
    DiscardHeirData,
    NoticeItem,
    NotifyNextOfKin,
    RefusalReason,
    RegisterHeirAccount,
    RevokeDeathConfirmation,
    SendCompletionNotice,
    SendCorrectionNotice,
    SendRefusalNotice,
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


def test_a_revoked_confirmation_is_published_keyed_by_the_revoking_case(
    platform: PlatformSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True)
    answer(platform, confirmation(deceased), case_id="d-1")
    platform.drain()
    revoke = RevokeDeathConfirmation(deceased_id=deceased.resident_id, reason="死亡信息误报")

    revoked = answer(platform, revoke, case_id="d-1-R")

    (emitted,) = platform.drain()
    fact = emitted.message
    assert isinstance(fact, DeathConfirmationRevoked)
    assert DeathConfirmationRevoked.model_validate(revoked.data) == fact
    assert ("d-1-R", "d-1-R", "死亡信息误报") == (emitted.subject, fact.case_id, fact.reason)


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


WHY = [RefusalReason(item="死亡信息核验", reason="死亡信息库中查无死亡记录")]


def test_a_refusal_notice_is_recorded_with_its_reasons(
    platform: PlatformSimulator, world: World
) -> None:
    applicant = world.find(alive=True)
    notice = SendRefusalNotice(
        recipient_ids=[applicant.resident_id],
        saga="afterlife",
        decision="not_approved",
        reasons=WHY,
    )

    sent = answer(platform, notice, case_id="d-1")

    [recorded] = platform.notices
    assert (sent.data["notice_no"], "not_approved:afterlife", "d-1") == (
        recorded.notice_no,
        recorded.kind,
        recorded.case_id,
    )
    assert ("死亡信息核验: 死亡信息库中查无死亡记录",) == recorded.items


def test_a_refusal_notice_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reasons"):
        SendRefusalNotice(
            recipient_ids=["11010519491231002X"], saga="afterlife", decision="not_accepted",
            reasons=[],
        )  # fmt: skip


def test_the_next_of_kin_notice_is_corrected_to_the_same_people(
    platform: PlatformSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, has_living_spouse=True)
    told = answer(platform, NotifyNextOfKin(deceased_id=deceased.resident_id), case_id="d-1")
    correct = CorrectNextOfKinNotice(
        deceased_id=deceased.resident_id, corrected_notice_no=told.data["notice_no"], reasons=WHY
    )

    corrected = answer(platform, correct, case_id="d-1")
    unknown = answer(
        platform, correct.model_copy(update={"corrected_notice_no": "TZ999999"}), case_id="d-1"
    )

    assert "NextOfKinNoticeCorrected" == corrected.reply
    assert told.data["notified"] == corrected.data["notified"]
    assert "correction:next_of_kin" == platform.notices[-1].kind
    assert ("NextOfKinNoticeCorrectionRefused", "notice_not_found") == (
        unknown.reply,
        unknown.reason_code,
    )


def test_a_reversals_correction_notice_is_recorded(
    platform: PlatformSimulator, world: World
) -> None:
    person = world.find(alive=True)
    notice = SendCorrectionNotice(
        recipient_ids=[person.resident_id],
        saga="afterlife",
        original_case_id="d-1",
        reason="死亡信息误报",
        items=[NoticeItem(item="恢复户口", status="done")],
    )

    sent = answer(platform, notice, case_id="d-1-R")

    assert "CorrectionNoticeSent" == sent.reply
    assert ("correction:afterlife", ("恢复户口: done",)) == (
        platform.notices[-1].kind,
        platform.notices[-1].items,
    )
