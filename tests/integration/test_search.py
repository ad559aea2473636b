"""Search and product lookup on SQLite (FTS5), and the same search through the ILIKE path."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

import store.search as search_module
from store.catalog import catalog_vocabulary, import_catalog
from store.db import create_schema, get_engine, get_session_factory
from store.errors import UnknownProduct
from store.models import SearchLog
from store.products import find_product
from store.search import search, understand
from store.types import SearchQuery, SearchResult
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


def product(sku: str, name: str, category: str, price: str, **extra: object) -> dict[str, object]:
    return {"sku": sku, "name": name, "category": category, "price": price, **extra}


CATALOG = [
    product("RUN-1", "Trailblazer 2 Running Shoe", "shoes", "89.99", brand="Northpeak", subcategory="running shoes",
            variants=[{"color": "blue", "size": "10", "stock": 3}, {"color": "blue", "size": "9", "stock": 0},
                      {"color": "black", "size": "9", "stock": 5}], rating=4.5,
            description="A light trail runner with a grippy sole.", tags=["trail"]),
    product("RUN-2", "Road Racer Running Shoe", "shoes", "129.00", brand="Swiftfoot", subcategory="running shoes",
            colors=["red"], sizes=["10", "11"], stock=2, rating=4.1, description="Fast and waterproof upper."),
    product("RUN-3", "Budget Jogger", "shoes", "39.00", brand="Northpeak", subcategory="running shoes",
            colors=["grey"], sizes=["8", "9"], stock=4, rating=3.9, description="Everyday running shoe."),
    product("RUN-4", "Sold Out Sprinter", "shoes", "59.00", brand="Swiftfoot", subcategory="running shoes",
            colors=["blue"], sizes=["10"], stock=0, rating=5),
    product("BOOT-1", "Waterproof Hiking Boot", "shoes", "149.00", brand="Northpeak", subcategory="hiking boots",
            colors=["brown"], sizes=["9", "10"], stock=6, rating=4.8, tags=["waterproof"]),
    product("HP-1", "Quiet Waves Headphones", "electronics", "199.00", brand="Aurora Audio", subcategory="headphones",
            colors=["black"], stock=5, rating=4.7, description="Noise cancelling over-ear headphones."),
    product("HP-2", "Pocket Buds", "electronics", "49.00", brand="Aurora Audio", subcategory="headphones",
            colors=["white"], stock=9, rating=4.0, description="Small wireless earbuds, a headphones alternative."),
    product("KIT-1", "Waterproof Apron", "home & kitchen", "19.50", brand="Chefly", stock=7,
            description="Keeps you dry."),
    product("KIT-2", "Pour Over Kettle", "home & kitchen", "45.00", brand="Brewden", subcategory="kettles", stock=2,
            rating=4.2, description="Gooseneck kettle. Pairs well with running mornings."),
    product("KIT-3", "Electric Kettle", "home & kitchen", "35.00", brand="Brewden", subcategory="kettles", stock=2),
]


@pytest.fixture
def catalog(uow_factory: UowFactory, tmp_path: Path) -> UowFactory:
    """The test catalog imported into the test database."""
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in CATALOG), encoding="utf-8")
    with uow_factory() as uow:
        summary = import_catalog(path, uow)
    assert summary.imported == len(CATALOG)
    return uow_factory


@pytest.fixture(params=["fts", "ilike"])
def engine_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on SQLite's FTS5 and on the ILIKE path used by PostgreSQL."""
    if request.param == "ilike":
        monkeypatch.setattr(search_module, "_use_fts", lambda _session: False)
    return request.param


def run(uow_factory: UowFactory, query: SearchQuery, **options: object) -> SearchResult:
    with uow_factory() as uow:
        return search(query, uow, **options)


def skus(result: SearchResult) -> list[str]:
    return [p.sku for p in result.products]


def test_name_match_ranks_above_description_match(catalog: UowFactory, engine_kind: str) -> None:
    result = run(catalog, SearchQuery(text="running", limit=10))
    assert set(skus(result)) == {"RUN-1", "RUN-2", "RUN-3", "KIT-2"}  # RUN-4 is out of stock
    assert skus(result)[-1] == "KIT-2"  # only its description says "running"
    assert result.total == 4


def test_all_words_first_then_any_word(catalog: UowFactory, engine_kind: str) -> None:
    assert skus(run(catalog, SearchQuery(text="waterproof boot"))) == ["BOOT-1"]
    any_word = run(catalog, SearchQuery(text="waterproof gooseneck", limit=10))
    assert set(skus(any_word)) == {"BOOT-1", "KIT-1", "RUN-2", "KIT-2"}


def test_stemming_matches_plural_and_singular(catalog: UowFactory) -> None:
    assert "BOOT-1" in skus(run(catalog, SearchQuery(text="boots")))
    assert set(skus(run(catalog, SearchQuery(text="kettles")))) == {"KIT-2", "KIT-3"}


def test_filters(catalog: UowFactory, engine_kind: str) -> None:
    assert set(skus(run(catalog, SearchQuery(category="electronics")))) == {"HP-1", "HP-2"}
    assert set(skus(run(catalog, SearchQuery(category="Headphones")))) == {"HP-1", "HP-2"}
    assert set(skus(run(catalog, SearchQuery(category="shoes", brand="NORTHPEAK")))) == {"RUN-1", "RUN-3", "BOOT-1"}
    assert skus(run(catalog, SearchQuery(category="shoes", color="Blue"))) == ["RUN-1"]
    assert skus(run(catalog, SearchQuery(category="shoes", size="8"))) == ["RUN-3"]
    priced = run(catalog, SearchQuery(price_min=Decimal("45.00"), price_max=Decimal("89.99"), limit=10))
    assert set(skus(priced)) == {"RUN-1", "HP-2", "KIT-2"}


def test_stock_of_the_colour_and_size_asked_for(catalog: UowFactory, engine_kind: str) -> None:
    assert skus(run(catalog, SearchQuery(subcategory="running shoes", color="blue", size="10"))) == ["RUN-1"]
    # RUN-1 has blue/9 but none in stock; black/9 in stock does not count for a blue/9 request.
    result = run(catalog, SearchQuery(subcategory="running shoes", color="blue", size="9"))
    assert result.products == []
    everything = run(catalog, SearchQuery(subcategory="running shoes", color="blue", in_stock_only=False, limit=10))
    assert set(skus(everything)) == {"RUN-1", "RUN-4"}
    assert {p.sku: p.in_stock for p in everything.products} == {"RUN-1": True, "RUN-4": False}


def test_typos_in_brand_and_category_filters(catalog: UowFactory, engine_kind: str) -> None:
    result = run(catalog, SearchQuery(category="runing shoes", brand="Nothpeak"))
    assert set(skus(result)) == {"RUN-1", "RUN-3"}
    assert (result.query.category, result.query.brand) == ("running shoes", "Northpeak")
    assert set(skus(run(catalog, SearchQuery(category="kettle")))) == {"KIT-2", "KIT-3"}


def test_unknown_category_becomes_search_text(catalog: UowFactory) -> None:
    result = run(catalog, SearchQuery(category="aprons"))
    assert skus(result) == ["KIT-1"]
    assert result.query.category is None and result.query.text == "aprons"


def test_sorting(catalog: UowFactory, engine_kind: str) -> None:
    query = SearchQuery(subcategory="running shoes", limit=10)
    assert skus(run(catalog, replace(query, sort="price_asc"))) == ["RUN-3", "RUN-1", "RUN-2"]
    assert skus(run(catalog, replace(query, sort="price_desc"))) == ["RUN-2", "RUN-1", "RUN-3"]
    assert skus(run(catalog, replace(query, sort="rating"))) == ["RUN-1", "RUN-2", "RUN-3"]


def test_pagination(catalog: UowFactory, engine_kind: str) -> None:
    first = run(catalog, SearchQuery(sort="price_asc", limit=3))
    second = run(catalog, SearchQuery(sort="price_asc", limit=3, offset=3))
    beyond = run(catalog, SearchQuery(sort="price_asc", limit=3, offset=30))
    assert first.total == second.total == beyond.total == 9
    assert skus(first) == ["KIT-1", "KIT-3", "RUN-3"]
    assert skus(second) == ["KIT-2", "HP-2", "RUN-1"]
    assert beyond.products == [] and beyond.alternatives == []


def test_alternatives_when_nothing_matches(catalog: UowFactory, engine_kind: str) -> None:
    result = run(catalog, SearchQuery(subcategory="running shoes", brand="Northpeak", color="red"))
    assert result.total == 0 and result.products == []
    assert result.relaxed == ["color"]
    assert {p.sku for p in result.alternatives} == {"RUN-1", "RUN-3"}

    result = run(catalog, SearchQuery(subcategory="headphones", price_max=Decimal("20")))
    assert result.relaxed == ["price"]
    assert [p.sku for p in result.alternatives] == ["HP-1", "HP-2"]

    result = run(catalog, SearchQuery(subcategory="running shoes", size="12", brand="Chefly"))
    assert result.relaxed == ["size", "brand"]
    assert len(result.alternatives) == 3


def test_alternatives_without_text(catalog: UowFactory) -> None:
    result = run(catalog, SearchQuery(text="unicorn saddle", category="shoes"))
    assert result.relaxed == ["text"]
    assert len(result.alternatives) == 3 and all(p.category == "shoes" for p in result.alternatives)


def test_no_alternatives_when_nothing_asked_for_would_be_left(catalog: UowFactory) -> None:
    result = run(catalog, SearchQuery(text="unicorn saddle"))
    assert result.total == 0 and result.alternatives == [] and result.relaxed == []
    result = run(catalog, SearchQuery(text="unicorn saddle", price_max=Decimal("1000")))
    assert result.relaxed == ["text"] and result.alternatives
    assert all(p.price <= Decimal("1000") for p in result.alternatives)


def test_fts_syntax_in_shopper_text_does_not_break_search(catalog: UowFactory) -> None:
    for shopper_text in ['"shoes AND (', "shoes OR", "NEAR(running", "*", "running -shoe", "{name}: x", "^kettle", "'"]:
        result = run(catalog, SearchQuery(text=shopper_text), log=False)
        assert isinstance(result.total, int)
    assert skus(run(catalog, SearchQuery(text='"kettle" AND ('), log=False))[0].startswith("KIT")


def test_understood_text_end_to_end(catalog: UowFactory, engine_kind: str) -> None:
    with catalog() as uow:
        vocabulary = catalog_vocabulary(uow)
        result = search(understand("show me blue nothpeak runing shoes size 10 under $100", vocabulary), uow)
    assert skus(result) == ["RUN-1"]
    with catalog() as uow:
        result = search(understand("cheapest kettle", vocabulary), uow)
    assert skus(result) == ["KIT-3", "KIT-2"]


def test_inactive_products_are_not_found(catalog: UowFactory, tmp_path: Path, engine_kind: str) -> None:
    path = tmp_path / "smaller.jsonl"
    path.write_text(json.dumps(CATALOG[0]), encoding="utf-8")
    with catalog() as uow:
        import_catalog(path, uow)
    assert skus(run(catalog, SearchQuery(limit=10))) == ["RUN-1"]
    assert run(catalog, SearchQuery(text="kettle")).products == []


def test_products_added_without_import_are_indexed_on_demand(uow_factory: UowFactory,
                                                             add_product: Callable[..., str]) -> None:
    add_product("LAMP-1", "Desk Lamp", category="home", description="Warm light")
    assert skus(run(uow_factory, SearchQuery(text="lamp"))) == ["LAMP-1"]
    add_product("LAMP-2", "Floor Lamp", category="home")
    assert set(skus(run(uow_factory, SearchQuery(text="lamp")))) == {"LAMP-1", "LAMP-2"}


def test_search_log(catalog: UowFactory) -> None:
    run(catalog, SearchQuery(text="kettle", brand="Brewden", price_max=Decimal("50")), sender_id="alice")
    run(catalog, SearchQuery(text="unicorn"), sender_id="bob")
    run(catalog, SearchQuery(text="not logged"), log=False)
    with catalog() as uow:
        logs = [(log.sender_id, log.text, log.results, log.filters)
                for log in uow.session.execute(select(SearchLog).order_by(SearchLog.id)).scalars()]
    assert [log[:3] for log in logs] == [("alice", "kettle", 2), ("bob", "unicorn", 0)]
    assert logs[0][3]["brand"] == "Brewden"
    assert logs[0][3]["price_max"] == "50.00"
    json.dumps(logs[0][3])


def test_limit_is_clamped(catalog: UowFactory) -> None:
    result = run(catalog, SearchQuery(limit=10_000, sort="nonsense"), log=False)
    assert len(result.products) == 9 and result.query.limit == 50 and result.query.sort == "relevance"


# -------------------------------------------------------------------------------------------------- find_product


@pytest.mark.parametrize(("name", "sku"), [
    ("Trailblazer 2 Running Shoe", "RUN-1"),
    ("trailblazer 2 running shoe", "RUN-1"),
    ("run-2", "RUN-2"),
    ("KIT-3", "KIT-3"),
    ("trailblazer", "RUN-1"),
    ("the road racer", "RUN-2"),
    ("quiet waves", "HP-1"),
    ("Trailblazr Runing Shoe", "RUN-1"),
    ("pour-over kettle", "KIT-2"),
])
def test_find_product(catalog: UowFactory, engine_kind: str, name: str, sku: str) -> None:
    with catalog() as uow:
        assert find_product(name, uow).sku == sku


@pytest.mark.parametrize("name", ["", "   ", "banana phone", "zzzz"])
def test_find_product_unknown(catalog: UowFactory, name: str) -> None:
    with catalog() as uow, pytest.raises(UnknownProduct):
        find_product(name, uow)


def test_find_product_ignores_inactive(catalog: UowFactory, tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(CATALOG[0]), encoding="utf-8")
    with catalog() as uow:
        import_catalog(path, uow)
    with catalog() as uow, pytest.raises(UnknownProduct):
        find_product("Electric Kettle", uow)


# -------------------------------------------------------------------------------------------------- PostgreSQL

@pytest.fixture
def postgres_uow_factory(postgres_url: str, tmp_path: Path) -> UowFactory:
    """A fresh PostgreSQL database holding the test catalog (dropped by `postgres_url`)."""
    create_schema(get_engine(postgres_url))
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in CATALOG), encoding="utf-8")
    factory = get_session_factory(postgres_url)
    with UnitOfWork(factory) as uow:
        import_catalog(path, uow)
    return lambda: UnitOfWork(factory)


@pytest.mark.postgres
def test_search_and_find_product_on_postgresql(postgres_uow_factory: UowFactory) -> None:
    factory = postgres_uow_factory
    result = run(factory, SearchQuery(text="running", limit=10))
    assert skus(result)[-1] == "KIT-2" and result.total == 4
    assert skus(run(factory, SearchQuery(text="waterproof boot"))) == ["BOOT-1"]
    assert skus(run(factory, SearchQuery(text='"kettle" AND (', sort="price_asc"))) == ["KIT-3", "KIT-2"]
    typo = run(factory, SearchQuery(category="runing shoes", brand="Nothpeak", color="blue", size="10"))
    assert skus(typo) == ["RUN-1"]
    empty = run(factory, SearchQuery(subcategory="headphones", price_max=Decimal("20")))
    assert empty.relaxed == ["price"] and [p.sku for p in empty.alternatives] == ["HP-1", "HP-2"]
    with factory() as uow:
        assert find_product("Trailblazr Runing Shoe", uow).sku == "RUN-1"
        assert find_product("pour-over kettle", uow).sku == "KIT-2"
        logged = uow.session.execute(select(SearchLog.results).order_by(SearchLog.id)).scalars().all()
    assert logged == [4, 1, 2, 1, 0]
