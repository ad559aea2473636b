"""Abstract bases of every custom action: injectable services and no stack trace ever reaches a shopper."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, SlotSet, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import names

logger = logging.getLogger(__name__)

Events = list[dict[str, Any]]

# What each form fills, and the value each slot goes back to when the shopper leaves it.
FORM_SLOTS: dict[str, dict[str, object]] = {
    names.CART_ITEM_FORM: {names.SLOT_ITEM_COLOR: None, names.SLOT_ITEM_SIZE: None, names.SLOT_PENDING_SKU: None,
                           names.SLOT_PENDING_QUANTITY: None, names.SLOT_VARIANT_NEEDED: False},
    names.CHECKOUT_FORM: {names.SLOT_EMAIL: None, names.SLOT_SHIPPING_ADDRESS: None, names.SLOT_SHIPPING_METHOD: None,
                          names.SLOT_CHECKOUT_CONFIRMED: None, names.SLOT_CHECKOUT_READY: False},
    names.ORDER_STATUS_FORM: {names.SLOT_ORDER_ID: None, names.SLOT_ORDER_EMAIL: None},
    names.CANCEL_ORDER_FORM: {names.SLOT_ORDER_ID: None, names.SLOT_ORDER_EMAIL: None,
                              names.SLOT_CANCEL_CONFIRMED: None},
    names.RETURN_FORM: {names.SLOT_ORDER_ID: None, names.SLOT_ORDER_EMAIL: None, names.SLOT_RETURN_REASON: None},
}

# Requests that start something new. Said while a form waits for an answer, in a message from which nothing
# valid could be taken, they end the form and the message is handled as if no form had been active.
NEW_REQUEST_INTENTS = frozenset({
    names.SEARCH_PRODUCT, names.REFINE_SEARCH, names.PRODUCT_DETAILS, names.COMPARE_PRODUCTS, names.RECOMMEND,
    names.ADD_TO_CART, names.REMOVE_FROM_CART, names.CHANGE_QUANTITY, names.CHECKOUT, names.APPLY_COUPON,
    names.ORDER_STATUS, names.CANCEL_ORDER, names.RETURN_ITEM, names.GOODBYE,
})
ACTION_LISTEN = "action_listen"
# Below this intent confidence the form keeps the message as a (wrong) answer and asks again.
NEW_REQUEST_CONFIDENCE = 0.6

# Values computed once per action run (form validation asks `required_slots` several times).
_run_memo: ContextVar[dict[str, Any] | None] = ContextVar("chatecomm_action_memo", default=None)


def entity_values(tracker: Tracker, entity: str) -> list[Any]:
    """Every value of `entity` in the latest message, in order (roles and groups included)."""
    return [e.get("value") for e in tracker.latest_message.get("entities") or []
            if e.get("entity") == entity and e.get("value") not in (None, "")]


def entity_value(tracker: Tracker, entity: str) -> Any:
    """The first value of `entity` in the latest message, or None."""
    values = entity_values(tracker, entity)
    return values[0] if values else None


def latest_text(tracker: Tracker) -> str:
    """The text of the latest user message ('' when there is none)."""
    text = tracker.latest_message.get("text")
    return text if isinstance(text, str) else ""


def confirmation(value: Any, tracker: Tracker) -> bool | None:
    """A yes/no slot value, kept only when the shopper really wrote words (or pressed a button).

    An empty, emoji-only or punctuation-only message can be classified as `affirm`; it must never
    confirm an order or a cancellation.
    """
    if not isinstance(value, bool):
        return None
    text = latest_text(tracker).strip()
    if text.startswith("/") or any(ch.isalnum() for ch in text):
        return value
    return None


def checked_email(services: Any, value: Any, dispatcher: CollectingDispatcher) -> str | None:
    """The email as the store keeps it, or None after telling the shopper it is not valid."""
    email = services.checkout_email(value)
    if email is None:
        dispatcher.utter_message(response=names.UTTER_INVALID_EMAIL)
    return email


def latest_intent(tracker: Tracker) -> str | None:
    """The intent name of the latest user message."""
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") if isinstance(intent, dict) else None


def sender_id(tracker: Tracker) -> str:
    """The conversation id: it identifies the cart and the orders placed in this conversation."""
    return str(tracker.sender_id)


def string_list(value: Any) -> list[str]:
    """A list slot's value as a list of strings ([] when unset or malformed)."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return []


def list_slot(tracker: Tracker, slot: str) -> list[str]:
    """A list slot as a list of strings ([] when unset or malformed)."""
    return string_list(tracker.get_slot(slot))


def response_text(domain: DomainDict | None, response: str, **variables: Any) -> str | None:
    """The first text of a domain response with its {variables} filled, for a fragment inside another response.

    None when the domain does not declare it (or a variable is missing): the caller then leaves the fragment out.
    """
    variants = ((domain or {}).get("responses") or {}).get(response) or []
    text = next((v.get("text") for v in variants if isinstance(v, dict) and isinstance(v.get("text"), str)), None)
    if text is None:
        return None
    try:
        return text.format(**variables)
    except (KeyError, IndexError, ValueError):
        return None


class _ServicesMixin:
    """`services` injected in the constructor, or the default store services made on first use."""

    _services: Any = None

    @property
    def services(self) -> Any:
        """The store services this action calls."""
        if self._services is None:
            from actions.services import default_services

            self._services = default_services()
        return self._services

    @staticmethod
    def memo(key: str, load: Callable[[], Any]) -> Any:
        """`load()` once per action run (every time outside a run)."""
        cache = _run_memo.get()
        if cache is None:
            return load()
        if key not in cache:
            cache[key] = load()
        return cache[key]


def _report(action: str, tracker: Tracker, dispatcher: CollectingDispatcher, keep: int) -> None:
    logger.exception("action %s failed for sender %s", action, tracker.sender_id)
    del dispatcher.messages[keep:]
    dispatcher.utter_message(response=names.UTTER_STORE_ERROR)


class StoreAction(_ServicesMixin, Action, ABC):
    """A custom action: read slots/entities, call one store service, answer with events and response names."""

    def __init__(self, services: Any = None) -> None:
        self._services = services

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    @abstractmethod
    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """The action itself; domain errors are translated here, anything else by `run`."""

    def events_on_error(self, tracker: Tracker) -> Events:
        """Events to return when the action failed unexpectedly (rules may rely on a slot being set)."""
        return []

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Run `act`; an unexpected exception is logged and answered with utter_store_error."""
        keep = len(dispatcher.messages)
        token = _run_memo.set({})
        try:
            return self.act(dispatcher, tracker, domain)
        except Exception:  # noqa: BLE001 - the shopper gets an apology, the log gets the trace
            _report(self.name(), tracker, dispatcher, keep)
            return self.events_on_error(tracker)
        finally:
            _run_memo.reset(token)


class StoreFormValidation(_ServicesMixin, FormValidationAction, ABC):
    """validate_<form>: values are checked against the store; a failure empties what was being validated."""

    def __init__(self, services: Any = None) -> None:
        self._services = services

    @abstractmethod
    def name(self) -> str:
        """validate_<form name>."""

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        """Always say which slot comes next (None: the form is done), so the form never guesses."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = next((slot for slot in required if tracker.slots.get(slot) is None), None)
        return SlotSet(names.SLOT_REQUESTED, missing)

    def answer_in(self, slot: str, text: str, tracker: Tracker) -> Any:
        """The value of the requested `slot` when the message plainly IS the answer, else None.

        The form's slot mappings ignore some intents (faq, chitchat, help, ...) so that a question in the
        middle of a form is answered. A language model can file a real answer under one of them (an address
        taken for a shipping question); this second look keeps such an answer. Forms override it for the
        slots whose answers can be recognised without the model (an email, an order number, an address).
        """
        return None

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Events:
        """The extract_<slot> methods, then the requested slot from the message itself when nothing filled it."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot(names.SLOT_REQUESTED)
        text = latest_text(tracker).strip()
        if (not requested or not text or text.startswith("/") or requested in tracker.slots_to_validate()
                or any(event.get("name") == requested for event in events)):
            return events
        value = self.answer_in(str(requested), text, tracker)
        return events if value is None else [*events, SlotSet(str(requested), value)]

    # Intents that start this very form: said again while it asks, they are a (wrong) answer, not a new subject.
    own_intents: frozenset[str] = frozenset()

    def changed_subject(self, tracker: Tracker, events: Events) -> bool:
        """True when the shopper, asked a question by this form, made a new request instead of answering.

        Only after the form has asked something (not on the turn that starts it), only for a request the model
        is sure of, and only when nothing valid was taken from the message (a colour named in "show me red
        ones" while a colour is asked is an answer).
        """
        form = self.form_name()
        requested = tracker.get_slot(names.SLOT_REQUESTED)
        intent = tracker.latest_message.get("intent") or {}
        if (tracker.active_loop_name != form or not requested or not isinstance(intent, dict)
                or intent.get("name") not in NEW_REQUEST_INTENTS - self.own_intents
                or float(intent.get("confidence") or 0.0) < NEW_REQUEST_CONFIDENCE):
            return False
        form_slots = FORM_SLOTS.get(form, {})
        return not any(event.get("event") == "slot" and event.get("name") in form_slots
                       and event.get("value") not in (None, "") for event in events)

    def set_aside(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Tell the shopper what is left unfinished when the form ends for a new request (nothing by default)."""

    def change_subject(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        """End the form and hand the message back to the dialogue as if no form had been active.

        The message is taken back (UserUtteranceReverted undoes everything since it, the form's slot
        extraction included, and the action_listen before it), the form's slots are reset, and action_listen
        and the same message with the same parse are logged again. Rasa runs action_extract_slots for a
        UserUttered returned by an action, then predicts the next action from a tracker whose last turn is that
        message with no form active, so the rules and stories for the new request apply unchanged.
        """
        self.set_aside(dispatcher, tracker)
        resets = [SlotSet(slot, value) for slot, value in FORM_SLOTS.get(self.form_name(), {}).items()]
        return [UserUtteranceReverted(), ActiveLoop(None), SlotSet(names.SLOT_REQUESTED, None), *resets,
                ActionExecuted(ACTION_LISTEN),
                UserUttered(latest_text(tracker), parse_data=dict(tracker.latest_message),
                            input_channel=tracker.get_latest_input_channel())]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        """Extract and validate (or leave the form for a new request); on an unexpected exception the candidate
        values are rejected."""
        keep = len(dispatcher.messages)
        candidates = list(tracker.slots_to_validate())
        token = _run_memo.set({})
        try:
            events = await super().run(dispatcher, tracker, domain)
            if self.changed_subject(tracker, events):
                del dispatcher.messages[keep:]  # no "that is not a valid answer" for a new request
                return self.change_subject(dispatcher, tracker)
            return events
        except Exception:  # noqa: BLE001
            _report(self.name(), tracker, dispatcher, keep)
            return [SlotSet(slot, None) for slot in candidates if slot != names.SLOT_REQUESTED]
        finally:
            _run_memo.reset(token)
