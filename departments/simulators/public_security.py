"""Public security's population and hukou registry, simulated over the shared world.

The registry knows a person is dead once their hukou is cancelled or a valid death certificate
exists; a death nobody reported leaves the person "alive" here, as in life. An identity check for
marriage refuses one person named twice (``same_person``) before looking anyone up, and two
people of the same sex on the registry (``not_opposite_sex``) once each has passed on their own. Cancelling a hukou
voids the ID card, records a married spouse as widowed and, if the deceased headed the household,
names the spouse (else the eldest member) head; it remembers what it changed, so a restoration
after a retracted death puts back exactly that. The voided card stays void when the hukou is
restored (it was surrendered): ``ReissueIdCard`` issues a new one, once. The local rule for spouse transfers is a set of
divisions not accepting them at present (a synthetic rule: by default Taicang, 320585). For the
economic check (H2) it counts the members on a live hukou, says whether they share one hukou
household, and counts the motor vehicles registered to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contracts.departments import public_security as contract
from contracts.departments.public_security import (
    CancelHukou,
    ChangeHouseholdHead,
    CheckHouseholdRegistration,
    HouseholdHeadChanged,
    HouseholdRegistrationChecked,
    HukouCancelled,
    HukouMaritalStatusUpdated,
    HukouMoved,
    HukouRestored,
    IdCardReissued,
    IdentityVerified,
    KinshipVerified,
    MoveHukouToSpouse,
    ReissueIdCard,
    RestoreHukou,
    UpdateHukouMaritalStatus,
    VerifyIdentity,
    VerifyKinship,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Clock, Handler, Refusal, Simulator
from departments.world import Household, Person, World, age_on

__all__ = ["DEFAULT_CLOSED_DIVISIONS", "PublicSecuritySimulator"]

DEFAULT_CLOSED_DIVISIONS = frozenset({"320585"})
_MARRIAGE_AGE = {"male": 22, "female": 20}


@dataclass(frozen=True)
class _Cancellation:
    """What cancelling one hukou changed besides the hukou, so a restoration can undo it."""

    widowed_spouse: str | None
    replaced_head: bool
    new_head: str | None


class PublicSecuritySimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def __init__(
        self,
        world: World,
        clock: Clock | None = None,
        closed_divisions: frozenset[str] = DEFAULT_CLOSED_DIVISIONS,
    ) -> None:
        super().__init__(world, clock)
        self.closed_divisions = closed_divisions
        self._cancellations: dict[str, _Cancellation] = {}

    def routes(self) -> Mapping[str, Handler]:
        return {
            "VerifyIdentity": self.verify_identity,
            "UpdateHukouMaritalStatus": self.update_marital_status,
            "MoveHukouToSpouse": self.move_to_spouse,
            "CancelHukou": self.cancel_hukou,
            "RestoreHukou": self.restore_hukou,
            "ReissueIdCard": self.reissue_id_card,
            "ChangeHouseholdHead": self.change_head,
            "VerifyKinship": self.verify_kinship,
            "CheckHouseholdRegistration": self.check_registration,
        }

    def verify_identity(
        self, p: VerifyIdentity, _: DepartmentCommand
    ) -> IdentityVerified | Refusal:
        marriage = p.purpose == "marriage"
        couple = marriage and len(p.parties) == 2
        if couple and len({claim.resident_id.upper() for claim in p.parties}) == 1:
            return Refusal("same_person")
        people: list[Person] = []
        for index, claim in enumerate(p.parties):
            person = self.world.people.get(claim.resident_id)
            if person is None:
                return Refusal("person_not_found", {"party": index})
            if person.name != claim.name:
                return Refusal("name_mismatch", {"party": index})
            if not self.world.known_alive(person):
                return Refusal("person_deceased", {"party": index})
            too_young = age_on(person.birth_date, self.today()) < _MARRIAGE_AGE[person.sex]
            if marriage and too_young:
                return Refusal("under_marriage_age", {"party": index})
            people.append(person)
        if couple and people[0].sex == people[1].sex:
            return Refusal("not_opposite_sex")
        return IdentityVerified(verified=len(p.parties))

    def update_marital_status(
        self, p: UpdateHukouMaritalStatus, _: DepartmentCommand
    ) -> HukouMaritalStatusUpdated | Refusal:
        people = [self.world.people.get(rid) for rid in p.resident_ids]
        for index, person in enumerate(people):
            if person is None:
                return Refusal("person_not_found", {"party": index})
            if not person.hukou_active:
                return Refusal("hukou_cancelled", {"party": index})
        for person in people:
            assert person is not None  # checked above
            person.marital_status = p.marital_status
            others = [rid for rid in p.resident_ids if rid != person.resident_id]
            person.spouse_id = others[0] if others and p.marital_status == "married" else None
        return HukouMaritalStatusUpdated(updated=len(people))

    def move_to_spouse(self, p: MoveHukouToSpouse, _: DepartmentCommand) -> HukouMoved | Refusal:
        mover, spouse = self.world.people.get(p.resident_id), self.world.people.get(p.spouse_id)
        if mover is None or spouse is None:
            return Refusal("person_not_found")
        if not (mover.hukou_active and spouse.hukou_active):
            return Refusal("hukou_cancelled")
        marriage = self.world.current_marriage(mover.resident_id)
        if marriage is None or spouse.resident_id not in marriage.party_ids:
            return Refusal("not_spouses")
        if mover.household_id == spouse.household_id:
            return Refusal("already_in_household")
        target = self.world.households[spouse.household_id]
        if target.division in self.closed_divisions:
            return Refusal("target_division_not_accepting")
        self._leave(mover)
        target.member_ids.append(mover.resident_id)
        mover.household_id, mover.division = target.household_id, target.division
        return HukouMoved(division_code=target.division, household_id=target.household_id)

    def _leave(self, person: Person) -> None:
        household = self.world.households[person.household_id]
        household.member_ids.remove(person.resident_id)
        if not household.member_ids:
            del self.world.households[household.household_id]
        elif household.head_id == person.resident_id:
            household.head_id = self._eldest(household) or household.member_ids[0]

    def _eldest(self, household: Household, besides: str | None = None) -> str | None:
        candidates = [
            self.world.people[m]
            for m in household.member_ids
            if m != besides and self.world.people[m].hukou_active
        ]
        return min(candidates, key=lambda c: c.birth_date).resident_id if candidates else None

    def cancel_hukou(self, p: CancelHukou, _: DepartmentCommand) -> HukouCancelled | Refusal:
        person = self.world.people.get(p.resident_id)
        if person is None:
            return Refusal("person_not_found")
        if not person.hukou_active:
            return Refusal("already_cancelled")
        if not self.world.death_certified(person.resident_id):
            return Refusal("death_not_certified")
        person.hukou_active = person.id_card_valid = False
        widowed = self._widow(person)
        household = self.world.households[person.household_id]
        new_head = None
        if household.head_id == person.resident_id:
            in_household = widowed in household.member_ids if widowed else False
            new_head = widowed if in_household else self._eldest(household, person.resident_id)
            if new_head is not None:
                household.head_id = new_head
        self._cancellations[person.resident_id] = _Cancellation(
            widowed, new_head is not None, new_head
        )
        return HukouCancelled(
            cancelled_on=self.today(),
            id_card_voided=True,
            spouse_widowed=widowed is not None,
            household_head_changed=new_head is not None,
        )

    def _widow(self, person: Person) -> str | None:
        spouse = self.world.people.get(person.spouse_id) if person.spouse_id else None
        if spouse is None or spouse.marital_status != "married" or not spouse.hukou_active:
            return None
        spouse.marital_status = "widowed"
        return spouse.resident_id

    def restore_hukou(self, p: RestoreHukou, _: DepartmentCommand) -> HukouRestored | Refusal:
        person = self.world.people.get(p.resident_id)
        if person is None:
            return Refusal("person_not_found")
        if person.hukou_active:
            return Refusal("hukou_not_cancelled")
        if self.world.death_certified(person.resident_id):
            return Refusal("death_still_certified")
        person.hukou_active = True  # the card stays void: it was surrendered, a new one is due
        done = self._cancellations.pop(person.resident_id, _Cancellation(None, False, None))
        spouse = self.world.people.get(done.widowed_spouse) if done.widowed_spouse else None
        spouse_restored = spouse is not None and spouse.marital_status == "widowed"
        if spouse is not None and spouse_restored:
            spouse.marital_status = "married"
        household = self.world.households.get(person.household_id)
        head_restored = bool(
            household and done.replaced_head and household.head_id == done.new_head
        )
        if household is not None and head_restored:
            household.head_id = person.resident_id
        return HukouRestored(
            restored_on=self.today(),
            spouse_restored=spouse_restored,
            household_head_restored=head_restored,
            # The voided card was surrendered; the restored hukou entitles to a new one.
            id_card_reissue_required=True,
        )

    def reissue_id_card(self, p: ReissueIdCard, _: DepartmentCommand) -> IdCardReissued | Refusal:
        person = self.world.people.get(p.resident_id)
        if person is None:
            return Refusal("person_not_found")
        if not person.hukou_active:
            return Refusal("hukou_cancelled")
        if person.id_card_valid:
            return Refusal("id_card_still_valid")
        person.id_card_valid = True
        return IdCardReissued(application_no=self.serial("SFZ"), issued_on=self.today())

    def change_head(
        self, p: ChangeHouseholdHead, _: DepartmentCommand
    ) -> HouseholdHeadChanged | Refusal:
        household = self.world.households.get(p.household_id)
        if household is None:
            return Refusal("household_not_found")
        if p.new_head_id not in household.member_ids:
            return Refusal("not_household_member")
        if not self.world.known_alive(self.world.people[p.new_head_id]):
            return Refusal("person_deceased")
        household.head_id = p.new_head_id
        return HouseholdHeadChanged(household_id=household.household_id)

    def verify_kinship(self, p: VerifyKinship, _: DepartmentCommand) -> KinshipVerified | Refusal:
        if p.applicant_id not in self.world.people or p.deceased_id not in self.world.people:
            return Refusal("person_not_found")
        if self.world.relation(p.applicant_id, p.deceased_id) != p.relation:
            return Refusal("kinship_not_found")
        return KinshipVerified(relation=p.relation)

    def check_registration(
        self, p: CheckHouseholdRegistration, _: DepartmentCommand
    ) -> HouseholdRegistrationChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        return HouseholdRegistrationChecked(
            members_found=sum(1 for m in members if m.hukou_active),
            one_household=len({m.household_id for m in members}) == 1,
            vehicles=sum(m.vehicles for m in members),
        )
