"""Search skill: action_search_products and action_refine_search."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import Events, StoreAction, entity_value, latest_text, list_slot, sender_id
from actions.payloads import products_payload

SEARCH_ENTITIES = (names.ENT_CATEGORY, names.ENT_BRAND, names.ENT_COLOR, names.ENT_SIZE, names.ENT_PRICE_MIN,
                   names.ENT_PRICE_MAX, names.ENT_PRODUCT)
REFINEMENTS = (names.REFINE_MORE, names.REFINE_CHEAPER, names.REFINE_PRICIER, names.REFINE_CHEAPEST,
               names.REFINE_PRICIEST, names.REFINE_TOP_RATED)
# A refinement that puts the same products in another order -> the response that says which order.
SORTED_RESPONSES = {names.REFINE_CHEAPEST: names.UTTER_SEARCH_CHEAPEST_FIRST,
                    names.REFINE_PRICIEST: names.UTTER_SEARCH_PRICIEST_FIRST,
                    names.REFINE_TOP_RATED: names.UTTER_SEARCH_TOP_RATED_FIRST}


def search_entities(tracker: Tracker) -> dict[str, Any]:
    """The search-related entities of the latest message (first value of each)."""
    found = {entity: entity_value(tracker, entity) for entity in SEARCH_ENTITIES}
    return {entity: value for entity, value in found.items() if value not in (None, "")}


MAX_QUERY_TEXT = 300


def query_text(tracker: Tracker) -> str:
    """The shopper's words to understand: '' for a typed `/intent{...}`, at most 300 characters."""
    text = latest_text(tracker).strip()
    return "" if text.startswith("/") else text[:MAX_QUERY_TEXT]


# "any of them in navy?", "do you have these in a 10": words that point at the results shown
_POINTS_AT_RESULTS = re.compile(r"\b(them|these|those|they|ones)\b", re.IGNORECASE)
_WHAT_TO_SEARCH = (names.ENT_CATEGORY, names.ENT_BRAND, names.ENT_PRODUCT)


def narrows_the_results(previous: Any, text: str, entities: dict[str, Any]) -> bool:
    """True when a message (`text`) taken for a new search only adds filters (colour, size, price) to the results
    shown and points at them ("any of them in navy?") after an earlier search (`previous` filters): it refines
    that search."""
    return (isinstance(previous, dict) and bool(previous) and bool(entities)
            and not any(entities.get(name) for name in _WHAT_TO_SEARCH)
            and bool(_POINTS_AT_RESULTS.search(text)))


def refinement_of(tracker: Tracker) -> str | None:
    """cheaper | pricier | more | cheapest | priciest | top_rated from the refinement entity; None otherwise."""
    value = entity_value(tracker, names.ENT_REFINEMENT)
    value = str(value).strip().lower() if value is not None else None
    return value if value in REFINEMENTS else None


class _SearchAction(StoreAction):
    """Shared: turn a SearchResult into a response, a products payload and slots."""

    def answer(self, dispatcher: CollectingDispatcher, result: Any, *, more: bool,
               response: str = names.UTTER_SEARCH_RESULTS) -> Events:
        """Results (with `response`), the next page, no more results, or alternatives; search_filters and
        shown_products set."""
        filters = self.services.query_to_dict(result.query)
        products = list(result.products)
        if products:
            skus = [p.sku for p in products]
            if more:
                dispatcher.utter_message(response=names.UTTER_SEARCH_MORE, json_message=products_payload(products),
                                         count=len(products))
            else:
                dispatcher.utter_message(response=response, json_message=products_payload(products),
                                         count=len(products), total=result.total)
            return self._shown(filters, skus)
        if more:
            dispatcher.utter_message(response=names.UTTER_NO_MORE_RESULTS)
            return [SlotSet(names.SLOT_SEARCH_FILTERS, filters)]
        understood = self.services.describe(result.query)
        alternatives = list(result.alternatives)
        if alternatives:
            dispatcher.utter_message(response=names.UTTER_NO_RESULTS_ALTERNATIVES,
                                     json_message=products_payload(alternatives),
                                     understood=understood,
                                     relaxed=self.services.describe_relaxed(result.query, list(result.relaxed)))
            return self._shown(filters, [p.sku for p in alternatives])
        dispatcher.utter_message(response=names.UTTER_NO_RESULTS, understood=understood)
        return [SlotSet(names.SLOT_SEARCH_FILTERS, filters), SlotSet(names.SLOT_SHOWN_PRODUCTS, [])]

    def refine(self, tracker: Tracker, previous: dict[str, Any], refinement: str | None,
               entities: dict[str, Any]) -> Any:
        """The earlier search (`previous` filters) refined: a next page, another order or more filters."""
        return self.services.refine_search(previous, refinement, entities,
                                           list_slot(tracker, names.SLOT_SHOWN_PRODUCTS), sender_id(tracker))

    @staticmethod
    def _shown(filters: dict[str, Any], skus: list[str]) -> Events:
        events = [SlotSet(names.SLOT_SEARCH_FILTERS, filters), SlotSet(names.SLOT_SHOWN_PRODUCTS, skus)]
        if len(skus) == 1:
            events.append(SlotSet(names.SLOT_LAST_PRODUCT, skus[0]))
        return events


class ActionSearchProducts(_SearchAction):
    """A new search from the shopper's words and entities."""

    def name(self) -> str:
        return names.ACTION_SEARCH_PRODUCTS

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        entities = search_entities(tracker)
        previous, text = tracker.get_slot(names.SLOT_SEARCH_FILTERS), query_text(tracker)
        if narrows_the_results(previous, text, entities):
            return self.answer(dispatcher, self.refine(tracker, previous, None, entities), more=False)
        result = self.services.search_products(text, entities, sender_id(tracker))
        return self.answer(dispatcher, result, more=False)


class ActionRefineSearch(_SearchAction):
    """More, cheaper, pricier or other filters on the last search; a new category starts a new search."""

    def name(self) -> str:
        return names.ACTION_REFINE_SEARCH

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        previous = tracker.get_slot(names.SLOT_SEARCH_FILTERS)
        entities = search_entities(tracker)
        refinement = refinement_of(tracker)
        if not isinstance(previous, dict) or not previous or self._new_category(previous, entities):
            if not entities and (refinement in (None, names.REFINE_MORE) or refinement in SORTED_RESPONSES):
                dispatcher.utter_message(response=names.UTTER_NO_SEARCH_YET)
                return []
            result = self.services.search_products(query_text(tracker), entities, sender_id(tracker))
            return self.answer(dispatcher, result, more=False)
        if refinement is None and not entities:
            refinement = names.REFINE_MORE  # "show me more", "keep going"
        result = self.refine(tracker, previous, refinement, entities)
        more = result.query.offset > 0
        return self.answer(dispatcher, result, more=more,
                           response=SORTED_RESPONSES.get(refinement or "", names.UTTER_SEARCH_RESULTS))

    @staticmethod
    def _new_category(previous: dict[str, Any], entities: dict[str, Any]) -> bool:
        category = entities.get(names.ENT_CATEGORY)
        if not category:
            return False
        wanted = str(category).strip().lower()
        known = {str(previous.get(key) or "").strip().lower() for key in ("category", "subcategory", "text")}
        return not any(wanted == k or wanted.rstrip("s") == k.rstrip("s") for k in known if k)
