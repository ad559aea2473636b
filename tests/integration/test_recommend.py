"""Recommendations: similar products and best sellers on SQLite."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update

from store.cart import add_item
from store.errors import UnknownProduct
from store.models import Product
from store.orders import cancel_order, place_order
from store.recommend import best_sellers, similar_products
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AddProduct = Callable[..., str]


@pytest.fixture
def runners(add_product: AddProduct) -> None:
    shoe = dict(category="shoes", subcategory="running shoes")
    add_product("BASE", "Trailblazer", brand="Northpeak", price="90.00", tags=["trail", "Waterproof"], **shoe)
    add_product("TWO-TAGS", "Other brand, both tags", brand="Zoom", price="150.00", tags=["waterproof", "trail"],
                rating="3.0", **shoe)
    add_product("ONE-TAG-BRAND", "Same brand, one tag", brand="northpeak", price="140.00", tags=["trail"], **shoe)
    add_product("ONE-TAG-NEAR", "Other brand, one tag, close price", brand="Zoom", price="95.00", tags=["trail"],
                **shoe)
    add_product("ONE-TAG-FAR", "Other brand, one tag, far price", brand="Zoom", price="30.00", tags=["trail"],
                rating="5.0", **shoe)
    add_product("PLAIN-HI", "No tags, rated", brand="Zoom", price="90.00", rating="4.8", **shoe)
    add_product("PLAIN-LO", "No tags, rated lower", brand="Zoom", price="90.00", rating="4.1", **shoe)
    add_product("SOLD-OUT", "Same everything, no stock", brand="Northpeak", price="90.00",
                tags=["trail", "waterproof"], stock=0, **shoe)
    add_product("BOOT", "Hiking boot", brand="Northpeak", category="Shoes", subcategory="hiking boots",
                price="90.00", tags=["trail", "waterproof"])
    add_product("PHONE", "Phone", brand="Northpeak", category="electronics", subcategory="phones", price="90.00",
                tags=["trail", "waterproof"])


def skus(products: list) -> list[str]:
    return [p.sku for p in products]


def test_similar_products_are_ranked(uow_factory: UowFactory, runners: None) -> None:
    with uow_factory() as uow:
        result = similar_products("BASE", uow, limit=10)
    assert skus(result) == ["TWO-TAGS", "ONE-TAG-BRAND", "ONE-TAG-NEAR", "ONE-TAG-FAR", "PLAIN-HI", "PLAIN-LO",
                            "BOOT"]
    assert all(p.in_stock for p in result)


def test_similar_products_default_limit_and_sku_case(uow_factory: UowFactory, runners: None) -> None:
    with uow_factory() as uow:
        assert skus(similar_products("base", uow)) == ["TWO-TAGS", "ONE-TAG-BRAND", "ONE-TAG-NEAR"]
        assert similar_products("BASE", uow, limit=0) == []


def test_similar_products_skip_inactive_ones(uow_factory: UowFactory, runners: None) -> None:
    with uow_factory() as uow:
        uow.session.execute(update(Product).where(Product.sku == "TWO-TAGS").values(active=False))
        uow.commit()
        assert "TWO-TAGS" not in skus(similar_products("BASE", uow, limit=10))


def test_similar_products_by_category_when_there_is_no_subcategory(uow_factory: UowFactory,
                                                                   add_product: AddProduct) -> None:
    add_product("MUG", "Mug", category="home & kitchen", price="10.00")
    add_product("PAN", "Pan", category="Home & Kitchen", subcategory="pans", price="12.00")
    add_product("LAMP", "Lamp", category="home", price="10.00")
    with uow_factory() as uow:
        assert skus(similar_products("MUG", uow)) == ["PAN"]


def test_similar_products_of_an_unknown_sku(uow_factory: UowFactory, runners: None) -> None:
    with uow_factory() as uow, pytest.raises(UnknownProduct):
        similar_products("NOPE", uow)


# ----------------------------------------------------------------------------- best sellers


@pytest.fixture
def sales(uow_factory: UowFactory, add_product: AddProduct) -> None:
    add_product("TOP", "Top seller", category="shoes", subcategory="running shoes", rating="3.5", stock=10)
    add_product("SECOND", "Second", category="shoes", subcategory="sneakers", rating="4.9", stock=10)
    add_product("CANCELLED", "Only cancelled sales", category="shoes", rating="3.0", stock=10)
    add_product("UNSOLD-HI", "Unsold, well rated", category="clothing", rating="4.7", stock=10)
    add_product("UNSOLD", "Unsold, no rating", category="shoes", stock=10)
    add_product("GONE", "Best seller, sold out", category="shoes", rating="5.0", stock=4)

    def order(sender: str, sku: str, quantity: int) -> str:
        with uow_factory() as uow:
            add_item(sender, sku, quantity, uow)
            return place_order(sender, f"{sender}@example.com", "1 Long Road, Leeds", "standard", uow).order_id

    order("a", "TOP", 3)
    order("b", "TOP", 1)
    order("c", "SECOND", 2)
    order("d", "GONE", 4)
    cancelled = order("e", "CANCELLED", 9)
    with uow_factory() as uow:
        cancel_order(cancelled, uow, sender_id="e")


def test_best_sellers_by_units_then_rating(uow_factory: UowFactory, sales: None) -> None:
    with uow_factory() as uow:
        assert skus(best_sellers(uow)) == ["TOP", "SECOND", "UNSOLD-HI", "CANCELLED", "UNSOLD"]
        assert skus(best_sellers(uow, limit=2)) == ["TOP", "SECOND"]
        assert best_sellers(uow, limit=0) == []


def test_best_sellers_in_a_category(uow_factory: UowFactory, sales: None) -> None:
    with uow_factory() as uow:
        assert skus(best_sellers(uow, category="SHOES")) == ["TOP", "SECOND", "CANCELLED", "UNSOLD"]
        assert skus(best_sellers(uow, category="running shoe")) == ["TOP"]
        assert skus(best_sellers(uow, category=" Sneakers ")) == ["SECOND"]
        assert skus(best_sellers(uow, category="clothing")) == ["UNSOLD-HI"]
        assert best_sellers(uow, category="boats") == []


def test_best_sellers_without_any_order(uow_factory: UowFactory, add_product: AddProduct) -> None:
    add_product("A", rating="4.0")
    add_product("B", rating="4.5")
    add_product("C")
    with uow_factory() as uow:
        assert skus(best_sellers(uow)) == ["B", "A", "C"]
