"""Catalog search: shopper text -> filters (`understand`), the search itself, refinements and slot round-trips."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz, process
from sqlalchemy import Float, Integer, Text, and_, bindparam, case, cast, column, exists, func, or_, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from store.catalog import Vocabulary, ensure_search_index, size_sort_key
from store.config import get_settings
from store.db import FTS_TABLE
from store.models import Product, SearchLog, Variant
from store.money import CENT, format_money, to_money
from store.products import to_summary
from store.types import ProductSummary, SearchQuery, SearchResult
from store.uow import UnitOfWork

log = logging.getLogger(__name__)

SORTS = ("relevance", "price_asc", "price_desc", "rating")
MAX_LIMIT = 50
ALTERNATIVES = 3
RELAX_ORDER = ("size", "color", "price", "brand", "text")
# bm25 weights in the column order of products_fts: name, brand, category, subcategory, tags, description.
FTS_WEIGHTS = (10.0, 6.0, 3.0, 4.0, 2.0, 1.0)
LIKE_WEIGHTS = {"name": 10, "brand": 6, "subcategory": 4, "category": 3, "tags": 2, "description": 1}
FUZZY_CUTOFF = 84

STOP_WORDS = frozenset(
    """a about all also am an and any anything are as at available be buy buying can could do does for
    get give got have having hello hey hi how i i'd id ill im i'm in is it item items its just like
    looking look me mine my need needs of on one ones or our pair pairs please product products search
    searching see sell sells selling shop show some something store stuff that the them there these
    thing things this those to u us want wanted wanting we what whats which with would you your yours
    find finding interested let lets kind kinds sort type types thanks thank maybe really very
    price priced prices cost costs costing dollars dollar bucks buck usd eur euro euros gbp pounds quid
    carry stock instock offer offering options option choose recommend recommendation suggest
    has had lot lots good great nice decent works work working preferably ideally prefer something somewhat
    perhaps much many more less than quite too so if then else also but only either neither other another
    should will shall may might must been being was were""".split()
)
SORT_CUES = {
    "price_asc": ("cheapest", "cheap", "cheaper", "affordable", "inexpensive", "budget", "lowest price", "low cost",
                  "low price"),
    "price_desc": ("most expensive", "priciest", "premium", "luxury", "high end", "highest price"),
    "rating": ("best rated", "top rated", "highest rated", "best reviewed", "best", "most popular", "popular"),
}
# Colours understood even when the catalog has none of them (so "red" can be relaxed instead of searched as text).
COMMON_COLORS = frozenset(
    "black white red blue green yellow orange purple pink brown grey gray beige navy silver gold burgundy".split()
)
_COLOR_ALIASES = {"grey": ("gray",), "gray": ("grey",)}
_LETTER_SIZES = {"xxxs", "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl", "5xl"}
_UNCOUNTABLE = frozenset(
    """apparel audio beauty bedding care clothing decor electronics equipment fitness footwear furniture garden
    gear haircare hardware health jewellery jewelry kitchen lighting luggage makeup news outdoors skincare software
    sports stationery""".split()
)
_COMPANY_SUFFIXES = {"com", "inc", "ltd", "llc", "co", "gmbh", "corp"}
_SIZE_WORDS = {"small": "S", "medium": "M", "large": "L", "extra small": "XS", "extra large": "XL",
               "x small": "XS", "x large": "XL", "xsmall": "XS", "xlarge": "XL", "one size": "One Size"}


# ---------------------------------------------------------------------------------------------- words


def fold(value: str) -> str:
    """Lower-case, accents removed, '&' spelled 'and', apostrophes dropped, other punctuation as spaces."""
    if not value.isascii():
        value = unicodedata.normalize("NFKD", value)
        value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.casefold()
    value = value.replace("&", " and ").replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w]+|_", " ", value).split())


def singular(word: str) -> str:
    """A plain English singular of a lower-case word ('batteries' -> 'battery'); unchanged when unsure."""
    if word in _UNCOUNTABLE or len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ves") and len(word) > 4:
        return word[:-3] + ("fe" if word.endswith("ives") else "f")
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    return word[:-1]


def plural(word: str) -> str:
    """A plain English plural of a lower-case word ('battery' -> 'batteries'); unchanged when unsure."""
    if word in _UNCOUNTABLE or len(word) <= 2 or word.endswith(("s", "ing", "wear", "ware")) or not word.isalpha():
        return word
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("ch", "sh", "x", "z")):
        return word + "es"
    if word.endswith("fe"):
        return word[:-2] + "ves"
    return word + "s"


def phrase_forms(phrase: str) -> set[str]:
    """Folded spellings of a phrase a shopper may use: itself, its last word singular and plural."""
    words = fold(phrase).split()
    if not words:
        return set()
    head, last = words[:-1], words[-1]
    return {" ".join(head + [form]) for form in (last, singular(last), plural(last))}


def _compact(key: str) -> str:
    return key.replace(" ", "")


# ---------------------------------------------------------------------------------------------- vocabulary index


@dataclass
class _Index:
    """Folded forms of the vocabulary, for matching shopper words."""

    categories: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (field, display)
    brands: dict[str, str] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, str] = field(default_factory=dict)
    compact_categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    compact_brands: dict[str, str] = field(default_factory=dict)
    category_keys: list[str] = field(default_factory=list)
    brand_keys: list[str] = field(default_factory=list)
    longest: int = 1


def _build_index(vocabulary: Vocabulary) -> _Index:
    index = _Index()
    for field_name, values in (("subcategory", vocabulary.subcategories), ("category", vocabulary.categories)):
        for value in values:  # categories last: a word that is both is taken as the category
            for form in phrase_forms(value):
                index.categories[form] = (field_name, value)
                index.compact_categories[_compact(form)] = (field_name, value)
    for value in vocabulary.brands:
        key = fold(value)
        words = key.split()
        keys = [key] + ([" ".join(words[:-1])] if len(words) > 1 and words[-1] in _COMPANY_SUFFIXES else [])
        for form in filter(None, keys):
            index.brands.setdefault(form, value)
            index.compact_brands.setdefault(_compact(form), value)
    for value in vocabulary.colors:
        key = fold(value)
        if key:
            index.colors.setdefault(key, value)
            for alias in _COLOR_ALIASES.get(key, ()):
                index.colors.setdefault(alias, value)
    for value in vocabulary.sizes:
        key = fold(value)
        if key:
            index.sizes.setdefault(key, value)
    index.category_keys = list(index.categories)
    index.brand_keys = list(index.brands)
    keys = list(index.categories) + list(index.brands) + list(index.colors)
    index.longest = max([len(k.split()) for k in keys] + [1])
    return index


_INDEX_CACHE: dict[int, tuple[Vocabulary, _Index]] = {}


_CACHE_LOCK = threading.Lock()


def _index_for(vocabulary: Vocabulary) -> _Index:
    with _CACHE_LOCK:
        cached = _INDEX_CACHE.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1]
    index = _build_index(vocabulary)
    with _CACHE_LOCK:
        if len(_INDEX_CACHE) >= 8:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[id(vocabulary)] = (vocabulary, index)
    return index


def _fuzzy(key: str, choices: list[str]) -> str | None:
    """The closest choice to `key` (same first two letters, score >= FUZZY_CUTOFF), or None."""
    if len(_compact(key)) < 4:
        return None
    words = key.split()
    for choice, _score, _ in process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                             limit=5):
        if choice[:2] != key[:2]:
            continue
        if _same_words(words, choice.split()):
            return choice
    return None


def _same_words(said: list[str], known: list[str]) -> bool:
    """Word by word: equal, or (4 letters or more) the same first two letters and a close spelling."""
    if len(said) != len(known):
        return False
    for a, b in zip(said, known, strict=True):
        if a == b:
            continue
        if len(a) < 4 or a[:2] != b[:2] or fuzz.ratio(a, b) < FUZZY_CUTOFF:
            return False
    return True


# ---------------------------------------------------------------------------------------------- understand

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?(?:k\b)?"
_PRE = r"(?:[$€£]\s*|(?:usd|eur|gbp)\s+)?"
_POST = r"(?:\s*(?:dollars?|bucks?|usd|eur|euros?|pounds?|gbp|quid|€|\$)\b)?"
_AMOUNT = rf"{_PRE}(?P<{{name}}>{_NUM}){_POST}"


def _amount(name: str) -> str:
    return _AMOUNT.replace("{name}", name)


_PRICE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range", re.compile(rf"\bbetween\s+{_amount('a')}\s*(?:and|-|–|—|to)\s*{_amount('b')}")),
    ("range", re.compile(rf"(?:\b(?:from|priced|costing|for)\s+)?(?P<pre>[$€£])?\s*(?P<a>{_NUM})\s*(?:dollars?|bucks?)?"
                         rf"\s*(?:-|–|—|\bto\b)\s*{_amount('b')}")),
    ("max", re.compile(r"(?:\b(?:under|below|less than|cheaper than|lower than|up to|upto|max|maximum|at most|"
                       r"no more than|not more than|not over|within|budget of|budget is|budget|tops|"
                       rf"no higher than)\b|<=?)\s*(?:of\s+)?{_amount('a')}")),
    ("max", re.compile(rf"{_amount('a')}\s*(?:or less|or under|or below|or cheaper|and under|and below|max\b|"
                       r"maximum\b|tops\b|at most\b)")),
    ("min", re.compile(r"(?:\b(?:over|above|more than|greater than|higher than|at least|min|minimum|starting at|"
                       rf"starting from|from|upwards of|no less than)\b|>=?)\s*{_amount('a')}")),
    ("min", re.compile(rf"{_amount('a')}\s*(?:or more|and up|and above|and over|plus\b|\+)")),
    ("around", re.compile(rf"\b(?:around|about|approximately|approx|roughly|~)\s*{_amount('a')}")),
    ("max", re.compile(rf"(?:[$€£]\s*(?P<a>{_NUM})|\b(?P<a2>{_NUM})\s*(?:dollars?|bucks?|usd|eur|euros?|quid)\b)")),
]
_SIZE_PATTERN = re.compile(
    r"\b(?:in\s+)?(?:a\s+)?(?:size|sz|sized)\b\s*[:#]?\s*"
    r"(?P<v>extra[\s-]?(?:small|large)|x[\s-](?:small|large)|one size|\d+(?:[.,]\d+)?|[a-z0-9]{1,6})\b"
)
_IN_SIZE_PATTERN = re.compile(r"\bin\s+(?P<v>extra[\s-]?(?:small|large)|x[\s-](?:small|large)|small|medium|large|"
                              r"xxxs|xxs|xs|xl|xxl|xxxl|[2-5]xl)\b")
_QUANTITY_PATTERN = re.compile(r"\b\d+\s+(?:pairs?|pieces?|pcs|units?|of)\b")


def _money_value(raw: str) -> Decimal | None:
    thousands = raw.endswith("k")
    raw = raw.rstrip("k").replace(",", "")
    try:
        value = Decimal(raw) * (1000 if thousands else 1)
    except ArithmeticError:
        return None
    return to_money(value) if value.is_finite() else None


def _find_prices(text_value: str) -> tuple[Decimal | None, Decimal | None, list[tuple[int, int]]]:
    price_min = price_max = None
    spans: list[tuple[int, int]] = []
    for kind, pattern in _PRICE_PATTERNS:
        for match in pattern.finditer(text_value):
            if any(s < match.end() and match.start() < e for s, e in spans):
                continue
            groups = match.groupdict()
            first = _money_value(groups.get("a") or groups.get("a2") or "")
            if first is None:
                continue
            if kind == "range":
                second = _money_value(groups["b"])
                whole = match.group(0)
                has_marker = (whole.lstrip().startswith(("between", "from", "priced", "costing", "for"))
                              or any(m in whole for m in "$€£") or re.search(r"dollar|buck|usd|eur|quid", whole))
                if second is None or not has_marker or price_min is not None or price_max is not None:
                    continue
                price_min, price_max = min(first, second), max(first, second)
            elif kind == "max":
                if price_max is not None:
                    continue
                price_max = first
            elif kind == "min":
                if price_min is not None:
                    continue
                price_min = first
            else:  # around: 20 % either side
                if price_min is not None or price_max is not None:
                    continue
                price_min = (first * Decimal("0.8")).quantize(CENT, rounding=ROUND_HALF_UP)
                price_max = (first * Decimal("1.2")).quantize(CENT, rounding=ROUND_HALF_UP)
            spans.append(match.span())
    return price_min, price_max, spans


def _size_display(raw: str, index: _Index) -> str | None:
    """The catalog's spelling of a size said by the shopper, or a tidy version of it; None if not a size."""
    key = fold(raw.replace(",", ".")) if re.fullmatch(r"\d+[.,]\d+", raw) else fold(raw)
    key = key.replace(" ", "") if key.startswith(("extra", "x ")) else key
    if re.fullmatch(r"\d+ \d+", key):  # fold turned 9.5 into '9 5'
        key = key.replace(" ", ".")
    if key in index.sizes:
        return index.sizes[key]
    number = re.fullmatch(r"(\d+)(?:\.(\d+))?", key)
    if number:
        value = Decimal(key)
        tidy = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
        return index.sizes.get(tidy, tidy)
    word = _SIZE_WORDS.get(key) or _SIZE_WORDS.get(key.replace("extra", "extra "))
    if word:
        return index.sizes.get(fold(word)) or index.sizes.get(key) or word
    if key in _LETTER_SIZES:
        return key.upper()
    return None


def _find_size(text_value: str, index: _Index) -> tuple[str | None, list[tuple[int, int]]]:
    for pattern in (_SIZE_PATTERN, _IN_SIZE_PATTERN):
        for match in pattern.finditer(text_value):
            size = _size_display(match.group("v"), index)
            if size is not None:
                return size, [match.span()]
    return None, []


def _segments(text_value: str, spans: list[tuple[int, int]]) -> list[str | None]:
    """Folded tokens of the text outside `spans`; None marks where a span was cut out."""
    tokens: list[str | None] = []
    position = 0
    for start, end in sorted(spans):
        tokens.extend(fold(text_value[position:start]).split())
        tokens.append(None)
        position = end
    tokens.extend(fold(text_value[position:]).split())
    return tokens


@dataclass
class _Found:
    category: str | None = None
    subcategory: str | None = None
    brand: str | None = None
    color: str | None = None
    size: str | None = None
    sort: str | None = None


def _windows(tokens: list[str | None], used: list[bool], n: int) -> Iterable[tuple[int, str]]:
    for start in range(len(tokens) - n + 1):
        window = tokens[start:start + n]
        if any(t is None for t in window) or any(used[start:start + n]):
            continue
        yield start, " ".join(window)  # type: ignore[arg-type]


def _take(found: _Found, kind: str, value: object) -> bool:
    if kind == "category":
        field_name, display = value  # type: ignore[misc]
        if getattr(found, field_name) is None:
            setattr(found, field_name, display)
            return True
        return False
    if getattr(found, kind) is None:
        setattr(found, kind, value)
        return True
    return False


def _match_vocabulary(tokens: list[str | None], used: list[bool], index: _Index, found: _Found) -> None:
    """Colours, categories and brands said in the text, longest phrase first, exact before fuzzy."""
    exact_tables = (("color", index.colors), ("category", index.categories), ("brand", index.brands))
    for n in range(min(index.longest + 1, len(tokens)), 0, -1):
        for start, key in list(_windows(tokens, used, n)):
            if any(used[start:start + n]):
                continue
            for kind, table in exact_tables:
                if key in table and _take(found, kind, table[key]):
                    used[start:start + n] = [True] * n
                    break
            else:
                compact = _compact(key)
                for kind, table in (("category", index.compact_categories), ("brand", index.compact_brands)):
                    if compact in table and _take(found, kind, table[compact]):
                        used[start:start + n] = [True] * n
                        break
        for start, key in list(_windows(tokens, used, n)):
            if any(used[start:start + n]):
                continue
            words = key.split()
            if any(w in STOP_WORDS or w in COMMON_COLORS or not w.isalpha() for w in words):
                continue
            if (n == 1 and len(key) < 4) or any(len(w) < 3 for w in words):
                continue
            if found.category is None and found.subcategory is None:
                choice = _fuzzy(key, index.category_keys)
                if choice and _take(found, "category", index.categories[choice]):
                    used[start:start + n] = [True] * n
                    continue
            if found.brand is None:
                choice = _fuzzy(key, index.brand_keys)
                if choice and _take(found, "brand", index.brands[choice]):
                    used[start:start + n] = [True] * n


def _match_cues(tokens: list[str | None], used: list[bool], index: _Index, found: _Found) -> None:
    """Sort words ('cheapest', 'top rated'), lone letter sizes ('XL') and common colours not in the catalog."""
    for n in (2, 1):
        for start, key in list(_windows(tokens, used, n)):
            for sort, cues in SORT_CUES.items():
                if key in cues:
                    found.sort = found.sort or sort
                    used[start:start + n] = [True] * n
                    break
    for start, key in list(_windows(tokens, used, 1)):
        if found.size is None and key in _LETTER_SIZES and len(key) >= 2:
            found.size = index.sizes.get(key, key.upper())
            used[start] = True
        elif found.color is None and key in COMMON_COLORS:
            found.color = key
            used[start] = True


def understand(text: str, vocabulary: Vocabulary) -> SearchQuery:
    """Turn free shopper text into search filters using the catalog's vocabulary."""
    index = _index_for(vocabulary)
    lowered = " ".join((text or "").lower().split())
    lowered = lowered.replace("\u2019", "'")
    found = _Found()
    found.size, size_spans = _find_size(lowered, index)
    masked = lowered
    for start, end in size_spans:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    price_min, price_max, price_spans = _find_prices(masked)
    quantity_spans = [m.span() for m in _QUANTITY_PATTERN.finditer(masked)
                      if not any(s < m.end() and m.start() < e for s, e in price_spans)]
    tokens = _segments(lowered, size_spans + price_spans + quantity_spans)
    used = [False] * len(tokens)
    _match_vocabulary(tokens, used, index, found)
    _match_cues(tokens, used, index, found)
    rest = [t for t, u in zip(tokens, used, strict=True) if t is not None and not u and t not in STOP_WORDS]
    if all(t.isdigit() for t in rest):  # a lone number left over ("size 8 to 10") says nothing to search
        rest = []
    return SearchQuery(
        text=" ".join(rest) or None,
        category=found.category,
        subcategory=found.subcategory,
        brand=found.brand,
        color=found.color,
        size=found.size,
        price_min=price_min,
        price_max=price_max,
        sort=found.sort or "relevance",
    )


# ---------------------------------------------------------------------------------------------- search


@dataclass
class _Catalog:
    """Distinct category, subcategory and brand spellings of the active catalog, for resolving filters."""

    index: _Index
    spellings: dict[str, set[str]]  # folded display value -> every stored spelling


_CATALOG_CACHE: dict[str, tuple[tuple[object, ...], _Catalog]] = {}


def _catalog_fingerprint(session: Session) -> tuple[object, ...]:
    stmt = select(func.count(), func.max(Product.id), func.max(Product.updated_at)).where(Product.active.is_(True))
    return tuple(session.execute(stmt).one())


def _load_catalog(session: Session) -> _Catalog:
    """The catalog's categories and brands, cached until a product is added, changed or deactivated."""
    url = str(session.get_bind().url)
    fingerprint = _catalog_fingerprint(session)
    with _CACHE_LOCK:
        cached = _CATALOG_CACHE.get(url)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    catalog = _read_catalog(session)
    with _CACHE_LOCK:
        if url not in _CATALOG_CACHE and len(_CATALOG_CACHE) >= 8:
            _CATALOG_CACHE.pop(next(iter(_CATALOG_CACHE)))
        _CATALOG_CACHE[url] = (fingerprint, catalog)
    return catalog


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
    return _Catalog(index=_build_index(vocabulary), spellings=spellings)


def _resolve(value: str | None, table: dict[str, object], compact: dict[str, object]) -> object | None:
    if not value or not value.strip():
        return None
    key = fold(value)
    if key in table:
        return table[key]
    if _compact(key) in compact:
        return compact[_compact(key)]
    for form in phrase_forms(value):
        if form in table:
            return table[form]
    choice = _fuzzy(key, list(table))
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


def _filters(query: SearchQuery, catalog: _Catalog,
             session: Session) -> tuple[list[ColumnElement], list[ColumnElement]]:
    """The WHERE conditions, and the conditions that make a product exactly of the kind asked for."""
    conditions: list[ColumnElement] = [Product.active.is_(True)]
    exact_kind: list[ColumnElement] = []
    for value in (query.category, query.subcategory):
        if value:
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
        colors = {key, *_COLOR_ALIASES.get(key, ())}
        variant_conditions.append(func.lower(Variant.color).in_(sorted(colors)))
    if query.size:
        variant_conditions.append(func.lower(Variant.size) == query.size.strip().lower())
    if query.in_stock_only:
        variant_conditions.append(Variant.stock > 0)
    if variant_conditions:
        conditions.append(exists().where(Variant.product_id == Product.id, *variant_conditions))
    return conditions, exact_kind


def _use_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fts_ranked(match: str):  # noqa: ANN202 - a SQLAlchemy subquery
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    return (text(f"SELECT rowid AS pid, bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} "
                 f"WHERE {FTS_TABLE} MATCH :text_match")
            .bindparams(bindparam("text_match", match, unique=True))
            .columns(column("pid", Integer), column("score", Float))
            .subquery("fts"))


def _like_score(terms: list[str]) -> tuple[ColumnElement, list[ColumnElement]]:
    """A score (higher is better) and one condition per term for databases without FTS5."""
    columns = {"name": Product.name, "brand": Product.brand, "subcategory": Product.subcategory,
               "category": Product.category, "description": Product.description,
               "tags": cast(Product.tags, Text)}
    score: ColumnElement = None  # type: ignore[assignment]
    per_term: list[ColumnElement] = []
    for term in terms:
        pattern = f"%{term}%"
        hits = [(columns[name].ilike(pattern), weight) for name, weight in LIKE_WEIGHTS.items()]
        per_term.append(or_(*[condition for condition, _ in hits]))
        for condition, weight in hits:
            part = case((condition, weight), else_=0)
            score = part if score is None else score + part
    return score, per_term


def _ordered(stmt, query: SearchQuery, relevance: list):  # noqa: ANN001, ANN202 - SQLAlchemy select
    by_rating = [Product.rating.is_(None), Product.rating.desc()]
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
    """The statement selecting matching product ids in display order."""
    conditions, exact_kind = _filters(query, catalog, session)
    stmt = select(Product.id).where(*conditions)
    # Products filed under the kind asked for come before those that only say it in their name.
    first = [case((and_(*exact_kind), 0), else_=1)] if exact_kind else []
    terms = search_terms(query.text)
    if not terms:
        kind_terms = search_terms(" ".join(filter(None, [query.subcategory, query.category])))
        if kind_terms and _use_fts(session) and query.sort == "relevance":
            # Equal ratings: products whose name says the kind asked for come first.
            ranked = _fts_ranked(fts_expression(kind_terms, any_term=True))
            stmt = stmt.outerjoin(ranked, ranked.c.pid == Product.id)
            by_rating = [Product.rating.is_(None), Product.rating.desc()]
            return stmt.order_by(*first, *by_rating, ranked.c.score.is_(None), ranked.c.score.asc(), Product.name,
                                 Product.id)
        return _ordered(stmt, query, first)
    if _use_fts(session):
        ranked = _fts_ranked(fts_expression(terms, any_term=any_term))
        return _ordered(stmt.join(ranked, ranked.c.pid == Product.id), query, [*first, ranked.c.score.asc()])
    score, per_term = _like_score(terms)
    stmt = stmt.where(or_(*per_term) if any_term else and_(*per_term))
    return _ordered(stmt, query, [*first, score.desc()])


def _page(query: SearchQuery, catalog: _Catalog, session: Session, *, offset: int, limit: int,
          any_term: bool = False) -> tuple[list[ProductSummary], int]:
    stmt = _matching(query, catalog, session, any_term=any_term)
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    if total == 0 or offset >= total:
        return [], total
    ids = list(session.execute(stmt.offset(offset).limit(limit)).scalars())
    rows = session.execute(select(Product).options(selectinload(Product.variants))
                           .where(Product.id.in_(ids))).scalars()
    by_id = {row.id: row for row in rows}
    return [to_summary(by_id[i]) for i in ids if i in by_id], total


def _run(query: SearchQuery, catalog: _Catalog, session: Session, *, offset: int,
         limit: int) -> tuple[list[ProductSummary], int]:
    """All terms first; when they find nothing together, any of them ranked by relevance."""
    products, total = _page(query, catalog, session, offset=offset, limit=limit)
    if total == 0 and len(search_terms(query.text)) > 1:
        products, total = _page(query, catalog, session, offset=offset, limit=limit, any_term=True)
    return products, total


def _relaxations(query: SearchQuery) -> list[tuple[str, dict[str, object]]]:
    steps = {
        "size": ({"size": None}, query.size is not None),
        "color": ({"color": None}, query.color is not None),
        "price": ({"price_min": None, "price_max": None}, query.price_min is not None or query.price_max is not None),
        "brand": ({"brand": None}, query.brand is not None),
        "text": ({"text": None}, bool(search_terms(query.text))),
    }
    return [(name, steps[name][0]) for name in RELAX_ORDER if steps[name][1]]


def _alternatives(query: SearchQuery, catalog: _Catalog, session: Session) -> tuple[list[ProductSummary], list[str]]:
    """Drop one filter at a time (size, colour, price, brand, text), then several, until something matches."""
    steps = _relaxations(query)
    for name, change in steps:
        products, _ = _run(replace(query, **change), catalog, session, offset=0, limit=ALTERNATIVES)
        if products:
            return products, [name]
    current, relaxed = query, []
    for name, change in steps:  # then cumulatively, in the same order
        current = replace(current, **change)
        relaxed.append(name)
        if len(relaxed) == 1:
            continue
        products, _ = _run(current, catalog, session, offset=0, limit=ALTERNATIVES)
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
    if ensure_search_index(session):
        uow.commit()
    catalog = _load_catalog(session)
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


# ---------------------------------------------------------------------------------------------- refine

_REFINEMENTS = {
    "cheaper": "cheaper", "cheap": "cheaper", "cheapest": "cheaper", "less expensive": "cheaper",
    "lower price": "cheaper", "lower": "cheaper", "budget": "cheaper", "less": "cheaper",
    "pricier": "pricier", "more expensive": "pricier", "expensive": "pricier", "higher price": "pricier",
    "premium": "pricier", "better": "pricier", "higher end": "pricier", "fancier": "pricier",
    "more": "more", "next": "more", "next page": "more", "show more": "more", "others": "more", "other": "more",
    "more results": "more", "more options": "more",
}
_QUERY_TEXT_FIELDS = ("text", "category", "subcategory", "brand", "color", "size")


def _average(prices: list[Decimal]) -> Decimal | None:
    values = [to_money(p) for p in prices if p is not None]
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def _apply_changes(query: SearchQuery, changes: Mapping[str, object]) -> SearchQuery:
    """`changes` over the query: a None value clears that filter, a bad value is ignored."""
    values: dict[str, object] = {}
    for name, value in changes.items():
        if name in _QUERY_TEXT_FIELDS:
            parsed: object = _text_value(value)
        elif name in ("price_min", "price_max"):
            parsed = _price_value(value)
        elif name == "sort":
            parsed = value if value in SORTS else None
        elif name == "in_stock_only":
            parsed = value if isinstance(value, bool) else None
        else:
            continue
        if parsed is None and value is not None:
            continue  # a bad value: keep what was there
        if parsed is None and name in ("sort", "in_stock_only"):
            continue
        values[name] = parsed
    if "category" in values and "subcategory" not in values:
        values["subcategory"] = None  # a new kind of product: the old narrower kind no longer applies
    if "subcategory" in values and "category" not in values and values["subcategory"] is not None:
        values["category"] = None
    return replace(query, **values)


def refine(previous: SearchQuery, *, refinement: str | None = None, changes: dict | None = None,
           shown_prices: list[Decimal] | None = None, page_size: int = 5) -> SearchQuery:
    """The next query of a conversation: earlier filters kept, `changes` applied, cheaper/pricier/more."""
    query = _apply_changes(previous, changes) if isinstance(changes, Mapping) else previous
    kind = _REFINEMENTS.get(" ".join((refinement or "").lower().split()))
    average = _average(shown_prices or [])
    if kind == "cheaper":
        reference = average if average is not None else query.price_max
        if reference is None:  # nothing to compare with: show the cheapest first
            query = replace(query, sort="price_asc")
        else:
            ceiling = max(reference - CENT, Decimal("0.00"))
            floor = query.price_min if query.price_min is not None and query.price_min <= ceiling else None
            query = replace(query, price_max=ceiling, price_min=floor)
    elif kind == "pricier":
        reference = average if average is not None else query.price_min
        if reference is None:
            query = replace(query, sort="price_desc")
        else:
            floor = reference + CENT
            ceiling = query.price_max if query.price_max is not None and query.price_max >= floor else None
            query = replace(query, price_min=floor, price_max=ceiling)
    if query != previous:
        return replace(query, offset=0)
    if kind == "more":
        return replace(query, offset=max(previous.offset, 0) + max(int(page_size), 1))
    return query


# ---------------------------------------------------------------------------------------------- slots and text


def query_to_dict(q: SearchQuery) -> dict:
    """A JSON-safe dict of the query (Decimals as strings, unset filters left out)."""
    result: dict[str, object] = {}
    for name in _QUERY_TEXT_FIELDS:
        value = getattr(q, name)
        if value:
            result[name] = value
    for name in ("price_min", "price_max"):
        value = getattr(q, name)
        if value is not None:
            result[name] = str(to_money(value))
    result.update(in_stock_only=bool(q.in_stock_only), sort=q.sort, offset=int(q.offset), limit=int(q.limit))
    return result


def _text_value(value: object) -> str | None:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())[:200]
    return value or None


def _price_value(value: object) -> Decimal | None:
    try:
        amount = to_money(value)
    except (ValueError, ArithmeticError):
        return None
    return amount if amount >= 0 else None


def _int_value(value: object, default: int, low: int, high: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        number = int(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        return default
    return number if low <= number <= high else default


def query_from_dict(d: dict) -> SearchQuery:
    """The query stored by `query_to_dict`; unknown keys are ignored and bad values dropped."""
    if not isinstance(d, Mapping):
        return SearchQuery()
    values: dict[str, object] = {name: _text_value(d.get(name)) for name in _QUERY_TEXT_FIELDS}
    values["price_min"] = _price_value(d.get("price_min"))
    values["price_max"] = _price_value(d.get("price_max"))
    stock = d.get("in_stock_only", True)
    if isinstance(stock, str):
        stock = stock.strip().lower() not in ("false", "0", "no", "off")
    values["in_stock_only"] = stock if isinstance(stock, bool) else True
    values["sort"] = d.get("sort") if d.get("sort") in SORTS else "relevance"
    values["offset"] = _int_value(d.get("offset"), 0, 0, 10_000)
    values["limit"] = _int_value(d.get("limit"), 5, 1, MAX_LIMIT)
    return SearchQuery(**values)  # type: ignore[arg-type]


def _amount_text(amount: Decimal, currency: str) -> str:
    shown = format_money(amount, currency)
    return shown.replace(".00", "") if amount == amount.to_integral_value() else shown


def describe(q: SearchQuery, *, currency: str | None = None) -> str:
    """A short plain description of the query, e.g. 'running shoes, brand Northpeak, blue, size 10, under $100'."""
    currency = currency or get_settings().currency
    subject = " ".join(filter(None, [q.text, q.subcategory or q.category]))
    if q.subcategory and q.category and fold(q.subcategory) != fold(q.category):
        subject = f"{subject} in {q.category}"
    parts = [subject] if subject else []
    if q.brand:
        parts.append(f"brand {q.brand}")
    if q.color:
        parts.append(q.color)
    if q.size:
        parts.append(f"size {q.size}")
    if q.price_min is not None and q.price_max is not None:
        parts.append(f"{_amount_text(q.price_min, currency)} to {_amount_text(q.price_max, currency)}")
    elif q.price_max is not None:
        parts.append(f"under {_amount_text(q.price_max, currency)}")
    elif q.price_min is not None:
        parts.append(f"over {_amount_text(q.price_min, currency)}")
    if q.sort == "price_asc":
        parts.append("cheapest first")
    elif q.sort == "price_desc":
        parts.append("most expensive first")
    elif q.sort == "rating":
        parts.append("best rated first")
    return ", ".join(parts) if parts else "all products"


__all__ = [
    "SORTS", "describe", "fold", "fts_expression", "match_product_names", "phrase_forms", "plural", "query_from_dict",
    "query_to_dict", "refine", "search", "search_terms", "singular", "size_sort_key", "understand",
]
