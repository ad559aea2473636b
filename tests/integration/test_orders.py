"""Placing, reading, cancelling and advancing orders (and handing off to a person) on SQLite."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from store.cart import add_item, apply_coupon, get_cart, remove_item
from store.config import get_settings
from store.errors import (
    CartEmpty,
    InvalidCheckoutDetails,
    OrderNotCancellable,
    OrderNotFound,
    OutOfStock,
    UnknownProduct,
)
from store.handoff import request_handoff
from store.models import Cart, Coupon, Customer, Handoff, Order, Product, Variant
from store.orders import (
    InvalidOrderTransition,
    add_business_days,
    advance_order,
    cancel_order,
    email_in_text,
    get_order,
    latest_order_for_sender,
    looks_like_address,
    normalize_order_number,
    order_placed_by,
    place_order,
    shipping_cost,
    validate_address,
    validate_email,
)
from store.policies import load_policies
from store.promotions import create_coupon
from store.types import OrderView, ShippingMethod
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AddProduct = Callable[..., str]
NOW = dt.datetime(2024, 6, 12, 10, 0)  # a Wednesday
ADDRESS = "12 Main Street, Springfield, 12345"
EMAIL = "Ana.Shopper@Example.com"


@pytest.fixture
def shop(add_product: AddProduct) -> None:
    add_product("MUG-1", "Coffee Mug", category="home & kitchen", price="12.50", stock=10)
    add_product("RUN-1", "Trail Runner", price="89.99", variants=[("blue", "9", 2), ("blue", "10", 1)])


def stock(uow_factory: UowFactory, sku: str, size: str = "") -> int:
    with uow_factory() as uow:
        return uow.session.execute(
            select(Variant.stock).join(Product).where(Product.sku == sku, Variant.size == size)
        ).scalar_one()


def order_count(uow_factory: UowFactory) -> int:
    with uow_factory() as uow:
        return uow.session.execute(select(func.count(Order.id))).scalar_one()


def checkout(uow_factory: UowFactory, sender: str = "s1", method: str = "standard", *,
             now: dt.datetime = NOW, email: str = EMAIL) -> OrderView:
    with uow_factory() as uow:
        return place_order(sender, email, ADDRESS, method, uow, now=now)


def buy(uow_factory: UowFactory, sender: str = "s1", sku: str = "MUG-1", quantity: int = 2, **variant: str) -> None:
    with uow_factory() as uow:
        add_item(sender, sku, quantity, uow, **variant)


# ----------------------------------------------------------------------------- checkout details


@pytest.mark.parametrize("email", ["ana@example.com", " Ana.B+shop@Mail.Example.co.uk ", "o'neil@x.io"])
def test_valid_emails(email: str) -> None:
    assert validate_email(email) == email.strip().lower()


@pytest.mark.parametrize("email", ["", "   ", "ana", "ana@", "@example.com", "ana@example", "ana@@example.com",
                                   "ana example@x.com", "ana@exa mple.com", "ana..b@x.com", ".ana@x.com",
                                   "ana@-x.com", "ana@x.c", "a" * 65 + "@x.com", None, 42])
def test_invalid_emails(email: object) -> None:
    with pytest.raises(InvalidCheckoutDetails) as err:
        validate_email(email)  # type: ignore[arg-type]
    assert err.value.field == "email"


def test_addresses_are_tidied_and_bounded() -> None:
    assert validate_address("  12 Main St\n  Springfield  \n\n 12345 ") == "12 Main St, Springfield, 12345"
    assert validate_address("1 A St") == "1 A St"
    for bad in ["", "    ", "abc", "-----", "x" * 501, None]:
        with pytest.raises(InvalidCheckoutDetails) as err:
            validate_address(bad)  # type: ignore[arg-type]
        assert err.value.field == "shipping_address"


@pytest.mark.parametrize(("text", "expected"), [
    ("my email is Ana.Lee@Example.com, thanks", "ana.lee@example.com"),
    ("<ana@example.com>", "ana@example.com"),
    ("ana@example.com.", "ana@example.com"),
    ("ana at example dot com", None),
    ("send it to @handle or a@b", None),
    ("", None),
])
def test_email_in_text(text: str, expected: str | None) -> None:
    assert email_in_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("12 Harbour Street, Springfield 40101", True),
    ("Flat 3, 7 Mill Lane, Leeds LS1 4AB", True),
    ("Rua das Flores 221, 4050-265 Porto", True),
    ("how long does delivery take to 40101?", False),
    ("do you ship to Canada", False),
    ("what is your returns policy", False),
    ("Harbour Street Springfield", False),
    ("40101", False),
    ("word " * 40 + "12", False),
])
def test_looks_like_address(text: str, expected: bool) -> None:
    assert looks_like_address(text) is expected


def test_shipping_cost_is_free_from_the_threshold() -> None:
    standard = ShippingMethod("standard", "Standard", Decimal("4.99"), Decimal("50.00"), 3, 5)
    express = ShippingMethod("express", "Express", Decimal("12.99"), None, 1, 2)
    assert shipping_cost(standard, Decimal("49.99")) == Decimal("4.99")
    assert shipping_cost(standard, Decimal("50.00")) == Decimal("0.00")
    assert shipping_cost(express, Decimal("500.00")) == Decimal("12.99")


def test_business_days_skip_weekends() -> None:
    friday = dt.date(2024, 6, 14)
    assert add_business_days(friday, 1) == dt.date(2024, 6, 17)
    assert add_business_days(dt.date(2024, 6, 12), 5) == dt.date(2024, 6, 19)


@pytest.mark.parametrize("text", ["CE-483920", "ce483920", "CE 483920", "483920", "#483920", " ce-483920 ",
                                  "order 483920", "Order #CE-483920", "order number ce483920"])
def test_order_numbers_are_normalised(text: str) -> None:
    assert normalize_order_number(text) == "CE-483920"


@pytest.mark.parametrize("text", ["", "48392", "4839201", "XY-483920", "hello", None])
def test_non_order_numbers(text: str | None) -> None:
    assert normalize_order_number(text) is None  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- place_order


def test_place_order_creates_the_order(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=2)
    buy(uow_factory, sku="RUN-1", quantity=1, size="9")
    order = checkout(uow_factory)
    assert re.fullmatch(r"CE-\d{6}", order.order_id)
    assert order.status == "awaiting_payment"
    assert [(i.sku, i.quantity, i.unit_price, i.color, i.size) for i in order.items] == [
        ("MUG-1", 2, Decimal("12.50"), None, None), ("RUN-1", 1, Decimal("89.99"), "blue", "9")]
    assert order.subtotal == Decimal("114.99") and order.discount == Decimal("0.00")
    assert order.shipping_cost == Decimal("0.00")  # standard is free over 50
    assert order.total == Decimal("114.99") and order.currency == "USD"
    assert order.email == "ana.shopper@example.com" and order.shipping_address == ADDRESS
    assert order.shipping_method == "standard"
    assert order.estimated_delivery == dt.date(2024, 6, 19)  # 5 business days after a Wednesday
    assert [s for s, _ in order.history] == ["placed", "awaiting_payment"]
    assert order.history[0][1] == NOW and order.placed_at == NOW
    base = get_settings().payment_link_base
    assert re.fullmatch(re.escape(f"{base}/{order.order_id}?token=") + r"[\w-]{16,}", order.payment_link)
    assert stock(uow_factory, "MUG-1") == 8 and stock(uow_factory, "RUN-1", "9") == 1
    with uow_factory() as uow:
        assert get_cart("s1", uow).is_empty
        cart = uow.session.execute(select(Cart).where(Cart.sender_id == "s1")).scalar_one()
        row = uow.session.execute(select(Order)).scalar_one()
        customer = uow.session.execute(select(Customer)).scalar_one()
        assert cart.status == "ordered" and cart.order_id == row.id
        assert row.idempotency_key == f"cart-{cart.id}" and row.sender_id == "s1"
        assert customer.email == "ana.shopper@example.com" and row.customer_id == customer.id


def test_shipping_is_charged_below_the_threshold_and_for_express(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    order = checkout(uow_factory, method="Standard shipping")
    assert order.shipping_cost == Decimal("4.99") and order.total == Decimal("17.49")
    buy(uow_factory, sender="s2", quantity=4)
    order = checkout(uow_factory, sender="s2", method="express please")
    assert order.shipping_method == "express"
    assert order.shipping_cost == Decimal("12.99") and order.total == Decimal("62.99")
    assert order.estimated_delivery == dt.date(2024, 6, 14)


def test_orders_get_different_numbers(uow_factory: UowFactory, shop: None) -> None:
    numbers = set()
    for sender in ("a", "b", "c"):
        buy(uow_factory, sender=sender, quantity=1)
        numbers.add(checkout(uow_factory, sender=sender).order_id)
    assert len(numbers) == 3


def test_the_same_customer_is_reused_by_email(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, sender="a", quantity=1)
    checkout(uow_factory, sender="a", email="ana@example.com")
    buy(uow_factory, sender="b", quantity=1)
    checkout(uow_factory, sender="b", email=" ANA@example.com")
    with uow_factory() as uow:
        assert uow.session.execute(select(func.count(Customer.id))).scalar_one() == 1


@pytest.mark.parametrize(("email", "address", "method", "field"), [
    ("not-an-email", ADDRESS, "standard", "email"),
    (EMAIL, "    ", "standard", "shipping_address"),
    (EMAIL, ADDRESS, "by boat", "shipping_method"),
])
def test_bad_checkout_details_change_nothing(uow_factory: UowFactory, shop: None, email: str, address: str,
                                             method: str, field: str) -> None:
    buy(uow_factory, quantity=1)
    with uow_factory() as uow, pytest.raises(InvalidCheckoutDetails) as err:
        place_order("s1", email, address, method, uow, now=NOW)
    assert err.value.field == field
    assert order_count(uow_factory) == 0 and stock(uow_factory, "MUG-1") == 10


def test_empty_cart_cannot_be_ordered(uow_factory: UowFactory, shop: None) -> None:
    with pytest.raises(CartEmpty):
        checkout(uow_factory)
    buy(uow_factory, quantity=1)
    with uow_factory() as uow:
        remove_item("s1", "MUG-1", uow)  # an open cart with no items left
    with pytest.raises(CartEmpty):
        checkout(uow_factory)
    assert order_count(uow_factory) == 0


def test_a_repeated_confirmation_returns_the_same_order(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=2)
    first = checkout(uow_factory)
    again = checkout(uow_factory, now=NOW + dt.timedelta(minutes=14))
    assert again.order_id == first.order_id and again.total == first.total
    assert order_count(uow_factory) == 1 and stock(uow_factory, "MUG-1") == 8


def test_the_repeat_window_is_fifteen_minutes(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=2)
    checkout(uow_factory)
    with pytest.raises(CartEmpty):
        checkout(uow_factory, now=NOW + dt.timedelta(minutes=15))


def test_a_repeat_does_not_return_a_cancelled_order(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=2)
    order = checkout(uow_factory)
    with uow_factory() as uow:
        cancel_order(order.order_id, uow, sender_id="s1", now=NOW)
    with pytest.raises(CartEmpty):
        checkout(uow_factory, now=NOW + dt.timedelta(minutes=1))


def test_a_new_cart_after_an_order_is_a_new_order(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    first = checkout(uow_factory)
    buy(uow_factory, quantity=3)
    second = checkout(uow_factory, now=NOW + dt.timedelta(minutes=1))
    assert second.order_id != first.order_id and second.items[0].quantity == 3
    assert order_count(uow_factory) == 2


def test_never_oversold(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, sender="a", sku="RUN-1", quantity=1, size="10")
    buy(uow_factory, sender="b", sku="MUG-1", quantity=1)
    buy(uow_factory, sender="b", sku="RUN-1", quantity=1, size="10")
    checkout(uow_factory, sender="a")
    with pytest.raises(OutOfStock) as err:
        checkout(uow_factory, sender="b")
    assert (err.value.sku, err.value.available, err.value.size) == ("RUN-1", 0, "10")
    # Nothing of b's order happened: no order, the mug's stock is back, the cart is still open.
    assert order_count(uow_factory) == 1
    assert stock(uow_factory, "MUG-1") == 10 and stock(uow_factory, "RUN-1", "10") == 0
    with uow_factory() as uow:
        assert [i.sku for i in get_cart("b", uow).items] == ["MUG-1", "RUN-1"]
        assert uow.session.execute(select(func.count(Customer.id))).scalar_one() == 1


def test_prices_are_read_again_at_checkout(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=2)
    with uow_factory() as uow:
        uow.session.execute(update(Product).where(Product.sku == "MUG-1").values(price=Decimal("20.00")))
        uow.commit()
    order = checkout(uow_factory)
    assert order.items[0].unit_price == Decimal("20.00") and order.subtotal == Decimal("40.00")


def test_a_withdrawn_product_stops_the_order(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=2)
    with uow_factory() as uow:
        uow.session.execute(update(Product).where(Product.sku == "MUG-1").values(active=False))
        uow.commit()
    with pytest.raises(UnknownProduct):
        checkout(uow_factory)
    assert order_count(uow_factory) == 0 and stock(uow_factory, "MUG-1") == 10


def test_coupon_is_applied_and_redeemed(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        create_coupon(uow, "SAVE10", "percent", Decimal("10"), max_redemptions=5)
    buy(uow_factory, quantity=4)
    with uow_factory() as uow:
        apply_coupon("s1", "SAVE10", uow, now=NOW)
    order = checkout(uow_factory)
    assert order.coupon == "SAVE10"
    assert (order.subtotal, order.discount, order.shipping_cost, order.total) == (
        Decimal("50.00"), Decimal("5.00"), Decimal("4.99"), Decimal("49.99"))  # 45 after discount: not free
    with uow_factory() as uow:
        assert uow.session.execute(select(Coupon.times_redeemed)).scalar_one() == 1


def test_a_coupon_that_no_longer_applies_is_dropped(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        create_coupon(uow, "LAST", "fixed", Decimal("5"), max_redemptions=1)
    buy(uow_factory, quantity=1)
    with uow_factory() as uow:
        apply_coupon("s1", "LAST", uow, now=NOW)
        uow.session.execute(update(Coupon).values(times_redeemed=1))
        uow.commit()
    order = checkout(uow_factory)
    assert order.coupon is None and order.discount == Decimal("0.00") and order.total == Decimal("17.49")
    with uow_factory() as uow:
        assert uow.session.execute(select(Coupon.times_redeemed)).scalar_one() == 1


# ----------------------------------------------------------------------------- reading orders


def test_the_sender_sees_their_order(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    digits = placed.order_id.split("-")[1]
    with uow_factory() as uow:
        for reference in (placed.order_id, placed.order_id.lower(), f"CE {digits}", digits):
            assert get_order(reference, uow, sender_id="s1") == placed
        assert order_placed_by(placed.order_id, "s1", uow) is True
        assert order_placed_by(placed.order_id, "s2", uow) is False
        assert order_placed_by("CE-000000", "s1", uow) is False


def test_number_and_email_reveal_the_order(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    with uow_factory() as uow:
        assert get_order(placed.order_id, uow, email="  ANA.SHOPPER@example.COM ").order_id == placed.order_id
        assert get_order(placed.order_id, uow, sender_id="other", email=EMAIL).order_id == placed.order_id


def _not_found(uow_factory: UowFactory, order_id: str, **who: str | None) -> str:
    with uow_factory() as uow, pytest.raises(OrderNotFound) as err:
        get_order(order_id, uow, **who)
    return str(err.value)


def test_privacy_wrong_email_and_unknown_number_look_the_same(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    digits = placed.order_id.split("-")[1]
    unknown = "CE-" + ("100000" if digits != "100000" else "100001")
    wrong_email = _not_found(uow_factory, placed.order_id, email="thief@example.com")
    no_order = _not_found(uow_factory, unknown, email="thief@example.com")
    assert wrong_email.replace(placed.order_id, "X") == no_order.replace(unknown, "X")
    _not_found(uow_factory, placed.order_id, sender_id="another-conversation")
    _not_found(uow_factory, placed.order_id)
    _not_found(uow_factory, placed.order_id, sender_id="", email="")
    _not_found(uow_factory, "garbage", sender_id="s1")


def test_imported_orders_without_a_sender_need_the_email(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    with uow_factory() as uow:
        uow.session.execute(update(Order).values(sender_id=None))
        uow.commit()
    _not_found(uow_factory, placed.order_id, sender_id="s1")
    with uow_factory() as uow:
        assert get_order(placed.order_id, uow, email=EMAIL).order_id == placed.order_id


def test_latest_order_for_sender(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        assert latest_order_for_sender("s1", uow) is None
    buy(uow_factory, quantity=1)
    checkout(uow_factory)
    buy(uow_factory, quantity=2)
    second = checkout(uow_factory, now=NOW + dt.timedelta(hours=1))
    buy(uow_factory, sender="s2", quantity=1)
    checkout(uow_factory, sender="s2", now=NOW + dt.timedelta(hours=2))
    with uow_factory() as uow:
        assert latest_order_for_sender("s1", uow).order_id == second.order_id


# ----------------------------------------------------------------------------- cancelling


def test_cancel_restocks_and_records_the_event(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=3)
    buy(uow_factory, sku="RUN-1", quantity=2, size="9")
    placed = checkout(uow_factory)
    assert stock(uow_factory, "MUG-1") == 7 and stock(uow_factory, "RUN-1", "9") == 0
    later = NOW + dt.timedelta(hours=1)
    with uow_factory() as uow:
        cancelled = cancel_order(placed.order_id.lower(), uow, sender_id="s1", now=later)
    assert cancelled.status == "cancelled"
    assert cancelled.history[-1] == ("cancelled", later)
    assert stock(uow_factory, "MUG-1") == 10 and stock(uow_factory, "RUN-1", "9") == 2
    with uow_factory() as uow:
        assert get_order(placed.order_id, uow, email=EMAIL).status == "cancelled"


def test_cancel_by_email_and_paid_orders(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    with uow_factory() as uow:
        advance_order(placed.order_id, "paid", uow, now=NOW)
        assert cancel_order(placed.order_id, uow, email=EMAIL, now=NOW).status == "cancelled"
    assert stock(uow_factory, "MUG-1") == 10


def test_cancel_gives_the_coupon_use_back(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        create_coupon(uow, "ONCE", "fixed", Decimal("5"), max_redemptions=1)
    buy(uow_factory, quantity=1)
    with uow_factory() as uow:
        apply_coupon("s1", "ONCE", uow, now=NOW)
    placed = checkout(uow_factory)
    with uow_factory() as uow:
        cancel_order(placed.order_id, uow, sender_id="s1", now=NOW)
        assert uow.session.execute(select(Coupon.times_redeemed)).scalar_one() == 0


def test_cancel_follows_the_privacy_rule(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    with uow_factory() as uow:
        with pytest.raises(OrderNotFound):
            cancel_order(placed.order_id, uow, sender_id="intruder")
        with pytest.raises(OrderNotFound):
            cancel_order(placed.order_id, uow, email="intruder@example.com")
    assert stock(uow_factory, "MUG-1") == 9


def test_shipped_delivered_and_cancelled_orders_cannot_be_cancelled(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    with uow_factory() as uow:
        advance_order(placed.order_id, "paid", uow)
        advance_order(placed.order_id, "shipped", uow, carrier="UPS", tracking_number="1Z999")
        with pytest.raises(OrderNotCancellable) as err:
            cancel_order(placed.order_id, uow, sender_id="s1")
        assert (err.value.order_id, err.value.status) == (placed.order_id, "shipped")
        advance_order(placed.order_id, "delivered", uow)
        with pytest.raises(OrderNotCancellable) as err:
            cancel_order(placed.order_id, uow, sender_id="s1")
        assert err.value.status == "delivered"
    buy(uow_factory, sender="s2", quantity=1)
    other = checkout(uow_factory, sender="s2")
    with uow_factory() as uow:
        cancel_order(other.order_id, uow, sender_id="s2")
        with pytest.raises(OrderNotCancellable) as err:
            cancel_order(other.order_id, uow, sender_id="s2")
        assert err.value.status == "cancelled"
    assert stock(uow_factory, "MUG-1") == 9  # restocked once only


# ----------------------------------------------------------------------------- fulfilment


def test_advance_order_through_fulfilment(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    t1, t2, t3 = (NOW + dt.timedelta(days=d) for d in (1, 2, 4))
    with uow_factory() as uow:
        assert advance_order(placed.order_id, "paid", uow, now=t1).status == "paid"
        shipped = advance_order(placed.order_id, "shipped", uow, carrier=" UPS ", tracking_number="1Z999AA1", now=t2)
        assert (shipped.carrier, shipped.tracking_number) == ("UPS", "1Z999AA1")
        delivered = advance_order(placed.order_id, "Delivered", uow, now=t3)
        delivered_at = uow.session.execute(select(Order.delivered_at)).scalar_one()
    assert delivered.status == "delivered" and delivered_at == t3
    assert delivered.history == [("placed", NOW), ("awaiting_payment", NOW), ("paid", t1), ("shipped", t2),
                                 ("delivered", t3)]


def test_advance_order_refuses_skipped_or_backward_steps(uow_factory: UowFactory, shop: None) -> None:
    buy(uow_factory, quantity=1)
    placed = checkout(uow_factory)
    with uow_factory() as uow:
        for target in ("shipped", "delivered", "placed", "teleported", "cancelled"):
            with pytest.raises(InvalidOrderTransition):
                advance_order(placed.order_id, target, uow)
        advance_order(placed.order_id, "paid", uow)
        with pytest.raises(InvalidOrderTransition, match="tracking"):
            advance_order(placed.order_id, "shipped", uow, carrier="UPS")
        with pytest.raises(InvalidOrderTransition):
            advance_order(placed.order_id, "shipped", uow, carrier=" ", tracking_number="1Z")
        with pytest.raises(InvalidOrderTransition):
            advance_order(placed.order_id, "paid", uow)
        with pytest.raises(OrderNotFound):
            advance_order("CE-000001", "paid", uow)
        assert get_order(placed.order_id, uow, sender_id="s1").status == "paid"


def test_orders_use_the_configured_policies(uow_factory: UowFactory, shop: None) -> None:
    express = load_policies().shipping_method("express")
    buy(uow_factory, quantity=1)
    order = checkout(uow_factory, method="EXPRESS")
    assert order.shipping_cost == express.price


# ----------------------------------------------------------------------------- handoff


def test_request_handoff_creates_one_waiting_request(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        first = request_handoff("s1", "  wants to talk about a   damaged parcel ", uow)
        again = request_handoff("s1", "still waiting", uow)
        other = request_handoff("s2", "x" * 300, uow)
    assert first == again and other != first
    with uow_factory() as uow:
        rows = {h.sender_id: h for h in uow.session.execute(select(Handoff)).scalars()}
        uow.session.expunge_all()
    assert len(rows) == 2
    assert rows["s1"].reason == "wants to talk about a damaged parcel" and rows["s1"].status == "waiting"
    assert rows["s2"].reason == "x" * 200


def test_a_new_handoff_after_the_previous_was_answered(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        first = request_handoff("s1", "", uow)
        uow.session.execute(update(Handoff).values(status="answered"))
        uow.commit()
        second = request_handoff("s1", "again", uow)
        reason = uow.session.execute(select(Handoff.reason).where(Handoff.id == first)).scalar_one()
    assert second != first and reason  # an empty reason gets a default


def test_quote_checkout_adds_shipping_to_the_cart_total(uow_factory, add_product) -> None:
    from store.cart import add_item
    from store.orders import quote_checkout

    add_product("Q-1", "Quote mug", price="12.50", stock=5)
    with uow_factory() as uow:
        add_item("quote-sender", "Q-1", 2, uow)
    with uow_factory() as uow:
        standard = quote_checkout("quote-sender", "standard", uow)
        none = quote_checkout("quote-sender", None, uow)
    assert standard.cart.total == Decimal("25.00")
    assert standard.shipping == standard.method.price and standard.total == Decimal("25.00") + standard.shipping
    assert none.method is None and none.total == Decimal("25.00")
