"""FAQ skill: the store's own answer (store_policies.yml) to a retrieval-intent question."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import Events, StoreAction, latest_intent


def faq_key(tracker: Tracker) -> str | None:
    """'shipping' from the ResponseSelector's 'faq/shipping' (or from a full intent name 'faq/shipping')."""
    selector = tracker.latest_message.get("response_selector") or {}
    for source in (selector.get(names.FAQ), selector.get("default")):
        response = (source or {}).get("response") or {}
        key = response.get("intent_response_key") or response.get("full_retrieval_intent_name")
        if isinstance(key, str) and key.startswith(f"{names.FAQ}/"):
            return key.split("/", 1)[1] or None
    intent = latest_intent(tracker) or ""
    if intent.startswith(f"{names.FAQ}/"):
        return intent.split("/", 1)[1] or None
    return None


class ActionAnswerFaq(StoreAction):
    """Answers with the text from the store policies file, or utter_faq_unknown."""

    def name(self) -> str:
        return names.ACTION_ANSWER_FAQ

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        key = faq_key(tracker)
        answer = self.services.faq_answer(key) if key else None
        if answer:
            dispatcher.utter_message(text=answer)
        else:
            dispatcher.utter_message(response=names.UTTER_FAQ_UNKNOWN)
        return []
