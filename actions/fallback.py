"""Fallback and leaving a form: action_fallback, action_leave_form."""

from __future__ import annotations

import unicodedata

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import FORM_SLOTS, Events, StoreAction, latest_text


def has_words(text: str | None) -> bool:
    """False for empty, whitespace-only, emoji/symbol-only or binary (control characters) text."""
    if not text or not text.strip():
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\r\t")
    if controls or "\ufffd" in text:
        return False
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text)


class ActionFallback(StoreAction):
    """utter_empty_message for text without words, else utter_default (what the bot can do)."""

    def name(self) -> str:
        return names.ACTION_FALLBACK

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        if has_words(latest_text(tracker)):
            dispatcher.utter_message(response=names.UTTER_DEFAULT)
        else:
            dispatcher.utter_message(response=names.UTTER_EMPTY_MESSAGE)
        return []


class ActionLeaveForm(StoreAction):
    """Deactivates the active form, resets its slots and says utter_form_left."""

    def name(self) -> str:
        return names.ACTION_LEAVE_FORM

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        form = tracker.active_loop_name
        events: Events = []
        if form:
            events = [ActiveLoop(None), SlotSet(names.SLOT_REQUESTED, None)]
            events += [SlotSet(slot, value) for slot, value in FORM_SLOTS.get(form, {}).items()]
        dispatcher.utter_message(response=names.UTTER_FORM_LEFT)
        return events
