"""Reading products: by SKU, by name, and conversion of rows to plain values."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from store.errors import UnknownProduct
from store.models import Product
from store.query_understanding import STOP_WORDS, fold, singular
from store.types import ProductDetail, ProductSummary, VariantInfo
from store.uow import UnitOfWork


def _none_if_blank(value: str | None) -> str | None:
    return value or None


def to_summary(product: Product) -> ProductSummary:
    """The list view of a product row (variants must be loaded)."""
    return ProductSummary(
        sku=product.sku,
        name=product.name,
        brand=product.brand,
        category=product.category,
        subcategory=product.subcategory,
        price=Decimal(product.price),
        currency=product.currency,
        image_url=product.image_url,
        rating=Decimal(product.rating) if product.rating is not None else None,
        in_stock=any(v.stock > 0 for v in product.variants),
    )


def _ordered_unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def to_detail(product: Product) -> ProductDetail:
    """Every field of a product row and its variants."""
    variants = [VariantInfo(color=_none_if_blank(v.color), size=_none_if_blank(v.size), stock=v.stock)
                for v in product.variants]
    return ProductDetail(
        sku=product.sku,
        name=product.name,
        brand=product.brand,
        category=product.category,
        subcategory=product.subcategory,
        price=Decimal(product.price),
        currency=product.currency,
        colors=_ordered_unique([v.color for v in product.variants]),
        sizes=_ordered_unique([v.size for v in product.variants]),
        stock=sum(v.stock for v in product.variants),
        rating=Decimal(product.rating) if product.rating is not None else None,
        description=product.description,
        image_url=product.image_url,
        tags=list(product.tags or []),
        variants=variants,
    )


def load_product_row(sku: str, uow: UnitOfWork) -> Product:
    """The active product row with that SKU (case-insensitive), variants loaded; UnknownProduct otherwise."""
    sku = (sku or "").strip()
    stmt = select(Product).options(selectinload(Product.variants)).where(Product.active.is_(True))
    row = uow.session.execute(stmt.where(Product.sku == sku)).scalar_one_or_none()
    if row is None:
        row = uow.session.execute(stmt.where(Product.sku == sku.upper())).scalar_one_or_none()
    if row is None:
        raise UnknownProduct(sku)
    return row


def get_product(sku: str, uow: UnitOfWork) -> ProductDetail:
    """Every detail of one active product; UnknownProduct when there is none with that SKU."""
    return to_detail(load_product_row(sku, uow))


def get_summaries(skus: list[str], uow: UnitOfWork) -> list[ProductSummary]:
    """Summaries of the given SKUs in the given order; unknown or inactive SKUs are left out."""
    if not skus:
        return []
    stmt = (select(Product).options(selectinload(Product.variants))
            .where(Product.sku.in_(skus), Product.active.is_(True)))
    rows = {p.sku: p for p in uow.session.execute(stmt).scalars()}
    return [to_summary(rows[s]) for s in skus if s in rows]


NAME_MATCH_CUTOFF = 80


def find_product(name: str, uow: UnitOfWork) -> ProductDetail:
    """The active product a shopper means by `name`: exact name, SKU, full-text best match, then closest name."""
    from rapidfuzz import fuzz, process, utils

    from store.search import match_product_names

    wanted = " ".join((name or "").split())
    if not wanted:
        raise UnknownProduct(name or "")
    session = uow.session
    stmt = select(Product).options(selectinload(Product.variants)).where(Product.active.is_(True))
    exact = session.execute(stmt.where(func.lower(Product.name) == wanted.lower()).order_by(Product.id)).scalars()
    row = next(iter(exact), None)
    if row is not None:
        return to_detail(row)
    try:
        return to_detail(load_product_row(wanted, uow))
    except UnknownProduct:
        pass
    candidates = match_product_names(wanted, session)
    if candidates:
        best = max(enumerate(candidates),
                   key=lambda item: (fuzz.WRatio(wanted, item[1].name, processor=utils.default_process), -item[0]))
        return to_detail(best[1])
    names = dict(session.execute(select(Product.id, Product.name).where(Product.active.is_(True))).all())
    match = process.extractOne(wanted, names, scorer=fuzz.WRatio, processor=utils.default_process,
                               score_cutoff=NAME_MATCH_CUTOFF)
    if match is None:
        raise UnknownProduct(wanted)
    return to_detail(session.execute(stmt.where(Product.id == match[2])).scalar_one())


def _bases(*texts: str | None) -> set[str]:
    return {singular(w) for text in texts for w in fold(text or "").split()}


def of_kind(products: list[ProductSummary], kind: str) -> list[ProductSummary]:
    """The products, in their order, that are of the kind a shopper named ('running shoes', 'headphone'): every
    word of it (stop words aside, singular or plural alike) is in the product's category, subcategory or name."""
    wanted = _bases(" ".join(w for w in fold(kind or "").split() if w not in STOP_WORDS))
    if not wanted:
        return []
    return [p for p in products if wanted <= _bases(p.category, p.subcategory, p.name)]
