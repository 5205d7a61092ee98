"""Civil affairs' contract against its simulator: marriage registry, welfare rolls, case files."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.departments.civil_affairs import (
    REASONS,
    AcceptAssistanceApplication,
    AcceptDivorceApplication,
    AcceptMarriageApplication,
    ApplyFuneralFeeWaiver,
    CheckMaritalStatus,
    DisburseMonthly,
    DivorceRegistered,
    EnrolDibao,
    EnrolElderlyAllowance,
    EnrolLivingSubsidy,
    EnrolNursingSubsidy,
    EnrolTekun,
    GrantTemporaryAssistance,
    HouseholdChanged,
    MarriageRegistered,
    PartyHousehold,
    ProposeAssistance,
    ProposedProgramme,
    RecalculateHouseholdDibao,
    RegisterDivorce,
    RegisterMarriage,
    ResumeWelfare,
    ReverseFuneralFeeWaiver,
    StopWelfare,
    TekunMember,
    UploadDivorceRecord,
    UploadMarriageRecord,
    VerifyMarriageRecord,
    VoidDivorceApplication,
    VoidMarriageApplication,
)
from contracts.identifiers import check_divorce_certificate
from contracts.message import Message
from contracts.saga import ReplyOutcome
from contracts.standards import default_standards
from contracts.topics import Topics
from departments.adapter import PermanentFault
from departments.simulators.base import Emitted
from departments.simulators.civil_affairs import FUNERAL_WAIVER_FEN, CivilAffairsSimulator
from departments.world import (
    Cremation,
    DeathCertificate,
    DisabilityCard,
    Marriage,
    Person,
    World,
    add_months,
    month_of,
)
from tests.unit.departments.support import STRANGER_ID, answer


@pytest.fixture
def civil(world: World) -> CivilAffairsSimulator:
    return CivilAffairsSimulator(world)


def couple(world: World) -> tuple[Person, Person]:
    return world.find(marriageable=True, sex="male"), world.find(marriageable=True, sex="female")


def register(man: Person, woman: Person, office: str = "321302") -> RegisterMarriage:
    return RegisterMarriage(party_ids=[man.resident_id, woman.resident_id], office_division=office)


# --- case files ----------------------------------------------------------------------------------


def test_one_application_file_per_case_and_voiding_it_is_safe_to_repeat(
    civil: CivilAffairsSimulator,
) -> None:
    first = answer(civil, AcceptMarriageApplication(office_division="321302"), case_id="m-1")
    again = answer(civil, AcceptMarriageApplication(office_division="321302"), case_id="m-1")
    voided = answer(civil, VoidMarriageApplication(), case_id="m-1")
    nothing_left = answer(civil, VoidMarriageApplication(), case_id="m-1")

    assert first.data == again.data
    assert (True, False) == (voided.data["voided"], nothing_left.data["voided"])


def test_an_assistance_application_without_consent_is_refused(
    civil: CivilAffairsSimulator, world: World
) -> None:
    household = next(iter(world.households))

    outcome = answer(
        civil,
        AcceptAssistanceApplication(
            office_division="321302", household_id=household, consent_signed=False
        ),
    )

    assert ("AssistanceApplicationRefused", "consent_missing") == (
        outcome.reply,
        outcome.reason_code,
    )


# --- marriage registry ---------------------------------------------------------------------------


def test_free_parties_pass_the_marital_status_check(
    civil: CivilAffairsSimulator, world: World
) -> None:
    man, woman = couple(world)

    outcome = answer(civil, CheckMaritalStatus(resident_ids=[man.resident_id, woman.resident_id]))

    assert {"checked": 2} == outcome.data


def test_a_married_party_fails_the_check_named_by_position(
    civil: CivilAffairsSimulator, world: World
) -> None:
    man, _ = couple(world)
    married = world.find(married=True)

    outcome = answer(civil, CheckMaritalStatus(resident_ids=[man.resident_id, married.resident_id]))

    assert ("MaritalStatusCheckRefused", "already_married", {"party": 1}) == (
        outcome.reply,
        outcome.reason_code,
        outcome.data,
    )


def test_registering_issues_a_certificate_continuing_the_office_serials(
    civil: CivilAffairsSimulator, world: World
) -> None:
    man, woman = couple(world)
    office = woman.division
    existing = [n for n in world.marriages if n.startswith(f"J{office}-2025-")]

    outcome = answer(civil, register(man, woman, office))

    number = outcome.data["certificate_no"]
    assert re.fullmatch(rf"J{office}-2025-\d{{6}}", number)
    assert int(number[-6:]) == len(existing) + 1
    assert (number, "2025-06-30") == (outcome.data["certificate_no"], outcome.data["registered_on"])
    assert world.current_marriage(man.resident_id) is world.marriages[number]


def test_registering_a_married_person_is_refused_already_married(
    civil: CivilAffairsSimulator, world: World
) -> None:
    man, woman = couple(world)
    answer(civil, register(man, woman))
    _, other_woman = couple(world)  # the next free woman: the first is married now

    outcome = answer(civil, register(man, other_woman))

    assert ("MarriageRegistrationRefused", "already_married", {"party": 0}) == (
        outcome.reply,
        outcome.reason_code,
        outcome.data,
    )


@pytest.mark.parametrize(
    ("pick", "reason_code"),
    [
        (lambda w: (w.find(under_marriage_age=True), None), "under_marriage_age"),
        (lambda w: (w.find(certified_dead=True), None), "person_deceased"),
        (lambda w: (w.find(marriageable=True, sex="female"),) * 2, "same_person"),
    ],
)
def test_registration_bars(
    civil: CivilAffairsSimulator, world: World, pick: object, reason_code: str
) -> None:
    first, second = pick(world)  # type: ignore[operator]
    if second is None:
        sex = "female" if first.sex == "male" else "male"
        second = world.find(marriageable=True, sex=sex)

    outcome = answer(civil, register(first, second))

    assert reason_code == outcome.reason_code


def test_two_men_cannot_register(civil: CivilAffairsSimulator, world: World) -> None:
    first, second = list(world.find_all(marriageable=True, sex="male"))[:2]

    assert "not_opposite_sex" == answer(civil, register(first, second)).reason_code


def test_a_registration_is_uploaded_once_known(civil: CivilAffairsSimulator, world: World) -> None:
    number = answer(civil, register(*couple(world))).data["certificate_no"]

    uploaded = answer(civil, UploadMarriageRecord(certificate_no=number))
    unknown = answer(civil, UploadMarriageRecord(certificate_no="J110105-2025-999999"))

    assert world.marriages[number].uploaded
    assert "MarriageRecordUploaded" == uploaded.reply
    assert "certificate_not_found" == unknown.reason_code


def published(civil: CivilAffairsSimulator, topic: str) -> list[Emitted]:
    """What the simulator has put in its outbox for ``topic`` since it was last drained."""
    return [e for e in civil.drain() if e.topic == topic]


def names_no_one(fact: Message, *people: Person) -> bool:
    """No ID number (either case of X) and no name of ``people`` anywhere in ``fact``."""
    text = fact.model_dump_json().upper()
    return not any(p.resident_id.upper() in text or p.name.upper() in text for p in people)


def test_a_registered_marriage_is_published_once_as_the_fact_it_answers_with(
    civil: CivilAffairsSimulator, world: World
) -> None:
    woman, man = couple(world)[::-1]  # the woman first: the households follow the party order
    assert woman.household_id != man.household_id
    request = RegisterMarriage(
        party_ids=[woman.resident_id, man.resident_id], office_division="321302"
    )

    outcome = answer(civil, request, case_id="m-1", command_id="m-1:register:1")
    (emitted,) = published(civil, Topics.DEPT_EVENTS)
    repeat = answer(civil, request, case_id="m-1", command_id="m-1:register:1")

    fact = emitted.message
    assert isinstance(fact, MarriageRegistered)
    assert ("MarriageRegistered", "m-1") == (outcome.reply, emitted.subject)
    assert MarriageRegistered.model_validate(outcome.data) == fact
    assert (
        "m-1",
        outcome.data["certificate_no"],
        date(2025, 6, 30),
        "321302",
        world.now(),
    ) == (
        fact.case_id,
        fact.certificate_no,
        fact.registered_on,
        fact.office_division,
        fact.registered_at,
    )
    assert [
        PartyHousehold(
            household_id=p.household_id, division_code=world.households[p.household_id].division
        )
        for p in (woman, man)
    ] == fact.households
    assert names_no_one(fact, woman, man)
    assert (outcome, [], 1) == (repeat, civil.drain(), civil.effects["m-1:register:1"])


def test_a_marriage_touching_a_dibao_household_also_tells_the_household_topic(
    civil: CivilAffairsSimulator, world: World
) -> None:
    man = world.find(marriageable=True, sex="male", on_dibao=True)
    woman = world.find(marriageable=True, sex="female", on_dibao=False)

    answer(civil, register(man, woman), case_id="m-1")

    emitted = civil.drain()
    assert [Topics.DEPT_EVENTS, Topics.HOUSEHOLD_EVENTS] == [e.topic for e in emitted]
    fact, changed = (e.message for e in emitted)
    assert isinstance(fact, MarriageRegistered) and isinstance(changed, HouseholdChanged)
    assert (man.household_id, "member_married") == (changed.household_id, changed.change)
    assert man.household_id == fact.households[0].household_id


def test_a_refused_registration_publishes_nothing(
    civil: CivilAffairsSimulator, world: World
) -> None:
    # Dibao households: a registration that went through would tell the household topic too.
    first, second = list(world.find_all(marriageable=True, sex="male", on_dibao=True))[:2]

    outcome = answer(civil, register(first, second))

    assert ("not_opposite_sex", []) == (outcome.reason_code, civil.drain())


# --- divorce registry ----------------------------------------------------------------------------


def standing_marriages(world: World) -> list[Marriage]:
    """Marriages that still stand, both spouses alive on the records."""
    return [
        m
        for m in world.marriages.values()
        if m.dissolved_on is None
        and world.current_marriage(m.party_ids[0]) is m
        and all(world.known_alive(world.people[p]) for p in m.party_ids)
    ]


def divorce(
    marriage: Marriage, parties: tuple[str, str] | None = None, office: str = "321302"
) -> RegisterDivorce:
    return RegisterDivorce(
        party_ids=list(parties or marriage.party_ids),
        marriage_certificate_no=marriage.certificate_no,
        office_division=office,
    )


def test_a_registered_divorce_ends_the_marriage_under_an_l_number(
    civil: CivilAffairsSimulator, world: World
) -> None:
    marriage = standing_marriages(world)[0]
    husband, wife = marriage.party_ids

    outcome = answer(civil, divorce(marriage))

    number = outcome.data["certificate_no"]
    assert "L321302-2025-000001" == check_divorce_certificate(number)
    assert {
        "certificate_no": number,
        "marriage_certificate_no": marriage.certificate_no,
        "divorced_on": "2025-06-30",
    }.items() <= outcome.data.items()
    assert (date(2025, 6, 30), number) == (marriage.dissolved_on, marriage.divorce_certificate_no)
    assert (None, None) == (world.current_marriage(husband), world.current_marriage(wife))
    assert ["divorced", "divorced"] == [world.registry_marital_status(p) for p in (husband, wife)]
    # The hukou's marital status is public security's record, changed by its own command.
    assert ["married", "married"] == [world.people[p].marital_status for p in (husband, wife)]


def test_a_repeated_divorce_command_keeps_its_number_and_divorces_once(
    civil: CivilAffairsSimulator, world: World
) -> None:
    marriage = standing_marriages(world)[0]

    first = answer(civil, divorce(marriage), command_id="d-1:register:1")
    repeat = answer(civil, divorce(marriage), command_id="d-1:register:1")
    another = answer(civil, divorce(marriage), command_id="d-2:register:1")

    assert first == repeat
    assert 1 == civil.effects["d-1:register:1"]
    assert ("DivorceRegistrationRefused", "already_divorced", "该婚姻已解除，不能重复登记离婚") == (
        another.reply,
        another.reason_code,
        another.reason,
    )


def test_a_registered_divorce_is_published_once_naming_households_not_people(
    civil: CivilAffairsSimulator, world: World
) -> None:
    marriage = standing_marriages(world)[0]
    husband, wife = (world.people[p] for p in marriage.party_ids)
    request = divorce(marriage, (wife.resident_id, husband.resident_id))

    outcome = answer(civil, request, case_id="d-1", command_id="d-1:register:1")
    (emitted,) = published(civil, Topics.DEPT_EVENTS)
    repeat = answer(civil, request, case_id="d-1", command_id="d-1:register:1")
    refused = answer(civil, request, case_id="d-2")

    fact = emitted.message
    assert isinstance(fact, DivorceRegistered)
    assert ("DivorceRegistered", "d-1") == (outcome.reply, emitted.subject)
    assert DivorceRegistered.model_validate(outcome.data) == fact
    assert (
        "d-1",
        marriage.divorce_certificate_no,
        marriage.certificate_no,
        date(2025, 6, 30),
        "321302",
        world.now(),
    ) == (
        fact.case_id,
        fact.certificate_no,
        fact.marriage_certificate_no,
        fact.divorced_on,
        fact.office_division,
        fact.registered_at,
    )
    assert [wife.household_id, husband.household_id] == [h.household_id for h in fact.households]
    assert names_no_one(fact, husband, wife)
    assert (outcome, 1) == (repeat, civil.effects["d-1:register:1"])
    assert ("already_divorced", []) == (refused.reason_code, civil.drain())


def test_divorce_serials_continue_per_office_apart_from_marriage_serials(
    civil: CivilAffairsSimulator, world: World
) -> None:
    first, second = standing_marriages(world)[:2]
    marriages_before = [n for n in world.marriages if n.startswith("J321302-2025-")]

    numbers = [answer(civil, divorce(m)).data["certificate_no"] for m in (first, second)]
    elsewhere = answer(civil, divorce(standing_marriages(world)[0], office="110105"))
    married = answer(civil, register(*couple(world))).data["certificate_no"]

    assert ["L321302-2025-000001", "L321302-2025-000002"] == numbers
    assert "L110105-2025-000001" == elsewhere.data["certificate_no"]
    assert int(married[-6:]) == len(marriages_before) + 1


def _strangers(world: World) -> RegisterDivorce:
    mine, theirs = standing_marriages(world)[:2]
    return divorce(mine, (mine.party_ids[0], theirs.party_ids[1]))


def _wrong_number(world: World) -> RegisterDivorce:
    mine, theirs = standing_marriages(world)[:2]
    return divorce(theirs, mine.party_ids)


def _deceased_spouse(world: World) -> RegisterDivorce:
    marriage = standing_marriages(world)[0]
    wife = marriage.party_ids[1]
    world.death_certificates[wife] = DeathCertificate(wife, wife, date(2025, 6, 1), "hospital")
    return divorce(marriage)


def _divorced_long_ago(world: World) -> RegisterDivorce:
    marriage = next(
        m
        for m in world.marriages.values()
        if m.dissolved_on is not None
        and all(world.known_alive(world.people[p]) for p in m.party_ids)
    )
    return divorce(marriage)


def _same_person(world: World) -> RegisterDivorce:
    marriage = standing_marriages(world)[0]
    return divorce(marriage, (marriage.party_ids[0],) * 2)


def _stranger(world: World) -> RegisterDivorce:
    marriage = standing_marriages(world)[0]
    return divorce(marriage, (marriage.party_ids[0], STRANGER_ID))


def _unknown_marriage(world: World) -> RegisterDivorce:
    marriage = standing_marriages(world)[0]
    return divorce(marriage).model_copy(update={"marriage_certificate_no": "J110105-2025-999999"})


DIVORCE_BARS = [
    (_same_person, "same_person", "双方为同一人"),
    (_stranger, "person_not_found", "查无此人"),
    (_deceased_spouse, "person_deceased", "当事人已死亡"),
    (_unknown_marriage, "marriage_not_found", "查无此婚姻登记记录"),
    (_wrong_number, "id_mismatch", "结婚证号与双方当事人身份信息不符"),
    (_strangers, "not_spouses", "双方不是登记在册的夫妻"),
    (_divorced_long_ago, "already_divorced", "该婚姻已解除，不能重复登记离婚"),
]


@pytest.mark.parametrize(("request_for", "reason_code", "reason"), DIVORCE_BARS)
def test_divorce_registration_bars(
    civil: CivilAffairsSimulator,
    world: World,
    request_for: object,
    reason_code: str,
    reason: str,
) -> None:
    request = request_for(world)  # type: ignore[operator]
    standing_before = len(standing_marriages(world))

    outcome = answer(civil, request)

    assert ("DivorceRegistrationRefused", reason_code, reason) == (
        outcome.reply,
        outcome.reason_code,
        outcome.reason,
    )
    assert reason == REASONS[reason_code]
    assert standing_before == len(standing_marriages(world))  # nothing was dissolved


def verification(request: RegisterDivorce) -> VerifyMarriageRecord:
    """The marriage-record check of the parties and number a divorce registration quotes."""
    return VerifyMarriageRecord(
        party_ids=request.party_ids, marriage_certificate_no=request.marriage_certificate_no
    )


def test_the_spouses_of_a_standing_marriage_have_their_record_verified_and_nothing_changes(
    civil: CivilAffairsSimulator, world: World
) -> None:
    marriage = standing_marriages(world)[0]
    husband, wife = marriage.party_ids

    verified = answer(civil, verification(divorce(marriage)))
    either_order = answer(civil, verification(divorce(marriage, (wife, husband))))
    registered = answer(civil, divorce(marriage))

    assert (
        "MarriageRecordVerified",
        {
            "certificate_no": marriage.certificate_no,
            "registered_on": marriage.registered_on.isoformat(),
        },
    ) == (verified.reply, verified.data)
    assert verified == either_order
    # The query dissolved nothing and used no serial: the divorce after it is the office's first.
    assert "L321302-2025-000001" == registered.data["certificate_no"]


@pytest.mark.parametrize(("request_for", "reason_code", "reason"), DIVORCE_BARS)
def test_the_marriage_record_check_refuses_as_the_divorce_registration_does(
    civil: CivilAffairsSimulator,
    world: World,
    request_for: object,
    reason_code: str,
    reason: str,
) -> None:
    request = request_for(world)  # type: ignore[operator]
    standing_before = len(standing_marriages(world))

    checked = answer(civil, verification(request))
    registering = answer(civil, request)

    assert ("MarriageRecordVerificationRefused", reason_code, reason) == (
        checked.reply,
        checked.reason_code,
        checked.reason,
    )
    assert (checked.reason_code, checked.data) == (registering.reason_code, registering.data)
    assert standing_before == len(standing_marriages(world))


def test_a_divorce_number_is_refused_as_a_marriage_record_when_the_payload_is_read(
    civil: CivilAffairsSimulator, world: World
) -> None:
    marriage = standing_marriages(world)[0]
    parties = list(marriage.party_ids)

    with pytest.raises(ValidationError, match="must start with J or BJ, got 'L'"):
        VerifyMarriageRecord(party_ids=parties, marriage_certificate_no="L321302-2025-000001")
    sent = {"party_ids": parties, "marriage_certificate_no": "BL321302-2025-000001"}
    with pytest.raises(PermanentFault, match=r"marriage_certificate_no: .* got 'BL'"):
        answer(civil, sent, name="VerifyMarriageRecord")
    reissued = VerifyMarriageRecord(
        party_ids=parties, marriage_certificate_no="bj321302-2025-000001"
    )
    assert "BJ321302-2025-000001" == reissued.marriage_certificate_no  # a reissue is a marriage
    assert 0 == sum(civil.effects.values())


def test_one_divorce_application_file_per_case_and_voiding_it_is_safe_to_repeat(
    civil: CivilAffairsSimulator, world: World
) -> None:
    marriage = standing_marriages(world)[0]
    application = AcceptDivorceApplication(
        party_ids=list(marriage.party_ids),
        marriage_certificate_no=marriage.certificate_no,
        office_division="321302",
    )

    first = answer(civil, application, case_id="d-1")
    again = answer(civil, application, case_id="d-1")
    voided = answer(civil, VoidDivorceApplication(), case_id="d-1")
    nothing_left = answer(civil, VoidDivorceApplication(), case_id="d-1")
    reopened = answer(civil, application, case_id="d-1")

    assert first.data == again.data
    assert (True, False) == (voided.data["voided"], nothing_left.data["voided"])
    assert reopened.data["application_no"] != first.data["application_no"]
    assert marriage.dissolved_on is None  # accepting and voiding never touch the marriage


def test_a_divorce_is_uploaded_once_registered(civil: CivilAffairsSimulator, world: World) -> None:
    marriage = standing_marriages(world)[0]
    number = answer(civil, divorce(marriage)).data["certificate_no"]

    uploaded = answer(civil, UploadDivorceRecord(certificate_no=number))
    unknown = answer(civil, UploadDivorceRecord(certificate_no="L110105-2025-999999"))

    assert marriage.divorce_uploaded
    assert ("DivorceRecordUploaded", {"certificate_no": number}) == (uploaded.reply, uploaded.data)
    assert ("divorce_not_found", "查无此离婚证号") == (unknown.reason_code, unknown.reason)


# --- after death ---------------------------------------------------------------------------------


def cremated(world: World) -> Person:
    deceased = world.find(certified_dead=True, hukou_active=True, cremated=False)
    assert deceased.date_of_death is not None
    world.cremations[deceased.resident_id] = Cremation(
        deceased.resident_id, "HZ-TEST-1", deceased.date_of_death, deceased.division
    )
    return deceased


def waiver(deceased: Person, division: str | None = None) -> ApplyFuneralFeeWaiver:
    return ApplyFuneralFeeWaiver(
        deceased_id=deceased.resident_id,
        cremation_certificate_no="HZ-TEST-1",
        division_code=division or deceased.division,
    )


def test_the_funeral_fee_waiver_is_granted_once(civil: CivilAffairsSimulator, world: World) -> None:
    deceased = cremated(world)

    granted = answer(civil, waiver(deceased))
    again = answer(civil, waiver(deceased))

    assert {"amount_fen": FUNERAL_WAIVER_FEN} == granted.data
    assert "waiver_already_granted" == again.reason_code


def test_the_waiver_needs_a_cremation_and_a_local_hukou(
    civil: CivilAffairsSimulator, world: World
) -> None:
    deceased = cremated(world)
    not_cremated = world.find(certified_dead=True, hukou_active=True, cremated=False)
    elsewhere = "110105"

    assert "cremation_not_recorded" == answer(civil, waiver(not_cremated)).reason_code
    assert "not_local_hukou" == answer(civil, waiver(deceased, elsewhere)).reason_code


def test_a_reversed_waiver_is_recovered(civil: CivilAffairsSimulator, world: World) -> None:
    deceased = cremated(world)
    answer(civil, waiver(deceased))

    reversed_ = answer(
        civil, ReverseFuneralFeeWaiver(deceased_id=deceased.resident_id, reason="误报")
    )
    nothing = answer(
        civil, ReverseFuneralFeeWaiver(deceased_id=deceased.resident_id, reason="误报")
    )

    assert {"recovered_fen": FUNERAL_WAIVER_FEN} == reversed_.data
    assert "waiver_not_found" == nothing.reason_code


def stop(deceased: Person) -> StopWelfare:
    assert deceased.date_of_death is not None
    return StopWelfare(deceased_id=deceased.resident_id, date_of_death=deceased.date_of_death)


def test_welfare_stops_from_the_month_after_death(
    civil: CivilAffairsSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True, on_welfare=True)
    assert deceased.date_of_death is not None
    programmes = sorted(e.programme for e in world.active_welfare(deceased.resident_id))
    after = add_months(month_of(deceased.date_of_death), 1)

    outcome = answer(civil, stop(deceased))

    assert programmes == sorted(outcome.data["programmes"])
    assert f"{after:%Y-%m}" == outcome.data["stopped_from"]
    assert [] == world.active_welfare(deceased.resident_id)


def test_stopping_welfare_needs_a_certified_death(
    civil: CivilAffairsSimulator, world: World
) -> None:
    unreported = world.find(uncertified_dead=True)

    assert "death_not_certified" == answer(civil, stop(unreported)).reason_code


def test_a_death_in_a_dibao_household_is_announced_on_the_household_topic(
    civil: CivilAffairsSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True, on_dibao=True)

    outcome = answer(civil, stop(deceased))

    (emitted,) = civil.drain()
    assert outcome.data["household_on_dibao"] is True
    assert (Topics.HOUSEHOLD_EVENTS, deceased.household_id) == (emitted.topic, emitted.subject)
    assert isinstance(emitted.message, HouseholdChanged)
    assert "member_died" == emitted.message.change


def test_welfare_resumes_with_arrears_once_the_death_is_retracted(
    civil: CivilAffairsSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True, on_welfare=True)
    monthly = sum(e.monthly_fen for e in world.active_welfare(deceased.resident_id))
    stopped = answer(civil, stop(deceased))
    premature = answer(civil, ResumeWelfare(resident_id=deceased.resident_id, reason="误报"))
    world.death_certificates[deceased.resident_id].retracted = True

    resumed = answer(civil, ResumeWelfare(resident_id=deceased.resident_id, reason="误报"))

    first = date.fromisoformat(stopped.data["stopped_from"] + "-01")
    months = (2025 - first.year) * 12 + 6 - first.month + 1  # up to June 2025, both counted
    assert "death_still_certified" == premature.reason_code
    assert monthly * months == resumed.data["arrears_fen"]


def test_a_dibao_recalculation_drops_the_deceased_member(
    civil: CivilAffairsSimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True, on_dibao=True)
    grant = world.dibao[deceased.household_id]
    members_before = grant.members

    outcome = answer(civil, RecalculateHouseholdDibao(household_id=deceased.household_id))

    data = outcome.data
    assert members_before - 1 == data["members"]
    expected = max(0, data["standard_fen"] - data["per_capita_income_fen"]) * data["members"]
    assert expected == data["monthly_amount_fen"]
    assert (data["monthly_amount_fen"] > 0) is data["still_eligible"]


def test_recalculating_a_household_not_on_dibao_is_refused(
    civil: CivilAffairsSimulator, world: World
) -> None:
    head = world.find(household_head=True, on_dibao=False, alive=True)

    outcome = answer(civil, RecalculateHouseholdDibao(household_id=head.household_id))

    assert "not_on_dibao" == outcome.reason_code


# --- assistance ----------------------------------------------------------------------------------


def test_dibao_is_the_local_standard_less_income_times_members(
    civil: CivilAffairsSimulator, world: World
) -> None:
    head = world.find(household_head=True, on_dibao=False, alive=True, lives_alone=False)
    household = world.households[head.household_id]
    standard = (
        default_standards()
        .figures(household.division, world.reference_date)
        .dibao(household.urban)
        .fen
    )
    members = len(household.member_ids)

    outcome = answer(
        civil, EnrolDibao(household_id=household.household_id, per_capita_income_fen=20_000)
    )
    again = answer(
        civil, EnrolDibao(household_id=household.household_id, per_capita_income_fen=20_000)
    )

    assert (standard - 20_000) * members == outcome.data["monthly_amount_fen"]
    assert "2025-07" == outcome.data["from_month"]
    assert "already_enrolled" == again.reason_code


def test_dibao_is_refused_at_or_above_the_standard(
    civil: CivilAffairsSimulator, world: World
) -> None:
    head = world.find(household_head=True, on_dibao=False, alive=True)

    outcome = answer(
        civil, EnrolDibao(household_id=head.household_id, per_capita_income_fen=99_900)
    )

    assert "income_above_standard" == outcome.reason_code


def test_tekun_for_an_elder_alone_without_income(
    civil: CivilAffairsSimulator, world: World
) -> None:
    elder = world.find(alive=True, lives_alone=True, min_age=60, on_tekun=False, has_pension=False)

    outcome = answer(civil, EnrolTekun(members=[TekunMember(resident_id=elder.resident_id)]))

    household = world.households[elder.household_id]
    figures = default_standards().figures(household.division, world.reference_date)
    assert "TekunEnrolled" == outcome.reply
    assert figures.tekun(household.urban).fen == outcome.data["monthly_amount_fen"]


def test_tekun_adds_the_care_standard_where_the_division_has_tiers(
    civil: CivilAffairsSimulator, world: World
) -> None:
    elder = next(
        p
        for p in world.find_all(alive=True, lives_alone=True, min_age=60, on_tekun=False)
        if p.division.startswith("3213")
    )
    world.pensions.pop(elder.resident_id, None)  # no income of their own
    member = TekunMember(resident_id=elder.resident_id, self_care="unable")

    outcome = answer(civil, EnrolTekun(members=[member]))

    # Suqian: 1.3 x 700 = 910 yuan, and 30 % of the 2 070-yuan minimum wage for one who cannot
    # look after themselves: 621 yuan.
    assert 91_000 + 62_100 == outcome.data["monthly_amount_fen"]


def test_a_proposal_without_any_programme_is_refused_with_the_assessments_reasons(
    civil: CivilAffairsSimulator, world: World
) -> None:
    head = world.find(household_head=True, alive=True)
    nothing = [
        ProposedProgramme(programme="dibao", eligible=False, reasons=["家庭人均收入高于低保标准"]),
        ProposedProgramme(programme="temporary_aid", eligible=False, reasons=["未申请临时救助"]),
    ]
    granted = [ProposedProgramme(programme="dibao", eligible=True, monthly_fen=10_000)]

    refused = answer(
        civil,
        ProposeAssistance(household_id=head.household_id, office_division=head.division,
                          programmes=nothing),
    )  # fmt: skip
    proposed = answer(
        civil,
        ProposeAssistance(household_id=head.household_id, office_division=head.division,
                          programmes=granted),
    )  # fmt: skip

    assert "not_eligible" == refused.reason_code
    assert "最低生活保障：家庭人均收入高于低保标准；临时救助：未申请临时救助" == refused.reason
    assert ["dibao"] == proposed.data["granted"]


def test_a_county_approves_temporary_aid_above_the_townships_cap(
    civil: CivilAffairsSimulator, world: World
) -> None:
    head = world.find(household_head=True, alive=True)
    household = world.households[head.household_id]
    cap = default_standards().figures(household.division, world.reference_date).township_cap.fen

    def grant(approver: str) -> Any:
        return answer(
            civil,
            GrantTemporaryAssistance(
                household_id=head.household_id, amount_fen=cap + 1, approver=approver
            ),
        )

    assert "amount_above_limit" == grant("township").reason_code
    assert cap + 1 == grant("county").data["amount_fen"]


def test_aid_paid_first_is_capped_per_member(civil: CivilAffairsSimulator, world: World) -> None:
    head = world.find(household_head=True, alive=True, lives_alone=False)
    household = world.households[head.household_id]
    figures = default_standards().figures(household.division, world.reference_date)
    living = [m for m in household.member_ids if world.people[m].alive]
    cap = figures.emergency_cap_per_person.fen * len(living)

    def first(amount: int) -> Any:
        payload = GrantTemporaryAssistance(
            household_id=head.household_id, amount_fen=amount, emergency=True
        )
        return answer(civil, payload)

    assert cap == first(cap).data["amount_fen"]
    assert "amount_above_limit" == first(cap + 1).reason_code


@pytest.mark.parametrize(
    ("criteria", "reason_code"),
    [
        (
            {"alive": True, "max_age": 40, "min_age": 25, "has_disability_card": False},
            "able_to_work",
        ),
        ({"alive": True, "min_age": 62, "has_living_spouse": True}, "has_supporter"),
        ({"on_tekun": True, "alive": True}, "already_enrolled"),
    ],
)
def test_tekun_bars(
    civil: CivilAffairsSimulator, world: World, criteria: dict[str, object], reason_code: str
) -> None:
    person = world.find(on_dibao=False, **criteria)

    member = TekunMember(resident_id=person.resident_id)
    assert reason_code == answer(civil, EnrolTekun(members=[member])).reason_code


def _well_off(world: World, person: Person) -> bool:
    household = world.households[person.household_id]
    line = default_standards().figures(household.division, world.reference_date)
    members = [world.people[m] for m in household.member_ids if world.people[m].alive]
    income = sum(m.monthly_income_fen for m in members)
    return income >= line.low_income_line(household.urban).fen * len(members)


def test_the_living_subsidy_needs_dibao_or_low_income_and_a_card(
    civil: CivilAffairsSimulator, world: World
) -> None:
    carded = next(
        p
        for p in world.find_all(has_disability_card=True, on_dibao=False, alive=True)
        if _well_off(world, p)
    )
    member = world.find(on_dibao=True, alive=True, has_disability_card=False)
    world.disability_cards[member.resident_id] = DisabilityCard(
        member.resident_id, member.resident_id + "43", 3, "physical"
    )
    uncarded = world.find(on_dibao=True, alive=True, has_disability_card=False)

    enrolled = answer(civil, EnrolLivingSubsidy(resident_ids=[member.resident_id]))

    assert ("LivingSubsidyEnrolled", "2025-06") == (enrolled.reply, enrolled.data["from_month"])
    assert (
        "not_on_dibao"
        == answer(civil, EnrolLivingSubsidy(resident_ids=[carded.resident_id])).reason_code
    )
    assert "no_disability_card" == (
        answer(civil, EnrolLivingSubsidy(resident_ids=[uncarded.resident_id])).reason_code
    )


def test_the_nursing_subsidy_follows_the_grade(civil: CivilAffairsSimulator, world: World) -> None:
    severe = world.find(nursing_eligible=True, on_welfare=False)
    mild = world.find(has_disability_card=True, nursing_eligible=False, alive=True)

    enrolled = answer(civil, EnrolNursingSubsidy(resident_ids=[severe.resident_id]))
    refused = answer(civil, EnrolNursingSubsidy(resident_ids=[mild.resident_id]))

    assert ReplyOutcome.SUCCEEDED == enrolled.outcome
    assert ("disability_grade_ineligible", {"member": 0}) == (refused.reason_code, refused.data)


def test_several_members_are_enrolled_all_or_none(
    civil: CivilAffairsSimulator, world: World
) -> None:
    first, second = list(world.find_all(nursing_eligible=True, on_welfare=False))[:2]
    mild = world.find(has_disability_card=True, nursing_eligible=False, alive=True)

    refused = answer(civil, EnrolNursingSubsidy(resident_ids=[first.resident_id, mild.resident_id]))
    both = answer(civil, EnrolNursingSubsidy(resident_ids=[first.resident_id, second.resident_id]))

    assert ("disability_grade_ineligible", {"member": 1}) == (refused.reason_code, refused.data)
    assert 2 == both.data["members"]  # the first was not enrolled by the refused request


def test_the_elderly_allowance_starts_at_eighty(civil: CivilAffairsSimulator, world: World) -> None:
    old = world.find(alive=True, min_age=80, on_welfare=False)
    young = world.find(alive=True, max_age=79, min_age=60)

    assert (
        "ElderlyAllowanceEnrolled"
        == answer(civil, EnrolElderlyAllowance(resident_id=old.resident_id)).reply
    )
    assert (
        "under_age"
        == answer(civil, EnrolElderlyAllowance(resident_id=young.resident_id)).reason_code
    )


def test_temporary_assistance_above_the_township_limit_is_refused(
    civil: CivilAffairsSimulator, world: World
) -> None:
    household = world.households[world.find(household_head=True, alive=True).household_id]
    limit = (
        6 * default_standards().figures(household.division, world.reference_date).dibao_urban.fen
    )

    within = answer(
        civil, GrantTemporaryAssistance(household_id=household.household_id, amount_fen=limit)
    )
    above = answer(
        civil, GrantTemporaryAssistance(household_id=household.household_id, amount_fen=limit + 1)
    )

    assert "TemporaryAssistanceGranted" == within.reply
    assert "amount_above_limit" == above.reason_code


def test_a_month_is_disbursed_once_per_household(
    civil: CivilAffairsSimulator, world: World
) -> None:
    head = world.find(on_dibao=True, household_head=True, alive=True)
    grant = world.dibao[head.household_id]
    month = f"{grant.since_month:%Y-%m}"

    first = answer(civil, DisburseMonthly(household_id=head.household_id, month=month))
    second = answer(civil, DisburseMonthly(household_id=head.household_id, month=month))
    before = answer(civil, DisburseMonthly(household_id=head.household_id, month="1999-01"))

    assert first == second
    assert grant.monthly_fen == first.data["amount_fen"]
    assert "nothing_to_disburse" == before.reason_code


def test_a_months_payment_includes_the_members_tekun_and_subsidies_from_their_month(
    civil: CivilAffairsSimulator, world: World
) -> None:
    elder = world.find(alive=True, lives_alone=True, min_age=60, on_tekun=False, has_pension=False)
    enrolled = answer(civil, EnrolTekun(members=[TekunMember(resident_id=elder.resident_id)]))
    since = enrolled.data["from_month"]

    paid = answer(civil, DisburseMonthly(household_id=elder.household_id, month=since))
    earlier = answer(civil, DisburseMonthly(household_id=elder.household_id, month="2024-01"))

    assert enrolled.data["monthly_amount_fen"] == paid.data["amount_fen"]
    assert "nothing_to_disburse" == earlier.reason_code


def test_unknown_households_and_people_are_refused(civil: CivilAffairsSimulator) -> None:
    household = answer(civil, RecalculateHouseholdDibao(household_id="H9999999"))
    person = answer(civil, CheckMaritalStatus(resident_ids=[STRANGER_ID]))

    assert ("household_not_found", "person_not_found") == (
        household.reason_code,
        person.reason_code,
    )
