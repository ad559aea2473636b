"""action_product_details and action_compare_products."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions import names
from actions.details import ActionCompareProducts, ActionProductDetails
from actions.services import StoreServices
from tests.actions.conftest import make_tracker, message, payload, responses, run

SHOWN = {names.SLOT_SHOWN_PRODUCTS: ["RUN-1", "RUN-2", "EAR-1"]}
STOCK_DOMAIN = {"responses": {names.UTTER_STOCK_IN: [{"text": "{stock} in stock."}],
                              names.UTTER_STOCK_OUT: [{"text": "Sold out."}]}}


async def details(services: StoreServices, slots: dict | None = None, domain: dict | None = None,
                  **entities: object) -> tuple[list, object]:
    tracker = make_tracker(intent=names.PRODUCT_DETAILS, slots=slots, entities=entities)
    return await run(ActionProductDetails(services), tracker, domain=domain)


async def test_details_of_a_shown_product(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await details(services, SHOWN, STOCK_DOMAIN, mention="the second one")
    assert responses(dispatcher) == [names.UTTER_PRODUCT_DETAILS]
    sent = message(dispatcher, names.UTTER_PRODUCT_DETAILS)
    assert (sent["name"], sent["price"], sent["stock_text"]) == ("Nimbus Road Runner", "$120.00", "10 in stock.")
    product = payload(dispatcher, "product")
    assert product["sku"] == "RUN-2" and product["price"] == 120.0
    assert product["variants_in_stock"] == [{"color": "white", "size": "9", "stock": 5},
                                            {"color": "white", "size": "10", "stock": 5}]
    assert events == [SlotSet(names.SLOT_LAST_PRODUCT, "RUN-2")]


async def test_details_by_name(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await details(services, product="pulse buds")
    assert payload(dispatcher, "product")["sku"] == "EAR-1"
    assert events == [SlotSet(names.SLOT_LAST_PRODUCT, "EAR-1")]


async def test_details_of_the_product_in_focus(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await details(services, {names.SLOT_LAST_PRODUCT: "MUG-1", **SHOWN})
    assert payload(dispatcher, "product")["sku"] == "MUG-1"
    events, dispatcher = await details(services, {names.SLOT_LAST_PRODUCT: "MUG-1", **SHOWN}, mention="that one")
    assert payload(dispatcher, "product")["sku"] == "MUG-1"


MIXED = {names.SLOT_SHOWN_PRODUCTS: ["EAR-1", "RUN-1", "MUG-1", "RUN-2"]}


async def test_a_position_with_a_kind_counts_the_products_of_that_kind(services: StoreServices,
                                                                       catalog: dict) -> None:
    _, dispatcher = await details(services, MIXED, mention="second", category="running shoes")
    assert payload(dispatcher, "product")["sku"] == "RUN-2"  # the second running shoe, fourth in the list
    _, dispatcher = await details(services, MIXED, mention="first", category="running shoe")
    assert payload(dispatcher, "product")["sku"] == "RUN-1"
    _, dispatcher = await details(services, MIXED, mention="second")  # no kind: the list as shown
    assert payload(dispatcher, "product")["sku"] == "RUN-1"


async def test_a_kind_not_in_the_latest_list_is_found_in_an_earlier_one(services: StoreServices,
                                                                        catalog: dict) -> None:
    earlier = [{"event": "slot", "name": names.SLOT_SHOWN_PRODUCTS, "value": ["RUN-3", "RUN-2", "RUN-1"]},
               {"event": "slot", "name": names.SLOT_SHOWN_PRODUCTS, "value": ["EAR-1", "MUG-1"]}]
    tracker = make_tracker(intent=names.PRODUCT_DETAILS, slots={names.SLOT_SHOWN_PRODUCTS: ["EAR-1", "MUG-1"]},
                           entities={"mention": "second", "category": "running shoes"}, events=earlier)
    _, dispatcher = await run(ActionProductDetails(services), tracker)
    assert payload(dispatcher, "product")["sku"] == "RUN-2"


async def test_a_kind_never_shown_is_not_replaced_by_another_product(services: StoreServices,
                                                                     catalog: dict) -> None:
    events, dispatcher = await details(services, {names.SLOT_SHOWN_PRODUCTS: ["EAR-1", "MUG-1"]},
                                       mention="second", category="running shoes")
    assert responses(dispatcher) == [names.UTTER_WHICH_PRODUCT] and events == []


async def test_sold_out_and_no_fragment_in_the_domain(services: StoreServices, add_product) -> None:  # noqa: ANN001
    add_product("OLD-1", "Old Lamp", stock=0)
    _, dispatcher = await details(services, {names.SLOT_LAST_PRODUCT: "OLD-1"}, STOCK_DOMAIN)
    assert message(dispatcher, names.UTTER_PRODUCT_DETAILS)["stock_text"] == "Sold out."
    _, dispatcher = await details(services, {names.SLOT_LAST_PRODUCT: "OLD-1"}, {})
    assert message(dispatcher, names.UTTER_PRODUCT_DETAILS)["stock_text"] == ""


async def test_which_product_when_nothing_is_meant(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await details(services, SHOWN)
    assert responses(dispatcher) == [names.UTTER_WHICH_PRODUCT] and events == []
    events, dispatcher = await details(services, SHOWN, mention="the ninth one")
    assert responses(dispatcher) == [names.UTTER_WHICH_PRODUCT] and events == []


async def test_unknown_product(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await details(services, product="quantum flux capacitor")
    assert responses(dispatcher) == [names.UTTER_UNKNOWN_PRODUCT] and events == []
    events, dispatcher = await details(services, {names.SLOT_LAST_PRODUCT: "GONE-1"})
    assert responses(dispatcher) == [names.UTTER_UNKNOWN_PRODUCT] and events == []


async def compare(services: StoreServices, text: str = "", slots: dict | None = None,
                  entities: object = None) -> tuple[list, object]:
    tracker = make_tracker(intent=names.COMPARE_PRODUCTS, text=text, slots=slots, entities=entities)
    return await run(ActionCompareProducts(services), tracker)


def compared(dispatcher: object) -> list[str]:
    return [row["sku"] for row in payload(dispatcher, "products")["comparison"]]


async def test_compare_two_mentions(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await compare(services, "compare the first and third", SHOWN,
                                       [("mention", "first"), ("mention", "third")])
    assert responses(dispatcher) == [names.UTTER_COMPARE]
    assert message(dispatcher, names.UTTER_COMPARE)["names"] == "Trailblazer 2 Running Shoe, Pulse Buds"
    assert compared(dispatcher) == ["RUN-1", "EAR-1"]
    row = payload(dispatcher, "products")["comparison"][0]
    assert row == {"sku": "RUN-1", "name": "Trailblazer 2 Running Shoe", "brand": "Northpeak", "price": 89.99,
                   "rating": 4.5, "colors": ["black", "blue"], "sizes": ["9", "10"], "in_stock": True}
    assert [p["sku"] for p in payload(dispatcher, "products")["products"]] == ["RUN-1", "EAR-1"]
    assert events == [SlotSet(names.SLOT_SHOWN_PRODUCTS, ["RUN-1", "EAR-1"])]


async def test_compare_positions_in_the_sentence(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await compare(services, "compare the last two", SHOWN)
    assert compared(dispatcher) == ["RUN-2", "EAR-1"]
    _, dispatcher = await compare(services, "compare 1 and 3", SHOWN)
    assert compared(dispatcher) == ["RUN-1", "EAR-1"]


async def test_compare_positions_of_a_kind(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await compare(services, "compare the first and second running shoes", MIXED,
                                  [("mention", "first"), ("mention", "second"), ("category", "running shoes")])
    assert compared(dispatcher) == ["RUN-1", "RUN-2"]


async def test_compare_names(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await compare(services, "Pulse Buds vs Stoneware Mug", None,
                                  [("product", "Pulse Buds"), ("product", "Stoneware Mug")])
    assert compared(dispatcher) == ["EAR-1", "MUG-1"]


async def test_compare_that_one_with_a_name(services: StoreServices, catalog: dict) -> None:
    slots = {**SHOWN, names.SLOT_LAST_PRODUCT: "MUG-1"}
    _, dispatcher = await compare(services, "how does it compare to the Pulse Buds", slots,
                                  [("mention", "it"), ("product", "Pulse Buds")])
    assert compared(dispatcher) == ["MUG-1", "EAR-1"]


async def test_compare_them_uses_the_shown_list_up_to_three(services: StoreServices, catalog: dict) -> None:
    slots = {names.SLOT_SHOWN_PRODUCTS: ["RUN-1", "RUN-2", "RUN-3", "EAR-1"]}
    _, dispatcher = await compare(services, "compare them", slots)
    assert compared(dispatcher) == ["RUN-1", "RUN-2", "RUN-3"]


async def test_compare_needs_two(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await compare(services, "compare it", {names.SLOT_SHOWN_PRODUCTS: ["RUN-1"]})
    assert responses(dispatcher) == [names.UTTER_COMPARE_NEED_TWO] and events == []
    events, dispatcher = await compare(services, "compare the first and the second", {},
                                       [("mention", "first"), ("mention", "second")])
    assert responses(dispatcher) == [names.UTTER_COMPARE_NEED_TWO] and events == []


async def test_compare_an_unknown_name(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await compare(services, "", SHOWN, [("mention", "first"), ("product", "zzzqqq xxyy")])
    assert responses(dispatcher) == [names.UTTER_UNKNOWN_PRODUCT] and events == []
