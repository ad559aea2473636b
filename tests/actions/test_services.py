"""StoreServices: one unit of work per call, the cached vocabulary, and entity -> query mapping."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from actions import services as services_module
from actions.services import StoreServices, apply_entities, entity_changes
from store.catalog import Vocabulary
from store.types import SearchQuery
from store.uow import UnitOfWork

VOCABULARY = Vocabulary(brands=["Northpeak", "Zentrix"], categories=["shoes", "home & kitchen"],
                        subcategories=["running shoes", "earbuds"], colors=["black", "navy blue"], sizes=["9", "10"])


def test_entities_in_the_catalog_s_spelling() -> None:
    changes = entity_changes({"category": "Running Shoes", "brand": "northpeak", "color": "Navy Blue",
                              "size": "10.0", "price_min": "$20", "price_max": "100"}, VOCABULARY)
    assert changes == {"subcategory": "running shoes", "brand": "Northpeak", "color": "navy blue", "size": "10",
                       "price_min": Decimal("20.00"), "price_max": Decimal("100.00")}
    assert entity_changes({"category": "Shoe"}, VOCABULARY) == {"category": "shoes"}
    assert entity_changes({"category": "hoverboards"}, VOCABULARY) == {"text": "hoverboards"}
    assert entity_changes({"product": "Pulse Buds", "price_max": "cheap"}, VOCABULARY) == {"text": "Pulse Buds"}


def test_entities_override_what_the_words_suggested() -> None:
    understood = SearchQuery(text="comfy", category="shoes", color="red")
    query = apply_entities(understood, {"color": "black", "brand": "Zentrix"}, VOCABULARY)
    assert (query.text, query.category, query.color, query.brand) == ("comfy", "shoes", "black", "Zentrix")
    # an unknown category word does not replace a category the words gave
    assert apply_entities(understood, {"category": "kicks"}, VOCABULARY) == understood


def test_the_vocabulary_is_read_once_a_minute(uow_factory: Callable[[], UnitOfWork],
                                               add_product: Callable[..., str]) -> None:
    opened: list[int] = []

    def counting() -> UnitOfWork:
        opened.append(1)
        return uow_factory()

    now = [1000.0]
    services = StoreServices(counting, clock=lambda: now[0])
    add_product("A-1", "Thing", brand="Acme")
    assert services.vocabulary().brands == ["Acme"]
    add_product("B-1", "Other", brand="Bolt")
    now[0] += 59
    assert services.vocabulary().brands == ["Acme"]
    assert len(opened) == 1
    now[0] += 2
    assert sorted(services.vocabulary().brands) == ["Acme", "Bolt"]
    assert len(opened) == 2


def test_default_services_are_made_on_first_use_and_kept() -> None:
    services_module.default_services.cache_clear()
    first = services_module.default_services()
    assert first is services_module.default_services()
    services_module.default_services.cache_clear()


def test_checkout_values_as_the_store_accepts_them(services: StoreServices) -> None:
    assert services.checkout_email(" Ana@Example.com ") == "ana@example.com"
    assert services.checkout_email("nope") is None
    assert services.checkout_email(None) is None
    assert services.checkout_address("1 Main St\nTown 12345") == "1 Main St, Town 12345"
    assert services.checkout_address("  ") is None
    assert services.order_number("ce 123456") == "CE-123456"
    assert services.order_number("hello") is None
    assert services.order_number(None) is None
