"""Returns: who may return what, when, and how much is refunded."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from store.cart import add_item, apply_coupon
from store.config import ROOT
from store.errors import OrderNotFound, ReturnNotAllowed
from store.models import ReturnLine, ReturnRequest
from store.orders import advance_order, cancel_order, get_order, place_order, request_return
from store.policies import load_policies
from store.promotions import create_coupon
from store.types import OrderView, ReturnView
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AddProduct = Callable[..., str]
PLACED = dt.datetime(2024, 5, 1, 9, 0)
DELIVERED = dt.datetime(2024, 5, 6, 15, 30)
EMAIL = "bo@example.com"


@pytest.fixture
def shop(add_product: AddProduct) -> None:
    add_product("A-1", "Alpha", price="30.00", stock=10)
    add_product("B-1", "Beta", price="20.00", stock=10)
    add_product("C-1", "Gamma", price="10.00", stock=10)
    add_product("TEE-1", "Tee", price="10.00", variants=[("white", "S", 5), ("white", "M", 5)])


def order_of(uow_factory: UowFactory, items: list[tuple[str, int]], *, coupon: tuple[str, str, str] | None = None,
             sender: str = "s1", deliver: bool = True) -> OrderView:
    """Place an order for `items` (sku, quantity), optionally with a coupon (code, kind, value), and deliver it."""
    with uow_factory() as uow:
        for sku, quantity in items:
            add_item(sender, sku, quantity, uow)
        if coupon:
            create_coupon(uow, coupon[0], coupon[1], Decimal(coupon[2]))
            apply_coupon(sender, coupon[0], uow, now=PLACED)
        order = place_order(sender, EMAIL, "1 Harbour Road, Portsmouth", "standard", uow, now=PLACED)
        if deliver:
            advance_order(order.order_id, "paid", uow, now=PLACED)
            advance_order(order.order_id, "shipped", uow, carrier="DHL", tracking_number="JD0001", now=PLACED)
            order = advance_order(order.order_id, "delivered", uow, now=DELIVERED)
    return order


def ret(uow_factory: UowFactory, order: OrderView, reason: str = "too small", *, now: dt.datetime | None = None,
        **kwargs: object) -> ReturnView:
    kwargs.setdefault("sender_id", "s1")
    with uow_factory() as uow:
        return request_return(order.order_id, reason, uow, now=now or DELIVERED + dt.timedelta(days=3), **kwargs)


def refusal(uow_factory: UowFactory, order: OrderView, **kwargs: object) -> ReturnNotAllowed:
    with pytest.raises(ReturnNotAllowed) as err:
        ret(uow_factory, order, **kwargs)
    return err.value


def test_return_the_whole_order(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1), ("B-1", 2)])
    now = DELIVERED + dt.timedelta(days=2)
    result = ret(uow_factory, order, "  Doesn't   fit ", now=now)
    assert re.fullmatch(r"R-\d{6}", result.return_id)
    assert result.order_id == order.order_id and result.status == "requested"
    assert result.reason == "Doesn't fit" and result.currency == "USD"
    assert [(i.sku, i.quantity, i.unit_price) for i in result.items] == [("A-1", 1, Decimal("30.00")),
                                                                        ("B-1", 2, Decimal("20.00"))]
    assert result.refund_amount == Decimal("70.00")  # shipping is not refunded (it was free anyway)
    with uow_factory() as uow:
        stored = uow.session.execute(select(ReturnRequest)).scalar_one()
        assert (stored.return_number, stored.refund_amount, len(stored.lines)) == (result.return_id,
                                                                                    Decimal("70.00"), 2)
        history = get_order(order.order_id, uow, sender_id="s1").history
    assert history[-1] == ("return_requested", now)


def test_refund_excludes_shipping(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("C-1", 1)])
    assert order.shipping_cost == Decimal("4.99")
    assert ret(uow_factory, order).refund_amount == Decimal("10.00")


def test_return_by_order_number_and_email(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1)])
    result = ret(uow_factory, order, sender_id=None, email=" BO@example.com")
    assert result.refund_amount == Decimal("30.00")
    other = order_of(uow_factory, [("B-1", 1)], sender="s2")
    digits = other.order_id.split("-")[1]
    with uow_factory() as uow:
        assert request_return(digits, "broken", uow, email=EMAIL, now=DELIVERED).order_id == other.order_id


def test_returns_follow_the_privacy_rule(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1)])
    for who in ({"sender_id": "someone-else"}, {"sender_id": None, "email": "eve@example.com"},
                {"sender_id": None}):
        with pytest.raises(OrderNotFound):
            ret(uow_factory, order, **who)
    with pytest.raises(OrderNotFound):
        with uow_factory() as uow:
            request_return("CE-999999" if order.order_id != "CE-999999" else "CE-999998", "x", uow, sender_id="s1")
    with uow_factory() as uow:
        assert uow.session.execute(select(func.count(ReturnRequest.id))).scalar_one() == 0


def test_only_delivered_orders_can_be_returned(uow_factory: UowFactory, shop: None) -> None:
    waiting = order_of(uow_factory, [("A-1", 1)], deliver=False)
    err = refusal(uow_factory, waiting)
    assert err.reason == "not_delivered" and err.order_id == waiting.order_id
    with uow_factory() as uow:
        advance_order(waiting.order_id, "paid", uow)
        advance_order(waiting.order_id, "shipped", uow, carrier="DHL", tracking_number="JD1")
    assert refusal(uow_factory, waiting).reason == "not_delivered"
    cancelled = order_of(uow_factory, [("B-1", 1)], sender="s2", deliver=False)
    with uow_factory() as uow:
        cancel_order(cancelled.order_id, uow, sender_id="s2")
    assert refusal(uow_factory, cancelled, sender_id="s2").reason == "cancelled"


@pytest.mark.parametrize(("after", "allowed"), [
    (dt.timedelta(0), True),
    (dt.timedelta(days=29), True),
    (dt.timedelta(days=30), True),
    (dt.timedelta(days=30, hours=8, minutes=29), True),  # 23:59 on the 30th day after delivery
    (dt.timedelta(days=30, hours=8, minutes=31), False),  # 00:01 on the 31st day
    (dt.timedelta(days=45), False),
])
def test_return_window_boundaries(uow_factory: UowFactory, shop: None, after: dt.timedelta, allowed: bool) -> None:
    order = order_of(uow_factory, [("A-1", 1)])
    now = DELIVERED + after
    if allowed:
        assert ret(uow_factory, order, now=now).refund_amount == Decimal("30.00")
    else:
        err = refusal(uow_factory, order, now=now)
        assert err.reason == "window_closed" and err.details["days"] == 30


def test_return_window_comes_from_the_policies_file(uow_factory: UowFactory, shop: None, tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / "store_policies.yml").read_text(encoding="utf-8"))
    raw["return_window_days"] = 7
    path = tmp_path / "policies.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    policies = load_policies(path)
    order = order_of(uow_factory, [("A-1", 1)])
    err = refusal(uow_factory, order, now=DELIVERED + dt.timedelta(days=8), policies=policies)
    assert err.reason == "window_closed" and err.details["days"] == 7
    assert ret(uow_factory, order, now=DELIVERED + dt.timedelta(days=7), policies=policies).refund_amount


def test_an_item_cannot_be_returned_twice(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1), ("B-1", 1)])
    first = ret(uow_factory, order, skus=["a-1"])
    assert [i.sku for i in first.items] == ["A-1"] and first.refund_amount == Decimal("30.00")
    err = refusal(uow_factory, order, skus=["A-1"])
    assert err.reason == "already_returned" and err.details["skus"] == ["A-1"]
    rest = ret(uow_factory, order)  # the whole order: only what is left
    assert [i.sku for i in rest.items] == ["B-1"] and rest.refund_amount == Decimal("20.00")
    assert refusal(uow_factory, order).reason == "already_returned"
    with uow_factory() as uow:
        assert uow.session.execute(select(func.sum(ReturnLine.quantity))).scalar_one() == 2


def test_skus_must_be_in_the_order(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1)])
    err = refusal(uow_factory, order, skus=["C-1"])
    assert err.reason == "no_matching_item" and err.details["skus"] == ["C-1"]
    assert refusal(uow_factory, order, skus=["c-1"]).details["skus"] == ["c-1"]
    assert refusal(uow_factory, order, skus=["A-1", "ZZZ"]).reason == "no_matching_item"
    assert refusal(uow_factory, order, skus=["  "]).reason == "no_matching_item"


def test_every_variant_line_of_a_sku_is_returned(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "TEE-1", 1, uow, size="S")
        add_item("s1", "TEE-1", 2, uow, size="M")
    order = order_of(uow_factory, [("C-1", 1)])
    result = ret(uow_factory, order, skus=["TEE-1"])
    assert [(i.size, i.quantity) for i in result.items] == [("S", 1), ("M", 2)]
    assert result.refund_amount == Decimal("30.00")


def test_a_reason_is_required_and_bounded(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1)])
    for empty in ("", "   \n "):
        with pytest.raises(ValueError):
            ret(uow_factory, order, empty)
    result = ret(uow_factory, order, "word " * 200)
    assert len(result.reason) == 500


def test_refund_takes_off_a_proportional_share_of_the_discount(uow_factory: UowFactory, shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1), ("B-1", 1)], coupon=("TENOFF", "percent", "10"))
    assert (order.subtotal, order.discount) == (Decimal("50.00"), Decimal("5.00"))
    assert ret(uow_factory, order, skus=["A-1"]).refund_amount == Decimal("27.00")
    assert ret(uow_factory, order, skus=["B-1"]).refund_amount == Decimal("18.00")


def test_discount_shares_add_up_to_the_discount(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "TEE-1", 1, uow, size="S")
    order = order_of(uow_factory, [("A-1", 1), ("B-1", 1), ("C-1", 1)], coupon=("TEN", "fixed", "10"))
    assert (order.subtotal, order.discount) == (Decimal("70.00"), Decimal("10.00"))
    refunds = [ret(uow_factory, order, skus=[sku]).refund_amount for sku in ("C-1", "TEE-1", "B-1", "A-1")]
    # 10 * 10/70 = 1.43 for each 10.00 line; the running rounding keeps the total exact
    assert refunds == [Decimal("8.57"), Decimal("8.57"), Decimal("17.15"), Decimal("25.71")]
    assert sum(refunds) == order.subtotal - order.discount


def test_a_whole_return_with_a_discount_refunds_what_was_paid_for_the_items(uow_factory: UowFactory,
                                                                          shop: None) -> None:
    order = order_of(uow_factory, [("A-1", 1), ("C-1", 2)], coupon=("THIRD", "percent", "33"))
    assert order.discount == Decimal("16.50")
    assert ret(uow_factory, order).refund_amount == order.subtotal - order.discount
