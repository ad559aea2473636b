"""Plain values that the store's services take and return; never ORM rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class VariantInfo:
    """One colour/size combination of a product and its stock."""

    color: str | None
    size: str | None
    stock: int


@dataclass(frozen=True)
class ProductSummary:
    """A product as shown in a result list (CONTRACT §3 `products`)."""

    sku: str
    name: str
    brand: str | None
    category: str
    subcategory: str | None
    price: Decimal
    currency: str
    image_url: str | None
    rating: Decimal | None
    in_stock: bool


@dataclass(frozen=True)
class ProductDetail:
    """Every catalog field of one product plus its variants (CONTRACT §3 `product`)."""

    sku: str
    name: str
    brand: str | None
    category: str
    subcategory: str | None
    price: Decimal
    currency: str
    colors: list[str]
    sizes: list[str]
    stock: int  # total units over all variants
    rating: Decimal | None
    description: str | None
    image_url: str | None
    tags: list[str]
    variants: list[VariantInfo]

    @property
    def variants_in_stock(self) -> list[VariantInfo]:
        """The variants with at least one unit."""
        return [v for v in self.variants if v.stock > 0]


@dataclass(frozen=True)
class SearchQuery:
    """What the shopper is looking for; every field is optional and combined with AND."""

    text: str | None = None
    category: str | None = None
    subcategory: str | None = None
    brand: str | None = None
    color: str | None = None
    size: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock_only: bool = True
    sort: str = "relevance"  # relevance | price_asc | price_desc | rating
    offset: int = 0
    limit: int = 5


@dataclass(frozen=True)
class SearchResult:
    """One page of matching products, what was understood and, when empty, alternatives."""

    query: SearchQuery
    products: list[ProductSummary]
    total: int
    alternatives: list[ProductSummary] = field(default_factory=list)
    relaxed: list[str] = field(default_factory=list)  # filters dropped to find the alternatives


@dataclass(frozen=True)
class CartLine:
    """One line of a cart."""

    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    color: str | None
    size: str | None

    @property
    def line_total(self) -> Decimal:
        """Unit price times quantity."""
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class CartView:
    """A cart with totals computed by the store (CONTRACT §3 `cart`)."""

    items: list[CartLine]
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    currency: str
    coupon: str | None
    coupon_problem: str | None = None  # why an applied coupon gives no discount now (e.g. min_spend)

    @property
    def is_empty(self) -> bool:
        """True when the cart has no lines."""
        return not self.items


@dataclass(frozen=True)
class OrderLineView:
    """One line of an order."""

    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    color: str | None
    size: str | None


@dataclass(frozen=True)
class OrderView:
    """An order as its owner may see it (CONTRACT §3 `order`)."""

    order_id: str
    status: str
    items: list[OrderLineView]
    subtotal: Decimal
    discount: Decimal
    shipping_cost: Decimal
    total: Decimal
    currency: str
    email: str
    shipping_method: str | None
    shipping_address: str | None
    placed_at: dt.datetime
    payment_link: str | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    estimated_delivery: dt.date | None = None
    coupon: str | None = None
    history: list[tuple[str, dt.datetime]] = field(default_factory=list)


@dataclass(frozen=True)
class ReturnView:
    """A return request and the items it covers."""

    return_id: str
    order_id: str
    status: str
    reason: str
    items: list[OrderLineView]
    refund_amount: Decimal
    currency: str


@dataclass(frozen=True)
class ShippingMethod:
    """A way to ship an order, its price and how long it takes."""

    code: str
    name: str
    price: Decimal
    free_over: Decimal | None
    min_days: int
    max_days: int


@dataclass(frozen=True)
class CheckoutQuote:
    """What the shopper is asked to confirm at checkout; every amount computed by the store."""

    cart: CartView
    method: ShippingMethod | None
    shipping: Decimal
    total: Decimal


@dataclass(frozen=True)
class ImportProblem:
    """A catalog row that was rejected."""

    line: int
    reason: str


@dataclass(frozen=True)
class ImportSummary:
    """What `import-catalog` did."""

    imported: int  # new products
    updated: int  # existing SKUs whose data changed
    unchanged: int
    rejected: list[ImportProblem]
    deactivated: int = 0  # products of the previous catalog absent from the new file
