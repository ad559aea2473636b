"""MessageGuard: the first NLU component; makes any text short, printable and tidy before tokenizing.

A 100 kB paste, a NUL byte or a binary blob must not slow down or break the pipeline. For every
message (at training and at prediction time) the guard

- replaces control, surrogate and private-use characters (and U+FFFD, U+FEFF) by spaces,
- collapses runs of whitespace into one space and strips both ends,
- cuts the text at a word boundary when it is longer than ``max_chars`` (default 1000).

Entity annotations already on a message (training examples) are moved with the text, so the
guard never misaligns an entity. Printable text, emoji included, is left untouched.

A message with no letter or digit (empty, emoji or symbols only) or made mostly of control/binary
characters is marked unreadable; MessageGuardFallback, the last component of the pipeline, then
turns its prediction into ``nlu_fallback`` with no entities, so that such a message can never
pass for "yes" or a search.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DEFAULT_MAX_CHARS = 1000
# Raw text beyond this many times max_chars is dropped before cleaning (cleaning only shortens text).
_RAW_LIMIT_FACTOR = 8
# A word boundary is looked for in the last part of the allowed length only; otherwise cut hard.
_MIN_KEEP_RATIO = 0.5
# Unassigned code points (Cn) are kept: emoji newer than Python's Unicode tables are Cn.
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Co"})
_BAD_CHARACTERS = frozenset({"\ufffd", "\ufeff"})
# Above this share of control/binary characters (among non-whitespace ones) a message is binary.
_MAX_BINARY_SHARE = 0.1
# Message attribute (not part of the parse output) set by MessageGuard on unreadable messages.
UNREADABLE = "chatecomm_unreadable"


def _is_bad(char: str) -> bool:
    """True for control and binary characters (whitespace excluded)."""
    return not char.isspace() and (char in _BAD_CHARACTERS or unicodedata.category(char) in _BAD_CATEGORIES)


@dataclass(frozen=True)
class CleanText:
    """Cleaned text, with where each original character offset lands in it."""

    text: str
    starts: list[int]  # starts[i]: offset in `text` of original character i (or of the next kept one)
    ends: list[int]  # ends[i]: length of `text` kept up to (not including) original character i
    bad: int = 0  # control/binary characters replaced
    visible: int = 0  # non-whitespace characters looked at (bad ones included)

    @property
    def unreadable(self) -> bool:
        """No letter or digit left, or mostly control/binary characters."""
        if self.bad > _MAX_BINARY_SHARE * self.visible:
            return True
        return not any(char.isalnum() for char in self.text)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The cleaned (start, end) of an original span, or None when it no longer fits in the text."""
        if not (0 <= start < end <= len(self.starts) - 1):
            return None
        new_start, new_end = self.starts[start], self.ends[end]
        if new_start >= new_end or new_end > len(self.text):
            return None
        return new_start, new_end


def clean_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> CleanText:
    """Replace control/binary characters, collapse whitespace and cut at a word boundary."""
    raw = text[: max(max_chars, 1) * _RAW_LIMIT_FACTOR]
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space = False
    bad = visible = 0
    for char in raw:
        is_space = char.isspace()
        is_bad = not is_space and _is_bad(char)
        visible += not is_space
        bad += is_bad
        if is_space or is_bad:
            starts.append(len(out) + (1 if out else 0))
            ends.append(len(out))
            pending_space = bool(out)
            continue
        ends.append(len(out))
        if pending_space:
            out.append(" ")
            pending_space = False
        starts.append(len(out))
        out.append(char)
    starts.append(len(out))
    ends.append(len(out))
    # characters dropped by the raw limit map past the end, so their spans are discarded
    beyond = len(text) - len(raw)
    starts.extend([len(out) + 1] * beyond)
    ends.extend([len(out) + 1] * beyond)

    cleaned = "".join(out)
    if len(cleaned) > max_chars:
        cut = cleaned.rfind(" ", 0, max_chars + 1)
        if cut < max_chars * _MIN_KEEP_RATIO:
            cut = max_chars
        cleaned = cleaned[:cut].rstrip()
    return CleanText(cleaned, starts, ends, bad, visible)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MessageGuard(GraphComponent):
    """Cleans and bounds every message's text before the tokenizer sees it."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Default configuration: keep at most 1000 characters."""
        return {"max_chars": DEFAULT_MAX_CHARS}

    def __init__(self, config: dict[str, Any]) -> None:
        """Store the validated configuration."""
        max_chars = int(config.get("max_chars", DEFAULT_MAX_CHARS))
        if max_chars < 1:
            raise ValueError(f"MessageGuard max_chars must be positive, got {max_chars}")
        self.max_chars = max_chars

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuard:
        """Create the component (nothing to train or load)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Clean the text of incoming messages."""
        for message in messages:
            self._guard(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Clean the text of training examples the same way, moving entity annotations along."""
        for example in training_data.training_examples:
            self._guard(example)
        return training_data

    def _guard(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        cleaned = clean_text(text, self.max_chars)
        if cleaned.unreadable:
            message.set(UNREADABLE, True)
        if cleaned.text == text:
            return
        message.set(TEXT, cleaned.text)
        entities = message.get(ENTITIES)
        if entities:
            message.set(ENTITIES, _moved_entities(entities, cleaned))


def _moved_entities(entities: list[dict[str, Any]], cleaned: CleanText) -> list[dict[str, Any]]:
    """Entities re-anchored on the cleaned text; those cut off or emptied are dropped."""
    moved = []
    for entity in entities:
        start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
        if not isinstance(start, int) or not isinstance(end, int):
            moved.append(entity)
            continue
        span = cleaned.span(start, end)
        if span is None:
            continue
        moved.append({**entity, ENTITY_ATTRIBUTE_START: span[0], ENTITY_ATTRIBUTE_END: span[1]})
    return moved


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessageGuardFallback(GraphComponent):
    """Last in the pipeline: a message MessageGuard marked unreadable gets nlu_fallback and no entities."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Nothing to configure."""
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuardFallback:
        """Create the component (nothing to train or load)."""
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace the prediction of unreadable messages by nlu_fallback."""
        for message in messages:
            if message.get(UNREADABLE):
                fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
                ranking = [
                    ranked
                    for ranked in message.get(INTENT_RANKING_KEY) or []
                    if ranked.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
                ]
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback, *ranking], add_to_output=True)
                message.set(ENTITIES, [], add_to_output=True)
        return messages
