"""Ranking of search candidates: every word asked for first, then BM25F and small tie-breakers.

Pure functions over plain values: the database finds the candidates (full-text or ILIKE); this module scores
and orders them, the same way on every database.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cached_property, lru_cache

from store.query_understanding import fold, singular
from store.synonyms import Alternative

# The searchable fields of a product, in the order of Candidate.fields (and of the full-text index's columns).
FIELDS = ("name", "brand", "category", "subcategory", "tags", "description")
# BM25F weight of a word found in each field: the name says what the product is; a subcategory often repeats it.
# Name 2.0 (2026-11-26, make bench-search): NDCG@10 0.674 against 0.670 at 3.0 and 0.673 at 1.5, on both halves of
# the queries; 2.5 gave 0.669, 4.0 0.667
FIELD_WEIGHTS = (2.0, 1.0, 1.0, 0.5, 1.0, 1.0)
# BM25F length normalisation per field: names carry specifications, so a long name is penalised less.
FIELD_B = (0.3, 0.75, 0.75, 0.75, 0.75, 0.75)
BM25_K1 = 1.2

# Products holding every word asked for come first: coverage (0..1) outweighs everything else.
COVERAGE_WEIGHT = 10.0
# BM25F, scaled so that the best candidate scores 1.
RELEVANCE_WEIGHT = 1.0
# Words found as typed ('shoes'), not only as another form ('shoe'), per share of the words.
EXACT_WEIGHT = 0.3
# Filed exactly under the kind of product asked for, when that kind is a filter: before those that only name it.
FILED_WEIGHT = 2.0
# The main word asked for only qualifies the product's kind ('notebook case' for 'notebook') or follows 'for' in
# its name ('Sleeve for iPad'): an accessory.
ACCESSORY_PENALTY = 0.3
# How many words before the main word asked for a 'for' may stand ('for select Lenovo laptops').
FOR_WINDOW = 3
# Each earlier product with the same name pushes a duplicate down, so one listing does not fill the page. Less than
# the accessory penalty: a first repeat still comes before an accessory that matches as well.
# 0.2 (2026-11-26, make bench-search): NDCG@10 0.6769 at 0.05-0.2 on both halves of the queries, 0.6758 at 0.3.
DUPLICATE_PENALTY = 0.2
# Rating (0-5) as a tie-breaker between otherwise equal products.
RATING_WEIGHT = 0.01
# A query word -> other phrases that stand for it at a lower weight (retail synonyms, see store.synonyms).
Alternatives = Mapping[str, Sequence[Alternative]]


@lru_cache(maxsize=65536)
def base_form(word: str) -> str:
    """The form two spellings of one word share ('batteries', 'battery' -> 'battery')."""
    return singular(word)


_ASCII_WORD = re.compile(r"[a-z0-9]+")


def field_words(value: str | None) -> tuple[str, ...]:
    """The folded words of one field (as `fold`; one regular expression for the usual plain-ASCII text)."""
    if value and value.isascii():
        return tuple(_ASCII_WORD.findall(value.lower().replace("&", " and ").replace("'", "")))
    return tuple(fold(value or "").split())


@dataclass(frozen=True)
class Candidate:
    """A product found by the retrieval step, with what the ranking needs to know about it."""

    id: int
    name: str
    fields: tuple[tuple[str, ...], ...]  # folded words of each field of FIELDS, in that order
    filed: bool = False  # filed exactly under the kind of product the search filters on
    rating: float | None = None
    kind: tuple[tuple[str, ...], ...] = ()  # the subcategory's alternatives, see `kind_phrases`

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of every field."""
        return frozenset(w for words in self.fields for w in words)

    @cached_property
    def bases(self) -> frozenset[str]:
        """The base form (see `base_form`) of every word of every field."""
        return frozenset(base_form(w) for w in self.words)

    @cached_property
    def field_bases(self) -> tuple[dict[str, int], ...]:
        """Per field of FIELDS, how often each base form occurs (what BM25F counts)."""
        counted = []
        for words in self.fields[:len(FIELDS)]:
            counts: dict[str, int] = {}
            for w in words:
                key = base_form(w)
                counts[key] = counts.get(key, 0) + 1
            counted.append(counts)
        return tuple(counted)

    @cached_property
    def field_sequences(self) -> tuple[tuple[str, ...], ...]:
        """Per field of FIELDS, the base forms of its words in order (for phrases)."""
        return tuple(tuple(base_form(w) for w in words) for words in self.fields[:len(FIELDS)])

    def phrase_hits(self, bases: Sequence[str]) -> tuple[int, ...]:
        """Per field of FIELDS, how often the phrase of base forms `bases` occurs (as consecutive words)."""
        if len(bases) == 1:
            return tuple(counts.get(bases[0], 0) for counts in self.field_bases)
        n, wanted = len(bases), tuple(bases)
        return tuple(sum(1 for i in range(len(words) - n + 1) if words[i:i + n] == wanted)
                     for words in self.field_sequences)

    def holds(self, bases: Sequence[str]) -> bool:
        """True when the phrase of base forms `bases` occurs in some field."""
        if len(bases) == 1:
            return bases[0] in self.bases
        return any(self.phrase_hits(bases))


def same_word(query_word: str, word: str) -> bool:
    """True when a product word is the query word or another form of it ('shoes' and 'shoe')."""
    return word == query_word or base_form(word) == base_form(query_word)


def coverage(query_words: Sequence[str], words: Set[str], bases: Set[str] | None = None) -> float:
    """Share of the query words a product holds in some form (1.0 when there are none); `bases` are the base
    forms of `words` when known."""
    if not query_words:
        return 1.0
    if bases is None:
        bases = {base_form(w) for w in words}
    return sum(1 for q in query_words if q in words or base_form(q) in bases) / len(query_words)


def synonym_share(query_words: Sequence[str], candidate: Candidate, alternatives: Alternatives) -> float:
    """Share of the query words a product lacks in every form but holds an alternative of, each at the weight of
    its best alternative held (so it adds to `coverage` and stays below holding the word itself)."""
    if not query_words or not alternatives:
        return 0.0
    found = 0.0
    for q in query_words:
        others = alternatives.get(q)
        if not others or q in candidate.words or base_form(q) in candidate.bases:
            continue
        found += max((a.weight for a in others if candidate.holds([base_form(w) for w in a.words])), default=0.0)
    return found / len(query_words)


def exact_share(query_words: Sequence[str], words: Set[str]) -> float:
    """Share of the query words a product holds exactly as typed."""
    if not query_words:
        return 0.0
    return sum(1 for q in query_words if q in words) / len(query_words)


def idf(frequency: int, total: int) -> float:
    """Inverse document frequency of a word held by `frequency` of `total` products (as Lucene's BM25)."""
    return math.log(1.0 + (total - frequency + 0.5) / (frequency + 0.5))


def bm25f(query_words: Sequence[str], candidates: Sequence[Candidate], idfs: Mapping[str, float],
          alternatives: Alternatives | None = None) -> list[float]:
    """BM25F of each candidate: per field, word counts normalised by the field's length (against the candidates'
    average), weighted by FIELD_WEIGHTS and summed, then saturated once per query word.

    A word with `alternatives` scores the best of itself and each alternative phrase (its idf from `idfs`, keyed by
    the phrase) times the alternative's weight.
    """
    averages = []
    for index in range(len(FIELDS)):
        lengths = [len(c.fields[index]) for c in candidates if index < len(c.fields)]
        averages.append(max(sum(lengths) / len(lengths), 1.0) if lengths else 1.0)
    alternatives = alternatives or {}
    wanted = [((base_form(q),), idfs.get(q, 0.0),  # a word matches any form of it (same_word)
               [(tuple(base_form(w) for w in a.words), idfs.get(a.phrase, 0.0) * a.weight)
                for a in alternatives.get(q, ())])
              for q in query_words]
    scores = []
    for candidate in candidates:
        score = 0.0
        for bases, weight, others in wanted:
            best = _saturated(candidate, candidate.phrase_hits(bases), averages, weight)
            for other_bases, other_weight in others:
                best = max(best, _saturated(candidate, candidate.phrase_hits(other_bases), averages, other_weight))
            score += best
        scores.append(score)
    return scores


def _saturated(candidate: Candidate, hits: Sequence[int], averages: Sequence[float], weight: float) -> float:
    """One query term's BM25F part: its length-normalised, field-weighted count, saturated, times `weight`."""
    tf = 0.0
    for index, count in enumerate(hits):
        if count:
            b = FIELD_B[index]
            length = len(candidate.fields[index])
            tf += FIELD_WEIGHTS[index] * count / (1.0 - b + b * length / averages[index])
    return weight * tf * (BM25_K1 + 1.0) / (tf + BM25_K1) if tf > 0 else 0.0


def kind_phrases(kind: str | None) -> tuple[tuple[str, ...], ...]:
    """The folded words of each alternative a kind names ('power adapter/inverter' -> power adapter, inverter)."""
    return tuple(words for words in map(field_words, (kind or "").split("/")) if words)


def kind_heads(kinds: Iterable[str]) -> frozenset[str]:
    """The base forms of the last words of kinds of products ('notebook case' -> 'case')."""
    return frozenset(base_form(words[-1]) for kind in kinds for words in kind_phrases(kind))


def made_for(query_words: Sequence[str], name: Sequence[str]) -> bool:
    """True when the product's name says it is for the main (last) word asked for ('Sleeve for iPad', 'Battery
    for select Lenovo laptops' for 'ipad', 'laptop'): 'for' within FOR_WINDOW words before the first mention of
    it, and no other word asked for named before that 'for' ('Case for iPhone' is what 'iphone case' asks for)."""
    if not query_words:
        return False
    head, others = query_words[-1], query_words[:-1]
    for index, word in enumerate(name):
        if same_word(head, word):
            start = max(0, index - FOR_WINDOW)
            if "for" not in name[start:index]:
                return False
            cut = start + max(i for i, w in enumerate(name[start:index]) if w == "for")
            return not any(same_word(q, w) for q in others for w in name[:cut])
    return False


def accessory(query_words: Sequence[str], candidate: Candidate, heads: frozenset[str]) -> bool:
    """True when the product is made for the main (last) word asked for instead of being one: its name says so
    (`made_for`), or that word is itself a kind of product (in `heads`) and only qualifies the product's kind
    ('notebook case' for 'notebook', not 'running shoes' for 'running')."""
    if not query_words:
        return False
    if candidate.fields and made_for(query_words, candidate.fields[0]):
        return True
    if not candidate.kind or base_form(query_words[-1]) not in heads:
        return False
    head = query_words[-1]
    if any(same_word(head, words[-1]) for words in candidate.kind):
        return False
    return any(same_word(head, w) for words in candidate.kind for w in words[:-1])


def rerank(query_words: Sequence[str], candidates: Iterable[Candidate], scores: Sequence[float],
           heads: frozenset[str] = frozenset(), alternatives: Alternatives | None = None) -> list[Candidate]:
    """Candidates best first: coverage of the words (a word's `alternatives` at their lower weight), BM25F
    `scores`, exact forms, filing, accessories of the kinds `heads` (see `kind_heads`), rating; then each repeat
    of a product name is pushed down."""
    pool = list(candidates)
    best = max(scores, default=0.0)
    scale = best if best > 0 else 1.0
    scored: list[tuple[float, int, Candidate]] = []
    for position, (candidate, score) in enumerate(zip(pool, scores, strict=True)):
        words = candidate.words
        value = (COVERAGE_WEIGHT * (coverage(query_words, words, candidate.bases)
                                    + synonym_share(query_words, candidate, alternatives or {}))
                 + RELEVANCE_WEIGHT * max(score, 0.0) / scale
                 + EXACT_WEIGHT * exact_share(query_words, words)
                 + (FILED_WEIGHT if candidate.filed else 0.0)
                 - (ACCESSORY_PENALTY if accessory(query_words, candidate, heads) else 0.0)
                 + RATING_WEIGHT * float(candidate.rating or 0))
        scored.append((value, position, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    seen: Counter[str] = Counter()
    final: list[tuple[float, int, Candidate]] = []
    for order, (value, _position, candidate) in enumerate(scored):
        name = " ".join(candidate.fields[0] if candidate.fields else field_words(candidate.name))
        final.append((value - DUPLICATE_PENALTY * seen[name], order, candidate))
        seen[name] += 1
    final.sort(key=lambda item: (-item[0], item[1]))
    return [candidate for _value, _order, candidate in final]


__all__ = [
    "FIELDS", "FIELD_WEIGHTS", "Alternatives", "Candidate", "accessory", "base_form", "bm25f", "coverage",
    "exact_share", "field_words", "idf", "kind_heads", "kind_phrases", "made_for", "rerank", "same_word",
    "synonym_share",
]
