"""Orders: checkout in one transaction, private order look-up, cancellation, returns, fulfilment steps."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.selectable import Select

from store.config import get_settings
from store.errors import (
    CartEmpty,
    CouponInvalid,
    InvalidCheckoutDetails,
    OrderNotCancellable,
    OrderNotFound,
    OutOfStock,
    ReturnNotAllowed,
    StoreError,
    UnknownProduct,
)
from store.models import (
    Cart,
    CartItem,
    Coupon,
    Customer,
    Order,
    OrderLine,
    OrderStatusEvent,
    ReturnLine,
    ReturnRequest,
    Variant,
    utcnow,
)
from store.money import CENT
from store.policies import Policies, find_shipping_method, load_policies, shipping_methods
from store.promotions import as_naive_utc, coupon_discount, load_coupon
from store.types import CheckoutQuote, OrderLineView, OrderView, ReturnView, ShippingMethod
from store.uow import UnitOfWork

__all__ = [
    "CANCELLABLE_STATUSES", "InvalidOrderTransition", "REPEAT_CONFIRMATION_WINDOW", "advance_order", "cancel_order",
    "get_order", "latest_order_for_sender", "normalize_order_number", "order_placed_by", "place_order",
    "request_return", "shipping_cost", "shipping_methods", "validate_address", "validate_email",
    "validate_shipping_method",
]

CANCELLABLE_STATUSES = ("placed", "awaiting_payment", "paid")
REPEAT_CONFIRMATION_WINDOW = dt.timedelta(minutes=15)
MAX_REASON_LENGTH = 500
# target status -> the statuses an order may move to it from
_TRANSITIONS = {
    "awaiting_payment": ("placed",),
    "paid": ("placed", "awaiting_payment"),
    "shipped": ("paid",),
    "delivered": ("shipped",),
}
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
_ORDER_WORDS = re.compile(r"^(?:MY\s+)?(?:ORDER|ORD)\b\.?\s*(?:NUMBER|NUM|NO\.?|ID)?\s*[:#]?\s*")


class InvalidOrderTransition(StoreError, ValueError):
    """The store tried to move an order to a status it cannot reach from its current one."""

    def __init__(self, order_id: str, status: str, target: str, problem: str | None = None) -> None:
        detail = f" ({problem})" if problem else ""
        super().__init__(f"order {order_id}: cannot go from {status} to {target}{detail}")
        self.order_id = order_id
        self.status = status
        self.target = target
        self.problem = problem


# ----------------------------------------------------------------------------- checkout details


def validate_email(email: str) -> str:
    """The email trimmed and lower-cased; InvalidCheckoutDetails('email') when it is not a plausible address."""
    value = (email or "").strip().lower() if isinstance(email, str) else ""
    local = value.split("@", 1)[0]
    if len(value) > 254 or len(local) > 64 or not _EMAIL.match(value):
        raise InvalidCheckoutDetails("email", email)
    return value


_EMAIL_IN_TEXT = re.compile(r"[^\s<>(),;:\"'\[\]]+@[^\s<>(),;:\"'\[\]]+")
_QUESTION_START = frozenset(
    "what whats how when where why who which can could do does did is are will would should may shall".split())
MAX_ADDRESS_WORDS = 30


def email_in_text(text: str) -> str | None:
    """The first plausible email address written anywhere in `text`, as the store keeps it, or None."""
    for candidate in _EMAIL_IN_TEXT.findall(text if isinstance(text, str) else ""):
        try:
            return validate_email(candidate.rstrip(".!?"))
        except InvalidCheckoutDetails:
            continue
    return None


def looks_like_address(text: str) -> bool:
    """True when `text` reads as a postal address rather than a question or a request.

    An address has a number (house, postcode) and a word, is not a question and is not a long sentence.
    Used only to take an answer the language model filed under another intent; the store itself
    accepts any address validate_address accepts.
    """
    if not isinstance(text, str) or "?" in text:
        return False
    words = re.findall(r"[^\W_]+", text.lower())
    if not words or len(words) > MAX_ADDRESS_WORDS or words[0] in _QUESTION_START:
        return False
    has_number = any(any(ch.isdigit() for ch in word) for word in words)
    has_word = any(len(word) >= 2 and word.isalpha() for word in words)
    return has_number and has_word


def validate_address(address: str) -> str:
    """The shipping address on one tidy line (lines joined with ', '); InvalidCheckoutDetails('shipping_address')."""
    lines = [" ".join(line.split()) for line in (address or "").splitlines()] if isinstance(address, str) else []
    value = ", ".join(line.strip(" ,") for line in lines if line.strip(" ,"))
    if not 5 <= len(value) <= 500 or not any(ch.isalnum() for ch in value):
        raise InvalidCheckoutDetails("shipping_address", address)
    return value


def validate_shipping_method(text: str, policies: Policies | None = None) -> ShippingMethod:
    """The store's method the shopper means; InvalidCheckoutDetails('shipping_method') when none is clear."""
    method = find_shipping_method(text or "", policies) if isinstance(text, str) else None
    if method is None:
        raise InvalidCheckoutDetails("shipping_method", text)
    return method


def shipping_cost(method: ShippingMethod, subtotal_after_discount: Decimal) -> Decimal:
    """What shipping costs for an order of this value: free from the method's threshold, else its price."""
    if method.free_over is not None and subtotal_after_discount >= method.free_over:
        return Decimal("0.00")
    return Decimal(method.price).quantize(CENT)


def quote_checkout(sender_id: str, method_code: str | None, uow: UnitOfWork) -> CheckoutQuote:
    """The sender's cart, the chosen shipping method, what shipping costs for it and the total to pay."""
    from store.cart import get_cart

    method = load_policies().shipping_method(method_code) if method_code else None
    cart = get_cart(sender_id, uow)
    shipping = shipping_cost(method, cart.total) if method else Decimal("0.00")
    return CheckoutQuote(cart=cart, method=method, shipping=shipping, total=cart.total + shipping)


def normalize_order_number(text: str) -> str | None:
    """'CE-483920' from 'ce483920', 'CE 483920', '#483920' or 'order 483920'; None when it is not one."""
    prefix = get_settings().order_prefix.upper()
    value = _ORDER_WORDS.sub("", (text or "").strip().upper()).strip().lstrip("#").strip()
    match = re.fullmatch(rf"(?:{re.escape(prefix)})?[\s#:._-]*(\d{{6}})", value)
    return f"{prefix}-{match.group(1)}" if match else None


# ----------------------------------------------------------------------------- placing an order


def place_order(sender_id: str, email: str, shipping_address: str, shipping_method_code: str, uow: UnitOfWork, *,
                now: dt.datetime | None = None, policies: Policies | None = None) -> OrderView:
    """Turn the sender's open cart into an order in one transaction; a repeated confirmation returns that order."""
    now = _now(now)
    email = validate_email(email)
    address = validate_address(shipping_address)
    method = validate_shipping_method(shipping_method_code, policies)
    session = uow.session
    cart_id = session.execute(
        select(Cart.id)
        .where(Cart.sender_id == str(sender_id), Cart.status == "open",
               select(CartItem.id).where(CartItem.cart_id == Cart.id).exists())
        .order_by(Cart.id).limit(1)
    ).scalar_one_or_none()
    if cart_id is None:
        repeated = _recent_order(sender_id, now, uow)
        if repeated is None:
            raise CartEmpty()
        return repeated
    try:
        return _convert_cart(cart_id, email, address, method, now, uow)
    except BaseException:
        uow.rollback()
        raise


def _convert_cart(cart_id: int, email: str, address: str, method: ShippingMethod, now: dt.datetime,
                  uow: UnitOfWork) -> OrderView:
    session = uow.session
    # Claim the cart first: a concurrent confirmation of the same cart waits here, then finds it taken.
    claimed = session.execute(
        update(Cart).where(Cart.id == cart_id, Cart.status == "open").values(status="ordered", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        uow.rollback()
        existing = _order_of_cart(cart_id, uow)
        if existing is None:
            raise CartEmpty()
        return existing
    cart = session.execute(
        select(Cart).where(Cart.id == cart_id)
        .options(selectinload(Cart.items).selectinload(CartItem.variant).selectinload(Variant.product))
        .execution_options(populate_existing=True)
    ).scalar_one()
    if not cart.items:
        raise CartEmpty()
    for item in cart.items:
        if not item.variant.product.active:
            raise UnknownProduct(item.variant.product.sku)
    prices = {item.id: Decimal(item.variant.product.price).quantize(CENT) for item in cart.items}
    subtotal = sum((prices[i.id] * i.quantity for i in cart.items), Decimal("0.00")).quantize(CENT)
    coupon_code, discount = _redeem_coupon(cart.coupon_code, subtotal, now, uow)
    shipping = shipping_cost(method, subtotal - discount)
    for item in cart.items:
        _take_stock(item, uow)
    customer = _customer(email, uow)
    settings = get_settings()
    currency = cart.items[0].variant.product.currency or settings.currency
    order_kwargs = dict(
        customer_id=customer.id, email=email, sender_id=cart.sender_id, status="awaiting_payment",
        subtotal=subtotal, discount=discount, shipping_cost=shipping, total=subtotal - discount + shipping,
        currency=currency, coupon_code=coupon_code, shipping_address=address, shipping_method=method.code,
        estimated_delivery=add_business_days(now.date(), method.max_days), idempotency_key=f"cart-{cart.id}",
        placed_at=now,
    )
    order = None
    for _attempt in range(5):
        number = _free_number(Order.order_number, settings.order_prefix.upper(), uow)
        candidate = Order(
            order_number=number,
            payment_link=f"{settings.payment_link_base.rstrip('/')}/{number}?token={secrets.token_urlsafe(16)}",
            lines=[OrderLine(product_id=i.variant.product_id, variant_id=i.variant_id, sku=i.variant.product.sku,
                             name=i.variant.product.name, color=i.variant.color or "", size=i.variant.size or "",
                             quantity=i.quantity, unit_price=prices[i.id]) for i in cart.items],
            events=[OrderStatusEvent(status="placed", at=now), OrderStatusEvent(status="awaiting_payment", at=now)],
            **order_kwargs,
        )
        try:
            with session.begin_nested():
                session.add(candidate)
        except IntegrityError:  # another transaction took the number between our check and our insert
            continue
        order = candidate
        break
    if order is None:
        raise RuntimeError("could not allocate a free order number")
    session.execute(update(Cart).where(Cart.id == cart.id).values(order_id=order.id)
                    .execution_options(synchronize_session=False))
    uow.commit()
    return _view(order)


def _take_stock(item: CartItem, uow: UnitOfWork) -> None:
    """Decrement the variant's stock only if enough is left; OutOfStock otherwise (never oversells)."""
    session = uow.session
    result = session.execute(
        update(Variant).where(Variant.id == item.variant_id, Variant.stock >= item.quantity)
        .values(stock=Variant.stock - item.quantity).execution_options(synchronize_session=False)
    )
    variant = item.variant
    if result.rowcount != 1:
        available = session.execute(select(Variant.stock).where(Variant.id == item.variant_id)).scalar_one()
        raise OutOfStock(variant.product.sku, available, variant.color or None, variant.size or None)
    session.expire(variant, ["stock"])


def _redeem_coupon(code: str | None, subtotal: Decimal, now: dt.datetime,
                   uow: UnitOfWork) -> tuple[str | None, Decimal]:
    """The coupon's code and discount if it still applies (and a redemption is left); (None, 0) otherwise."""
    if not code:
        return None, Decimal("0.00")
    try:
        terms = load_coupon(code, uow)
        discount = coupon_discount(terms, subtotal, now)
    except CouponInvalid:
        return None, Decimal("0.00")
    redeemed = uow.session.execute(
        update(Coupon)
        .where(Coupon.code == terms.code,
               or_(Coupon.max_redemptions.is_(None), Coupon.times_redeemed < Coupon.max_redemptions))
        .values(times_redeemed=Coupon.times_redeemed + 1).execution_options(synchronize_session=False)
    )
    if redeemed.rowcount != 1:
        return None, Decimal("0.00")
    return terms.code, discount


def _customer(email: str, uow: UnitOfWork) -> Customer:
    session = uow.session
    customer = session.execute(select(Customer).where(Customer.email == email)).scalar_one_or_none()
    if customer is not None:
        return customer
    customer = Customer(email=email)
    try:
        with session.begin_nested():
            session.add(customer)
    except IntegrityError:  # created by a concurrent order with the same email
        return session.execute(select(Customer).where(Customer.email == email)).scalar_one()
    return customer


def _free_number(column: object, prefix: str, uow: UnitOfWork) -> str:
    for _ in range(100):
        candidate = f"{prefix}-{secrets.randbelow(900_000) + 100_000}"
        if uow.session.execute(select(column).where(column == candidate)).first() is None:
            return candidate
    raise RuntimeError(f"no free number left with prefix {prefix}")


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days (Monday to Friday) after `start`."""
    current = start
    remaining = max(0, days)
    while remaining:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def _recent_order(sender_id: str, now: dt.datetime, uow: UnitOfWork) -> OrderView | None:
    """The order of the sender's latest converted cart if it was placed less than 15 minutes ago."""
    row = uow.session.execute(
        _order_query().join(Cart, Cart.order_id == Order.id)
        .where(Cart.sender_id == str(sender_id), Cart.status == "ordered")
        .order_by(Order.placed_at.desc(), Order.id.desc()).limit(1)
    ).scalar_one_or_none()
    if row is None or row.status == "cancelled" or row.placed_at <= now - REPEAT_CONFIRMATION_WINDOW:
        return None
    return _view(row)


def _order_of_cart(cart_id: int, uow: UnitOfWork) -> OrderView | None:
    row = uow.session.execute(_order_query().where(Order.idempotency_key == f"cart-{cart_id}")).scalar_one_or_none()
    return _view(row) if row is not None else None


# ----------------------------------------------------------------------------- reading orders (private)


def get_order(order_id: str, uow: UnitOfWork, *, sender_id: str | None = None, email: str | None = None) -> OrderView:
    """The order if this sender placed it or the email matches; OrderNotFound otherwise (unknown or wrong email)."""
    return _view(_visible_order(order_id, uow, sender_id, email))


def order_placed_by(order_id: str, sender_id: str, uow: UnitOfWork) -> bool:
    """True when the order exists and was placed in this conversation."""
    row = _find_order(order_id, uow)
    return bool(row is not None and sender_id and row.sender_id == str(sender_id))


def latest_order_for_sender(sender_id: str, uow: UnitOfWork) -> OrderView | None:
    """The most recent order placed in this conversation, or None."""
    if not sender_id:
        return None
    row = uow.session.execute(
        _order_query().where(Order.sender_id == str(sender_id)).order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return _view(row) if row is not None else None


def _order_query() -> Select:
    return select(Order).options(selectinload(Order.lines), selectinload(Order.events))


def _find_order(order_id: str, uow: UnitOfWork) -> Order | None:
    number = normalize_order_number(order_id) or (order_id or "").strip().upper()
    if not number:
        return None
    return uow.session.execute(_order_query().where(Order.order_number == number)).scalar_one_or_none()


def _visible_order(order_id: str, uow: UnitOfWork, sender_id: str | None, email: str | None) -> Order:
    row = _find_order(order_id, uow)
    reference = (order_id or "").strip()
    if row is None:
        raise OrderNotFound(reference)
    if sender_id and row.sender_id and row.sender_id == str(sender_id):
        return row
    given = (email or "").strip().lower() if isinstance(email, str) else ""
    if given and hmac.compare_digest(given.encode(), (row.email or "").strip().lower().encode()):
        return row
    raise OrderNotFound(reference)


def _line_view(line: OrderLine, quantity: int | None = None) -> OrderLineView:
    return OrderLineView(sku=line.sku, name=line.name, quantity=line.quantity if quantity is None else quantity,
                         unit_price=Decimal(line.unit_price).quantize(CENT), color=line.color or None,
                         size=line.size or None)


def _view(order: Order) -> OrderView:
    return OrderView(
        order_id=order.order_number,
        status=order.status,
        items=[_line_view(line) for line in order.lines],
        subtotal=Decimal(order.subtotal).quantize(CENT),
        discount=Decimal(order.discount or 0).quantize(CENT),
        shipping_cost=Decimal(order.shipping_cost or 0).quantize(CENT),
        total=Decimal(order.total).quantize(CENT),
        currency=order.currency,
        email=order.email,
        shipping_method=order.shipping_method,
        shipping_address=order.shipping_address,
        placed_at=order.placed_at,
        payment_link=order.payment_link,
        carrier=order.carrier,
        tracking_number=order.tracking_number,
        estimated_delivery=order.estimated_delivery,
        coupon=order.coupon_code,
        history=[(event.status, event.at) for event in sorted(order.events, key=lambda e: (e.at, e.id or 0))],
    )


# ----------------------------------------------------------------------------- after the order


def cancel_order(order_id: str, uow: UnitOfWork, *, sender_id: str | None = None, email: str | None = None,
                 now: dt.datetime | None = None) -> OrderView:
    """Cancel an order that has not shipped, put its items back in stock and give back its coupon use."""
    now = _now(now)
    order = _visible_order(order_id, uow, sender_id, email)
    if order.status not in CANCELLABLE_STATUSES:
        raise OrderNotCancellable(order.order_number, order.status)
    session = uow.session
    try:
        previous = order.status
        moved = session.execute(
            update(Order).where(Order.id == order.id, Order.status.in_(CANCELLABLE_STATUSES))
            .values(status="cancelled").execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # changed by someone else since we read it
            uow.rollback()
            current = session.execute(select(Order.status).where(Order.id == order.id)).scalar_one()
            raise OrderNotCancellable(order.order_number, current)
        for line in order.lines:
            if line.variant_id is not None:
                session.execute(update(Variant).where(Variant.id == line.variant_id)
                                .values(stock=Variant.stock + line.quantity)
                                .execution_options(synchronize_session=False))
        if order.coupon_code:
            session.execute(update(Coupon).where(Coupon.code == order.coupon_code, Coupon.times_redeemed > 0)
                            .values(times_redeemed=Coupon.times_redeemed - 1)
                            .execution_options(synchronize_session=False))
        note = "refund due to the original payment method" if previous == "paid" else None
        session.add(OrderStatusEvent(order_id=order.id, status="cancelled", at=now, note=note))
        uow.commit()
    except BaseException:
        uow.rollback()
        raise
    session.expire_all()
    return _view(session.execute(_order_query().where(Order.id == order.id)).scalar_one())


def request_return(order_id: str, reason: str, uow: UnitOfWork, *, sender_id: str | None = None,
                   email: str | None = None, skus: list[str] | None = None, now: dt.datetime | None = None,
                   policies: Policies | None = None) -> ReturnView:
    """Open a return for a delivered order within the return window; ValueError for an empty reason."""
    now = _now(now)
    order = _visible_order(order_id, uow, sender_id, email)
    number = order.order_number
    if order.status == "cancelled":
        raise ReturnNotAllowed(number, "cancelled")
    if order.status != "delivered" or order.delivered_at is None:
        raise ReturnNotAllowed(number, "not_delivered", status=order.status)
    window = (policies or load_policies()).return_window_days
    if (now.date() - order.delivered_at.date()).days > window:
        raise ReturnNotAllowed(number, "window_closed", days=window, delivered_at=order.delivered_at)
    session = uow.session
    returned: dict[int, int] = {
        line_id: int(quantity or 0)
        for line_id, quantity in session.execute(
            select(ReturnLine.order_line_id, func.sum(ReturnLine.quantity))
            .join(ReturnRequest, ReturnRequest.id == ReturnLine.return_id)
            .where(ReturnRequest.order_id == order.id, ReturnRequest.status != "rejected")
            .group_by(ReturnLine.order_line_id)
        ).all()
    }
    lines = list(order.lines)
    if skus:
        given = {s.strip().lower(): s.strip() for s in skus if isinstance(s, str) and s.strip()}
        wanted = set(given)
        unknown = sorted(given[s] for s in wanted - {line.sku.lower() for line in lines})
        if unknown or not wanted:
            raise ReturnNotAllowed(number, "no_matching_item", skus=unknown)
        lines = [line for line in lines if line.sku.lower() in wanted]
        returnable = {line.sku for line in lines if line.quantity > returned.get(line.id, 0)}
        exhausted = sorted({line.sku for line in lines} - returnable)
        if exhausted:
            raise ReturnNotAllowed(number, "already_returned", skus=exhausted)
    chosen = [(line, line.quantity - returned.get(line.id, 0)) for line in lines]
    chosen = [(line, quantity) for line, quantity in chosen if quantity > 0]
    if not chosen:
        raise ReturnNotAllowed(number, "already_returned")
    text = " ".join((reason or "").split()) if isinstance(reason, str) else ""
    if not text:
        raise ValueError("a return needs a reason")
    text = text[:MAX_REASON_LENGTH]
    before = sum((Decimal(o.unit_price) * returned.get(o.id, 0) for o in order.lines), Decimal("0"))
    refund = _refund(order, before, sum((Decimal(line.unit_price) * q for line, q in chosen), Decimal("0")))
    request = ReturnRequest(
        return_number=_free_number(ReturnRequest.return_number, "R", uow), order_id=order.id, reason=text,
        status="requested", refund_amount=refund, created_at=now,
        lines=[ReturnLine(order_line_id=line.id, quantity=q) for line, q in chosen],
    )
    session.add(request)
    session.add(OrderStatusEvent(order_id=order.id, status="return_requested", at=now, note=request.return_number))
    uow.commit()
    return ReturnView(return_id=request.return_number, order_id=number, status=request.status, reason=text,
                      items=[_line_view(line, q) for line, q in chosen], refund_amount=refund, currency=order.currency)


def _refund(order: Order, gross_before: Decimal, gross_now: Decimal) -> Decimal:
    """What the returned lines paid after their share of the order discount (shares add up to the discount)."""
    subtotal = Decimal(order.subtotal)
    discount = Decimal(order.discount or 0)
    if subtotal <= 0 or discount <= 0:
        return gross_now.quantize(CENT)

    def share(gross: Decimal) -> Decimal:
        return (discount * gross / subtotal).quantize(CENT, rounding=ROUND_HALF_UP)

    refund = gross_now - (share(gross_before + gross_now) - share(gross_before))
    return max(Decimal("0.00"), refund.quantize(CENT))


def advance_order(order_id: str, status: str, uow: UnitOfWork, *, carrier: str | None = None,
                  tracking_number: str | None = None, now: dt.datetime | None = None) -> OrderView:
    """Move an order one fulfilment step (awaiting_payment -> paid -> shipped -> delivered); store use only."""
    now = _now(now)
    order = _find_order(order_id, uow)
    if order is None:
        raise OrderNotFound((order_id or "").strip())
    target = (status or "").strip().lower()
    if order.status not in _TRANSITIONS.get(target, ()):
        raise InvalidOrderTransition(order.order_number, order.status, target)
    if target == "shipped":
        carrier = (carrier or "").strip()
        tracking_number = (tracking_number or "").strip()
        if not carrier or not tracking_number:
            raise InvalidOrderTransition(order.order_number, order.status, target, "carrier and tracking number needed")
        order.carrier = carrier[:60]
        order.tracking_number = tracking_number[:80]
    if target == "delivered":
        order.delivered_at = now
    order.status = target
    order.events.append(OrderStatusEvent(status=target, at=now))
    uow.commit()
    return _view(order)


def _now(now: dt.datetime | None) -> dt.datetime:
    return as_naive_utc(now) if now else utcnow()
