"""store.products.of_kind: which products of a list are of the kind a shopper named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.products import of_kind
from store.types import ProductSummary


def summary(sku: str, name: str, category: str, subcategory: str | None = None) -> ProductSummary:
    return ProductSummary(sku=sku, name=name, brand=None, category=category, subcategory=subcategory,
                          price=Decimal("10.00"), currency="USD", image_url=None, rating=None, in_stock=True)


LISTED = [
    summary("EAR-1", "Pulse Buds", "electronics", "earbuds"),
    summary("RUN-1", "Trailblazer Running Shoe", "shoes", "running shoes"),
    summary("BOOT-1", "Ridge Hiking Boot", "shoes", "boots"),
    summary("RUN-2", "Nimbus Road Runner", "Shoes", "Running Shoes"),
    summary("MUG-1", "Stoneware Mug", "home & kitchen"),
]


@pytest.mark.parametrize(("kind", "expected"), [
    ("running shoes", ["RUN-1", "RUN-2"]),
    ("running shoe", ["RUN-1", "RUN-2"]),  # singular or plural alike
    ("Running  Shoes", ["RUN-1", "RUN-2"]),
    ("shoes", ["RUN-1", "BOOT-1", "RUN-2"]),  # the category
    ("boot", ["BOOT-1"]),
    ("mugs", ["MUG-1"]),  # the name
    ("the earbuds", ["EAR-1"]),  # stop words aside
    ("hiking shoes", ["BOOT-1"]),  # every word somewhere: 'hiking' in the name, 'shoes' the category
    ("laptops", []),
    ("", []),
    ("the", []),
])
def test_products_of_a_kind_keep_their_order(kind: str, expected: list[str]) -> None:
    assert [p.sku for p in of_kind(LISTED, kind)] == expected
