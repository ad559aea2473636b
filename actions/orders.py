"""Orders skill: the order_status, cancel_order and return forms and the actions that end them.

Privacy (CONTRACT §5): an order is shown to the sender who placed it, or after its number AND its email
match. "Unknown number" and "wrong email" get the same answer, utter_order_not_found.
"""

from __future__ import annotations

from abc import ABC
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import (
    Events,
    StoreAction,
    StoreFormValidation,
    checked_email,
    confirmation,
    entity_value,
    response_text,
    sender_id,
)
from actions.payloads import order_payload, return_payload
from store.errors import OrderNotCancellable, OrderNotFound, ReturnNotAllowed
from store.money import format_money
from store.types import OrderView

REASON_MAX = 500


def status_text(status: str) -> str:
    """'awaiting_payment' -> 'awaiting payment' for the {status} variable."""
    return (status or "").replace("_", " ")


def order_details(order: OrderView, domain: DomainDict | None) -> str:
    """{details}: carrier/tracking and estimated delivery (ISO date) where known, in the domain's fragments
    utter_order_tracking / utter_order_delivery (the bare values when the domain has no such fragment)."""
    parts: list[str] = []
    if order.carrier or order.tracking_number:
        carrier, tracking = order.carrier or "", order.tracking_number or ""
        parts.append(response_text(domain, names.UTTER_ORDER_TRACKING, carrier=carrier, tracking_number=tracking)
                     or " ".join(p for p in (carrier, tracking) if p))
    if order.estimated_delivery:
        day = order.estimated_delivery.isoformat()
        parts.append(response_text(domain, names.UTTER_ORDER_DELIVERY, estimated_delivery=day) or day)
    return " ".join(parts)


def order_form_reset(*extra: str) -> Events:
    """Forget the order number and email (the next question needs them again) and the form's own slots."""
    return [SlotSet(slot, None) for slot in (names.SLOT_ORDER_ID, names.SLOT_ORDER_EMAIL, *extra)]


class _OrderFormValidation(StoreFormValidation, ABC):
    """order_id, then order_email only when the order was not placed in this conversation, then `extra_slots`."""

    extra_slots: tuple[str, ...] = ()

    def owned(self, tracker: Tracker, order_id: str) -> bool:
        """True when this sender placed the order (read once per run)."""
        return bool(self.memo(f"owned:{order_id}",
                              lambda: self.services.order_placed_by(order_id, sender_id(tracker))))

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        order_id = tracker.get_slot(names.SLOT_ORDER_ID)
        slots = [names.SLOT_ORDER_ID]
        if not order_id or not self.owned(tracker, str(order_id)):
            slots.append(names.SLOT_ORDER_EMAIL)
        return slots + list(self.extra_slots)

    async def extract_order_id(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        """No number given when the form starts: the latest order placed in this conversation, if any."""
        if (tracker.get_slot(names.SLOT_ORDER_ID) or entity_value(tracker, names.ENT_ORDER_ID)
                or tracker.get_slot(names.SLOT_REQUESTED)):
            return {}
        latest = self.memo("latest", lambda: self.services.latest_order(sender_id(tracker)))
        return {names.SLOT_ORDER_ID: latest.order_id} if latest else {}

    def answer_in(self, slot: str, text: str, tracker: Tracker) -> Any:
        """An order number or an email, whatever intent the model gave the message."""
        if slot == names.SLOT_ORDER_ID:
            return self.services.order_number(text)
        if slot == names.SLOT_ORDER_EMAIL:
            return self.services.email_in_text(text)
        return None

    def validate_order_id(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> dict[str, Any]:
        order_id = self.services.order_number(value)
        if order_id is None:
            dispatcher.utter_message(response=names.UTTER_INVALID_ORDER_ID)
        return {names.SLOT_ORDER_ID: order_id}

    def validate_order_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> dict[str, Any]:
        return {names.SLOT_ORDER_EMAIL: checked_email(self.services, value, dispatcher)}

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Events:
        """Per-slot checks, then number AND email against the store when either just changed."""
        changed = set(tracker.slots_to_validate())
        events = await super().get_validation_events(dispatcher, tracker, domain)
        order_id = tracker.get_slot(names.SLOT_ORDER_ID)
        email = tracker.get_slot(names.SLOT_ORDER_EMAIL)
        if not order_id or not email or not changed & {names.SLOT_ORDER_ID, names.SLOT_ORDER_EMAIL}:
            return events
        if self.owned(tracker, str(order_id)):
            return events
        try:
            order = self.services.get_order(str(order_id), sender_id=sender_id(tracker), email=str(email))
        except OrderNotFound:
            dispatcher.utter_message(response=names.UTTER_ORDER_NOT_FOUND)
            found = [SlotSet(names.SLOT_ORDER_ID, None), SlotSet(names.SLOT_ORDER_EMAIL, None)]
        else:
            found = [SlotSet(names.SLOT_ORDER_ID, order.order_id)]
        return events + found


class ValidateOrderStatusForm(_OrderFormValidation):
    """validate_order_status_form."""

    own_intents = frozenset({names.ORDER_STATUS})

    def name(self) -> str:
        return names.VALIDATE_ORDER_STATUS_FORM


class ValidateCancelOrderForm(_OrderFormValidation):
    """validate_cancel_order_form: adds cancel_confirmed."""

    extra_slots = (names.SLOT_CANCEL_CONFIRMED,)

    own_intents = frozenset({names.CANCEL_ORDER})

    def name(self) -> str:
        return names.VALIDATE_CANCEL_ORDER_FORM

    def validate_cancel_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        return {names.SLOT_CANCEL_CONFIRMED: confirmation(value, tracker)}


class ValidateReturnForm(_OrderFormValidation):
    """validate_return_form: adds return_reason."""

    extra_slots = (names.SLOT_RETURN_REASON,)

    own_intents = frozenset({names.RETURN_ITEM})

    def name(self) -> str:
        return names.VALIDATE_RETURN_FORM

    def validate_return_reason(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        text = " ".join(str(value).split()) if isinstance(value, str) else ""
        if any(ord(ch) < 32 for ch in text) or "\ufffd" in text or not any(ch.isalpha() for ch in text):
            return {names.SLOT_RETURN_REASON: None}
        return {names.SLOT_RETURN_REASON: text[:REASON_MAX]}


def _order_reference(tracker: Tracker) -> tuple[str | None, str | None]:
    order_id = tracker.get_slot(names.SLOT_ORDER_ID)
    email = tracker.get_slot(names.SLOT_ORDER_EMAIL)
    return (str(order_id) if order_id else None), (str(email) if email else None)


class ActionOrderStatus(StoreAction):
    """The order's status and details for its owner; resets the form slots."""

    def name(self) -> str:
        return names.ACTION_ORDER_STATUS

    def events_on_error(self, tracker: Tracker) -> Events:
        return order_form_reset()

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        order_id, email = _order_reference(tracker)
        try:
            if not order_id:
                raise OrderNotFound("")
            order = self.services.get_order(order_id, sender_id=sender_id(tracker), email=email)
        except OrderNotFound:
            dispatcher.utter_message(response=names.UTTER_ORDER_NOT_FOUND)
            return order_form_reset()
        dispatcher.utter_message(response=names.UTTER_ORDER_STATUS, json_message=order_payload(order),
                                 order_id=order.order_id, status=status_text(order.status),
                                 details=order_details(order, domain))
        return order_form_reset()


class ActionCancelOrder(StoreAction):
    """Cancels the order when the shopper confirmed, else utter_cancel_kept; resets the form slots."""

    def name(self) -> str:
        return names.ACTION_CANCEL_ORDER

    def events_on_error(self, tracker: Tracker) -> Events:
        return order_form_reset(names.SLOT_CANCEL_CONFIRMED)

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        reset = order_form_reset(names.SLOT_CANCEL_CONFIRMED)
        if tracker.get_slot(names.SLOT_CANCEL_CONFIRMED) is not True:
            dispatcher.utter_message(response=names.UTTER_CANCEL_KEPT)
            return reset
        order_id, email = _order_reference(tracker)
        try:
            if not order_id:
                raise OrderNotFound("")
            order = self.services.cancel_order(order_id, sender_id=sender_id(tracker), email=email)
        except OrderNotFound:
            dispatcher.utter_message(response=names.UTTER_ORDER_NOT_FOUND)
            return reset
        except OrderNotCancellable as error:
            dispatcher.utter_message(response=names.UTTER_ORDER_NOT_CANCELLABLE, order_id=error.order_id,
                                     status=status_text(error.status))
            return reset
        dispatcher.utter_message(response=names.UTTER_ORDER_CANCELLED, json_message=order_payload(order),
                                 order_id=order.order_id)
        return reset


class ActionReturnItem(StoreAction):
    """Opens a return for a delivered order; resets the form slots."""

    def name(self) -> str:
        return names.ACTION_RETURN_ITEM

    def events_on_error(self, tracker: Tracker) -> Events:
        return order_form_reset(names.SLOT_RETURN_REASON)

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        reset = order_form_reset(names.SLOT_RETURN_REASON)
        order_id, email = _order_reference(tracker)
        reason = str(tracker.get_slot(names.SLOT_RETURN_REASON) or "").strip()
        try:
            if not order_id:
                raise OrderNotFound("")
            request = self.services.request_return(order_id, reason, sender_id=sender_id(tracker), email=email)
        except OrderNotFound:
            dispatcher.utter_message(response=names.UTTER_ORDER_NOT_FOUND)
            return reset
        except ReturnNotAllowed as error:
            reason_key = error.reason if error.reason in names.RETURN_REASONS else "not_delivered"
            variables = {"days": error.details["days"]} if "days" in error.details else {}
            dispatcher.utter_message(response=names.UTTER_RETURN_NOT_ALLOWED_PREFIX + reason_key, **variables)
            return reset
        dispatcher.utter_message(response=names.UTTER_RETURN_CREATED, json_message=return_payload(request),
                                 return_id=request.return_id, order_id=request.order_id,
                                 refund=format_money(request.refund_amount, request.currency))
        return reset
