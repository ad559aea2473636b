"""Domain errors raised by the store services; entry points translate them for shoppers."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class UnknownProduct(StoreError):
    """No active product has that SKU or name."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"unknown product: {reference}")
        self.reference = reference


class VariantRequired(StoreError):
    """The product comes in several colours or sizes and the shopper has not chosen one."""

    def __init__(self, sku: str, missing: list[str], options: dict[str, list[str]]) -> None:
        super().__init__(f"{sku} needs {', '.join(missing)}")
        self.sku = sku
        self.missing = missing  # e.g. ["size"] or ["color", "size"]
        self.options = options  # {"color": [...], "size": [...]} still in stock


class UnknownVariant(StoreError):
    """The product exists but not in the colour or size asked for."""

    def __init__(self, sku: str, color: str | None, size: str | None, options: dict[str, list[str]]) -> None:
        super().__init__(f"{sku} has no variant color={color} size={size}")
        self.sku = sku
        self.color = color
        self.size = size
        self.options = options


class OutOfStock(StoreError):
    """Not enough units of that variant are in stock."""

    def __init__(self, sku: str, available: int, color: str | None = None, size: str | None = None) -> None:
        super().__init__(f"{sku} has only {available} in stock")
        self.sku = sku
        self.available = available
        self.color = color
        self.size = size


class InvalidQuantity(StoreError):
    """A quantity that is not a whole number between 1 and the store's maximum."""

    def __init__(self, quantity: object) -> None:
        super().__init__(f"invalid quantity: {quantity!r}")
        self.quantity = quantity


class NotInCart(StoreError):
    """The cart has no line for that product."""

    def __init__(self, reference: str) -> None:
        super().__init__(f"not in cart: {reference}")
        self.reference = reference


class CartEmpty(StoreError):
    """The action needs a cart with at least one item."""


class CouponInvalid(StoreError):
    """A coupon cannot be used; `reason` is one of unknown, expired, not_started, inactive,
    min_spend, used_up, already_applied."""

    def __init__(self, code: str, reason: str, **details: object) -> None:
        super().__init__(f"coupon {code}: {reason}")
        self.code = code
        self.reason = reason
        self.details = details


class InvalidCheckoutDetails(StoreError):
    """Email, address or shipping method is missing or malformed; `field` names which."""

    def __init__(self, field: str, value: object = None) -> None:
        super().__init__(f"invalid {field}: {value!r}")
        self.field = field
        self.value = value


class OrderNotFound(StoreError):
    """No order with that number is visible to this shopper (unknown, or the email does not match)."""

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order not found: {order_id}")
        self.order_id = order_id


class OrderNotCancellable(StoreError):
    """The order has shipped, been delivered or is already cancelled."""

    def __init__(self, order_id: str, status: str) -> None:
        super().__init__(f"order {order_id} cannot be cancelled in status {status}")
        self.order_id = order_id
        self.status = status


class ReturnNotAllowed(StoreError):
    """A return is refused; `reason` is one of not_delivered, window_closed, already_returned,
    no_matching_item, cancelled."""

    def __init__(self, order_id: str, reason: str, **details: object) -> None:
        super().__init__(f"order {order_id} cannot be returned: {reason}")
        self.order_id = order_id
        self.reason = reason
        self.details = details


class CatalogError(StoreError):
    """A catalog file cannot be read at all (not a row-level problem)."""


class SchemaError(StoreError):
    """The database cannot be brought to the store's schema (not a store database, or a damaged one)."""
