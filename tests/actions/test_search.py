"""action_search_products and action_refine_search on a small real catalog."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions import names
from actions.search import ActionRefineSearch, ActionSearchProducts
from actions.services import StoreServices
from tests.actions.conftest import make_tracker, message, payload, responses, run


async def search(services: StoreServices, text: str, **entities: object) -> tuple[list, object]:
    tracker = make_tracker(intent=names.SEARCH_PRODUCT, text=text, entities=entities)
    return await run(ActionSearchProducts(services), tracker)


async def test_results_with_a_products_payload_and_the_slots(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await search(services, "running shoes under $100", category="running shoes",
                                      price_max="100")
    assert responses(dispatcher) == [names.UTTER_SEARCH_RESULTS]
    sent = message(dispatcher, names.UTTER_SEARCH_RESULTS)
    assert (sent["count"], sent["total"]) == (2, 2)
    products = payload(dispatcher, "products")["products"]
    assert [p["sku"] for p in products] == ["RUN-1", "RUN-3"]
    filters = services.query_to_dict(services.search_products("running shoes under $100",
                                                              {"category": "running shoes", "price_max": "100"},
                                                              None).query)
    assert events == [SlotSet(names.SLOT_SEARCH_FILTERS, filters), SlotSet(names.SLOT_SHOWN_PRODUCTS,
                                                                            ["RUN-1", "RUN-3"])]
    assert filters["price_max"] == "100.00"


async def test_one_result_becomes_the_product_in_focus(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await search(services, "Zentrix earbuds", brand="Zentrix")
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == ["EAR-1"]
    assert events[1:] == [SlotSet(names.SLOT_SHOWN_PRODUCTS, ["EAR-1"]), SlotSet(names.SLOT_LAST_PRODUCT, "EAR-1")]


async def test_entities_win_over_the_words(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await search(services, "show me running shoes", category="running shoes", color="White")
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == ["RUN-2"]


async def test_nothing_found_offers_alternatives(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await search(services, "green running shoes", category="running shoes", color="green")
    assert responses(dispatcher) == [names.UTTER_NO_RESULTS_ALTERNATIVES]
    sent = message(dispatcher, names.UTTER_NO_RESULTS_ALTERNATIVES)
    assert "green" in sent["understood"] and "green" not in sent["relaxed"]
    shown = [p["sku"] for p in payload(dispatcher, "products")["products"]]
    assert shown and set(shown) <= {"RUN-1", "RUN-2", "RUN-3"}
    assert events[1] == SlotSet(names.SLOT_SHOWN_PRODUCTS, shown)


async def test_nothing_at_all(services: StoreServices, add_product) -> None:  # noqa: ANN001
    add_product("MUG-1", "Stoneware Mug", category="home & kitchen", stock=0)  # nothing in stock to offer
    events, dispatcher = await search(services, "xylophone")
    assert responses(dispatcher) == [names.UTTER_NO_RESULTS]
    assert message(dispatcher, names.UTTER_NO_RESULTS)["understood"]
    assert payload(dispatcher, "products") is None
    assert events[1] == SlotSet(names.SLOT_SHOWN_PRODUCTS, [])


async def refine(services: StoreServices, filters: dict | None, shown: list[str], text: str = "",
                 **entities: object) -> tuple[list, object]:
    tracker = make_tracker(intent=names.REFINE_SEARCH, text=text, entities=entities,
                           slots={names.SLOT_SEARCH_FILTERS: filters, names.SLOT_SHOWN_PRODUCTS: shown})
    return await run(ActionRefineSearch(services), tracker)


@pytest.fixture
async def shoes(services: StoreServices, catalog: dict) -> tuple[dict, list[str]]:
    """A search for running shoes: (search_filters, shown_products)."""
    events, _ = await search(services, "running shoes", category="running shoes")
    return events[0]["value"], events[1]["value"]


async def test_cheaper_than_what_was_shown(services: StoreServices, shoes: tuple) -> None:
    filters, shown = shoes
    assert set(shown) == {"RUN-1", "RUN-2", "RUN-3"}
    events, dispatcher = await refine(services, filters, shown, "cheaper ones", refinement="cheaper")
    assert responses(dispatcher) == [names.UTTER_SEARCH_RESULTS]
    cheaper = [p["sku"] for p in payload(dispatcher, "products")["products"]]
    assert cheaper and "RUN-2" not in cheaper
    assert float(events[0]["value"]["price_max"]) < 120


@pytest.mark.parametrize(("refinement", "response", "order"), [
    ("cheapest", names.UTTER_SEARCH_CHEAPEST_FIRST, ["RUN-3", "RUN-1", "RUN-2"]),
    ("priciest", names.UTTER_SEARCH_PRICIEST_FIRST, ["RUN-2", "RUN-1", "RUN-3"]),
    ("top_rated", names.UTTER_SEARCH_TOP_RATED_FIRST, ["RUN-1", "RUN-2", "RUN-3"]),
])
async def test_the_same_products_in_another_order(services: StoreServices, shoes: tuple, refinement: str,
                                                  response: str, order: list[str]) -> None:
    filters, shown = shoes
    events, dispatcher = await refine(services, filters, shown, "sort them", refinement=refinement)
    assert responses(dispatcher) == [response]
    assert message(dispatcher, response)["total"] == 3
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == order
    assert events[1] == SlotSet(names.SLOT_SHOWN_PRODUCTS, order)


async def test_an_order_without_a_search_asks_what_to_look_for(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await refine(services, None, [], "which is the cheapest", refinement="cheapest")
    assert responses(dispatcher) == [names.UTTER_NO_SEARCH_YET] and events == []


async def test_pricier_than_what_was_shown(services: StoreServices, shoes: tuple) -> None:
    filters, shown = shoes
    events, dispatcher = await refine(services, filters, shown, "fancier", refinement="pricier")
    pricier = {p["sku"] for p in payload(dispatcher, "products")["products"]}
    assert "RUN-2" in pricier and "RUN-3" not in pricier  # dearer than the average of what was shown
    assert float(events[0]["value"]["price_min"]) > 59.50


async def test_a_new_colour_keeps_the_other_filters(services: StoreServices, shoes: tuple) -> None:
    filters, shown = shoes
    _, dispatcher = await refine(services, filters, shown, "in red", color="red")
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == ["RUN-3"]


async def test_a_search_that_only_filters_the_results_shown_refines_them(services: StoreServices,
                                                                         shoes: tuple) -> None:
    filters, shown = shoes
    slots = {names.SLOT_SEARCH_FILTERS: filters, names.SLOT_SHOWN_PRODUCTS: shown}
    tracker = make_tracker(intent=names.SEARCH_PRODUCT, text="any of them in red?", entities={"color": "red"},
                           slots=slots)
    events, dispatcher = await run(ActionSearchProducts(services), tracker)
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == ["RUN-3"]
    kind = ("category", "subcategory", "text")
    assert [events[0]["value"].get(k) for k in kind] == [filters.get(k) for k in kind]
    assert events[0]["value"]["color"] == "red"
    # without a word pointing at the results, or with a kind of product, it is a new search
    for text, entities in (("anything in red?", {"color": "red"}),
                           ("any of them in red? I mean t-shirts", {"color": "red", "category": "t-shirts"})):
        tracker = make_tracker(intent=names.SEARCH_PRODUCT, text=text, entities=entities, slots=slots)
        events, _ = await run(ActionSearchProducts(services), tracker)
        assert [events[0]["value"].get(k) for k in kind] != [filters.get(k) for k in kind]


async def test_more_pages_then_no_more(services: StoreServices, shoes: tuple) -> None:
    filters, shown = shoes
    events, dispatcher = await refine(services, filters, shown, "show me more", refinement="more")
    assert responses(dispatcher) == [names.UTTER_NO_MORE_RESULTS]
    assert events == [SlotSet(names.SLOT_SEARCH_FILTERS, {**filters, "offset": 5})]


async def test_more_shows_the_next_page(services: StoreServices, add_product) -> None:  # noqa: ANN001
    for number in range(7):
        add_product(f"SOCK-{number}", f"Wool Sock {number}", category="clothing", subcategory="socks",
                    price=f"{5 + number}.00")
    first, _ = await search(services, "socks", category="socks")
    assert len(first[1]["value"]) == 5
    events, dispatcher = await refine(services, first[0]["value"], first[1]["value"], "more", refinement="more")
    assert responses(dispatcher) == [names.UTTER_SEARCH_MORE]
    assert message(dispatcher, names.UTTER_SEARCH_MORE)["count"] == 2
    assert len(events[1]["value"]) == 2 and not set(events[1]["value"]) & set(first[1]["value"])


async def test_a_new_category_is_a_new_search(services: StoreServices, shoes: tuple) -> None:
    filters, shown = shoes
    events, dispatcher = await refine(services, filters, shown, "what about earbuds", category="earbuds")
    assert responses(dispatcher) == [names.UTTER_SEARCH_RESULTS]
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == ["EAR-1"]
    assert events[0]["value"].get("subcategory") == "earbuds"


async def test_refining_without_a_search_is_a_new_search(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await refine(services, None, [], "in white", color="white")
    assert responses(dispatcher) == [names.UTTER_SEARCH_RESULTS]


async def test_more_without_a_search_asks_what_to_look_for(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await refine(services, None, [], "show me more", refinement="more")
    assert responses(dispatcher) == [names.UTTER_NO_SEARCH_YET]
    assert events == []


async def test_a_typed_intent_is_not_read_as_words(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await search(services, '/search_product{"category": "earbuds"}', category="earbuds")
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == ["EAR-1"]


async def test_a_very_long_message_is_cut(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await search(services, "shoes " * 20000)
    assert responses(dispatcher) in ([names.UTTER_SEARCH_RESULTS], [names.UTTER_NO_RESULTS_ALTERNATIVES])
