"""Money as Decimal: parsing, rounding and formatting; never float arithmetic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def to_money(value: object) -> Decimal:
    """A Decimal rounded to cents from an int, str, Decimal or float literal; ValueError otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not an amount: {value!r}")
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str) -> str:
    """'$89.99' for USD, '89.99 CHF' where no symbol is known."""
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{amount:,}" if symbol else f"{amount:,} {currency.upper()}"


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """`percent` % of `amount`, rounded half up to cents."""
    return (amount * percent / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
