"""MessageGuard: bounded, printable, tidy text for every message; entity annotations follow the text."""

from __future__ import annotations

import time

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from chatecomm_nlu.message_guard import (
    DEFAULT_MAX_CHARS,
    UNREADABLE,
    MessageGuard,
    MessageGuardFallback,
    clean_text,
)


def make_guard(tmp_path, **config) -> MessageGuard:
    """A guard built the way Rasa builds it (create() with the default config merged)."""
    return MessageGuard.create(
        {**MessageGuard.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("message_guard"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def guarded(guard: MessageGuard, text: str) -> str:
    """Text of a plain message after process()."""
    [message] = guard.process([Message({TEXT: text})])
    return message.get(TEXT)


def test_default_config() -> None:
    assert MessageGuard.get_default_config() == {"max_chars": 1000}
    assert DEFAULT_MAX_CHARS == 1000


def test_rejects_non_positive_max_chars(tmp_path) -> None:
    with pytest.raises(ValueError):
        make_guard(tmp_path, max_chars=0)


@pytest.mark.parametrize(
    "text",
    ["show me running shoes under $100", "hi 👋 😀", "größe 42, café crème", "CE-123456 a.b@example.com"],
)
def test_ordinary_text_is_unchanged(tmp_path, text: str) -> None:
    assert guarded(make_guard(tmp_path), text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  add   the\tsecond\n\none  ", "add the second one"),
        ("red\x00shoes", "red shoes"),
        ("\x00\x01\x02\x7f", ""),
        ("size\ufffd\ufffd10", "size 10"),
        ("\ufeffhello", "hello"),
        ("bad \ud800 surrogate", "bad surrogate"),
        ("private\ue000use", "private use"),
        ("\x1b[31mred\x1b[0m", "[31mred [0m"),
    ],
)
def test_control_and_binary_characters_become_single_spaces(tmp_path, text: str, expected: str) -> None:
    assert guarded(make_guard(tmp_path), text) == expected


def test_long_text_is_cut_at_a_word_boundary(tmp_path) -> None:
    guard = make_guard(tmp_path, max_chars=20)
    assert guarded(guard, "running shoes in blue size ten please") == "running shoes in"


def test_a_single_long_word_is_cut_hard(tmp_path) -> None:
    assert guarded(make_guard(tmp_path, max_chars=10), "x" * 50) == "x" * 10


def test_text_of_exactly_max_chars_is_kept(tmp_path) -> None:
    text = "abcd " * 199 + "abcd"
    assert len(text) == 999
    assert guarded(make_guard(tmp_path), text + "e") == text + "e"


def test_huge_binary_message_is_fast_and_bounded(tmp_path) -> None:
    text = ("hello \x00\x01 world " * 10_000) + bytes(range(256)).decode("latin-1") * 400
    started = time.perf_counter()
    result = guarded(make_guard(tmp_path), text)
    assert time.perf_counter() - started < 1.0
    assert 0 < len(result) <= DEFAULT_MAX_CHARS
    assert "\x00" not in result and "  " not in result
    assert result == result.strip()


@pytest.mark.parametrize("text", [None, ""])
def test_messages_without_text_are_left_alone(tmp_path, text) -> None:
    message = Message({INTENT: "greet"} if text is None else {TEXT: text})
    [result] = make_guard(tmp_path).process([message])
    assert result.get(TEXT) == text


def test_training_examples_are_cleaned_and_entities_follow(tmp_path) -> None:
    text = "  add\t\t2   red\x00shoes  "
    entities = [
        {"entity": name, "value": value, "start": text.index(value), "end": text.index(value) + len(value)}
        for name, value in [("quantity", "2"), ("color", "red"), ("category", "shoes")]
    ]
    data = TrainingData([Message({TEXT: text, INTENT: "add_to_cart", ENTITIES: entities})])

    result = make_guard(tmp_path).process_training_data(data)

    [example] = result.training_examples
    assert example.get(TEXT) == "add 2 red shoes"
    assert [(e["start"], e["end"]) for e in example.get(ENTITIES)] == [(4, 5), (6, 9), (10, 15)]
    assert [example.get(TEXT)[e["start"]:e["end"]] for e in example.get(ENTITIES)] == ["2", "red", "shoes"]
    assert [e["value"] for e in example.get(ENTITIES)] == ["2", "red", "shoes"]


def test_entities_inside_whitespace_runs_keep_their_inner_spacing_collapsed(tmp_path) -> None:
    text = "i want running \n\n shoes"
    entities = [{"entity": "category", "value": "running shoes", "start": 7, "end": 23}]
    [message] = make_guard(tmp_path).process([Message({TEXT: text, ENTITIES: entities})])
    assert message.get(TEXT) == "i want running shoes"
    [entity] = message.get(ENTITIES)
    assert message.get(TEXT)[entity["start"]:entity["end"]] == "running shoes"


def test_entities_cut_off_by_the_length_limit_are_dropped(tmp_path) -> None:
    text = "add two red shoes"
    entities = [
        {"entity": "quantity", "value": "two", "start": 4, "end": 7},
        {"entity": "category", "value": "shoes", "start": 12, "end": 17},
    ]
    [message] = make_guard(tmp_path, max_chars=12).process([Message({TEXT: text, ENTITIES: entities})])
    assert message.get(TEXT) == "add two red"
    assert message.get(ENTITIES) == [{"entity": "quantity", "value": "two", "start": 4, "end": 7}]


def test_clean_text_maps_every_original_offset() -> None:
    cleaned = clean_text(" a  b ", max_chars=100)
    assert cleaned.text == "a b"
    assert cleaned.span(1, 2) == (0, 1)
    assert cleaned.span(4, 5) == (2, 3)
    assert cleaned.span(1, 5) == (0, 3)
    assert cleaned.span(2, 4) is None  # only whitespace
    assert cleaned.span(3, 99) is None  # out of range


def test_new_emoji_outside_python_unicode_tables_are_kept(tmp_path) -> None:
    text = "love it \U0001FAE0"  # melting face: unassigned in older Unicode tables
    assert guarded(make_guard(tmp_path), text) == text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x00", "😀😀🔥", "👍", "?!...", "\ufffd\ufffd\ufffd hi", "ab\x00\x01\x02\x03cd"],
)
def test_texts_without_words_or_mostly_binary_are_marked_unreadable(tmp_path, text: str) -> None:
    [message] = make_guard(tmp_path).process([Message({TEXT: text})])
    assert message.get(UNREADABLE) is True


@pytest.mark.parametrize(
    "text",
    [
        "hi",
        "ok 👍",
        "#2",
        "CE-123456",
        "size 10",
        "red\x00shoes and blue\x00socks please",
        "größe 42",
        "靴を探しています",
    ],
)
def test_texts_with_words_are_readable(tmp_path, text: str) -> None:
    [message] = make_guard(tmp_path).process([Message({TEXT: text})])
    assert message.get(UNREADABLE) is None


def make_fallback(tmp_path) -> MessageGuardFallback:
    """The end-of-pipeline component, built the way Rasa builds it."""
    return MessageGuardFallback.create(
        MessageGuardFallback.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("message_guard_fallback"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def predicted(text: str) -> Message:
    """A message as the classifiers leave it: "affirm" with an entity."""
    return Message(
        {
            TEXT: text,
            INTENT: {"name": "affirm", "confidence": 0.81},
            INTENT_RANKING_KEY: [{"name": "affirm", "confidence": 0.81}, {"name": "deny", "confidence": 0.1}],
            ENTITIES: [{"entity": "product", "value": "x", "start": 0, "end": 1}],
        }
    )


def test_unreadable_message_falls_back_with_no_entities(tmp_path) -> None:
    [message] = make_guard(tmp_path).process([predicted("\x00\x00\x00")])
    [message] = make_fallback(tmp_path).process([message])
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["nlu_fallback", "affirm", "deny"]
    assert message.get(ENTITIES) == []
    assert message.as_dict(only_output_properties=True)[INTENT]["name"] == "nlu_fallback"
    assert UNREADABLE not in message.as_dict(only_output_properties=True)


def test_readable_message_keeps_its_prediction(tmp_path) -> None:
    [message] = make_guard(tmp_path).process([predicted("yes")])
    [message] = make_fallback(tmp_path).process([message])
    assert message.get(INTENT) == {"name": "affirm", "confidence": 0.81}
    assert len(message.get(ENTITIES)) == 1
