"""Recommendations: products like this one, and what sells best."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.selectable import Exists

from store.models import Order, OrderLine, Product, Variant
from store.products import load_product_row, to_summary
from store.types import ProductSummary
from store.uow import UnitOfWork


def _in_stock() -> Exists:
    return select(Variant.id).where(Variant.product_id == Product.id, Variant.stock > 0).exists()


def _lower(value: str | None) -> str:
    return (value or "").strip().lower()


def similar_products(sku: str, uow: UnitOfWork, *, limit: int = 3) -> list[ProductSummary]:
    """In-stock products of the same subcategory or category, most alike first; UnknownProduct for a bad SKU."""
    base = load_product_row(sku, uow)
    if limit <= 0:
        return []
    same_kind = [func.lower(Product.category) == _lower(base.category)]
    if base.subcategory:
        same_kind.append(func.lower(Product.subcategory) == _lower(base.subcategory))
    rows = uow.session.execute(
        select(Product).options(selectinload(Product.variants))
        .where(Product.active.is_(True), Product.id != base.id, or_(*same_kind), _in_stock())
    ).scalars().all()
    base_tags = {_lower(t) for t in base.tags or [] if str(t).strip()}
    base_price = Decimal(base.price)

    def rank(product: Product) -> tuple:
        same_sub = bool(base.subcategory) and _lower(product.subcategory) == _lower(base.subcategory)
        shared = len(base_tags & {_lower(t) for t in product.tags or []})
        same_brand = bool(base.brand) and _lower(product.brand) == _lower(base.brand)
        distance = abs(Decimal(product.price) - base_price) / max(base_price, Decimal(1))
        rating = Decimal(product.rating) if product.rating is not None else Decimal(-1)
        return (not same_sub, -shared, not same_brand, distance, -rating, product.sku)

    return [to_summary(p) for p in sorted(rows, key=rank)[:limit]]


def best_sellers(uow: UnitOfWork, *, category: str | None = None, limit: int = 5) -> list[ProductSummary]:
    """In-stock products by units sold in orders that were not cancelled, then by rating."""
    if limit <= 0:
        return []
    units = (
        select(OrderLine.product_id.label("product_id"), func.sum(OrderLine.quantity).label("units"))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.status != "cancelled", OrderLine.product_id.is_not(None))
        .group_by(OrderLine.product_id)
        .subquery()
    )
    sold = func.coalesce(units.c.units, 0)
    stmt = (
        select(Product).options(selectinload(Product.variants))
        .outerjoin(units, units.c.product_id == Product.id)
        .where(Product.active.is_(True), _in_stock())
        .order_by(sold.desc(), Product.rating.is_(None), Product.rating.desc(), Product.name, Product.sku)
        .limit(limit)
    )
    names = _category_forms(category)
    if names:
        stmt = stmt.where(or_(func.lower(Product.category).in_(names),
                              and_(Product.subcategory.is_not(None), func.lower(Product.subcategory).in_(names))))
    return [to_summary(p) for p in uow.session.execute(stmt).scalars().all()]


def _category_forms(category: str | None) -> list[str]:
    """'Running shoe' -> ['running shoe', 'running shoes']: singular and plural both match."""
    name = " ".join(_lower(category).split())
    if not name:
        return []
    forms = {name, f"{name}s", f"{name}es"}
    if name.endswith("es"):
        forms.add(name[:-2])
    if name.endswith("s"):
        forms.add(name[:-1])
    return sorted(forms)
