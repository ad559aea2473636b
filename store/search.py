"""Catalog search: candidates from the database (SQLite FTS5, ILIKE elsewhere), ranking, alternatives.

Shopper text becomes a `SearchQuery` in `store.query_understanding`; refinements, slot round-trips and
descriptions live in `store.search_query`; the ranking itself in `store.ranking`. Their public names are
importable from here too.

Relevance (the default sort): products holding every word asked for come first, then products holding the
main word (the last one, usually the kind of product) or the rarest one, so that a query with one unknown
word still finds something. A kind of product the catalog files loosely (few of the products that name it
are filed under it) is used as words to rank by rather than as a filter. The ranking (store.ranking) is
BM25F over the candidates' fields, with plurals folded, exact forms, accessories and duplicate names weighed.

Retail synonyms (store.synonyms) widen each word the shopper typed to the other words the catalog uses for it
('couch' -> sofa): they count in the full-text retrieval and in the ranking at a lower weight than the words typed.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import Float, Integer, Text, and_, bindparam, case, cast, column, exists, func, or_, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from store.catalog import Vocabulary, ensure_search_index, size_sort_key
from store.db import FTS_TABLE
from store.models import Product, SearchLog, Variant
from store.policies import PoliciesError, load_policies
from store.query_understanding import (
    COLOR_ALIASES,
    STOP_WORDS,
    VocabularyIndex,
    build_index,
    closest_spelling,
    compact,
    find_prices,
    fold,
    phrase_forms,
    plural,
    singular,
    understand,
)
from store.ranking import (
    FIELD_WEIGHTS,
    Alternatives,
    Candidate,
    base_form,
    bm25f,
    field_words,
    idf,
    kind_heads,
    kind_phrases,
    rerank,
)
from store.search_query import MAX_LIMIT, SORTS, describe, query_from_dict, query_to_dict, refine
from store.synonyms import INITIALISM_WEIGHT, SynonymTable, expand, synonym_table
from store.types import ProductSummary, SearchQuery, SearchResult
from store.uow import UnitOfWork

log = logging.getLogger(__name__)

ALTERNATIVES = 3
RELAX_ORDER = ("size", "color", "price", "brand", "text")
# Field weights in the column order of products_fts: name, brand, category, subcategory, tags, description.
FTS_WEIGHTS = FIELD_WEIGHTS
LIKE_WEIGHTS = {"name": 3, "brand": 1, "subcategory": 1, "category": 1, "tags": 1, "description": 1}
# How many candidates of each retrieval (all words; the main or rarest word) the ranking re-orders.
RERANK_POOL = 20
# When fewer products than this hold every word, products holding the main or the rarest word follow them.
FILL_BELOW = 10
# In those partial matches a synonym counts this share of its weight: products holding the words as typed come
# first, then those holding only a synonym ('phone charger': chargers before the many AC adapters).
FILL_SYNONYM_SHARE = 0.01
# A kind of product is a filter when at least this share of the products naming it are filed under it.
SURE_KIND_SHARE = 0.5
# A search of products in stock leaves out those with nothing in stock by their ids when there are at most this many
# (then the full-text index ranks and counts alone); with more, each match is checked against its variants.
SOLD_OUT_BY_ID = 1000


# ---------------------------------------------------------------------------------------------- catalog cache


@dataclass
class _Catalog:
    """Distinct category, subcategory and brand spellings of the active catalog, and statistics for ranking."""

    index: VocabularyIndex
    spellings: dict[str, set[str]]  # folded display value -> every stored spelling
    products: int = 0
    filed: dict[str, int] = field(default_factory=dict)  # folded category or subcategory -> products filed under it
    heads: frozenset[str] = frozenset()  # last words of the categories and subcategories
    name_words: list[str] = field(default_factory=list)  # every word (letters only, 3 or more) of the product names
    # and brands: what a misspelt word is corrected to
    vocabulary: frozenset[str] = frozenset()  # base forms of the words of names, brands, kinds and tags: the words a
    # synonym may expand to
    sure_kinds: dict[str, bool] = field(default_factory=dict)  # folded kind -> filed reliably enough to filter
    frequencies: dict[str, int] = field(default_factory=dict)  # word -> products holding it
    documents: dict[int, _Document] = field(default_factory=dict)  # product id -> what the ranking reads of it
    without_variants: frozenset[int] = frozenset()  # active products with no variant at all: never in stock


@dataclass(frozen=True)
class _Document:
    """A product as the ranking sees it (words folded once), and its kinds lower-cased to tell whether it is filed."""

    candidate: Candidate
    kinds: frozenset[str]


_CATALOG_CACHE: dict[str, tuple[tuple[object, ...], _Catalog]] = {}
_LOCK = threading.Lock()


# (products, highest id, latest update): changes when a product is added, removed, changed or deactivated (writes
# go through the ORM or Core, which set `updated_at`). Each part is an index look-up (the SKU index, the primary key,
# ix_products_updated), not a table scan; plain text, as it runs before every search.
_FINGERPRINT = text(f"SELECT (SELECT count(*) FROM {Product.__tablename__}), (SELECT max(id) FROM "
                    f"{Product.__tablename__}), (SELECT max(updated_at) FROM {Product.__tablename__})")


def _catalog_fingerprint(session: Session) -> tuple[object, ...]:
    return tuple(session.execute(_FINGERPRINT).one())


def _load_catalog(session: Session) -> tuple[_Catalog, bool]:
    """The catalog's categories, brands and words, cached until a product is added, changed or deactivated.

    The flag is True when the catalog was (re)read: the products changed since the last search.
    """
    url = str(session.get_bind().url)
    fingerprint = _catalog_fingerprint(session)
    with _LOCK:
        cached = _CATALOG_CACHE.get(url)
    if cached is not None and cached[0] == fingerprint:
        return cached[1], False
    catalog = _read_catalog(session)
    catalog.products = session.execute(select(func.count()).select_from(Product)
                                       .where(Product.active.is_(True))).scalar_one()
    with _LOCK:
        if url not in _CATALOG_CACHE and len(_CATALOG_CACHE) >= 8:
            _CATALOG_CACHE.pop(next(iter(_CATALOG_CACHE)))
        _CATALOG_CACHE[url] = (fingerprint, catalog)
    return catalog, True


def clear_search_cache() -> None:
    """Forget every cached catalog: the next search reads its catalog again (benchmarks, tests)."""
    with _LOCK:
        _CATALOG_CACHE.clear()


def _read_catalog(session: Session) -> _Catalog:
    spellings: dict[str, set[str]] = {}
    columns = {"categories": Product.category, "subcategories": Product.subcategory, "brands": Product.brand}
    values: dict[str, list[str]] = {}
    for name, col in columns.items():
        stmt = select(col).where(Product.active.is_(True), col.is_not(None)).distinct()
        found = [v for v in session.execute(stmt).scalars() if v and v.strip()]
        values[name] = sorted({v.strip() for v in found})
        for v in found:
            spellings.setdefault(fold(v), set()).add(v)
    vocabulary = Vocabulary(brands=values["brands"], categories=values["categories"],
                            subcategories=values["subcategories"])
    filed: dict[str, int] = {}
    stmt = (select(Product.category, Product.subcategory, func.count()).where(Product.active.is_(True))
            .group_by(Product.category, Product.subcategory))
    for category, subcategory, count in session.execute(stmt):
        for key in {fold(category or ""), fold(subcategory or "")} - {""}:
            filed[key] = filed.get(key, 0) + int(count)
    name_words, words = _read_words(session)
    without_variants = session.execute(select(Product.id).where(
        Product.active.is_(True), ~exists().where(Variant.product_id == Product.id))).scalars()
    return _Catalog(index=build_index(vocabulary), spellings=spellings, filed=filed,
                    heads=kind_heads(values["categories"] + values["subcategories"]), name_words=name_words,
                    vocabulary=words, without_variants=frozenset(without_variants))


def _resolve(value: str | None, table: dict[str, object], compacted: dict[str, object]) -> object | None:
    if not value or not value.strip():
        return None
    key = fold(value)
    if key in table:
        return table[key]
    if compact(key) in compacted:
        return compacted[compact(key)]
    for form in phrase_forms(value):
        if form in table:
            return table[form]
    choice = closest_spelling(key, list(table))
    return table[choice] if choice else None


def _resolve_query(query: SearchQuery, catalog: _Catalog) -> SearchQuery:
    """Canonical catalog spellings for category, subcategory and brand; an unknown category becomes text."""
    changes: dict[str, object] = {}
    extra_text: list[str] = []
    for name in ("category", "subcategory"):
        value = getattr(query, name)
        if value is None:
            continue
        resolved = _resolve(value, catalog.index.categories, catalog.index.compact_categories)
        if resolved is None:
            extra_text.append(value.strip())
            changes[name] = None
        else:
            changes[name] = resolved[1]  # type: ignore[index]
    if query.brand:
        resolved_brand = _resolve(query.brand, catalog.index.brands, catalog.index.compact_brands)
        changes["brand"] = resolved_brand or query.brand.strip()
    if extra_text:
        changes["text"] = " ".join(filter(None, [query.text, *extra_text]))
    if changes.get("category") and changes.get("category") == changes.get("subcategory"):
        changes["subcategory"] = None
    return replace(query, **changes)


# ---------------------------------------------------------------------------------------------- words and filters


def search_terms(value: str | None) -> list[str]:
    """Plain words of a text, safe for a full-text MATCH (letters and digits only); stop words dropped."""
    words = [w for w in re.findall(r"[^\W_]+", fold(value or "")) if w]
    kept = [w for w in words if w not in STOP_WORDS]
    terms = kept or words
    return list(dict.fromkeys(terms))[:16]


def fts_expression(terms: list[str], *, any_term: bool = False, column_name: str | None = None) -> str:
    """A MATCH expression of quoted terms (all of them, or any with `any_term`), optionally in one column."""
    quoted = [f'"{t}"' for t in terms if t and '"' not in t]
    expression = (" OR " if any_term else " ").join(quoted)
    return f"{{{column_name}}} : ({expression})" if column_name else expression


def _spellings(catalog: _Catalog, value: str) -> list[str]:
    return sorted(catalog.spellings.get(fold(value), set()) | {value})


def _use_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


# Products with a variant at 0 and none above: read through ix_variants_stock, so it costs what is sold out.
_SOLD_OUT = text(f"SELECT DISTINCT v.product_id FROM {Variant.__tablename__} AS v WHERE v.stock = 0 AND NOT EXISTS "
                 f"(SELECT 1 FROM {Variant.__tablename__} AS w WHERE w.product_id = v.product_id AND w.stock > 0) "
                 f"LIMIT :limit")


def _sold_out(session: Session, catalog: _Catalog) -> frozenset[int] | None:
    """Ids of the products with nothing in stock now, or None when there are more than SOLD_OUT_BY_ID."""
    found = set(session.execute(_SOLD_OUT.bindparams(limit=SOLD_OUT_BY_ID + 1)).scalars())
    found |= catalog.without_variants
    return frozenset(found) if len(found) <= SOLD_OUT_BY_ID else None


def _kind_conditions(value: str, catalog: _Catalog, session: Session) -> tuple[ColumnElement, ColumnElement]:
    """(category or subcategory is the value, that or the product's name says it) for a kind of product."""
    names = _spellings(catalog, value)
    lowered = sorted({n.lower() for n in names})
    exact = or_(Product.category.in_(names), Product.subcategory.in_(names),
                func.lower(Product.category).in_(lowered), func.lower(Product.subcategory).in_(lowered))
    terms = search_terms(value)
    if not terms:
        return exact, exact
    if _use_fts(session):
        match = bindparam("kind_match", fts_expression(terms, column_name="name category subcategory"), unique=True)
        named = Product.id.in_(text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :kind_match")
                               .bindparams(match).columns(column("rowid", Integer)))
    else:
        named = and_(*[Product.name.ilike(f"%{singular(t)}%") for t in terms])
    return exact, or_(exact, named)


def _sure_kind(value: str, catalog: _Catalog, session: Session) -> bool:
    """True when most products naming this kind are filed under it: then it can filter without losing many."""
    key = fold(value)
    known = catalog.sure_kinds.get(key)
    if known is not None:
        return known
    terms = search_terms(value)
    filed = catalog.filed.get(key, 0)
    if not terms:
        naming = filed
    elif _use_fts(session):
        stmt = text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :kind").bindparams(
            kind=fts_expression(terms, column_name="name category subcategory"))
        naming = session.execute(stmt).scalar_one()
    else:
        _exact, loose = _kind_conditions(value, catalog, session)
        naming = session.execute(select(func.count()).select_from(Product)
                                 .where(Product.active.is_(True), loose)).scalar_one()
    sure = filed >= SURE_KIND_SHARE * max(naming, filed)
    catalog.sure_kinds[key] = sure
    return sure


def _filters(query: SearchQuery, catalog: _Catalog, session: Session, *, kinds_as_words: bool = False,
             stock: bool = True) -> tuple[list[ColumnElement], list[ColumnElement], list[str]]:
    """The WHERE conditions, the conditions of being exactly of the kind asked for, and kinds left to the ranking.

    With `kinds_as_words`, a kind the catalog files loosely is not a condition: it is returned for the ranking.
    Without `stock`, `in_stock_only` is not a condition either: the caller leaves out the products sold out.
    """
    conditions: list[ColumnElement] = [Product.active.is_(True)]
    exact_kind: list[ColumnElement] = []
    boosted: list[str] = []
    for value in (query.category, query.subcategory):
        if not value:
            continue
        if kinds_as_words and not _sure_kind(value, catalog, session):
            boosted.append(value)
            continue
        exact, loose = _kind_conditions(value, catalog, session)
        exact_kind.append(exact)
        conditions.append(loose)
    if query.brand:
        names = _spellings(catalog, query.brand)
        conditions.append(or_(Product.brand.in_(names), func.lower(Product.brand) == query.brand.lower()))
    if query.price_min is not None:
        conditions.append(Product.price >= query.price_min)
    if query.price_max is not None:
        conditions.append(Product.price <= query.price_max)
    variant_conditions: list[ColumnElement] = []
    if query.color:
        key = query.color.strip().lower()
        colors = {key, *COLOR_ALIASES.get(key, ())}
        variant_conditions.append(func.lower(Variant.color).in_(sorted(colors)))
    if query.size:
        variant_conditions.append(func.lower(Variant.size) == query.size.strip().lower())
    if query.in_stock_only and stock:
        variant_conditions.append(Variant.stock > 0)
    if variant_conditions:
        conditions.append(exists().where(Variant.product_id == Product.id, *variant_conditions))
    return conditions, exact_kind, boosted


# ---------------------------------------------------------------------------------------------- retrieval


def _scored_matches(match_param: str, exact: str | None, weight: float, where: str = "") -> str:
    """SQL of (pid, score) for the full-text matches of `:{match_param}` (bm25, lower is better).

    With `exact` (the words typed, without their synonyms), words matched only through a synonym count `weight`:
    the score is weight * bm25(all words) + (1 - weight) * bm25(the words typed).
    """
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    matches = (f"SELECT rowid AS pid, bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} "
               f"WHERE {FTS_TABLE} MATCH :{match_param}{where}")
    if exact is None:
        return matches
    typed = (f"SELECT rowid AS pid, bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} "
             f"WHERE {FTS_TABLE} MATCH :{match_param}_exact")
    return (f"SELECT m.pid AS pid, {float(weight)!r} * m.score + {1.0 - float(weight)!r} * coalesce(e.score, 0.0) "
            f"AS score FROM ({matches}) AS m LEFT JOIN ({typed}) AS e ON e.pid = m.pid")


def _fts_ranked(match: str, exact: str | None = None, weight: float = 1.0):  # noqa: ANN202 - a SQLAlchemy subquery
    params = [bindparam("text_match", match, unique=True)]
    if exact is not None:
        params.append(bindparam("text_match_exact", exact, unique=True))
    return (text(_scored_matches("text_match", exact, weight))
            .bindparams(*params)
            .columns(column("pid", Integer), column("score", Float))
            .subquery("fts"))


def _index_ranked(match: str, limit: int, exclude: set[int] | frozenset[int], exact: str | None = None,
                  weight: float = 1.0):  # noqa: ANN202 - a text query
    """(id, total) of the `limit` best full-text matches of active products, and how many match in all."""
    excluded = f" AND rowid NOT IN ({', '.join(str(int(i)) for i in sorted(exclude))})" if exclude else ""
    params = {"match": match, "limit": limit} | ({"match_exact": exact} if exact is not None else {})
    return text(f"SELECT f.pid, (SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match{excluded}) "
                f"FROM (SELECT pid, score FROM ({_scored_matches('match', exact, weight, excluded)}) "
                f"ORDER BY score, pid LIMIT :limit) AS f "
                f"JOIN {Product.__tablename__} AS p ON p.id = f.pid AND p.active = 1 ORDER BY f.score, f.pid"
                ).bindparams(**params)


_LIKE_COLUMNS = {"name": Product.name, "brand": Product.brand, "subcategory": Product.subcategory,
                 "category": Product.category, "description": Product.description, "tags": cast(Product.tags, Text)}


def _like_term(term: str) -> ColumnElement:
    """Any searchable column holds the term (ILIKE, for databases without FTS5)."""
    return or_(*[col.ilike(f"%{term}%") for col in _LIKE_COLUMNS.values()])


def _like_group(term: str, alternatives: Alternatives) -> ColumnElement:
    """Any searchable column holds the term or one of its synonyms."""
    return or_(_like_term(term), *[_like_term(a.phrase) for a in alternatives.get(term, ())])


def _like_score(terms: list[str],
                alternatives: Alternatives | None = None) -> tuple[ColumnElement, list[ColumnElement]]:
    """A score (higher is better) and one condition per term (it or a synonym) for databases without FTS5.

    A synonym found scores its weight times what the term would.
    """
    alternatives = alternatives or {}
    score: ColumnElement = None  # type: ignore[assignment]
    per_term: list[ColumnElement] = []
    for term in terms:
        said = [(f"%{term}%", 1.0)] + [(f"%{a.phrase}%", a.weight) for a in alternatives.get(term, ())]
        conditions = []
        for pattern, share in said:
            hits = [(_LIKE_COLUMNS[name].ilike(pattern), weight * share) for name, weight in LIKE_WEIGHTS.items()]
            conditions += [condition for condition, _ in hits]
            for condition, weight in hits:
                part = case((condition, weight), else_=0)
                score = part if score is None else score + part
        per_term.append(or_(*conditions))
    return score, per_term


class _Retrieval:
    """Products holding some words, best first, under fixed conditions (FTS5 on SQLite, ILIKE elsewhere)."""

    def __init__(self, session: Session, conditions: list[ColumnElement], catalog: _Catalog,
                 excluded: frozenset[int] = frozenset()) -> None:
        """Retrieval within `conditions` (active, price, brand, variants, sure kinds; the first is `active`),
        never of the products `excluded` (those sold out, see `_sold_out`)."""
        self.session, self.conditions, self.catalog, self.excluded = session, conditions, catalog, excluded
        self.fts = _use_fts(session)
        # Only `active`: the full-text index (active products only, see ensure_search_index) ranks and counts
        # alone, without joining every match to the products table.
        self.index_only = self.fts and len(conditions) == 1
        self.alternatives: Alternatives = {}  # synonyms of the words searched for (see `_words`)

    def ids(self, every: list[str], some: list[str], scored: list[str], *, limit: int,
            exclude: set[int] | frozenset[int] = frozenset(), offset: int = 0) -> list[int]:
        """Ids of products holding all of `every` and one of `some`, best first by the words `scored`."""
        stmt = self._statement(every, some, scored, exclude | self.excluded, Product.id)
        return list(self.session.execute(stmt.offset(offset).limit(limit)).scalars())

    def ids_and_total(self, every: list[str], some: list[str], scored: list[str], *, limit: int,
                      exclude: set[int] | frozenset[int] = frozenset()) -> tuple[list[int], int]:
        """The first `limit` of `ids` and how many products match in all (one query)."""
        exclude = exclude | self.excluded
        if self.index_only:
            stmt = _index_ranked(self._match(every, some, scored), limit, exclude, *self.typed(scored))
        else:
            stmt = self._statement(every, some, scored, exclude, Product.id,
                                   func.count().over().label("total")).limit(limit)
        rows = self.session.execute(stmt).all()
        return [row[0] for row in rows], int(rows[0][1]) if rows else 0

    def expanded(self, words: list[str]) -> list[str]:
        """The words and the phrases of their synonyms, each once."""
        return list(dict.fromkeys(words + [a.phrase for w in words for a in self.alternatives.get(w, ())]))

    def term(self, word: str) -> str:
        """A MATCH expression of the word or any of its synonyms."""
        if not self.alternatives.get(word):
            return f'"{word}"'
        return f"({fts_expression(self.expanded([word]), any_term=True)})"

    def match_all(self, words: list[str]) -> str:
        """A MATCH expression of every word (each, or one of its synonyms)."""
        return " AND ".join(self.term(w) for w in words)

    def typed(self, scored: list[str]) -> tuple[str | None, float]:
        """(MATCH of the words typed, weight of the synonyms) when some word has synonyms, else (None, 1.0)."""
        weights = [a.weight for w in scored for a in self.alternatives.get(w, ())]
        if not weights:
            return None, 1.0
        return fts_expression(scored, any_term=True), max(weights)

    def _match(self, every: list[str], some: list[str], scored: list[str]) -> str:
        parts = [f"({fts_expression(self.expanded(scored), any_term=True)})"]
        parts += [self.term(w) for w in every]
        if some:
            parts.append(f"({fts_expression(self.expanded(some), any_term=True)})")
        return " AND ".join(parts)

    def _statement(self, every: list[str], some: list[str], scored: list[str],
                   exclude: set[int] | frozenset[int], *columns: ColumnElement):  # noqa: ANN202 - a select
        if self.fts:
            ranked = _fts_ranked(self._match(every, some, scored), *self.typed(scored))
            stmt = (select(*columns).join(ranked, ranked.c.pid == Product.id).where(*self.conditions)
                    .order_by(ranked.c.score.asc(), Product.id))
        else:
            score, _ = _like_score(scored, self.alternatives)
            stmt = (select(*columns).where(*self.conditions, *self._like(every, some))
                    .order_by(score.desc(), Product.id))
        if exclude:
            stmt = stmt.where(Product.id.not_in(sorted(exclude)))
        return stmt

    def frequency(self, word: str) -> int:
        """How many active products hold the word anywhere (cached with the catalog)."""
        known = self.catalog.frequencies.get(word)
        if known is not None:
            return known
        if self.fts:
            stmt = text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :word").bindparams(word=f'"{word}"')
            found = self.session.execute(stmt).scalar_one()
        else:
            stmt = select(func.count()).select_from(Product).where(Product.active.is_(True), _like_term(word))
            found = self.session.execute(stmt).scalar_one()
        self.catalog.frequencies[word] = int(found)
        return int(found)

    def _like(self, every: list[str], some: list[str]) -> list[ColumnElement]:
        conditions = [_like_group(w, self.alternatives) for w in every]
        if some:
            conditions.append(or_(*[_like_group(w, self.alternatives) for w in some]))
        return conditions


@dataclass
class _Words:
    """What the ranking looks for: required words, the words a partial match must hold, and scored-only words."""

    required: list[str]
    keys: list[str]
    scored: list[str]
    alternatives: Alternatives = field(default_factory=dict)  # required word -> its synonyms the catalog uses


def _read_words(session: Session) -> tuple[list[str], frozenset[str]]:
    """(name words, vocabulary) of the active products, in one pass over them: see `_Catalog`."""
    names: set[str] = set()
    found: set[str] = set()
    stmt = select(Product.name, Product.brand, Product.category, Product.subcategory, Product.tags).where(
        Product.active.is_(True))
    for row in session.execute(stmt):
        names.update(w for w in fold(f"{row.name} {row.brand or ''}").split() if len(w) >= 3 and w.isalpha())
        for value in (row.name, row.brand, row.category, row.subcategory, " ".join(row.tags or [])):
            found.update(base_form(w) for w in field_words(value))
    return sorted(names), frozenset(found)


def _in_catalog(phrase: str, retrieval: _Retrieval) -> bool:
    """True when the catalog's names, brands, kinds or tags use every word of the phrase and a product holds it."""
    vocabulary = retrieval.catalog.vocabulary
    return all(base_form(w) in vocabulary for w in phrase.split()) and retrieval.frequency(phrase) > 0


def _synonyms() -> SynonymTable:
    """The default synonym table and the store's own groups (store_policies.yml, `search: synonyms:`)."""
    try:
        extra = load_policies().synonyms
    except PoliciesError:
        log.warning("cannot read the store policies: searching with the default synonyms only", exc_info=True)
        extra = ()
    return synonym_table(extra)


def _synonyms_of(words: list[str], retrieval: _Retrieval) -> Alternatives:
    """Each word of `words` (a phrase's words together) -> its synonyms that the catalog uses."""
    return expand(words, _synonyms(), lambda phrase: _in_catalog(phrase, retrieval))


def _spelled(word: str, retrieval: _Retrieval) -> str:
    """The word, or the closest word of the product names when no product holds it ('keybord' -> 'keyboard')."""
    if len(word) < 4 or not word.isalpha() or retrieval.frequency(word) > 0:
        return word
    return closest_spelling(word, retrieval.catalog.name_words) or word


def _words(query: SearchQuery, boosted: list[str], retrieval: _Retrieval) -> _Words | None:
    """Words of the text and of loosely filed kinds (the kind last: it is the main word); None when there are none.

    A word no product holds is replaced by the closest word of the product names, if one is close enough, unless
    the catalog holds a synonym of it. The words' synonyms come with them.
    """
    said = search_terms(query.text) + [w for k in boosted for w in search_terms(k)]
    known = _synonyms_of(said, retrieval)
    required = list(dict.fromkeys(w if w in known else _spelled(w, retrieval) for w in said))
    alternatives = known if required == said else _synonyms_of(required, retrieval)
    context = [w for v in (query.subcategory, query.category, query.brand)
               if v and v not in boosted for w in search_terms(v)]
    if not required:
        required = list(dict.fromkeys(context))
    if not required:
        return None
    scored = list(dict.fromkeys(required + context))

    def held_by(word: str) -> int:  # products holding the word or a synonym (at most)
        return retrieval.frequency(word) + sum(retrieval.frequency(a.phrase) for a in alternatives.get(word, ()))

    rarest = min(required, key=lambda w: (held_by(w), required.index(w)))
    keys = list(dict.fromkeys([required[-1], rarest]))
    return _Words(required=required, keys=keys, scored=scored,
                  alternatives={w: a for w, a in alternatives.items() if w in required})


# ---------------------------------------------------------------------------------------------- ranking


def _document(row) -> _Document:  # noqa: ANN001 - a result row
    """The ranking's view of a product row (id, name, brand, category, subcategory, tags, description, rating)."""
    fields = (row.name, row.brand, row.category, row.subcategory, " ".join(row.tags or []), row.description)
    candidate = Candidate(id=row.id, name=row.name, fields=tuple(field_words(f) for f in fields),
                          kind=kind_phrases(row.subcategory),
                          rating=float(row.rating) if row.rating is not None else None)
    return _Document(candidate=candidate, kinds=frozenset(v.lower() for v in (row.category, row.subcategory) if v))


def _candidates(pool: list[int], catalog: _Catalog, session: Session, kinds: list[set[str]]) -> list[Candidate]:
    """Ranking candidates for the product ids `pool`, in that order; read once per catalog (see `_load_catalog`).

    A candidate is `filed` when it is filed under each of the `kinds` (lower-cased spellings of each kind).
    """
    missing = [pid for pid in pool if pid not in catalog.documents]
    if missing:
        stmt = select(Product.id, Product.name, Product.brand, Product.category, Product.subcategory, Product.tags,
                      Product.description, Product.rating).where(Product.id.in_(missing))
        catalog.documents.update((row.id, _document(row)) for row in session.execute(stmt))
    found = []
    for pid in pool:
        document = catalog.documents.get(pid)
        if document is None:
            continue
        if kinds and all(document.kinds & names for names in kinds):
            found.append(replace(document.candidate, filed=True))
        else:
            found.append(document.candidate)
    return found


def _ranked_page(query: SearchQuery, catalog: _Catalog, session: Session, *, offset: int,
                 limit: int) -> tuple[list[int], int] | None:
    """Relevance: ids of one page and the total, or None when the query has no words to rank by.

    Products holding every word come first. When fewer than RERANK_POOL do, products holding each word or one of
    its synonyms follow them; when fewer than FILL_BELOW hold them all, products holding the main word or the
    rarest one follow (any word when none holds them all), those holding it as typed before those holding only a
    synonym, and the total counts them too. An initialism and the words it stands for are one term: products
    holding the other form get as many places in the re-ranked pool as those holding the form typed, however many
    of those there are.
    """
    sold_out = None
    if query.in_stock_only and not query.color and not query.size and _use_fts(session):
        sold_out = _sold_out(session, catalog)  # few: left out by id, and the full-text index counts alone
    conditions, _exact, boosted = _filters(query, catalog, session, kinds_as_words=True, stock=sold_out is None)
    kinds = [{n.lower() for n in _spellings(catalog, v)} for v in (query.category, query.subcategory)
             if v and v not in boosted]  # what the filters' exact-kind conditions compare
    retrieval = _Retrieval(session, conditions, catalog, sold_out or frozenset())
    words = _words(query, boosted, retrieval)
    if words is None:
        return None
    pool, complete = retrieval.ids_and_total(words.required, [], words.scored, limit=RERANK_POOL)
    retrieval.alternatives = words.alternatives
    # the same term spelled out ('ssd', 'solid state drive'): as many places in the pool as the words typed
    spelled_out = any(a.weight >= INITIALISM_WEIGHT for found in words.alternatives.values() for a in found)
    if words.alternatives and (complete < RERANK_POOL or spelled_out):  # after every product holding the words
        # typed, those holding them or their synonyms: never in place of a product holding the words typed
        more, others = retrieval.ids_and_total(words.required, [], words.scored,
                                               limit=RERANK_POOL if spelled_out else RERANK_POOL - len(pool),
                                               exclude=set(pool))
        pool, complete = pool + more, complete + others
    if complete >= FILL_BELOW or len(words.required) == 1:
        words.keys, total = [], complete
    else:  # the pool holds every complete match; each holds the keys too, so the total counts them once
        if complete == 0:
            words.keys = list(words.required)
        # products holding the words as typed before those holding only a synonym, however well those score
        alternatives, retrieval.alternatives = retrieval.alternatives, {
            w: tuple(replace(a, weight=a.weight * FILL_SYNONYM_SHARE) for a in found)
            for w, found in retrieval.alternatives.items()}
        more, others = retrieval.ids_and_total([], words.keys, words.scored, limit=RERANK_POOL, exclude=set(pool))
        retrieval.alternatives = alternatives
        pool, total = pool + more, complete + others
    if total == 0:
        return [], 0
    candidates = _candidates(pool, catalog, session, kinds)  # ties keep the retrieval order
    products = max(catalog.products, 1)
    idfs = {w: idf(retrieval.frequency(w), products) for w in retrieval.expanded(words.scored)}
    scores = bm25f(words.scored, candidates, idfs, words.alternatives)
    ranked = [c.id for c in rerank(words.required, candidates, scores, catalog.heads, words.alternatives)]
    if offset + limit > len(ranked) and total > len(ranked):  # a page beyond the re-ranked pool
        ranked += retrieval.ids(words.required if not words.keys else [], words.keys, words.scored,
                                limit=offset + limit - len(ranked), exclude=set(ranked))
    return ranked[offset:offset + limit], total


def _ordered(stmt, query: SearchQuery, relevance: list):  # noqa: ANN001, ANN202 - SQLAlchemy select
    by_rating = [Product.rating.desc().nulls_last()]  # as ix_products_rating, on every database
    if query.sort == "price_asc":
        order = [Product.price.asc(), *relevance, *by_rating]
    elif query.sort == "price_desc":
        order = [Product.price.desc(), *relevance, *by_rating]
    elif query.sort == "rating":
        order = [*by_rating, *relevance]
    else:
        order = [*relevance, *by_rating, Product.name]
    return stmt.order_by(*order, Product.id)


def _matching(query: SearchQuery, catalog: _Catalog, session: Session, *, any_term: bool):  # noqa: ANN202
    """The statement selecting matching product ids in display order (sorted by price or rating)."""
    conditions, exact_kind, _ = _filters(query, catalog, session)
    stmt = select(Product.id).where(*conditions)
    # Products filed under the kind asked for come before those that only say it in their name.
    first = [case((and_(*exact_kind), 0), else_=1)] if exact_kind else []
    terms = search_terms(query.text)
    if not terms:
        return _ordered(stmt, query, first)
    retrieval = _Retrieval(session, conditions, catalog)
    retrieval.alternatives = _synonyms_of(terms, retrieval)
    if _use_fts(session):
        match = (fts_expression(retrieval.expanded(terms), any_term=True) if any_term
                 else retrieval.match_all(terms))
        ranked = _fts_ranked(match, *retrieval.typed(terms))
        return _ordered(stmt.join(ranked, ranked.c.pid == Product.id), query, [*first, ranked.c.score.asc()])
    score, per_term = _like_score(terms, retrieval.alternatives)
    stmt = stmt.where(or_(*per_term) if any_term else and_(*per_term))
    return _ordered(stmt, query, [*first, score.desc()])


def _sorted_page(query: SearchQuery, catalog: _Catalog, session: Session, *, offset: int, limit: int,
                 counted: bool = True) -> tuple[list[int], int]:
    """Sorted by price or rating (or relevance without words): all words, or any of them when none has all.

    Without `counted`, nothing is counted (a scan of every match): the total is only what the page shows.
    """
    for any_term in (False, True):
        stmt = _matching(query, catalog, session, any_term=any_term)
        if counted:
            total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
        else:
            ids = list(session.execute(stmt.offset(offset).limit(limit)).scalars())
            total = offset + len(ids) if ids else 0
        if total or any_term or len(search_terms(query.text)) <= 1:
            break
    if not counted:
        return (ids, total) if ids else ([], 0)
    if total == 0 or offset >= total:
        return [], total
    return list(session.execute(stmt.offset(offset).limit(limit)).scalars()), total


def _run(query: SearchQuery, catalog: _Catalog, session: Session, *, offset: int, limit: int,
         counted: bool = True) -> tuple[list[ProductSummary], int]:
    """One page of matching products and how many match (without `counted`, perhaps only those shown)."""
    page = None
    if query.sort == "relevance":
        page = _ranked_page(query, catalog, session, offset=offset, limit=limit)
    if page is None:
        page = _sorted_page(query, catalog, session, offset=offset, limit=limit, counted=counted)
    ids, total = page
    if not ids:
        return [], total
    return _summaries(ids, session), total


def _summaries(ids: list[int], session: Session) -> list[ProductSummary]:
    """The list view of products, in the order of `ids` (one query; the same as `store.products.to_summary`)."""
    in_stock = exists().where(Variant.product_id == Product.id, Variant.stock > 0).label("in_stock")
    stmt = select(Product.id, Product.sku, Product.name, Product.brand, Product.category, Product.subcategory,
                  Product.price, Product.currency, Product.image_url, Product.rating, in_stock
                  ).where(Product.id.in_(ids))
    by_id = {row.id: row for row in session.execute(stmt)}
    return [ProductSummary(sku=row.sku, name=row.name, brand=row.brand, category=row.category,
                           subcategory=row.subcategory, price=Decimal(row.price), currency=row.currency,
                           image_url=row.image_url, rating=Decimal(row.rating) if row.rating is not None else None,
                           in_stock=bool(row.in_stock))
            for row in (by_id.get(i) for i in ids) if row is not None]


# ---------------------------------------------------------------------------------------------- search


def _relaxations(query: SearchQuery) -> list[tuple[str, dict[str, object]]]:
    steps = {
        "size": ({"size": None}, query.size is not None),
        "color": ({"color": None}, query.color is not None),
        "price": ({"price_min": None, "price_max": None}, query.price_min is not None or query.price_max is not None),
        "brand": ({"brand": None}, query.brand is not None),
        "text": ({"text": None}, bool(search_terms(query.text))),
    }
    return [(name, steps[name][0]) for name in RELAX_ORDER if steps[name][1]]


def _asks_for_something(query: SearchQuery) -> bool:
    """True when the query still holds something the shopper asked for: a kind or a filter `_relaxations` drops."""
    return bool(query.category or query.subcategory or _relaxations(query))


def _alternatives(query: SearchQuery, catalog: _Catalog, session: Session) -> tuple[list[ProductSummary], list[str]]:
    """Drop one filter at a time (size, colour, price, brand, text), then several, until something matches.

    Never the whole catalog: when nothing the shopper asked for would be left ("tv" in a shop without TVs), there
    are no alternatives.
    """
    steps = _relaxations(query)
    for name, change in steps:
        relaxed_query = replace(query, **change)
        if not _asks_for_something(relaxed_query):
            continue
        products, _ = _run(relaxed_query, catalog, session, offset=0, limit=ALTERNATIVES, counted=False)
        if products:
            return products, [name]
    current, relaxed = query, []
    for name, change in steps:  # then cumulatively, in the same order
        current = replace(current, **change)
        relaxed.append(name)
        if not _asks_for_something(current):  # and no later step, which only drops more
            break
        if len(relaxed) == 1:
            continue
        products, _ = _run(current, catalog, session, offset=0, limit=ALTERNATIVES, counted=False)
        if products:
            return products, list(relaxed)
    return [], []


def _clamped(query: SearchQuery) -> SearchQuery:
    sort = query.sort if query.sort in SORTS else "relevance"
    limit = min(max(int(query.limit or 1), 1), MAX_LIMIT)
    return replace(query, sort=sort, limit=limit, offset=max(int(query.offset or 0), 0))


def search(query: SearchQuery, uow: UnitOfWork, *, sender_id: str | None = None, log: bool = True) -> SearchResult:
    """Active products matching the query, one page of them, and alternatives when nothing matches."""
    session = uow.session
    catalog, changed = _load_catalog(session)
    if changed and ensure_search_index(session):  # products written without an import: index them now
        uow.commit()
    effective = _resolve_query(_clamped(query), catalog)
    products, total = _run(effective, catalog, session, offset=effective.offset, limit=effective.limit)
    alternatives: list[ProductSummary] = []
    relaxed: list[str] = []
    if total == 0:
        alternatives, relaxed = _alternatives(effective, catalog, session)
    if log:
        _log_search(effective, total, sender_id, uow)
    return SearchResult(query=effective, products=products, total=total, alternatives=alternatives, relaxed=relaxed)


def _log_search(query: SearchQuery, total: int, sender_id: str | None, uow: UnitOfWork) -> None:
    filters = {k: v for k, v in query_to_dict(query).items() if k not in ("text", "offset", "limit")}
    try:
        uow.session.add(SearchLog(sender_id=sender_id, text=query.text, filters=filters, results=total))
        uow.commit()
    except SQLAlchemyError:  # a lost log line must not lose the shopper's results
        log.warning("could not write the search log", exc_info=True)
        uow.rollback()


def match_product_names(name: str, session: Session, *, limit: int = 10) -> list[Product]:
    """Active products whose name holds every word of `name`, best first (full-text or ILIKE)."""
    terms = search_terms(name)
    if not terms:
        return []
    stmt = select(Product).options(selectinload(Product.variants)).where(Product.active.is_(True))
    if _use_fts(session):
        ensure_search_index(session)
        ranked = _fts_ranked(fts_expression(terms, column_name="name"))
        stmt = stmt.join(ranked, ranked.c.pid == Product.id).order_by(ranked.c.score.asc(), Product.id)
    else:
        stmt = stmt.where(*[Product.name.ilike(f"%{t}%") for t in terms]).order_by(func.length(Product.name),
                                                                                   Product.id)
    return list(session.execute(stmt.limit(limit)).scalars())


__all__ = [
    "SORTS", "clear_search_cache", "describe", "find_prices", "fold", "fts_expression", "match_product_names",
    "phrase_forms", "plural", "query_from_dict", "query_to_dict", "refine", "search", "search_terms", "singular",
    "size_sort_key", "understand",
]
