"""Cart skill: add (with cart_item_form for colour/size), remove, change quantity, view."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import Events, StoreAction, StoreFormValidation, entity_value, list_slot, sender_id
from actions.details import load_reference, product_reference
from actions.mentions import is_deictic, mention_position, parse_quantity, pick
from actions.payloads import cart_payload
from store.cart import same_option
from store.errors import (
    CartEmpty,
    InvalidQuantity,
    NotInCart,
    OutOfStock,
    UnknownProduct,
    UnknownVariant,
    VariantRequired,
)
from store.money import format_money
from store.types import CartView, ProductDetail

# ----------------------------------------------------------------------------------------- helpers


def color_options(product: ProductDetail, size: str | None = None) -> list[str]:
    """The product's colours in stock (in the given size when one is chosen)."""
    return [c for c in product.colors
            if any(v.color == c and v.stock > 0 and (not size or v.size == size) for v in product.variants)]


def size_options(product: ProductDetail, color: str | None = None) -> list[str]:
    """The product's sizes in stock (in the given colour when one is chosen)."""
    return [s for s in product.sizes
            if any(v.size == s and v.stock > 0 and (not color or v.color == color) for v in product.variants)]


def match_option(value: object, options: list[str]) -> str | None:
    """The offered option the shopper means ('Blue' -> 'blue', '10.0' -> '10', 'medium' -> 'M'), or None."""
    text = str(value).strip() if value is not None else ""
    if text.lower().startswith("size "):
        text = text[5:].strip()
    if not text:
        return None
    return next((option for option in options if same_option(text, option)), None)


def option_buttons(entity: str, options: list[str]) -> list[dict[str, str]]:
    """One button per option; the payload sets the entity (`/inform{"size": "10"}`)."""
    return [{"title": option, "payload": f"/{names.INFORM}{json.dumps({entity: option})}"} for option in options]


def _text_value(value: object) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None


def clear_pending() -> Events:
    """Forget the item waiting for a colour/size; cart_item_form is not needed."""
    return [SlotSet(names.SLOT_PENDING_SKU, None), SlotSet(names.SLOT_PENDING_QUANTITY, None),
            SlotSet(names.SLOT_ITEM_COLOR, None), SlotSet(names.SLOT_ITEM_SIZE, None),
            SlotSet(names.SLOT_VARIANT_NEEDED, False)]


def cart_totals(cart: CartView) -> dict[str, Any]:
    """Response variables for a cart: count (units), subtotal, discount and total as money text."""
    return {
        "count": sum(line.quantity for line in cart.items),
        "subtotal": format_money(cart.subtotal, cart.currency),
        "discount": format_money(cart.discount, cart.currency),
        "total": format_money(cart.total, cart.currency),
    }


def _variant_options(error: UnknownVariant | VariantRequired, product: ProductDetail | None) -> str:
    options: dict[str, list[str]] = dict(getattr(error, "options", {}) or {})
    if isinstance(error, VariantRequired):
        attribute = error.missing[0] if error.missing else "size"
    elif error.color and product is not None and not match_option(error.color, product.colors):
        attribute = "color"
    elif error.size:
        attribute = "size"
    else:
        attribute = "color"
    return ", ".join(options.get(attribute) or [])


class _CartAction(StoreAction):
    """Shared answers for the store's cart errors."""

    def answer_error(self, dispatcher: CollectingDispatcher, error: Exception, product: ProductDetail | None,
                     name: str | None = None) -> None:
        """utter_out_of_stock, utter_invalid_quantity, utter_not_in_cart, ... for a domain error."""
        if isinstance(error, OutOfStock):
            dispatcher.utter_message(response=names.UTTER_OUT_OF_STOCK, available=error.available,
                                     name=name or (product.name if product else error.sku))
        elif isinstance(error, InvalidQuantity):
            dispatcher.utter_message(response=names.UTTER_INVALID_QUANTITY, max=self.services.max_quantity())
        elif isinstance(error, (UnknownVariant, VariantRequired)):
            dispatcher.utter_message(response=names.UTTER_INVALID_VARIANT_OPTION,
                                     options=_variant_options(error, product))
        elif isinstance(error, NotInCart):
            dispatcher.utter_message(response=names.UTTER_NOT_IN_CART)
        elif isinstance(error, CartEmpty):
            dispatcher.utter_message(response=names.UTTER_CART_EMPTY)
        elif isinstance(error, UnknownProduct):
            dispatcher.utter_message(response=names.UTTER_UNKNOWN_PRODUCT)
        else:  # pragma: no cover - callers pass only the errors above
            raise error


CART_ERRORS = (OutOfStock, InvalidQuantity, UnknownVariant, VariantRequired, NotInCart, CartEmpty, UnknownProduct)


# ----------------------------------------------------------------------------------------- add


def searched_options(tracker: Tracker, product: ProductDetail, color: str | None,
                     size: str | None) -> tuple[str | None, str | None]:
    """The colour and size to add: those said now, else those of the search the product was shown by ('running
    shoes in size 9', then 'add the second one') when the product has them in stock; else None (the form asks)."""
    filters = tracker.get_slot(names.SLOT_SEARCH_FILTERS)
    if not isinstance(filters, dict) or product.sku not in list_slot(tracker, names.SLOT_SHOWN_PRODUCTS):
        return color, size
    in_stock = product.variants_in_stock

    def offered(wanted: str | None, options: list[str]) -> str | None:
        return next((option for option in options if wanted and option and same_option(wanted, option)), None)

    if color is None:
        color = offered(_text_value(filters.get("color")), [v.color for v in in_stock])
    if size is None:
        fitting = [v.size for v in in_stock if color is None or same_option(color, v.color)]
        size = offered(_text_value(filters.get("size")), fitting)
    return color, size


class ActionAddToCart(_CartAction):
    """Add the product the shopper means; ALWAYS sets variant_needed (true: cart_item_form asks colour/size)."""

    def name(self) -> str:
        return names.ACTION_ADD_TO_CART

    def events_on_error(self, tracker: Tracker) -> Events:
        return clear_pending()

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        pending = tracker.get_slot(names.SLOT_PENDING_SKU)
        names_product = entity_value(tracker, names.ENT_MENTION) is not None or bool(
            entity_value(tracker, names.ENT_PRODUCT))
        if pending and not names_product:
            return self._add_pending(dispatcher, tracker, str(pending))
        return self._add_new(dispatcher, tracker)

    def _add_new(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        sku, product_name = product_reference(tracker, self.services)
        if not sku and not product_name:
            dispatcher.utter_message(response=names.UTTER_WHICH_PRODUCT)
            return clear_pending()
        raw_quantity = entity_value(tracker, names.ENT_QUANTITY)
        quantity = parse_quantity(raw_quantity) if raw_quantity is not None else 1
        if quantity is None:
            dispatcher.utter_message(response=names.UTTER_INVALID_QUANTITY, max=self.services.max_quantity())
            return clear_pending()
        color = _text_value(entity_value(tracker, names.ENT_COLOR))
        size = _text_value(entity_value(tracker, names.ENT_SIZE))
        product: ProductDetail | None = None
        try:
            product = load_reference(self.services, sku, product_name)
            color, size = searched_options(tracker, product, color, size)
            cart = self.services.add_item(sender_id(tracker), product.sku, quantity, color=color, size=size)
        except VariantRequired as needed:
            return self._needs_variant(product, quantity, color, size, needed)
        except CART_ERRORS as error:
            self.answer_error(dispatcher, error, product)
            events = clear_pending()
            if product is not None:
                events.append(SlotSet(names.SLOT_LAST_PRODUCT, product.sku))
            return events
        return self._added(dispatcher, cart, product, quantity, color, size)

    def _add_pending(self, dispatcher: CollectingDispatcher, tracker: Tracker, sku: str) -> Events:
        quantity = parse_quantity(tracker.get_slot(names.SLOT_PENDING_QUANTITY)) or 1
        color = _text_value(tracker.get_slot(names.SLOT_ITEM_COLOR))
        size = _text_value(tracker.get_slot(names.SLOT_ITEM_SIZE))
        product: ProductDetail | None = None
        try:
            product = self.services.product(sku)
            cart = self.services.add_item(sender_id(tracker), product.sku, quantity, color=color, size=size)
        except VariantRequired as needed:  # the form was closed before it got an answer: ask again
            return self._needs_variant(product, quantity, color, size, needed)
        except CART_ERRORS as error:
            self.answer_error(dispatcher, error, product)
            return clear_pending()
        return self._added(dispatcher, cart, product, quantity, color, size)

    @staticmethod
    def _needs_variant(product: ProductDetail | None, quantity: Any, color: str | None, size: str | None,
                       needed: VariantRequired) -> Events:
        """Remember the item and what was already chosen; variant_needed true starts cart_item_form."""
        sku = product.sku if product is not None else needed.sku
        return [
            SlotSet(names.SLOT_PENDING_SKU, sku),
            SlotSet(names.SLOT_PENDING_QUANTITY, float(quantity)),
            SlotSet(names.SLOT_ITEM_COLOR, None if "color" in needed.missing else color),
            SlotSet(names.SLOT_ITEM_SIZE, None if "size" in needed.missing else size),
            SlotSet(names.SLOT_VARIANT_NEEDED, True),
            SlotSet(names.SLOT_LAST_PRODUCT, sku),
        ]

    @staticmethod
    def _added(dispatcher: CollectingDispatcher, cart: CartView, product: ProductDetail, quantity: Any,
               color: str | None = None, size: str | None = None) -> Events:
        chosen = ", ".join(option for option in (color, size) if option)
        dispatcher.utter_message(response=names.UTTER_CART_ADDED, json_message=cart_payload(cart),
                                 quantity=quantity, name=f"{product.name} ({chosen})" if chosen else product.name,
                                 total=format_money(cart.total, cart.currency))
        return clear_pending() + [SlotSet(names.SLOT_LAST_PRODUCT, product.sku)]


# ----------------------------------------------------------------------------------------- remove / change


@dataclass(frozen=True)
class CartTarget:
    """A product (and maybe one variant of it) in the cart."""

    sku: str
    name: str
    color: str | None = None
    size: str | None = None


def cart_target(tracker: Tracker, cart: CartView, services: Any) -> CartTarget | None:
    """The cart line the shopper means: "the second item" counts cart lines; else a name, "it", or the only line."""
    mention = entity_value(tracker, names.ENT_MENTION)
    last = tracker.get_slot(names.SLOT_LAST_PRODUCT)
    lines = list(cart.items)
    if mention is not None:
        if is_deictic(str(mention)):
            line = next((x for x in lines if x.sku == last), None)
            if line:
                return CartTarget(line.sku, line.name)
        position = mention_position(str(mention))
        if position is not None:
            line = pick(position, lines) if lines else None
            if line is None:
                sku = pick(position, list_slot(tracker, names.SLOT_SHOWN_PRODUCTS))
                line = next((x for x in lines if x.sku == sku), None)
            if line is not None:
                return CartTarget(line.sku, line.name, line.color, line.size)
        return None
    product = entity_value(tracker, names.ENT_PRODUCT)
    if product:
        wanted = str(product).strip().lower()
        line = next((x for x in lines if x.name.lower() == wanted), None) or next(
            (x for x in lines if wanted in x.name.lower()), None)
        if line:
            return CartTarget(line.sku, line.name)
        found = services.find_product(str(product))
        return CartTarget(found.sku, found.name)
    skus = {line.sku for line in lines}
    if len(skus) == 1:
        return CartTarget(lines[0].sku, lines[0].name)
    line = next((x for x in lines if x.sku == last), None)
    return CartTarget(line.sku, line.name) if line else None


class ActionRemoveFromCart(_CartAction):
    """Take a product (or one colour/size of it) out of the cart."""

    def name(self) -> str:
        return names.ACTION_REMOVE_FROM_CART

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        cart = self.services.cart(sender_id(tracker))
        if cart.is_empty:
            dispatcher.utter_message(response=names.UTTER_CART_EMPTY)
            return []
        try:
            target = cart_target(tracker, cart, self.services)
            if target is None:
                dispatcher.utter_message(response=names.UTTER_WHICH_PRODUCT)
                return []
            color = _text_value(entity_value(tracker, names.ENT_COLOR)) or target.color
            size = _text_value(entity_value(tracker, names.ENT_SIZE)) or target.size
            cart = self.services.remove_item(sender_id(tracker), target.sku, color=color, size=size)
        except CART_ERRORS as error:
            self.answer_error(dispatcher, error, None)
            return []
        dispatcher.utter_message(response=names.UTTER_CART_REMOVED, json_message=cart_payload(cart),
                                 name=target.name, total=format_money(cart.total, cart.currency))
        return []


class ActionChangeQuantity(_CartAction):
    """Set how many units of a cart line the shopper wants (0 removes it)."""

    def name(self) -> str:
        return names.ACTION_CHANGE_QUANTITY

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        quantity = parse_quantity(entity_value(tracker, names.ENT_QUANTITY))
        if quantity is None:
            dispatcher.utter_message(response=names.UTTER_INVALID_QUANTITY, max=self.services.max_quantity())
            return []
        cart = self.services.cart(sender_id(tracker))
        if cart.is_empty:
            dispatcher.utter_message(response=names.UTTER_CART_EMPTY)
            return []
        target: CartTarget | None = None
        try:
            target = cart_target(tracker, cart, self.services)
            if target is None:
                dispatcher.utter_message(response=names.UTTER_WHICH_PRODUCT)
                return []
            color = _text_value(entity_value(tracker, names.ENT_COLOR)) or target.color
            size = _text_value(entity_value(tracker, names.ENT_SIZE)) or target.size
            cart = self.services.set_quantity(sender_id(tracker), target.sku, quantity, color=color, size=size)
        except CART_ERRORS as error:
            self.answer_error(dispatcher, error, None, name=target.name if target else None)
            return []
        total = format_money(cart.total, cart.currency)
        if quantity == 0:
            dispatcher.utter_message(response=names.UTTER_CART_REMOVED, json_message=cart_payload(cart),
                                     name=target.name, total=total)
        else:
            dispatcher.utter_message(response=names.UTTER_CART_QUANTITY_CHANGED, json_message=cart_payload(cart),
                                     name=target.name, quantity=quantity, total=total)
        return []


class ActionViewCart(StoreAction):
    """What is in the cart, with totals from the store."""

    def name(self) -> str:
        return names.ACTION_VIEW_CART

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        cart = self.services.cart(sender_id(tracker))
        if cart.is_empty:
            dispatcher.utter_message(response=names.UTTER_CART_EMPTY, json_message=cart_payload(cart))
            return []
        dispatcher.utter_message(response=names.UTTER_CART, json_message=cart_payload(cart), **cart_totals(cart))
        return []


# ----------------------------------------------------------------------------------------- cart_item_form


class _PendingProductMixin:
    """The product waiting for a colour/size (read once per action run)."""

    def pending_product(self, tracker: Tracker) -> ProductDetail | None:
        """The pending product, or None when there is none (or it left the catalog)."""
        sku = tracker.get_slot(names.SLOT_PENDING_SKU)
        if not sku:
            return None

        def load() -> ProductDetail | None:
            try:
                return self.services.product(str(sku))  # type: ignore[attr-defined]
            except UnknownProduct:
                return None

        return self.memo(f"pending:{sku}", load)  # type: ignore[attr-defined]


def chosen(tracker: Tracker, slot: str, options: list[str]) -> str | None:
    """The slot's value when it is one of `options` (so an invalid colour does not narrow the sizes)."""
    value = tracker.get_slot(slot)
    return match_option(value, options) if value is not None else None


class ValidateCartItemForm(_PendingProductMixin, StoreFormValidation):
    """Asks only for what the pending product comes in several of; checks values against what is in stock."""

    def name(self) -> str:
        return names.VALIDATE_CART_ITEM_FORM

    def set_aside(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Say which product stays out of the cart when the shopper moves on."""
        product = self.pending_product(tracker)
        if product is not None:
            dispatcher.utter_message(response=names.UTTER_ITEM_SET_ASIDE, product=product.name)

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        product = self.pending_product(tracker)
        if product is None:
            return []
        required = []
        if len(product.colors) > 1:
            required.append(names.SLOT_ITEM_COLOR)
        if len(product.sizes) > 1:
            required.append(names.SLOT_ITEM_SIZE)
        return required

    @staticmethod
    def _other_answer(tracker: Tracker, slot: str, value: Any, options: list[str]) -> str | None:
        """The option of the other (still unanswered) variant slot that `value` names, if any."""
        answer = match_option(value, options) if len(options) > 1 else None
        current = match_option(tracker.get_slot(slot), options) if tracker.get_slot(slot) is not None else None
        if answer is None or (current is not None and current != answer):
            return None  # not an answer to the other question, or that question already has another answer
        return answer

    def validate_item_color(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> dict[str, Any]:
        product = self.pending_product(tracker)
        if product is None:
            return {names.SLOT_ITEM_COLOR: None}
        options = color_options(product, chosen(tracker, names.SLOT_ITEM_SIZE, product.sizes))
        match = match_option(value, options)
        if match is None:
            size = self._other_answer(tracker, names.SLOT_ITEM_SIZE, value, size_options(product))
            if size is not None:  # a size given while the colour was asked: keep it, ask the colour again
                return {names.SLOT_ITEM_COLOR: None, names.SLOT_ITEM_SIZE: size}
            dispatcher.utter_message(response=names.UTTER_INVALID_VARIANT_OPTION, options=", ".join(options))
        return {names.SLOT_ITEM_COLOR: match}

    def validate_item_size(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> dict[str, Any]:
        product = self.pending_product(tracker)
        if product is None:
            return {names.SLOT_ITEM_SIZE: None}
        options = size_options(product, chosen(tracker, names.SLOT_ITEM_COLOR, color_options(product)))
        match = match_option(value, options)
        if match is None:
            color = self._other_answer(tracker, names.SLOT_ITEM_COLOR, value, color_options(product))
            if color is not None:  # a colour given while the size was asked: keep it, ask the size again
                return {names.SLOT_ITEM_SIZE: None, names.SLOT_ITEM_COLOR: color}
            dispatcher.utter_message(response=names.UTTER_INVALID_VARIANT_OPTION, options=", ".join(options))
        return {names.SLOT_ITEM_SIZE: match}


def ask_option(dispatcher: CollectingDispatcher, response: str, entity: str, options: list[str]) -> Events:
    """Ask the form's question with the in-stock options listed and offered as buttons."""
    dispatcher.utter_message(response=response, options=", ".join(options), buttons=option_buttons(entity, options))
    return []


class ActionAskItemColor(_PendingProductMixin, StoreAction):
    """utter_ask_item_color with the colours in stock as buttons."""

    def name(self) -> str:
        return names.ACTION_ASK_ITEM_COLOR

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        product = self.pending_product(tracker)
        options = color_options(product, chosen(tracker, names.SLOT_ITEM_SIZE, product.sizes)) if product else []
        return ask_option(dispatcher, names.UTTER_ASK_ITEM_COLOR, names.ENT_COLOR, options)


class ActionAskItemSize(_PendingProductMixin, StoreAction):
    """utter_ask_item_size with the sizes in stock (in the chosen colour) as buttons."""

    def name(self) -> str:
        return names.ACTION_ASK_ITEM_SIZE

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        product = self.pending_product(tracker)
        options = size_options(product, chosen(tracker, names.SLOT_ITEM_COLOR, product.colors)) if product else []
        return ask_option(dispatcher, names.UTTER_ASK_ITEM_SIZE, names.ENT_SIZE, options)
