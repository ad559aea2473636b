"""CONTRACT §3 payloads (the REST `custom` field) built from the store's plain values. Pure functions.

Money leaves the store as Decimal and becomes a JSON number with two decimals only here, at the edge.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from store.types import CartView, OrderLineView, OrderView, ProductDetail, ProductSummary, ReturnView

_CENT = Decimal("0.01")


def money(amount: Decimal | None) -> float | None:
    """A Decimal amount as a JSON number rounded to cents (None stays None)."""
    if amount is None:
        return None
    return float(Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP))


def rating(value: Decimal | None) -> float | None:
    """A rating as a JSON number (None stays None)."""
    return None if value is None else float(value)


def product_item(product: ProductSummary) -> dict[str, Any]:
    """One entry of a `products` list."""
    return {
        "sku": product.sku,
        "name": product.name,
        "brand": product.brand,
        "price": money(product.price),
        "currency": product.currency,
        "image_url": product.image_url,
        "rating": rating(product.rating),
        "in_stock": product.in_stock,
    }


def products_payload(products: list[ProductSummary], **extra: Any) -> dict[str, Any]:
    """`{"type": "products", "products": [...]}` in the order shown (position 1 = the first one)."""
    return {"type": "products", "products": [product_item(p) for p in products], **extra}


def product_payload(product: ProductDetail) -> dict[str, Any]:
    """`{"type": "product", ...every catalog field..., "variants_in_stock": [{color, size, stock}]}`."""
    return {
        "type": "product",
        "sku": product.sku,
        "name": product.name,
        "brand": product.brand,
        "category": product.category,
        "subcategory": product.subcategory,
        "price": money(product.price),
        "currency": product.currency,
        "colors": list(product.colors),
        "sizes": list(product.sizes),
        "stock": product.stock,
        "in_stock": product.stock > 0,
        "rating": rating(product.rating),
        "description": product.description,
        "image_url": product.image_url,
        "tags": list(product.tags),
        "variants_in_stock": [{"color": v.color, "size": v.size, "stock": v.stock} for v in product.variants_in_stock],
    }


def comparison_item(product: ProductDetail) -> dict[str, Any]:
    """One row of a comparison table."""
    return {
        "sku": product.sku,
        "name": product.name,
        "brand": product.brand,
        "price": money(product.price),
        "rating": rating(product.rating),
        "colors": [c for c in product.colors if any(v.color == c for v in product.variants_in_stock)],
        "sizes": [s for s in product.sizes if any(v.size == s for v in product.variants_in_stock)],
        "in_stock": product.stock > 0,
    }


def summary_of(product: ProductDetail) -> ProductSummary:
    """The list view of a detailed product."""
    return ProductSummary(
        sku=product.sku, name=product.name, brand=product.brand, category=product.category,
        subcategory=product.subcategory, price=product.price, currency=product.currency,
        image_url=product.image_url, rating=product.rating, in_stock=product.stock > 0,
    )


def compare_payload(products: list[ProductDetail]) -> dict[str, Any]:
    """A `products` payload plus a `comparison` list of {sku, name, brand, price, rating, colors, sizes, in_stock}."""
    return products_payload([summary_of(p) for p in products], comparison=[comparison_item(p) for p in products])


def cart_payload(cart: CartView) -> dict[str, Any]:
    """`{"type": "cart", "items": [...], subtotal, discount, total, currency, coupon}`."""
    return {
        "type": "cart",
        "items": [
            {"sku": line.sku, "name": line.name, "quantity": line.quantity, "unit_price": money(line.unit_price),
             "color": line.color, "size": line.size}
            for line in cart.items
        ],
        "subtotal": money(cart.subtotal),
        "discount": money(cart.discount),
        "total": money(cart.total),
        "currency": cart.currency,
        "coupon": cart.coupon,
    }


def _line(line: OrderLineView) -> dict[str, Any]:
    return {"sku": line.sku, "name": line.name, "quantity": line.quantity, "unit_price": money(line.unit_price),
            "color": line.color, "size": line.size}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def order_payload(order: OrderView) -> dict[str, Any]:
    """`{"type": "order", order_id, status, items, total, currency, ...}`; carrier/tracking/delivery where known."""
    payload: dict[str, Any] = {
        "type": "order",
        "order_id": order.order_id,
        "status": order.status,
        "items": [_line(line) for line in order.items],
        "subtotal": money(order.subtotal),
        "discount": money(order.discount),
        "shipping_cost": money(order.shipping_cost),
        "total": money(order.total),
        "currency": order.currency,
        "shipping_method": order.shipping_method,
        "placed_at": _iso(order.placed_at),
    }
    if order.payment_link:
        payload["payment_link"] = order.payment_link
    if order.carrier:
        payload["carrier"] = order.carrier
    if order.tracking_number:
        payload["tracking_number"] = order.tracking_number
    if order.estimated_delivery:
        payload["estimated_delivery"] = _iso(order.estimated_delivery)
    return payload


def return_payload(request: ReturnView) -> dict[str, Any]:
    """`{"type": "return", return_id, order_id, status, items, refund, currency}` (an addition to CONTRACT §3)."""
    return {
        "type": "return",
        "return_id": request.return_id,
        "order_id": request.order_id,
        "status": request.status,
        "reason": request.reason,
        "items": [_line(line) for line in request.items],
        "refund": money(request.refund_amount),
        "currency": request.currency,
    }


def handoff_payload(reason: str, ticket: int | None = None) -> dict[str, Any]:
    """`{"type": "handoff", "reason": ...}`: the conversation waits for a person."""
    payload: dict[str, Any] = {"type": "handoff", "reason": reason}
    if ticket is not None:
        payload["ticket"] = ticket
    return payload
