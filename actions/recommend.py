"""Recommendations: products like the one in focus, or the best sellers (of a category)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import Events, StoreAction, entity_value
from actions.details import shown_products
from actions.mentions import resolve_mention
from actions.payloads import products_payload
from store.errors import UnknownProduct
from store.types import ProductSummary

SIMILAR_LIMIT = 3
BEST_LIMIT = 5


def categories_of(products: list[ProductSummary]) -> str:
    """The distinct categories of the products, for {category} when the shopper named none."""
    seen: dict[str, None] = {}
    for product in products:
        seen.setdefault(product.category, None)
    return ", ".join(seen)


class ActionRecommend(StoreAction):
    """Products like the one the shopper names ("like that one"), else the best sellers (of a category)."""

    def name(self) -> str:
        return names.ACTION_RECOMMEND

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        category = entity_value(tracker, names.ENT_CATEGORY)
        sku = self._reference(tracker)
        if sku:
            try:
                product, similar = self.services.similar_products(sku, limit=SIMILAR_LIMIT)
            except UnknownProduct:
                dispatcher.utter_message(response=names.UTTER_UNKNOWN_PRODUCT)
                return []
            if similar:
                dispatcher.utter_message(response=names.UTTER_RECOMMEND_SIMILAR, json_message=products_payload(similar),
                                         name=product.name)
                return [SlotSet(names.SLOT_SHOWN_PRODUCTS, [p.sku for p in similar]),
                        SlotSet(names.SLOT_LAST_PRODUCT, product.sku)]
        best = self.services.best_sellers(category=str(category).strip().lower() if category else None,
                                          limit=BEST_LIMIT)
        if not best:
            dispatcher.utter_message(response=names.UTTER_RECOMMEND_NONE)
            return []
        dispatcher.utter_message(response=names.UTTER_RECOMMEND_BEST, json_message=products_payload(best),
                                 category=str(category) if category else categories_of(best))
        events = [SlotSet(names.SLOT_SHOWN_PRODUCTS, [p.sku for p in best])]
        if len(best) == 1:
            events.append(SlotSet(names.SLOT_LAST_PRODUCT, best[0].sku))
        return events

    def _reference(self, tracker: Tracker) -> str | None:
        mention = entity_value(tracker, names.ENT_MENTION)
        if mention is not None:
            return resolve_mention(str(mention), shown_products(tracker, self.services),
                                   tracker.get_slot(names.SLOT_LAST_PRODUCT))
        product = entity_value(tracker, names.ENT_PRODUCT)
        if product:
            try:
                return self.services.find_product(str(product)).sku
            except UnknownProduct:
                return None
        return None
