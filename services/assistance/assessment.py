"""H4: one eligibility assessment of a household for every programme, in one pass.

"一次申请、联动救助": the household applies once and is assessed once — 低保 (dibao), 特困
(tekun), the low-income status (低保边缘), the two disability subsidies (两项补贴) and temporary
assistance (临时救助) — against the figures in force for its division on the day
(``contracts.standards``), so a household that qualifies for the living subsidy beside dibao
gets both reviews without a second application. Pure: the facts in, a result per programme out,
each amount in fen with the figures it was computed from and, when refused, the reasons in
Chinese the decision notice gives.

The rules, and why they are so:
- **dibao** is the difference (差额): (the local standard − the household's per-capita counted
  income) × members, the per-capita income in whole fen rounded down (in the household's
  favour), as civil affairs enrols it. Refused at or above the standard, or when the
  household's assets exceed the local limits.
- **tekun** is for people who cannot work, have no income of their own above the dibao standard
  and no supporter able to support them (无劳动能力、无生活来源、无法定义务人或义务人无履行能力).
  It is assessed for the household as a whole (every member must qualify: 单人保 of one member
  is not modelled) and excludes dibao; each member gets the tekun standard (centralised or not)
  and, where the division publishes care tiers, the care standard for their self-care ability.
- **low income** is a status, not a payment: neither dibao nor tekun, counted income (rigid
  spending deducted where the rule says) below the low-income line, assets within the limits.
- **living subsidy**: a member with a disability card in a dibao or low-income household; a
  tekun person is supported in full and does not get it (国发〔2015〕52号).
- **nursing subsidy**: a member with a grade the division pays for — grade 1–2, or 3–4 when the
  disability is intellectual or mental — whatever the household's income.
- **temporary aid**: for a spending shock the household reports; urgent cases are paid first
  (先行救助) up to the emergency cap a person; otherwise the township approves up to its cap and
  the county above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.standards import Figure, LocalFigures, SpendingKind

__all__ = [
    "Approver",
    "Assessment",
    "DisabilityCategory",
    "HouseholdFacts",
    "Member",
    "MemberAmount",
    "Programme",
    "ProgrammeResult",
    "SelfCare",
    "assess",
    "yuan",
]

SelfCare = Literal["able", "partly", "unable"]
DisabilityCategory = Literal[
    "visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"
]
Approver = Literal["township", "county"]
Fen = Annotated[int, Field(ge=0)]

# Grades 3–4 get the nursing subsidy only for these categories (国发〔2015〕52号).
_NURSED_AT_ANY_GRADE = frozenset({"intellectual", "mental"})


class Programme(StrEnum):
    DIBAO = "dibao"
    TEKUN = "tekun"
    LOW_INCOME = "low_income"
    LIVING_SUBSIDY = "living_subsidy"
    NURSING_SUBSIDY = "nursing_subsidy"
    TEMPORARY_AID = "temporary_aid"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Member(_Frozen):
    """One person of the household as the home visit and the records found them."""

    member_id: Annotated[str, Field(min_length=1, max_length=64)]
    able_to_work: bool
    disability_grade: Annotated[int, Field(ge=1, le=4)] | None = None
    disability_category: DisabilityCategory | None = None
    self_care: SelfCare = "able"
    # A legal supporter (法定赡养、抚养、扶养义务人) able to support them.
    supported: bool = False


class HouseholdFacts(_Frozen):
    """What the assessment is given: the roster, the economic check's totals, the home visit's
    findings and the application's own claims (a spending shock, urgency, centralised care)."""

    division: Annotated[str, Field(pattern=r"^\d{6}$")]
    urban: bool
    members: Annotated[tuple[Member, ...], Field(min_length=1, max_length=12)]
    monthly_income_fen: Fen
    rigid_spending_fen: dict[SpendingKind, Fen] = {}
    financial_assets_fen: Fen = 0
    homes: Annotated[int, Field(ge=0)] = 0
    vehicles: Annotated[int, Field(ge=0)] = 0
    businesses: Annotated[int, Field(ge=0)] = 0
    centralised: bool = False
    shock_fen: Fen = 0
    urgent: bool = False


class MemberAmount(_Frozen):
    """What one member gets a month from a programme paid per person, and from which figures."""

    member_id: str
    monthly_fen: Fen
    basis: tuple[Figure, ...]


class ProgrammeResult(_Frozen):
    """One programme's result: granted or not, the amount (a month, or once for temporary aid),
    who approves it, the figures it came from, and the reasons when refused."""

    programme: Programme
    eligible: bool
    monthly_fen: Fen = 0
    once_fen: Fen = 0
    members: tuple[MemberAmount, ...] = ()
    approver: Approver | None = None
    basis: tuple[Figure, ...] = ()
    reasons: tuple[str, ...] = ()


class Assessment(_Frozen):
    """Every programme's result for one household, with the figures' division and day."""

    division: str
    on: date
    counted_income_fen: Fen
    results: dict[Programme, ProgrammeResult]

    def result(self, programme: Programme) -> ProgrammeResult:
        return self.results[programme]

    @property
    def granted(self) -> tuple[Programme, ...]:
        return tuple(p for p, r in self.results.items() if r.eligible)


def yuan(fen: int) -> str:
    """An amount as the notices write it: ``710.00``."""
    return f"{fen // 100}.{fen % 100:02d}"


def assess(facts: HouseholdFacts, figures: LocalFigures) -> Assessment:
    """Every programme for ``facts`` against ``figures`` (its division's, on the day)."""
    tekun = _tekun(facts, figures)
    dibao = _dibao(facts, figures, tekun.eligible)
    low = _low_income(facts, figures, dibao.eligible or tekun.eligible)
    poor = dibao.eligible or low.eligible
    results = [
        dibao,
        tekun,
        low,
        _living_subsidy(facts, figures, poor, tekun.eligible),
        _nursing_subsidy(facts, figures),
        _temporary_aid(facts, figures, poor or tekun.eligible),
    ]
    return Assessment(
        division=figures.division,
        on=figures.on,
        counted_income_fen=_counted(facts, figures, for_dibao=True),
        results={result.programme: result for result in results},
    )


def _counted(facts: HouseholdFacts, figures: LocalFigures, *, for_dibao: bool) -> int:
    """The household's monthly income as the rule counts it: rigid spending of the kinds the
    division deducts taken off, for the assessment that deducts it, never below zero."""
    rule = figures.rigid_spending
    deducted = rule.deducted_for_dibao if for_dibao else rule.deducted_for_low_income
    if not deducted:
        return facts.monthly_income_fen
    spending = sum(facts.rigid_spending_fen.get(kind, 0) for kind in rule.kinds)
    return max(0, facts.monthly_income_fen - spending)


def _asset_reasons(facts: HouseholdFacts, figures: LocalFigures) -> list[str]:
    limits = figures.assets
    n = len(facts.members)
    reasons = []
    financial_limit = limits.financial_months_of_dibao * figures.dibao(facts.urban).fen * n
    if facts.financial_assets_fen > financial_limit:
        reasons.append(
            f"家庭金融资产{yuan(facts.financial_assets_fen)}元，超过当地规定的"
            f"{yuan(financial_limit)}元（人均{limits.financial_months_of_dibao}个月低保标准）"
        )
    if facts.homes > limits.homes:
        reasons.append(f"家庭拥有住房{facts.homes}套，超过当地规定的{limits.homes}套")
    if facts.vehicles > limits.vehicles:
        reasons.append(f"家庭拥有机动车辆{facts.vehicles}辆，超过当地规定")
    if facts.businesses > limits.businesses:
        reasons.append(f"家庭成员登记经营企业或个体工商户{facts.businesses}户，超过当地规定")
    return reasons


def _dibao(facts: HouseholdFacts, figures: LocalFigures, tekun: bool) -> ProgrammeResult:
    standard = figures.dibao(facts.urban)
    n = len(facts.members)
    counted = _counted(facts, figures, for_dibao=True)
    reasons = _asset_reasons(facts, figures)
    if counted >= standard.fen * n:
        reasons.insert(
            0,
            f"家庭人均收入{yuan(counted // n)}元，不低于当地低保标准{yuan(standard.fen)}元",
        )
    if tekun:
        reasons = ["已认定为特困人员，不重复享受低保"]
    if reasons:
        return _refused(Programme.DIBAO, reasons, standard)
    return ProgrammeResult(
        programme=Programme.DIBAO,
        eligible=True,
        monthly_fen=(standard.fen - counted // n) * n,
        approver="county",
        basis=(standard,),
    )


def _tekun_reasons(facts: HouseholdFacts, figures: LocalFigures) -> list[str]:
    reasons = []
    if any(member.able_to_work for member in facts.members):
        reasons.append("家庭成员具有劳动能力")
    if any(member.supported for member in facts.members):
        reasons.append("有具备履行能力的法定赡养、抚养、扶养义务人")
    standard = figures.dibao(facts.urban)
    n = len(facts.members)
    if facts.monthly_income_fen >= standard.fen * n:
        reasons.append(
            f"人均收入{yuan(facts.monthly_income_fen // n)}元，不低于当地低保标准"
            f"{yuan(standard.fen)}元"
        )
    return reasons + _asset_reasons(facts, figures)


def _tekun(facts: HouseholdFacts, figures: LocalFigures) -> ProgrammeResult:
    living = figures.tekun(facts.urban, facts.centralised)
    reasons = _tekun_reasons(facts, figures)
    if reasons:
        return _refused(Programme.TEKUN, reasons, living)
    members = tuple(_tekun_member(member, living, figures) for member in facts.members)
    return ProgrammeResult(
        programme=Programme.TEKUN,
        eligible=True,
        monthly_fen=sum(member.monthly_fen for member in members),
        members=members,
        approver="county",
        basis=_unique(figure for member in members for figure in member.basis),
    )


def _tekun_member(member: Member, living: Figure, figures: LocalFigures) -> MemberAmount:
    tiers = figures.care_tiers
    if tiers is None:
        return MemberAmount(member_id=member.member_id, monthly_fen=living.fen, basis=(living,))
    care = {"unable": tiers.unable, "partly": tiers.partly, "able": tiers.able}[member.self_care]
    return MemberAmount(
        member_id=member.member_id, monthly_fen=living.fen + care.fen, basis=(living, care)
    )


def _low_income(facts: HouseholdFacts, figures: LocalFigures, assisted: bool) -> ProgrammeResult:
    line = figures.low_income_line(facts.urban)
    n = len(facts.members)
    counted = _counted(facts, figures, for_dibao=False)
    reasons = _asset_reasons(facts, figures)
    if counted >= line.fen * n:
        reasons.insert(
            0, f"家庭人均收入{yuan(counted // n)}元，不低于当地低保边缘标准{yuan(line.fen)}元"
        )
    if assisted:
        reasons = ["已纳入低保或特困救助供养，无需认定低保边缘家庭"]
    if reasons:
        return _refused(Programme.LOW_INCOME, reasons, line)
    return ProgrammeResult(
        programme=Programme.LOW_INCOME, eligible=True, approver="county", basis=(line,)
    )


def _living_subsidy(
    facts: HouseholdFacts, figures: LocalFigures, poor: bool, tekun: bool
) -> ProgrammeResult:
    subsidy = figures.living_subsidy
    disabled = [member for member in facts.members if member.disability_grade is not None]
    reasons = []
    if not disabled:
        reasons.append("家庭成员中无持证残疾人")
    elif tekun:
        reasons.append("特困人员已全额救助供养，不享受困难残疾人生活补贴")
    elif not poor:
        reasons.append("家庭未纳入低保或低保边缘家庭")
    if reasons:
        return _refused(Programme.LIVING_SUBSIDY, reasons, subsidy)
    return _per_member(Programme.LIVING_SUBSIDY, [(member, subsidy) for member in disabled])


def _nursing_grade(member: Member, figures: LocalFigures) -> Figure | None:
    grade = member.disability_grade
    if grade is None or grade not in figures.nursing_subsidy:
        return None
    if grade > 2 and member.disability_category not in _NURSED_AT_ANY_GRADE:
        return None
    return figures.nursing_subsidy[grade]


def _nursing_subsidy(facts: HouseholdFacts, figures: LocalFigures) -> ProgrammeResult:
    nursed = [
        (member, figure)
        for member in facts.members
        if (figure := _nursing_grade(member, figures)) is not None
    ]
    if not nursed:
        reasons = ["家庭成员中无一至二级残疾人（或三至四级智力、精神残疾人）"]
        return _refused(Programme.NURSING_SUBSIDY, reasons, *figures.nursing_subsidy.values())
    return _per_member(Programme.NURSING_SUBSIDY, nursed)


def _per_member(programme: Programme, amounts: list[tuple[Member, Figure]]) -> ProgrammeResult:
    members = tuple(
        MemberAmount(member_id=member.member_id, monthly_fen=figure.fen, basis=(figure,))
        for member, figure in amounts
    )
    return ProgrammeResult(
        programme=programme,
        eligible=True,
        monthly_fen=sum(member.monthly_fen for member in members),
        members=members,
        approver="county",
        basis=_unique(figure for _, figure in amounts),
    )


def _temporary_aid(facts: HouseholdFacts, figures: LocalFigures, poor: bool) -> ProgrammeResult:
    township = figures.township_cap
    if facts.shock_fen == 0:
        return _refused(Programme.TEMPORARY_AID, ["未申请临时救助"], township)
    if facts.urgent:
        # 先行救助: paid at once up to the emergency cap a person; the rest waits for the proof.
        cap = figures.emergency_cap_per_person
        amount = min(facts.shock_fen, cap.fen * len(facts.members))
        return ProgrammeResult(
            programme=Programme.TEMPORARY_AID,
            eligible=True,
            once_fen=amount,
            approver="township",
            basis=(cap,),
        )
    if not poor:
        reasons = ["家庭不属于低保、特困或低保边缘家庭，且未因突发事件陷入困境"]
        return _refused(Programme.TEMPORARY_AID, reasons, township)
    return ProgrammeResult(
        programme=Programme.TEMPORARY_AID,
        eligible=True,
        once_fen=facts.shock_fen,
        approver="township" if facts.shock_fen <= township.fen else "county",
        basis=(township,),
    )


def _refused(programme: Programme, reasons: list[str], *basis: Figure) -> ProgrammeResult:
    return ProgrammeResult(
        programme=programme, eligible=False, basis=_unique(basis), reasons=tuple(reasons)
    )


def _unique(figures: Iterable[Figure]) -> tuple[Figure, ...]:
    return tuple(dict.fromkeys(figures))
