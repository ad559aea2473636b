"""NLU data hygiene: no sentence under two intents, no test sentence in (or one word from) training."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_nlu_overlap", ROOT / "scripts" / "check_nlu_overlap.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


@pytest.fixture(scope="module")
def result():
    return checker.check(ROOT)


def test_no_contradictions_or_leaks(result):
    errors, _warnings, train, test = result
    assert train and test
    assert errors == [], "\n".join(errors)


def test_every_intent_is_in_the_domain(result):
    _errors, _warnings, train, test = result
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    declared = {item if isinstance(item, str) else next(iter(item)) for item in domain["intents"]}
    used = {ex.intent.split("/", 1)[0] for ex in train + test}
    assert used <= declared, f"not in domain.yml: {sorted(used - declared)}"


def test_test_split_covers_out_of_scope(result):
    _errors, _warnings, _train, test = result
    assert sum(ex.intent == "out_of_scope" for ex in test) >= 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Where's my [CE-123456](order_id)?!", "wheres my ce-123456"),
        ("mail [a.b@example.com](email) now.", "mail a.b@example.com now"),
        ('[next day]{"entity": "shipping_method", "value": "express"}  please', "next day please"),
        ("$[40](price_min)-$[90](price_max)", "40 90"),
    ],
)
def test_normalise(text, expected):
    assert checker.normalise(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("cancel my order please", "cancel my order now", True),  # one word replaced
        ("cancel my order", "cancel my whole order", True),  # one word added
        ("please cancel my order", "cancel my order", True),  # one word removed
        ("cancel my order", "cancel my order", False),  # equal: an exact duplicate, not a near one
        ("cancel my order now", "track my parcel now", False),  # two words
        ("where is my order", "my order is where", False),
    ],
)
def test_one_word_apart(a, b, expected):
    assert checker.one_word_apart(a.split(), b.split()) is expected


def _write(folder: Path, name: str, blocks: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nlu = [{"intent": intent, "examples": "".join(f"- {line}\n" for line in lines)} for intent, lines in blocks.items()]
    (folder / name).write_text(yaml.safe_dump({"version": "3.1", "nlu": nlu}), encoding="utf-8")


def test_checker_finds_each_kind_of_error(tmp_path):
    _write(
        tmp_path / "data" / "nlu",
        "a.yml",
        {
            "order_status": ["where is my parcel right now", "track [CE-111111](order_id)"],
            "out_of_scope": ["Track CE-111111!", "what is the weather in Paris"],
        },
    )
    _write(
        tmp_path / "tests" / "nlu",
        "test.yml",
        {
            "out_of_scope": ["what is the weather in Rome", "What is the weather in Paris?", "book a table"],
            "greet": ["book a table"],
        },
    )
    errors, _warnings, _train, _test = checker.check(tmp_path)
    text = "\n".join(errors)
    assert "training: one sentence under 2 intents" in text  # "track CE-111111" twice
    assert "test: one sentence under 2 intents" in text  # "book a table"
    assert "near-leak" in text and "weather in Rome" in text
    assert "leak: test out_of_scope 'What is the weather in Paris?'" in text
    assert len(errors) == 4
