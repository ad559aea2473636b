"""Checkout: start, the form's validation and questions, and placing the order."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rasa_sdk.events import SlotSet

from actions import names
from actions.checkout import (
    ActionAskCheckoutConfirmed,
    ActionAskShippingMethod,
    ActionPlaceOrder,
    ActionStartCheckout,
    ValidateCheckoutForm,
)
from actions.services import StoreServices
from store.models import Variant
from store.uow import UnitOfWork
from tests.actions.conftest import ADDRESS, EMAIL, SENDER, make_tracker, message, payload, responses, run

FORM = names.CHECKOUT_FORM
DONE = [SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None), SlotSet(names.SLOT_CHECKOUT_READY, False)]
READY = {names.SLOT_EMAIL: EMAIL, names.SLOT_SHIPPING_ADDRESS: ADDRESS, names.SLOT_SHIPPING_METHOD: "standard",
         names.SLOT_CHECKOUT_CONFIRMED: True, names.SLOT_CHECKOUT_READY: True}


async def test_start_checkout_with_items(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 2)
    events, dispatcher = await run(ActionStartCheckout(services), make_tracker(intent=names.CHECKOUT))
    assert responses(dispatcher) == [names.UTTER_CART]
    assert message(dispatcher, names.UTTER_CART)["total"] == "$25.00"
    assert payload(dispatcher, "cart")["items"][0]["quantity"] == 2
    assert events == [SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None), SlotSet(names.SLOT_CHECKOUT_READY, True)]


async def test_start_checkout_with_an_empty_cart(services: StoreServices) -> None:
    events, dispatcher = await run(ActionStartCheckout(services), make_tracker(intent=names.CHECKOUT))
    assert responses(dispatcher) == [names.UTTER_CART_EMPTY]
    assert events == [SlotSet(names.SLOT_CHECKOUT_READY, False)]


async def validate(services: StoreServices, candidates: dict, slots: dict | None = None,
                   text: str = "some words") -> tuple[list, object]:
    tracker = make_tracker(slots=slots, to_validate=candidates, active_loop=FORM, intent=names.INFORM, text=text)
    return await run(ValidateCheckoutForm(services), tracker)


@pytest.mark.parametrize(("slot", "value", "expected", "error"), [
    (names.SLOT_EMAIL, "  Ana@Example.COM ", "ana@example.com", None),
    (names.SLOT_EMAIL, "ana at example", None, names.UTTER_INVALID_EMAIL),
    (names.SLOT_EMAIL, "a@b", None, names.UTTER_INVALID_EMAIL),
    (names.SLOT_SHIPPING_ADDRESS, "12 Harbour Street,\n Springfield  40101", "12 Harbour Street, Springfield 40101",
     None),
    (names.SLOT_SHIPPING_ADDRESS, "abc", None, names.UTTER_INVALID_ADDRESS),
    (names.SLOT_SHIPPING_ADDRESS, "x" * 501, None, names.UTTER_INVALID_ADDRESS),
    (names.SLOT_SHIPPING_ADDRESS, "!!!!!!!", None, names.UTTER_INVALID_ADDRESS),
    (names.SLOT_SHIPPING_METHOD, "the fast one", "express", None),
    (names.SLOT_SHIPPING_METHOD, "standard shipping", "standard", None),
    (names.SLOT_SHIPPING_METHOD, "by pigeon", None, names.UTTER_INVALID_SHIPPING_METHOD),
    (names.SLOT_CHECKOUT_CONFIRMED, True, True, None),
    (names.SLOT_CHECKOUT_CONFIRMED, False, False, None),
    (names.SLOT_CHECKOUT_CONFIRMED, "yes please", None, None),
])
async def test_validation(services: StoreServices, slot: str, value: object, expected: object,
                          error: str | None) -> None:
    events, dispatcher = await validate(services, {slot: value})
    assert SlotSet(slot, expected) in events
    assert responses(dispatcher) == ([error] if error else [])


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "?", "\x00\x01"])
async def test_a_message_without_words_never_confirms_the_order(services: StoreServices, text: str) -> None:
    events, _ = await validate(services, {names.SLOT_CHECKOUT_CONFIRMED: True}, text=text)
    assert SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None) in events


async def test_a_button_confirms_the_order(services: StoreServices) -> None:
    events, _ = await validate(services, {names.SLOT_CHECKOUT_CONFIRMED: True}, text="/affirm")
    assert SlotSet(names.SLOT_CHECKOUT_CONFIRMED, True) in events


async def test_an_unknown_method_lists_the_methods(services: StoreServices) -> None:
    _, dispatcher = await validate(services, {names.SLOT_SHIPPING_METHOD: "by pigeon"})
    methods = message(dispatcher, names.UTTER_INVALID_SHIPPING_METHOD)["methods"]
    assert "Standard shipping ($4.99)" in methods and "Express delivery ($12.99)" in methods


@pytest.mark.parametrize(("requested", "text", "expected"), [
    (names.SLOT_EMAIL, "sure, it's Ana@Example.com thanks", "ana@example.com"),
    (names.SLOT_SHIPPING_ADDRESS, "12 Harbour Street, Springfield 40101", "12 Harbour Street, Springfield 40101"),
    (names.SLOT_SHIPPING_ADDRESS, "Flat 3, 7 Mill Lane\nLeeds LS1 4AB", "Flat 3, 7 Mill Lane, Leeds LS1 4AB"),
    (names.SLOT_SHIPPING_METHOD, "standard shipping", "standard"),
])
async def test_an_answer_the_model_filed_under_another_intent_is_taken(services: StoreServices, requested: str,
                                                                      text: str, expected: str) -> None:
    tracker = make_tracker(slots={names.SLOT_REQUESTED: requested}, active_loop=FORM, intent="faq", text=text)
    events, dispatcher = await run(ValidateCheckoutForm(services), tracker)
    assert SlotSet(requested, expected) in events
    assert responses(dispatcher) == []


@pytest.mark.parametrize(("requested", "text"), [
    (names.SLOT_EMAIL, "what is your returns policy"),
    (names.SLOT_SHIPPING_ADDRESS, "how long does delivery take to 40101?"),
    (names.SLOT_SHIPPING_ADDRESS, "do you ship to Canada"),
    (names.SLOT_SHIPPING_ADDRESS, "what payment methods do you take"),
    (names.SLOT_SHIPPING_METHOD, "how long does express delivery take"),
    (names.SLOT_SHIPPING_METHOD, "is standard shipping free?"),
])
async def test_a_question_during_checkout_is_left_to_the_dialogue(services: StoreServices, requested: str,
                                                                  text: str) -> None:
    tracker = make_tracker(slots={names.SLOT_REQUESTED: requested}, active_loop=FORM, intent="faq", text=text)
    events, dispatcher = await run(ValidateCheckoutForm(services), tracker)
    assert not [e for e in events if e.get("name") == requested]
    assert responses(dispatcher) == []


async def test_ask_shipping_method_offers_buttons(services: StoreServices) -> None:
    events, dispatcher = await run(ActionAskShippingMethod(services), make_tracker(active_loop=FORM))
    sent = message(dispatcher, names.UTTER_ASK_SHIPPING_METHOD)
    assert sent["buttons"] == [
        {"title": "Standard shipping ($4.99)", "payload": '/inform{"shipping_method": "standard"}'},
        {"title": "Express delivery ($12.99)", "payload": '/inform{"shipping_method": "express"}'},
    ]
    assert sent["methods"] == "Standard shipping ($4.99), Express delivery ($12.99)"
    assert events == []


@pytest.mark.parametrize(("quantity", "method", "total", "label"), [
    (2, "standard", "$29.99", "Standard shipping"),
    (4, "standard", "$50.00", "Standard shipping"),  # free from $50
    (4, "express", "$62.99", "Express delivery"),
])
async def test_ask_confirmation_shows_the_store_total_with_shipping(services: StoreServices, catalog: dict,
                                                                    quantity: int, method: str, total: str,
                                                                    label: str) -> None:
    services.add_item(SENDER, "MUG-1", quantity)
    tracker = make_tracker(slots={names.SLOT_SHIPPING_METHOD: method}, active_loop=FORM)
    events, dispatcher = await run(ActionAskCheckoutConfirmed(services), tracker)
    sent = message(dispatcher, names.UTTER_ASK_CHECKOUT_CONFIRMED)
    assert (sent["total"], sent["method"]) == (total, label)
    assert payload(dispatcher, "cart") is not None
    assert events == []


async def place(services: StoreServices, slots: dict, sender: str = SENDER) -> tuple[list, object]:
    return await run(ActionPlaceOrder(services), make_tracker(sender_id=sender, slots=slots))


async def test_place_the_order(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 2)
    events, dispatcher = await place(services, READY)
    assert responses(dispatcher) == [names.UTTER_ORDER_PLACED]
    order = payload(dispatcher, "order")
    assert order["status"] == "awaiting_payment" and order["total"] == 29.99
    assert order["estimated_delivery"]
    sent = message(dispatcher, names.UTTER_ORDER_PLACED)
    assert sent["order_id"] == order["order_id"] and sent["total"] == "$29.99"
    assert sent["payment_link"].startswith("http") and order["order_id"] in sent["payment_link"]
    assert events == DONE
    assert services.cart(SENDER).is_empty


async def test_a_repeated_confirmation_places_one_order(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    _, first = await place(services, READY)
    _, second = await place(services, READY)
    assert payload(first, "order")["order_id"] == payload(second, "order")["order_id"]


async def test_no_means_no_order(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    for confirmed in (False, None):
        events, dispatcher = await place(services, {**READY, names.SLOT_CHECKOUT_CONFIRMED: confirmed})
        assert responses(dispatcher) == [names.UTTER_CHECKOUT_CANCELLED]
        assert events == DONE
    assert not services.cart(SENDER).is_empty


async def test_place_with_an_empty_cart(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await place(services, READY, sender="nobody")
    assert responses(dispatcher) == [names.UTTER_CART_EMPTY]
    assert events == DONE


async def test_stock_sold_out_since_it_went_in_the_cart(services: StoreServices, catalog: dict,
                                                        uow_factory: Callable[[], UnitOfWork]) -> None:
    services.add_item(SENDER, "MUG-1", 3)
    with uow_factory() as uow:
        uow.session.query(Variant).update({Variant.stock: 1})
        uow.commit()
    events, dispatcher = await place(services, READY)
    assert responses(dispatcher) == [names.UTTER_OUT_OF_STOCK]
    sent = message(dispatcher, names.UTTER_OUT_OF_STOCK)
    assert (sent["name"], sent["available"]) == ("Stoneware Mug", 1)
    assert events == DONE


async def test_details_the_store_refuses_are_asked_again(services: StoreServices, catalog: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    events, dispatcher = await place(services, {**READY, names.SLOT_EMAIL: "not-an-email"})
    assert responses(dispatcher) == [names.UTTER_INVALID_EMAIL]
    assert events == DONE + [SlotSet(names.SLOT_EMAIL, None)]
    events, dispatcher = await place(services, {**READY, names.SLOT_SHIPPING_METHOD: "pigeon"})
    assert responses(dispatcher) == [names.UTTER_INVALID_SHIPPING_METHOD]
    assert message(dispatcher, names.UTTER_INVALID_SHIPPING_METHOD)["methods"]
    assert events == DONE + [SlotSet(names.SLOT_SHIPPING_METHOD, None)]
