"""CatalogEntityExtractor as a Rasa component: train, persist, load, process, merge with other extractors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from chatecomm_nlu.catalog_entities import CatalogEntityExtractor, merge_entities, plausible_amount

VOCABULARY = {"version": 1, "brand": ["Northpeak"], "category": {"kettles": ["kettle"]}, "color": ["sage"],
              "size": ["M", "10"], "product": ["Northpeak Copper Kettle"]}


def _storage(tmp_path: Path) -> LocalModelStorage:
    (tmp_path / "storage").mkdir()
    return LocalModelStorage(tmp_path / "storage")


def _training_data() -> TrainingData:
    return TrainingData(training_examples=[
        Message(data={TEXT: "show me some kettles", "intent": "search_product"}),
        Message(data={TEXT: "i want nothpeak", "intent": "search_product",
                      ENTITIES: [{"entity": "brand", "start": 7, "end": 15, "value": "nothpeak"}]}),
    ])


@pytest.fixture()
def trained(tmp_path: Path) -> tuple[LocalModelStorage, Resource, dict]:
    vocabulary = tmp_path / "catalog_vocabulary.json"
    vocabulary.write_text(json.dumps(VOCABULARY))
    config = {**CatalogEntityExtractor.get_default_config(), "vocabulary": str(vocabulary)}
    storage = _storage(tmp_path)
    resource = Resource("catalog_entities")
    context = ExecutionContext(GraphSchema({}), "test")
    extractor = CatalogEntityExtractor.create(config, storage, resource, context)
    extractor.train(_training_data())
    return storage, resource, config


def _process(extractor: CatalogEntityExtractor, text: str, entities: list[dict] | None = None) -> list[dict]:
    message = Message(data={TEXT: text, ENTITIES: entities or []})
    extractor.process([message])
    return message.get(ENTITIES)


def test_a_loaded_extractor_finds_catalog_words_patterns_and_typos(trained: tuple) -> None:
    storage, resource, config = trained
    extractor = CatalogEntityExtractor.load(config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    entities = _process(extractor, "northpaek kettles under $40 in size M")
    assert [(e["entity"], e["value"]) for e in entities] == [
        ("brand", "Northpeak"), ("category", "kettles"), ("price_max", "40"), ("size", "M")]
    assert {e["extractor"] for e in entities} == {"CatalogEntityExtractor"}


def test_a_word_annotated_as_an_entity_in_training_may_still_be_a_typo(trained: tuple) -> None:
    storage, resource, config = trained
    extractor = CatalogEntityExtractor.load(config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    assert [(e["entity"], e["value"]) for e in _process(extractor, "nothpeak")] == [("brand", "Northpeak")]


def test_words_of_the_training_data_are_not_corrected(tmp_path: Path, trained: tuple) -> None:
    storage, resource, config = trained
    extractor = CatalogEntityExtractor.load(config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    assert _process(extractor, "show") == []


def test_the_vocabulary_file_is_part_of_the_fingerprint(tmp_path: Path) -> None:
    vocabulary = tmp_path / "v.json"
    config = {"vocabulary": str(vocabulary)}
    assert CatalogEntityExtractor.fingerprint_addon(config) == "missing"
    vocabulary.write_text(json.dumps(VOCABULARY))
    first = CatalogEntityExtractor.fingerprint_addon(config)
    vocabulary.write_text(json.dumps({**VOCABULARY, "brand": ["Other"]}))
    assert CatalogEntityExtractor.fingerprint_addon(config) not in (first, "missing")


def test_training_without_a_vocabulary_file_still_gives_patterns(tmp_path: Path) -> None:
    config = {**CatalogEntityExtractor.get_default_config(), "vocabulary": str(tmp_path / "absent.json")}
    storage = _storage(tmp_path)
    resource = Resource("catalog_entities")
    context = ExecutionContext(GraphSchema({}), "test")
    CatalogEntityExtractor.create(config, storage, resource, context).train(_training_data())
    extractor = CatalogEntityExtractor.load(config, storage, resource, context)
    assert [(e["entity"], e["value"]) for e in _process(extractor, "under 20 bucks")] == [("price_max", "20")]


def _e(entity: str, start: int, end: int, extractor: str, value: str = "v") -> dict:
    return {"entity": entity, "start": start, "end": end, "value": value, "extractor": extractor}


def test_merge_drops_guesses_under_our_entities_and_keeps_the_rest() -> None:
    ours = [_e("mention", 8, 13, "CatalogEntityExtractor")]
    diet = [_e("quantity", 14, 17, "DIETClassifier"), _e("mention", 8, 13, "DIETClassifier"),
            _e("brand", 20, 25, "DIETClassifier")]
    merged = merge_entities(diet, ours)
    assert [(e["entity"], e["extractor"]) for e in merged] == [
        ("mention", "CatalogEntityExtractor"), ("quantity", "DIETClassifier"), ("brand", "DIETClassifier")]


def test_merge_keeps_one_email_and_prefers_the_regex_over_everyone() -> None:
    regex = _e("email", 10, 25, "RegexEntityExtractor")
    diet = _e("email", 10, 25, "DIETClassifier")
    ours = [_e("quantity", 10, 12, "CatalogEntityExtractor")]
    merged = merge_entities([diet, regex], ours)
    assert merged == [regex]


def test_merge_with_nothing_of_ours_changes_nothing() -> None:
    diet = [_e("brand", 0, 4, "DIETClassifier"), _e("color", 5, 8, "DIETClassifier")]
    assert merge_entities(diet, []) == diet


def test_merge_drops_a_guess_on_words_our_mention_claims() -> None:
    ours = [_e("mention", 8, 13, "CatalogEntityExtractor")]
    diet = [_e("quantity", 14, 17, "DIETClassifier", "one")]
    assert merge_entities(diet, ours, [{"start": 8, "end": 17}]) == ours


def test_a_mention_claims_the_one_after_it(trained: tuple) -> None:
    storage, resource, config = trained
    extractor = CatalogEntityExtractor.load(config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    guess = _e("quantity", 14, 17, "DIETClassifier", "one")
    entities = _process(extractor, "add the third one", [guess])
    assert [(e["entity"], e["value"]) for e in entities] == [("mention", "third")]


def test_a_wider_name_guessed_by_diet_wins_over_a_catalog_word_inside_it() -> None:
    ours = [_e("category", 9, 19, "CatalogEntityExtractor", "headphones"),
            _e("price_max", 27, 30, "CatalogEntityExtractor", "120")]
    diet = [_e("category", 0, 19, "DIETClassifier", "wireless headphones"),
            _e("price_max", 27, 35, "DIETClassifier", "120 tops")]
    merged = merge_entities(diet, ours)
    assert [(e["entity"], e["value"]) for e in merged] == [("category", "wireless headphones"), ("price_max", "120")]


@pytest.mark.parametrize(("text", "start", "end", "value", "kept"), [
    ("noise cancelling headphones from Bose", 33, 37, "Bose", False),  # no number
    ("a 55 inch tv", 2, 4, "55", False),  # a measure
    ('a 27" monitor', 2, 4, "27", False),
    ("a 2-tb drive", 2, 3, "2", False),
    ("a laptop under 800", 15, 18, "800", True),
    ("under $1,200.50 please", 6, 15, "$1,200.50", True),
    ("under 50 in blue", 6, 8, "50", True),  # "in" is not taken for inches
    ("around 2k", 7, 9, "2k", True),
])
def test_a_statistical_price_must_read_as_an_amount_of_money(text: str, start: int, end: int, value: str,
                                                     kept: bool) -> None:
    assert plausible_amount(_e("price_max", start, end, "DIETClassifier", value), text) is kept


def test_a_statistical_quantity_followed_by_a_measure_is_dropped() -> None:
    assert not plausible_amount(_e("quantity", 18, 20, "DIETClassifier", "55"), "i'm looking for a 55 inch tv")
    assert plausible_amount(_e("quantity", 4, 7, "DIETClassifier", "two"), "add two of them")
    assert plausible_amount(_e("brand", 0, 4, "DIETClassifier", "Bose"), "Bose 2 tb")


def test_an_implausible_amount_guess_is_dropped_and_other_guesses_stay(trained: tuple) -> None:
    storage, resource, config = trained
    extractor = CatalogEntityExtractor.load(config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    text = "a 55 inch tv from Lumora"
    guesses = [_e("price_max", 2, 4, "DIETClassifier", "55"), _e("brand", 18, 24, "DIETClassifier", "Lumora")]
    assert [(e["entity"], e["value"]) for e in _process(extractor, text, guesses)] == [("brand", "Lumora")]
    # a price of our own patterns stays
    assert [(e["entity"], e["value"]) for e in _process(extractor, "a 55 inch tv under 400")] == [
        ("price_max", "400")]
