"""Product details and comparison: action_product_details, action_compare_products."""

from __future__ import annotations

from itertools import chain
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import (
    Events,
    StoreAction,
    entity_value,
    entity_values,
    latest_text,
    list_slot,
    response_text,
    string_list,
)
from actions.mentions import ALL, is_deictic, mention_position, pick, positions_in_text, resolve_mention
from actions.payloads import compare_payload, product_payload
from store.errors import UnknownProduct
from store.money import format_money
from store.products import of_kind
from store.types import ProductDetail

MAX_COMPARED = 3


# How many lists shown earlier are looked through for products of a kind the shopper names with a position.
EARLIER_LISTS = 5


def shown_lists(tracker: Tracker) -> list[list[str]]:
    """The lists of products shown to the shopper, the current one first, then up to EARLIER_LISTS earlier ones."""
    lists = [list_slot(tracker, names.SLOT_SHOWN_PRODUCTS)]
    for event in reversed(tracker.events or []):
        if len(lists) > EARLIER_LISTS:
            break
        if event.get("event") == "slot" and event.get("name") == names.SLOT_SHOWN_PRODUCTS:
            earlier = string_list(event.get("value"))
            if earlier and earlier not in lists:
                lists.append(earlier)
    return lists


def shown_products(tracker: Tracker, services: Any) -> list[str]:
    """The list a position ('the second one') counts in: the products shown, or, when the shopper names a kind of
    product with the position ('the second running shoe'), the products of that kind in the latest list that has
    some ([] when no list shown had any)."""
    shown = list_slot(tracker, names.SLOT_SHOWN_PRODUCTS)
    kind = entity_value(tracker, names.ENT_CATEGORY)
    if not kind or not any(mention_position(str(m)) is not None for m in entity_values(tracker, names.ENT_MENTION)):
        return shown
    lists = shown_lists(tracker)
    every = list(dict.fromkeys(chain.from_iterable(lists)))  # one read of the store for every list
    of_that_kind = {p.sku for p in of_kind(services.summaries(every), str(kind))}
    return next(([sku for sku in listed if sku in of_that_kind] for listed in lists
                 if of_that_kind.intersection(listed)), [])


def product_reference(tracker: Tracker, services: Any) -> tuple[str | None, str | None]:
    """(sku, None) from a mention or the product in focus, or (None, name) from a product entity; (None, None)."""
    shown = shown_products(tracker, services)
    last = tracker.get_slot(names.SLOT_LAST_PRODUCT)
    mention = entity_value(tracker, names.ENT_MENTION)
    if mention is not None:
        sku = resolve_mention(str(mention), shown, last)
        if sku:
            return sku, None
    product = entity_value(tracker, names.ENT_PRODUCT)
    if product:
        return None, str(product)
    if mention is None and last:
        return str(last), None
    if mention is None and len(shown) == 1:
        return shown[0], None
    return None, None


def load_reference(services: Any, sku: str | None, name: str | None) -> ProductDetail:
    """The product a reference names (UnknownProduct when there is none)."""
    return services.product(sku) if sku else services.find_product(name or "")


def stock_text(product: ProductDetail, domain: DomainDict | None) -> str:
    """{stock_text}: the domain's utter_stock_in / utter_stock_out fragment ('' when the domain has none)."""
    if product.stock > 0:
        return response_text(domain, names.UTTER_STOCK_IN, stock=product.stock) or ""
    return response_text(domain, names.UTTER_STOCK_OUT) or ""


class ActionProductDetails(StoreAction):
    """Every detail of the product the shopper means."""

    def name(self) -> str:
        return names.ACTION_PRODUCT_DETAILS

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        sku, product_name = product_reference(tracker, self.services)
        if not sku and not product_name:
            dispatcher.utter_message(response=names.UTTER_WHICH_PRODUCT)
            return []
        try:
            product = load_reference(self.services, sku, product_name)
        except UnknownProduct:
            dispatcher.utter_message(response=names.UTTER_UNKNOWN_PRODUCT)
            return []
        dispatcher.utter_message(response=names.UTTER_PRODUCT_DETAILS, json_message=product_payload(product),
                                 name=product.name, price=format_money(product.price, product.currency),
                                 stock_text=stock_text(product, domain))
        return [SlotSet(names.SLOT_LAST_PRODUCT, product.sku)]


def compared_references(tracker: Tracker, services: Any) -> tuple[list[str], list[str]]:
    """(SKUs, product names) to compare, from mentions, product entities, the sentence, or the shown list (of the
    kind named with the positions, see `shown_products`)."""
    shown = shown_products(tracker, services)
    last = tracker.get_slot(names.SLOT_LAST_PRODUCT)
    skus: list[str] = []
    for mention in entity_values(tracker, names.ENT_MENTION):
        position = mention_position(str(mention))
        if position is None and not is_deictic(str(mention)):
            continue
        sku = resolve_mention(str(mention), shown, last)
        if sku and sku not in skus:
            skus.append(sku)
    product_names = [str(p) for p in entity_values(tracker, names.ENT_PRODUCT)]
    if len(skus) + len(product_names) < 2:
        positions = positions_in_text(latest_text(tracker))
        if positions == [ALL]:
            positions = list(range(1, len(shown) + 1))
        for position in positions:
            sku = pick(position, shown)
            if sku and sku not in skus:
                skus.append(sku)
    if len(skus) + len(product_names) < 2 and not product_names:
        for sku in shown:
            if sku not in skus:
                skus.append(sku)
    return skus, product_names


class ActionCompareProducts(StoreAction):
    """Two or three products side by side."""

    def name(self) -> str:
        return names.ACTION_COMPARE_PRODUCTS

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        skus, product_names = compared_references(tracker, self.services)
        if len(skus) + len(product_names) < 2:
            dispatcher.utter_message(response=names.UTTER_COMPARE_NEED_TWO)
            return []
        products: list[ProductDetail] = []
        try:
            if skus:
                products.extend(self.services.products(skus[:MAX_COMPARED]))
            for product_name in product_names[: MAX_COMPARED - len(products)]:
                products.append(self.services.find_product(product_name))
        except UnknownProduct:
            dispatcher.utter_message(response=names.UTTER_UNKNOWN_PRODUCT)
            return []
        unique: dict[str, ProductDetail] = {}
        for product in products:
            unique.setdefault(product.sku, product)
        products = list(unique.values())[:MAX_COMPARED]
        if len(products) < 2:
            dispatcher.utter_message(response=names.UTTER_COMPARE_NEED_TWO)
            return []
        dispatcher.utter_message(response=names.UTTER_COMPARE, json_message=compare_payload(products),
                                 names=", ".join(p.name for p in products))
        return [SlotSet(names.SLOT_SHOWN_PRODUCTS, [p.sku for p in products])]
