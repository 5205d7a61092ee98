"""Who hears the assistance notices: the applicant, the member of the roster marked ``self``."""

from __future__ import annotations

from saga.definition import Context

__all__ = ["ASSISTANCE", "recipients"]

ASSISTANCE = "assistance"


def recipients(ctx: Context) -> list[str | None]:
    """The applicant's resident ID (sealed, as the case data holds it)."""
    return [
        member.get("resident_id")
        for member in ctx.data.get("members", [])
        if isinstance(member, dict) and member.get("relation") == "self"
    ]
