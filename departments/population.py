"""A synthetic population, deterministic from a seed, that every saga branch can be run against.

``generate(seed, people)`` builds a ``World``: households in the municipal plans' counties (Taizhou
321202, Suqian 321302 and 321322, Benxi 210502 and 210521, Dongchang 220502, Taicang 320585)
with valid resident IDs (GB 11643, sex in the sequence digit), synthetic Chinese names, heads,
marriages with certificate numbers, parents and children in separate households (kinship),
pensions, pension insurance of contributors not yet retired, medical insurance, housing funds,
disability cards, welfare, dibao, incomes and assets. The first households cover every kind and
every death variant, so even a small world has each branch; ``--people 1000`` has several of each.
The last household holds a working-age contributor who died (survivor benefits without a
pension); it, the contributors' insurance and the self-paid medical spending (mostly of older and
disabled people) draw on random streams of their own, and the housing-fund deposits follow from
the wages, so adding them left every other record of a seed as it was. ``python -m departments.population --seed 7
--people 1000 [--out world.jsonl]`` prints how many people fit each branch and can save the world
as JSON lines (``load`` reads it back).

Who to pick for which branch (``world.find(...)``; criteria in ``departments.world.CRITERIA``):

===================================  ==========================================================
marriage, eligible couple            ``marriageable=True, sex="male"`` and ``sex="female"``
marriage, refused: already married   ``married=True``
marriage, refused: under age         ``under_marriage_age=True``
marriage, remarriage                 ``marital_status="divorced", marriageable=True``
after death, full bundle             ``certified_dead=True, hukou_active=True, pension_overpaid=True``
after death, already processed       ``certified_dead=True, hukou_active=False`` (refusals)
after death, no certificate          ``uncertified_dead=True`` (D2 refused)
after death, insured, not retired    ``certified_dead=True, has_pension=False, pension_insured=True``
after death, never insured           ``certified_dead=True, hukou_active=True, pension_insured=False``
after death, dibao household         ``certified_dead=True, hukou_active=True, on_dibao=True``
after death, kinship applicant       the deceased's ``spouse_id``, or ``world.children(id)``
assistance, dibao household          ``on_dibao=True, household_head=True``
assistance, eligible newcomer        ``alive=True, household_head=True, on_dibao=False`` + income
assistance, tekun candidate          ``lives_alone=True, min_age=60, has_adult_child=False``
assistance, nursing subsidy          ``nursing_eligible=True``
elderly allowance                    ``alive=True, min_age=80, on_welfare=False``
===================================  ==========================================================
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from contracts.identifiers import make_credit_code, make_marriage_certificate, make_resident_id
from contracts.standards import default_standards
from departments.world import (
    CRITERIA,
    Cremation,
    DeathCertificate,
    DibaoGrant,
    DisabilityCard,
    Household,
    HousingFundAccount,
    MaritalStatus,
    Marriage,
    MedicalInsurance,
    Pension,
    PensionInsurance,
    Person,
    Programme,
    Sex,
    WelfareEnrolment,
    World,
    add_months,
    age_on,
    month_of,
)

__all__ = ["COUNTIES", "REFERENCE_DATE", "dump", "generate", "load", "main", "summary"]

REFERENCE_DATE = date(2025, 6, 30)

# County code and the share of its households that are rural.
COUNTIES: tuple[tuple[str, float], ...] = (
    ("321202", 0.1),  # 海陵区, Taizhou
    ("321302", 0.2),  # 宿城区, Suqian
    ("321322", 0.6),  # 沭阳县, Suqian
    ("210502", 0.1),  # 平山区, Benxi
    ("210521", 0.7),  # 本溪满族自治县, Benxi
    ("220502", 0.3),  # 东昌区, Dongchang
    ("320585", 0.2),  # 太仓市, Taicang
)

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
_MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志文"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英慧巧美淑惠珠翠雅芝玉萍红娥玲芬燕彩春菊兰凤洁梅琳素"
_DISABILITY_CATEGORIES = (
    "visual",
    "hearing",
    "speech",
    "physical",
    "intellectual",
    "mental",
    "multiple",
)

# Death variants of an older person: died recently with a certificate and nothing done yet (the
# after-death one-thing's start); died and every department already acted (the "already done"
# refusals); died with no certificate on record (D2 refuses).
_FRESH, _PROCESSED, _UNCERTIFIED = "fresh", "processed", "uncertified"
_DEATH_WEIGHTS = {_FRESH: 55, _PROCESSED: 30, _UNCERTIFIED: 15}

# The first households, one per line: a kind and the death it must contain. Built with every
# optional branch taken, they make even a small world reach each saga branch.
_SHOWCASE: tuple[tuple[str, str | None], ...] = (
    ("family", None),
    ("clan", _FRESH),
    ("clan", _PROCESSED),
    ("single", None),
    ("divorced_pair", None),
    ("elderly_alone", None),
    ("elderly_alone", _UNCERTIFIED),
    ("elderly_alone", _FRESH),
    ("dibao_household", _FRESH),
    ("dibao_household", None),
    ("disabled_adult", None),
)


class _Builder:
    """Fills a world household by household; all randomness comes from one seeded ``Random``."""

    def __init__(self, seed: int, reference_date: date) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = reference_date
        self.world = World(reference_date=reference_date)
        self.household_seq = 0
        self.marriage_serials: dict[tuple[str, int], int] = {}
        self.showcasing = False
        self.forced_death: str | None = None
        self.hospitals = {
            county: make_credit_code(f"12{county}MB{index:07d}")
            for index, (county, _) in enumerate(COUNTIES, start=1)
        }

    # --- people ----------------------------------------------------------------------------

    def person(
        self,
        sex: Sex,
        age: int,
        household: Household,
        *,
        father: Person | None = None,
        mother: Person | None = None,
    ) -> Person:
        rng = self.rng
        birth = self.today - timedelta(days=age * 365 + rng.randrange(365) + age // 4)
        region = household.division if rng.random() < 0.8 else rng.choice(COUNTIES)[0]
        parity = 1 if sex == "male" else 0
        while True:
            resident_id = make_resident_id(region, birth, rng.randrange(500) * 2 + parity)
            if resident_id not in self.world.people:
                break
        given = _MALE_CHARS if sex == "male" else _FEMALE_CHARS
        surname = father.name[0] if father else rng.choice(_SURNAMES)
        name = surname + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
        person = Person(
            resident_id=resident_id,
            name=name,
            sex=sex,
            birth_date=birth,
            division=household.division,
            household_id=household.household_id,
            father_id=father.resident_id if father else None,
            mother_id=mother.resident_id if mother else None,
        )
        self.world.people[resident_id] = person
        household.member_ids.append(resident_id)
        self.finances(person, age, household.urban)
        return person

    def chance(self, probability: float) -> bool:
        """A coin with this probability; while building the showcase, every option is taken."""
        return self.showcasing or self.rng.random() < probability

    def finances(self, person: Person, age: int, urban: bool) -> None:
        rng, world, rid = self.rng, self.world, person.resident_id
        if 22 <= age < 60 and rng.random() < 0.85:
            person.monthly_income_fen = rng.randrange(2_500, 15_000) * 100
            person.properties = rng.choice((0, 1, 1, 1, 2))
            person.vehicles = rng.choice((0, 0, 1, 1, 2))
            person.businesses = 1 if rng.random() < 0.08 else 0
            if urban and rng.random() < 0.7:
                world.housing_funds[rid] = HousingFundAccount(rid, rng.randrange(5, 200) * 100_000)
        if age >= 18:
            person.bank_balance_fen = rng.randrange(0, 300) * 100_000
        if age >= 60:
            monthly = rng.randrange(1_500, 5_000) if urban else rng.randrange(150, 400)
            world.pensions[rid] = Pension(
                resident_id=rid,
                monthly_fen=monthly * 100,
                last_paid_month=month_of(self.today),
                account_balance_fen=rng.randrange(0, 60_000) * 100,
            )
            if rng.random() < 0.15:
                world.housing_funds[rid] = HousingFundAccount(rid, rng.randrange(1, 50) * 100_000)
        if rng.random() < 0.95:
            balance = rng.randrange(0, 20_000) * 100 if urban and age >= 18 else 0
            world.medical[rid] = MedicalInsurance(rid, balance)

    def household(self, urban: bool | None = None) -> Household:
        county, rural_share = self.rng.choice(COUNTIES)
        self.household_seq += 1
        if urban is None:
            urban = self.rng.random() >= rural_share
        # The head is named once the members exist.
        household = Household(f"H{self.household_seq:07d}", county, "", [], urban)
        self.world.households[household.household_id] = household
        return household

    def marry(self, husband: Person, wife: Person, years_ago: int, office: str) -> Marriage:
        registered = self.today - timedelta(days=years_ago * 365 + self.rng.randrange(365))
        key = (office, registered.year)
        self.marriage_serials[key] = self.marriage_serials.get(key, 0) + 1
        number = make_marriage_certificate("J", office, registered.year, self.marriage_serials[key])
        marriage = Marriage(number, (husband.resident_id, wife.resident_id), registered, office)
        self.world.add_marriage(marriage)
        for a, b in ((husband, wife), (wife, husband)):
            a.marital_status, a.spouse_id = "married", b.resident_id
        return marriage

    def couple(self, household: Household, age: int) -> tuple[Person, Person]:
        husband = self.person("male", age + self.rng.randrange(0, 4), household)
        wife = self.person("female", age, household)
        married_for = max(0, min(age - 22, self.rng.randrange(1, 40)))
        self.marry(husband, wife, married_for, household.division)
        household.head_id = (husband if self.rng.random() < 0.7 else wife).resident_id
        return husband, wife

    def children(
        self, household: Household, father: Person, mother: Person, ages: Iterable[int]
    ) -> list[Person]:
        sexes: tuple[Sex, Sex] = ("male", "female")
        return [
            self.person(self.rng.choice(sexes), age, household, father=father, mother=mother)
            for age in ages
        ]

    # --- deaths ----------------------------------------------------------------------------

    def maybe_die(self, person: Person, probability: float) -> None:
        """Let the person die with this probability, or as the showcase household requires."""
        if self.forced_death is not None:
            variant, self.forced_death = self.forced_death, None
        elif not self.showcasing and self.rng.random() < probability:
            variants, weights = zip(*_DEATH_WEIGHTS.items(), strict=True)
            variant = self.rng.choices(variants, weights)[0]
        else:
            return
        self.die(person, variant)

    def die(self, person: Person, variant: str) -> None:
        world, rng, rid = self.world, self.rng, person.resident_id
        recent = variant != _PROCESSED
        days_ago = rng.randrange(3, 150) if recent else rng.randrange(200, 900)
        person.date_of_death = self.today - timedelta(days=days_ago)
        if variant == _UNCERTIFIED:
            return
        world.death_certificates[rid] = DeathCertificate(
            rid, rid, person.date_of_death, self.hospitals[person.division]
        )
        pension = world.pensions.get(rid)
        if variant == _FRESH:
            # Some pensions were paid on after the death (the overpayment case), some were not.
            if pension is not None and rng.random() < 0.3:
                pension.last_paid_month = month_of(person.date_of_death)
            return
        self.processed(person, pension)

    def processed(self, person: Person, pension: Pension | None) -> None:
        """Every department already acted on this death: the 'already done' refusals."""
        world, rid = self.world, person.resident_id
        death = person.date_of_death
        assert death is not None  # only called for the dead
        stop_from = add_months(month_of(death), 1)
        person.hukou_active = person.id_card_valid = False
        if person.spouse_id is not None:
            world.people[person.spouse_id].marital_status = "widowed"
        world.cremations[rid] = Cremation(
            rid,
            f"HZ{person.division}{death.year}{len(world.cremations) + 1:06d}",
            death + timedelta(days=3),
            person.division,
        )
        if pension is not None:
            pension.last_paid_month = month_of(death)
            pension.stopped_from = stop_from
            if self.rng.random() < 0.6:
                pension.funeral_grant_paid_fen = 2 * pension.monthly_fen
        if rid in world.medical:
            insurance = world.medical[rid]
            insurance.enrolled, insurance.terminated_from = False, stop_from
            insurance.paid_out_fen, insurance.account_balance_fen = insurance.account_balance_fen, 0
            insurance.paid_out = True
        if rid in world.housing_funds:
            account = world.housing_funds[rid]
            account.withdrawn_fen, account.balance_fen = account.balance_fen, 0
            account.withdrawn = True
        for enrolment in world.welfare.get(rid, {}).values():
            enrolment.stopped_from = stop_from
        if rid in world.disability_cards:
            world.disability_cards[rid].active = False

    # --- benefits --------------------------------------------------------------------------

    def disability(self, person: Person, grade: int | None = None) -> DisabilityCard:
        index = self.rng.randrange(len(_DISABILITY_CATEGORIES))
        grade = grade or self.rng.randint(1, 4)
        # A second-generation card number is the ID number plus category and grade digits.
        card = DisabilityCard(
            person.resident_id,
            f"{person.resident_id}{index + 1}{grade}",
            grade,
            _DISABILITY_CATEGORIES[index],
        )
        self.world.disability_cards[person.resident_id] = card
        return card

    def enrol(self, person: Person, programme: Programme, monthly_fen: int) -> None:
        since = add_months(month_of(self.today), -self.rng.randrange(1, 36))
        self.world.enrol(WelfareEnrolment(person.resident_id, programme, monthly_fen, since))

    def grant_dibao(self, household: Household) -> None:
        members = [self.world.people[m] for m in household.member_ids]
        standard = (
            default_standards().figures(household.division, self.today).dibao(household.urban).fen
        )
        per_capita = sum(_income(self.world, m) for m in members) // len(members)
        if per_capita >= standard:
            return
        self.world.dibao[household.household_id] = DibaoGrant(
            household_id=household.household_id,
            standard_fen=standard,
            per_capita_income_fen=per_capita,
            members=len(members),
            monthly_fen=(standard - per_capita) * len(members),
            since_month=add_months(month_of(self.today), -self.rng.randrange(1, 48)),
        )

    # --- household kinds -------------------------------------------------------------------

    def family(self) -> None:
        """A married couple with minor or young-adult children (marriage refusals, under-age)."""
        household = self.household()
        rng = self.rng
        age = rng.randrange(25, 56)
        husband, wife = self.couple(household, age)
        ages = [rng.randrange(0, min(age - 20, 27)) for _ in range(rng.choice((0, 1, 2, 2, 3)))]
        self.children(household, husband, wife, ages)

    def clan(self) -> None:
        """A retired couple, and their adult children each in their own household (kinship)."""
        rng = self.rng
        elders = self.household()
        age = rng.randrange(62, 90)
        grandpa, grandma = self.couple(elders, age)
        for _ in range(rng.choice((1, 2, 2, 3))):
            child_age = rng.randrange(max(age - 40, 24), age - 20)
            home = self.household(elders.urban)
            (child,) = self.children(home, grandpa, grandma, [child_age])
            home.head_id = child.resident_id
            if rng.random() < 0.7:
                sex: Sex = "female" if child.sex == "male" else "male"
                partner = self.person(sex, child_age, home)
                husband, wife = (child, partner) if child.sex == "male" else (partner, child)
                self.marry(husband, wife, rng.randrange(0, child_age - 22 + 1), home.division)
                kids = [rng.randrange(0, 18) for _ in range(rng.choice((0, 1, 1, 2)))]
                self.children(home, husband, wife, kids)
        self.maybe_die(grandpa, 0.3)
        if grandpa.alive:
            self.maybe_die(grandma, 0.25)

    def single(self) -> None:
        """An unmarried adult living alone (marriage eligible), sometimes very young."""
        household = self.household()
        sex: Sex = self.rng.choice(("male", "female"))
        age = self.rng.choice((18, 19, 20, 21, *range(22, 46)))
        if self.showcasing:
            sex, age = "male", 20  # under the men's marriage age of 22, over the women's of 20
        household.head_id = self.person(sex, age, household).resident_id

    def divorced_pair(self) -> None:
        """A divorced couple, now in two households (remarriage is allowed)."""
        age = self.rng.randrange(28, 55)
        first, second = self.household(), self.household()
        husband = self.person("male", age + 2, first)
        wife = self.person("female", age, second)
        marriage = self.marry(
            husband, wife, self.rng.randrange(2, max(age - 22, 3)), first.division
        )
        marriage.dissolved_on = self.today - timedelta(days=self.rng.randrange(60, 2_000))
        for person, home in ((husband, first), (wife, second)):
            person.marital_status, person.spouse_id = "divorced", None
            home.head_id = person.resident_id

    def elderly_alone(self) -> None:
        """A widowed elder living alone: tekun and elderly-allowance branches."""
        rng = self.rng
        household = self.household()
        age = rng.randrange(60, 96)
        elder = self.person(rng.choice(("male", "female")), age, household)
        status: MaritalStatus = "widowed" if rng.random() < 0.8 else "unmarried"
        elder.marital_status = status
        household.head_id = elder.resident_id
        standard = default_standards().figures(household.division, self.today)
        if self.chance(0.5):
            self.world.pensions.pop(elder.resident_id, None)
            if self.chance(0.6):
                self.enrol(elder, "tekun", standard.tekun(household.urban).fen)
        if age >= 80 and self.chance(0.5):
            self.enrol(elder, "elderly_allowance", 5_000)
        self.maybe_die(elder, 0.3)

    def dibao_household(self) -> None:
        """A low-income household on dibao, sometimes with a disabled member or an elder."""
        rng = self.rng
        household = self.household()
        age = rng.randrange(30, 60)
        adult = self.person(rng.choice(("male", "female")), age, household)
        household.head_id = adult.resident_id
        members = [adult]
        if self.chance(0.5):
            members += [
                self.person(rng.choice(("male", "female")), rng.randrange(0, 17), household)
            ]
        elder = None
        if self.chance(0.4):
            elder = self.person(rng.choice(("male", "female")), rng.randrange(65, 90), household)
            members.append(elder)
        for member in members:
            member.monthly_income_fen = rng.randrange(0, 400) * 100 if rng.random() < 0.5 else 0
            member.bank_balance_fen = rng.randrange(0, 80) * 10_000
            member.properties = member.vehicles = member.businesses = 0
            pension = self.world.pensions.get(member.resident_id)
            if pension is not None:
                pension.monthly_fen = rng.randrange(150, 300) * 100
        self.grant_dibao(household)
        if self.chance(0.5):
            disabled = rng.choice(members)
            card = self.disability(disabled)
            if household.household_id in self.world.dibao:
                self.enrol(disabled, "living_subsidy", 10_000)
            if card.grade <= 2:
                self.enrol(disabled, "nursing_subsidy", 15_000 if card.grade == 1 else 10_000)
        # The death comes after the grant: the dibao still counts the deceased until recalculated.
        if elder is not None:
            self.maybe_die(elder, 0.5)

    def working_age_death(self) -> None:
        """A contributor who died before retiring, with a spouse and an adult child at home."""
        rng = self.rng
        household = self.household(urban=True)
        age = rng.randrange(45, 56)
        husband, wife = self.couple(household, age)
        self.children(household, husband, wife, [rng.randrange(18, age - 22)])
        husband.monthly_income_fen = husband.monthly_income_fen or 600_000
        insure(self.world, husband, random.Random(f"{self.seed}:{husband.resident_id}"))
        self.die(husband, _FRESH)

    def disabled_adult(self) -> None:
        """A disabled adult not on dibao: the nursing-subsidy branch without the living one."""
        household = self.household()
        person = self.person(
            self.rng.choice(("male", "female")), self.rng.randrange(20, 70), household
        )
        household.head_id = person.resident_id
        self.disability(person, grade=1 if self.household_seq % 2 else None)


_KINDS: dict[str, tuple[int, Callable[[_Builder], None]]] = {
    "family": (30, _Builder.family),
    "clan": (22, _Builder.clan),
    "single": (14, _Builder.single),
    "divorced_pair": (4, _Builder.divorced_pair),
    "elderly_alone": (12, _Builder.elderly_alone),
    "dibao_household": (12, _Builder.dibao_household),
    "disabled_adult": (6, _Builder.disabled_adult),
}


# Share of working-age earners insured in the basic pension: a simulator figure (ASSUMPTION).
_INSURED_SHARE = 0.9


def insure(world: World, person: Person, rng: random.Random) -> None:
    """Enrol an earner in the basic pension: contributions on their wage, an account balance."""
    world.pension_insurance[person.resident_id] = PensionInsurance(
        resident_id=person.resident_id,
        contribution_base_fen=person.monthly_income_fen,
        account_balance_fen=rng.randrange(0, 80_000) * 100,
    )


def _insure_contributors(world: World, seed: int) -> None:
    """Earners of working age (at death, for the dead) not drawing a pension, most of them
    insured; each person's own stream keeps this from changing anything else in the world."""
    for person in world.people.values():
        rid = person.resident_id
        if rid in world.pensions or rid in world.pension_insurance:
            continue
        on = person.date_of_death or world.reference_date
        if person.monthly_income_fen and 16 <= age_on(person.birth_date, on) < 60:
            rng = random.Random(f"{seed}:{rid}")
            if rng.random() < _INSURED_SHARE:
                insure(world, person, rng)


# Self-paid medical spending, a month's average over the last year (ASSUMPTION, simulator
# figures): half the people over 60 or holding a disability card have some, one in twenty others.
_SPENDING_SHARE_FRAIL, _SPENDING_SHARE_OTHERS = 0.5, 0.05
_SPENDING_YUAN = (30, 1_500)


def _medical_spending(world: World, seed: int) -> None:
    """Each person's self-paid medical spending from their own stream (nothing else moves)."""
    for person in world.people.values():
        rid = person.resident_id
        on = person.date_of_death or world.reference_date
        frail = age_on(person.birth_date, on) >= 60 or rid in world.disability_cards
        rng = random.Random(f"{seed}:medical:{rid}")
        if rng.random() < (_SPENDING_SHARE_FRAIL if frail else _SPENDING_SHARE_OTHERS):
            person.monthly_medical_spending_fen = rng.randrange(*_SPENDING_YUAN) * 100


# The housing-fund deposit rate, each of the employee and the employer, on the monthly wage
# (ASSUMPTION: a simulator figure; 住房公积金管理条例 art. 18 lets each city set 5–12 %).
_DEPOSIT_RATE_PERCENT = 12


def _housing_fund_deposits(world: World) -> None:
    """What goes into each open account a month: both shares on the holder's wage, while the
    holder is alive, earning and under 60; no randomness."""
    for account in world.housing_funds.values():
        person = world.people[account.resident_id]
        working = person.alive and age_on(person.birth_date, world.reference_date) < 60
        if working and not account.withdrawn:
            share = person.monthly_income_fen * _DEPOSIT_RATE_PERCENT // 100
            account.monthly_deposit_fen = 2 * share


def _income(world: World, person: Person) -> int:
    pension = world.pensions.get(person.resident_id)
    return person.monthly_income_fen + (pension.monthly_fen if pension else 0)


def generate(seed: int, people: int, reference_date: date = REFERENCE_DATE) -> World:
    """A world of about ``people`` residents (whole households), the same for the same seed."""
    builder = _Builder(seed, reference_date)
    builder.showcasing = True
    for kind, death in _SHOWCASE:
        builder.forced_death = death
        _KINDS[kind][1](builder)
    builder.showcasing, builder.forced_death = False, None
    names = list(_KINDS)
    weights = [weight for weight, _ in _KINDS.values()]
    while len(builder.world.people) < people:
        _KINDS[builder.rng.choices(names, weights)[0]][1](builder)
    builder.working_age_death()
    _insure_contributors(builder.world, seed)
    _medical_spending(builder.world, seed)
    _housing_fund_deposits(builder.world)
    builder.world.reindex()
    return builder.world


# --- JSON lines ----------------------------------------------------------------------------------

_RECORDS: dict[str, type[Any]] = {
    "person": Person,
    "household": Household,
    "death_certificate": DeathCertificate,
    "marriage": Marriage,
    "welfare": WelfareEnrolment,
    "dibao": DibaoGrant,
    "cremation": Cremation,
    "pension": Pension,
    "pension_insurance": PensionInsurance,
    "medical": MedicalInsurance,
    "housing_fund": HousingFundAccount,
    "disability_card": DisabilityCard,
}
_TAG = {cls: tag for tag, cls in _RECORDS.items()}
# With postponed annotations a field's type is its source text; date fields read "date ...".
_DATE_FIELDS = {
    cls: tuple(f.name for f in fields(cls) if str(f.type).startswith("date"))
    for cls in _RECORDS.values()
}


def _records(world: World) -> Iterator[object]:
    yield from world.people.values()
    yield from world.households.values()
    yield from world.death_certificates.values()
    yield from world.marriages.values()
    for enrolments in world.welfare.values():
        yield from enrolments.values()
    yield from world.dibao.values()
    yield from world.cremations.values()
    yield from world.pensions.values()
    yield from world.pension_insurance.values()
    yield from world.medical.values()
    yield from world.housing_funds.values()
    yield from world.disability_cards.values()


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def dump(world: World, stream: IO[str]) -> int:
    """Write the world as JSON lines (a header, then one record a line); the line count."""
    stream.write(json.dumps({"t": "world", "reference_date": world.reference_date.isoformat()}))
    stream.write("\n")
    count = 1
    for record in _records(world):
        assert is_dataclass(record)
        row: dict[str, object] = {"t": _TAG[type(record)]}
        for f in fields(record):
            row[f.name] = _plain(getattr(record, f.name))
        stream.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        stream.write("\n")
        count += 1
    return count


def load(lines: Iterable[str]) -> World:
    """Read a world written by ``dump``."""
    rows = iter(lines)
    header = json.loads(next(rows))
    world = World(reference_date=date.fromisoformat(header["reference_date"]))
    registers: dict[str, Callable[[Any], None]] = {
        "person": lambda r: world.people.__setitem__(r.resident_id, r),
        "household": lambda r: world.households.__setitem__(r.household_id, r),
        "death_certificate": lambda r: world.death_certificates.__setitem__(r.resident_id, r),
        "marriage": lambda r: world.marriages.__setitem__(r.certificate_no, r),
        "welfare": world.enrol,
        "dibao": lambda r: world.dibao.__setitem__(r.household_id, r),
        "cremation": lambda r: world.cremations.__setitem__(r.deceased_id, r),
        "pension": lambda r: world.pensions.__setitem__(r.resident_id, r),
        "pension_insurance": lambda r: world.pension_insurance.__setitem__(r.resident_id, r),
        "medical": lambda r: world.medical.__setitem__(r.resident_id, r),
        "housing_fund": lambda r: world.housing_funds.__setitem__(r.resident_id, r),
        "disability_card": lambda r: world.disability_cards.__setitem__(r.resident_id, r),
    }
    for line in rows:
        row = json.loads(line)
        tag = row.pop("t")
        cls = _RECORDS[tag]
        for name in _DATE_FIELDS[cls]:
            if row[name] is not None:
                row[name] = date.fromisoformat(row[name])
        if tag == "marriage":
            row["party_ids"] = tuple(row["party_ids"])
        registers[tag](cls(**row))
    world.reindex()
    return world


# --- what the world holds, by branch -------------------------------------------------------------

_BRANCHES: dict[str, dict[str, object]] = {
    "marriageable men": {"marriageable": True, "sex": "male"},
    "marriageable women": {"marriageable": True, "sex": "female"},
    "married (refused: already_married)": {"married": True},
    "under marriage age": {"under_marriage_age": True},
    "divorced, may remarry": {"marital_status": "divorced", "marriageable": True},
    "certified dead, nothing done yet": {"certified_dead": True, "hukou_active": True},
    "  ... with pension overpaid": {
        "certified_dead": True,
        "hukou_active": True,
        "pension_overpaid": True,
    },
    "  ... in a dibao household": {"certified_dead": True, "hukou_active": True, "on_dibao": True},
    "  ... insured, not yet retired": {
        "certified_dead": True,
        "hukou_active": True,
        "has_pension": False,
        "pension_insured": True,
    },
    "  ... never insured": {"certified_dead": True, "hukou_active": True, "pension_insured": False},
    "certified dead, already processed": {"certified_dead": True, "hukou_active": False},
    "dead without a certificate": {"uncertified_dead": True},
    "dibao household heads": {"on_dibao": True, "household_head": True, "alive": True},
    "tekun candidates": {"alive": True, "lives_alone": True, "min_age": 60, "on_tekun": False},
    "on tekun": {"on_tekun": True, "alive": True},
    "nursing-subsidy eligible": {"nursing_eligible": True, "alive": True},
    "aged 80+, no allowance": {"alive": True, "min_age": 80, "on_welfare": False},
}


def summary(world: World) -> dict[str, int]:
    """How many people fit each saga branch (the table in this module's docstring)."""
    counts = {"people": len(world.people), "households": len(world.households)}
    for label, criteria in _BRANCHES.items():
        counts[label] = sum(1 for _ in world.find_all(**criteria))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m departments.population",
        description=__doc__.split("\n")[0] if __doc__ else None,
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--today", type=date.fromisoformat, default=REFERENCE_DATE)
    parser.add_argument("--out", type=Path, help="write the world as JSON lines to this file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    world = generate(args.seed, args.people, args.today)
    elapsed = time.perf_counter() - started
    if args.out:
        with args.out.open("w", encoding="utf-8") as stream:
            lines = dump(world, stream)
        print(f"wrote {lines} lines to {args.out}", file=sys.stderr)
    print(f"generated in {elapsed:.2f}s (seed {args.seed}, reference date {args.today})")
    for label, count in summary(world).items():
        print(f"{count:>8}  {label}")
    # Not every CRITERIA name is a branch; list them so a user can compose their own query.
    print("criteria:", ", ".join(sorted(CRITERIA)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
