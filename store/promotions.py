"""Coupons: the pure discount rules, and reading or creating coupons in the database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from store.errors import CouponInvalid
from store.models import Coupon
from store.money import CENT, percent_of, to_money
from store.uow import UnitOfWork

KINDS = ("percent", "fixed")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,63}$")


@dataclass(frozen=True)
class CouponTerms:
    """A coupon's rules as plain values (code upper-case, money as Decimal, times naive UTC)."""

    code: str
    kind: str  # percent | fixed
    value: Decimal
    min_subtotal: Decimal = Decimal("0.00")
    starts_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    active: bool = True
    max_redemptions: int | None = None
    times_redeemed: int = 0
    description: str | None = None


def normalize_code(code: str) -> str:
    """A coupon code as stored: spaces removed, upper-case ('save 10' -> 'SAVE10')."""
    return re.sub(r"\s+", "", code or "").upper()


def as_naive_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` as naive UTC, the convention of every table (aware times are converted)."""
    if moment.tzinfo is not None:
        return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def coupon_discount(coupon: CouponTerms, subtotal: Decimal, now: dt.datetime) -> Decimal:
    """The discount `coupon` gives on `subtotal` at `now`; CouponInvalid with the reason when it does not apply."""
    now = as_naive_utc(now)
    if not coupon.active:
        raise CouponInvalid(coupon.code, "inactive")
    if coupon.starts_at is not None and now < as_naive_utc(coupon.starts_at):
        raise CouponInvalid(coupon.code, "not_started", starts_at=coupon.starts_at)
    if coupon.expires_at is not None and now >= as_naive_utc(coupon.expires_at):
        raise CouponInvalid(coupon.code, "expired", expires_at=coupon.expires_at)
    if coupon.max_redemptions is not None and coupon.times_redeemed >= coupon.max_redemptions:
        raise CouponInvalid(coupon.code, "used_up")
    subtotal = Decimal(subtotal).quantize(CENT)
    if subtotal < coupon.min_subtotal:
        raise CouponInvalid(coupon.code, "min_spend", min_subtotal=coupon.min_subtotal,
                            missing=coupon.min_subtotal - subtotal)
    if coupon.kind == "percent":
        discount = percent_of(subtotal, coupon.value)
    elif coupon.kind == "fixed":
        discount = Decimal(coupon.value).quantize(CENT)
    else:
        raise ValueError(f"unknown coupon kind {coupon.kind!r}")
    return max(Decimal("0.00"), min(discount, subtotal))


def _terms(row: Coupon) -> CouponTerms:
    return CouponTerms(
        code=row.code,
        kind=row.kind,
        value=Decimal(row.value).quantize(CENT),
        min_subtotal=Decimal(row.min_subtotal or 0).quantize(CENT),
        starts_at=row.starts_at,
        expires_at=row.expires_at,
        active=bool(row.active),
        max_redemptions=row.max_redemptions,
        times_redeemed=row.times_redeemed or 0,
        description=row.description,
    )


def load_coupon(code: str, uow: UnitOfWork) -> CouponTerms:
    """The coupon with that code (case- and space-insensitive); CouponInvalid 'unknown' when there is none."""
    normalized = normalize_code(code)
    row = None
    if normalized:
        row = uow.session.execute(select(Coupon).where(Coupon.code == normalized)).scalar_one_or_none()
    if row is None:
        raise CouponInvalid(normalized or (code or "").strip(), "unknown")
    return _terms(row)


def create_coupon(uow: UnitOfWork, code: str, kind: str, value: Decimal | str | int, *,
                  min_subtotal: Decimal | str | int = 0, starts_at: dt.datetime | None = None,
                  expires_at: dt.datetime | None = None, max_redemptions: int | None = None,
                  description: str | None = None) -> CouponTerms:
    """Store a new coupon and commit; ValueError for bad terms or a code that already exists."""
    normalized = normalize_code(code)
    if not _CODE.match(normalized):
        raise ValueError(f"coupon code must be 1-64 letters, digits, - or _: {code!r}")
    if kind not in KINDS:
        raise ValueError(f"coupon kind must be one of {', '.join(KINDS)}: {kind!r}")
    amount = to_money(value)
    if amount <= 0 or (kind == "percent" and amount > 100):
        raise ValueError(f"coupon value out of range for a {kind} coupon: {value!r}")
    minimum = to_money(min_subtotal)
    if minimum < 0:
        raise ValueError(f"min_subtotal must not be negative: {min_subtotal!r}")
    starts = as_naive_utc(starts_at) if starts_at else None
    expires = as_naive_utc(expires_at) if expires_at else None
    if starts and expires and expires <= starts:
        raise ValueError("a coupon must expire after it starts")
    if max_redemptions is not None and (isinstance(max_redemptions, bool) or max_redemptions < 1):
        raise ValueError(f"max_redemptions must be at least 1: {max_redemptions!r}")
    exists = uow.session.execute(select(Coupon.id).where(Coupon.code == normalized)).first()
    if exists:
        raise ValueError(f"coupon {normalized} already exists")
    row = Coupon(code=normalized, kind=kind, value=amount, min_subtotal=minimum, starts_at=starts,
                 expires_at=expires, active=True, max_redemptions=max_redemptions, times_redeemed=0,
                 description=(description or "").strip()[:300] or None)
    uow.session.add(row)
    uow.commit()
    return _terms(row)
