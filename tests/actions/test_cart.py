"""Cart actions: add (and the variant flow), remove, change quantity, view."""

from __future__ import annotations

from collections.abc import Callable

from rasa_sdk.events import SlotSet

from actions import names
from actions.cart import ActionAddToCart, ActionChangeQuantity, ActionRemoveFromCart, ActionViewCart
from actions.services import StoreServices
from store.types import CartView
from tests.actions.conftest import SENDER, make_tracker, message, payload, responses, run

SHOWN = {names.SLOT_SHOWN_PRODUCTS: ["RUN-1", "MUG-1", "EAR-1", "TEE-1"]}
CLEARED = [SlotSet(names.SLOT_PENDING_SKU, None), SlotSet(names.SLOT_PENDING_QUANTITY, None),
           SlotSet(names.SLOT_ITEM_COLOR, None), SlotSet(names.SLOT_ITEM_SIZE, None),
           SlotSet(names.SLOT_VARIANT_NEEDED, False)]


async def add(services: StoreServices, slots: dict | None = None, entities: object = None,
              intent: str = names.ADD_TO_CART) -> tuple[list, object]:
    tracker = make_tracker(intent=intent, slots={**SHOWN, **(slots or {})}, entities=entities)
    return await run(ActionAddToCart(services), tracker)


async def test_add_a_simple_product(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await add(services, entities={"mention": "second", "quantity": "two"})
    assert responses(dispatcher) == [names.UTTER_CART_ADDED]
    sent = message(dispatcher, names.UTTER_CART_ADDED)
    assert (sent["quantity"], sent["name"], sent["total"]) == (2, "Stoneware Mug", "$25.00")
    cart = payload(dispatcher, "cart")
    assert cart["items"] == [{"sku": "MUG-1", "name": "Stoneware Mug", "quantity": 2, "unit_price": 12.5,
                              "color": None, "size": None}]
    assert (cart["subtotal"], cart["discount"], cart["total"]) == (25.0, 0.0, 25.0)
    assert events == CLEARED + [SlotSet(names.SLOT_LAST_PRODUCT, "MUG-1")]


async def test_add_by_name_with_colour(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await add(services, entities={"product": "Pulse Buds", "color": "White"})
    assert payload(dispatcher, "cart")["items"][0]["color"] == "white"
    assert events[-1] == SlotSet(names.SLOT_LAST_PRODUCT, "EAR-1")


async def test_add_it_uses_the_product_in_focus(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await add(services, {names.SLOT_LAST_PRODUCT: "MUG-1"})
    assert payload(dispatcher, "cart")["items"][0]["sku"] == "MUG-1"


async def test_a_missing_size_starts_the_form_silently(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await add(services, entities={"mention": "first", "color": "Black", "quantity": "2"})
    assert dispatcher.messages == []
    assert events == [
        SlotSet(names.SLOT_PENDING_SKU, "RUN-1"), SlotSet(names.SLOT_PENDING_QUANTITY, 2.0),
        SlotSet(names.SLOT_ITEM_COLOR, "Black"), SlotSet(names.SLOT_ITEM_SIZE, None),
        SlotSet(names.SLOT_VARIANT_NEEDED, True), SlotSet(names.SLOT_LAST_PRODUCT, "RUN-1"),
    ]
    assert services.cart(SENDER).is_empty


def searched(**filters: str) -> dict:
    return {names.SLOT_SEARCH_FILTERS: {"subcategory": "running shoes", **filters}}


async def test_the_colour_and_size_searched_for_are_taken(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await add(services, searched(color="Blue", size="9"), entities={"mention": "first"})
    assert responses(dispatcher) == [names.UTTER_CART_ADDED]
    assert message(dispatcher, names.UTTER_CART_ADDED)["name"] == "Trailblazer 2 Running Shoe (blue, 9)"
    assert payload(dispatcher, "cart")["items"][0] == {"sku": "RUN-1", "name": "Trailblazer 2 Running Shoe",
                                                          "quantity": 1, "unit_price": 89.99, "color": "blue",
                                                          "size": "9"}


async def test_a_searched_option_out_of_stock_is_asked_for(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await add(services, searched(color="blue", size="10"), entities={"mention": "first"})
    assert dispatcher.messages == []  # blue 10 is sold out: blue is kept, the size is asked
    assert events[2:4] == [SlotSet(names.SLOT_ITEM_COLOR, "blue"), SlotSet(names.SLOT_ITEM_SIZE, None)]
    events, _ = await add(services, searched(size="10"), entities={"mention": "first"})
    assert events[2:4] == [SlotSet(names.SLOT_ITEM_COLOR, None), SlotSet(names.SLOT_ITEM_SIZE, "10")]


async def test_what_is_said_now_wins_over_the_search(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await add(services, searched(color="blue", size="9"),
                              entities={"mention": "first", "color": "black"})
    assert (payload(dispatcher, "cart")["items"][0]["color"], payload(dispatcher, "cart")["items"][0]["size"]) == (
        "black", "9")


async def test_a_product_not_shown_by_the_search_takes_nothing_from_it(services: StoreServices,
                                                                      catalog: dict) -> None:
    events, _ = await add(services, {**searched(color="blue", size="9"), names.SLOT_SHOWN_PRODUCTS: ["MUG-1"]},
                          entities={"product": "Trailblazer"})
    assert events[2:4] == [SlotSet(names.SLOT_ITEM_COLOR, None), SlotSet(names.SLOT_ITEM_SIZE, None)]


async def test_the_form_done_adds_the_pending_item(services: StoreServices, catalog: dict) -> None:
    pending = {names.SLOT_PENDING_SKU: "RUN-1", names.SLOT_PENDING_QUANTITY: 2.0, names.SLOT_ITEM_COLOR: "black",
               names.SLOT_ITEM_SIZE: "10", names.SLOT_VARIANT_NEEDED: True}
    events, dispatcher = await add(services, pending, entities={"size": "10"}, intent=names.INFORM)
    assert responses(dispatcher) == [names.UTTER_CART_ADDED]
    assert payload(dispatcher, "cart")["items"] == [{"sku": "RUN-1", "name": "Trailblazer 2 Running Shoe",
                                                     "quantity": 2, "unit_price": 89.99, "color": "black",
                                                     "size": "10"}]
    assert message(dispatcher, names.UTTER_CART_ADDED)["total"] == "$179.98"
    assert events == CLEARED + [SlotSet(names.SLOT_LAST_PRODUCT, "RUN-1")]


async def test_a_pending_item_still_missing_a_choice_asks_again(services: StoreServices, catalog: dict) -> None:
    pending = {names.SLOT_PENDING_SKU: "RUN-1", names.SLOT_PENDING_QUANTITY: 1.0, names.SLOT_ITEM_COLOR: "blue"}
    events, dispatcher = await add(services, pending)
    assert dispatcher.messages == []
    assert SlotSet(names.SLOT_VARIANT_NEEDED, True) in events
    assert SlotSet(names.SLOT_ITEM_COLOR, "blue") in events


async def test_a_new_product_replaces_a_pending_one(services: StoreServices, catalog: dict) -> None:
    pending = {names.SLOT_PENDING_SKU: "RUN-1", names.SLOT_PENDING_QUANTITY: 1.0}
    events, dispatcher = await add(services, pending, entities={"product": "Stoneware Mug"})
    assert payload(dispatcher, "cart")["items"][0]["sku"] == "MUG-1"
    assert events == CLEARED + [SlotSet(names.SLOT_LAST_PRODUCT, "MUG-1")]


async def test_out_of_stock(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await add(services, entities={"product": "Pulse Buds", "color": "white", "quantity": "3"})
    assert responses(dispatcher) == [names.UTTER_OUT_OF_STOCK]
    sent = message(dispatcher, names.UTTER_OUT_OF_STOCK)
    assert (sent["name"], sent["available"]) == ("Pulse Buds", 1)
    assert events == CLEARED + [SlotSet(names.SLOT_LAST_PRODUCT, "EAR-1")]


async def test_a_colour_the_product_does_not_come_in(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await add(services, entities={"product": "Pulse Buds", "color": "purple"})
    assert responses(dispatcher) == [names.UTTER_INVALID_VARIANT_OPTION]
    assert message(dispatcher, names.UTTER_INVALID_VARIANT_OPTION)["options"] == "black, white"
    assert events[:5] == CLEARED


async def test_bad_quantities(services: StoreServices, catalog: dict) -> None:
    for quantity in ("lots", "0", "500", "2.5"):
        events, dispatcher = await add(services, entities={"mention": "second", "quantity": quantity})
        assert responses(dispatcher) == [names.UTTER_INVALID_QUANTITY], quantity
        assert message(dispatcher, names.UTTER_INVALID_QUANTITY)["max"] == 20
        assert events[:5] == CLEARED
    assert services.cart(SENDER).is_empty


async def test_which_product_and_unknown_product(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await add(services, {names.SLOT_SHOWN_PRODUCTS: []})
    assert responses(dispatcher) == [names.UTTER_WHICH_PRODUCT]
    assert events == CLEARED
    events, dispatcher = await add(services, entities={"product": "qqqq zzzz wwww"})
    assert responses(dispatcher) == [names.UTTER_UNKNOWN_PRODUCT]
    assert events == CLEARED


async def test_prices_never_come_from_the_conversation(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await add(services, {"price": "0.01"}, entities={"mention": "second", "price_max": "0.01"})
    assert payload(dispatcher, "cart")["items"][0]["unit_price"] == 12.5


# ------------------------------------------------------------------------------ remove, change, view


def fill(services: StoreServices) -> CartView:
    services.add_item(SENDER, "MUG-1", 2)
    services.add_item(SENDER, "RUN-1", 1, color="black", size="9")
    return services.add_item(SENDER, "RUN-1", 1, color="blue", size="9")


async def cart_action(action_class: Callable, services: StoreServices, slots: dict | None = None,
                      **entities: object) -> tuple[list, object]:
    return await run(action_class(services), make_tracker(slots=slots, entities=entities))


async def test_remove_the_second_cart_line(services: StoreServices, catalog: dict) -> None:
    fill(services)
    events, dispatcher = await cart_action(ActionRemoveFromCart, services, mention="the second item")
    assert responses(dispatcher) == [names.UTTER_CART_REMOVED]
    sent = message(dispatcher, names.UTTER_CART_REMOVED)
    assert sent["name"] == "Trailblazer 2 Running Shoe"
    items = payload(dispatcher, "cart")["items"]
    assert [(i["sku"], i["color"]) for i in items] == [("MUG-1", None), ("RUN-1", "blue")]
    assert sent["total"] == "$114.99"
    assert events == []


async def test_remove_by_name_removes_every_line_of_it(services: StoreServices, catalog: dict) -> None:
    fill(services)
    _, dispatcher = await cart_action(ActionRemoveFromCart, services, product="trailblazer")
    assert [i["sku"] for i in payload(dispatcher, "cart")["items"]] == ["MUG-1"]


async def test_remove_it_and_the_only_line(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    _, dispatcher = await cart_action(ActionRemoveFromCart, services)
    assert payload(dispatcher, "cart")["items"] == []
    services.add_item(SENDER, "MUG-1", 1)
    services.add_item(SENDER, "EAR-1", 1, color="black")
    _, dispatcher = await cart_action(ActionRemoveFromCart, services, {names.SLOT_LAST_PRODUCT: "EAR-1"},
                                      mention="that one")
    assert [i["sku"] for i in payload(dispatcher, "cart")["items"]] == ["MUG-1"]


async def test_remove_something_not_in_the_cart(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    services.add_item(SENDER, "EAR-1", 1, color="black")
    _, dispatcher = await cart_action(ActionRemoveFromCart, services, product="Nimbus Road Runner")
    assert responses(dispatcher) == [names.UTTER_NOT_IN_CART]
    _, dispatcher = await cart_action(ActionRemoveFromCart, services)
    assert responses(dispatcher) == [names.UTTER_WHICH_PRODUCT]


async def test_remove_from_an_empty_cart(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await cart_action(ActionRemoveFromCart, services, mention="first")
    assert responses(dispatcher) == [names.UTTER_CART_EMPTY] and events == []


async def test_change_quantity(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    events, dispatcher = await cart_action(ActionChangeQuantity, services, quantity="three")
    assert responses(dispatcher) == [names.UTTER_CART_QUANTITY_CHANGED]
    sent = message(dispatcher, names.UTTER_CART_QUANTITY_CHANGED)
    assert (sent["name"], sent["quantity"], sent["total"]) == ("Stoneware Mug", 3, "$37.50")
    assert payload(dispatcher, "cart")["items"][0]["quantity"] == 3
    assert events == []


async def test_change_quantity_to_zero_removes(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    _, dispatcher = await cart_action(ActionChangeQuantity, services, product="Stoneware Mug", quantity="0")
    assert responses(dispatcher) == [names.UTTER_CART_REMOVED]
    assert payload(dispatcher, "cart")["items"] == []


async def test_change_quantity_errors(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    _, dispatcher = await cart_action(ActionChangeQuantity, services, quantity="9")
    assert responses(dispatcher) == [names.UTTER_OUT_OF_STOCK]
    assert message(dispatcher, names.UTTER_OUT_OF_STOCK)["available"] == 5
    _, dispatcher = await cart_action(ActionChangeQuantity, services)
    assert responses(dispatcher) == [names.UTTER_INVALID_QUANTITY]
    _, dispatcher = await cart_action(ActionChangeQuantity, services, quantity="-2")
    assert responses(dispatcher) == [names.UTTER_INVALID_QUANTITY]


async def test_change_quantity_of_a_product_in_two_variants(services: StoreServices, catalog: dict) -> None:
    fill(services)
    _, dispatcher = await cart_action(ActionChangeQuantity, services, product="Trailblazer", quantity="2")
    assert responses(dispatcher) == [names.UTTER_INVALID_VARIANT_OPTION]
    assert message(dispatcher, names.UTTER_INVALID_VARIANT_OPTION)["options"] == "black, blue"
    _, dispatcher = await cart_action(ActionChangeQuantity, services, product="Trailblazer", quantity="2",
                                      color="blue")
    assert responses(dispatcher) == [names.UTTER_CART_QUANTITY_CHANGED]


async def test_view_cart(services: StoreServices, catalog: dict) -> None:
    fill(services)
    events, dispatcher = await cart_action(ActionViewCart, services)
    assert responses(dispatcher) == [names.UTTER_CART]
    sent = message(dispatcher, names.UTTER_CART)
    assert (sent["count"], sent["subtotal"], sent["discount"], sent["total"]) == (4, "$204.98", "$0.00", "$204.98")
    cart = payload(dispatcher, "cart")
    assert cart["total"] == cart["subtotal"] - cart["discount"]
    assert events == []


async def test_view_an_empty_cart(services: StoreServices) -> None:
    events, dispatcher = await cart_action(ActionViewCart, services)
    assert responses(dispatcher) == [names.UTTER_CART_EMPTY]
    assert payload(dispatcher, "cart")["items"] == []
    assert events == []


async def test_carts_belong_to_their_sender(services: StoreServices, catalog: dict) -> None:
    services.add_item("someone-else", "MUG-1", 1)
    _, dispatcher = await cart_action(ActionViewCart, services)
    assert responses(dispatcher) == [names.UTTER_CART_EMPTY]
