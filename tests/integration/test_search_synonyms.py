"""Retail synonyms in search(): a shopper's word finds products named with another word, below exact matches.

On SQLite through FTS5 and through the ILIKE path, and on PostgreSQL when it is reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy.orm import sessionmaker

import store.search as search_module
from store.catalog import ensure_search_index
from store.db import create_schema, get_engine, get_session_factory
from store.models import Product, Variant
from store.policies import load_policies
from store.synonyms import Alternative
from store.uow import UnitOfWork
from tests.integration.test_search_ranking import run, skus

UowFactory = Callable[[], UnitOfWork]

FURNITURE = [  # (sku, name, description)
    ("COUCH-1", "Chesterfield Couch", "Deep buttoned, three seats."),
    ("SOFA-1", "Corner Sofa Bed", "Pulls out into a double bed."),
    ("SOFA-2", "Leather Sofa", "Full grain leather, two seats."),
    ("CHAIR-1", "Leather Armchair", "Matches the sofas of the range."),
    ("TABLE-1", "Coffee Table", "Oak."),
]


def add_products(factory: sessionmaker, items: list[tuple[str, str, str]], *, brand: str, category: str,
                 price: str, stock: int) -> UowFactory:
    """Products (sku, name, description) of one brand and category, one variant each; a UnitOfWork factory."""
    with UnitOfWork(factory) as uow:
        for sku, name, description in items:
            product = Product(sku=sku, name=name, brand=brand, category=category, price=Decimal(price),
                              currency="USD", tags=[], description=description)
            product.variants.append(Variant(color="", size="", stock=stock))
            uow.session.add(product)
        uow.commit()
    return lambda: UnitOfWork(factory)


def add_furniture(factory: sessionmaker) -> UowFactory:
    return add_products(factory, FURNITURE, brand="Homely", category="furniture", price="100.00", stock=3)


@pytest.fixture
def furniture(session_factory: sessionmaker) -> UowFactory:
    return add_furniture(session_factory)


def check_couch(factory: UowFactory) -> None:
    couch = run(factory, text="couch")
    assert skus(couch)[0] == "COUCH-1"  # the word typed first...
    assert set(skus(couch)[1:3]) == {"SOFA-1", "SOFA-2"}  # ...then products named with a synonym
    assert "TABLE-1" not in skus(couch)
    # no product says 'settee': the sofas (and the couch) are found through the same group
    assert {"COUCH-1", "SOFA-1", "SOFA-2"} <= set(skus(run(factory, text="settee")))
    # a synonym of the missing word beats holding one word of two
    assert skus(run(factory, text="leather couch"))[0] == "SOFA-2"


def test_a_synonym_finds_products_below_the_exact_match(furniture: UowFactory, engine_kind: str) -> None:
    check_couch(furniture)


def test_without_synonyms_the_word_alone_is_searched(furniture: UowFactory, engine_kind: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "_synonyms_of", lambda words, retrieval: {})
    assert skus(run(furniture, text="couch")) == ["COUCH-1"]


def test_sorted_searches_use_synonyms_too(furniture: UowFactory, engine_kind: str) -> None:
    found = run(furniture, text="couch", sort="price_asc")
    assert set(skus(found)) == {"COUCH-1", "SOFA-1", "SOFA-2", "CHAIR-1"}  # the chair's description says sofas


def test_only_synonyms_the_catalog_uses_are_searched(furniture: UowFactory, engine_kind: str) -> None:
    with furniture() as uow:
        ensure_search_index(uow.session)
        catalog, _ = search_module._load_catalog(uow.session)
        retrieval = search_module._Retrieval(uow.session, [Product.active.is_(True)], catalog)
        found = search_module._synonyms_of(["couch"], retrieval)
        assert found == {"couch": (Alternative("sofa", 0.5),)}  # 'settee' is in the group, not in the catalog
        assert search_module._synonyms_of(["table"], retrieval) == {}


def test_a_store_adds_its_own_synonyms(furniture: UowFactory, engine_kind: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert skus(run(furniture, text="chesterfield")) == ["COUCH-1"]
    policies = replace(load_policies(), synonyms=(("chesterfield", "leather sofa"),))
    monkeypatch.setattr(search_module, "load_policies", lambda: policies)
    assert skus(run(furniture, text="chesterfield")) == ["COUCH-1", "SOFA-2"]


def test_an_initialism_finds_the_spelled_out_products_on_the_first_page(session_factory: sessionmaker,
                                                                        engine_kind: str) -> None:
    # more products say 'SSD' (accessories) than the ranking's pool holds: the drives that never say it must
    # still reach the first page, because 'ssd' and 'solid state drive' are one term
    items = [(f"BRACKET-{i:02d}", f"Mounting bracket {i} for an SSD", "")
             for i in range(search_module.RERANK_POOL + 5)]
    items += [(f"DRIVE-{i}", f"Internal solid state drive {size} GB", "") for i, size in enumerate((256, 512, 1024))]
    factory = add_products(session_factory, items, brand="Acme", category="computing", price="50.00", stock=1)
    first_page = skus(run(factory, text="ssd"))[:10]
    assert {"DRIVE-0", "DRIVE-1", "DRIVE-2"} <= set(first_page)


def test_a_partial_match_holding_the_word_typed_comes_before_synonyms_only(session_factory: sessionmaker,
                                                                          engine_kind: str) -> None:
    # no product holds 'phone' and 'charger': the products holding 'charger' as typed must reach the ranking
    # ahead of the many that only hold a synonym of it ('power adapter'), however well those score
    items = [(f"ADAPTER-{i:02d}", "AC Adapter power adapter", "AC adapter")
             for i in range(search_module.RERANK_POOL + 5)]
    items += [(f"CHARGER-{i}", f"Volt {i} Travel Kit",
               "Compact and light, with two ports, a folding plug, a status light, a pouch and a charger, "
               "for every trip you take") for i in range(3)]
    factory = add_products(session_factory, items, brand="Acme", category="electronics", price="20.00", stock=1)
    found = skus(run(factory, text="phone charger"))
    assert set(found[:3]) == {"CHARGER-0", "CHARGER-1", "CHARGER-2"}


@pytest.fixture
def postgres_furniture(postgres_url: str) -> Iterator[UowFactory]:
    create_schema(get_engine(postgres_url))
    search_module.clear_search_cache()
    yield add_furniture(get_session_factory(postgres_url))
    search_module.clear_search_cache()


@pytest.mark.postgres
def test_a_synonym_finds_products_below_the_exact_match_on_postgresql(postgres_furniture: UowFactory) -> None:
    check_couch(postgres_furniture)
