"""The store's tables (SQLAlchemy 1.4, 2.0 style). Only the repositories and services touch these."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

Base = declarative_base()

_CENT = Decimal("0.01")


class Fixed2(TypeDecorator):
    """A Decimal with two places stored exactly as an integer of hundredths (SQLite has no exact decimal)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: object, dialect: object) -> int | None:
        """Decimal (or int/str) -> hundredths, rounded half up."""
        if value is None:
            return None
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        return int((amount.quantize(_CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())

    def process_result_value(self, value: object, dialect: object) -> Decimal | None:
        """hundredths -> Decimal with two places."""
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(_CENT)


Money = Fixed2  # money columns: exact cents


def utcnow() -> dt.datetime:
    """Naive UTC now, the one clock every table uses."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Product(Base):
    """A catalog entry; colour, size and stock live on its variants."""

    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(64), nullable=False, unique=True)
    name = Column(String(300), nullable=False)
    brand = Column(String(120), index=True)
    category = Column(String(120), nullable=False, index=True)
    subcategory = Column(String(120), index=True)
    price = Column(Money(), nullable=False)
    currency = Column(String(3), nullable=False, default="USD")
    rating = Column(Fixed2())
    description = Column(Text)
    image_url = Column(String(1000))
    tags = Column(JSON, nullable=False, default=list)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    variants = relationship(
        "Variant", back_populates="product", cascade="all, delete-orphan", order_by="Variant.id"
    )

    __table_args__ = (
        CheckConstraint("price >= 0", name="ck_products_price"),
        # Lets search tell cheaply whether the catalog changed (the latest update); see store.search.
        Index("ix_products_updated", "updated_at"),
        # Search's order without words (best rated first, then by name): read in order, not sorted.
        Index("ix_products_rating", rating.desc(), name, id),
    )


class Variant(Base):
    """One colour/size of a product. '' stands for 'no colour' or 'no size' so uniqueness holds."""

    __tablename__ = "variants"

    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("products.id", ondelete="CASCADE"), nullable=False)
    color = Column(String(60), nullable=False, default="")
    size = Column(String(30), nullable=False, default="")
    stock = Column(Integer, nullable=False, default=0)

    product = relationship("Product", back_populates="variants")

    __table_args__ = (
        UniqueConstraint("product_id", "color", "size", name="uq_variants_product_color_size"),
        CheckConstraint("stock >= 0", name="ck_variants_stock"),
        Index("ix_variants_product", "product_id"),
        # what is sold out, read by every search of products in stock (store.search)
        Index("ix_variants_stock", "stock", "product_id"),
    )


class Customer(Base):
    """Somebody who placed an order, known by email."""

    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    email = Column(String(320), nullable=False, unique=True)
    name = Column(String(200))
    created_at = Column(DateTime, nullable=False, default=utcnow)


class Cart(Base):
    """The cart of one conversation (sender id); 'open' until it becomes an order."""

    __tablename__ = "carts"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    status = Column(String(20), nullable=False, default="open")  # open | ordered
    coupon_code = Column(String(64))
    order_id = Column(Integer, ForeignKey("orders.id"))
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    items = relationship("CartItem", back_populates="cart", cascade="all, delete-orphan", order_by="CartItem.id")


class CartItem(Base):
    """A variant and quantity in a cart; the price is read from the product when shown."""

    __tablename__ = "cart_items"

    id = Column(Integer, primary_key=True)
    cart_id = Column(Integer, ForeignKey("carts.id", ondelete="CASCADE"), nullable=False)
    variant_id = Column(Integer, ForeignKey("variants.id"), nullable=False)
    quantity = Column(Integer, nullable=False)

    cart = relationship("Cart", back_populates="items")
    variant = relationship("Variant")

    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id", name="uq_cart_items_cart_variant"),
        CheckConstraint("quantity > 0", name="ck_cart_items_quantity"),
    )


class Coupon(Base):
    """A promotion code: percent or fixed amount off, with its limits."""

    __tablename__ = "coupons"

    id = Column(Integer, primary_key=True)
    code = Column(String(64), nullable=False, unique=True)  # stored upper-case
    kind = Column(String(10), nullable=False)  # percent | fixed
    value = Column(Money(), nullable=False)
    min_subtotal = Column(Money(), nullable=False, default=0)
    starts_at = Column(DateTime)
    expires_at = Column(DateTime)
    active = Column(Boolean, nullable=False, default=True)
    max_redemptions = Column(Integer)
    times_redeemed = Column(Integer, nullable=False, default=0)
    description = Column(String(300))

    __table_args__ = (
        CheckConstraint("kind IN ('percent', 'fixed')", name="ck_coupons_kind"),
        CheckConstraint("value >= 0", name="ck_coupons_value"),
    )


class Order(Base):
    """A placed order; money is copied from the cart at the time it was placed."""

    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    order_number = Column(String(32), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    email = Column(String(320), nullable=False, index=True)
    sender_id = Column(String(255), index=True)  # conversation that placed it (None for imported orders)
    status = Column(String(30), nullable=False)
    subtotal = Column(Money(), nullable=False)
    discount = Column(Money(), nullable=False, default=0)
    shipping_cost = Column(Money(), nullable=False, default=0)
    total = Column(Money(), nullable=False)
    currency = Column(String(3), nullable=False)
    coupon_code = Column(String(64))
    shipping_address = Column(Text)
    shipping_method = Column(String(30))
    carrier = Column(String(60))
    tracking_number = Column(String(80))
    estimated_delivery = Column(Date)
    payment_link = Column(String(500))
    idempotency_key = Column(String(100), unique=True)
    placed_at = Column(DateTime, nullable=False, default=utcnow)
    delivered_at = Column(DateTime)

    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id")
    events = relationship(
        "OrderStatusEvent", back_populates="order", cascade="all, delete-orphan", order_by="OrderStatusEvent.id"
    )


class OrderLine(Base):
    """A product line of an order, with the price paid."""

    __tablename__ = "order_lines"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    product_id = Column(Integer, ForeignKey("products.id"))
    variant_id = Column(Integer, ForeignKey("variants.id"))
    sku = Column(String(64), nullable=False)
    name = Column(String(300), nullable=False)
    color = Column(String(60), nullable=False, default="")
    size = Column(String(30), nullable=False, default="")
    quantity = Column(Integer, nullable=False)
    unit_price = Column(Money(), nullable=False)

    order = relationship("Order", back_populates="lines")


class OrderStatusEvent(Base):
    """One step of an order's history: placed, awaiting_payment, paid, shipped, delivered, cancelled."""

    __tablename__ = "order_status_events"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(30), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
    note = Column(String(300))

    order = relationship("Order", back_populates="events")


class ReturnRequest(Base):
    """A shopper's request to send items back."""

    __tablename__ = "returns"

    id = Column(Integer, primary_key=True)
    return_number = Column(String(32), nullable=False, unique=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    reason = Column(Text, nullable=False)
    status = Column(String(20), nullable=False, default="requested")
    refund_amount = Column(Money(), nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    lines = relationship("ReturnLine", cascade="all, delete-orphan", order_by="ReturnLine.id")


class ReturnLine(Base):
    """An order line (and how many of it) covered by a return."""

    __tablename__ = "return_lines"

    id = Column(Integer, primary_key=True)
    return_id = Column(Integer, ForeignKey("returns.id", ondelete="CASCADE"), nullable=False)
    order_line_id = Column(Integer, ForeignKey("order_lines.id"), nullable=False)
    quantity = Column(Integer, nullable=False)

    order_line = relationship("OrderLine")


class Handoff(Base):
    """A conversation waiting for a person."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    reason = Column(String(200), nullable=False)
    status = Column(String(20), nullable=False, default="waiting")  # waiting | answered
    created_at = Column(DateTime, nullable=False, default=utcnow)


class SearchLog(Base):
    """One catalog search, for the 'searches that found nothing' report."""

    __tablename__ = "search_log"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255))
    text = Column(Text)
    filters = Column(JSON, nullable=False, default=dict)
    results = Column(Integer, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
