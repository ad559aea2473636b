"""The sample store: the generated catalog (store.sample_catalog), sample coupons and sample orders.

`python -m store.sample` rewrites data/catalog/sample_catalog.jsonl and .csv (deterministic, byte for byte).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from store.config import get_settings
from store.errors import UnknownProduct, UnknownVariant
from store.models import Coupon, Customer, Order, OrderLine, OrderStatusEvent, Product, utcnow
from store.money import percent_of, to_money
from store.sample_catalog import (  # noqa: F401 - re-exported: the sample store's public names
    BRANDS,
    CATALOG_CSV,
    CATALOG_DIR,
    CATALOG_JSONL,
    CATEGORIES,
    CURRENCY,
    catalog_csv,
    catalog_jsonl,
    generate_catalog,
    write_sample_catalog,
)
from store.uow import UnitOfWork

# --------------------------------------------------------------------------------------------------------------
# Coupons and orders
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleCoupon:
    """A coupon of the sample store; dates are days relative to the seeding time."""

    code: str
    kind: str  # percent | fixed
    value: Decimal
    description: str
    min_subtotal: Decimal = Decimal("0.00")
    starts_days: int | None = None
    expires_days: int | None = None
    max_redemptions: int | None = None
    times_redeemed: int = 0


SAMPLE_COUPONS: tuple[SampleCoupon, ...] = (
    SampleCoupon("WELCOME10", "percent", Decimal("10"), "10% off, no minimum spend"),
    SampleCoupon("SAVE20", "fixed", Decimal("20.00"), "$20 off orders over $100", min_subtotal=Decimal("100.00")),
    SampleCoupon("SPRING15", "percent", Decimal("15"), "15% off orders over $50 (spring sale, ended)",
                 min_subtotal=Decimal("50.00"), starts_days=-120, expires_days=-30),
    SampleCoupon("VIP25", "percent", Decimal("25"), "25% off, one use only (already redeemed)",
                 max_redemptions=1, times_redeemed=1),
)


@dataclass(frozen=True)
class SampleLine:
    """An order line: a catalog SKU, how many, and the colour/size wanted when the product has them."""

    sku: str
    quantity: int = 1
    color: str | None = None
    size: str | None = None


@dataclass(frozen=True)
class SampleOrder:
    """A sample order; `events` are (status, hours after placing) and the last one is the order's status."""

    number: str
    email: str
    customer: str
    status: str
    placed_hours_ago: int
    events: tuple[tuple[str, int], ...]
    lines: tuple[SampleLine, ...]
    try_this: str
    shipping_method: str = "standard"
    coupon: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    eta_hours: int | None = None  # estimated delivery, hours after placing (default: the method's days)
    address: str = "18 Larkspur Lane, Millbrook, OR 97000"


_DAY = 24
SAMPLE_ORDERS: tuple[SampleOrder, ...] = (
    SampleOrder("CE-100101", "alice@example.com", "Alice Moreno", "awaiting_payment", 2,
                (("placed", 0), ("awaiting_payment", 0)),
                (SampleLine("ELE-2011", color="navy"),),
                "ask for the status and the payment link; cancel it",
                address="42 Quillfeather Road, Ashby, WA 98000"),
    SampleOrder("CE-100102", "bob@example.com", "Bob Lindqvist", "paid", 1 * _DAY,
                (("placed", 0), ("awaiting_payment", 0), ("paid", 1)),
                (SampleLine("CLO-3003", 2, color="navy", size="M"), SampleLine("SPO-5025", color="pink")),
                "paid but not shipped yet: cancel it",
                address="7 Osprey Court, Dunmore, CO 80000"),
    SampleOrder("CE-100103", "carol@example.com", "Carol Nguyen", "shipped", 4 * _DAY,
                (("placed", 0), ("awaiting_payment", 0), ("paid", 1), ("shipped", 1 * _DAY)),
                (SampleLine("SHO-1021", color="grey", size="9"),),
                "where is my order? (carrier, tracking number, estimated delivery); cancelling is refused",
                shipping_method="express", carrier="UPS", tracking_number="1Z84A6E20371950246",
                eta_hours=6 * _DAY, address="315 Bramblewood Drive, Kettering, OH 45000"),
    SampleOrder("CE-100104", "dan@example.com", "Dan Okafor", "delivered", 12 * _DAY,
                (("placed", 0), ("awaiting_payment", 0), ("paid", 1), ("shipped", 1 * _DAY),
                 ("delivered", 4 * _DAY)),
                (SampleLine("SHO-1005", color="navy", size="10"), SampleLine("ELE-2016", color="blue")),
                "delivered 8 days ago, 2 items: return the shoes (inside the 30-day window)",
                carrier="USPS", tracking_number="9400118206211473650912", eta_hours=5 * _DAY,
                address="90 Heronsgate Avenue, Linwood, TX 75000"),
    SampleOrder("CE-100105", "alice@example.com", "Alice Moreno", "delivered", 50 * _DAY,
                (("placed", 0), ("awaiting_payment", 0), ("paid", 1), ("shipped", 2 * _DAY),
                 ("delivered", 5 * _DAY)),
                (SampleLine("HOM-4018", color="silver"), SampleLine("BEA-6002", 2)),
                "delivered 45 days ago: a return is refused (window closed); used VIP25",
                coupon="VIP25", carrier="UPS", tracking_number="1Z84A6E20355018873", eta_hours=6 * _DAY,
                address="42 Quillfeather Road, Ashby, WA 98000"),
    SampleOrder("CE-100106", "bob@example.com", "Bob Lindqvist", "cancelled", 6 * _DAY,
                (("placed", 0), ("awaiting_payment", 0), ("paid", 1), ("cancelled", 3)),
                (SampleLine("ELE-2028", color="black"),),
                "already cancelled: the status says so, cancelling again is refused",
                address="7 Osprey Court, Dunmore, CO 80000"),
    SampleOrder("CE-100107", "dan@example.com", "Dan Okafor", "delivered", 20 * _DAY,
                (("placed", 0), ("awaiting_payment", 0), ("paid", 1), ("shipped", 1 * _DAY),
                 ("delivered", 3 * _DAY)),
                (SampleLine("SPO-5037", color="teal"),),
                "dan's second delivered order: 'I want to return something' must ask which order",
                carrier="USPS", tracking_number="9400118206211473651144", eta_hours=4 * _DAY,
                address="90 Heronsgate Avenue, Linwood, TX 75000"),
)

_EVENT_NOTES = {
    "placed": "order placed on the web shop",
    "awaiting_payment": "payment link sent",
    "paid": "payment received",
    "shipped": "handed to the carrier",
    "delivered": "delivered",
    "cancelled": "cancelled at the customer's request; payment refunded",
}
# price, free from (after discount), days to deliver: as in store_policies.yml when these orders were written
_SHIPPING = {"standard": (Decimal("4.99"), Decimal("50.00"), 5), "express": (Decimal("12.99"), None, 2)}


def seed_coupons(uow_factory: Callable[[], UnitOfWork], *, now: dt.datetime | None = None) -> list[str]:
    """Insert the sample coupons that do not exist yet; returns the codes created."""
    now = now or utcnow()
    created: list[str] = []
    with uow_factory() as uow:
        existing = set(uow.session.execute(select(Coupon.code)).scalars())
        for spec in SAMPLE_COUPONS:
            if spec.code in existing:
                continue
            uow.session.add(Coupon(
                code=spec.code, kind=spec.kind, value=spec.value, min_subtotal=spec.min_subtotal,
                starts_at=now + dt.timedelta(days=spec.starts_days) if spec.starts_days is not None else None,
                expires_at=now + dt.timedelta(days=spec.expires_days) if spec.expires_days is not None else None,
                active=True, max_redemptions=spec.max_redemptions, times_redeemed=spec.times_redeemed,
                description=spec.description,
            ))
            created.append(spec.code)
        uow.commit()
    return created


def _customer(uow: UnitOfWork, email: str, name: str) -> Customer:
    customer = uow.session.execute(select(Customer).where(Customer.email == email)).scalar_one_or_none()
    if customer is None:
        customer = Customer(email=email, name=name)
        uow.session.add(customer)
        uow.session.flush()
    return customer


def _order_line(uow: UnitOfWork, spec: SampleLine) -> OrderLine:
    product = uow.session.execute(select(Product).where(Product.sku == spec.sku)).scalar_one_or_none()
    if product is None:
        raise UnknownProduct(spec.sku)
    variant = next((v for v in product.variants
                    if v.color == (spec.color or "") and v.size == (spec.size or "")), None)
    if variant is None:
        raise UnknownVariant(spec.sku, spec.color, spec.size, {})
    return OrderLine(product_id=product.id, variant_id=variant.id, sku=product.sku, name=product.name,
                     color=variant.color, size=variant.size, quantity=spec.quantity,
                     unit_price=to_money(product.price))


def _discount(code: str | None, subtotal: Decimal) -> Decimal:
    spec = next((c for c in SAMPLE_COUPONS if c.code == code), None)
    if spec is None:
        return Decimal("0.00")
    if spec.kind == "percent":
        return percent_of(subtotal, spec.value)
    return min(to_money(spec.value), subtotal)


def _build_order(uow: UnitOfWork, spec: SampleOrder, now: dt.datetime) -> Order:
    placed = now - dt.timedelta(hours=spec.placed_hours_ago)
    lines = [_order_line(uow, line) for line in spec.lines]
    subtotal = to_money(sum((line.unit_price * line.quantity for line in lines), Decimal("0")))
    discount = _discount(spec.coupon, subtotal)
    price, free_over, days = _SHIPPING[spec.shipping_method]
    eta = placed + dt.timedelta(hours=spec.eta_hours if spec.eta_hours is not None else days * _DAY)
    base = get_settings().payment_link_base.rstrip("/")
    shipping = Decimal("0.00") if free_over is not None and subtotal - discount >= free_over else price
    order = Order(
        order_number=spec.number, customer_id=_customer(uow, spec.email, spec.customer).id, email=spec.email,
        sender_id=None, status=spec.status, subtotal=subtotal, discount=discount, shipping_cost=shipping,
        total=subtotal - discount + shipping, currency=CURRENCY, coupon_code=spec.coupon,
        shipping_address=spec.address, shipping_method=spec.shipping_method, carrier=spec.carrier,
        tracking_number=spec.tracking_number,
        estimated_delivery=eta.date(),
        payment_link=f"{base}/{spec.number}?token=sample" if spec.status == "awaiting_payment" else None,
        placed_at=placed,
    )
    order.lines = lines
    order.events = [OrderStatusEvent(status=status, at=placed + dt.timedelta(hours=hours), note=_EVENT_NOTES[status])
                    for status, hours in spec.events]
    if spec.status == "delivered":
        order.delivered_at = order.events[-1].at
    return order


def seed_orders(uow_factory: Callable[[], UnitOfWork], *, now: dt.datetime | None = None) -> list[str]:
    """Insert the sample orders that do not exist yet (catalog must be loaded); returns the numbers created."""
    now = now or utcnow()
    created: list[str] = []
    with uow_factory() as uow:
        existing = set(uow.session.execute(select(Order.order_number)).scalars())
        for spec in SAMPLE_ORDERS:
            if spec.number in existing:
                continue
            uow.session.add(_build_order(uow, spec, now))
            uow.session.flush()
            created.append(spec.number)
        uow.commit()
    return created


def build_sample_store(uow_factory: Callable[[], UnitOfWork], *, catalog_path: Path | None = None) -> None:
    """Import the sample catalog, then add the sample coupons and orders; running it twice changes nothing."""
    from store.catalog import import_catalog

    with uow_factory() as uow:
        import_catalog(catalog_path or CATALOG_DIR / CATALOG_JSONL, uow, deactivate_missing=True, progress=False)
    seed_coupons(uow_factory)
    seed_orders(uow_factory)


def main(argv: list[str] | None = None) -> int:
    """`python -m store.sample [directory]`: regenerate the sample catalog files."""
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else CATALOG_DIR
    for path in write_sample_catalog(directory):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
