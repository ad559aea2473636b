"""cart_item_form: which questions, which answers are valid, and the buttons that answer them."""

from __future__ import annotations

import json

import pytest
from rasa_sdk.events import SlotSet

from actions import names
from actions.cart import ActionAskItemColor, ActionAskItemSize, ValidateCartItemForm, match_option
from actions.services import StoreServices
from tests.actions.conftest import load_domain, make_tracker, message, responses, run

FORM = names.CART_ITEM_FORM


def tracker_for(sku: str | None, slots: dict | None = None, to_validate: dict | None = None,
                requested: str | None = None) -> object:
    values = {names.SLOT_PENDING_SKU: sku, names.SLOT_PENDING_QUANTITY: 1.0, names.SLOT_VARIANT_NEEDED: True,
              names.SLOT_REQUESTED: requested, **(slots or {})}
    return make_tracker(slots=values, to_validate=to_validate, active_loop=FORM, intent=names.INFORM)


@pytest.mark.parametrize(("sku", "required"), [
    ("RUN-1", [names.SLOT_ITEM_COLOR, names.SLOT_ITEM_SIZE]),
    ("EAR-1", [names.SLOT_ITEM_COLOR]),
    ("TEE-1", [names.SLOT_ITEM_SIZE]),
    ("MUG-1", []),
    ("GONE-1", []),
    (None, []),
])
async def test_required_slots_are_what_the_product_comes_in_several_of(services: StoreServices, catalog: dict,
                                                                       sku: str | None, required: list) -> None:
    action = ValidateCartItemForm(services)
    domain = load_domain()
    slots = await action.required_slots(action.domain_slots(domain), None, tracker_for(sku), domain)
    assert slots == required


async def test_a_valid_size_completes_the_form(services: StoreServices, catalog: dict) -> None:
    tracker = tracker_for("TEE-1", to_validate={names.SLOT_ITEM_SIZE: "m"}, requested=names.SLOT_ITEM_SIZE)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert dispatcher.messages == []
    assert events == [SlotSet(names.SLOT_ITEM_SIZE, "M"), SlotSet(names.SLOT_REQUESTED, None)]


async def test_the_colour_then_the_size_is_asked(services: StoreServices, catalog: dict) -> None:
    tracker = tracker_for("RUN-1", to_validate={names.SLOT_ITEM_COLOR: "BLUE"}, requested=names.SLOT_ITEM_COLOR)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert dispatcher.messages == []
    assert events == [SlotSet(names.SLOT_ITEM_COLOR, "blue"), SlotSet(names.SLOT_REQUESTED, names.SLOT_ITEM_SIZE)]


async def test_a_size_out_of_stock_in_the_chosen_colour_is_refused(services: StoreServices, catalog: dict) -> None:
    tracker = tracker_for("RUN-1", {names.SLOT_ITEM_COLOR: "blue"}, {names.SLOT_ITEM_SIZE: "10"},
                          names.SLOT_ITEM_SIZE)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert responses(dispatcher) == [names.UTTER_INVALID_VARIANT_OPTION]
    assert message(dispatcher, names.UTTER_INVALID_VARIANT_OPTION)["options"] == "9"
    assert events == [SlotSet(names.SLOT_ITEM_SIZE, None), SlotSet(names.SLOT_REQUESTED, names.SLOT_ITEM_SIZE)]


async def test_an_unknown_colour_is_refused_with_the_options(services: StoreServices, catalog: dict) -> None:
    tracker = tracker_for("EAR-1", to_validate={names.SLOT_ITEM_COLOR: "the purple one"},
                          requested=names.SLOT_ITEM_COLOR)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert message(dispatcher, names.UTTER_INVALID_VARIANT_OPTION)["options"] == "black, white"
    assert events == [SlotSet(names.SLOT_ITEM_COLOR, None), SlotSet(names.SLOT_REQUESTED, names.SLOT_ITEM_COLOR)]


async def test_both_at_once(services: StoreServices, catalog: dict) -> None:
    tracker = tracker_for("RUN-1", to_validate={names.SLOT_ITEM_COLOR: "Black", names.SLOT_ITEM_SIZE: "10.0"})
    events, _ = await run(ValidateCartItemForm(services), tracker)
    assert events == [SlotSet(names.SLOT_ITEM_COLOR, "black"), SlotSet(names.SLOT_ITEM_SIZE, "10"),
                      SlotSet(names.SLOT_REQUESTED, None)]


@pytest.mark.parametrize(("value", "options", "expected"), [
    ("10", ["9", "10"], "10"), ("10.0", ["9", "10"], "10"), ("size 9", ["9", "10"], "9"), (9, ["9"], "9"),
    ("Blue", ["black", "blue"], "blue"), ("medium", ["S", "M"], "M"), ("XL", ["S", "M"], None),
    ("", ["S"], None), (None, ["S"], None),
])
def test_match_option(value: object, options: list[str], expected: str | None) -> None:
    assert match_option(value, options) == expected


async def test_ask_size_shows_the_sizes_in_stock_in_the_chosen_colour(services: StoreServices,
                                                                       catalog: dict) -> None:
    tracker = tracker_for("RUN-1", {names.SLOT_ITEM_COLOR: "black"}, requested=names.SLOT_ITEM_SIZE)
    events, dispatcher = await run(ActionAskItemSize(services), tracker)
    sent = message(dispatcher, names.UTTER_ASK_ITEM_SIZE)
    assert sent["options"] == "9, 10"
    assert sent["buttons"] == [{"title": "9", "payload": '/inform{"size": "9"}'},
                               {"title": "10", "payload": '/inform{"size": "10"}'}]
    assert events == []
    tracker = tracker_for("RUN-1", {names.SLOT_ITEM_COLOR: "blue"}, requested=names.SLOT_ITEM_SIZE)
    _, dispatcher = await run(ActionAskItemSize(services), tracker)
    assert message(dispatcher, names.UTTER_ASK_ITEM_SIZE)["options"] == "9"


async def test_ask_colour_buttons_set_the_colour_entity(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await run(ActionAskItemColor(services), tracker_for("EAR-1"))
    sent = message(dispatcher, names.UTTER_ASK_ITEM_COLOR)
    assert sent["options"] == "black, white"
    payloads = [button["payload"] for button in sent["buttons"]]
    assert payloads == ['/inform{"color": "black"}', '/inform{"color": "white"}']
    assert json.loads(payloads[0][len("/inform"):]) == {"color": "black"}
    assert events == []


async def test_a_size_given_when_the_colour_is_asked_is_kept(services: StoreServices, catalog: dict) -> None:
    tracker = tracker_for("RUN-1", to_validate={names.SLOT_ITEM_COLOR: "9"}, requested=names.SLOT_ITEM_COLOR)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert dispatcher.messages == []
    assert SlotSet(names.SLOT_ITEM_SIZE, "9") in events
    assert events[-1] == SlotSet(names.SLOT_REQUESTED, names.SLOT_ITEM_COLOR)


async def test_a_colour_given_when_the_size_is_asked_is_kept(services: StoreServices, catalog: dict) -> None:
    tracker = tracker_for("RUN-1", to_validate={names.SLOT_ITEM_SIZE: "Blue"}, requested=names.SLOT_ITEM_SIZE)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert dispatcher.messages == []
    assert SlotSet(names.SLOT_ITEM_COLOR, "blue") in events
    assert events[-1] == SlotSet(names.SLOT_REQUESTED, names.SLOT_ITEM_SIZE)


async def test_a_size_already_taken_from_the_entity_is_not_called_an_invalid_colour(services: StoreServices,
                                                                                    catalog: dict) -> None:
    tracker = tracker_for("RUN-1", {names.SLOT_ITEM_SIZE: "9"}, {names.SLOT_ITEM_COLOR: "9"}, names.SLOT_ITEM_COLOR)
    events, dispatcher = await run(ValidateCartItemForm(services), tracker)
    assert dispatcher.messages == []
    assert SlotSet(names.SLOT_ITEM_COLOR, None) in events
