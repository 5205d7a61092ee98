"""The household as the assessment sees it, from the case: the roster of the application, the
answers of the economic-check sources (H2), the home visit's findings (H3).

Pure: every builder and predicate of the table that needs the assessment computes it here from
the same case data, so a command built again after a restart carries the same amounts. A source
that never answered (a clerk chose to go on without it) counts for nothing and is named in
``gaps``, so the proposed decision says what was not checked rather than hiding a zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from contracts.standards import default_standards
from saga.calendar import china_date
from saga.definition import Context
from services.assistance.assessment import Assessment, HouseholdFacts, Member, assess
from services.assistance.findings import HomeVisitFindings, MemberFindings

__all__ = [
    "SOURCE_STEPS",
    "VISIT_FINDINGS",
    "assessed_on",
    "assessment_of",
    "facts_of",
    "findings_of",
    "gaps",
    "member_ids",
]

# The economic-check sources, each a step of its own (H2), in the order the plans list them.
SOURCE_STEPS = (
    "check_hukou_vehicles",
    "check_employment_pension",
    "check_medical_spending",
    "check_tax",
    "check_real_estate",
    "check_business_registration",
    "check_housing_fund",
    "check_bank_deposits",
)
VISIT_FINDINGS = "visit_findings"
# Until the visit says otherwise, a member is taken to be able to work: the assessment then
# errs towards refusing tekun, which the visit can correct, never towards granting it.
_UNSEEN = MemberFindings(able_to_work=True)


def member_ids(ctx: Context) -> list[str]:
    """The roster's resident IDs (sealed, as the case data holds them), in order."""
    return [str(member["resident_id"]) for member in ctx.data.get("members", [])]


def findings_of(ctx: Context) -> HomeVisitFindings | None:
    found = ctx.results.get(VISIT_FINDINGS)
    return HomeVisitFindings.model_validate(found) if found else None


def gaps(ctx: Context) -> list[str]:
    """The sources that did not answer (their step skipped by a person), by step name."""
    return [step for step in SOURCE_STEPS if step in ctx.skipped]


def _answer(ctx: Context, step: str) -> Mapping[str, Any]:
    found = ctx.results.get(step)
    return found if isinstance(found, Mapping) else {}


def _fen(ctx: Context, step: str, field: str) -> int:
    return int(_answer(ctx, step).get(field, 0))


def facts_of(ctx: Context) -> HouseholdFacts:
    """The household's facts for the assessment, from the case as it stands."""
    findings = findings_of(ctx)
    seen = findings.members if findings else []
    members = tuple(
        Member(member_id=f"m{i}", **(seen[i] if i < len(seen) else _UNSEEN).model_dump())
        for i in range(len(member_ids(ctx)))
    )
    hardship = ctx.data.get("hardship") or {}
    income = (
        _fen(ctx, "check_tax", "monthly_income_fen")
        + _fen(ctx, "check_employment_pension", "monthly_pension_fen")
        + _fen(ctx, "check_employment_pension", "monthly_unemployment_fen")
    )
    return HouseholdFacts(
        division=ctx.division_code,
        urban=ctx.data.get("residence") == "urban",
        members=members,
        monthly_income_fen=income,
        rigid_spending_fen={
            "medical": _fen(ctx, "check_medical_spending", "monthly_out_of_pocket_fen")
        },
        financial_assets_fen=_fen(ctx, "check_bank_deposits", "deposits_fen"),
        homes=_fen(ctx, "check_real_estate", "homes"),
        vehicles=_fen(ctx, "check_hukou_vehicles", "vehicles"),
        businesses=_fen(ctx, "check_business_registration", "businesses"),
        centralised=ctx.data.get("centralised_care") is True,
        shock_fen=int(hardship.get("amount_fen", 0)),
        urgent=ctx.data.get("urgent") is True,
    )


def assessed_on(ctx: Context) -> date:
    """The day whose standards apply: the day the township received the application."""
    return china_date(ctx.received_at)


def assessment_of(ctx: Context) -> Assessment:
    """H4 for the case as it stands, against its division's standards on the day it was received."""
    figures = default_standards().figures(ctx.division_code, assessed_on(ctx))
    return assess(facts_of(ctx), figures)
