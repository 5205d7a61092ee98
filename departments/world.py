"""The synthetic world every simulator looks at: people, households and each department's records.

Departments are separate systems in life, but they describe one population, so the simulators
share one ``World`` and each writes only its own part (the owner is named beside each register).
A simulator may read another's records, as the shared topic database lets real departments do:
civil affairs checks the funeral home's cremation record, public security the health
commission's death certificate. Records are plain slotted dataclasses, not pydantic models, so
that a world of 100 000 people loads in about a second. Amounts are in fen; months are the first
day of the month.

``find`` picks people for a scenario by named criteria, e.g.
``world.find(certified_dead=True, hukou_active=True, has_pension=True)``; see ``CRITERIA``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Literal

__all__ = [
    "CHINA",
    "CRITERIA",
    "Cremation",
    "DeathCertificate",
    "DibaoGrant",
    "DisabilityCard",
    "Household",
    "HousingFundAccount",
    "MaritalStatus",
    "Marriage",
    "MedicalInsurance",
    "Pension",
    "PensionInsurance",
    "Person",
    "Programme",
    "Sex",
    "WelfareEnrolment",
    "World",
    "add_months",
    "age_on",
    "month_of",
    "months_inclusive",
]

CHINA = timezone(timedelta(hours=8), "CST")

Sex = Literal["male", "female"]
MaritalStatus = Literal["unmarried", "married", "divorced", "widowed"]
Programme = Literal["tekun", "living_subsidy", "nursing_subsidy", "elderly_allowance"]


def age_on(birth: date, day: date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def month_of(day: date) -> date:
    """The first day of ``day``'s month: how months are kept."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_inclusive(first: date, last: date) -> int:
    """How many months from ``first`` to ``last``, both counted; 0 if ``last`` is earlier."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


@dataclass(slots=True)
class Person:
    """A resident as the population registry (public security) holds them, plus their finances.

    ``date_of_death`` is the fact in the synthetic world; whether a department knows of it is in
    that department's records (a death certificate, a cancelled hukou).
    """

    resident_id: str
    name: str
    sex: Sex
    birth_date: date
    division: str  # hukou division (county code)
    household_id: str
    marital_status: MaritalStatus = "unmarried"  # as the hukou records it
    spouse_id: str | None = None
    father_id: str | None = None
    mother_id: str | None = None
    date_of_death: date | None = None
    hukou_active: bool = True
    id_card_valid: bool = True
    # What the economic check's sources know (tax, banks, real estate, vehicles, businesses,
    # medical insurance: self-paid medical spending, a month's average over the last year).
    monthly_income_fen: int = 0
    bank_balance_fen: int = 0
    properties: int = 0
    vehicles: int = 0
    businesses: int = 0
    monthly_medical_spending_fen: int = 0

    @property
    def alive(self) -> bool:
        return self.date_of_death is None


@dataclass(slots=True)
class Household:
    """A hukou household (户): its division, its head and its members (public security)."""

    household_id: str
    division: str
    head_id: str
    member_ids: list[str]
    urban: bool = True


@dataclass(slots=True)
class Pension:
    """A basic pension in payment (social security); ``last_paid_month`` is the latest month paid.

    ``overpayment_netted_fen`` is the overpayment the survivor benefits settled, and
    ``netted_from_account_fen`` the part of it taken from the deceased's own personal account,
    which a reversal refunds with the arrears; a new stop starts both again from zero.
    """

    resident_id: str
    monthly_fen: int
    last_paid_month: date
    account_balance_fen: int  # the inheritable personal-account balance
    stopped_from: date | None = None
    overpayment_due_fen: int = 0
    funeral_grant_paid_fen: int = 0
    survivor_pension_paid_fen: int = 0
    account_paid_out_fen: int = 0
    overpayment_netted_fen: int = 0
    netted_from_account_fen: int = 0


@dataclass(slots=True)
class PensionInsurance:
    """Basic pension insurance of a contributor not yet drawing a pension (social security).

    Their survivors are due the funeral grant and survivor pension too (社会保险法 art. 17); the
    simulator reckons both on ``contribution_base_fen``, the monthly wage contributions are paid on.
    """

    resident_id: str
    contribution_base_fen: int  # 缴费基数
    account_balance_fen: int  # the inheritable personal-account balance
    funeral_grant_paid_fen: int = 0
    survivor_pension_paid_fen: int = 0
    account_paid_out_fen: int = 0


@dataclass(slots=True)
class MedicalInsurance:
    """Basic medical-insurance enrolment and personal account (medical insurance)."""

    resident_id: str
    account_balance_fen: int
    enrolled: bool = True
    terminated_from: date | None = None
    paid_out: bool = False  # the balance went to an heir (once; a zero balance counts too)
    paid_out_fen: int = 0


@dataclass(slots=True)
class HousingFundAccount:
    """A housing-fund account (housing fund centre)."""

    resident_id: str
    balance_fen: int
    withdrawn: bool = False  # the balance went to an heir (once; a zero balance counts too)
    withdrawn_fen: int = 0
    monthly_deposit_fen: int = 0  # 月缴存额, the employee's and employer's shares together


@dataclass(slots=True)
class DisabilityCard:
    """A second-generation disability card (disabled persons' federation)."""

    resident_id: str
    card_no: str
    grade: int  # 1 (most severe) to 4
    category: str
    active: bool = True


@dataclass(slots=True)
class WelfareEnrolment:
    """A personal benefit on the welfare rolls (civil affairs)."""

    resident_id: str
    programme: Programme
    monthly_fen: int
    since_month: date
    stopped_from: date | None = None


@dataclass(slots=True)
class DibaoGrant:
    """A household's dibao 最低生活保障 (civil affairs): (standard − per-capita income) × members."""

    household_id: str
    standard_fen: int
    per_capita_income_fen: int
    members: int
    monthly_fen: int
    since_month: date
    stopped_from: date | None = None


@dataclass(slots=True)
class DeathCertificate:
    """A medical death certificate (health); its number is the deceased's resident ID."""

    certificate_no: str
    resident_id: str
    date_of_death: date
    issuer: str
    retracted: bool = False


@dataclass(slots=True)
class Marriage:
    """A registered marriage (civil affairs' marriage registry).

    A divorce registered by the registry sets ``dissolved_on`` and ``divorce_certificate_no``; a
    generated past divorce has a date but no number, as records migrated from paper do.
    """

    certificate_no: str
    party_ids: tuple[str, str]
    registered_on: date
    office_division: str
    uploaded: bool = True
    dissolved_on: date | None = None
    divorce_certificate_no: str | None = None
    divorce_uploaded: bool = False


@dataclass(slots=True)
class Cremation:
    """A cremation record (funeral services)."""

    deceased_id: str
    certificate_no: str
    cremated_on: date
    funeral_home_division: str


@dataclass(slots=True)
class World:
    """The whole synthetic population; ``reference_date`` is "today" for its figures."""

    reference_date: date
    people: dict[str, Person] = field(default_factory=dict)  # public security
    households: dict[str, Household] = field(default_factory=dict)  # public security
    death_certificates: dict[str, DeathCertificate] = field(default_factory=dict)  # health
    marriages: dict[str, Marriage] = field(default_factory=dict)  # civil affairs
    welfare: dict[str, dict[Programme, WelfareEnrolment]] = field(default_factory=dict)
    dibao: dict[str, DibaoGrant] = field(default_factory=dict)  # civil affairs, by household
    cremations: dict[str, Cremation] = field(default_factory=dict)  # funeral services
    pensions: dict[str, Pension] = field(default_factory=dict)  # social security
    # Contributors not yet retired; a pensioner is in ``pensions`` only (social security).
    pension_insurance: dict[str, PensionInsurance] = field(default_factory=dict)
    medical: dict[str, MedicalInsurance] = field(default_factory=dict)  # medical insurance
    housing_funds: dict[str, HousingFundAccount] = field(default_factory=dict)  # housing fund
    disability_cards: dict[str, DisabilityCard] = field(default_factory=dict)  # federation
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _marriage_of: dict[str, str] = field(default_factory=dict, repr=False)
    _divorce_of: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Rebuild the lookup indexes after records were added in bulk."""
        self._children = {}
        for person in self.people.values():
            for parent in (person.father_id, person.mother_id):
                if parent is not None:
                    self._children.setdefault(parent, []).append(person.resident_id)
        self._marriage_of = {}
        self._divorce_of = {}
        for marriage in sorted(self.marriages.values(), key=lambda m: m.registered_on):
            for party in marriage.party_ids:
                self._marriage_of[party] = marriage.certificate_no
            if marriage.divorce_certificate_no is not None:
                self._divorce_of[marriage.divorce_certificate_no] = marriage.certificate_no

    def now(self) -> datetime:
        """Noon of the reference date in China: the default clock of every simulator."""
        return datetime.combine(self.reference_date, time(12), tzinfo=CHINA)

    # --- records other departments read ----------------------------------------------------

    def death_certified(self, resident_id: str) -> bool:
        certificate = self.death_certificates.get(resident_id)
        return certificate is not None and not certificate.retracted

    def known_alive(self, person: Person) -> bool:
        """Alive as far as the records go: a death nobody certified is not known to anyone."""
        return person.hukou_active and not self.death_certified(person.resident_id)

    def add_marriage(self, marriage: Marriage) -> None:
        self.marriages[marriage.certificate_no] = marriage
        for party in marriage.party_ids:
            self._marriage_of[party] = marriage.certificate_no

    def current_marriage(self, resident_id: str) -> Marriage | None:
        """The person's marriage if it still stands: not dissolved and both spouses alive."""
        number = self._marriage_of.get(resident_id)
        marriage = self.marriages.get(number) if number else None
        if marriage is None or marriage.dissolved_on is not None:
            return None
        if any(not self.people[p].alive for p in marriage.party_ids if p in self.people):
            return None
        return marriage

    def dissolve_marriage(self, marriage: Marriage, on: date, divorce_certificate_no: str) -> None:
        """Record a registered divorce; the hukou's marital status is public security's to change."""
        marriage.dissolved_on = on
        marriage.divorce_certificate_no = divorce_certificate_no
        self._divorce_of[divorce_certificate_no] = marriage.certificate_no

    def dissolved_by(self, divorce_certificate_no: str) -> Marriage | None:
        """The marriage a divorce certificate ended, if the registry issued that number."""
        number = self._divorce_of.get(divorce_certificate_no)
        return self.marriages.get(number) if number else None

    def registry_marital_status(self, resident_id: str) -> MaritalStatus:
        """The marital status the marriage registry shows, from the person's latest marriage."""
        number = self._marriage_of.get(resident_id)
        marriage = self.marriages.get(number) if number else None
        if marriage is None:
            return "unmarried"
        if marriage.dissolved_on is not None:
            return "divorced"
        return "married" if self.current_marriage(resident_id) is marriage else "widowed"

    def children(self, resident_id: str) -> list[str]:
        return self._children.get(resident_id, [])

    def relation(self, a: str, b: str) -> str | None:
        """What ``a`` is to ``b``: spouse, child, parent, sibling, or None."""
        pa, pb = self.people.get(a), self.people.get(b)
        if pa is None or pb is None or a == b:
            return None
        if pa.spouse_id == b or pb.spouse_id == a:
            return "spouse"
        if b in (pa.father_id, pa.mother_id):
            return "child"
        if a in (pb.father_id, pb.mother_id):
            return "parent"
        shared = {pa.father_id, pa.mother_id} & {pb.father_id, pb.mother_id} - {None}
        return "sibling" if shared else None

    def next_of_kin(self, resident_id: str) -> list[str]:
        """Living spouse first, then living adult children: whom a death notice goes to."""
        person = self.people[resident_id]
        kin = [person.spouse_id] if person.spouse_id else []
        kin += self.children(resident_id)
        today = self.reference_date
        return [
            k
            for k in kin
            if k in self.people
            and self.people[k].alive
            and age_on(self.people[k].birth_date, today) >= 18
        ]

    def living_members(self, household_id: str) -> list[Person]:
        household = self.households[household_id]
        return [self.people[m] for m in household.member_ids if self.people[m].alive]

    def enrol(self, enrolment: WelfareEnrolment) -> None:
        self.welfare.setdefault(enrolment.resident_id, {})[enrolment.programme] = enrolment

    def active_welfare(self, resident_id: str) -> list[WelfareEnrolment]:
        enrolments = self.welfare.get(resident_id, {}).values()
        return [w for w in enrolments if w.stopped_from is None]

    # --- finding people for scenarios ------------------------------------------------------

    def find_all(self, **criteria: object) -> Iterator[Person]:
        """Everyone matching every criterion, in a stable order; see ``CRITERIA`` for names."""
        tests = [_criterion(name, value) for name, value in criteria.items()]
        for person in self.people.values():
            if all(test(self, person) for test in tests):
                yield person

    def find(self, **criteria: object) -> Person:
        """The first person matching every criterion, or ``LookupError`` naming them."""
        for person in self.find_all(**criteria):
            return person
        raise LookupError(f"no one in this world matches {criteria}")


Predicate = Callable[[World, Person], bool]


def _age(w: World, p: Person) -> int:
    return age_on(p.birth_date, w.reference_date)


def _marriageable(w: World, p: Person) -> bool:
    minimum = 22 if p.sex == "male" else 20
    return (
        p.alive
        and p.hukou_active
        and _age(w, p) >= minimum
        and not w.current_marriage(p.resident_id)
    )


def _under_marriage_age(w: World, p: Person) -> bool:
    minimum = 22 if p.sex == "male" else 20
    return p.alive and 18 <= _age(w, p) < minimum and p.marital_status == "unmarried"


def _nursing_eligible(w: World, p: Person) -> bool:
    card = w.disability_cards.get(p.resident_id)
    if card is None or not card.active:
        return False
    return card.grade <= 2 or card.category in ("intellectual", "mental")


# Boolean criteria: ``find(name=True)`` keeps people for whom the predicate holds, ``False`` the
# others. Value criteria (``sex``, ``division``, ``marital_status``, ``disability_grade``,
# ``min_age``, ``max_age``) compare a field.
CRITERIA: dict[str, Predicate] = {
    "alive": lambda w, p: p.alive,
    "certified_dead": lambda w, p: w.death_certified(p.resident_id),
    "uncertified_dead": lambda w, p: not p.alive and p.resident_id not in w.death_certificates,
    "hukou_active": lambda w, p: p.hukou_active,
    "household_head": lambda w, p: w.households[p.household_id].head_id == p.resident_id,
    "married": lambda w, p: w.current_marriage(p.resident_id) is not None,
    "marriageable": _marriageable,
    "under_marriage_age": _under_marriage_age,
    "has_living_spouse": lambda w, p: p.spouse_id is not None and w.people[p.spouse_id].alive,
    "has_adult_child": lambda w, p: any(
        w.people[c].alive and _age(w, w.people[c]) >= 18 for c in w.children(p.resident_id)
    ),
    "has_pension": lambda w, p: p.resident_id in w.pensions,
    "pension_insured": lambda w, p: (
        p.resident_id in w.pensions or p.resident_id in w.pension_insurance
    ),
    "pension_active": lambda w, p: (
        p.resident_id in w.pensions and w.pensions[p.resident_id].stopped_from is None
    ),
    "pension_overpaid": lambda w, p: (
        p.date_of_death is not None
        and p.resident_id in w.pensions
        and w.pensions[p.resident_id].stopped_from is None
        and w.pensions[p.resident_id].last_paid_month > month_of(p.date_of_death)
    ),
    "medically_insured": lambda w, p: (
        p.resident_id in w.medical and w.medical[p.resident_id].enrolled
    ),
    "has_housing_fund": lambda w, p: (
        p.resident_id in w.housing_funds and w.housing_funds[p.resident_id].balance_fen > 0
    ),
    "has_disability_card": lambda w, p: (
        p.resident_id in w.disability_cards and w.disability_cards[p.resident_id].active
    ),
    "nursing_eligible": _nursing_eligible,
    "on_dibao": lambda w, p: (
        p.household_id in w.dibao and w.dibao[p.household_id].stopped_from is None
    ),
    "on_tekun": lambda w, p: any(e.programme == "tekun" for e in w.active_welfare(p.resident_id)),
    "on_welfare": lambda w, p: bool(w.active_welfare(p.resident_id)),
    "cremated": lambda w, p: p.resident_id in w.cremations,
    "lives_alone": lambda w, p: len(w.households[p.household_id].member_ids) == 1,
}

_VALUE_CRITERIA: dict[str, Callable[[World, Person, object], bool]] = {
    "sex": lambda w, p, v: p.sex == v,
    "division": lambda w, p, v: p.division == v,
    "marital_status": lambda w, p, v: p.marital_status == v,
    "disability_grade": lambda w, p, v: (
        p.resident_id in w.disability_cards and w.disability_cards[p.resident_id].grade == v
    ),
    "min_age": lambda w, p, v: isinstance(v, int) and _age(w, p) >= v,
    "max_age": lambda w, p, v: isinstance(v, int) and _age(w, p) <= v,
}


def _criterion(name: str, wanted: object) -> Predicate:
    if name in CRITERIA:
        predicate = CRITERIA[name]
        return lambda w, p: predicate(w, p) == wanted
    if name in _VALUE_CRITERIA:
        compare = _VALUE_CRITERIA[name]
        return lambda w, p: compare(w, p, wanted)
    known = sorted([*CRITERIA, *_VALUE_CRITERIA])
    raise ValueError(f"unknown criterion {name!r}; known: {', '.join(known)}")
