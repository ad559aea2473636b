"""Pure helpers that turn what a shopper said into positions, SKUs and quantities (no Rasa, no store)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_ORDINALS = {
    "first": 1, "1st": 1, "top": 1, "one": 1,
    "second": 2, "2nd": 2, "two": 2,
    "third": 3, "3rd": 3, "three": 3,
    "fourth": 4, "4th": 4, "four": 4,
    "fifth": 5, "5th": 5, "five": 5,
    "sixth": 6, "6th": 6, "six": 6,
    "seventh": 7, "7th": 7, "seven": 7,
    "eighth": 8, "8th": 8, "eight": 8,
    "ninth": 9, "9th": 9, "nine": 9,
    "tenth": 10, "10th": 10, "ten": 10,
}
_FROM_END = {"last": -1, "final": -1, "bottom": -1, "penultimate": -2}
_DEICTIC = {"that", "this", "it", "that one", "this one", "it one", "the one", "same", "the same one"}
_FILLER = {"the", "one", "ones", "item", "items", "product", "products", "thing", "please", "of", "them", "those",
           "these", "in", "list", "on", "from", "option", "number", "no", "num", "nr", "choice"}
_COUNT_WORDS = {"two": 2, "three": 3, "both": 2}
_QUANTITY_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "a single": 1,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "pair": 2, "a pair": 2, "couple": 2, "a couple": 2, "a couple of": 2, "both": 2, "dozen": 12, "a dozen": 12,
    "half a dozen": 6, "half dozen": 6,
}
ALL = 0  # position marker: "all of them"


def _clean(text: str) -> str:
    text = (text or "").lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9#' ]+", " ", text)
    return " ".join(text.split())


def mention_position(mention: str | None) -> int | None:
    """1-based position a mention names ("the second one" -> 2, "#3" -> 3), -1 for "last"; None otherwise."""
    words = [w for w in _clean(mention or "").replace("#", " # ").split() if w not in ("#", "'s")]
    if not words:
        return None
    if re.search(r"\b(second|next) (to )?last\b", " ".join(words)):
        return -2
    found: list[int] = []
    for word in words:
        if word in _FROM_END:
            found.append(_FROM_END[word])
        elif word in _ORDINALS and (word != "one" or len(words) == 1 or words[0] in ("number", "option", "no")):
            found.append(_ORDINALS[word])
        elif word.isdigit() and 0 < int(word) < 1000:
            found.append(int(word))
        elif word not in _FILLER and word not in _DEICTIC:
            return None
    return found[0] if len(found) == 1 else None


def is_deictic(mention: str | None) -> bool:
    """True for "that one", "it", "this": the product in focus."""
    cleaned = _clean(mention or "")
    if not cleaned:
        return False
    if cleaned in _DEICTIC:
        return True
    words = [w for w in cleaned.split() if w not in ("the", "one", "please", "item", "product")]
    return bool(words) and all(w in ("that", "this", "it", "same") for w in words)


def pick(position: int, shown: list[str]) -> str | None:
    """The entry of `shown` at a 1-based (or negative, from the end) position; None when out of range."""
    if position > 0 and position <= len(shown):
        return shown[position - 1]
    if position < 0 and -position <= len(shown):
        return shown[position]
    return None


def resolve_mention(mention: str | None, shown: list[str] | None, last_product: str | None = None) -> str | None:
    """The SKU a mention refers to: a position in `shown`, or the product in focus for "that one"/"it"."""
    shown = list(shown or [])
    if is_deictic(mention):
        if last_product:
            return last_product
        return shown[0] if len(shown) == 1 else None
    position = mention_position(mention)
    return pick(position, shown) if position is not None else None


def positions_in_text(text: str | None) -> list[int]:
    """Several positions named in a sentence: "the first two" -> [1, 2], "1 and 3" -> [1, 3],
    "the last two" -> [-2, -1], "all of them" -> [ALL]; [] when none."""
    cleaned = _clean(text or "").replace("#", " ")
    words = cleaned.split()
    if not words:
        return []
    if re.search(r"\ball\b|\bevery\b|\beach\b", cleaned):
        return [ALL]
    match = re.search(r"\b(first|top|last)\s+(two|three|2|3)\b", cleaned)
    if match:
        count = _COUNT_WORDS.get(match.group(2)) or int(match.group(2))
        return list(range(-count, 0)) if match.group(1) == "last" else list(range(1, count + 1))
    found: list[int] = []
    for index, word in enumerate(words):
        value: int | None = None
        if word in _FROM_END:
            value = _FROM_END[word]
        elif word in _ORDINALS and word not in ("one", "two", "three", "four", "five", "six", "seven", "eight",
                                                "nine", "ten"):
            value = _ORDINALS[word]
        elif word.isdigit() and 0 < int(word) < 100:
            value = int(word)
        elif word in ("one", "two", "three", "four", "five") and index > 0 and words[index - 1] in (
                "number", "option", "no", "and", "or", "vs", "versus", "item"):
            value = _ORDINALS[word]
        if value is not None and value not in found:
            found.append(value)
    return found


def parse_quantity(value: object) -> int | Decimal | None:
    """A quantity from an entity value: 2, "2", "2.0", "two", "a pair", "x3"; None when it is not a number.

    Whole numbers come back as int; anything else (2.5, -1 stays int) is returned for the store to refuse.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = _clean(str(value)).replace("#", "")
    if text in _QUANTITY_WORDS:
        return _QUANTITY_WORDS[text]
    raw = str(value).strip().lower().lstrip("x").strip()
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        words = text.split()
        known = [w for w in words if w in _QUANTITY_WORDS or w.isdigit()]
        if len(known) == 1:
            word = known[0]
            return int(word) if word.isdigit() else _QUANTITY_WORDS[word]
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else number
