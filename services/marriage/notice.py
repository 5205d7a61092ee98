"""Who hears the marriage and divorce notices: both parties, whose names are on the form."""

from __future__ import annotations

from contracts.marriage import PARTIES
from saga.definition import Context

__all__ = ["DIVORCE", "MARRIAGE", "recipients"]

MARRIAGE, DIVORCE = "marriage", "divorce"


def recipients(ctx: Context) -> list[str | None]:
    """Both parties' resident IDs (sealed, as the case data holds them)."""
    parties = [ctx.data.get(party) for party in PARTIES]
    return [party.get("resident_id") if isinstance(party, dict) else None for party in parties]
