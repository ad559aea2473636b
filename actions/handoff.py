"""Handoff skill: queue the conversation for a person."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import Events, StoreAction, latest_intent, sender_id
from actions.payloads import handoff_payload

SHOPPER_REQUEST = "shopper_request"


def handoff_reason(tracker: Tracker) -> str:
    """Why a person is needed: the shopper asked, or the intent that led here."""
    intent = latest_intent(tracker)
    if not intent or intent == names.HUMAN_HANDOFF:
        return SHOPPER_REQUEST
    return intent


class ActionHandoff(StoreAction):
    """Records the request in the store, says so, and sends a `handoff` payload for the channel."""

    def name(self) -> str:
        return names.ACTION_HANDOFF

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        reason = handoff_reason(tracker)
        ticket = self.services.request_handoff(sender_id(tracker), reason)
        dispatcher.utter_message(response=names.UTTER_HANDOFF, json_message=handoff_payload(reason, ticket))
        return []
