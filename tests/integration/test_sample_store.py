"""The sample store on a real SQLite database: coupons, orders in every status, and the full build."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from store.errors import UnknownProduct
from store.models import Coupon, Customer, Order, OrderLine, OrderStatusEvent, Product, Variant
from store.sample import (
    SAMPLE_COUPONS,
    SAMPLE_ORDERS,
    build_sample_store,
    generate_catalog,
    seed_coupons,
    seed_orders,
)
from store.uow import UnitOfWork

NOW = dt.datetime(2025, 6, 15, 12, 0, 0)
UowFactory = Callable[[], UnitOfWork]


def _insert_catalog(uow_factory: UowFactory) -> None:
    """Load the generated catalog straight into the tables (no importer), as seed_orders expects it."""
    with uow_factory() as uow:
        for row in generate_catalog():
            product = Product(sku=row["sku"], name=row["name"], brand=row["brand"], category=row["category"],
                              subcategory=row["subcategory"], price=row["price"], currency=row["currency"],
                              rating=row["rating"], description=row["description"], image_url=row["image_url"],
                              tags=row["tags"])
            if "variants" in row:
                for v in row["variants"]:
                    product.variants.append(Variant(color=v.get("color", ""), size=v.get("size", ""),
                                                    stock=v["stock"]))
            else:
                for color in row.get("colors") or [""]:
                    for size in row.get("sizes") or [""]:
                        product.variants.append(Variant(color=color, size=size, stock=row["stock"]))
            uow.session.add(product)
        uow.commit()


def _orders(uow_factory: UowFactory) -> dict[str, Order]:
    with uow_factory() as uow:
        stmt = select(Order).options(selectinload(Order.lines), selectinload(Order.events))
        orders = {o.order_number: o for o in uow.session.execute(stmt).scalars()}
        uow.session.expunge_all()  # keep the loaded state readable after the unit of work rolls back
        return orders


def _count(uow_factory: UowFactory, model: type) -> int:
    with uow_factory() as uow:
        return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


def _stock_snapshot(uow_factory: UowFactory) -> dict[tuple[str, str, str], int]:
    with uow_factory() as uow:
        stmt = select(Product.sku, Variant.color, Variant.size, Variant.stock).join(Variant)
        return {(sku, color, size): stock for sku, color, size, stock in uow.session.execute(stmt)}


def test_seed_coupons_creates_each_rule_once(uow_factory: UowFactory) -> None:
    assert seed_coupons(uow_factory, now=NOW) == [c.code for c in SAMPLE_COUPONS]
    assert seed_coupons(uow_factory, now=NOW) == []
    with uow_factory() as uow:
        coupons = {c.code: c for c in uow.session.execute(select(Coupon)).scalars()}
        uow.session.expunge_all()
    assert set(coupons) == {"WELCOME10", "SAVE20", "SPRING15", "VIP25"}
    assert (coupons["WELCOME10"].kind, coupons["WELCOME10"].value) == ("percent", Decimal("10.00"))
    assert coupons["WELCOME10"].min_subtotal == 0 and coupons["WELCOME10"].expires_at is None
    assert (coupons["SAVE20"].kind, coupons["SAVE20"].value, coupons["SAVE20"].min_subtotal) == (
        "fixed", Decimal("20.00"), Decimal("100.00"))
    assert coupons["SPRING15"].expires_at == NOW - dt.timedelta(days=30)
    assert coupons["SPRING15"].min_subtotal == Decimal("50.00")
    assert coupons["VIP25"].max_redemptions == 1 and coupons["VIP25"].times_redeemed == 1
    assert all(c.active and c.kind in ("percent", "fixed") for c in coupons.values())


def test_seed_orders_needs_the_catalog(uow_factory: UowFactory) -> None:
    with pytest.raises(UnknownProduct):
        seed_orders(uow_factory, now=NOW)
    assert _count(uow_factory, Order) == 0


def test_seed_orders_covers_every_status_consistently(uow_factory: UowFactory) -> None:
    _insert_catalog(uow_factory)
    stock_before = _stock_snapshot(uow_factory)

    assert seed_orders(uow_factory, now=NOW) == [o.number for o in SAMPLE_ORDERS]

    orders = _orders(uow_factory)
    assert set(orders) == {f"CE-1001{n:02d}" for n in range(1, 8)}
    assert {o.status for o in orders.values()} == {"awaiting_payment", "paid", "shipped", "delivered", "cancelled"}
    for order in orders.values():
        assert order.sender_id is None and order.email.endswith("@example.com")
        assert order.currency == "USD" and order.lines
        subtotal = sum((line.unit_price * line.quantity for line in order.lines), Decimal("0"))
        assert order.subtotal == subtotal
        assert order.total == order.subtotal - order.discount + order.shipping_cost
        assert order.total > 0 and order.placed_at < NOW
        assert order.events[0].status == "placed" and order.events[-1].status == order.status
        assert [e.at for e in order.events] == sorted(e.at for e in order.events)
        assert (order.payment_link is not None) == (order.status == "awaiting_payment")

    assert "/CE-100101" in orders["CE-100101"].payment_link
    assert all(o.estimated_delivery > o.placed_at.date() for o in orders.values())
    shipped = orders["CE-100103"]
    assert shipped.status == "shipped" and shipped.carrier and shipped.tracking_number
    assert shipped.estimated_delivery > NOW.date()
    delivered = {n: o for n, o in orders.items() if o.status == "delivered"}
    recent = [o for o in delivered.values() if NOW - o.delivered_at <= dt.timedelta(days=30)]
    old = [o for o in delivered.values() if NOW - o.delivered_at >= dt.timedelta(days=40)]
    assert any(len(o.lines) == 2 for o in recent) and old
    assert all(o.carrier and o.tracking_number for o in delivered.values())
    emails = [o.email for o in delivered.values()]
    assert any(emails.count(e) >= 2 for e in emails)
    vip = orders["CE-100105"]
    assert vip.coupon_code == "VIP25" and vip.discount == (vip.subtotal * Decimal("0.25")).quantize(Decimal("0.01"))

    with uow_factory() as uow:
        line = uow.session.execute(select(OrderLine).where(OrderLine.sku == "SHO-1005")).scalar_one()
        product = uow.session.execute(select(Product).where(Product.sku == "SHO-1005")).scalar_one()
        assert (line.product_id, line.name, line.unit_price) == (product.id, product.name, product.price)
        assert (line.color, line.size) == ("navy", "10")
    assert _stock_snapshot(uow_factory) == stock_before


def test_seed_orders_twice_changes_nothing(uow_factory: UowFactory) -> None:
    _insert_catalog(uow_factory)
    seed_orders(uow_factory, now=NOW)
    counts = [_count(uow_factory, m) for m in (Order, OrderLine, OrderStatusEvent, Customer)]
    assert seed_orders(uow_factory, now=NOW + dt.timedelta(days=1)) == []
    assert [_count(uow_factory, m) for m in (Order, OrderLine, OrderStatusEvent, Customer)] == counts
    assert counts[3] == len({o.email for o in SAMPLE_ORDERS})


def _product_snapshot(uow_factory: UowFactory) -> list[tuple]:
    with uow_factory() as uow:
        stmt = select(Product).options(selectinload(Product.variants)).order_by(Product.sku)
        return [(p.sku, p.name, p.price, p.active, tuple((v.color, v.size, v.stock) for v in p.variants))
                for p in uow.session.execute(stmt).scalars()]


def test_build_sample_store_imports_seeds_and_is_idempotent(uow_factory: UowFactory) -> None:
    pytest.importorskip("store.catalog")
    build_sample_store(uow_factory)

    catalog = generate_catalog()
    products = _product_snapshot(uow_factory)
    assert len(products) == len(catalog) and all(p[3] for p in products)
    by_sku = {p[0]: p for p in products}
    varied = next(r for r in catalog if "variants" in r and 0 in [v["stock"] for v in r["variants"]])
    assert sorted(by_sku[varied["sku"]][4]) == sorted(
        (v.get("color", ""), v.get("size", ""), v["stock"]) for v in varied["variants"])
    uniform = next(r for r in catalog if "colors" in r and "sizes" in r)
    assert len(by_sku[uniform["sku"]][4]) == len(uniform["colors"]) * len(uniform["sizes"])
    assert {v[2] for v in by_sku[uniform["sku"]][4]} == {uniform["stock"]}
    assert by_sku[uniform["sku"]][2] == uniform["price"]
    assert _count(uow_factory, Coupon) == len(SAMPLE_COUPONS)
    orders = _orders(uow_factory)
    assert set(orders) == {o.number for o in SAMPLE_ORDERS}
    assert {o.status for o in orders.values()} == {s.status for s in SAMPLE_ORDERS}

    counts = [_count(uow_factory, m) for m in (Product, Variant, Coupon, Order, OrderLine, OrderStatusEvent)]
    build_sample_store(uow_factory)
    assert [_count(uow_factory, m) for m in (Product, Variant, Coupon, Order, OrderLine, OrderStatusEvent)] == counts
    assert _product_snapshot(uow_factory) == products


def test_csv_and_jsonl_sample_catalogs_import_alike(uow_factory: UowFactory, tmp_path) -> None:
    pytest.importorskip("store.catalog")
    from store.sample import CATALOG_CSV, CATALOG_DIR

    build_sample_store(uow_factory)
    from_jsonl = _product_snapshot(uow_factory)
    build_sample_store(uow_factory, catalog_path=CATALOG_DIR / CATALOG_CSV)
    assert _product_snapshot(uow_factory) == from_jsonl


@pytest.mark.parametrize(("number", "email", "expected"), [
    ("CE-100101", "alice@example.com", "cancelled"),
    ("CE-100102", "bob@example.com", "cancelled"),
    ("CE-100103", "carol@example.com", "not_cancellable"),
    ("CE-100106", "bob@example.com", "not_cancellable"),
    ("CE-100102", "alice@example.com", "not_found"),
])
def test_sample_orders_support_the_cancel_conversations(uow_factory: UowFactory, number: str, email: str,
                                                        expected: str) -> None:
    orders = pytest.importorskip("store.orders")
    from store.errors import OrderNotCancellable, OrderNotFound

    _insert_catalog(uow_factory)
    seed_orders(uow_factory, now=NOW)
    with uow_factory() as uow:
        try:
            outcome = orders.cancel_order(number, uow, email=email, now=NOW).status
        except OrderNotCancellable:
            outcome = "not_cancellable"
        except OrderNotFound:
            outcome = "not_found"
    assert outcome == expected


@pytest.mark.parametrize(("number", "email", "expected"), [
    ("CE-100104", "dan@example.com", "requested"),
    ("CE-100107", "dan@example.com", "requested"),
    ("CE-100105", "alice@example.com", "window_closed"),
    ("CE-100103", "carol@example.com", "not_delivered"),
    ("CE-100106", "bob@example.com", "cancelled"),
])
def test_sample_orders_support_the_return_conversations(uow_factory: UowFactory, number: str, email: str,
                                                        expected: str) -> None:
    orders = pytest.importorskip("store.orders")
    from store.errors import ReturnNotAllowed

    _insert_catalog(uow_factory)
    seed_orders(uow_factory, now=NOW)
    with uow_factory() as uow:
        try:
            outcome = orders.request_return(number, "does not fit", uow, email=email, now=NOW).status
        except ReturnNotAllowed as error:
            outcome = error.reason
    assert outcome == expected
