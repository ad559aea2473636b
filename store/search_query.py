"""A search's life in a conversation: refinements (cheaper, pricier, more), slot round-trips and descriptions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from store.config import get_settings
from store.money import CENT, format_money, to_money
from store.query_understanding import fold
from store.types import SearchQuery

SORTS = ("relevance", "price_asc", "price_desc", "rating")
MAX_LIMIT = 50

# ---------------------------------------------------------------------------------------------- refine

_REFINEMENTS = {
    "cheaper": "cheaper", "cheap": "cheaper", "less expensive": "cheaper",
    "lower price": "cheaper", "lower": "cheaper", "budget": "cheaper", "less": "cheaper",
    "pricier": "pricier", "more expensive": "pricier", "expensive": "pricier", "higher price": "pricier",
    "premium": "pricier", "better": "pricier", "higher end": "pricier", "fancier": "pricier",
    "more": "more", "next": "more", "next page": "more", "show more": "more", "others": "more", "other": "more",
    "more results": "more", "more options": "more",
    "cheapest": "cheapest", "lowest price": "cheapest", "price low to high": "cheapest", "by price": "cheapest",
    "priciest": "priciest", "most expensive": "priciest", "highest price": "priciest", "price high to low": "priciest",
    "top rated": "top_rated", "top_rated": "top_rated", "best rated": "top_rated", "highest rated": "top_rated",
    "best reviewed": "top_rated", "by rating": "top_rated",
}
# Refinements that only change the order: the same products, from the first page.
SORT_REFINEMENTS = {"cheapest": "price_asc", "priciest": "price_desc", "top_rated": "rating"}
_QUERY_TEXT_FIELDS = ("text", "category", "subcategory", "brand", "color", "size")


def _average(prices: list[Decimal]) -> Decimal | None:
    values = [to_money(p) for p in prices if p is not None]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def _apply_changes(query: SearchQuery, changes: Mapping[str, object]) -> SearchQuery:
    """`changes` over the query: a None value clears that filter, a bad value is ignored."""
    values: dict[str, object] = {}
    for name, value in changes.items():
        if name in _QUERY_TEXT_FIELDS:
            parsed: object = _text_value(value)
        elif name in ("price_min", "price_max"):
            parsed = _price_value(value)
        elif name == "sort":
            parsed = value if value in SORTS else None
        elif name == "in_stock_only":
            parsed = value if isinstance(value, bool) else None
        else:
            continue
        if parsed is None and value is not None:
            continue  # a bad value: keep what was there
        if parsed is None and name in ("sort", "in_stock_only"):
            continue
        values[name] = parsed
    if "category" in values and "subcategory" not in values:
        values["subcategory"] = None  # a new kind of product: the old narrower kind no longer applies
    if "subcategory" in values and "category" not in values and values["subcategory"] is not None:
        values["category"] = None
    return replace(query, **values)


def refine(previous: SearchQuery, *, refinement: str | None = None, changes: dict | None = None,
           shown_prices: list[Decimal] | None = None, page_size: int = 5) -> SearchQuery:
    """The next query of a conversation: earlier filters kept, `changes` applied, cheaper/pricier/more, or the
    same products in another order (cheapest, priciest, top rated first)."""
    query = _apply_changes(previous, changes) if isinstance(changes, Mapping) else previous
    kind = _REFINEMENTS.get(" ".join((refinement or "").lower().split()))
    average = _average(shown_prices or [])
    if kind in SORT_REFINEMENTS:
        return replace(query, sort=SORT_REFINEMENTS[kind], offset=0)
    if kind == "cheaper":
        reference = average if average is not None else query.price_max
        if reference is None:  # nothing to compare with: show the cheapest first
            query = replace(query, sort="price_asc")
        else:
            ceiling = max(reference - CENT, Decimal("0.00"))
            floor = query.price_min if query.price_min is not None and query.price_min <= ceiling else None
            query = replace(query, price_max=ceiling, price_min=floor)
    elif kind == "pricier":
        reference = average if average is not None else query.price_min
        if reference is None:
            query = replace(query, sort="price_desc")
        else:
            floor = reference + CENT
            ceiling = query.price_max if query.price_max is not None and query.price_max >= floor else None
            query = replace(query, price_min=floor, price_max=ceiling)
    if query != previous:
        return replace(query, offset=0)
    if kind == "more":
        return replace(query, offset=max(previous.offset, 0) + max(int(page_size), 1))
    return query


# ---------------------------------------------------------------------------------------------- slots and text


def query_to_dict(q: SearchQuery) -> dict:
    """A JSON-safe dict of the query (Decimals as strings, unset filters left out)."""
    result: dict[str, object] = {}
    for name in _QUERY_TEXT_FIELDS:
        value = getattr(q, name)
        if value:
            result[name] = value
    for name in ("price_min", "price_max"):
        value = getattr(q, name)
        if value is not None:
            result[name] = str(to_money(value))
    result.update(in_stock_only=bool(q.in_stock_only), sort=q.sort, offset=int(q.offset), limit=int(q.limit))
    return result


def _text_value(value: object) -> str | None:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:200]
    return value or None


def _price_value(value: object) -> Decimal | None:
    try:
        amount = to_money(value)
    except (ValueError, ArithmeticError):
        return None
    return amount if amount >= 0 else None


def _int_value(value: object, default: int, low: int, high: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        number = int(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        return default
    return number if low <= number <= high else default


def query_from_dict(d: dict) -> SearchQuery:
    """The query stored by `query_to_dict`; unknown keys are ignored and bad values dropped."""
    if not isinstance(d, Mapping):
        return SearchQuery()
    values: dict[str, object] = {name: _text_value(d.get(name)) for name in _QUERY_TEXT_FIELDS}
    values["price_min"] = _price_value(d.get("price_min"))
    values["price_max"] = _price_value(d.get("price_max"))
    stock = d.get("in_stock_only", True)
    if isinstance(stock, str):
        stock = stock.strip().lower() not in ("false", "0", "no", "off")
    values["in_stock_only"] = stock if isinstance(stock, bool) else True
    values["sort"] = d.get("sort") if d.get("sort") in SORTS else "relevance"
    values["offset"] = _int_value(d.get("offset"), 0, 0, 10_000)
    values["limit"] = _int_value(d.get("limit"), 5, 1, MAX_LIMIT)
    return SearchQuery(**values)  # type: ignore[arg-type]


def _amount_text(amount: Decimal, currency: str) -> str:
    shown = format_money(amount, currency)
    return shown.replace(".00", "") if amount == amount.to_integral_value() else shown


def describe(q: SearchQuery, *, currency: str | None = None) -> str:
    """A short plain description of the query, e.g. 'running shoes, brand Northpeak, blue, size 10, under $100'."""
    currency = currency or get_settings().currency
    subject = " ".join(filter(None, [q.text, q.subcategory or q.category]))
    if q.subcategory and q.category and fold(q.subcategory) != fold(q.category):
        subject = f"{subject} in {q.category}"
    parts = [subject] if subject else []
    if q.brand:
        parts.append(f"brand {q.brand}")
    if q.color:
        parts.append(q.color)
    if q.size:
        parts.append(f"size {q.size}")
    if q.price_min is not None and q.price_max is not None:
        parts.append(f"{_amount_text(q.price_min, currency)} to {_amount_text(q.price_max, currency)}")
    elif q.price_max is not None:
        parts.append(f"under {_amount_text(q.price_max, currency)}")
    elif q.price_min is not None:
        parts.append(f"over {_amount_text(q.price_min, currency)}")
    if q.sort == "price_asc":
        parts.append("cheapest first")
    elif q.sort == "price_desc":
        parts.append("most expensive first")
    elif q.sort == "rating":
        parts.append("best rated first")
    return ", ".join(parts) if parts else "all products"


__all__ = ["MAX_LIMIT", "SORTS", "describe", "query_from_dict", "query_to_dict", "refine"]
