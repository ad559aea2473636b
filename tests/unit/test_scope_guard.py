"""ScopeGuard: trains a calibrated out_of_scope model, stores it without pickle, overrides open questions only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from chatecomm_nlu.scope_guard import REPLACED_KEY, SCORE_KEY, ScopeGuard

SHOP = ["show me running shoes", "any headphones under 100", "add the second one to my cart", "where is my order",
        "do you sell backpacks", "i want a red dress", "cheap kettles please", "recommend a good blender",
        "what is your return policy", "how long does shipping take", "track my package", "compare these two"]
OTHER = ["what's the weather tomorrow", "set an alarm for seven", "transfer money to my savings account",
         "book a flight to lisbon", "how many calories in an apple", "play some jazz music",
         "what is the capital of peru", "remind me to call mom", "translate hello into german",
         "how do i change a flat tire", "what's my credit score", "tell me the football score"]


def _data() -> TrainingData:
    examples = [Message(data={TEXT: t, INTENT: "search_product"}) for t in SHOP]
    examples += [Message(data={TEXT: t, INTENT: "out_of_scope"}) for t in OTHER]
    return TrainingData(training_examples=examples)


@pytest.fixture()
def guard(tmp_path: Path) -> ScopeGuard:
    (tmp_path / "s").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "s"), Resource("scope_guard")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**ScopeGuard.get_default_config(), "threshold": 0.5}
    ScopeGuard.create(config, storage, resource, context).train(_data())
    return ScopeGuard.load(config, storage, resource, context)


def _message(text: str, intent: str, confidence: float = 0.9, entities: list[dict] | None = None) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                                     {"name": "out_of_scope", "confidence": 1 - confidence}])
    message.set(ENTITIES, entities or [])
    return message


def test_scores_separate_shop_from_other_domains(guard: ScopeGuard) -> None:
    assert guard.score("set an alarm and play jazz") > 0.5 > guard.score("show me cheap running shoes")


def test_an_open_question_from_another_domain_becomes_out_of_scope(guard: ScopeGuard) -> None:
    message = _message("what's the weather like in peru", "recommend")
    guard.process([message])
    assert message.get(INTENT)["name"] == "out_of_scope"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "out_of_scope"
    assert message.get(REPLACED_KEY)["intent"]["name"] == "recommend"
    assert 0.5 <= message.get(SCORE_KEY) <= 1


def test_answers_and_catalog_words_are_never_overridden(guard: ScopeGuard) -> None:
    answer = _message("what's the weather like in peru", "inform")
    catalog = _message("what's the weather like in peru", "search_product",
                       entities=[{"entity": "category", "start": 0, "end": 4, "value": "x",
                                  "extractor": "CatalogEntityExtractor"}])
    guard.process([answer, catalog])
    assert answer.get(INTENT)["name"] == "inform"
    assert catalog.get(INTENT)["name"] == "search_product"


def test_other_intents_need_the_closed_threshold(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "s"), Resource("scope_guard")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**ScopeGuard.get_default_config(), "threshold": 0.5, "closed_threshold": 0.5}
    ScopeGuard.create(config, storage, resource, context).train(_data())
    guard = ScopeGuard.load(config, storage, resource, context)
    luggage = _message("what's the weather like in peru", "order_status")
    order = _message("what's the weather like in peru CE-123456", "order_status",
                     entities=[{"entity": "order_id", "start": 31, "end": 40, "value": "CE-123456",
                                "extractor": "RegexEntityExtractor"}])
    social = _message("what's the weather like in peru", "affirm")
    guard.process([luggage, order, social])
    assert luggage.get(INTENT)["name"] == "out_of_scope"
    assert order.get(INTENT)["name"] == "order_status"
    assert social.get(INTENT)["name"] == "affirm"


def test_without_a_closed_threshold_only_open_questions_are_replaced(guard: ScopeGuard) -> None:
    assert guard.threshold_for("faq/shipping") == 0.5
    assert guard.threshold_for("order_status") is None
    assert guard.threshold_for("deny") is None


def test_an_order_number_or_email_undoes_a_doubtful_out_of_scope(guard: ScopeGuard) -> None:
    email = {"entity": "email", "start": 20, "end": 35, "value": "ana@example.com",
             "extractor": "RegexEntityExtractor"}
    answer = _message("track my order, ana@example.com", "out_of_scope", 0.8, entities=[email])
    assert guard.score("track my order, ana@example.com") < 0.5
    answer.set(INTENT_RANKING_KEY, [{"name": "out_of_scope", "confidence": 0.8}, {"name": "inform", "confidence": 0.15},
                                    {"name": "order_status", "confidence": 0.05}])
    plain = _message("i like red running shoes", "out_of_scope", 0.8)
    weather = _message("what's the weather like in peru ana@example.com", "out_of_scope", 0.8, entities=[email])
    guard.process([answer, plain, weather])
    assert answer.get(INTENT)["name"] == "inform"
    assert answer.get(INTENT)["confidence"] == pytest.approx(0.75)
    assert [r["name"] for r in answer.get(INTENT_RANKING_KEY)] == ["inform", "order_status"]
    assert plain.get(INTENT)["name"] == "out_of_scope"
    assert weather.get(INTENT)["name"] == "out_of_scope"


def test_a_catalog_word_or_a_list_position_undoes_a_doubtful_out_of_scope(guard: ScopeGuard) -> None:
    def doubtful(text: str, entity: str, extractor: str = "CatalogEntityExtractor") -> Message:
        message = _message(text, "out_of_scope", 0.99, entities=[
            {"entity": entity, "start": 0, "end": 4, "value": "x", "extractor": extractor}])
        message.set(INTENT_RANKING_KEY, [{"name": "out_of_scope", "confidence": 0.99},
                                         {"name": "product_details", "confidence": 0.008},
                                         {"name": "search_product", "confidence": 0.002}])
        return message

    position = doubtful("does option 3 come in red", "mention")
    product = doubtful("does the trail runner come in red", "product")
    guessed = doubtful("does the trail runner come in red", "product", "DIETClassifier")  # a guess is no evidence
    weather = doubtful("what's the weather like in peru", "mention")  # the guard agrees with DIET
    assert guard.score("does option 3 come in red") < 0.5 <= guard.score("what's the weather like in peru")
    guard.process([position, product, guessed, weather])
    assert position.get(INTENT)["name"] == "product_details"
    assert position.get(INTENT)["confidence"] == pytest.approx(0.8)
    assert product.get(INTENT)["name"] == "product_details"
    assert guessed.get(INTENT)["name"] == "out_of_scope"
    assert weather.get(INTENT)["name"] == "out_of_scope"


def test_a_question_whether_the_shop_sells_something_undoes_out_of_scope(guard: ScopeGuard) -> None:
    def sure(text: str) -> Message:
        message = _message(text, "out_of_scope", 0.98)
        message.set(INTENT_RANKING_KEY, [{"name": "out_of_scope", "confidence": 0.98},
                                         {"name": "search_product", "confidence": 0.015},
                                         {"name": "faq", "confidence": 0.005}])
        return message

    asked = [sure(t) for t in ("do you sell dyson vacuums", "Does your store stock kids bikes?",
                               "can i buy a coffee grinder here", "do you guys carry air fryers")]
    weather = sure("what's the weather like in peru")
    seller = sure("i want to sell my old vacuum")  # selling, not asking what the shop sells
    guard.process([*asked, weather, seller])
    assert [m.get(INTENT)["name"] for m in asked] == ["search_product"] * 4
    assert asked[0].get(INTENT)["confidence"] == pytest.approx(0.75)
    assert weather.get(INTENT)["name"] == "out_of_scope"
    assert seller.get(INTENT)["name"] == "out_of_scope"


def test_a_question_whether_the_shop_sells_something_is_not_overridden(guard: ScopeGuard) -> None:
    text = "do you sell weather radios for the flight"
    assert guard.score(text) >= 0.5  # the guard alone would take it for another domain
    message = _message(text, "search_product")
    guard.process([message])
    assert message.get(INTENT)["name"] == "search_product"


def test_a_shop_question_keeps_its_intent(guard: ScopeGuard) -> None:
    message = _message("do you sell red running shoes", "search_product")
    guard.process([message])
    assert message.get(INTENT)["name"] == "search_product"
    assert message.get(REPLACED_KEY) is None


def test_weights_are_stored_without_pickle(guard: ScopeGuard, tmp_path: Path) -> None:
    stored = next((tmp_path / "s").rglob("weights.npy"))
    weights = np.load(stored, allow_pickle=False)
    assert weights.dtype == np.float32 and weights.ndim == 1


def test_an_untrained_guard_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    context = ExecutionContext(GraphSchema({}), "test")
    guard = ScopeGuard.load({}, LocalModelStorage(tmp_path / "s"), Resource("none"), context)
    message = _message("what's the weather like", "recommend")
    guard.process([message])
    assert message.get(INTENT)["name"] == "recommend"
    assert message.get(SCORE_KEY) is None
