"""A new request in the middle of a form ends the form and is handled as if no form had been active."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActionExecuted, ActiveLoop, SlotSet, UserUtteranceReverted

from actions import names
from actions.base import FORM_SLOTS
from actions.cart import ValidateCartItemForm
from actions.checkout import ValidateCheckoutForm
from actions.orders import ValidateOrderStatusForm
from actions.services import StoreServices
from tests.actions.conftest import make_tracker, message, responses, run

PENDING = {names.SLOT_PENDING_SKU: "RUN-1", names.SLOT_PENDING_QUANTITY: 1.0, names.SLOT_VARIANT_NEEDED: True}


def cart_tracker(text: str, intent: str, confidence: float = 1.0, active: bool = True,
                 entities: dict | None = None) -> object:
    """cart_item_form has asked for the colour of RUN-1; `text` came back (the from_text mapping took it)."""
    to_validate = {names.SLOT_ITEM_COLOR: text}
    if entities and names.ENT_COLOR in entities:
        to_validate = {names.SLOT_ITEM_COLOR: entities[names.ENT_COLOR]}
    return make_tracker(slots={**PENDING, names.SLOT_REQUESTED: names.SLOT_ITEM_COLOR}, intent=intent, text=text,
                        entities=entities, active_loop=names.CART_ITEM_FORM if active else None,
                        to_validate=to_validate, confidence=confidence)


def replayed(events: list[dict]) -> dict | None:
    """The user message the action logged again, if it did."""
    return next((e for e in events if e.get("event") == "user"), None)


@pytest.mark.parametrize(("text", "intent"), [
    ("where is my order", names.ORDER_STATUS),
    ("actually show me some headphones", names.SEARCH_PRODUCT),
    ("let's check out", names.CHECKOUT),
    ("bye", names.GOODBYE),
    ("/recommend", names.RECOMMEND),
])
async def test_a_new_request_while_a_colour_is_asked_ends_the_form(services: StoreServices, catalog: dict,
                                                                   text: str, intent: str) -> None:
    tracker = cart_tracker(text, intent)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert events[0] == UserUtteranceReverted()
    assert ActiveLoop(None) in events and SlotSet(names.SLOT_REQUESTED, None) in events
    for slot, value in FORM_SLOTS[names.CART_ITEM_FORM].items():
        assert SlotSet(slot, value) in events
    again = replayed(events)
    assert again is not None and events[-1] is again
    assert events[-2] == ActionExecuted("action_listen")  # the revert took the listen before the message too
    assert again["text"] == text and again["parse_data"]["intent"]["name"] == intent
    assert responses(dispatcher) == [names.UTTER_ITEM_SET_ASIDE]  # not "that option isn't available"
    assert message(dispatcher, names.UTTER_ITEM_SET_ASIDE)["product"] == "Trailblazer 2 Running Shoe"


async def test_a_colour_named_in_a_search_is_still_the_answer(services: StoreServices, catalog: dict) -> None:
    tracker = cart_tracker("show me the blue ones", names.SEARCH_PRODUCT, entities={names.ENT_COLOR: "blue"})
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert SlotSet(names.SLOT_ITEM_COLOR, "blue") in events
    assert replayed(events) is None and ActiveLoop(None) not in events
    assert responses(dispatcher) == []


@pytest.mark.parametrize(("intent", "confidence"), [
    (names.INFORM, 1.0),  # a wrong answer: asked again with the options
    (names.SEARCH_PRODUCT, 0.45),  # a request the model is unsure of: asked again too
    (names.THANK, 1.0),  # not a request
])
async def test_anything_else_is_a_wrong_answer(services: StoreServices, catalog: dict, intent: str,
                                               confidence: float) -> None:
    events, dispatcher = await run(ValidateCartItemForm(services), cart_tracker("purple", intent, confidence))
    assert replayed(events) is None and ActiveLoop(None) not in events
    assert SlotSet(names.SLOT_ITEM_COLOR, None) in events
    assert responses(dispatcher) == [names.UTTER_INVALID_VARIANT_OPTION]


async def test_the_turn_that_starts_the_form_is_not_a_new_request(services: StoreServices, catalog: dict) -> None:
    tracker = make_tracker(slots={**PENDING, names.SLOT_REQUESTED: names.SLOT_ITEM_COLOR}, intent=names.ADD_TO_CART,
                           text="add the trailblazer to my cart")
    events, _ = await run(ValidateCartItemForm(services), tracker)
    assert replayed(events) is None and ActiveLoop(None) not in events


async def test_a_new_request_during_checkout_pauses_it(services: StoreServices) -> None:
    tracker = make_tracker(slots={names.SLOT_REQUESTED: names.SLOT_EMAIL, names.SLOT_CHECKOUT_READY: True},
                           intent=names.ADD_TO_CART, text="oh and add a mug", active_loop=names.CHECKOUT_FORM,
                           to_validate={names.SLOT_EMAIL: "oh and add a mug"})
    events, dispatcher = await run(ValidateCheckoutForm(services), tracker)
    assert replayed(events) is not None and SlotSet(names.SLOT_CHECKOUT_READY, False) in events
    assert responses(dispatcher) == [names.UTTER_CHECKOUT_SET_ASIDE]


async def test_the_form_own_request_said_again_is_a_wrong_answer(services: StoreServices) -> None:
    tracker = make_tracker(slots={names.SLOT_REQUESTED: names.SLOT_EMAIL}, intent=names.CHECKOUT,
                           text="checkout", active_loop=names.CHECKOUT_FORM, to_validate={names.SLOT_EMAIL: "checkout"})
    events, dispatcher = await run(ValidateCheckoutForm(services), tracker)
    assert replayed(events) is None
    assert responses(dispatcher) == [names.UTTER_INVALID_EMAIL]


async def test_another_order_request_ends_the_order_status_form(services: StoreServices) -> None:
    tracker = make_tracker(slots={names.SLOT_REQUESTED: names.SLOT_ORDER_ID}, intent=names.CANCEL_ORDER,
                           text="never mind, cancel it", active_loop=names.ORDER_STATUS_FORM,
                           to_validate={names.SLOT_ORDER_ID: "never mind, cancel it"})
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert replayed(events) is not None
    assert SlotSet(names.SLOT_ORDER_ID, None) in events
    assert responses(dispatcher) == []
