"""Relevance of search() on small SQLite catalogs, through FTS5 and through the ILIKE path used by PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import store.search as search_module
from store.search import search
from store.types import SearchQuery, SearchResult
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AddProduct = Callable[..., str]


@pytest.fixture(params=["fts", "ilike"])
def engine_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on SQLite's FTS5 and on the ILIKE path used by PostgreSQL."""
    if request.param == "ilike":
        monkeypatch.setattr(search_module, "_use_fts", lambda _session: False)
    return request.param


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
