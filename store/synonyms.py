"""Retail synonyms: the other words a catalog may use for a shopper's word or phrase ('couch' -> 'sofa', 'hdd').

The default groups are in `store/data/synonyms.yml`; a store adds its own under `search: synonyms:` in
store_policies.yml. Pure functions over plain values: whether the current catalog holds an alternative is asked
through a callback, so a search only ever adds words its catalog uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

import yaml

from store.query_understanding import STOP_WORDS, fold, plural, singular

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "synonyms.yml"
# An alternative counts this share of a word the shopper typed: it finds more, never outranks the words typed.
SYNONYM_WEIGHT = 0.5
# An initialism and the words it stands for ('ssd', 'solid state drive') are one term: the full weight.
INITIALISM_WEIGHT = 1.0
# At most this many alternatives of one phrase are searched (the first ones of its groups).
MAX_ALTERNATIVES = 8


class SynonymsError(ValueError):
    """A synonyms file or list is malformed; the message says where."""


@dataclass(frozen=True)
class Alternative:
    """Another phrase for a word the shopper typed: folded words separated by spaces, and its weight."""

    phrase: str
    weight: float

    @property
    def words(self) -> tuple[str, ...]:
        """The phrase's words."""
        return tuple(self.phrase.split())


@dataclass(frozen=True)
class SynonymTable:
    """Shopper phrases (as search terms: folded, stop words left out) -> the other phrases of their groups."""

    phrases: Mapping[tuple[str, ...], tuple[str, ...]]
    groups: int = 0
    longest: int = 1

    def alternatives(self, words: Sequence[str]) -> tuple[str, ...]:
        """The other phrases of every group holding `words` (empty when none does)."""
        return self.phrases.get(tuple(words), ())


# ---------------------------------------------------------------------------------------------- reading


def parse_groups(raw: object, where: str) -> tuple[tuple[str, ...], ...]:
    """Groups of folded phrases from YAML data: a list of lists, or a mapping of section -> list of lists."""
    if raw is None:
        return ()
    sections = raw.items() if isinstance(raw, dict) else [("", raw)]
    groups: list[tuple[str, ...]] = []
    for section, entries in sections:
        at = f"{where}.{section}" if section else where
        if not isinstance(entries, list):
            raise SynonymsError(f"{at} must be a list of groups (lists of words)")
        for number, entry in enumerate(entries, start=1):
            if (not isinstance(entry, list) or not all(isinstance(p, (str, int)) for p in entry)
                    or isinstance(entry, bool)):
                raise SynonymsError(f"{at}[{number}] must be a list of words or phrases, got {entry!r}")
            phrases = tuple(dict.fromkeys(p for p in (fold(str(p)) for p in entry) if p))
            if len(phrases) < 2:
                raise SynonymsError(f"{at}[{number}] needs at least two different words or phrases")
            groups.append(phrases)
    return tuple(groups)


@lru_cache(maxsize=4)
def read_groups(path: Path = DEFAULT_FILE) -> tuple[tuple[str, ...], ...]:
    """The groups of a synonyms file (by default the store's table), read once."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SynonymsError(f"{path}: cannot read the synonyms: {exc}") from exc
    return parse_groups(raw, Path(path).name)


# ---------------------------------------------------------------------------------------------- the table


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The search terms a shopper types for a phrase: folded words, stop words left out unless that leaves one
    word of several ('chest of drawers' -> chest drawers; 'post it' stays as it is)."""
    words = fold(phrase).split()
    kept = [w for w in words if w not in STOP_WORDS]
    if len(kept) == len(words) or len(kept) >= 2:
        return tuple(kept)
    return tuple(words)


def _key_forms(phrase: str) -> set[tuple[str, ...]]:
    """The phrase's key and, its last word in the plural, the key a shopper typing the plural matches."""
    key = phrase_key(phrase)
    if not key:
        return set()
    return {key, key[:-1] + (plural(key[-1]),)}


def build_table(groups: Iterable[Sequence[str]]) -> SynonymTable:
    """The table of groups of phrases: each phrase (and its plural) maps to the group's other phrases."""
    found: dict[tuple[str, ...], dict[str, None]] = {}
    count = 0
    for group in groups:
        phrases = [p for p in dict.fromkeys(fold(p) for p in group) if p]
        if len(phrases) < 2:
            continue
        count += 1
        for phrase in phrases:
            for key in _key_forms(phrase):
                alternatives = found.setdefault(key, {})
                alternatives.update((other, None) for other in phrases if other != phrase)
    table = {key: tuple(alternatives) for key, alternatives in found.items() if alternatives}
    return SynonymTable(phrases=table, groups=count, longest=max((len(k) for k in table), default=1))


_TABLE_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _cached_table(extra: tuple[tuple[str, ...], ...], path: Path) -> SynonymTable:
    return build_table(read_groups(path) + extra)


def synonym_table(extra: Iterable[Sequence[str]] = (), path: Path = DEFAULT_FILE) -> SynonymTable:
    """The default table (the file at `path`) with a store's `extra` groups, built once per set of groups."""
    key = tuple(tuple(group) for group in extra)
    with _TABLE_LOCK:
        return _cached_table(key, Path(path))


# ---------------------------------------------------------------------------------------------- expansion


def find_phrases(words: Sequence[str], table: SynonymTable) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, alternatives) of the phrases of `words` the table knows, longest first, never overlapping."""
    taken = [False] * len(words)
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for n in range(min(table.longest, len(words)), 0, -1):
        for start in range(len(words) - n + 1):
            if any(taken[start:start + n]):
                continue
            alternatives = table.alternatives(words[start:start + n])
            if alternatives:
                found.append((start, start + n, alternatives))
                taken[start:start + n] = [True] * n
    return sorted(found)


def _contains(phrase: Sequence[str], part: Sequence[str]) -> bool:
    """True when `part` occurs in `phrase` as consecutive words (any plural/singular form)."""
    bases, wanted = [singular(w) for w in phrase], [singular(w) for w in part]
    return any(bases[i:i + len(wanted)] == wanted for i in range(len(bases) - len(wanted) + 1))


def initialism(short: Sequence[str], long: Sequence[str]) -> bool:
    """True when one of the phrases is a single word made of the first letters of the other's words, in either
    order ('ssd' and 'solid state drive', 'hard disk drive' and 'hdd')."""
    if len(short) != 1:
        short, long = long, short
    return len(short) == 1 and len(long) >= 2 and short[0] == "".join(w[0] for w in long)


def expand(words: Sequence[str], table: SynonymTable, holds: Callable[[str], bool],
           weight: float = SYNONYM_WEIGHT) -> dict[str, tuple[Alternative, ...]]:
    """Each word of `words` -> the alternatives of the phrase it belongs to, kept only when `holds(phrase)` (the
    catalog uses it). An alternative holding the shopper's phrase itself ('hard drive' for 'hard drive enclosure')
    finds nothing new and is left out. Every word of a phrase gets the phrase's alternatives, at `weight`, or at
    INITIALISM_WEIGHT when one stands for the other ('ssd' for 'solid state drive')."""
    expanded: dict[str, tuple[Alternative, ...]] = {}
    for start, end, alternatives in find_phrases(words, table):
        said = words[start:end]
        kept = (a for a in alternatives if not _contains(a.split(), said))
        found = tuple(islice((Alternative(phrase, INITIALISM_WEIGHT if initialism(said, phrase.split()) else weight)
                              for phrase in kept if holds(phrase)), MAX_ALTERNATIVES))
        if found:
            for word in said:
                expanded[word] = found
    return expanded


__all__ = [
    "Alternative", "DEFAULT_FILE", "INITIALISM_WEIGHT", "MAX_ALTERNATIVES", "SYNONYM_WEIGHT", "SynonymTable",
    "SynonymsError", "build_table", "expand", "find_phrases", "initialism", "parse_groups", "phrase_key",
    "read_groups", "synonym_table",
]
