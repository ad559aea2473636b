"""The shopper's cart, keyed by the conversation's sender id: one open cart per sender."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from store.config import get_settings
from store.errors import (
    CartEmpty,
    CouponInvalid,
    InvalidQuantity,
    NotInCart,
    OutOfStock,
    UnknownVariant,
    VariantRequired,
)
from store.models import Cart, CartItem, Product, Variant, utcnow
from store.money import CENT
from store.products import load_product_row
from store.promotions import as_naive_utc, coupon_discount, load_coupon, normalize_code
from store.types import CartLine, CartView
from store.uow import UnitOfWork

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "pair": 2, "couple": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
}
_SIZE_WORDS = {
    "extra small": "xs", "x small": "xs", "small": "s", "medium": "m", "med": "m", "large": "l",
    "extra large": "xl", "x large": "xl", "xx large": "xxl", "2xl": "xxl", "extra extra large": "xxl",
}


# ----------------------------------------------------------------------------- public services


def get_cart(sender_id: str, uow: UnitOfWork, *, now: dt.datetime | None = None) -> CartView:
    """The sender's open cart with prices and discount computed now (empty when there is none)."""
    return cart_view(open_cart_row(sender_id, uow), uow, now=now)


def add_item(sender_id: str, sku: str, quantity: object, uow: UnitOfWork, *, color: str | None = None,
             size: str | None = None) -> CartView:
    """Add `quantity` units of the product's chosen variant (same variant again: quantities add up)."""
    units = parse_quantity(quantity)
    product = load_product_row(sku, uow)
    variant = resolve_variant(product, color, size)
    cart = open_cart_row(sender_id, uow) or _new_cart(sender_id, uow)
    item = next((i for i in cart.items if i.variant_id == variant.id), None)
    wanted = units + (item.quantity if item else 0)
    if wanted > get_settings().max_quantity:
        raise InvalidQuantity(wanted)
    if variant.stock < wanted:
        raise OutOfStock(product.sku, variant.stock, variant.color or None, variant.size or None)
    if item:
        item.quantity = wanted
    else:
        cart.items.append(CartItem(variant=variant, quantity=units))
    cart.updated_at = utcnow()
    uow.commit()
    return cart_view(cart, uow)


def remove_item(sender_id: str, sku: str, uow: UnitOfWork, *, color: str | None = None,
                size: str | None = None) -> CartView:
    """Remove the product's lines (only the given colour/size when one is given); NotInCart if none match."""
    cart = open_cart_row(sender_id, uow)
    items = _matching_items(cart, sku, color, size)
    for item in items:
        cart.items.remove(item)
    cart.updated_at = utcnow()
    uow.commit()
    return cart_view(cart, uow)


def set_quantity(sender_id: str, sku: str, quantity: object, uow: UnitOfWork, *, color: str | None = None,
                 size: str | None = None) -> CartView:
    """Change how many units of a cart line the shopper wants; 0 removes the line; stock is checked."""
    units = parse_quantity(quantity, allow_zero=True)
    cart = open_cart_row(sender_id, uow)
    items = _matching_items(cart, sku, color, size)
    if len(items) > 1 and units > 0:
        raise VariantRequired(items[0].variant.product.sku, *_cart_options(items))
    for item in items:
        if units == 0:
            cart.items.remove(item)
            continue
        variant = item.variant
        if variant.stock < units:
            raise OutOfStock(variant.product.sku, variant.stock, variant.color or None, variant.size or None)
        item.quantity = units
    cart.updated_at = utcnow()
    uow.commit()
    return cart_view(cart, uow)


def apply_coupon(sender_id: str, code: str, uow: UnitOfWork, *, now: dt.datetime | None = None) -> CartView:
    """Put a coupon on the cart after checking it applies now; one coupon per order."""
    cart = open_cart_row(sender_id, uow)
    if cart is None or not cart.items:
        raise CartEmpty()
    terms = load_coupon(code, uow)
    current = cart.coupon_code
    if current and current != terms.code and _coupon_problem(current, cart, uow, now) is None:
        raise CouponInvalid(terms.code, "already_applied", current=current)
    coupon_discount(terms, _subtotal(cart), _now(now))
    cart.coupon_code = terms.code
    cart.updated_at = utcnow()
    uow.commit()
    return cart_view(cart, uow, now=now)


def remove_coupon(sender_id: str, uow: UnitOfWork) -> CartView:
    """Take the coupon off the sender's cart (nothing happens when there is none)."""
    cart = open_cart_row(sender_id, uow)
    if cart is not None and cart.coupon_code:
        cart.coupon_code = None
        cart.updated_at = utcnow()
        uow.commit()
    return cart_view(cart, uow)


def clear_cart(sender_id: str, uow: UnitOfWork) -> None:
    """Empty the sender's open cart and drop its coupon."""
    cart = open_cart_row(sender_id, uow)
    if cart is None:
        return
    cart.items.clear()
    cart.coupon_code = None
    cart.updated_at = utcnow()
    uow.commit()


def count_items(sender_id: str, uow: UnitOfWork) -> int:
    """How many units the sender's open cart holds (0 when there is no cart)."""
    stmt = (select(func.coalesce(func.sum(CartItem.quantity), 0))
            .join(Cart, Cart.id == CartItem.cart_id)
            .where(Cart.sender_id == str(sender_id), Cart.status == "open"))
    return int(uow.session.execute(stmt).scalar_one())


# ----------------------------------------------------------------------------- helpers shared with orders


def parse_quantity(quantity: object, *, allow_zero: bool = False) -> int:
    """A whole number of units from 2, 2.0, "2", " 2 " or "two"; InvalidQuantity outside 1..max (0 if allowed)."""
    if isinstance(quantity, bool) or quantity is None:
        raise InvalidQuantity(quantity)
    if isinstance(quantity, str):
        text = quantity.strip().lower()
        number: Decimal | None = Decimal(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else None
        if number is None:
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise InvalidQuantity(quantity) from None
    elif isinstance(quantity, (int, Decimal)):
        number = Decimal(quantity)
    elif isinstance(quantity, float):
        number = Decimal(repr(quantity))
    else:
        raise InvalidQuantity(quantity)
    if not number.is_finite() or number != number.to_integral_value():
        raise InvalidQuantity(quantity)
    units = int(number)
    if units > get_settings().max_quantity or units < (0 if allow_zero else 1):
        raise InvalidQuantity(quantity)
    return units


def same_option(wanted: str, offered: str) -> bool:
    """True when a shopper's colour/size matches an offered one ('Blue' ~ 'blue', 'medium' ~ 'M', '9.0' ~ '9')."""
    return _option_key(wanted) == _option_key(offered)


def resolve_variant(product: Product, color: str | None, size: str | None) -> Variant:
    """The product's variant for this colour/size; VariantRequired, UnknownVariant or OutOfStock otherwise."""
    color = (color or "").strip() or None
    size = (size or "").strip() or None
    variants = list(product.variants)
    colors = _distinct(v.color for v in variants)
    sizes = _distinct(v.size for v in variants)
    if color and not any(same_option(color, c) for c in colors):
        raise UnknownVariant(product.sku, color, size, _options(variants, None, size))
    if size and not any(same_option(size, s) for s in sizes):
        raise UnknownVariant(product.sku, color, size, _options(variants, color, None))
    if not color and len(colors) == 1:
        color = colors[0]
    if not size and len(sizes) == 1:
        size = sizes[0]
    missing = [name for name, given, offered in (("color", color, colors), ("size", size, sizes))
               if not given and len(offered) > 1]
    if missing:
        candidates = [v for v in variants if _fits(v, color, size) and v.stock > 0]
        if not candidates:
            raise OutOfStock(product.sku, 0, color, size)
        options = _options(variants, color, size)
        raise VariantRequired(product.sku, missing, {k: options[k] for k in missing})
    variant = next((v for v in variants if _fits(v, color, size)), None)
    if variant is None:
        raise UnknownVariant(product.sku, color, size, _options(variants, None, None))
    return variant


def open_cart_row(sender_id: str, uow: UnitOfWork) -> Cart | None:
    """The sender's open cart row with items, variants and products loaded, or None."""
    if not sender_id or not str(sender_id).strip():
        raise ValueError("a cart needs a sender id")
    stmt = (select(Cart)
            .where(Cart.sender_id == str(sender_id), Cart.status == "open")
            .order_by(Cart.id)
            .limit(1)
            .options(selectinload(Cart.items).selectinload(CartItem.variant).selectinload(Variant.product)))
    return uow.session.execute(stmt).scalar_one_or_none()


def cart_view(cart: Cart | None, uow: UnitOfWork, *, now: dt.datetime | None = None) -> CartView:
    """The plain view of a cart row: current prices, the coupon re-validated, totals in Decimal."""
    currency = get_settings().currency
    if cart is None:
        zero = Decimal("0.00")
        return CartView(items=[], subtotal=zero, discount=zero, total=zero, currency=currency, coupon=None)
    lines = [
        CartLine(sku=i.variant.product.sku, name=i.variant.product.name, quantity=i.quantity,
                 unit_price=Decimal(i.variant.product.price).quantize(CENT),
                 color=i.variant.color or None, size=i.variant.size or None)
        for i in cart.items
    ]
    if cart.items:
        currency = cart.items[0].variant.product.currency or currency
    subtotal = sum((line.line_total for line in lines), Decimal("0.00")).quantize(CENT)
    discount = Decimal("0.00")
    problem = None
    if cart.coupon_code:
        try:
            discount = coupon_discount(load_coupon(cart.coupon_code, uow), subtotal, _now(now))
        except CouponInvalid as exc:
            problem = exc.reason
    return CartView(items=lines, subtotal=subtotal, discount=discount, total=subtotal - discount,
                    currency=currency, coupon=cart.coupon_code, coupon_problem=problem)


# ----------------------------------------------------------------------------- private


def _now(now: dt.datetime | None) -> dt.datetime:
    return as_naive_utc(now) if now else utcnow()


def _new_cart(sender_id: str, uow: UnitOfWork) -> Cart:
    cart = Cart(sender_id=str(sender_id), status="open")
    uow.session.add(cart)
    return cart


def _subtotal(cart: Cart) -> Decimal:
    return sum((Decimal(i.variant.product.price) * i.quantity for i in cart.items), Decimal("0")).quantize(CENT)


def _coupon_problem(code: str, cart: Cart, uow: UnitOfWork, now: dt.datetime | None) -> str | None:
    try:
        coupon_discount(load_coupon(normalize_code(code), uow), _subtotal(cart), _now(now))
    except CouponInvalid as exc:
        return exc.reason
    return None


def _option_key(value: str) -> str:
    text = " ".join(re.sub(r"[-_/]+", " ", (value or "").strip().lower()).split())
    text = _SIZE_WORDS.get(text, text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text.replace(" ", "")
    return format(number.normalize(), "f") if number.is_finite() else text


def _distinct(values: object) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:  # type: ignore[attr-defined]
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def _fits(variant: Variant, color: str | None, size: str | None) -> bool:
    color_ok = same_option(color, variant.color) if color else True
    size_ok = same_option(size, variant.size) if size else True
    return color_ok and size_ok


def _options(variants: list[Variant], color: str | None, size: str | None) -> dict[str, list[str]]:
    """In-stock colours (given the size) and sizes (given the colour)."""
    in_stock = [v for v in variants if v.stock > 0]
    return {
        "color": _distinct(v.color for v in in_stock if _fits(v, None, size)),
        "size": _distinct(v.size for v in in_stock if _fits(v, color, None)),
    }


def _matching_items(cart: Cart | None, sku: str, color: str | None, size: str | None) -> list[CartItem]:
    reference = (sku or "").strip()
    if cart is None:
        raise NotInCart(reference)
    items = [
        i for i in cart.items
        if i.variant.product.sku.lower() == reference.lower()
        and (not color or same_option(color, i.variant.color))
        and (not size or same_option(size, i.variant.size))
    ]
    if not items:
        raise NotInCart(reference)
    return items


def _cart_options(items: list[CartItem]) -> tuple[list[str], dict[str, list[str]]]:
    options = {"color": _distinct(i.variant.color for i in items), "size": _distinct(i.variant.size for i in items)}
    missing = [name for name, values in options.items() if len(values) > 1] or ["size"]
    return missing, {name: options[name] for name in missing}
