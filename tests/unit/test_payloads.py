"""CONTRACT §3 payloads: exact keys, money as numbers with two decimals, dates as ISO text."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from actions.payloads import (
    cart_payload,
    compare_payload,
    handoff_payload,
    money,
    order_payload,
    product_payload,
    products_payload,
    return_payload,
)
from store.types import (
    CartLine,
    CartView,
    OrderLineView,
    OrderView,
    ProductDetail,
    ProductSummary,
    ReturnView,
    VariantInfo,
)

SUMMARY = ProductSummary(sku="RUN-1", name="Trailblazer 2", brand="Northpeak", category="shoes",
                         subcategory="running shoes", price=Decimal("89.99"), currency="USD",
                         image_url="https://example.com/RUN-1.jpg", rating=Decimal("4.50"), in_stock=True)
DETAIL = ProductDetail(
    sku="RUN-1", name="Trailblazer 2", brand="Northpeak", category="shoes", subcategory="running shoes",
    price=Decimal("89.99"), currency="USD", colors=["black", "blue"], sizes=["9", "10"], stock=7,
    rating=Decimal("4.5"), description="Light trail runner", image_url=None, tags=["trail"],
    variants=[VariantInfo("black", "9", 3), VariantInfo("black", "10", 0), VariantInfo("blue", "9", 4),
              VariantInfo("blue", "10", 0)],
)
CART = CartView(items=[CartLine("RUN-1", "Trailblazer 2", 2, Decimal("89.99"), "black", "9"),
                       CartLine("MUG-1", "Mug", 1, Decimal("12.5"), None, None)],
                subtotal=Decimal("192.48"), discount=Decimal("19.25"), total=Decimal("173.23"), currency="USD",
                coupon="SPRING10")
ORDER = OrderView(
    order_id="CE-123456", status="shipped", items=[OrderLineView("MUG-1", "Mug", 2, Decimal("12.50"), None, None)],
    subtotal=Decimal("25.00"), discount=Decimal("0"), shipping_cost=Decimal("4.99"), total=Decimal("29.99"),
    currency="USD", email="ana@example.com", shipping_method="standard", shipping_address="12 Main St, Town",
    placed_at=dt.datetime(2024, 6, 12, 10, 0), payment_link="http://pay/CE-123456", carrier="UPS",
    tracking_number="1Z999", estimated_delivery=dt.date(2024, 6, 19),
)

PRODUCT_KEYS = {"sku", "name", "brand", "price", "currency", "image_url", "rating", "in_stock"}


def test_money_is_a_number_with_two_decimals() -> None:
    assert money(Decimal("89.99")) == 89.99
    assert money(Decimal("12.5")) == 12.5
    assert money(Decimal("0.005")) == 0.01
    assert money(None) is None
    assert isinstance(money(Decimal("3")), float)


def test_products_payload_keeps_the_order_and_the_contract_keys() -> None:
    other = ProductSummary(sku="MUG-1", name="Mug", brand=None, category="home & kitchen", subcategory=None,
                           price=Decimal("12.50"), currency="USD", image_url=None, rating=None, in_stock=False)
    payload = products_payload([SUMMARY, other])
    assert payload["type"] == "products"
    assert [p["sku"] for p in payload["products"]] == ["RUN-1", "MUG-1"]
    assert set(payload["products"][0]) == PRODUCT_KEYS
    assert payload["products"][0] == {
        "sku": "RUN-1", "name": "Trailblazer 2", "brand": "Northpeak", "price": 89.99, "currency": "USD",
        "image_url": "https://example.com/RUN-1.jpg", "rating": 4.5, "in_stock": True,
    }
    assert payload["products"][1]["rating"] is None and payload["products"][1]["in_stock"] is False
    json.dumps(payload)


def test_product_payload_has_every_catalog_field_and_the_variants_in_stock() -> None:
    payload = product_payload(DETAIL)
    assert payload["type"] == "product"
    assert {"sku", "name", "brand", "category", "subcategory", "price", "currency", "colors", "sizes", "stock",
            "rating", "description", "image_url", "tags", "variants_in_stock"} <= set(payload)
    assert payload["price"] == 89.99 and payload["stock"] == 7 and payload["in_stock"] is True
    assert payload["variants_in_stock"] == [{"color": "black", "size": "9", "stock": 3},
                                            {"color": "blue", "size": "9", "stock": 4}]
    json.dumps(payload)


def test_compare_payload_adds_a_comparison_table() -> None:
    payload = compare_payload([DETAIL, DETAIL])
    assert payload["type"] == "products"
    assert set(payload["products"][0]) == PRODUCT_KEYS
    assert payload["comparison"][0] == {
        "sku": "RUN-1", "name": "Trailblazer 2", "brand": "Northpeak", "price": 89.99, "rating": 4.5,
        "colors": ["black", "blue"], "sizes": ["9"], "in_stock": True,
    }


def test_cart_payload() -> None:
    payload = cart_payload(CART)
    assert payload == {
        "type": "cart",
        "items": [
            {"sku": "RUN-1", "name": "Trailblazer 2", "quantity": 2, "unit_price": 89.99, "color": "black",
             "size": "9"},
            {"sku": "MUG-1", "name": "Mug", "quantity": 1, "unit_price": 12.5, "color": None, "size": None},
        ],
        "subtotal": 192.48, "discount": 19.25, "total": 173.23, "currency": "USD", "coupon": "SPRING10",
    }


def test_order_payload_with_tracking_and_an_iso_delivery_date() -> None:
    payload = order_payload(ORDER)
    assert {"type", "order_id", "status", "items", "total", "currency", "carrier", "tracking_number",
            "estimated_delivery"} <= set(payload)
    assert payload["type"] == "order" and payload["order_id"] == "CE-123456" and payload["status"] == "shipped"
    assert payload["total"] == 29.99 and payload["shipping_cost"] == 4.99
    assert payload["estimated_delivery"] == "2024-06-19"
    assert payload["items"] == [{"sku": "MUG-1", "name": "Mug", "quantity": 2, "unit_price": 12.5, "color": None,
                                 "size": None}]
    assert "email" not in payload and "shipping_address" not in payload
    json.dumps(payload)


def test_order_payload_leaves_out_what_is_not_known() -> None:
    bare = OrderView(order_id="CE-1", status="awaiting_payment", items=[], subtotal=Decimal("1"),
                     discount=Decimal("0"), shipping_cost=Decimal("0"), total=Decimal("1"), currency="USD",
                     email="a@b.co", shipping_method=None, shipping_address=None, placed_at=dt.datetime(2024, 1, 1))
    payload = order_payload(bare)
    assert not {"carrier", "tracking_number", "estimated_delivery", "payment_link"} & set(payload)


def test_return_and_handoff_payloads() -> None:
    request = ReturnView(return_id="R-000001", order_id="CE-123456", status="requested", reason="too small",
                         items=ORDER.items, refund_amount=Decimal("25.00"), currency="USD")
    payload = return_payload(request)
    assert payload["type"] == "return" and payload["refund"] == 25.0 and payload["return_id"] == "R-000001"
    assert handoff_payload("shopper_request") == {"type": "handoff", "reason": "shopper_request"}
    assert handoff_payload("shopper_request", 7) == {"type": "handoff", "reason": "shopper_request", "ticket": 7}
