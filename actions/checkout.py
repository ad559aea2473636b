"""Checkout skill: action_start_checkout, validate_checkout_form, its ask actions, action_place_order."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import Events, StoreAction, StoreFormValidation, checked_email, confirmation, sender_id
from actions.cart import cart_totals
from actions.payloads import cart_payload, order_payload
from store.errors import CartEmpty, InvalidCheckoutDetails, OutOfStock, UnknownProduct
from store.money import format_money
from store.types import ShippingMethod

# a message naming a shipping method is taken as the choice when it is this short and not a question
# ("standard please"); a longer one ("how long does express take") is a question about it
MAX_METHOD_WORDS = 4


def method_label(method: ShippingMethod, currency: str) -> str:
    """'Express delivery (£12.99)': the method's name from the store policies and its price."""
    return f"{method.name} ({format_money(method.price, currency)})"


def methods_text(methods: list[ShippingMethod], currency: str) -> str:
    """Every method with its price, for the {methods} variable."""
    return ", ".join(method_label(m, currency) for m in methods)


def method_buttons(methods: list[ShippingMethod], currency: str) -> list[dict[str, str]]:
    """One button per shipping method; the payload fills the shipping_method slot through its entity."""
    return [{"title": method_label(m, currency),
             "payload": f"/{names.INFORM}{json.dumps({names.ENT_SHIPPING_METHOD: m.code})}"} for m in methods]


class ActionStartCheckout(StoreAction):
    """Shows the cart and ALWAYS sets checkout_ready (false with utter_cart_empty when the cart is empty)."""

    def name(self) -> str:
        return names.ACTION_START_CHECKOUT

    def events_on_error(self, tracker: Tracker) -> Events:
        return [SlotSet(names.SLOT_CHECKOUT_READY, False)]

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        cart = self.services.cart(sender_id(tracker))
        if cart.is_empty:
            dispatcher.utter_message(response=names.UTTER_CART_EMPTY)
            return [SlotSet(names.SLOT_CHECKOUT_READY, False)]
        dispatcher.utter_message(response=names.UTTER_CART, json_message=cart_payload(cart), **cart_totals(cart))
        return [SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None), SlotSet(names.SLOT_CHECKOUT_READY, True)]


class ValidateCheckoutForm(StoreFormValidation):
    """Email and address as the store accepts them, a shipping method the store has, and a yes/no."""

    own_intents = frozenset({names.CHECKOUT})

    def name(self) -> str:
        return names.VALIDATE_CHECKOUT_FORM

    def set_aside(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """The checkout is paused, the cart is kept."""
        dispatcher.utter_message(response=names.UTTER_CHECKOUT_SET_ASIDE)

    def answer_in(self, slot: str, text: str, tracker: Tracker) -> Any:
        """An email, an address or a short shipping-method choice, whatever intent the model gave the message."""
        if slot == names.SLOT_EMAIL:
            return self.services.email_in_text(text)
        if slot == names.SLOT_SHIPPING_ADDRESS:
            return self.services.address_in_text(text)
        if slot == names.SLOT_SHIPPING_METHOD and "?" not in text and len(text.split()) <= MAX_METHOD_WORDS:
            method = self.services.find_shipping_method(text)
            return method.code if method else None
        return None

    def validate_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                       domain: DomainDict) -> dict[str, Any]:
        return {names.SLOT_EMAIL: checked_email(self.services, value, dispatcher)}

    def validate_shipping_address(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        address = self.services.checkout_address(value)
        if address is None:
            dispatcher.utter_message(response=names.UTTER_INVALID_ADDRESS)
        return {names.SLOT_SHIPPING_ADDRESS: address}

    def validate_shipping_method(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        method = self.services.find_shipping_method(str(value)) if isinstance(value, (str, int)) else None
        if method is None:
            dispatcher.utter_message(response=names.UTTER_INVALID_SHIPPING_METHOD,
                                     methods=methods_text(self.services.shipping_methods(), self.services.currency()))
            return {names.SLOT_SHIPPING_METHOD: None}
        return {names.SLOT_SHIPPING_METHOD: method.code}

    def validate_checkout_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        return {names.SLOT_CHECKOUT_CONFIRMED: confirmation(value, tracker)}


class ActionAskShippingMethod(StoreAction):
    """utter_ask_shipping_method with the store's methods and prices as buttons."""

    def name(self) -> str:
        return names.ACTION_ASK_SHIPPING_METHOD

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        methods = self.services.shipping_methods()
        currency = self.services.currency()
        dispatcher.utter_message(response=names.UTTER_ASK_SHIPPING_METHOD, methods=methods_text(methods, currency),
                                 buttons=method_buttons(methods, currency))
        return []


class ActionAskCheckoutConfirmed(StoreAction):
    """utter_ask_checkout_confirmed: the total including shipping (computed by the store) and the method's name."""

    def name(self) -> str:
        return names.ACTION_ASK_CHECKOUT_CONFIRMED

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        code = tracker.get_slot(names.SLOT_SHIPPING_METHOD)
        summary = self.services.checkout_summary(sender_id(tracker), str(code) if code else None)
        cart = summary.cart
        dispatcher.utter_message(response=names.UTTER_ASK_CHECKOUT_CONFIRMED, json_message=cart_payload(cart),
                                 total=format_money(summary.total, cart.currency),
                                 method=summary.method.name if summary.method else "")
        return []


class ActionPlaceOrder(StoreAction):
    """Places the order when the shopper confirmed (idempotent in the store), else utter_checkout_cancelled."""

    def name(self) -> str:
        return names.ACTION_PLACE_ORDER

    def events_on_error(self, tracker: Tracker) -> Events:
        return [SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None), SlotSet(names.SLOT_CHECKOUT_READY, False)]

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        done = [SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None), SlotSet(names.SLOT_CHECKOUT_READY, False)]
        if tracker.get_slot(names.SLOT_CHECKOUT_CONFIRMED) is not True:
            dispatcher.utter_message(response=names.UTTER_CHECKOUT_CANCELLED)
            return done
        try:
            order = self.services.place_order(sender_id(tracker), tracker.get_slot(names.SLOT_EMAIL) or "",
                                              tracker.get_slot(names.SLOT_SHIPPING_ADDRESS) or "",
                                              tracker.get_slot(names.SLOT_SHIPPING_METHOD) or "")
        except CartEmpty:
            dispatcher.utter_message(response=names.UTTER_CART_EMPTY)
            return done
        except UnknownProduct:  # an item left the catalog since it went in the cart
            dispatcher.utter_message(response=names.UTTER_UNKNOWN_PRODUCT)
            return done
        except OutOfStock as error:
            dispatcher.utter_message(response=names.UTTER_OUT_OF_STOCK, name=self._name_of(error.sku),
                                     available=error.available)
            return done
        except InvalidCheckoutDetails as error:
            slot, response = _INVALID_FIELDS.get(error.field, (None, names.UTTER_STORE_ERROR))
            if response == names.UTTER_INVALID_SHIPPING_METHOD:
                dispatcher.utter_message(response=response, methods=methods_text(self.services.shipping_methods(),
                                                                                 self.services.currency()))
            else:
                dispatcher.utter_message(response=response)
            return done + ([SlotSet(slot, None)] if slot else [])
        dispatcher.utter_message(response=names.UTTER_ORDER_PLACED, json_message=order_payload(order),
                                 order_id=order.order_id, total=format_money(order.total, order.currency),
                                 payment_link=order.payment_link or "")
        return done

    def _name_of(self, sku: str) -> str:
        try:
            return self.services.product(sku).name
        except UnknownProduct:
            return sku


_INVALID_FIELDS = {
    "email": (names.SLOT_EMAIL, names.UTTER_INVALID_EMAIL),
    "shipping_address": (names.SLOT_SHIPPING_ADDRESS, names.UTTER_INVALID_ADDRESS),
    "address": (names.SLOT_SHIPPING_ADDRESS, names.UTTER_INVALID_ADDRESS),
    "shipping_method": (names.SLOT_SHIPPING_METHOD, names.UTTER_INVALID_SHIPPING_METHOD),
}
