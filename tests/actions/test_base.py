"""Any unexpected failure becomes utter_store_error (never a trace), with the events rules rely on."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import names
from actions.base import StoreAction, entity_value, entity_values, list_slot, response_text
from actions.cart import (
    ActionAddToCart,
    ActionAskItemColor,
    ActionAskItemSize,
    ActionChangeQuantity,
    ActionRemoveFromCart,
    ActionViewCart,
    ValidateCartItemForm,
)
from actions.checkout import (
    ActionAskCheckoutConfirmed,
    ActionAskShippingMethod,
    ActionPlaceOrder,
    ActionStartCheckout,
    ValidateCheckoutForm,
)
from actions.coupon import ActionApplyCoupon
from actions.details import ActionCompareProducts, ActionProductDetails
from actions.faq import ActionAnswerFaq
from actions.handoff import ActionHandoff
from actions.orders import (
    ActionCancelOrder,
    ActionOrderStatus,
    ActionReturnItem,
    ValidateCancelOrderForm,
    ValidateOrderStatusForm,
    ValidateReturnForm,
)
from actions.recommend import ActionRecommend
from actions.search import ActionRefineSearch, ActionSearchProducts
from tests.actions.conftest import Exploding, make_tracker, responses, run

FOCUS = {names.SLOT_LAST_PRODUCT: "RUN-1", names.SLOT_SHOWN_PRODUCTS: ["RUN-1", "RUN-2"]}
ORDER = {names.SLOT_ORDER_ID: "CE-100001", names.SLOT_ORDER_EMAIL: "a@example.com"}
CLEAR_PENDING = [SlotSet(names.SLOT_PENDING_SKU, None), SlotSet(names.SLOT_PENDING_QUANTITY, None),
                 SlotSet(names.SLOT_ITEM_COLOR, None), SlotSet(names.SLOT_ITEM_SIZE, None),
                 SlotSet(names.SLOT_VARIANT_NEEDED, False)]
DONE_CHECKOUT = [SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None), SlotSet(names.SLOT_CHECKOUT_READY, False)]
RESET_ORDER = [SlotSet(names.SLOT_ORDER_ID, None), SlotSet(names.SLOT_ORDER_EMAIL, None)]

CASES: list[tuple[type[StoreAction], dict[str, Any], list[dict[str, Any]]]] = [
    (ActionSearchProducts, {"text": "show me shoes", "entities": {"category": "shoes"}}, []),
    (ActionRefineSearch, {"slots": {names.SLOT_SEARCH_FILTERS: {"category": "shoes"}},
                          "entities": {"refinement": "cheaper"}}, []),
    (ActionProductDetails, {"slots": FOCUS}, []),
    (ActionCompareProducts, {"slots": FOCUS}, []),
    (ActionRecommend, {"entities": {"category": "shoes"}}, []),
    (ActionAddToCart, {"slots": FOCUS}, CLEAR_PENDING),
    (ActionRemoveFromCart, {"slots": FOCUS}, []),
    (ActionChangeQuantity, {"slots": FOCUS, "entities": {"quantity": "2"}}, []),
    (ActionViewCart, {}, []),
    (ActionApplyCoupon, {"entities": {"coupon_code": "SPRING10"}}, []),
    (ActionStartCheckout, {}, [SlotSet(names.SLOT_CHECKOUT_READY, False)]),
    (ActionAskShippingMethod, {}, []),
    (ActionAskCheckoutConfirmed, {"slots": {names.SLOT_SHIPPING_METHOD: "standard"}}, []),
    (ActionPlaceOrder, {"slots": {names.SLOT_CHECKOUT_CONFIRMED: True}}, DONE_CHECKOUT),
    (ActionOrderStatus, {"slots": ORDER}, RESET_ORDER),
    (ActionCancelOrder, {"slots": {**ORDER, names.SLOT_CANCEL_CONFIRMED: True}},
     RESET_ORDER + [SlotSet(names.SLOT_CANCEL_CONFIRMED, None)]),
    (ActionReturnItem, {"slots": {**ORDER, names.SLOT_RETURN_REASON: "too small"}},
     RESET_ORDER + [SlotSet(names.SLOT_RETURN_REASON, None)]),
    (ActionAnswerFaq, {"intent": "faq/shipping"}, []),
    (ActionHandoff, {"intent": "human_handoff"}, []),
    (ActionAskItemColor, {"slots": {names.SLOT_PENDING_SKU: "RUN-1"}}, []),
    (ActionAskItemSize, {"slots": {names.SLOT_PENDING_SKU: "RUN-1"}}, []),
]


@pytest.mark.parametrize(("action_class", "tracker_args", "expected"), CASES,
                         ids=[case[0].__name__ for case in CASES])
async def test_an_unexpected_error_is_an_apology(action_class: type[StoreAction], tracker_args: dict[str, Any],
                                                 expected: list[dict[str, Any]]) -> None:
    services = Exploding()
    events, dispatcher = await run(action_class(services), make_tracker(**tracker_args))
    assert services.calls, "the action reached the store"
    assert responses(dispatcher) == [names.UTTER_STORE_ERROR]
    assert events == expected


FORMS = [
    (ValidateCartItemForm, {names.SLOT_PENDING_SKU: "RUN-1"}, {names.SLOT_ITEM_SIZE: "9"}),
    (ValidateCheckoutForm, {}, {names.SLOT_SHIPPING_METHOD: "express"}),
    (ValidateOrderStatusForm, {}, {names.SLOT_ORDER_ID: "CE-100001"}),
    (ValidateCancelOrderForm, {}, {names.SLOT_ORDER_ID: "CE-100001"}),
    (ValidateReturnForm, {}, {names.SLOT_ORDER_ID: "CE-100001"}),
]


@pytest.mark.parametrize(("action_class", "slots", "candidates"), FORMS, ids=[f[0].__name__ for f in FORMS])
async def test_a_form_validation_error_rejects_the_candidates(action_class: type, slots: dict[str, Any],
                                                              candidates: dict[str, Any]) -> None:
    services = Exploding()
    tracker = make_tracker(slots=slots, to_validate=candidates, active_loop=action_class().form_name())
    events, dispatcher = await run(action_class(services), tracker)
    assert services.calls
    assert responses(dispatcher) == [names.UTTER_STORE_ERROR]
    assert events == [SlotSet(slot, None) for slot in candidates]


async def test_messages_sent_before_the_failure_are_withdrawn() -> None:
    class HalfDone(StoreAction):
        def name(self) -> str:
            return "action_half_done"

        def act(self, dispatcher: CollectingDispatcher, tracker: Any, domain: Any) -> list[dict[str, Any]]:
            dispatcher.utter_message(response=names.UTTER_CART)
            raise KeyError("boom")

    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(text="said earlier in the same turn")
    events = await HalfDone().run(dispatcher, make_tracker(), {})
    assert events == []
    assert len(dispatcher.messages) == 2
    assert dispatcher.messages[-1]["response"] == names.UTTER_STORE_ERROR


def test_services_are_made_lazily() -> None:
    action = ActionViewCart()
    assert action._services is None
    injected = Exploding()
    assert ActionViewCart(injected).services is injected


def test_tracker_helpers() -> None:
    tracker = make_tracker(entities=[("mention", "first"), ("mention", "third"), ("color", "")],
                           slots={names.SLOT_SHOWN_PRODUCTS: ["A", None, "B"]})
    assert entity_value(tracker, "mention") == "first"
    assert entity_values(tracker, "mention") == ["first", "third"]
    assert entity_value(tracker, "color") is None
    assert list_slot(tracker, names.SLOT_SHOWN_PRODUCTS) == ["A", "B"]
    assert list_slot(make_tracker(slots={names.SLOT_SHOWN_PRODUCTS: "oops"}), names.SLOT_SHOWN_PRODUCTS) == []


def test_response_text_reads_fragments_from_the_domain() -> None:
    domain = {"responses": {"utter_x": [{"text": "{stock} left"}], "utter_bad": [{"text": "{nope}"}]}}
    assert response_text(domain, "utter_x", stock=3) == "3 left"
    assert response_text(domain, "utter_bad") is None
    assert response_text(domain, "utter_missing") is None
    assert response_text(None, "utter_x") is None
