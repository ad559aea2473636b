"""Coupon rules: pure, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from store.errors import CouponInvalid
from store.promotions import CouponTerms, coupon_discount, normalize_code

NOW = dt.datetime(2024, 6, 15, 12, 0, 0)


def terms(**changes: object) -> CouponTerms:
    base = dict(code="SAVE10", kind="percent", value=Decimal("10"))
    base.update(changes)
    return CouponTerms(**base)


@pytest.mark.parametrize(
    ("subtotal", "expected"),
    [("100.00", "10.00"), ("0.05", "0.01"), ("0.04", "0.00"), ("19.99", "2.00"), ("12.345", "1.23"), ("0", "0.00")],
)
def test_percent_is_rounded_half_up_to_cents(subtotal: str, expected: str) -> None:
    assert coupon_discount(terms(), Decimal(subtotal), NOW) == Decimal(expected)


def test_percent_discount_has_two_decimal_places() -> None:
    result = coupon_discount(terms(value=Decimal("15")), Decimal("33.33"), NOW)
    assert result == Decimal("5.00")
    assert result.as_tuple().exponent == -2


def test_hundred_percent_is_the_whole_subtotal() -> None:
    assert coupon_discount(terms(value=Decimal("100")), Decimal("42.50"), NOW) == Decimal("42.50")


def test_fixed_amount_is_taken_off() -> None:
    assert coupon_discount(terms(kind="fixed", value=Decimal("5.00")), Decimal("30.00"), NOW) == Decimal("5.00")


def test_fixed_amount_is_capped_at_the_subtotal() -> None:
    assert coupon_discount(terms(kind="fixed", value=Decimal("25.00")), Decimal("19.99"), NOW) == Decimal("19.99")


def test_inactive_coupon_is_refused() -> None:
    with pytest.raises(CouponInvalid) as err:
        coupon_discount(terms(active=False), Decimal("50"), NOW)
    assert err.value.reason == "inactive"
    assert err.value.code == "SAVE10"


def test_coupon_before_its_start_is_refused() -> None:
    with pytest.raises(CouponInvalid) as err:
        coupon_discount(terms(starts_at=NOW + dt.timedelta(seconds=1)), Decimal("50"), NOW)
    assert err.value.reason == "not_started"


def test_coupon_works_from_its_start() -> None:
    assert coupon_discount(terms(starts_at=NOW), Decimal("50"), NOW) == Decimal("5.00")


def test_coupon_expires_at_its_expiry_moment() -> None:
    assert coupon_discount(terms(expires_at=NOW + dt.timedelta(seconds=1)), Decimal("50"), NOW) == Decimal("5.00")
    with pytest.raises(CouponInvalid) as err:
        coupon_discount(terms(expires_at=NOW), Decimal("50"), NOW)
    assert err.value.reason == "expired"


def test_aware_times_are_compared_in_utc() -> None:
    paris = dt.timezone(dt.timedelta(hours=2))
    # 13:00 in Paris is 11:00 UTC: before NOW (12:00 UTC), so expired.
    with pytest.raises(CouponInvalid) as err:
        coupon_discount(terms(expires_at=dt.datetime(2024, 6, 15, 13, 0, tzinfo=paris)), Decimal("50"), NOW)
    assert err.value.reason == "expired"
    aware_now = NOW.replace(tzinfo=dt.timezone.utc)
    assert coupon_discount(terms(expires_at=NOW + dt.timedelta(hours=1)), Decimal("50"), aware_now) == Decimal("5.00")


def test_used_up_coupon_is_refused() -> None:
    assert coupon_discount(terms(max_redemptions=3, times_redeemed=2), Decimal("50"), NOW) == Decimal("5.00")
    with pytest.raises(CouponInvalid) as err:
        coupon_discount(terms(max_redemptions=3, times_redeemed=3), Decimal("50"), NOW)
    assert err.value.reason == "used_up"


def test_minimum_spend_is_inclusive_and_reported() -> None:
    coupon = terms(kind="fixed", value=Decimal("10.00"), min_subtotal=Decimal("50.00"))
    assert coupon_discount(coupon, Decimal("50.00"), NOW) == Decimal("10.00")
    with pytest.raises(CouponInvalid) as err:
        coupon_discount(coupon, Decimal("49.99"), NOW)
    assert err.value.reason == "min_spend"
    assert err.value.details["min_subtotal"] == Decimal("50.00")
    assert err.value.details["missing"] == Decimal("0.01")


def test_inactive_is_reported_before_expiry() -> None:
    with pytest.raises(CouponInvalid) as err:
        coupon_discount(terms(active=False, expires_at=NOW - dt.timedelta(days=1)), Decimal("50"), NOW)
    assert err.value.reason == "inactive"


@pytest.mark.parametrize(("raw", "code"), [("save10", "SAVE10"), (" Save 10 ", "SAVE10"), ("WELCOME-5", "WELCOME-5")])
def test_codes_are_normalised(raw: str, code: str) -> None:
    assert normalize_code(raw) == code
