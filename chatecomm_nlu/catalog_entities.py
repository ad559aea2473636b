"""CatalogEntityExtractor: the store's own entity extractor, built from the catalog that import-catalog wrote.

Placed after DIETClassifier and RegexEntityExtractor and before EntitySynonymMapper. At training time it reads
``data/lookups/catalog_vocabulary.json`` (written by ``make import-catalog``; its content is part of the
model's fingerprint, so a new catalog means a new model) and the words of the training examples (a word the
training data uses is never taken for a misspelt brand), and stores both with the model. At prediction time
it finds brands, categories, colours, sizes, product names, prices, quantities and mentions with spaCy
matchers (chatecomm_nlu/catalog_matcher.py) and merges them with the other extractors' entities:

- where it found an entity, an overlapping entity of another extractor is dropped (a pattern or the
  catalog is more reliable than a guess: "add the third one" is a mention, not also a quantity "one");
- two entities of one type on overlapping spans from two extractors (DIET and the regexes both reading an
  email) are kept once, the regex one first;
- everything else from the other extractors stays (DIET still recognises brands the catalog lacks).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from chatecomm_nlu.catalog_matcher import MEASURE_WORDS, CatalogMatcher, CatalogWords, Found, words_of

log = logging.getLogger(__name__)

DEFAULT_VOCABULARY = "data/lookups/catalog_vocabulary.json"
_STORED_FILE = "catalog_words.json"
# Extractors whose entities win over an overlapping entity of the same type from a statistical extractor.
_RULE_EXTRACTORS = ("RegexEntityExtractor",)
_PRICES = ("price_min", "price_max")
# what a price reads as: an amount with perhaps a currency symbol, thousands separators, decimals or "k"
_AMOUNT = re.compile(r"[$€£]?\s*\d[\d,]*(?:\.\d+)?\s*k?", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*-?\s*([^\s\w]|[\w.]+)")


def _vocabulary_path(config: dict[str, Any]) -> Path:
    return Path(str(config.get("vocabulary") or DEFAULT_VOCABULARY))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class CatalogEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Catalog words (brands, categories, colours, sizes, product names) and price/quantity/mention patterns."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """vocabulary: the file import-catalog writes; fuzzy: correct typos of catalog words; max_edits: at most
        this many letters wrong in a long word (one in words under eight letters)."""
        return {"vocabulary": DEFAULT_VOCABULARY, "fuzzy": True, "max_edits": 2}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 words: CatalogWords | None = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._words = words or CatalogWords()
        self._matcher = CatalogMatcher(self._words, fuzzy=bool(config.get("fuzzy", True)),
                                       max_edits=int(config.get("max_edits", 2)))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CatalogEntityExtractor:
        """A new, untrained extractor."""
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The vocabulary file's content hash: a new catalog retrains the model (and `rasa train --dry-run`
        says so)."""
        path = _vocabulary_path(config)
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return "missing"

    def train(self, training_data: TrainingData) -> Resource:
        """Read the catalog vocabulary and the training words; store them with the model."""
        path = _vocabulary_path(self._config)
        known = words_of(example.get(TEXT) for example in training_data.training_examples)
        known -= words_of(_entity_texts(training_data))
        try:
            words = CatalogWords.from_file(path, known)
        except FileNotFoundError:
            log.warning("%s not found: catalog entities are not recognised (run `make import-catalog` or "
                        "`python -m store.cli lookups`)", path)
            words = CatalogWords(known_words=known)
        self._words = words
        self._matcher = CatalogMatcher(words, fuzzy=bool(self._config.get("fuzzy", True)),
                                       max_edits=int(self._config.get("max_edits", 2)))
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / _STORED_FILE).write_text(json.dumps(words.to_document(), ensure_ascii=False),
                                                        encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CatalogEntityExtractor:
        """The extractor with the vocabulary stored at training time."""
        try:
            with model_storage.read_from(resource) as directory:
                document = json.loads((Path(directory) / _STORED_FILE).read_text(encoding="utf-8"))
            words = CatalogWords.from_document(document, document.get("known_words") or [])
        except (ValueError, OSError) as exc:
            log.warning("catalog entity extractor has no stored vocabulary (%s): patterns only", exc)
            words = CatalogWords()
        return cls(config, model_storage, resource, words)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep their annotations."""
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the catalog/pattern entities to each message and merge them with the other extractors'."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = self._matcher.extract(text) if text else []
            ours = self.add_extractor_name([_entity(item) for item in found])
            claimed = [{ENTITY_ATTRIBUTE_START: s, ENTITY_ATTRIBUTE_END: e} for s, e in (f.claimed for f in found)]
            others = [e for e in message.get(ENTITIES, []) or [] if plausible_amount(e, text)]
            message.set(ENTITIES, merge_entities(others, ours, claimed), add_to_output=True)
        return messages


def plausible_amount(entity: dict[str, Any], text: str) -> bool:
    """False for a statistical extractor's price that is no amount of money (not a number: "from Bose"), and for its
    price or quantity that is a measure (a number followed by "inch", "tb", ...: "a 55 inch tv"). Any other entity
    is plausible."""
    kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
    if kind not in (*_PRICES, "quantity") or entity.get(EXTRACTOR) in _RULE_EXTRACTORS:
        return True
    if kind in _PRICES and not _AMOUNT.fullmatch(str(entity.get(ENTITY_ATTRIBUTE_VALUE) or "").strip()):
        return False
    end = entity.get(ENTITY_ATTRIBUTE_END)
    following = _NEXT_WORD.match(text, end) if isinstance(end, int) and 0 <= end <= len(text) else None
    return following is None or following.group(1).lower() not in MEASURE_WORDS


def _entity_texts(training_data: TrainingData) -> list[str]:
    texts = []
    for example in training_data.training_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES, []) or []:
            start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
            if isinstance(start, int) and isinstance(end, int):
                texts.append(text[start:end])
    return texts


def _entity(found: Found) -> dict[str, Any]:
    return {ENTITY_ATTRIBUTE_TYPE: found.entity, ENTITY_ATTRIBUTE_START: found.start,
            ENTITY_ATTRIBUTE_END: found.end, ENTITY_ATTRIBUTE_VALUE: found.value,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0}


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    try:
        return (a[ENTITY_ATTRIBUTE_START] < b[ENTITY_ATTRIBUTE_END]
                and b[ENTITY_ATTRIBUTE_START] < a[ENTITY_ATTRIBUTE_END])
    except (KeyError, TypeError):
        return False


# A statistical guess of one of these types that strictly contains a catalog word of ours is kept instead of it:
# "wireless headphones" (category) over "headphones", "Brisa Flow 2" (product) over the brand "Brisa".
_NAMES = ("category", "product", "brand")
_CATALOG_WORDS = ("category", "brand", "color")


def _inside(mine: dict[str, Any], other: dict[str, Any]) -> bool:
    """True when `mine` is a catalog word strictly inside `other`'s span."""
    if mine.get(ENTITY_ATTRIBUTE_TYPE) not in _CATALOG_WORDS:
        return False
    try:
        start, end = mine[ENTITY_ATTRIBUTE_START], mine[ENTITY_ATTRIBUTE_END]
        return (other[ENTITY_ATTRIBUTE_START] <= start and end <= other[ENTITY_ATTRIBUTE_END]
                and other[ENTITY_ATTRIBUTE_END] - other[ENTITY_ATTRIBUTE_START] > end - start)
    except (KeyError, TypeError):
        return False


def merge_entities(others: list[dict[str, Any]], ours: list[dict[str, Any]],
                   claimed: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The regexes' entities (emails, order numbers) first; then ours, except where they overlap those or lie
    inside a wider name guessed by a statistical extractor; then a statistical extractor's entity where it
    overlaps none of ours (nor the words they claim: "one" in "the second one"); one entity per type and span."""
    rules = [e for e in others if e.get(EXTRACTOR) in _RULE_EXTRACTORS]
    wider = [e for e in others if e.get(EXTRACTOR) not in _RULE_EXTRACTORS and e.get(ENTITY_ATTRIBUTE_TYPE) in _NAMES]
    pairs = list(zip(ours, ours if claimed is None else claimed, strict=True))
    pairs = [(mine, claim) for mine, claim in pairs
             if not any(_overlaps(mine, rule) for rule in rules) and not any(_inside(mine, w) for w in wider)]
    ours, claimed = [mine for mine, _ in pairs], [claim for _, claim in pairs]
    kept: list[dict[str, Any]] = []
    for entity in rules + [e for e in others if e.get(EXTRACTOR) not in _RULE_EXTRACTORS]:
        if any(_overlaps(entity, mine) for mine in ours + claimed):
            continue
        if any(_overlaps(entity, other) and entity.get(ENTITY_ATTRIBUTE_TYPE) == other.get(ENTITY_ATTRIBUTE_TYPE)
               for other in kept):
            continue
        kept.append(entity)
    return sorted(ours + kept, key=lambda e: (e.get(ENTITY_ATTRIBUTE_START) or 0, e.get(ENTITY_ATTRIBUTE_END) or 0))
