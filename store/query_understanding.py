"""Shopper text -> search filters: catalog words (kinds, brands, colours), sizes, prices and sort cues.

Pure functions over the catalog's `Vocabulary`; nothing here touches the database.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz, process

from store.catalog import Vocabulary
from store.money import CENT, to_money
from store.types import SearchQuery

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
    should will shall may might must been being was were
    actually instead now ok okay oh well rather hmm um uh anyway anyways wait sorry again""".split()
)
SORT_CUES = {
    "price_asc": ("cheapest", "cheap", "cheaper", "affordable", "inexpensive", "budget", "lowest price", "low cost",
                  "low price"),
    "price_desc": ("most expensive", "priciest", "premium", "luxury", "high end", "highest price"),
    "rating": ("best rated", "top rated", "highest rated", "best reviewed", "best", "most popular", "popular"),
}
_CUE_WORDS = frozenset(word for cues in SORT_CUES.values() for cue in cues for word in cue.split())
# Colours understood even when the catalog has none of them (so "red" can be relaxed instead of searched as text).
COMMON_COLORS = frozenset(
    "black white red blue green yellow orange purple pink brown grey gray beige navy silver gold burgundy".split()
)
COLOR_ALIASES = {"grey": ("gray",), "gray": ("grey",)}
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


def compact(key: str) -> str:
    """A folded phrase without its spaces ('head set' -> 'headset')."""
    return key.replace(" ", "")


# ---------------------------------------------------------------------------------------------- vocabulary index


@dataclass
class VocabularyIndex:
    """Folded forms of the vocabulary, for matching shopper words."""

    categories: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (field, display)
    brands: dict[str, str] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, str] = field(default_factory=dict)
    compact_categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    compact_brands: dict[str, str] = field(default_factory=dict)
    category_keys: list[str] = field(default_factory=list)
    brand_keys: list[str] = field(default_factory=list)
    known_words: frozenset[str] = frozenset()  # every folded word of product names, kinds and brands
    longest: int = 1


def build_index(vocabulary: Vocabulary) -> VocabularyIndex:
    """The folded forms of a vocabulary: kinds, brands, colours, sizes and every catalog word."""
    index = VocabularyIndex()
    for field_name, values in (("subcategory", vocabulary.subcategories), ("category", vocabulary.categories)):
        for value in values:  # categories last: a word that is both is taken as the category
            for form in phrase_forms(value):
                index.categories[form] = (field_name, value)
                index.compact_categories[compact(form)] = (field_name, value)
    for value in vocabulary.brands:
        key = fold(value)
        words = key.split()
        keys = [key] + ([" ".join(words[:-1])] if len(words) > 1 and words[-1] in _COMPANY_SUFFIXES else [])
        for form in filter(None, keys):
            index.brands.setdefault(form, value)
            index.compact_brands.setdefault(compact(form), value)
    for value in vocabulary.colors:
        key = fold(value)
        if key:
            index.colors.setdefault(key, value)
            for alias in COLOR_ALIASES.get(key, ()):
                index.colors.setdefault(alias, value)
    for value in vocabulary.sizes:
        key = fold(value)
        if key:
            index.sizes.setdefault(key, value)
    index.category_keys = list(index.categories)
    index.brand_keys = list(index.brands)
    keys = list(index.categories) + list(index.brands) + list(index.colors)
    index.longest = max([len(k.split()) for k in keys] + [1])
    index.known_words = frozenset(_catalog_words(vocabulary))
    return index


def _catalog_words(vocabulary: Vocabulary) -> set[str]:
    """Every folded word the catalog uses in product names, kinds and brands."""
    known: set[str] = set()
    for values in (vocabulary.product_names, vocabulary.subcategories, vocabulary.categories, vocabulary.brands):
        for value in values:
            known.update(fold(value).split())
    return known


_INDEX_CACHE: dict[int, tuple[Vocabulary, VocabularyIndex]] = {}


_CACHE_LOCK = threading.Lock()


def index_for(vocabulary: Vocabulary) -> VocabularyIndex:
    """The index of a vocabulary, built once per Vocabulary object."""
    with _CACHE_LOCK:
        cached = _INDEX_CACHE.get(id(vocabulary))
    if cached is not None and cached[0] is vocabulary:
        return cached[1]
    index = build_index(vocabulary)
    with _CACHE_LOCK:
        if len(_INDEX_CACHE) >= 8:
            _INDEX_CACHE.pop(next(iter(_INDEX_CACHE)))
        _INDEX_CACHE[id(vocabulary)] = (vocabulary, index)
    return index


def closest_spelling(key: str, choices: list[str]) -> str | None:
    """The closest choice to `key` (same first two letters, score >= FUZZY_CUTOFF), or None."""
    if len(compact(key)) < 4:
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


def find_prices(text_value: str) -> tuple[Decimal | None, Decimal | None, list[tuple[int, int]]]:
    """Price bounds said in lower-case text (min, max) and the character spans that said them."""
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


def _size_display(raw: str, index: VocabularyIndex) -> str | None:
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


def _find_size(text_value: str, index: VocabularyIndex) -> tuple[str | None, list[tuple[int, int]]]:
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
    kind_spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # category/subcategory -> token span


def _windows(tokens: list[str | None], used: list[bool], n: int) -> Iterable[tuple[int, str]]:
    for start in range(len(tokens) - n + 1):
        window = tokens[start:start + n]
        if any(t is None for t in window) or any(used[start:start + n]):
            continue
        yield start, " ".join(window)  # type: ignore[arg-type]


def _take(found: _Found, kind: str, value: object, span: tuple[int, int]) -> bool:
    if kind == "category":
        field_name, display = value  # type: ignore[misc]
        if getattr(found, field_name) is None:
            setattr(found, field_name, display)
            found.kind_spans[field_name] = span
            return True
        return False
    if getattr(found, kind) is None:
        setattr(found, kind, value)
        return True
    return False


def _match_vocabulary(tokens: list[str | None], used: list[bool], index: VocabularyIndex, found: _Found,
                      not_kinds: set[int]) -> None:
    """Colours, categories and brands said in the text, longest phrase first, exact before fuzzy.

    Tokens at the positions `not_kinds` are not taken as a kind of product.
    """
    exact_tables = (("color", index.colors), ("category", index.categories), ("brand", index.brands))
    for n in range(min(index.longest + 1, len(tokens)), 0, -1):
        for start, key in list(_windows(tokens, used, n)):
            if any(used[start:start + n]):
                continue
            span = (start, start + n)
            kinds_allowed = not_kinds.isdisjoint(range(start, start + n))
            for kind, table in exact_tables:
                if (kind != "category" or kinds_allowed) and key in table and _take(found, kind, table[key], span):
                    used[start:start + n] = [True] * n
                    break
            else:
                joined = compact(key)
                for kind, table in (("category", index.compact_categories), ("brand", index.compact_brands)):
                    if kind == "category" and not kinds_allowed:
                        continue
                    if joined in table and _take(found, kind, table[joined], span):
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
            if all(w in index.known_words for w in words):
                continue  # words the catalog itself uses are not typos ('projector' is not 'projection')
            span = (start, start + n)
            if found.category is None and found.subcategory is None and not_kinds.isdisjoint(range(*span)):
                choice = closest_spelling(key, index.category_keys)
                if choice and _take(found, "category", index.categories[choice], span):
                    used[start:start + n] = [True] * n
                    continue
            if found.brand is None:
                choice = closest_spelling(key, index.brand_keys)
                if choice and _take(found, "brand", index.brands[choice], span):
                    used[start:start + n] = [True] * n


def _modifier_kind(tokens: list[str | None], used: list[bool], found: _Found) -> str | None:
    """A kind said right before another plain word describes that word ('usb hub', 'bluetooth speaker')."""
    for field_name, (_start, end) in found.kind_spans.items():
        after = tokens[end] if end < len(tokens) else None
        if (after is not None and not used[end] and after not in STOP_WORDS and not after.isdigit()
                and after not in COMMON_COLORS and after not in _LETTER_SIZES and after not in _CUE_WORDS):
            return field_name
    return None


def _match_cues(tokens: list[str | None], used: list[bool], index: VocabularyIndex, found: _Found) -> None:
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


def _model_numbers(tokens: list[str | None], used: list[bool], index: VocabularyIndex) -> list[str]:
    """Unused numbers said right after a kind or brand word: model numbers ('playstation 4'), not quantities."""
    kept = []
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i > 0 else None
        if (token is not None and token.isdigit() and not used[i] and before is not None and used[i - 1]
                and before not in index.colors and before not in COMMON_COLORS and before not in _LETTER_SIZES
                and before not in _CUE_WORDS):
            kept.append(token)
    return kept


def understand(text: str, vocabulary: Vocabulary) -> SearchQuery:
    """Turn free shopper text into search filters using the catalog's vocabulary."""
    index = index_for(vocabulary)
    lowered = " ".join((text or "").lower().split())
    lowered = lowered.replace("\u2019", "'")
    found = _Found()
    found.size, size_spans = _find_size(lowered, index)
    masked = lowered
    for start, end in size_spans:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    price_min, price_max, price_spans = find_prices(masked)
    quantity_spans = [m.span() for m in _QUANTITY_PATTERN.finditer(masked)
                      if not any(s < m.end() and m.start() < e for s, e in price_spans)]
    tokens = _segments(lowered, size_spans + price_spans + quantity_spans)
    used = [False] * len(tokens)
    not_kinds: set[int] = set()
    _match_vocabulary(tokens, used, index, found, not_kinds)
    while (modifier := _modifier_kind(tokens, used, found)) is not None:
        start, end = found.kind_spans.pop(modifier)
        setattr(found, modifier, None)
        used[start:end] = [False] * (end - start)
        not_kinds.update(range(start, end))  # the words stay search text; another phrase may still be the kind
        _match_vocabulary(tokens, used, index, found, not_kinds)
    _match_cues(tokens, used, index, found)
    rest = [t for t, u in zip(tokens, used, strict=True) if t is not None and not u and t not in STOP_WORDS]
    if all(t.isdigit() for t in rest):  # a lone number left over ("size 8 to 10") says nothing to search...
        rest = _model_numbers(tokens, used, index)  # ...unless it follows a catalog word ("playstation 4")
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


__all__ = [
    "COLOR_ALIASES", "COMMON_COLORS", "STOP_WORDS", "SORT_CUES", "VocabularyIndex", "build_index", "closest_spelling",
    "compact", "find_prices", "fold", "index_for", "phrase_forms", "plural", "singular", "understand",
]
