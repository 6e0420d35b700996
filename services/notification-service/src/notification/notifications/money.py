"""Exact money for the e-mails: polyglot.common.v1.Money to Decimal and text, never through a float."""

from __future__ import annotations

from decimal import Decimal

from polyglot.common.v1.money_pb2 import Money

_NANOS = Decimal(1_000_000_000)
_CENTS = Decimal("0.01")


def to_decimal(money: Money) -> Decimal:
    return Decimal(money.units) + Decimal(money.nanos) / _NANOS


def format_amount(amount: Decimal, currency_code: str) -> str:
    """`USD 109.97`: two decimals at least, more only when the amount has them."""
    shown = amount.quantize(_CENTS) if amount == amount.quantize(_CENTS) else amount.normalize()
    return f"{currency_code} {shown}".strip()
