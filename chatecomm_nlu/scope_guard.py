"""ScopeGuard: a second opinion on whether a message is about the shop at all.

DIET is trained to pick one of the shop's intents and tends to be sure of itself even for a message from
another domain ("what's my credit score" as faq/payment_methods). The guard is a separate, simple and
well-calibrated model trained on the same examples with one question only: out_of_scope or not? It uses
hashed word (1-2) and character (2-5) n-grams and a logistic regression, so it reads a message differently
from DIET.

When DIET chose an open question (searching, product questions, recommendations, FAQ, small talk, help),
the message holds no shop evidence (no brand, category or product the catalog knows, no position in the list
shown, no coupon code, order number or email) and the guard's probability of out_of_scope is at least
``threshold``, the prediction becomes ``out_of_scope``. The other intents (orders, cart, checkout, handoff,
inform) are replaced only from the higher ``closed_threshold`` ("where is my luggage" is not an order question),
and short social answers (yes, no, hello, thanks, bye, stop) never. The probability is added to the parse output as
``out_of_scope_score`` so that ``make eval-nlu`` can measure and sweep both thresholds. The other way round,
when DIET says out_of_scope, the guard's score is under ``restore_threshold`` (it leans towards the shop) and the
message holds shop evidence, the best shop intent is restored; a question whether the shop sells something ("do
you sell dyson vacuums") is restored whatever the guard's score.

The model is stored as two numpy arrays (no pickle): loading a model never runs code from it.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

log = logging.getLogger(__name__)

OUT_OF_SCOPE = "out_of_scope"
SCORE_KEY = "out_of_scope_score"
REPLACED_KEY = "scope_guard_replaced"
# Intents whose prediction the guard may replace: open questions a message from another domain lands on.
OPEN_INTENTS = ("search_product", "product_details", "compare_products", "recommend", "refine_search", "faq",
                "chitchat", "help", "bot_challenge")
# Intents the guard never replaces: one-word social answers whose scope a text model cannot judge.
NEVER_REPLACED = ("affirm", "deny", "greet", "goodbye", "thank", "stop", OUT_OF_SCOPE, "nlu_fallback")
# the catalog's words, a product of the list shown named by its position ("what's the difference between #1 and #2")
# and a coupon code after its cue ("here is my code FALL10")
_CATALOG_EVIDENCE = ("brand", "category", "product", "mention", "coupon_code")
_CATALOG_EXTRACTOR = "CatalogEntityExtractor"
_PATTERN_EVIDENCE = ("order_id", "email")  # RegexEntityExtractor: an order number or an email is about the shop
_PATTERN_EXTRACTOR = "RegexEntityExtractor"
# Whether the shop sells something: 1 of CLINC150's 5,500 test queries asks it this way ("where can i buy new
# shingles"), none of the project's own out_of_scope examples.
_SELLS = re.compile(r"\b(?:do|does) (?:you|u|ya|y'all|this (?:shop|store)|your (?:shop|store))(?: guys| folks| all)? "
                    r"(?:sell|carry|stock)\b|\bwhere can i buy\b|\bcan i (?:buy|order|get) (?:[\w'-]+ ){0,5}"
                    r"(?:here|from you)\b", re.IGNORECASE)
_WEIGHTS_FILE = "weights.npy"
_N_FEATURES = 2 ** 18


def intent_kind(intent: str) -> str | None:
    """'open' or 'closed': which threshold applies to the intent; None: the guard never replaces it."""
    base = intent.split("/", 1)[0]
    if not base or base in NEVER_REPLACED:
        return None
    return "open" if base in OPEN_INTENTS else "closed"


def pattern_evidence(entities: Iterable[Mapping[str, Any]]) -> bool:
    """An order number or an email address (RegexEntityExtractor) among the entities."""
    return any(e.get(EXTRACTOR) == _PATTERN_EXTRACTOR and e.get(ENTITY_ATTRIBUTE_TYPE) in _PATTERN_EVIDENCE
               for e in entities)


def asks_what_is_sold(text: str) -> bool:
    """True when the message asks whether the shop sells something ("do you sell dyson vacuums", "does your store
    stock kids bikes", "can I buy a coffee grinder here"), whatever the thing: a question about the shop even
    when the catalog does not know the thing."""
    return bool(_SELLS.search(text or ""))


def shop_evidence(entities: Iterable[Mapping[str, Any]], text: str = "") -> bool:
    """A brand, category or product the catalog knows, a position in the list shown, a coupon code, an order number
    or an email among the entities (found by the catalog extractor or the regexes, not guessed by DIET), or a
    question whether the shop sells something (`asks_what_is_sold`)."""
    entities = list(entities)
    return pattern_evidence(entities) or asks_what_is_sold(text) or any(
        e.get(EXTRACTOR) == _CATALOG_EXTRACTOR and e.get(ENTITY_ATTRIBUTE_TYPE) in _CATALOG_EVIDENCE for e in entities)


@functools.cache
def _vectorizers() -> tuple[HashingVectorizer, HashingVectorizer]:
    """The two stateless vectorizers, built once per process (transform only reads their parameters)."""
    words = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=_N_FEATURES, alternate_sign=False,
                              lowercase=True, norm="l2", token_pattern=r"(?u)\b\w+\b")
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=_N_FEATURES, alternate_sign=False,
                              lowercase=True, norm="l2")
    return words, chars


def features(texts: list[str]) -> scipy.sparse.csr_matrix:
    """Hashed word and character n-grams of the texts (no state: the same at training and prediction)."""
    words, chars = _vectorizers()
    return scipy.sparse.hstack([words.transform(texts), chars.transform(texts)]).tocsr()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ScopeGuard(GraphComponent):
    """Turns an open-question prediction into out_of_scope when a second, calibrated model is sure enough."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """threshold: probability of out_of_scope from which the guard replaces an open question;
        closed_threshold: the same for the other intents (None: never); restore_threshold: DIET's out_of_scope for a
        message with shop evidence is undone under this probability; c: inverse regularisation."""
        return {"threshold": 0.7, "closed_threshold": None, "restore_threshold": 0.5, "c": 16.0}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 weights: np.ndarray | None = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights  # coefficients of the features, then the intercept

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ScopeGuard:
        """A new, untrained guard."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit out_of_scope against every other intent on the training examples."""
        texts, labels = [], []
        for example in training_data.intent_examples:
            text = example.get(TEXT)
            if text:
                texts.append(text)
                labels.append(1 if example.get(INTENT) == OUT_OF_SCOPE else 0)
        if len(set(labels)) < 2:
            log.warning("ScopeGuard needs out_of_scope and other examples: it will not override anything")
            return self._resource
        model = LogisticRegression(C=float(self._config.get("c", 16.0)), class_weight="balanced", max_iter=2000)
        model.fit(features(texts), np.array(labels))
        self._weights = np.concatenate([model.coef_[0], model.intercept_]).astype(np.float32)
        with self._model_storage.write_to(self._resource) as directory:
            np.save(Path(directory) / _WEIGHTS_FILE, self._weights, allow_pickle=False)
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ScopeGuard:
        """The guard with its stored weights (none: it overrides nothing)."""
        weights = None
        try:
            with model_storage.read_from(resource) as directory:
                weights = np.load(Path(directory) / _WEIGHTS_FILE, allow_pickle=False)
        except (ValueError, OSError) as exc:
            log.warning("ScopeGuard has no stored weights (%s): it will not override anything", exc)
        return cls(config, model_storage, resource, weights)

    def score(self, text: str) -> float | None:
        """Probability that the text is out of scope; None when untrained."""
        if self._weights is None or self._weights.shape[0] != 2 * _N_FEATURES + 1 or not text:
            return None
        logit = float(features([text]) @ self._weights[:-1] + self._weights[-1])
        return 1.0 / (1.0 + float(np.exp(-logit)))

    def threshold_for(self, intent: str) -> float | None:
        """The score from which `intent` is replaced by out_of_scope (None: never)."""
        kind = intent_kind(intent)
        if kind is None:
            return None
        if kind == "open":
            return float(self._config.get("threshold", 0.7))
        closed = self._config.get("closed_threshold")
        return None if closed is None else float(closed)

    def process(self, messages: list[Message]) -> list[Message]:
        """Score each message; replace its intent when the score reaches that intent's threshold."""
        for message in messages:
            score = self.score(message.get(TEXT) or "")
            if score is None:
                continue
            message.set(SCORE_KEY, round(score, 4), add_to_output=True)
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) or ""
            threshold = self.threshold_for(intent)
            evidence, sells = shop_evidence(message.get(ENTITIES) or []), asks_what_is_sold(message.get(TEXT) or "")
            if threshold is not None and score >= threshold and not (evidence or sells):
                self._override(message, score)
            elif intent == OUT_OF_SCOPE and (
                    sells or (evidence and score < float(self._config.get("restore_threshold", 0.5)))):
                self._restore(message)
        return messages

    @staticmethod
    def _restore(message: Message) -> None:
        """DIET said out_of_scope, the guard does not agree and the message holds shop evidence (an order number,
        an email, a word of the catalog or a position in the list shown: "the email on it is ana@example.com",
        "does option 3 come in wool"): the best shop intent, its share of what DIET gave the shop
        intents as confidence (the fallback classifier still judges it)."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != OUT_OF_SCOPE]
        total = sum(float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for r in ranking)
        if not ranking or total <= 0.0:
            return
        rescaled = [{INTENT_NAME_KEY: r.get(INTENT_NAME_KEY),
                     PREDICTED_CONFIDENCE_KEY: float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) / total} for r in ranking]
        rescaled.sort(key=lambda r: -r[PREDICTED_CONFIDENCE_KEY])
        message.set(INTENT, rescaled[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, rescaled, add_to_output=True)

    @staticmethod
    def _override(message: Message, score: float) -> None:
        """out_of_scope with the guard's probability; the other intents share what is left (so the fallback
        classifier's ambiguity rule sees a clear winner); DIET's entities go. The replaced prediction is kept
        in the output (``scope_guard_replaced``) for measurement."""
        original = list(message.get(INTENT_RANKING_KEY) or [])
        chosen = {INTENT_NAME_KEY: OUT_OF_SCOPE, PREDICTED_CONFIDENCE_KEY: score}
        others = [{INTENT_NAME_KEY: r.get(INTENT_NAME_KEY),
                   PREDICTED_CONFIDENCE_KEY: float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) * (1.0 - score)}
                  for r in original if r.get(INTENT_NAME_KEY) != OUT_OF_SCOPE]
        message.set(REPLACED_KEY, {"intent": message.get(INTENT), "intent_ranking": original}, add_to_output=True)
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen, *others], add_to_output=True)
        message.set(ENTITIES, [e for e in message.get(ENTITIES) or [] if e.get(EXTRACTOR) != "DIETClassifier"],
                    add_to_output=True)
