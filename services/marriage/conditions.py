"""The ``when`` predicates of the marriage tables, read from the couple's form (the case data)."""

from __future__ import annotations

from saga.definition import Context

__all__ = ["moves_hukou", "wants_fertility_registration", "wants_premarital_voucher"]


def _opt_ins(ctx: Context) -> dict[str, object]:
    chosen = ctx.data.get("opt_ins")
    return chosen if isinstance(chosen, dict) else {}


def wants_premarital_voucher(ctx: Context) -> bool:
    return _opt_ins(ctx).get("premarital_check_voucher") is True


def wants_fertility_registration(ctx: Context) -> bool:
    return _opt_ins(ctx).get("fertility_registration") is True


def moves_hukou(ctx: Context) -> bool:
    return _opt_ins(ctx).get("hukou_move") in ("party_a", "party_b")
