"""Public security's contract, proven twice: against the simulator and through HTTP to it.

Every test takes ``registry``: the adapter under test and the simulator behind it (to look at
the world and count effects). Over HTTP the app runs in-process on an ASGI transport.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
import pytest_asyncio

from contracts.departments import Department
from contracts.departments.civil_affairs import REASONS as CIVIL_REASONS
from contracts.departments.public_security import (
    CancelHukou,
    ChangeHouseholdHead,
    IdentityClaim,
    MoveHukouToSpouse,
    ReissueIdCard,
    RestoreHukou,
    UpdateHukouMaritalStatus,
    VerifyIdentity,
    VerifyKinship,
)
from contracts.identifiers import make_resident_id
from contracts.saga import DepartmentCommand, ReplyOutcome
from departments.adapter import DepartmentAdapter, Outcome, PermanentFault
from departments.http.client import HttpAdapter
from departments.http.server import create_app
from departments.simulators.public_security import PublicSecuritySimulator
from departments.world import Marriage, Person, World
from tests.unit.departments.support import STRANGER_ID, command

PS = Department.PUBLIC_SECURITY


@dataclass
class Registry:
    adapter: DepartmentAdapter
    simulator: PublicSecuritySimulator
    world: World

    async def send(self, payload: object, **kwargs: object) -> Outcome:
        return await self.adapter.handle(command(PS, payload, **kwargs))  # type: ignore[arg-type]


@pytest_asyncio.fixture(params=["simulator", "http"])
async def registry(request: pytest.FixtureRequest, world: World) -> AsyncIterator[Registry]:
    simulator = PublicSecuritySimulator(world)
    if request.param == "simulator":
        yield Registry(simulator, simulator, world)
        return
    transport = httpx.ASGITransport(app=create_app(simulator))
    async with HttpAdapter("http://public-security.invalid", PS, transport=transport) as client:
        yield Registry(client, simulator, world)


def claim(person: Person) -> IdentityClaim:
    return IdentityClaim(resident_id=person.resident_id, name=person.name)


def cancel(person: Person) -> CancelHukou:
    certificate = person.resident_id  # the certificate number is the ID number
    assert person.date_of_death is not None
    return CancelHukou(
        resident_id=person.resident_id,
        date_of_death=person.date_of_death,
        death_certificate_no=certificate,
    )


def freshly_dead(world: World, **more: object) -> Person:
    return world.find(certified_dead=True, hukou_active=True, **more)


# --- identity ------------------------------------------------------------------------------------


async def test_a_marriageable_couple_is_verified(registry: Registry) -> None:
    man = registry.world.find(marriageable=True, sex="male")
    woman = registry.world.find(marriageable=True, sex="female")

    outcome = await registry.send(
        VerifyIdentity(parties=[claim(man), claim(woman)], purpose="marriage")
    )

    assert (ReplyOutcome.SUCCEEDED, "IdentityVerified", {"verified": 2}) == (
        outcome.outcome,
        outcome.reply,
        outcome.data,
    )


async def test_a_wrong_name_is_refused_naming_the_party(registry: Registry) -> None:
    man = registry.world.find(marriageable=True, sex="male")
    woman = registry.world.find(marriageable=True, sex="female")
    wrong = IdentityClaim(resident_id=woman.resident_id, name="无名氏")

    outcome = await registry.send(VerifyIdentity(parties=[claim(man), wrong]))

    assert ("IdentityVerificationRefused", "name_mismatch", {"party": 1}) == (
        outcome.reply,
        outcome.reason_code,
        outcome.data,
    )
    assert outcome.reason == "姓名与公民身份号码不一致"


async def test_an_unknown_id_is_refused_person_not_found(registry: Registry) -> None:
    outcome = await registry.send(
        VerifyIdentity(parties=[IdentityClaim(resident_id=STRANGER_ID, name="张三")])
    )

    assert "person_not_found" == outcome.reason_code


async def test_under_marriage_age_is_refused_only_for_marriage(registry: Registry) -> None:
    young = registry.world.find(under_marriage_age=True)

    for_marriage = await registry.send(VerifyIdentity(parties=[claim(young)], purpose="marriage"))
    in_general = await registry.send(VerifyIdentity(parties=[claim(young)]))

    assert "under_marriage_age" == for_marriage.reason_code
    assert ReplyOutcome.SUCCEEDED == in_general.outcome


async def test_a_person_with_a_cancelled_hukou_is_refused_as_deceased(registry: Registry) -> None:
    dead = registry.world.find(certified_dead=True, hukou_active=False)

    outcome = await registry.send(VerifyIdentity(parties=[claim(dead)]))

    assert "person_deceased" == outcome.reason_code


def _id_ending_in_x() -> str:
    """A valid ID whose check character is X, held by no one in the synthetic world."""
    return next(
        rid
        for seq in range(900, 1000)
        if (rid := make_resident_id("110105", date(1985, 3, 1), seq)).endswith("X")
    )


async def test_one_id_twice_for_marriage_is_refused_same_person_before_anyone_is_looked_up(
    registry: Registry,
) -> None:
    unknown = _id_ending_in_x()
    payload = {
        "parties": [
            {"resident_id": unknown, "name": "张三"},
            {"resident_id": unknown.lower(), "name": "李四"},  # the same number, a lower-case x
        ],
        "purpose": "marriage",
    }

    outcome = await registry.send(payload, name="VerifyIdentity")

    # Not person_not_found, nor a name mismatch: the two parties are one person, whoever it is.
    assert ("IdentityVerificationRefused", "same_person", "双方为同一人", {}) == (
        outcome.reply,
        outcome.reason_code,
        outcome.reason,
        outcome.data,
    )
    assert CIVIL_REASONS["same_person"] == outcome.reason


async def test_a_real_person_named_twice_for_marriage_is_refused_same_person(
    registry: Registry,
) -> None:
    woman = registry.world.find(marriageable=True, sex="female")

    outcome = await registry.send(
        VerifyIdentity(parties=[claim(woman), claim(woman)], purpose="marriage")
    )

    assert "same_person" == outcome.reason_code


async def test_two_people_of_the_same_sex_are_refused_for_marriage(registry: Registry) -> None:
    first, second = list(registry.world.find_all(marriageable=True, sex="male"))[:2]

    outcome = await registry.send(
        VerifyIdentity(parties=[claim(first), claim(second)], purpose="marriage")
    )

    assert ("IdentityVerificationRefused", "not_opposite_sex", "结婚须男女双方") == (
        outcome.reply,
        outcome.reason_code,
        outcome.reason,
    )
    assert CIVIL_REASONS["not_opposite_sex"] == outcome.reason


async def test_each_partys_own_bar_is_reported_before_their_sexes_are_compared(
    registry: Registry,
) -> None:
    man = registry.world.find(marriageable=True, sex="male")
    young_man = registry.world.find(under_marriage_age=True, sex="male")
    dead_man = registry.world.find(certified_dead=True, hukou_active=False, sex="male")

    too_young = await registry.send(
        VerifyIdentity(parties=[claim(man), claim(young_man)], purpose="marriage")
    )
    deceased = await registry.send(
        VerifyIdentity(parties=[claim(man), claim(dead_man)], purpose="marriage")
    )

    assert ("under_marriage_age", {"party": 1}) == (too_young.reason_code, too_young.data)
    assert ("person_deceased", {"party": 1}) == (deceased.reason_code, deceased.data)


async def test_a_general_check_neither_compares_sexes_nor_refuses_one_id_twice(
    registry: Registry,
) -> None:
    first, second = list(registry.world.find_all(marriageable=True, sex="male"))[:2]

    two_men = await registry.send(VerifyIdentity(parties=[claim(first), claim(second)]))
    twice = await registry.send(VerifyIdentity(parties=[claim(first), claim(first)]))

    assert [{"verified": 2}, {"verified": 2}] == [two_men.data, twice.data]


# --- cancel and restore hukou --------------------------------------------------------------------


async def test_cancelling_voids_the_id_card_and_widows_the_spouse(registry: Registry) -> None:
    deceased = freshly_dead(registry.world, has_living_spouse=True)
    assert deceased.spouse_id is not None
    spouse = registry.world.people[deceased.spouse_id]

    outcome = await registry.send(cancel(deceased))

    assert "HukouCancelled" == outcome.reply
    assert {"id_card_voided": True, "spouse_widowed": True}.items() <= outcome.data.items()
    assert (False, False, "widowed") == (
        deceased.hukou_active,
        deceased.id_card_valid,
        spouse.marital_status,
    )


async def test_the_spouse_becomes_head_when_the_head_dies(registry: Registry) -> None:
    deceased = freshly_dead(
        registry.world, household_head=True, lives_alone=False, has_living_spouse=True
    )
    household = registry.world.households[deceased.household_id]

    outcome = await registry.send(cancel(deceased))

    assert outcome.data["household_head_changed"] is True
    assert deceased.spouse_id == household.head_id


async def test_the_same_cancellation_twice_applies_once_and_answers_the_same(
    registry: Registry,
) -> None:
    deceased = freshly_dead(registry.world)
    again = command(PS, cancel(deceased), command_id="case-9:D7:1")

    first = await registry.adapter.handle(again)
    second = await registry.adapter.handle(again)

    assert first == second
    assert 1 == registry.simulator.effects["case-9:D7:1"]


async def test_concurrent_duplicates_apply_once(registry: Registry) -> None:
    deceased = freshly_dead(registry.world)
    duplicate = command(PS, cancel(deceased), command_id="case-9:D7:2")

    outcomes = await asyncio.gather(*(registry.adapter.handle(duplicate) for _ in range(5)))

    assert 1 == len(set(map(repr, outcomes)))
    assert 1 == registry.simulator.effects["case-9:D7:2"]


async def test_cancelling_again_under_another_command_is_refused(registry: Registry) -> None:
    deceased = freshly_dead(registry.world)
    await registry.send(cancel(deceased))

    outcome = await registry.send(cancel(deceased))

    assert ("HukouCancellationRefused", "already_cancelled") == (
        outcome.reply,
        outcome.reason_code,
    )


async def test_cancelling_without_a_death_certificate_is_refused(registry: Registry) -> None:
    unreported = registry.world.find(uncertified_dead=True)

    outcome = await registry.send(cancel(unreported))

    assert "death_not_certified" == outcome.reason_code


async def test_cancelling_an_unknown_person_is_refused(registry: Registry) -> None:
    payload = CancelHukou(
        resident_id=STRANGER_ID, date_of_death=date(2025, 5, 1), death_certificate_no=STRANGER_ID
    )

    outcome = await registry.send(payload)

    assert "person_not_found" == outcome.reason_code


async def test_restoring_after_a_retraction_puts_back_spouse_and_head(registry: Registry) -> None:
    deceased = freshly_dead(
        registry.world, household_head=True, lives_alone=False, has_living_spouse=True
    )
    assert deceased.spouse_id is not None
    await registry.send(cancel(deceased))
    premature = await registry.send(RestoreHukou(resident_id=deceased.resident_id, reason="误报"))
    registry.world.death_certificates[deceased.resident_id].retracted = True
    deceased.date_of_death = None

    outcome = await registry.send(RestoreHukou(resident_id=deceased.resident_id, reason="误报"))

    assert "death_still_certified" == premature.reason_code
    assert "HukouRestored" == outcome.reply
    assert {"spouse_restored": True, "household_head_restored": True}.items() <= (
        outcome.data.items()
    )
    assert "married" == registry.world.people[deceased.spouse_id].marital_status
    assert deceased.resident_id == registry.world.households[deceased.household_id].head_id


async def test_restoring_a_hukou_never_cancelled_is_refused(registry: Registry) -> None:
    living = registry.world.find(alive=True)

    outcome = await registry.send(RestoreHukou(resident_id=living.resident_id, reason="误报"))

    assert "hukou_not_cancelled" == outcome.reason_code


async def test_a_restored_hukou_gets_a_new_id_card_once(registry: Registry) -> None:
    deceased = freshly_dead(registry.world)
    await registry.send(cancel(deceased))
    registry.world.death_certificates[deceased.resident_id].retracted = True
    deceased.date_of_death = None
    restored = await registry.send(RestoreHukou(resident_id=deceased.resident_id, reason="误报"))
    assert restored.data["id_card_reissue_required"] is True
    # A copy, not the attribute: an assert on the attribute would narrow it for the one below.
    valid_when_restored = deceased.id_card_valid
    assert valid_when_restored is False  # the voided card was surrendered

    reissue = ReissueIdCard(resident_id=deceased.resident_id, reason="死亡信息误报，恢复户口")
    issued = await registry.send(reissue)
    again = await registry.send(reissue)

    assert "IdCardReissued" == issued.reply
    assert issued.data["application_no"].startswith("SFZ")
    assert deceased.id_card_valid is True
    assert ("IdCardReissueRefused", "id_card_still_valid") == (again.reply, again.reason_code)


async def test_no_id_card_for_a_hukou_still_cancelled_or_an_unknown_person(
    registry: Registry,
) -> None:
    dead = freshly_dead(registry.world)
    await registry.send(cancel(dead))

    cancelled = await registry.send(ReissueIdCard(resident_id=dead.resident_id, reason="误报"))
    unknown = await registry.send(ReissueIdCard(resident_id=STRANGER_ID, reason="误报"))

    assert ("hukou_cancelled", "户口已注销") == (cancelled.reason_code, cancelled.reason)
    assert "person_not_found" == unknown.reason_code


async def test_a_member_can_be_named_head(registry: Registry) -> None:
    household = next(h for h in registry.world.households.values() if len(h.member_ids) > 2)
    member = next(m for m in household.member_ids if m != household.head_id)

    outcome = await registry.send(
        ChangeHouseholdHead(household_id=household.household_id, new_head_id=member)
    )
    stranger = await registry.send(
        ChangeHouseholdHead(household_id=household.household_id, new_head_id=STRANGER_ID)
    )

    assert "HouseholdHeadChanged" == outcome.reply
    assert member == household.head_id
    assert "not_household_member" == stranger.reason_code


# --- marriage ------------------------------------------------------------------------------------


def newlyweds(world: World, office: str = "321302") -> tuple[Person, Person]:
    """A man and a woman from different households, married today in the registry."""
    man = world.find(marriageable=True, sex="male", lives_alone=True)
    woman = next(
        w
        for w in world.find_all(marriageable=True, sex="female")
        if w.household_id != man.household_id
        and world.households[man.household_id].division != "320585"
    )
    world.add_marriage(
        Marriage(
            f"J{office}-2025-900001",
            (man.resident_id, woman.resident_id),
            date(2025, 6, 30),
            office,
        )
    )
    return man, woman


async def test_hukou_marital_status_is_updated_for_both(registry: Registry) -> None:
    man, woman = newlyweds(registry.world)

    outcome = await registry.send(
        UpdateHukouMaritalStatus(
            resident_ids=[man.resident_id, woman.resident_id],
            marital_status="married",
            certificate_no="J321302-2025-900001",
        )
    )

    assert {"updated": 2} == outcome.data
    assert (woman.resident_id, man.resident_id) == (man.spouse_id, woman.spouse_id)


async def test_a_spouse_moves_into_the_other_household(registry: Registry) -> None:
    man, woman = newlyweds(registry.world)
    target = registry.world.households[man.household_id]

    outcome = await registry.send(
        MoveHukouToSpouse(resident_id=woman.resident_id, spouse_id=man.resident_id)
    )

    assert {"division_code": target.division, "household_id": target.household_id} == outcome.data
    assert woman.resident_id in target.member_ids


async def test_a_move_into_a_closed_division_is_refused_by_local_rule(
    registry: Registry,
) -> None:
    man, woman = newlyweds(registry.world)
    registry.simulator.closed_divisions = frozenset({man.division})

    outcome = await registry.send(
        MoveHukouToSpouse(resident_id=woman.resident_id, spouse_id=man.resident_id)
    )

    assert ("HukouMoveRefused", "target_division_not_accepting") == (
        outcome.reply,
        outcome.reason_code,
    )


async def test_a_move_to_someone_not_a_spouse_is_refused(registry: Registry) -> None:
    man = registry.world.find(marriageable=True, sex="male")
    woman = registry.world.find(marriageable=True, sex="female")

    outcome = await registry.send(
        MoveHukouToSpouse(resident_id=woman.resident_id, spouse_id=man.resident_id)
    )

    assert "not_spouses" == outcome.reason_code


# --- kinship -------------------------------------------------------------------------------------


async def test_a_child_of_the_deceased_is_verified_and_a_false_claim_refused(
    registry: Registry,
) -> None:
    deceased = freshly_dead(registry.world, has_adult_child=True)
    child = registry.world.children(deceased.resident_id)[0]

    verified = await registry.send(
        VerifyKinship(applicant_id=child, deceased_id=deceased.resident_id, relation="child")
    )
    false = await registry.send(
        VerifyKinship(applicant_id=child, deceased_id=deceased.resident_id, relation="spouse")
    )

    assert {"relation": "child"} == verified.data
    assert "kinship_not_found" == false.reason_code


# --- faults --------------------------------------------------------------------------------------


async def test_an_invalid_payload_is_a_permanent_fault(registry: Registry) -> None:
    bad = command(PS, {"resident_id": "110105198001019910"}, name="CancelHukou")

    with pytest.raises(PermanentFault):
        await registry.adapter.handle(bad)


async def test_an_unknown_command_is_a_permanent_fault(registry: Registry) -> None:
    with pytest.raises(PermanentFault):
        await registry.adapter.handle(command(PS, {}, name="IssuePassport"))


async def test_a_command_id_reused_for_another_command_is_a_permanent_fault(
    registry: Registry,
) -> None:
    first, second = list(registry.world.find_all(certified_dead=True, hukou_active=True))[:2]
    await registry.adapter.handle(command(PS, cancel(first), command_id="reused"))

    with pytest.raises(PermanentFault):
        await registry.adapter.handle(command(PS, cancel(second), command_id="reused"))


def test_a_command_for_another_department_is_refused_at_the_door(world: World) -> None:
    stray: DepartmentCommand = command(Department.HEALTH, {}, name="CancelHukou")

    with pytest.raises(PermanentFault):
        asyncio.run(PublicSecuritySimulator(world).handle(stray))
