"""Civil affairs simulated: marriage registry, welfare rolls, funeral-fee waiver, case files.

Rules: a party with a standing marriage cannot marry (``already_married``); certificate numbers are
``J<office>-<YYYY>-<serial>`` with serials continuing the registry's own for that office and year;
a divorce by agreement needs both living spouses of a standing marriage under its certificate
number (``VerifyMarriageRecord`` asks the same before the application goes further), ends that
marriage on the day and numbers the divorce ``L<office>-<YYYY>-<serial>``;
the funeral-fee waiver needs a cremation record and a hukou in the same prefecture, once per
deceased; dibao is (local standard − per-capita income) × members, from the versioned table in
``contracts.standards`` (the data files the saga assesses with); tekun is exclusive with dibao and needs someone unable to work (aged
60+ or severely disabled) with no one able to support them; the living subsidy needs a dibao
household and a valid disability card, the nursing subsidy grade 1–2 (3–4 intellectual or mental);
temporary assistance above the township's cap (Dongchang: six months of the urban standard)
needs the county, not the township.
Benefits stop from the month after death and resume with arrears if the death is retracted.
Amounts the plans do not give (the waiver, subsidies, elderly allowance) are ASSUMPTION constants.
Window case files (applications, home visits, notices) are keyed by the case id, so their undo
commands need no payload and succeed even when there is nothing to undo. A registered marriage or
divorce is answered with its fact (``MarriageRegistered``, ``DivorceRegistered``), which also goes
in the outbox for the department-events topic, keyed by the case, as ``DeathConfirmed`` does; a
marriage touching a dibao household adds ``HouseholdChanged`` for the household topic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from contracts.departments import civil_affairs as contract
from contracts.departments.civil_affairs import (
    PROGRAMME_TITLES,
    AcceptAfterDeathApplication,
    AcceptAssistanceApplication,
    AcceptDivorceApplication,
    AcceptMarriageApplication,
    AfterDeathApplicationAccepted,
    AfterDeathApplicationCancelled,
    ApplyFuneralFeeWaiver,
    AssistanceApplicationAccepted,
    AssistanceApplicationWithdrawn,
    AssistanceProposed,
    AssistanceReferred,
    CancelAfterDeathApplication,
    CancelHomeVisit,
    CheckMaritalStatus,
    DibaoEnrolled,
    DisburseMonthly,
    DivorceApplicationAccepted,
    DivorceApplicationVoided,
    DivorceRecordUploaded,
    DivorceRegistered,
    ElderlyAllowanceEnrolled,
    EnrolDibao,
    EnrolElderlyAllowance,
    EnrolLivingSubsidy,
    EnrolNursingSubsidy,
    EnrolTekun,
    FuneralFeeWaived,
    FuneralFeeWaiverReversed,
    GrantTemporaryAssistance,
    HomeVisitCancelled,
    HomeVisitScheduled,
    HouseholdChange,
    HouseholdChanged,
    HouseholdDibaoRecalculated,
    LivingSubsidyEnrolled,
    MaritalStatusChecked,
    MarriageApplicationAccepted,
    MarriageApplicationVoided,
    MarriageRecordUploaded,
    MarriageRecordVerified,
    MarriageRegistered,
    MonthlyBenefitDisbursed,
    NursingSubsidyEnrolled,
    PartyHousehold,
    PersonalProgramme,
    ProposeAssistance,
    PublicNoticePublished,
    PublicNoticeWithdrawn,
    PublishPublicNotice,
    RecalculateHouseholdDibao,
    ReferAssistance,
    RegisterDivorce,
    RegisterMarriage,
    ResumeWelfare,
    ReverseFuneralFeeWaiver,
    ScheduleHomeVisit,
    StopWelfare,
    TekunEnrolled,
    TemporaryAssistanceGranted,
    UploadDivorceRecord,
    UploadMarriageRecord,
    VerifyMarriageRecord,
    VoidDivorceApplication,
    VoidMarriageApplication,
    WelfareResumed,
    WelfareStopped,
    WithdrawAssistanceApplication,
    WithdrawPublicNotice,
)
from contracts.identifiers import (
    MarriageCertificateKind,
    make_marriage_certificate,
    parse_marriage_certificate,
)
from contracts.saga import DepartmentCommand
from contracts.standards import LocalFigures, NoLocalStandard, default_standards
from contracts.topics import Topics
from departments.simulators.base import Clock, Handler, Refusal, Simulator, month_text
from departments.world import (
    DibaoGrant,
    Household,
    Marriage,
    Person,
    Programme,
    WelfareEnrolment,
    World,
    age_on,
    months_inclusive,
)

__all__ = ["CivilAffairsSimulator"]

# The personal programmes the household's monthly payment includes beside its dibao.
_PAID_MONTHLY = frozenset({"tekun", "living_subsidy", "nursing_subsidy"})


def _due(enrolment: WelfareEnrolment, month: date) -> bool:
    stopped = enrolment.stopped_from
    return enrolment.since_month <= month and (stopped is None or month < stopped)


FUNERAL_WAIVER_FEN = 120_000  # ASSUMPTION: basic services (transport, cremation, urn) 1200 yuan
ELDERLY_ALLOWANCE_FEN = 5_000  # ASSUMPTION: 50 yuan a month from 80 (Taicang's 尊老金 age)
_MARRIAGE_AGE = {"male": 22, "female": 20}


class CivilAffairsSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def __init__(self, world: World, clock: Clock | None = None) -> None:
        super().__init__(world, clock)
        self._case_files: dict[tuple[str, str], str] = {}
        self._waivers: dict[str, int] = {}
        self._stopped_for_death: dict[str, list[WelfareEnrolment]] = {}
        self._disbursed: dict[tuple[str, str], MonthlyBenefitDisbursed] = {}
        self._certificate_serials: dict[tuple[MarriageCertificateKind, str, int], int] = {}

    def routes(self) -> Mapping[str, Handler]:
        return {
            "AcceptMarriageApplication": self.accept_marriage,
            "VoidMarriageApplication": self.void_marriage,
            "AcceptAfterDeathApplication": self.accept_after_death,
            "CancelAfterDeathApplication": self.cancel_after_death,
            "AcceptAssistanceApplication": self.accept_assistance,
            "WithdrawAssistanceApplication": self.withdraw_assistance,
            "CheckMaritalStatus": self.check_marital_status,
            "RegisterMarriage": self.register_marriage,
            "UploadMarriageRecord": self.upload_marriage,
            "AcceptDivorceApplication": self.accept_divorce,
            "VoidDivorceApplication": self.void_divorce,
            "VerifyMarriageRecord": self.verify_marriage_record,
            "RegisterDivorce": self.register_divorce,
            "UploadDivorceRecord": self.upload_divorce,
            "ApplyFuneralFeeWaiver": self.apply_waiver,
            "ReverseFuneralFeeWaiver": self.reverse_waiver,
            "StopWelfare": self.stop_welfare,
            "ResumeWelfare": self.resume_welfare,
            "RecalculateHouseholdDibao": self.recalculate_dibao,
            "ScheduleHomeVisit": self.schedule_visit,
            "CancelHomeVisit": self.cancel_visit,
            "PublishPublicNotice": self.publish_notice,
            "WithdrawPublicNotice": self.withdraw_notice,
            "ProposeAssistance": self.propose,
            "EnrolDibao": self.enrol_dibao,
            "EnrolTekun": self.enrol_tekun,
            "EnrolLivingSubsidy": self.enrol_living_subsidy,
            "EnrolNursingSubsidy": self.enrol_nursing_subsidy,
            "EnrolElderlyAllowance": self.enrol_elderly_allowance,
            "GrantTemporaryAssistance": self.grant_temporary,
            "ReferAssistance": self.refer,
            "DisburseMonthly": self.disburse,
        }

    # --- case files ------------------------------------------------------------------------

    def _open(self, command: DepartmentCommand, kind: str, prefix: str) -> str:
        # One file of a kind per case: a second command of the case answers with the same file.
        key = (command.case_id, kind)
        if key not in self._case_files:
            self._case_files[key] = self.serial(prefix)
        return self._case_files[key]

    def _close(self, command: DepartmentCommand, kind: str) -> bool:
        return self._case_files.pop((command.case_id, kind), None) is not None

    def accept_marriage(
        self, _: AcceptMarriageApplication, c: DepartmentCommand
    ) -> MarriageApplicationAccepted:
        return MarriageApplicationAccepted(application_no=self._open(c, "marriage", "JH"))

    def void_marriage(
        self, _: VoidMarriageApplication, c: DepartmentCommand
    ) -> MarriageApplicationVoided:
        return MarriageApplicationVoided(voided=self._close(c, "marriage"))

    def accept_divorce(
        self, _: AcceptDivorceApplication, c: DepartmentCommand
    ) -> DivorceApplicationAccepted:
        return DivorceApplicationAccepted(application_no=self._open(c, "divorce", "LH"))

    def void_divorce(
        self, _: VoidDivorceApplication, c: DepartmentCommand
    ) -> DivorceApplicationVoided:
        return DivorceApplicationVoided(voided=self._close(c, "divorce"))

    def accept_after_death(
        self, _: AcceptAfterDeathApplication, c: DepartmentCommand
    ) -> AfterDeathApplicationAccepted:
        return AfterDeathApplicationAccepted(application_no=self._open(c, "after_death", "SH"))

    def cancel_after_death(
        self, _: CancelAfterDeathApplication, c: DepartmentCommand
    ) -> AfterDeathApplicationCancelled:
        return AfterDeathApplicationCancelled(cancelled=self._close(c, "after_death"))

    def accept_assistance(
        self, p: AcceptAssistanceApplication, c: DepartmentCommand
    ) -> AssistanceApplicationAccepted | Refusal:
        if p.household_id not in self.world.households:
            return Refusal("household_not_found")
        if not p.consent_signed:
            return Refusal("consent_missing")
        return AssistanceApplicationAccepted(application_no=self._open(c, "assistance", "JZ"))

    def withdraw_assistance(
        self, _: WithdrawAssistanceApplication, c: DepartmentCommand
    ) -> AssistanceApplicationWithdrawn:
        return AssistanceApplicationWithdrawn(withdrawn=self._close(c, "assistance"))

    def schedule_visit(self, _: ScheduleHomeVisit, c: DepartmentCommand) -> HomeVisitScheduled:
        return HomeVisitScheduled(visit_no=self._open(c, "visit", "RH"))

    def cancel_visit(self, _: CancelHomeVisit, c: DepartmentCommand) -> HomeVisitCancelled:
        return HomeVisitCancelled(cancelled=self._close(c, "visit"))

    def publish_notice(self, p: PublishPublicNotice, c: DepartmentCommand) -> PublicNoticePublished:
        return PublicNoticePublished(
            notice_no=self._open(c, "notice", "GS"), ends_on=self.today() + timedelta(days=p.days)
        )

    def withdraw_notice(
        self, _: WithdrawPublicNotice, c: DepartmentCommand
    ) -> PublicNoticeWithdrawn:
        return PublicNoticeWithdrawn(withdrawn=self._close(c, "notice"))

    def propose(self, p: ProposeAssistance, c: DepartmentCommand) -> AssistanceProposed | Refusal:
        if p.household_id not in self.world.households:
            return Refusal("household_not_found")
        granted = [item.programme for item in p.programmes if item.eligible]
        if not granted:
            # The assessment's own reasons, programme by programme, are the refusal's words.
            words = "；".join(
                f"{PROGRAMME_TITLES[item.programme]}：{'，'.join(item.reasons)}"
                for item in p.programmes
                if item.reasons
            )
            return Refusal("not_eligible", reason=words[:500] or None)
        return AssistanceProposed(proposal_no=self._open(c, "proposal", "NB"), granted=granted)

    def refer(self, _: ReferAssistance, __: DepartmentCommand) -> AssistanceReferred:
        return AssistanceReferred(referral_no=self.serial("ZJ"))

    # --- marriage registry -----------------------------------------------------------------

    def check_marital_status(
        self, p: CheckMaritalStatus, _: DepartmentCommand
    ) -> MaritalStatusChecked | Refusal:
        for index, rid in enumerate(p.resident_ids):
            if rid not in self.world.people:
                return Refusal("person_not_found", {"party": index})
            if self.world.current_marriage(rid) is not None:
                return Refusal("already_married", {"party": index})
        return MaritalStatusChecked(checked=len(p.resident_ids))

    def register_marriage(
        self, p: RegisterMarriage, c: DepartmentCommand
    ) -> MarriageRegistered | Refusal:
        if p.party_ids[0] == p.party_ids[1]:
            return Refusal("same_person")
        parties: list[Person] = []
        for index, rid in enumerate(p.party_ids):
            person = self.world.people.get(rid)
            if person is None:
                return Refusal("person_not_found", {"party": index})
            if not self.world.known_alive(person):
                return Refusal("person_deceased", {"party": index})
            if age_on(person.birth_date, self.today()) < _MARRIAGE_AGE[person.sex]:
                return Refusal("under_marriage_age", {"party": index})
            if self.world.current_marriage(rid) is not None:
                return Refusal("already_married", {"party": index})
            parties.append(person)
        if parties[0].sex == parties[1].sex:
            return Refusal("not_opposite_sex")
        today = self.today()
        number = self._next_certificate(MarriageCertificateKind.MARRIAGE, p.office_division)
        husband, wife = sorted(parties, key=lambda person: person.sex != "male")
        marriage = Marriage(
            number, (husband.resident_id, wife.resident_id), today, p.office_division, False
        )
        self.world.add_marriage(marriage)
        event = MarriageRegistered(
            case_id=c.case_id,
            certificate_no=number,
            registered_on=today,
            office_division=p.office_division,
            households=self._households(parties),
            registered_at=self.clock(),
        )
        self.emit(Topics.DEPT_EVENTS, c.case_id, event)
        for person in parties:
            self._household_changed(person.household_id, "member_married", self.this_month())
        return event

    def _households(self, parties: list[Person]) -> list[PartyHousehold]:
        """Each party's hukou household as it stands, in party order (a fact names no one)."""
        return [
            PartyHousehold(
                household_id=person.household_id,
                division_code=self.world.households[person.household_id].division,
            )
            for person in parties
        ]

    def _next_certificate(self, kind: MarriageCertificateKind, office: str) -> str:
        year = self.today().year
        key = (kind, office, year)
        if key not in self._certificate_serials:
            # Continue the registry's own numbering for the kind, office and year.
            existing = [parse_marriage_certificate(n) for n in self._issued(kind)]
            self._certificate_serials[key] = max(
                (c.serial for c in existing if (c.kind, c.office_division, c.year) == key),
                default=0,
            )
        self._certificate_serials[key] += 1
        return make_marriage_certificate(kind, office, year, self._certificate_serials[key])

    def _issued(self, kind: MarriageCertificateKind) -> list[str]:
        if kind is MarriageCertificateKind.MARRIAGE:
            return list(self.world.marriages)
        return [n for m in self.world.marriages.values() if (n := m.divorce_certificate_no)]

    def upload_marriage(
        self, p: UploadMarriageRecord, _: DepartmentCommand
    ) -> MarriageRecordUploaded | Refusal:
        marriage = self.world.marriages.get(p.certificate_no)
        if marriage is None:
            return Refusal("certificate_not_found")
        marriage.uploaded = True
        return MarriageRecordUploaded(certificate_no=marriage.certificate_no)

    def _divorcible(self, party_ids: list[str], certificate_no: str) -> Marriage | Refusal:
        """The standing marriage of the two living parties under ``certificate_no``, or why
        they cannot divorce under it: checked by the query before, and by the pivot itself."""
        if party_ids[0] == party_ids[1]:
            return Refusal("same_person")
        for index, rid in enumerate(party_ids):
            person = self.world.people.get(rid)
            if person is None:
                return Refusal("person_not_found", {"party": index})
            if not self.world.known_alive(person):
                return Refusal("person_deceased", {"party": index})
        marriage = self.world.marriages.get(certificate_no)
        if marriage is None:
            return Refusal("marriage_not_found")
        if set(marriage.party_ids) != set(party_ids):
            # A couple quoting another marriage's number is told so, apart from two strangers.
            standing = self.world.current_marriage(party_ids[0])
            married = standing is not None and set(standing.party_ids) == set(party_ids)
            return Refusal("id_mismatch" if married else "not_spouses")
        if marriage.dissolved_on is not None:
            return Refusal("already_divorced")
        return marriage

    def verify_marriage_record(
        self, p: VerifyMarriageRecord, _: DepartmentCommand
    ) -> MarriageRecordVerified | Refusal:
        marriage = self._divorcible(p.party_ids, p.marriage_certificate_no)
        if isinstance(marriage, Refusal):
            return marriage
        return MarriageRecordVerified(
            certificate_no=marriage.certificate_no, registered_on=marriage.registered_on
        )

    def register_divorce(
        self, p: RegisterDivorce, c: DepartmentCommand
    ) -> DivorceRegistered | Refusal:
        marriage = self._divorcible(p.party_ids, p.marriage_certificate_no)
        if isinstance(marriage, Refusal):
            return marriage
        today = self.today()
        number = self._next_certificate(MarriageCertificateKind.DIVORCE, p.office_division)
        self.world.dissolve_marriage(marriage, today, number)
        event = DivorceRegistered(
            case_id=c.case_id,
            certificate_no=number,
            marriage_certificate_no=marriage.certificate_no,
            divorced_on=today,
            office_division=p.office_division,
            households=self._households([self.world.people[rid] for rid in p.party_ids]),
            registered_at=self.clock(),
        )
        self.emit(Topics.DEPT_EVENTS, c.case_id, event)
        return event

    def upload_divorce(
        self, p: UploadDivorceRecord, _: DepartmentCommand
    ) -> DivorceRecordUploaded | Refusal:
        marriage = self.world.dissolved_by(p.certificate_no)
        if marriage is None:
            return Refusal("divorce_not_found")
        marriage.divorce_uploaded = True
        return DivorceRecordUploaded(certificate_no=p.certificate_no)

    def _household_changed(self, household_id: str, change: HouseholdChange, month: date) -> None:
        grant = self.world.dibao.get(household_id)
        if grant is None or grant.stopped_from is not None:
            return
        household = self.world.households[household_id]
        event = HouseholdChanged(
            household_id=household_id,
            division_code=household.division,
            change=change,
            effective_month=month_text(month),
            changed_at=self.clock(),
        )
        self.emit(Topics.HOUSEHOLD_EVENTS, household_id, event)

    # --- after death -----------------------------------------------------------------------

    def apply_waiver(
        self, p: ApplyFuneralFeeWaiver, _: DepartmentCommand
    ) -> FuneralFeeWaived | Refusal:
        deceased = self.world.people.get(p.deceased_id)
        if deceased is None:
            return Refusal("person_not_found")
        cremation = self.world.cremations.get(p.deceased_id)
        if cremation is None or cremation.certificate_no != p.cremation_certificate_no:
            return Refusal("cremation_not_recorded")
        # The waiver is for local hukou: the same prefecture as the paying office.
        if deceased.division[:4] != p.division_code[:4]:
            return Refusal("not_local_hukou")
        if p.deceased_id in self._waivers:
            return Refusal("waiver_already_granted")
        self._waivers[p.deceased_id] = FUNERAL_WAIVER_FEN
        return FuneralFeeWaived(amount_fen=FUNERAL_WAIVER_FEN)

    def reverse_waiver(
        self, p: ReverseFuneralFeeWaiver, _: DepartmentCommand
    ) -> FuneralFeeWaiverReversed | Refusal:
        amount = self._waivers.pop(p.deceased_id, None)
        if amount is None:
            return Refusal("waiver_not_found")
        return FuneralFeeWaiverReversed(recovered_fen=amount)

    def stop_welfare(self, p: StopWelfare, _: DepartmentCommand) -> WelfareStopped | Refusal:
        deceased = self.world.people.get(p.deceased_id)
        if deceased is None:
            return Refusal("person_not_found")
        if not self.world.death_certified(p.deceased_id):
            return Refusal("death_not_certified")
        stop_from = self.month_after(p.date_of_death)
        stopped = self.world.active_welfare(p.deceased_id)
        for enrolment in stopped:
            enrolment.stopped_from = stop_from
        self._stopped_for_death.setdefault(p.deceased_id, []).extend(stopped)
        on_dibao = self._on_dibao(deceased.household_id)
        self._household_changed(deceased.household_id, "member_died", stop_from)
        programmes: list[PersonalProgramme] = [e.programme for e in stopped]
        return WelfareStopped(
            programmes=programmes, stopped_from=month_text(stop_from), household_on_dibao=on_dibao
        )

    def resume_welfare(self, p: ResumeWelfare, _: DepartmentCommand) -> WelfareResumed | Refusal:
        if self.world.death_certified(p.resident_id):
            return Refusal("death_still_certified")
        stopped = self._stopped_for_death.pop(p.resident_id, [])
        if not stopped:
            return Refusal("nothing_to_resume")
        arrears = 0
        for enrolment in stopped:
            assert enrolment.stopped_from is not None  # stopped by StopWelfare
            arrears += enrolment.monthly_fen * months_inclusive(
                enrolment.stopped_from, self.this_month()
            )
            enrolment.stopped_from = None
        programmes: list[PersonalProgramme] = [e.programme for e in stopped]
        return WelfareResumed(programmes=programmes, arrears_fen=arrears)

    # --- dibao -----------------------------------------------------------------------------

    def _on_dibao(self, household_id: str) -> bool:
        grant = self.world.dibao.get(household_id)
        return grant is not None and grant.stopped_from is None

    def _standard(self, household: Household) -> LocalFigures | None:
        return self._standard_in(household.division)

    def _standard_in(self, division: str) -> LocalFigures | None:
        try:
            return default_standards().figures(division, self.today())
        except NoLocalStandard:
            return None

    def _members(self, household: Household) -> list[Person]:
        return [
            self.world.people[m]
            for m in household.member_ids
            if self.world.known_alive(self.world.people[m])
        ]

    def _income(self, person: Person) -> int:
        pension = self.world.pensions.get(person.resident_id)
        paid = pension is not None and pension.stopped_from is None
        return person.monthly_income_fen + (pension.monthly_fen if pension and paid else 0)

    def recalculate_dibao(
        self, p: RecalculateHouseholdDibao, _: DepartmentCommand
    ) -> HouseholdDibaoRecalculated | Refusal:
        household = self.world.households.get(p.household_id)
        if household is None:
            return Refusal("household_not_found")
        grant = self.world.dibao.get(p.household_id)
        if grant is None or grant.stopped_from is not None:
            return Refusal("not_on_dibao")
        standard = self._standard(household)
        if standard is None:
            return Refusal("no_local_standard")
        members = self._members(household)
        per_capita = sum(self._income(m) for m in members) // len(members) if members else 0
        standard_fen = standard.dibao(household.urban).fen
        amount = max(0, standard_fen - per_capita) * len(members)
        from_month = self.month_after(self.today())
        grant.members, grant.per_capita_income_fen = len(members), per_capita
        grant.standard_fen, grant.monthly_fen = standard_fen, amount
        if amount == 0:
            grant.stopped_from = from_month
        return HouseholdDibaoRecalculated(
            members=len(members),
            per_capita_income_fen=per_capita,
            standard_fen=standard_fen,
            monthly_amount_fen=amount,
            still_eligible=amount > 0,
            from_month=month_text(from_month),
        )

    def enrol_dibao(self, p: EnrolDibao, _: DepartmentCommand) -> DibaoEnrolled | Refusal:
        household = self.world.households.get(p.household_id)
        if household is None:
            return Refusal("household_not_found")
        if self._on_dibao(p.household_id):
            return Refusal("already_enrolled")
        standard = self._standard(household)
        if standard is None:
            return Refusal("no_local_standard")
        standard_fen = standard.dibao(household.urban).fen
        if p.per_capita_income_fen >= standard_fen:
            return Refusal("income_above_standard")
        members = len(self._members(household))
        amount = (standard_fen - p.per_capita_income_fen) * members
        # Paid from the month after approval.
        since = self.month_after(self.today())
        self.world.dibao[p.household_id] = DibaoGrant(
            p.household_id, standard_fen, p.per_capita_income_fen, members, amount, since
        )
        return DibaoEnrolled(
            members=members,
            standard_fen=standard_fen,
            per_capita_income_fen=p.per_capita_income_fen,
            monthly_amount_fen=amount,
            from_month=month_text(since),
        )

    def disburse(
        self, p: DisburseMonthly, _: DepartmentCommand
    ) -> MonthlyBenefitDisbursed | Refusal:
        key = (p.household_id, p.month)
        if key in self._disbursed:
            return self._disbursed[key]  # once per household and month, whoever asks again
        household = self.world.households.get(p.household_id)
        if household is None:
            return Refusal("household_not_found")
        month = date.fromisoformat(f"{p.month}-01")
        amount = self._dibao_due(p.household_id, month) + sum(
            enrolment.monthly_fen
            for rid in household.member_ids
            for enrolment in self.world.welfare.get(rid, {}).values()
            if enrolment.programme in _PAID_MONTHLY and _due(enrolment, month)
        )
        if amount == 0:
            return Refusal("nothing_to_disburse")
        paid = MonthlyBenefitDisbursed(
            month=p.month, amount_fen=amount, payment_no=self.serial("FF")
        )
        self._disbursed[key] = paid
        return paid

    def _dibao_due(self, household_id: str, month: date) -> int:
        grant = self.world.dibao.get(household_id)
        due = (
            grant is not None
            and grant.since_month <= month
            and (grant.stopped_from is None or month < grant.stopped_from)
        )
        return grant.monthly_fen if grant is not None and due else 0

    # --- personal programmes ---------------------------------------------------------------

    def _enrolment_bar(self, resident_id: str, programme: Programme) -> Person | Refusal:
        person = self.world.people.get(resident_id)
        if person is None:
            return Refusal("person_not_found")
        if not self.world.known_alive(person):
            return Refusal("person_deceased")
        if any(e.programme == programme for e in self.world.active_welfare(resident_id)):
            return Refusal("already_enrolled")
        return person

    def _enrol(self, person: Person, programme: Programme, monthly_fen: int, since: date) -> None:
        self.world.enrol(WelfareEnrolment(person.resident_id, programme, monthly_fen, since))

    def _enrolment_bars(
        self, resident_ids: list[str], programme: Programme
    ) -> list[Person] | Refusal:
        # All of them or none: a refusal for one member enrols nobody, so a retry is clean.
        people: list[Person] = []
        for index, rid in enumerate(resident_ids):
            person = self._enrolment_bar(rid, programme)
            if isinstance(person, Refusal):
                return Refusal(person.code, {"member": index})
            people.append(person)
        return people

    def enrol_tekun(self, p: EnrolTekun, _: DepartmentCommand) -> TekunEnrolled | Refusal:
        people = self._enrolment_bars([m.resident_id for m in p.members], "tekun")
        if isinstance(people, Refusal):
            return people
        household = self.world.households[people[0].household_id]
        if self._on_dibao(household.household_id):
            return Refusal("household_on_dibao")
        for index, person in enumerate(people):
            if not self._unable_to_work(person):
                return Refusal("able_to_work", {"member": index})
            if self._has_supporter(person):
                return Refusal("has_supporter", {"member": index})
        standard = self._standard(household)
        if standard is None:
            return Refusal("no_local_standard")
        living = standard.tekun(household.urban, p.centralised).fen
        if any(self._income(person) >= living for person in people):
            return Refusal("income_above_standard")
        since = self.month_after(self.today())
        total = 0
        for person, member in zip(people, p.members, strict=True):
            monthly = living + self._care(standard, member.self_care)
            self._enrol(person, "tekun", monthly, since)
            total += monthly
        return TekunEnrolled(
            members=len(people), monthly_amount_fen=total, from_month=month_text(since)
        )

    @staticmethod
    def _care(standard: LocalFigures, self_care: str) -> int:
        """The care standard by self-care ability, where the division publishes one."""
        tiers = standard.care_tiers
        if tiers is None:
            return 0
        return {"unable": tiers.unable, "partly": tiers.partly, "able": tiers.able}[self_care].fen

    def _unable_to_work(self, person: Person) -> bool:
        card = self.world.disability_cards.get(person.resident_id)
        severe = card is not None and card.active and card.grade <= 2
        return severe or age_on(person.birth_date, self.today()) >= 60

    def _has_supporter(self, person: Person) -> bool:
        # Spouse, or a child of working age, still alive: the statutory supporters (法定义务人).
        candidates = [person.spouse_id, *self.world.children(person.resident_id)]
        for rid in candidates:
            other = self.world.people.get(rid) if rid else None
            if other is not None and self.world.known_alive(other):
                age = age_on(other.birth_date, self.today())
                if rid == person.spouse_id or 18 <= age < 60:
                    return True
        return False

    def _low_income(self, household_id: str) -> bool:
        """Whether the household's per-capita income is below its low-income line (低保边缘)."""
        household = self.world.households.get(household_id)
        standard = self._standard(household) if household else None
        if household is None or standard is None:
            return False
        members = self._members(household)
        income = sum(self._income(m) for m in members)
        return bool(members) and income < standard.low_income_line(household.urban).fen * len(
            members
        )

    def enrol_living_subsidy(
        self, p: EnrolLivingSubsidy, _: DepartmentCommand
    ) -> LivingSubsidyEnrolled | Refusal:
        people = self._enrolment_bars(list(p.resident_ids), "living_subsidy")
        if isinstance(people, Refusal):
            return people
        amounts: list[int] = []
        for index, person in enumerate(people):
            card = self.world.disability_cards.get(person.resident_id)
            if card is None or not card.active:
                return Refusal("no_disability_card", {"member": index})
            poor = self._on_dibao(person.household_id) or self._low_income(person.household_id)
            if not poor:
                return Refusal("not_on_dibao", {"member": index})
            standard = self._standard_in(person.division)
            if standard is None:
                return Refusal("no_local_standard")
            amounts.append(standard.living_subsidy.fen)
        # The two subsidies are paid from the month of application.
        for person, monthly in zip(people, amounts, strict=True):
            self._enrol(person, "living_subsidy", monthly, self.this_month())
        return LivingSubsidyEnrolled(
            members=len(people),
            monthly_amount_fen=sum(amounts),
            from_month=month_text(self.this_month()),
        )

    def enrol_nursing_subsidy(
        self, p: EnrolNursingSubsidy, _: DepartmentCommand
    ) -> NursingSubsidyEnrolled | Refusal:
        people = self._enrolment_bars(list(p.resident_ids), "nursing_subsidy")
        if isinstance(people, Refusal):
            return people
        amounts: list[int] = []
        for index, person in enumerate(people):
            card = self.world.disability_cards.get(person.resident_id)
            if card is None or not card.active:
                return Refusal("no_disability_card", {"member": index})
            if card.grade > 2 and card.category not in ("intellectual", "mental"):
                return Refusal("disability_grade_ineligible", {"member": index})
            standard = self._standard_in(person.division)
            if standard is None or card.grade not in standard.nursing_subsidy:
                return Refusal("no_local_standard")
            amounts.append(standard.nursing_subsidy[card.grade].fen)
        for person, monthly in zip(people, amounts, strict=True):
            self._enrol(person, "nursing_subsidy", monthly, self.this_month())
        return NursingSubsidyEnrolled(
            members=len(people),
            monthly_amount_fen=sum(amounts),
            from_month=month_text(self.this_month()),
        )

    def enrol_elderly_allowance(
        self, p: EnrolElderlyAllowance, _: DepartmentCommand
    ) -> ElderlyAllowanceEnrolled | Refusal:
        person = self._enrolment_bar(p.resident_id, "elderly_allowance")
        if isinstance(person, Refusal):
            return person
        if age_on(person.birth_date, self.today()) < 80:
            return Refusal("under_age")
        since = self.month_after(self.today())
        self._enrol(person, "elderly_allowance", ELDERLY_ALLOWANCE_FEN, since)
        return ElderlyAllowanceEnrolled(
            monthly_amount_fen=ELDERLY_ALLOWANCE_FEN, from_month=month_text(since)
        )

    def grant_temporary(
        self, p: GrantTemporaryAssistance, _: DepartmentCommand
    ) -> TemporaryAssistanceGranted | Refusal:
        household = self.world.households.get(p.household_id)
        if household is None:
            return Refusal("household_not_found")
        standard = self._standard(household)
        if standard is None:
            return Refusal("no_local_standard")
        # Paid first (先行救助): the emergency cap a member; otherwise the township's own cap,
        # above which the county approves.
        cap: int | None = None
        if p.emergency:
            cap = standard.emergency_cap_per_person.fen * len(self._members(household))
        elif p.approver == "township":
            cap = standard.township_cap.fen
        if cap is not None and p.amount_fen > cap:
            return Refusal("amount_above_limit")
        return TemporaryAssistanceGranted(grant_no=self.serial("LS"), amount_fen=p.amount_fen)
