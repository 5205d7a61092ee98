"""What the home visit and community appraisal find (H3), as the clerk records it.

The visit is where the township sees who can work, who has a disability card and how far each
member can look after themselves, and where the community's appraisal (民主评议) is heard — facts
no register holds. The clerk completes the ``visit_findings`` task with them (its ``task_form``),
member by member in the roster's order; the window checks the form and the assessment reads it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contracts.assistance import MAX_MEMBERS
from contracts.fields import OneLineText
from services.assistance.assessment import DisabilityCategory, SelfCare

__all__ = ["HomeVisitFindings", "MemberFindings"]


class MemberFindings(BaseModel):
    """One member as the visit found them, in the roster's order."""

    model_config = ConfigDict(extra="forbid")

    able_to_work: bool
    disability_grade: Annotated[int, Field(ge=1, le=4)] | None = None
    disability_category: DisabilityCategory | None = None
    self_care: SelfCare = "able"
    supported: bool = Field(
        default=False,
        description="Has a legal supporter (赡养、抚养、扶养义务人) able to support them",
    )


class HomeVisitFindings(BaseModel):
    """The visit's findings and the appraisal's conclusion."""

    model_config = ConfigDict(extra="forbid")

    members: Annotated[list[MemberFindings], Field(min_length=1, max_length=MAX_MEMBERS)]
    irregular_income: bool = Field(
        default=False,
        description="Income that varies from month to month: reviewed every 6 months, not yearly",
    )
    appraisal: Annotated[OneLineText, Field(min_length=1, max_length=300)]
