"""Catalog-aware entity matching on a blank English spaCy pipeline (no Rasa here: see catalog_entities.py).

CatalogMatcher finds, in a shopper's message:

- the catalog's words with a PhraseMatcher: ``brand``, ``category`` (categories, subcategories and the
  singular/plural/'and' spellings import-catalog lists for them), ``color``, ``product`` (full names) and the
  sizes that cannot be mistaken for anything else ("XL", "one size");
- the same words misspelt ("nothpeak", "headphnes"): a word the training data never uses that is one or two
  edits away from a catalog word (rapidfuzz, same first letter, longer words only);
- patterns (spaCy Matcher and token rules) for ``price_min``/``price_max`` ("under $100", "between 50 and
  80", "less than 20 bucks", "$30 or more", "around 60 dollars"), ``size`` after a cue ("size 10", "in a
  medium"), ``quantity`` ("add 2", "three of those", "a pair of") and ``mention`` ("the second one", "#3",
  "option 2", "that one").

Values: catalog words in the catalog's spelling, typos corrected, categories as typed (the entity synonym
mapper maps spellings to the catalog's value), prices as plain numbers ("1,000" -> "1000", "twenty" ->
"20"), quantities and mentions as typed (actions/mentions.py reads them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import spacy
from rapidfuzz.distance import Levenshtein
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

BRAND, CATEGORY, COLOR, SIZE, PRODUCT = "brand", "category", "color", "size", "product"
PRICE_MIN, PRICE_MAX, QUANTITY, MENTION = "price_min", "price_max", "quantity", "mention"
COUPON_CODE = "coupon_code"
CATALOG_ENTITIES = (BRAND, CATEGORY, COLOR, SIZE, PRODUCT)
PATTERN_ENTITIES = (PRICE_MIN, PRICE_MAX, QUANTITY, MENTION, SIZE)

# Colours a shopper may ask for even when the catalog has none of them (the search then says so).
BASIC_COLORS = ("black", "white", "red", "blue", "green", "yellow", "orange", "purple", "pink", "brown", "grey",
                "gray", "beige", "navy", "silver", "gold")
LETTER_SIZES = ("xxxs", "xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl", "5xl")
SIZE_WORDS = {"small": "S", "medium": "M", "large": "L", "extra small": "XS", "extra large": "XL",
              "x-small": "XS", "x-large": "XL", "extra-small": "XS", "extra-large": "XL"}
# A letter size that is also an English word or letter is a size only after a cue ("size m", "in a l").
_UNSAFE_ALONE = {"s", "m", "l"}

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
QUANTITY_PHRASES = ("a pair", "a couple", "a couple of", "a dozen", "half a dozen")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "1st",
            "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "last", "final", "penultimate")
_ORDINAL_NOT_MENTION = {"time", "times", "order", "orders", "purchase", "aid", "class", "name", "place", "thing",
                        "things", "date", "step", "impression", "half", "hand", "floor", "of", "day", "days", "week",
                        "weeks", "night", "month", "months", "year", "years", "season", "weekend", "minute", "visit",
                        "chance", "call", "episode", "game", "match", "round", "quarter", "semester", "payment"}
# an ordinal beside these is a date ("march 10th", "monday the 5th", "the 3rd of may"), not a product reference
_DATE_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
               "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# "from the 5th to the 9th": a numeric ordinal between these and "the" is a day of the month
_DATE_LINKS = {"from", "to", "through", "thru", "till", "until", "between", "and", "-", "on", "by", "since"}
_CURRENCY_SYMBOLS = {"$", "€", "£"}
_COLOUR_FOLLOWERS = {"colour", "color", "one", "ones", "version", "shade", "finish", "variant"}
_CURRENCY_WORDS = {"dollar", "dollars", "buck", "bucks", "usd", "eur", "euro", "euros", "quid", "gbp", "pounds"}
# after a number, these make it a measure, a share or a time ("55 inch", "2 tb", "30 days"): not an amount of money
MEASURE_WORDS = frozenset({
    "%", "percent", "days", "day", "weeks", "week", "months", "month", "years", "year", "hours", "minutes", "inch",
    "inches", "in.", '"', "cm", "mm", "m", "metre", "metres", "meter", "meters", "ft", "feet", "foot", "kg", "g", "lb",
    "lbs", "gb", "tb", "mb", "mp", "mah", "hz", "ghz", "w", "watt", "watts", "v", "volt", "volts", "st", "nd", "rd",
    "th", "am", "pm"})
_NOT_QUANTITY_AFTER = _CURRENCY_WORDS | _CURRENCY_SYMBOLS | MEASURE_WORDS | {"k"}

MAX_CUES = ("under", "below", "less than", "cheaper than", "lower than", "up to", "upto", "max", "maximum",
            "at most", "no more than", "not more than", "not over", "no higher than", "within", "budget of",
            "budget is", "budget", "tops", "<", "<=", "beneath", "not above", "no over")
MIN_CUES = ("over", "above", "more than", "greater than", "higher than", "at least", "min", "minimum",
            "starting at", "starting from", "upwards of", "no less than", ">", ">=", "not under", "not below")
AROUND_CUES = ("around", "about", "approximately", "approx", "roughly", "~", "close to", "near")
MAX_AFTER = ("or less", "or under", "or below", "or cheaper", "and under", "and below", "max", "maximum", "tops",
             "at most", "or lower")
MIN_AFTER = ("or more", "and up", "and above", "and over", "plus", "+", "or higher", "and higher", "at least")
# a price word after one of these is a comparison ("less expensive": cheaper than shown), not a price level
_LEVEL_NEGATIONS = {"less", "more", "not", "too", "least", "so", "that", "any", "bit"}
# "cheap" and "expensive" without an amount: the cheapest or dearest third of the kind of product asked for
CHEAP_WORDS = ("cheap", "inexpensive", "affordable", "budget", "low cost", "low-cost", "bargain", "cheapo",
               "not expensive", "not too expensive", "not very expensive", "not that expensive", "not pricey",
               "not too pricey", "reasonably priced", "economical")
EXPENSIVE_WORDS = ("expensive", "pricey", "premium", "high end", "high-end", "luxury", "top of the line", "upscale")
# "90 tops", "50 max": a maximum price without a currency (other words after a number need one)
_SELF_EVIDENT_MAX_AFTER = {"tops", "max", "maximum"}
_PRICE_WORDS = {"price", "priced", "cost", "costs", "costing", "budget", "spend", "pay", "for", "paying"}

_CHEAP, _EXPENSIVE = "\x00cheap", "\x00expensive"  # placeholders until the category's price band is known
_FUZZY_MIN_LENGTH = 5
_WORD = re.compile(r"[^\W\d_][\w'&-]*", re.UNICODE)


@dataclass(frozen=True)
class Found:
    """One entity: its type, character span in the text, value and the text it covers."""

    entity: str
    start: int
    end: int
    value: str
    text: str
    claim_end: int | None = None  # words after the entity that belong to it ("one" in "the second one")

    @property
    def claimed(self) -> tuple[int, int]:
        """The span no other extractor may take an entity from."""
        return self.start, max(self.end, self.claim_end or self.end)


@dataclass
class CatalogWords:
    """The words the matcher knows: the catalog's (from import-catalog's vocabulary file) and training words."""

    brands: list[str] = field(default_factory=list)
    categories: dict[str, list[str]] = field(default_factory=dict)  # catalog value -> other spellings
    colors: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    known_words: set[str] = field(default_factory=set)  # words of the training data: never typos
    # lower-case category (or "*" for the whole catalog) -> {"cheap_max": "54.99", "expensive_min": "129"}
    price_bands: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_document(cls, document: Mapping[str, object], known_words: Iterable[str] = ()) -> CatalogWords:
        """From the JSON document store.lookups writes (unknown or malformed parts are left empty)."""
        def strings(value: object) -> list[str]:
            return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()] \
                if isinstance(value, list) else []

        categories = document.get("category")
        if isinstance(categories, list):
            categories = {str(c): [] for c in categories}
        categories = {str(k): strings(v) for k, v in categories.items()} if isinstance(categories, dict) else {}
        bands = document.get("price_bands")
        bands = {str(k).lower(): {str(n): str(v) for n, v in band.items() if _number(str(v)) is not None}
                 for k, band in bands.items() if isinstance(band, dict)} if isinstance(bands, dict) else {}
        return cls(brands=strings(document.get("brand")), categories=categories,
                   colors=strings(document.get("color")), sizes=strings(document.get("size")),
                   products=strings(document.get("product")), known_words={w.lower() for w in known_words},
                   price_bands=bands)

    @classmethod
    def from_file(cls, path: Path, known_words: Iterable[str] = ()) -> CatalogWords:
        """From the vocabulary file; ValueError when it is not JSON; FileNotFoundError when missing."""
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path} is not a valid catalog vocabulary file: {exc}") from None
        if not isinstance(document, dict):
            raise ValueError(f"{path} is not a valid catalog vocabulary file: not a JSON object")
        return cls.from_document(document, known_words)

    def to_document(self) -> dict[str, object]:
        """What the Rasa component persists with the model."""
        return {"brand": self.brands, "category": self.categories, "color": self.colors, "size": self.sizes,
                "product": self.products, "price_bands": self.price_bands, "known_words": sorted(self.known_words)}


def words_of(texts: Iterable[str]) -> set[str]:
    """The lower-case words of some texts (training examples: the words that are no typos)."""
    found: set[str] = set()
    for text in texts:
        found.update(match.group(0).lower() for match in _WORD.finditer(text or ""))
    return found


def _number(text: str) -> Decimal | None:
    """A price or count said with digits ("1,299.50", "1k") or a simple number word ("twenty")."""
    raw = text.lower().replace(",", "").strip()
    if raw in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[raw])
    thousands = raw.endswith("k")
    raw = raw[:-1] if thousands else raw
    if not re.fullmatch(r"\d+(?:\.\d{1,2})?|\.\d{1,2}", raw):
        return None
    try:
        value = Decimal(raw) * (1000 if thousands else 1)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value < Decimal("10000000") else None


def _plain(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def _blank_english() -> spacy.language.Language:
    """spaCy's blank English tokenizer, also splitting price ranges ("$40-$90", "40-90") at the dash."""
    nlp = spacy.blank("en")
    infixes = [*nlp.Defaults.infixes, r"(?<=[0-9])[-–—](?=[$€£0-9])", r"(?<=[-–—])[$€£](?=[0-9])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    return nlp


def _words(phrase: str) -> list[dict[str, str]]:
    return [{"LOWER": word} for word in phrase.split()]


def _hyphen_words(phrase: str) -> list[dict[str, str]]:
    """Token pattern of a phrase as spaCy splits it ("low-cost" is "low", "-", "cost")."""
    return [{"LOWER": word} for word in phrase.replace("-", " - ").split()]


class CatalogMatcher:
    """Finds catalog words and price/size/quantity/mention patterns in a message. Build once, call often."""

    def __init__(self, words: CatalogWords, *, fuzzy: bool = True, max_edits: int = 2) -> None:
        self.words = words
        self.fuzzy = fuzzy
        self.max_edits = max_edits
        self.nlp = _blank_english()
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._values: dict[str, str] = {}  # match id string -> value
        self._fuzzy_terms: dict[int, list[tuple[str, str, str]]] = {}  # n words -> (term, kind, value)
        self._sizes = {s.lower(): s for s in words.sizes}
        self._add_catalog_phrases()
        self._patterns = Matcher(self.nlp.vocab)
        self._add_patterns()

    # ----------------------------------------------------------------------------------------------- building

    def _add(self, kind: str, value: str, forms: Iterable[str]) -> None:
        key = f"{kind}\x1f{value}"
        self._values[key] = value
        docs = [self.nlp.make_doc(form) for form in {f.strip() for f in forms} if form]
        if docs:
            self._phrases.add(key, docs)

    def _add_catalog_phrases(self) -> None:
        words = self.words
        for brand in words.brands:
            self._add(BRAND, brand, [brand])
        for category, spellings in words.categories.items():
            for form in [category, *spellings]:
                self._add(CATEGORY, form.lower(), [form])
        colors = {c.lower(): c for c in BASIC_COLORS}
        colors.update({c.lower(): c for c in words.colors})
        for lowered, color in colors.items():
            self._add(COLOR, color, [color, lowered.replace("-", " ")])
        for product in words.products:
            self._add(PRODUCT, product, product_forms(product, words.brands))
        for size in words.sizes:
            lowered = size.lower()
            if _safe_alone_size(lowered):
                self._add(SIZE, size, [size])
        for letters in LETTER_SIZES:
            if letters not in _UNSAFE_ALONE and letters not in self._sizes:
                self._add(SIZE, letters.upper(), [letters])
        if self.fuzzy:
            terms: list[tuple[str, str, str]] = [(b.lower(), BRAND, b) for b in words.brands]
            for category, spellings in words.categories.items():
                terms += [(form.lower(), CATEGORY, category) for form in [category, *spellings]]
            terms += [(lowered, COLOR, color) for lowered, color in colors.items()]
            for term, kind, value in terms:
                if len(term.replace(" ", "")) >= _FUZZY_MIN_LENGTH:
                    self._fuzzy_terms.setdefault(len(term.split()), []).append((term, kind, value))

    def _add_patterns(self) -> None:
        number = {"TEXT": {"REGEX": r"^(?:\d[\d,]*(?:\.\d{1,2})?k?|\.\d{1,2})$"}}
        word_number = {"LOWER": {"IN": sorted(NUMBER_WORDS)}}
        amount_starts = [[{"TEXT": {"IN": sorted(_CURRENCY_SYMBOLS)}, "OP": "?"}, number],
                         [word_number]]
        unit = {"LOWER": {"IN": sorted(_CURRENCY_WORDS | _CURRENCY_SYMBOLS)}, "OP": "?"}
        for cue in MAX_CUES:
            for amount in amount_starts:
                self._patterns.add("PRICE_MAX", [_words(cue) + [{"LOWER": "of", "OP": "?"}] + amount + [unit]])
        for cue in MIN_CUES:
            for amount in amount_starts:
                self._patterns.add("PRICE_MIN", [_words(cue) + amount + [unit]])
        for cue in AROUND_CUES:
            for amount in amount_starts:
                self._patterns.add("PRICE_AROUND", [_words(cue) + amount + [unit]])
        for after in MAX_AFTER:
            for amount in amount_starts:
                self._patterns.add("PRICE_MAX_AFTER", [amount + [unit] + _words(after)])
        for after in MIN_AFTER:
            for amount in amount_starts:
                self._patterns.add("PRICE_MIN_AFTER", [amount + [unit] + _words(after)])
        joiners = {"LOWER": {"IN": ["and", "to", "-", "–", "—", "through"]}}
        for first in amount_starts:
            for second in amount_starts:
                self._patterns.add("PRICE_BETWEEN", [[{"LOWER": {"IN": ["between", "from"]}}] + first + [unit]
                                                     + [joiners] + second + [unit]])
                self._patterns.add("PRICE_RANGE", [first + [unit] + [joiners] + second + [unit]])
        for phrase in CHEAP_WORDS:
            self._patterns.add("PRICE_CHEAP", [_hyphen_words(phrase)])
        for phrase in EXPENSIVE_WORDS:
            self._patterns.add("PRICE_EXPENSIVE", [_hyphen_words(phrase)])
        symbol = {"TEXT": {"IN": sorted(_CURRENCY_SYMBOLS)}}
        self._patterns.add("PRICE_BARE", [[symbol, number], [number, {"LOWER": {"IN": sorted(_CURRENCY_WORDS)}}],
                                          [word_number, {"LOWER": {"IN": sorted(_CURRENCY_WORDS)}}],
                                          [number, symbol]])
        # sizes after a cue: "size 10", "sz M", "size: 9.5", "in a medium", "in size L", "in XL"
        size_value = {"LOWER": {"REGEX": r"^(?:\d{1,2}(?:[.,]5)?|[a-z0-9]{1,5}|small|medium|large)$"}}
        self._patterns.add("SIZE_CUED", [[{"LOWER": {"IN": ["size", "sz", "sized", "sizes"]}},
                                          {"TEXT": {"IN": [":", "#"]}, "OP": "?"}, size_value],
                                         [{"LOWER": {"IN": ["size", "sz", "sized"]}},
                                          {"LOWER": {"IN": ["extra", "x"]}}, {"LOWER": {"IN": ["small", "large"]}}],
                                         [{"LOWER": "in"}, {"LOWER": {"IN": ["a", "an", "size"]}, "OP": "?"},
                                          {"LOWER": {"IN": ["extra", "x"]}, "OP": "?"},
                                          {"LOWER": {"IN": ["small", "medium", "large", "xs", "xl", "xxl", "xxs",
                                                            "xxxl", "2xl", "3xl", "s", "m", "l"]}}],
                                         [{"LOWER": "in"}, {"LOWER": {"IN": ["a", "an"]}},
                                          {"TEXT": {"REGEX": r"^\d{1,2}(?:[.,]5)?$"}}]])
        word_sizes = sorted({s.lower() for s in self.words.sizes if re.fullmatch(r"[a-z]{2,}", s.lower())}
                            - set(LETTER_SIZES))
        if word_sizes:  # "king size", "a queen sized duvet", "size twin"
            self._patterns.add("SIZE_CUED", [[{"LOWER": {"IN": word_sizes}}, {"LOWER": {"IN": ["size", "sized"]}}],
                                             [{"LOWER": {"IN": ["size", "sized"]}}, {"LOWER": {"IN": word_sizes}}]])
        # quantities: "add 2", "three of those", "2 pairs", "x3", "make it 4", "a couple of"
        count = {"LOWER": {"REGEX": r"^(?:[1-9]\d{0,2}|one|two|three|four|five|six|seven|eight|nine|ten|"
                                    r"eleven|twelve|twenty)$"}}
        verbs = ["add", "buy", "get", "want", "need", "take", "grab", "put", "purchase", "throw"]  # not "order 123"
        self._patterns.add("QUANTITY_AFTER_VERB", [[{"LOWER": {"IN": verbs}}, {"LOWER": "me", "OP": "?"}, count]])
        self._patterns.add("QUANTITY_SET", [[{"LOWER": "make"}, {"LOWER": {"IN": ["it", "that", "them"]}}, count],
                                            [{"LOWER": {"IN": ["change", "set", "update", "increase", "reduce",
                                                               "lower", "raise", "bump"]}},
                                             {"LOWER": {"IN": ["it", "that", "quantity", "qty", "them"]}, "OP": "?"},
                                             {"LOWER": {"IN": ["to", "at"]}}, count],
                                            [{"LOWER": {"IN": ["qty", "quantity"]}},
                                             {"LOWER": {"IN": ["of", "to", ":", "="]}, "OP": "?"}, count]])
        self._patterns.add("QUANTITY_BEFORE", [[count, {"LOWER": {"IN": ["pairs", "pair", "pieces", "piece", "pcs",
                                                                         "units", "unit", "items", "copies", "x",
                                                                         "packs", "sets", "boxes"]}}],
                                               [count, {"LOWER": "of"},
                                                {"LOWER": {"IN": ["these", "those", "them", "it", "this", "that",
                                                                  "the", "each", "your"]}}]])
        self._patterns.add("QUANTITY_TIMES", [[{"LOWER": {"REGEX": r"^(?:x[1-9]\d?|[1-9]\d?x)$"}}]])
        for phrase in QUANTITY_PHRASES:
            self._patterns.add("QUANTITY_PHRASE", [_words(phrase) + [{"LOWER": "of", "OP": "?"}]])
        # coupon codes after a cue: "use code SPRING15", "promo: BLACKFRI30", "voucher code welcome10"
        code = {"TEXT": {"REGEX": r"^[A-Za-z0-9][A-Za-z0-9_-]{2,23}$"}}
        self._patterns.add("COUPON", [[{"LOWER": {"IN": ["code", "coupon", "promo", "voucher", "discount"]}},
                                       {"LOWER": {"IN": ["code", "is", ":"]}, "OP": "?"},
                                       {"LOWER": {"IN": ["is", ":"]}, "OP": "?"}, code]])
        # mentions: "the second one", "#2", "number 3", "option 1", "that one", "the last one"
        self._patterns.add("MENTION_ORDINAL", [[{"LOWER": {"IN": list(ORDINALS)}}]])
        self._patterns.add("MENTION_FROM_END", [[{"LOWER": {"IN": ["second", "next"]}}, {"LOWER": "to"},
                                                 {"LOWER": "last"}],
                                                [{"LOWER": "second"}, {"LOWER": "last"}]])
        self._patterns.add("MENTION_NUMBER", [[{"TEXT": "#"}, {"TEXT": {"REGEX": r"^[1-9]\d?$"}}],
                                              [{"TEXT": {"REGEX": r"^#[1-9]\d?$"}}],
                                              [{"LOWER": {"IN": ["number", "option", "no", "no.", "item", "result",
                                                                 "choice", "nr"]}},
                                               {"TEXT": {"REGEX": r"^[1-9]\d?$"}}]])
        self._patterns.add("MENTION_DEICTIC", [[{"LOWER": {"IN": ["that", "this"]}},
                                                {"LOWER": {"IN": ["one", "item", "product", "model", "pair"]}}]])

    # ----------------------------------------------------------------------------------------------- matching

    def extract(self, text: str) -> list[Found]:
        """Every entity found in `text`, in text order, spans never overlapping."""
        if not text or not text.strip():
            return []
        doc = self.nlp.make_doc(text)
        candidates = self._pattern_entities(doc) + self._catalog_entities(doc)
        taken = _non_overlapping(candidates)
        if self.fuzzy:
            taken = _non_overlapping(taken + self._fuzzy_entities(doc, taken))
        taken = [f for f in taken if not self._ambiguous_colour(doc, f, taken)]
        return sorted(self._price_levels(taken), key=lambda f: f.start)

    def _ambiguous_colour(self, doc: Doc, item: Found, found: list[Found]) -> bool:
        """A catalog colour that is also an everyday word of the training data ("clear my cart") is a colour
        only after "in"/"colour" or before "colour"/"one"/a category or product ("the clear bottle")."""
        word = item.text.lower()
        if item.entity != COLOR or word in BASIC_COLORS or word not in self.words.known_words:
            return False
        span = doc.char_span(item.start, item.end)
        if span is None:
            return False
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        if before in ("in", "colour", "color", "coloured", "colored") or after in _COLOUR_FOLLOWERS:
            return False
        following = doc[span.end].idx if span.end < len(doc) else None
        return not any(f.start == following and f.entity in (CATEGORY, PRODUCT) for f in found)

    def _price_levels(self, found: list[Found]) -> list[Found]:
        """"cheap"/"expensive" (kept as price_max/price_min with the word as value) -> the price band of the
        category said in the message, else of the whole catalog; dropped when a price was given in numbers
        or the catalog has no prices."""
        levels = [f for f in found if f.value in (_CHEAP, _EXPENSIVE)]
        if not levels:
            return found
        rest = [f for f in found if f not in levels]
        if any(f.entity in (PRICE_MIN, PRICE_MAX) for f in rest):
            return rest
        band = self.words.price_bands.get("*")
        for item in rest:
            if item.entity == CATEGORY:
                band = self.words.price_bands.get(self._category_key(item.value)) or band
                break
        if not band:
            return rest
        for item in levels[:1]:
            key, entity = ("cheap_max", PRICE_MAX) if item.value == _CHEAP else ("expensive_min", PRICE_MIN)
            if key in band:
                rest.append(Found(entity, item.start, item.end, band[key], item.text))
        return rest

    def _category_key(self, said: str) -> str:
        said = said.lower()
        for category, spellings in self.words.categories.items():
            if said == category.lower() or said in (s.lower() for s in spellings):
                return category.lower()
        return said

    def _catalog_entities(self, doc: Doc) -> list[Found]:
        spans = []
        for match_id, start, end in self._phrases(doc):
            key = self.nlp.vocab.strings[match_id]
            kind = key.split("\x1f", 1)[0]
            span = doc[start:end]
            if kind == SIZE and not _size_alone_ok(span):
                continue
            spans.append((span, kind, self._values[key]))
        found = []
        for span, kind, value in spans:
            if kind == CATEGORY:
                value = span.text  # as typed: the entity synonym mapper maps spellings to the catalog's value
            found.append(Found(kind, span.start_char, span.end_char, value, span.text))
        return found

    def _pattern_entities(self, doc: Doc) -> list[Found]:
        """Pattern matches, the longest of overlapping ones only ("over $100" is a minimum, not also "$100")."""
        read: dict[tuple[int, int, int], list[Found]] = {}
        spans = []
        for match_id, start, end in self._patterns(doc):
            span = Span(doc, start, end, label=match_id)
            entities = _read_rule(span.label_, span, self._sizes)
            if entities:  # a match that reads as nothing ("get 50" before "dollars") does not hide another
                read[(start, end, match_id)] = entities
                spans.append(span)
        return [item for span in filter_spans(spans) for item in read[(span.start, span.end, span.label)]]

    def _fuzzy_entities(self, doc: Doc, taken: list[Found]) -> list[Found]:
        """Misspelt catalog words: windows of unknown words close to a brand, category or colour."""
        covered = [(f.start, f.end) for f in taken]
        found: list[Found] = []
        for n, terms in sorted(self._fuzzy_terms.items(), reverse=True):
            for start in range(len(doc) - n + 1):
                span = doc[start:start + n]
                if any(s < span.end_char and span.start_char < e for s, e in covered):
                    continue
                tokens = [t.lower_ for t in span]
                if not all(t.isalpha() for t in tokens) or all(t in self.words.known_words for t in tokens):
                    continue
                said = " ".join(tokens)
                best = self._closest(said, terms)
                if best is not None:
                    kind, value = best
                    found.append(Found(kind, span.start_char, span.end_char, value, span.text))
                    covered.append((span.start_char, span.end_char))
        return found

    def _closest(self, said: str, terms: list[tuple[str, str, str]]) -> tuple[str, str] | None:
        if len(said.replace(" ", "")) < _FUZZY_MIN_LENGTH:
            return None
        best: tuple[int, str, str] | None = None
        for term, kind, value in terms:
            if term[0] != said[0] or abs(len(term) - len(said)) > self.max_edits:
                continue
            allowed = 1 if len(term) < 8 else self.max_edits
            distance = Levenshtein.distance(said, term, score_cutoff=allowed)
            if distance <= allowed and (best is None or distance < best[0]):
                best = (distance, kind, value)
        return (best[1], best[2]) if best is not None and best[0] > 0 else None


# --------------------------------------------------------------------------------------------------- rules


def product_forms(name: str, brands: Iterable[str]) -> list[str]:
    """A product's full name and, when it starts with its brand, the name without it ("Alder 6 T-Shirt" for
    "Asanara Alder 6 T-Shirt") if that part is still distinctive (two words or more, or a model number)."""
    forms = [name]
    lowered = name.lower()
    for brand in brands:
        prefix = brand.lower() + " "
        if lowered.startswith(prefix):
            rest = name[len(prefix):].strip()
            if len(rest.split()) >= 2 or re.search(r"\d", rest):
                forms.append(rest)
            break
    return forms


def _safe_alone_size(lowered: str) -> bool:
    """A catalog size that means a size wherever it appears: digits with a unit ("41mm", "32gb") or a letter
    size ("XL"); a bare number, a single letter or a word ("10", "M", "king") needs a cue ("size 10", "king size")."""
    if lowered in LETTER_SIZES:
        return lowered not in _UNSAFE_ALONE
    return bool(re.fullmatch(r"\d+(?:[.,]\d+)?\s?[a-z]{1,3}", lowered))


def _size_alone_ok(span: Span) -> bool:
    return not (len(span) == 1 and span[0].lower_ in _UNSAFE_ALONE)


def _amounts(span: Span) -> list[tuple[Decimal, Span]]:
    """The numbers of a price span, each with its token."""
    found = []
    for token in span:
        value = _number(token.text)
        if value is not None:
            found.append((value, span.doc[token.i:token.i + 1]))
    return found


def _has_money_marker(span: Span) -> bool:
    return any(t.text in _CURRENCY_SYMBOLS or t.lower_ in _CURRENCY_WORDS for t in span)


def _price_context(span: Span) -> bool:
    """A currency marker in the span, or a price word in the three words before it."""
    before = span.doc[max(0, span.start - 3):span.start]
    return _has_money_marker(span) or any(t.lower_ in _PRICE_WORDS for t in before)


def _has_cue(span: Span, cues: set[str]) -> bool:
    return any(t.lower_ in cues for t in span)


def _found(entity: str, token: Span, value: str) -> Found:
    return Found(entity, token.start_char, token.end_char, value, token.text)


def _read_rule(rule: str, span: Span, sizes: Mapping[str, str]) -> list[Found]:
    """The entities one pattern match stands for (none when the match is not what it looks like)."""
    if rule.startswith("PRICE"):
        return _read_price(rule, span)
    if rule == "SIZE_CUED":
        return _read_size(span, sizes)
    if rule.startswith("QUANTITY"):
        return _read_quantity(rule, span)
    if rule == "COUPON":
        return _read_coupon(span)
    return _read_mention(rule, span)


def _read_price(rule: str, span: Span) -> list[Found]:
    if rule in ("PRICE_CHEAP", "PRICE_EXPENSIVE"):
        before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
        if before in _LEVEL_NEGATIONS and span[0].lower_ != "not":
            return []
        if rule == "PRICE_CHEAP":
            return [Found(PRICE_MAX, span.start_char, span.end_char, _CHEAP, span.text)]
        return [Found(PRICE_MIN, span.start_char, span.end_char, _EXPENSIVE, span.text)]
    amounts = _amounts(span)
    if not amounts:
        return []
    if rule in ("PRICE_BETWEEN", "PRICE_RANGE"):
        if len(amounts) != 2 or (rule == "PRICE_RANGE" and not _has_money_marker(span)):
            return []
        (low, low_token), (high, high_token) = sorted(amounts, key=lambda a: a[0])
        return [_found(PRICE_MIN, low_token, _plain(low)), _found(PRICE_MAX, high_token, _plain(high))]
    value, token = amounts[0]
    if rule == "PRICE_AROUND":
        if not _price_context(span):
            return []
        return [Found(PRICE_MIN, token.start_char, token.end_char, _plain(value * Decimal("0.8")), token.text),
                Found(PRICE_MAX, token.start_char, token.end_char, _plain(value * Decimal("1.2")), token.text)]
    if rule in ("PRICE_MIN", "PRICE_MIN_AFTER"):
        if rule == "PRICE_MIN_AFTER" and not _price_context(span):
            return []
        return [_found(PRICE_MIN, token, _plain(value))]
    if rule == "PRICE_MAX_AFTER" and not _price_context(span) and not _has_cue(span, _SELF_EVIDENT_MAX_AFTER):
        return []
    return [_found(PRICE_MAX, token, _plain(value))]


def _read_size(span: Span, sizes: Mapping[str, str]) -> list[Found]:
    cues = ("size", "sz", "sized", "sizes", "in", "a", "an", ":", "#")
    words = [t for t in span if t.lower_ not in cues]
    if not words:
        return []
    said = " ".join(t.lower_ for t in words)
    first, last = words[0], words[-1]
    token = span.doc[first.i:last.i + 1]
    if said in sizes:
        return [_found(SIZE, token, sizes[said])]
    if re.fullmatch(r"\d{1,2}(?:[.,]5)?", said):
        return [_found(SIZE, token, said.replace(",", "."))]
    normal = said.replace("extra ", "extra ").replace("x ", "x-")
    word = SIZE_WORDS.get(normal) or SIZE_WORDS.get(said)
    if word:
        return [_found(SIZE, token, sizes.get(word.lower(), word))]
    if said in LETTER_SIZES:
        return [_found(SIZE, token, sizes.get(said, said.upper()))]
    return []


def _read_quantity(rule: str, span: Span) -> list[Found]:
    doc = span.doc
    if rule == "QUANTITY_PHRASE":
        token = span[:-1] if span[-1].lower_ == "of" else span
        return [Found(QUANTITY, token.start_char, token.end_char, token.text, token.text)]
    if rule == "QUANTITY_TIMES":
        return [_found(QUANTITY, span, re.sub(r"x", "", span.text.lower()))]
    index = span.start if rule == "QUANTITY_BEFORE" else span.end - 1
    token = doc[index:index + 1]
    following = doc[index + 1].lower_ if index + 1 < len(doc) else ""
    if following in _NOT_QUANTITY_AFTER or following in ORDINALS:
        return []
    if rule == "QUANTITY_AFTER_VERB" and token.text.lower() == "one" and following in ("of", "more", "in"):
        return [] if following == "in" else [_found(QUANTITY, token, token.text)]
    if rule == "QUANTITY_AFTER_VERB" and index > 0 and doc[index - 1].lower_ == "the":
        return []
    return [_found(QUANTITY, token, token.text)]


_NOT_CODES = {"code", "coupon", "promo", "voucher", "discount", "is", "for", "please", "the", "a", "my", "to", "and",
              "codes", "coupons", "work", "works", "working", "expired", "here", "that", "this", "it", "still", "not",
              "valid", "invalid", "apply", "applied", "use", "used", "again", "one", "you", "field", "box"}


def _read_coupon(span: Span) -> list[Found]:
    """The code after a cue, when it looks like a code: not a common word, letters upper case or digits in it."""
    token = span[-1]
    if token.lower_ in _NOT_CODES or token.lower_ in _CURRENCY_WORDS:
        return []
    if not (any(c.isdigit() for c in token.text) or token.text.isupper()):
        return []
    return [Found(COUPON_CODE, token.idx, token.idx + len(token.text), token.text.upper(), token.text)]


def _read_mention(rule: str, span: Span) -> list[Found]:
    doc = span.doc
    if rule == "MENTION_ORDINAL":
        following = doc[span.end].lower_ if span.end < len(doc) else ""
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        if following in _ORDINAL_NOT_MENTION or (before in ("at", "for") and span[0].lower_ == "first"):
            return []
        if span[0].lower_ in ("second", "next") and following == "to":
            return []
        if _is_date(span):
            return []
    claim_end = None
    if span.end < len(doc) and doc[span.end].lower_ in ("one", "ones"):
        claim_end = doc[span.end].idx + len(doc[span.end].text)
    return [Found(MENTION, span.start_char, span.end_char, span.text, span.text, claim_end)]


def _is_date(span: Span) -> bool:
    """True for an ordinal that is part of a date: beside a month or weekday ("march 10th", "monday the 5th"),
    or a numeric one after "the" with a date link on either side ("from the 5th to the 9th")."""
    doc = span.doc
    words = [doc[i].lower_.strip(".,") if 0 <= i < len(doc) else "" for i in range(span.start - 2, span.end + 2)]
    before2, before, following, after2 = words[0], words[1], words[-2], words[-1]
    # "may" after an ordinal is the verb ("the first may be too small")
    if before in _DATE_WORDS or (following in _DATE_WORDS and following != "may") or (
            before == "the" and before2 in _DATE_WORDS):
        return True
    if following == "of" and after2 in _DATE_WORDS:
        return True
    numeric = any(ch.isdigit() for ch in span.text)
    return numeric and before == "the" and (before2 in _DATE_LINKS or following in _DATE_LINKS)


def _non_overlapping(found: Iterable[Found]) -> list[Found]:
    """Longest first, then earliest; patterns (listed first) win ties. Two entities may share one span only
    for a price "around 60" (price_min and price_max on the same number)."""
    chosen: list[Found] = []
    ranked = sorted(enumerate(found), key=lambda item: (-(item[1].end - item[1].start), item[1].start, item[0]))
    for _, candidate in ranked:
        clash = False
        for other in chosen:
            if other.start < candidate.end and candidate.start < other.end:
                same_number = ({other.entity, candidate.entity} == {PRICE_MIN, PRICE_MAX}
                               and (other.start, other.end) == (candidate.start, candidate.end)
                               and other.entity != candidate.entity)
                if not same_number:
                    clash = True
                    break
        if not clash:
            chosen.append(candidate)
    return chosen


def iter_found(found: Iterable[Found]) -> Iterator[dict[str, object]]:
    """Found entities as plain dicts (entity, start, end, value)."""
    for item in found:
        yield {"entity": item.entity, "start": item.start, "end": item.end, "value": item.value}

