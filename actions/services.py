"""The store as the actions see it: one method per store operation, each in its own unit of work.

Actions receive a `StoreServices` (or a fake with the same methods in tests) and never open sessions or
write SQL. Store modules are imported inside the methods so that importing `actions` touches nothing.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from store.money import to_money
from store.types import (
    CartView,
    CheckoutQuote,
    OrderView,
    ProductDetail,
    ProductSummary,
    ReturnView,
    SearchQuery,
    SearchResult,
    ShippingMethod,
)
from store.uow import UnitOfWork

VOCABULARY_TTL_SECONDS = 60.0
PAGE_SIZE = 5


# The names SearchResult.relaxed uses for the filters the store dropped, and the fields they clear.
_RELAXED_FIELDS: dict[str, dict[str, Any]] = {
    "size": {"size": None}, "color": {"color": None}, "price": {"price_min": None, "price_max": None},
    "brand": {"brand": None}, "text": {"text": None}, "category": {"category": None, "subcategory": None},
}


def _key(value: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9&+ ]+", " ", (value or "").lower()).split())


def _canonical(value: str, known: list[str]) -> str | None:
    """The catalog's spelling of `value` ("Running Shoes" -> "running shoes", "sneakers" -> "sneaker"), or None."""
    wanted = _key(value)
    if not wanted:
        return None
    by_key = {_key(k): k for k in known}
    for candidate in (wanted, wanted[:-1] if wanted.endswith("s") else None,
                      wanted[:-2] if wanted.endswith("es") else None, f"{wanted}s"):
        if candidate and candidate in by_key:
            return by_key[candidate]
    return None


def _normal_size(value: object) -> str:
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text


def entity_changes(entities: dict[str, Any], vocabulary: Any) -> dict[str, Any]:
    """SearchQuery fields named by NLU entities, in the catalog's spelling; amounts as Decimal.

    `entities` maps entity name (category, brand, color, size, price_min, price_max, product) to a value.
    A category the catalog does not know becomes free text.
    """
    changes: dict[str, Any] = {}
    category = entities.get("category")
    if category:
        found = _canonical(str(category), list(getattr(vocabulary, "categories", []) or []))
        sub = None if found else _canonical(str(category), list(getattr(vocabulary, "subcategories", []) or []))
        if found:
            changes["category"] = found
        elif sub:
            changes["subcategory"] = sub
        else:
            changes["text"] = str(category).strip()
    brand = entities.get("brand")
    if brand:
        changes["brand"] = _canonical(str(brand), list(getattr(vocabulary, "brands", []) or [])) or str(brand).strip()
    color = entities.get("color")
    if color:
        changes["color"] = _canonical(str(color), list(getattr(vocabulary, "colors", []) or [])) or str(color).strip()
    size = entities.get("size")
    if size not in (None, ""):
        changes["size"] = _normal_size(size)
    for bound in ("price_min", "price_max"):
        value = entities.get(bound)
        if value in (None, ""):
            continue
        try:
            amount = to_money(str(value).replace("$", "").strip())
        except ValueError:
            continue
        if amount >= 0:
            changes[bound] = amount
    product = entities.get("product")
    if product:
        changes["text"] = str(product).strip()
    return changes


def apply_entities(query: SearchQuery, entities: dict[str, Any], vocabulary: Any) -> SearchQuery:
    """`query` with the fields the entities name replaced (entities win over what the text suggested)."""
    changes = entity_changes(entities, vocabulary)
    if "text" in changes and "product" not in entities and (query.category or query.subcategory):
        changes.pop("text")  # the understood category is better than an unknown category word
    return dataclasses.replace(query, **changes) if changes else query


CheckoutSummary = CheckoutQuote  # what the shopper confirms at checkout (computed by the store)


class StoreServices:
    """Every store operation the actions use; `uow_factory` makes a fresh UnitOfWork per call."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork] = UnitOfWork,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._vocabulary: tuple[float, Any] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------------------------------ catalog

    def vocabulary(self) -> Any:
        """The catalog vocabulary, read at most once a minute."""
        from store.catalog import catalog_vocabulary

        now = self._clock()
        with self._lock:
            cached = self._vocabulary
        if cached and now - cached[0] < VOCABULARY_TTL_SECONDS:
            return cached[1]
        with self._uow_factory() as uow:
            vocabulary = catalog_vocabulary(uow)
        with self._lock:
            self._vocabulary = (now, vocabulary)
        return vocabulary

    def product(self, sku: str) -> ProductDetail:
        """One product by SKU (UnknownProduct)."""
        from store.products import get_product

        with self._uow_factory() as uow:
            return get_product(sku, uow)

    def find_product(self, name: str) -> ProductDetail:
        """One product by the name a shopper typed (UnknownProduct)."""
        from store.products import find_product

        with self._uow_factory() as uow:
            return find_product(name, uow)

    def products(self, skus: list[str]) -> list[ProductDetail]:
        """Several products by SKU, in that order (UnknownProduct for any unknown one)."""
        from store.products import get_product

        with self._uow_factory() as uow:
            return [get_product(sku, uow) for sku in skus]

    def summaries(self, skus: list[str]) -> list[ProductSummary]:
        """List views of the SKUs that still exist, in that order."""
        from store.products import get_summaries

        with self._uow_factory() as uow:
            return get_summaries(list(skus), uow)

    # ------------------------------------------------------------------------------------------ search

    def search_products(self, text: str, entities: dict[str, Any], sender_id: str | None) -> SearchResult:
        """A new search: the shopper's words understood against the catalog, then the NLU entities on top."""
        from store import search as store_search

        vocabulary = self.vocabulary()
        query = store_search.understand(text or "", vocabulary)
        query = apply_entities(query, entities, vocabulary)
        query = dataclasses.replace(query, offset=0, limit=PAGE_SIZE)
        with self._uow_factory() as uow:
            result = store_search.search(query, uow, sender_id=sender_id)
            uow.commit()
        return result

    def refine_search(self, previous: dict[str, Any], refinement: str | None, entities: dict[str, Any],
                      shown_skus: list[str], sender_id: str | None) -> SearchResult:
        """The previous search changed: next page, cheaper, pricier, or other filters."""
        from store import search as store_search
        from store.products import get_summaries

        vocabulary = self.vocabulary()
        changes = entity_changes(entities, vocabulary)
        before = store_search.query_from_dict(previous)
        with self._uow_factory() as uow:
            prices = [p.price for p in get_summaries(list(shown_skus or []), uow)]
            query = store_search.refine(before, refinement=refinement, changes=changes or None,
                                        shown_prices=prices or None, page_size=PAGE_SIZE)
            result = store_search.search(query, uow, sender_id=sender_id)
            uow.commit()
        return result

    def query_to_dict(self, query: SearchQuery) -> dict[str, Any]:
        """A SearchQuery as a JSON-safe dict (the search_filters slot)."""
        from store.search import query_to_dict

        return query_to_dict(query)

    def describe(self, query: SearchQuery) -> str:
        """What the store understood, in the shopper's words."""
        from store.search import describe

        return describe(query)

    def describe_relaxed(self, query: SearchQuery, relaxed: list[str]) -> str:
        """What the alternatives match: the query without the filters the store dropped to find them."""
        changes: dict[str, Any] = {}
        for name in relaxed:
            changes.update(_RELAXED_FIELDS.get(name, {}))
        return self.describe(dataclasses.replace(query, **changes))

    # ------------------------------------------------------------------------------------------ recommend

    def similar_products(self, sku: str, limit: int = 3) -> tuple[ProductDetail, list[ProductSummary]]:
        """The product and products like it."""
        from store.products import get_product
        from store.recommend import similar_products

        with self._uow_factory() as uow:
            return get_product(sku, uow), similar_products(sku, uow, limit=limit)

    def best_sellers(self, category: str | None = None, limit: int = 5) -> list[ProductSummary]:
        """The best-selling products, optionally in one category."""
        from store.recommend import best_sellers

        with self._uow_factory() as uow:
            return best_sellers(uow, category=category, limit=limit)

    # ------------------------------------------------------------------------------------------ cart

    def cart(self, sender_id: str) -> CartView:
        """The sender's cart."""
        from store.cart import get_cart

        with self._uow_factory() as uow:
            return get_cart(sender_id, uow)

    def add_item(self, sender_id: str, sku: str, quantity: object, color: str | None = None,
                 size: str | None = None) -> CartView:
        """Add units of a product's variant to the cart."""
        from store.cart import add_item

        with self._uow_factory() as uow:
            cart = add_item(sender_id, sku, quantity, uow, color=color, size=size)
            uow.commit()
            return cart

    def remove_item(self, sender_id: str, sku: str, color: str | None = None, size: str | None = None) -> CartView:
        """Remove a product (or one variant of it) from the cart."""
        from store.cart import remove_item

        with self._uow_factory() as uow:
            cart = remove_item(sender_id, sku, uow, color=color, size=size)
            uow.commit()
            return cart

    def set_quantity(self, sender_id: str, sku: str, quantity: object, color: str | None = None,
                     size: str | None = None) -> CartView:
        """Change how many units of a cart line the shopper wants."""
        from store.cart import set_quantity

        with self._uow_factory() as uow:
            cart = set_quantity(sender_id, sku, quantity, uow, color=color, size=size)
            uow.commit()
            return cart

    def apply_coupon(self, sender_id: str, code: str) -> CartView:
        """Put a coupon on the cart."""
        from store.cart import apply_coupon

        with self._uow_factory() as uow:
            cart = apply_coupon(sender_id, code, uow)
            uow.commit()
            return cart

    def currency(self) -> str:
        """The store's currency code."""
        from store.config import get_settings

        return get_settings().currency

    def max_quantity(self) -> int:
        """The most units of one line a cart may hold."""
        from store.config import get_settings

        return get_settings().max_quantity

    # ------------------------------------------------------------------------------------------ checkout

    def shipping_methods(self) -> list[ShippingMethod]:
        """The store's shipping methods."""
        from store.policies import shipping_methods

        return shipping_methods()

    def find_shipping_method(self, text: str) -> ShippingMethod | None:
        """The shipping method a shopper means, or None."""
        from store.policies import find_shipping_method

        return find_shipping_method(text)

    def checkout_email(self, value: object) -> str | None:
        """The email as the store will keep it, or None when the store would refuse it."""
        from store.errors import InvalidCheckoutDetails
        from store.orders import validate_email

        try:
            return validate_email(value) if isinstance(value, str) else None
        except InvalidCheckoutDetails:
            return None

    def checkout_address(self, value: object) -> str | None:
        """The shipping address as the store will keep it, or None when the store would refuse it."""
        from store.errors import InvalidCheckoutDetails
        from store.orders import validate_address

        try:
            return validate_address(value) if isinstance(value, str) else None
        except InvalidCheckoutDetails:
            return None

    def email_in_text(self, text: object) -> str | None:
        """The first valid email address written in a message, or None."""
        from store.orders import email_in_text

        return email_in_text(text) if isinstance(text, str) else None

    def address_in_text(self, text: object) -> str | None:
        """The message as a shipping address when it reads as one (a number, a word, not a question), else None."""
        from store.orders import looks_like_address

        return self.checkout_address(text) if isinstance(text, str) and looks_like_address(text) else None

    def checkout_summary(self, sender_id: str, method_code: str | None) -> CheckoutSummary:
        """The cart, the chosen method, what shipping costs for this cart, and the total to pay."""
        from store.orders import quote_checkout

        with self._uow_factory() as uow:
            return quote_checkout(sender_id, method_code, uow)

    def place_order(self, sender_id: str, email: str, shipping_address: str, shipping_method: str) -> OrderView:
        """Turn the sender's cart into an order (idempotent on a repeated confirmation)."""
        from store.orders import place_order

        with self._uow_factory() as uow:
            order = place_order(sender_id, email, shipping_address, shipping_method, uow)
            uow.commit()
            return order

    # ------------------------------------------------------------------------------------------ orders

    def order_number(self, text: object) -> str | None:
        """'CE-483920' from what the shopper typed ('ce483920', '#483920'), or None when it is not one."""
        from store.orders import normalize_order_number

        return normalize_order_number(str(text)) if isinstance(text, (str, int)) else None

    def get_order(self, order_id: str, sender_id: str | None = None, email: str | None = None) -> OrderView:
        """An order visible to this sender or to the matching email (OrderNotFound otherwise)."""
        from store.orders import get_order

        with self._uow_factory() as uow:
            return get_order(order_id, uow, sender_id=sender_id, email=email)

    def order_placed_by(self, order_id: str, sender_id: str) -> bool:
        """True when the order was placed in this conversation."""
        from store.orders import order_placed_by

        with self._uow_factory() as uow:
            return order_placed_by(order_id, sender_id, uow)

    def latest_order(self, sender_id: str) -> OrderView | None:
        """The latest order placed in this conversation, if any."""
        from store.orders import latest_order_for_sender

        with self._uow_factory() as uow:
            return latest_order_for_sender(sender_id, uow)

    def cancel_order(self, order_id: str, sender_id: str | None = None, email: str | None = None) -> OrderView:
        """Cancel an order that has not shipped."""
        from store.orders import cancel_order

        with self._uow_factory() as uow:
            order = cancel_order(order_id, uow, sender_id=sender_id, email=email)
            uow.commit()
            return order

    def request_return(self, order_id: str, reason: str, sender_id: str | None = None, email: str | None = None,
                       skus: list[str] | None = None) -> ReturnView:
        """Open a return for a delivered order."""
        from store.orders import request_return

        with self._uow_factory() as uow:
            request = request_return(order_id, reason, uow, sender_id=sender_id, email=email, skus=skus)
            uow.commit()
            return request

    # ------------------------------------------------------------------------------------------ support

    def faq_answer(self, key: str) -> str | None:
        """The store's answer to an FAQ key, or None."""
        from store.policies import faq_answer

        return faq_answer(key)

    def request_handoff(self, sender_id: str, reason: str) -> int:
        """Queue the conversation for a person; the ticket number."""
        from store.handoff import request_handoff

        with self._uow_factory() as uow:
            ticket = request_handoff(sender_id, reason, uow)
            uow.commit()
            return ticket


@lru_cache(maxsize=1)
def default_services() -> StoreServices:
    """The services on the configured database, made on first use."""
    return StoreServices()
