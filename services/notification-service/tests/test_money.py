"""Money is exact: units + nanos to Decimal, never through a float."""

from __future__ import annotations

from decimal import Decimal

from notification.notifications.money import format_amount, to_decimal
from polyglot.common.v1.money_pb2 import Money


def test_to_decimal_sums_exactly() -> None:
    mug = to_decimal(Money(currency_code="USD", units=29, nanos=990_000_000))
    book = to_decimal(Money(currency_code="USD", units=49, nanos=990_000_000))
    assert 2 * mug + book == Decimal("109.97")


def test_to_decimal_negative_amount() -> None:
    assert to_decimal(Money(currency_code="EUR", units=-1, nanos=-500_000_000)) == Decimal("-1.5")


def test_format_amount_shows_cents_and_keeps_finer_digits() -> None:
    assert format_amount(Decimal("109.97"), "USD") == "USD 109.97"
    assert format_amount(Decimal("0"), "USD") == "USD 0.00"
    assert format_amount(Decimal("1.5"), "EUR") == "EUR 1.50"
    assert format_amount(Decimal("0.125"), "USD") == "USD 0.125"
