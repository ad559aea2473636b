"""Relevance of search() on small SQLite catalogs, through FTS5 and through the ILIKE path used by PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

import store.search as search_module
from store.models import Product
from store.search import search
from store.types import SearchQuery, SearchResult
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AddProduct = Callable[..., str]


def run(uow_factory: UowFactory, **query: object) -> SearchResult:
    with uow_factory() as uow:
        return search(SearchQuery(**{"limit": 10, **query}), uow, log=False)  # type: ignore[arg-type]


def skus(result: SearchResult) -> list[str]:
    return [p.sku for p in result.products]


@pytest.fixture
def gadgets(uow_factory: UowFactory, add_product: AddProduct) -> UowFactory:
    """Speakers, other Bluetooth things and a loosely filed 'keyboard' kind (one filed, three more named)."""
    add_product("SPK-1", "Acme Bluetooth Speaker", category="electronics", subcategory="speaker")
    add_product("SPK-2", "Zen Portable Speaker", category="electronics", subcategory="speaker")
    add_product("BT-1", "Bolt Bluetooth Mouse", category="electronics", subcategory="mouse")
    add_product("BT-2", "Bolt Bluetooth Adapter", category="electronics")
    add_product("BT-3", "Bolt Bluetooth Dongle", category="electronics")
    add_product("KB-1", "Compact Keyboard", category="electronics", subcategory="keyboard")
    add_product("KB-2", "Office Keyboard USB", category="electronics")
    add_product("KB-3", "Gaming Keyboard RGB", category="electronics")
    add_product("KB-4", "Keyboard Cover", category="electronics", subcategory="keyboard cover")
    add_product("REST-1", "Wrist Rest", category="electronics", description="Soft rest for keyboard and speaker")
    return uow_factory


def test_every_word_first_then_the_main_word(gadgets: UowFactory, engine_kind: str) -> None:
    result = run(gadgets, text="bluetooth speaker")
    # then products holding the main word (a speaker without Bluetooth, a description naming speakers)...
    assert skus(result) == ["SPK-1", "SPK-2", "REST-1"]
    assert result.total == 3  # ...but none holding only the more common 'bluetooth' (mouse, adapter, dongle)


def test_partial_matches_only_when_few_products_hold_every_word(gadgets: UowFactory, engine_kind: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "FILL_BELOW", 1)
    result = run(gadgets, text="bluetooth speaker")
    assert skus(result) == ["SPK-1"] and result.total == 1


def test_any_word_when_no_product_holds_them_all(gadgets: UowFactory, engine_kind: str) -> None:
    result = run(gadgets, text="portable dongle")
    assert set(skus(result)) == {"SPK-2", "BT-3"} and result.total == 2


def test_a_loosely_filed_kind_ranks_instead_of_filtering(gadgets: UowFactory, engine_kind: str) -> None:
    # only KB-1 is filed under 'keyboard', but four products say it: the kind is a word to rank by
    result = run(gadgets, subcategory="keyboard")
    assert set(skus(result)) == {"KB-1", "KB-2", "KB-3", "KB-4", "REST-1"}
    assert skus(result)[3:] == ["KB-4", "REST-1"]  # a cover is made for keyboards; the rest only mentions them
    assert result.query.subcategory == "keyboard"


def test_a_reliably_filed_kind_still_filters(gadgets: UowFactory, engine_kind: str) -> None:
    result = run(gadgets, subcategory="speaker")
    assert set(skus(result)) == {"SPK-1", "SPK-2"}  # every product named a speaker is filed so: a filter
    assert "REST-1" in skus(run(gadgets, text="speaker"))  # as a word, its description counts
    assert set(skus(run(gadgets, subcategory="speaker", text="bluetooth"))) == {"SPK-1"}


def test_a_word_no_product_holds_is_read_as_the_closest_catalog_word(gadgets: UowFactory, engine_kind: str) -> None:
    assert set(skus(run(gadgets, text="keybord"))) == {"KB-1", "KB-2", "KB-3", "KB-4", "REST-1"}
    assert run(gadgets, text="xylophone").products == []


def test_pages_beyond_the_reranked_pool_continue_without_repeats(gadgets: UowFactory, engine_kind: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "RERANK_POOL", 2)
    pages = [run(gadgets, text="bolt", limit=2, offset=offset) for offset in (0, 2, 4)]
    seen = [sku for page in pages for sku in skus(page)]
    assert sorted(seen) == ["BT-1", "BT-2", "BT-3"] and all(page.total == 3 for page in pages)


def test_brand_only_query_ranks_by_what_the_text_says(uow_factory: UowFactory, add_product: AddProduct,
                                                      engine_kind: str) -> None:
    add_product("A-1", "Acme Cable", brand="Acme", category="electronics", rating="5")
    add_product("A-2", "Acme Acme Charger", brand="Acme", category="electronics", description="Acme original",
                rating="1")
    add_product("Z-1", "Zen Charger", brand="Zen", category="electronics")
    result = run(uow_factory, brand="Acme")
    assert skus(result) == ["A-2", "A-1"]  # the product saying 'Acme' most, whatever the ratings


def test_a_changed_product_is_ranked_by_its_new_values(uow_factory: UowFactory, add_product: AddProduct,
                                                       engine_kind: str) -> None:
    # the ranking keeps products' folded words between searches; a change to the catalog must refresh them
    add_product("L-1", "Desk Lamp", category="electronics", rating="3")
    add_product("L-2", "Wall Lamp", category="electronics", rating="4")
    assert skus(run(uow_factory, text="lamp")) == ["L-2", "L-1"]  # equal words: the rating decides
    with uow_factory() as uow:
        lamp = uow.session.execute(select(Product).where(Product.sku == "L-1")).scalar_one()
        lamp.rating = Decimal("5")
        uow.commit()
    assert skus(run(uow_factory, text="lamp")) == ["L-1", "L-2"]


def test_a_product_deactivated_after_a_search_is_no_longer_found(uow_factory: UowFactory, add_product: AddProduct,
                                                                 engine_kind: str) -> None:
    add_product("L-1", "Desk Lamp", category="electronics")
    add_product("L-2", "Wall Lamp", category="electronics")
    assert run(uow_factory, text="lamp").total == 2
    with uow_factory() as uow:
        uow.session.execute(update(Product).where(Product.sku == "L-1").values(active=False))
        uow.commit()
    result = run(uow_factory, text="lamp")
    assert skus(result) == ["L-2"] and result.total == 1


def test_results_say_whether_a_product_is_in_stock(uow_factory: UowFactory, add_product: AddProduct,
                                                   engine_kind: str) -> None:
    add_product("L-1", "Desk Lamp", category="electronics", variants=[("red", "", 0), ("blue", "", 0)])
    add_product("L-2", "Wall Lamp", category="electronics", variants=[("red", "", 0), ("blue", "", 3)],
                price="12.50", rating="4.5")
    result = run(uow_factory, text="lamp", in_stock_only=False)
    by_sku = {p.sku: p for p in result.products}
    assert by_sku["L-1"].in_stock is False and by_sku["L-2"].in_stock is True
    assert by_sku["L-2"].price == Decimal("12.50") and by_sku["L-2"].rating == Decimal("4.5")
    assert by_sku["L-2"].brand == "Acme" and by_sku["L-2"].category == "electronics"


def test_the_total_counts_complete_and_partial_matches_once(gadgets: UowFactory, engine_kind: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "RERANK_POOL", 1)  # fewer candidates than matches: the total still counts all
    result = run(gadgets, text="bluetooth speaker", limit=1)
    assert result.total == 3 and skus(result) == ["SPK-1"]


def test_a_filter_that_keeps_every_product_changes_nothing(gadgets: UowFactory, engine_kind: str) -> None:
    # without filters the full-text index ranks and counts alone; with one, every match is joined to its product
    for text_value in ("bluetooth speaker", "keyboard", "bolt"):
        plain, filtered = run(gadgets, text=text_value), run(gadgets, text=text_value, price_min=Decimal("0"))
        assert skus(plain) == skus(filtered) and plain.total == filtered.total


def test_without_words_the_best_rated_come_first_and_unrated_last(uow_factory: UowFactory, add_product: AddProduct,
                                                                 engine_kind: str) -> None:
    add_product("U-1", "Bolt Lamp", category="electronics")  # no rating
    add_product("R-3", "Zen Lamp", category="electronics", rating="3")
    add_product("R-5B", "Bolt Cable", category="electronics", rating="5")
    add_product("R-5A", "Acme Cable", category="electronics", rating="5")
    assert skus(run(uow_factory)) == ["R-5A", "R-5B", "R-3", "U-1"]  # equal ratings by name
    assert skus(run(uow_factory, sort="rating")) == ["R-5B", "R-5A", "R-3", "U-1"]  # equal ratings by id


@pytest.mark.parametrize("by_id", [True, False], ids=["sold-out-by-id", "variants-checked"])
def test_a_search_in_stock_leaves_out_what_is_sold_out_now(uow_factory: UowFactory, add_product: AddProduct,
                                                           engine_kind: str, by_id: bool,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    if not by_id:  # more sold out than the limit: each match is checked against its variants instead
        monkeypatch.setattr(search_module, "SOLD_OUT_BY_ID", 0)
    add_product("L-1", "Desk Lamp", category="lighting", variants=[("red", "", 0), ("blue", "", 0)])
    add_product("L-2", "Wall Lamp", category="lighting", variants=[("red", "", 0), ("blue", "", 3)])
    add_product("L-3", "Lamp Shade", category="lighting", stock=1)
    with uow_factory() as uow:  # no variant at all: nothing to sell
        uow.session.add(Product(sku="L-4", name="Floor Lamp", brand="Acme", category="lighting",
                                price=Decimal("30.00"), currency="USD", tags=[]))
        uow.commit()
    found = run(uow_factory, text="lamp")
    assert sorted(skus(found)) == ["L-2", "L-3"] and found.total == 2
    assert sorted(skus(run(uow_factory, text="lamp", in_stock_only=False))) == ["L-1", "L-2", "L-3", "L-4"]

    with uow_factory() as uow:  # the last wall lamp sold, a desk lamp restocked: no product row changes
        uow.session.execute(text("UPDATE variants SET stock = 0 WHERE product_id = "
                                 "(SELECT id FROM products WHERE sku = 'L-2')"))
        uow.session.execute(text("UPDATE variants SET stock = 2 WHERE color = 'red' AND product_id = "
                                 "(SELECT id FROM products WHERE sku = 'L-1')"))
        uow.commit()
    found = run(uow_factory, text="lamp")
    assert sorted(skus(found)) == ["L-1", "L-3"] and found.total == 2
