"""NLU evaluation: held-out split, Bitext, CLINC150 out-of-scope and a fallback-threshold sweep in one table.

Usage: python scripts/eval_nlu.py [--model PATH] [--results DIR] [--benchmarks DIR] [--limit N] [--started EPOCH]

Run after `rasa test nlu --nlu tests/nlu --out results/nlu` (make eval-nlu does both). Intent macro-F1 and accuracy,
the per-extractor entity rows and response selection come from the reports rasa wrote in --results. Everything
else comes from parsing messages with the trained model (rasa.core.agent.Agent, the latest models/*.tar.gz):

- entities: the FINAL entities of the parse output (all extractors, after any merging component) against the
  annotations of tests/nlu, matched per message on (entity type, normalised value); the gold value is the synonym
  value when annotated. A (type, value) pair a message holds twice counts once.
- Bitext: the utterances of the intents mapped in ../shared/benchmarks/README.md; for faq the prediction is the
  full retrieval intent (faq/<key>) of the response selector; nlu_fallback is wrong.
- CLINC150: share of the out-of-scope queries, and of the in-scope queries whose intent a shop does not handle
  (CLINC_SHOP_INTENTS are excluded), that come back as out_of_scope or nlu_fallback.
- in-scope fallback: share of tests/nlu messages (intent not out_of_scope) that come back as either of those.
- sweep: the FallbackClassifier decision recomputed from each parse's intent_ranking for other thresholds.

The benchmarks are read from ../shared/benchmarks at run time only; when absent the own-data rows still print.
Exit status 1 only on errors (no model, missing rasa reports), never on a missed target.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # chatecomm_nlu: the pipeline's custom components and their constants

from chatecomm_nlu.scope_guard import intent_kind, shop_evidence  # noqa: E402

DEFAULT_BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
TRAINING_DATA = ROOT / "data"
BITEXT_FILE = Path("intents-bitext") / "Bitext_Sample_Customer_Service_Training_Dataset.csv"
CLINC_FILE = Path("oos-clinc150") / "clinc150_test.json"
CONFUSION_MATRIX = "intent_confusion_matrix.png"
INTENT_REPORT = "intent_report.json"
RESPONSE_REPORT = "response_selection_report.json"

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
OOS_INTENTS = frozenset({FALLBACK, OUT_OF_SCOPE})  # the final intents that mean "treated as out of scope"
FALLBACK_CLASSIFIER_NAMES = ("FallbackClassifier", "rasa.nlu.classifiers.fallback_classifier.FallbackClassifier")
RASA_DEFAULT_THRESHOLD, RASA_DEFAULT_AMBIGUITY = 0.3, 0.1  # FallbackClassifier defaults in Rasa 3.6
SWEEP = tuple(round(0.30 + 0.05 * step, 2) for step in range(13))  # 0.30 .. 0.90

# Targets: (figure key, comparison, bound). Missing a target never changes the exit status.
TARGETS: dict[str, tuple[str, float]] = {
    "intent_macro_f1": (">=", 0.95),
    "entity_micro_f1": (">=", 0.92),
    "bitext_accuracy": (">=", 0.90),
    "clinc_oos_share": (">=", 0.90),
    "clinc_non_shop_share": (">=", 0.90),
    "in_scope_fallback": ("<=", 0.03),
}
MAX_IN_SCOPE_FALLBACK = TARGETS["in_scope_fallback"][1]

# benchmarks/README.md: Bitext intent -> the contract's intent (faq as the full retrieval intent). Others unused.
BITEXT_TO_CONTRACT: dict[str, str] = {
    "cancel_order": "cancel_order",
    "track_order": "order_status",
    "get_refund": "return_item",
    "track_refund": "return_item",
    "contact_human_agent": "human_handoff",
    "check_payment_methods": "faq/payment_methods",
    "check_refund_policy": "faq/returns_policy",
    "delivery_options": "faq/shipping",
    "delivery_period": "faq/shipping",
    "contact_customer_service": "faq/contact",
    "place_order": "checkout",
}

# CLINC150 in-scope intents a shop assistant legitimately handles: excluded from the "non-shop" share, since
# answering them is right. Only intents with a counterpart among the bot's own intents (CONTRACT.md section 4,
# plus stop) or that ask the shop to buy/list goods. Kept in the non-shop set on purpose: maybe, repeat and the
# questions about the bot itself (who_made_you, how_old_are_you, ...): the bot has no skill for them and a
# "sorry, I can only help with shopping" or a rephrase prompt is the right answer there.
CLINC_SHOP_INTENTS: dict[str, str] = {
    "greeting": "greet",
    "goodbye": "goodbye",
    "thank_you": "thank",
    "yes": "affirm",
    "no": "deny",
    "are_you_a_bot": "bot_challenge",
    "what_is_your_name": "chitchat/ask_name",
    "tell_joke": "chitchat/joke",
    "what_can_i_ask_you": "help",
    "cancel": "stop",  # "stop what you're doing", "forget what I told you"
    "order_status": "order_status",  # "where is my order", "locate my package"
    "order": "search_product/add_to_cart/checkout",  # "buy a new television", "place my order"
    "shopping_list": "view_cart",  # "what's on my shopping list": the cart is the shop's list
    "shopping_list_update": "add_to_cart/remove_from_cart",  # "add laundry detergent to the list"
}

NUMERIC_ENTITIES = frozenset({"price_min", "price_max", "quantity"})
_NUMBER_WORDS = {word: float(value) for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_CURRENCY = re.compile(r"[$€£,\s]")

T = TypeVar("T")


# ---------------------------------------------------------------------------------------------- metrics


def normalise_value(entity: str, value: Any) -> str | float:
    """The value as compared: a float for numeric types when it reads as a number, else trimmed lowercase text."""
    if entity in NUMERIC_ENTITIES:
        number = as_number(value)
        if number is not None:
            return number
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    return " ".join(str(value).lower().split())


def as_number(value: Any) -> float | None:
    """A finite float from a number, a numeric string ("$1,200", "100.0") or a number word ("four"); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().lower()
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    try:
        number = float(_CURRENCY.sub("", text))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def entity_pairs(entities: Iterable[Mapping[str, Any]]) -> set[tuple[str, str | float]]:
    """The set of (entity type, normalised value) of a message's entities."""
    return {(str(e["entity"]), normalise_value(str(e["entity"]), e.get("value"))) for e in entities if e.get("entity")}


@dataclass
class Counts:
    """True positives, false positives and false negatives of one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def f1(self) -> float:
        """F1 = 2tp / (2tp + fp + fn); 0.0 when there is nothing."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def match_entities(gold: Iterable[Mapping[str, Any]], predicted: Iterable[Mapping[str, Any]],
                   into: dict[str, Counts] | None = None) -> dict[str, Counts]:
    """Add one message's matches per entity type to `into` (a new dict when None) and return it."""
    counts: dict[str, Counts] = into if into is not None else {}
    expected, found = entity_pairs(gold), entity_pairs(predicted)
    for entity, _ in expected | found:
        counts.setdefault(entity, Counts())
    for entity, _ in expected & found:
        counts[entity].tp += 1
    for entity, _ in found - expected:
        counts[entity].fp += 1
    for entity, _ in expected - found:
        counts[entity].fn += 1
    return counts


def micro_f1(counts: Mapping[str, Counts]) -> float:
    """F1 of the summed counts over all entity types."""
    return Counts(sum(c.tp for c in counts.values()), sum(c.fp for c in counts.values()),
                  sum(c.fn for c in counts.values())).f1


def macro_f1(counts: Mapping[str, Counts]) -> float:
    """Unweighted mean F1 over the entity types expected or predicted; 0.0 when there is none."""
    return sum(c.f1 for c in counts.values()) / len(counts) if counts else 0.0


def share(flags: Iterable[bool]) -> float | None:
    """Fraction of true flags; None when there is none at all."""
    values = list(flags)
    return sum(values) / len(values) if values else None


def is_out_of_scope(intent: str | None) -> bool:
    """True when a final intent means the bot treats the message as out of scope."""
    return intent in OOS_INTENTS


def bitext_expected(bitext_intent: str) -> str | None:
    """The contract intent a Bitext intent maps to (faq as faq/<key>), or None for unmapped intents."""
    return BITEXT_TO_CONTRACT.get(bitext_intent.strip())


def full_label(intent: str, retrieval: Mapping[str, str]) -> str:
    """The intent with a retrieval intent replaced by its response selector key (faq -> faq/shipping)."""
    return retrieval.get(intent) or intent


@dataclass(frozen=True)
class Parsed:
    """What the evaluation keeps of one parse output."""

    intent: str
    ranking: tuple[tuple[str, float], ...] = ()  # intent_ranking as (name, confidence), nlu_fallback included
    retrieval: Mapping[str, str] = field(default_factory=dict)  # retrieval intent -> intent_response_key
    entities: tuple[Mapping[str, Any], ...] = ()
    scope_score: float | None = None  # ScopeGuard's probability of out_of_scope
    replaced: Parsed | None = None  # the prediction before ScopeGuard replaced it by out_of_scope
    text: str = ""  # the message

    @classmethod
    def from_parse(cls, output: Mapping[str, Any]) -> Parsed:
        """Build from the dict `Agent.parse_message` returns."""
        intent = (output.get("intent") or {}).get("name") or ""
        ranking = tuple((str(r.get("name")), float(r.get("confidence") or 0.0))
                        for r in output.get("intent_ranking") or [])
        selector = output.get("response_selector") or {}
        retrieval = {name: str(value["response"]["intent_response_key"]) for name, value in selector.items()
                     if isinstance(value, Mapping) and (value.get("response") or {}).get("intent_response_key")}
        score = output.get("out_of_scope_score")
        before = output.get("scope_guard_replaced")
        replaced = None
        if isinstance(before, Mapping):
            replaced = cls.from_parse({**output, **before, "scope_guard_replaced": None, "out_of_scope_score": None})
        return cls(intent, ranking, retrieval, tuple(output.get("entities") or ()),
                   float(score) if isinstance(score, (int, float)) else None, replaced, str(output.get("text") or ""))

    def with_guard_at(self, threshold: float) -> Parsed:
        """The parse had ScopeGuard used `threshold` for open questions (valid at or above the configured one)."""
        if (self.replaced is not None and intent_kind(self.replaced.intent) == "open" and self.scope_score is not None
                and self.scope_score < threshold):
            return self.replaced
        return self

    def with_closed_guard_at(self, threshold: float) -> Parsed:
        """The parse had ScopeGuard used `threshold` for the other intents (valid at any threshold: a closed intent
        the guard kept carries its score, one it replaced carries the prediction it replaced)."""
        if self.replaced is not None and intent_kind(self.replaced.intent) == "closed":
            return self.replaced if self.scope_score is not None and self.scope_score < threshold else self
        if (self.replaced is None and intent_kind(self.intent) == "closed" and self.scope_score is not None
                and self.scope_score >= threshold and not shop_evidence(self.entities, self.text)):
            score = self.scope_score  # the guard's own ranking: out_of_scope first, the others scaled down
            ranking = ((OUT_OF_SCOPE, score),
                       *((name, c * (1.0 - score)) for name, c in self.ranking if name not in (OUT_OF_SCOPE, FALLBACK)))
            return Parsed(OUT_OF_SCOPE, ranking, {}, self.entities, score, self, self.text)
        return self

    @property
    def label(self) -> str:
        """The final intent, retrieval intents as faq/<key>."""
        return full_label(self.intent, self.retrieval)


def intent_at(parsed: Parsed, threshold: float, ambiguity: float, configured: float | None) -> str:
    """The final intent had the FallbackClassifier used `threshold` (Rasa 3.6 rules, from the intent_ranking).

    An nlu_fallback on top with the configured threshold as confidence is the FallbackClassifier's own and is
    undone (the real top intent is the next entry); any other nlu_fallback on top (another component, e.g.
    MessageGuardFallback with confidence 1.0) stands at every threshold.
    """
    ranking = list(parsed.ranking)
    if not ranking:
        return parsed.intent
    name, confidence = ranking[0]
    if name == FALLBACK:
        if configured is None or not math.isclose(confidence, configured, abs_tol=1e-6):
            return FALLBACK
        ranking = ranking[1:]
        if not ranking:
            return FALLBACK
    top, top_confidence = ranking[0]
    if top_confidence < threshold:
        return FALLBACK
    if len(ranking) >= 2 and top_confidence - ranking[1][1] < ambiguity:
        return FALLBACK
    return top


def label_at(parsed: Parsed, threshold: float, ambiguity: float, configured: float | None) -> str:
    """intent_at with retrieval intents as faq/<key>."""
    return full_label(intent_at(parsed, threshold, ambiguity, configured), parsed.retrieval)


def fallback_settings(config: Mapping[str, Any]) -> tuple[float | None, float]:
    """(threshold, ambiguity threshold) of the pipeline's FallbackClassifier; threshold None when there is none."""
    for component in config.get("pipeline") or []:
        if isinstance(component, Mapping) and component.get("name") in FALLBACK_CLASSIFIER_NAMES:
            return (float(component.get("threshold", RASA_DEFAULT_THRESHOLD)),
                    float(component.get("ambiguity_threshold", RASA_DEFAULT_AMBIGUITY)))
    return None, RASA_DEFAULT_AMBIGUITY


@dataclass(frozen=True)
class ClincSets:
    """CLINC150 test queries split for a shop assistant."""

    oos: list[str]
    in_scope: list[tuple[str, bool]]  # every in-scope query with True when its intent is a shop's (excluded)
    excluded: Counter[str]  # excluded queries per CLINC intent

    @property
    def non_shop(self) -> list[str]:
        """The in-scope queries of intents a shop does not handle."""
        return [text for text, shop in self.in_scope if not shop]


def split_clinc(data: Mapping[str, Any], shop_intents: Iterable[str] = CLINC_SHOP_INTENTS) -> ClincSets:
    """Split clinc150_test.json ({"test": [[text, intent]], "oos_test": [[text, "oos"]]})."""
    shop = set(shop_intents)
    oos = [str(text) for text, _ in data.get("oos_test", [])]
    in_scope = [(str(text), intent in shop) for text, intent in data.get("test", [])]
    excluded = Counter(intent for _, intent in data.get("test", []) if intent in shop)
    return ClincSets(oos, in_scope, excluded)


@dataclass(frozen=True)
class SweepRow:
    """The figures at one fallback threshold (shares are None when their data is absent)."""

    threshold: float
    clinc_oos: float | None
    clinc_non_shop: float | None
    clinc_pooled: float | None  # OOS and non-shop queries together
    in_scope_fallback: float | None
    bitext: float | None


def sweep_row(threshold: float, ambiguity: float, configured: float | None, *, oos: Sequence[Parsed],
              non_shop: Sequence[Parsed], in_scope: Sequence[Parsed],
              bitext: Sequence[tuple[str, Parsed]]) -> SweepRow:
    """Recompute the out-of-scope shares, the in-scope fallback rate and Bitext accuracy at one threshold."""
    def oos_flags(items: Sequence[Parsed]) -> list[bool]:
        return [is_out_of_scope(intent_at(p, threshold, ambiguity, configured)) for p in items]

    oos_flags_, non_shop_flags = oos_flags(oos), oos_flags(non_shop)
    return SweepRow(threshold, share(oos_flags_), share(non_shop_flags), share(oos_flags_ + non_shop_flags),
                    share(oos_flags(in_scope)),
                    share(label_at(p, threshold, ambiguity, configured) == gold for gold, p in bitext))


def recommend(rows: Sequence[SweepRow], max_fallback: float = MAX_IN_SCOPE_FALLBACK) -> SweepRow | None:
    """The row with the best pooled CLINC share whose in-scope fallback is <= max_fallback (ties: less fallback,
    then the lower threshold); None when no row qualifies or CLINC is absent."""
    allowed = [r for r in rows if r.clinc_pooled is not None and r.in_scope_fallback is not None
               and r.in_scope_fallback <= max_fallback + 1e-12]
    if not allowed:
        return None
    return max(allowed, key=lambda r: (r.clinc_pooled, -(r.in_scope_fallback or 0.0), -r.threshold))


def meets(key: str, value: float | None) -> str:
    """PASS or FAIL against TARGETS[key]; empty when the figure has no target, n/a when it is missing."""
    if key not in TARGETS:
        return ""
    if value is None:
        return "n/a"
    op, bound = TARGETS[key]
    ok = value >= bound - 1e-12 if op == ">=" else value <= bound + 1e-12
    return "PASS" if ok else "FAIL"


def spread(items: Sequence[T], limit: int | None) -> list[T]:
    """At most `limit` items evenly spread over the sequence (all of them when limit is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    return [items[i * len(items) // limit] for i in range(limit)]


# ---------------------------------------------------------------------------------------------- rasa reports


@dataclass(frozen=True)
class ReportRow:
    """One extractor's figures from rasa's report."""

    name: str
    micro_f1: float
    macro_f1: float
    support: int
    types: tuple[str, ...]  # the entity types the figures cover


def _labels(report: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Per-label entries of a sklearn-style report (averages and no_entity left out)."""
    return {k: v for k, v in report.items() if isinstance(v, Mapping) and "f1-score" in v
            and not k.endswith(" avg") and k != "no_entity"}


def extractor_row(name: str, report: Mapping[str, Any]) -> ReportRow:
    """Micro/macro F1 of an extractor report, over the types it produced a correct or wrong hit for only.

    An extractor that never returns a type (RegexEntityExtractor and `category`) scores 0 on it in rasa's report;
    the types with precision or recall above 0 are kept, and micro F1 is rebuilt from tp = recall * support and
    predicted = tp / precision.
    """
    labels = _labels(report)
    own = {k: v for k, v in labels.items() if float(v.get("precision", 0)) > 0 or float(v.get("recall", 0)) > 0}
    if not own:
        own = labels
    tp = predicted = support = 0.0
    for entry in own.values():
        entry_support = float(entry.get("support", 0))
        entry_tp = float(entry.get("recall", 0)) * entry_support
        precision = float(entry.get("precision", 0))
        tp += entry_tp
        predicted += entry_tp / precision if precision > 0 else 0.0
        support += entry_support
    micro = 2 * tp / (predicted + support) if predicted + support else 0.0
    macro = sum(float(v["f1-score"]) for v in own.values()) / len(own) if own else 0.0
    return ReportRow(name, micro, macro, int(round(support)), tuple(sorted(own)))


def accuracy_of(report: Mapping[str, Any]) -> float:
    """The report's accuracy, or its micro-average F1 when sklearn wrote that instead."""
    if "accuracy" in report:
        return float(report["accuracy"])
    return float((report.get("micro avg") or {}).get("f1-score", 0.0))


def support_of(report: Mapping[str, Any]) -> int:
    """The number of examples a report covers."""
    return int((report.get("macro avg") or report.get("weighted avg") or {}).get("support", 0))


# ---------------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Example:
    """One held-out example of tests/nlu."""

    text: str
    intent: str
    label: str  # faq/<key> for retrieval intents
    entities: tuple[Mapping[str, Any], ...]


def with_synonyms(entities: Iterable[Mapping[str, Any]], synonyms: Mapping[str, str]) -> tuple[Mapping[str, Any], ...]:
    """Gold entities as the bot's EntitySynonymMapper would give them ("backpack" -> "backpacks")."""
    mapped = []
    for entity in entities:
        value = entity.get("value")
        key = str(value).lower() if value is not None else ""
        mapped.append({**entity, "value": synonyms[key]} if key in synonyms else dict(entity))
    return tuple(mapped)


def training_synonyms(folder: Path) -> dict[str, str]:
    """The entity synonyms of the training data (lower-case text -> value), the ones the model maps with."""
    from rasa.shared.nlu.training_data.loading import UNK, guess_format, load_data

    synonyms: dict[str, str] = {}
    for path in sorted(folder.rglob("*.yml")):
        if guess_format(str(path)) != UNK:
            synonyms.update({str(k).lower(): str(v) for k, v in load_data(str(path)).entity_synonyms.items()})
    return synonyms


def load_own(folder: Path, synonyms: Mapping[str, str] | None = None) -> list[Example]:
    """The examples of the held-out NLU split, with their annotated entities (synonym values applied, those
    annotated in the example and the training data's, as the bot applies them)."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for message in load_data(str(folder)).intent_examples:
        intent = str(message.get("intent"))
        examples.append(Example(str(message.get("text")), intent, str(message.get("intent_response_key") or intent),
                                with_synonyms(message.get("entities") or (), synonyms or {})))
    return examples


def load_bitext(path: Path) -> list[tuple[str, str, str]]:
    """(utterance, Bitext intent, expected contract intent) of the mapped Bitext utterances, in file order."""
    rows = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            expected = bitext_expected(row["intent"])
            if expected is not None:
                rows.append((row["utterance"], row["intent"].strip(), expected))
    return rows


def latest_model(folder: Path) -> Path | None:
    """The newest models/*.tar.gz, or None."""
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


# ---------------------------------------------------------------------------------------------- parsing


def load_agent(model: Path) -> Any:
    """rasa.core.agent.Agent with the model loaded (rasa's own log noise turned down)."""
    import logging
    import warnings

    for name in ("rasa", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.ERROR)
    sys.path.insert(0, str(ROOT))  # the pipeline's custom components (chatecomm_nlu)
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # else every parse is logged at debug level on stdout

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Agent.load(str(model))


async def parse_all(agent: Any, texts: Sequence[str], what: str) -> tuple[list[Parsed], float]:
    """Parse every text one by one with a progress bar; the parses and the seconds taken."""
    from tqdm import tqdm

    if not texts:
        return [], 0.0
    parsed = []
    started = time.perf_counter()
    for text in tqdm(texts, desc=f"parse {what}", unit="msg", mininterval=2.0, file=sys.stderr,
                     dynamic_ncols=True):
        parsed.append(Parsed.from_parse(await agent.parse_message(text)))
    return parsed, time.perf_counter() - started


# ---------------------------------------------------------------------------------------------- report


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.1f}%" if percent else f"{value:.3f}"


def _target(key: str, percent: bool) -> str:
    if key not in TARGETS:
        return ""
    op, bound = TARGETS[key]
    return f"{op} {100 * bound:g}%" if percent else f"{op} {bound:g}"


class Table:
    """The one printed table: section headings and rows of figure, value, n, target and status."""

    def __init__(self) -> None:
        """Start empty."""
        self.lines: list[str] = [f"{'figure':<64} {'value':>8} {'n':>6}  {'target':<8} status", "-" * 96]

    def section(self, title: str) -> None:
        """A section heading."""
        self.lines.append(f"[{title}]")

    def row(self, label: str, value: float | None, n: int | None = None, key: str = "",
            percent: bool = False) -> None:
        """A figure, with its target and PASS/FAIL when `key` names one."""
        count = "" if n is None else str(n)
        self.lines.append(f"  {label:<62} {_fmt(value, percent):>8} {count:>6}  {_target(key, percent):<8} "
                          f"{meets(key, value)}".rstrip())

    def note(self, text: str) -> None:
        """A free line inside the table."""
        self.lines.append(f"  {text}")

    def print(self) -> None:
        """Print it."""
        print("\n".join(self.lines))


@dataclass(frozen=True)
class Reports:
    """What `rasa test nlu` wrote."""

    intents: Mapping[str, Any]
    responses: Mapping[str, Any] | None
    extractors: Mapping[str, Mapping[str, Any]]  # extractor name -> its entity report
    matrix: Path


def read_reports(results: Path, started: float | None) -> tuple[Reports | None, list[str]]:
    """The reports of `rasa test nlu --out results`, or None and what is wrong (missing or older than `started`)."""
    matrix = results / CONFUSION_MATRIX
    errors = [f"missing {results / name}" for name in (INTENT_REPORT, CONFUSION_MATRIX)
              if not (results / name).is_file()]
    if started is not None:
        errors += [f"stale {path} (older than this run: did rasa test nlu fail?)"
                   for path in (results / INTENT_REPORT, matrix)
                   if path.is_file() and path.stat().st_mtime < started - 1]
    if errors:
        return None, errors
    response_path = results / RESPONSE_REPORT
    extractors = {p.name[: -len("_report.json")]: json.loads(p.read_text())
                  for p in sorted(results.glob("*_report.json")) if p.name not in (INTENT_REPORT, RESPONSE_REPORT)}
    return Reports(json.loads((results / INTENT_REPORT).read_text()),
                   json.loads(response_path.read_text()) if response_path.is_file() else None,
                   extractors, matrix), []


@dataclass
class Inputs:
    """The messages to parse, each data set spread down to --limit."""

    own: list[Example]
    bitext: list[tuple[str, str, str]] = field(default_factory=list)  # (utterance, Bitext intent, expected)
    clinc: ClincSets | None = None
    clinc_oos: list[str] = field(default_factory=list)
    clinc_in: list[tuple[str, bool]] = field(default_factory=list)  # (query, excluded as a shop intent)
    missing: list[str] = field(default_factory=list)  # benchmark files not found


def read_inputs(nlu: Path, benchmarks: Path, limit: int | None) -> Inputs:
    """The held-out split and whatever benchmark files exist."""
    inputs = Inputs(spread(load_own(nlu, training_synonyms(TRAINING_DATA)), limit))
    bitext_path, clinc_path = benchmarks / BITEXT_FILE, benchmarks / CLINC_FILE
    inputs.missing = [str(p) for p in (bitext_path, clinc_path) if not p.is_file()]
    if bitext_path.is_file():
        inputs.bitext = spread(load_bitext(bitext_path), limit)
    if clinc_path.is_file():
        inputs.clinc = split_clinc(json.loads(clinc_path.read_text(encoding="utf-8")))
        inputs.clinc_oos = spread(inputs.clinc.oos, limit)
        inputs.clinc_in = spread(inputs.clinc.in_scope, limit)
    return inputs


@dataclass
class Parses:
    """The parse of every input message, in input order."""

    own: list[Parsed]
    bitext: list[Parsed]
    clinc_oos: list[Parsed]
    clinc_in: list[Parsed]
    seconds: float = 0.0

    @property
    def everything(self) -> list[Parsed]:
        """All parses."""
        return self.own + self.bitext + self.clinc_oos + self.clinc_in


async def parse_inputs(agent: Any, inputs: Inputs) -> Parses:
    """Parse every data set with the agent."""
    own, own_s = await parse_all(agent, [e.text for e in inputs.own], "tests/nlu")
    bitext, bitext_s = await parse_all(agent, [r[0] for r in inputs.bitext], "Bitext")
    oos, oos_s = await parse_all(agent, inputs.clinc_oos, "CLINC oos")
    in_scope, in_s = await parse_all(agent, [text for text, _ in inputs.clinc_in], "CLINC in-scope")
    return Parses(own, bitext, oos, in_scope, own_s + bitext_s + oos_s + in_s)


@dataclass
class Figures:
    """Everything computed from the reports and the parses."""

    values: dict[str, float | None]
    entity_counts: dict[str, Counts]
    duplicates: int
    in_scope_own: list[Parsed]
    oos_own: list[Parsed]
    bitext_pairs: list[tuple[str, Parsed]]  # (expected label, parse)
    per_bitext: dict[str, list[tuple[bool, str]]]  # Bitext intent -> (correct, predicted label)
    non_shop: list[Parsed]
    sweep: list[SweepRow]
    reproduced: int
    best: SweepRow | None
    guard_sweep: list[SweepRow] = field(default_factory=list)  # at the configured fallback threshold
    closed_sweep: list[SweepRow] = field(default_factory=list)  # ScopeGuard closed_threshold, same fallback


def compute(reports: Reports, inputs: Inputs, parses: Parses, configured: float | None,
            ambiguity: float) -> Figures:
    """All figures, the sweep and the recommendation."""
    entity_counts: dict[str, Counts] = {}
    duplicates = 0
    for example, parsed in zip(inputs.own, parses.own, strict=True):
        match_entities(example.entities, parsed.entities, entity_counts)
        pairs = [(e.get("entity"), normalise_value(str(e.get("entity")), e.get("value"))) for e in parsed.entities]
        duplicates += len(pairs) - len(set(pairs))
    own = list(zip(inputs.own, parses.own, strict=True))
    in_scope_own = [p for e, p in own if e.intent != OUT_OF_SCOPE]
    oos_own = [p for e, p in own if e.intent == OUT_OF_SCOPE]

    bitext_pairs = [(row[2], p) for row, p in zip(inputs.bitext, parses.bitext, strict=True)]
    per_bitext: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for (_, source, expected), p in zip(inputs.bitext, parses.bitext, strict=True):
        per_bitext[source].append((p.label == expected, p.label))
    non_shop = [p for (_, shop), p in zip(inputs.clinc_in, parses.clinc_in, strict=True) if not shop]

    thresholds = sorted(set(SWEEP) | ({configured} if configured is not None else set()))
    sweep = [sweep_row(t, ambiguity, configured, oos=parses.clinc_oos, non_shop=non_shop, in_scope=in_scope_own,
                       bitext=bitext_pairs) for t in thresholds]
    reproduced = sum(intent_at(p, configured, ambiguity, configured) == p.intent for p in parses.everything) \
        if configured is not None else len(parses.everything)

    values: dict[str, float | None] = {
        "intent_macro_f1": float(reports.intents.get("macro avg", {}).get("f1-score", 0.0)),
        "intent_accuracy": accuracy_of(reports.intents),
        "intent_accuracy_agent": share(p.intent == e.intent for e, p in own),
        "entity_micro_f1": micro_f1(entity_counts) if entity_counts else None,
        "entity_macro_f1": macro_f1(entity_counts) if entity_counts else None,
        "response_selection_accuracy": accuracy_of(reports.responses) if reports.responses else None,
        "in_scope_fallback": share(is_out_of_scope(p.intent) for p in in_scope_own),
        "own_oos_share": share(is_out_of_scope(p.intent) for p in oos_own),
        "bitext_accuracy": share(p.label == gold for gold, p in bitext_pairs),
        "clinc_oos_share": share(is_out_of_scope(p.intent) for p in parses.clinc_oos),
        "clinc_non_shop_share": share(is_out_of_scope(p.intent) for p in non_shop),
        "clinc_all_in_scope_share": share(is_out_of_scope(p.intent) for p in parses.clinc_in),
    }
    guard = guard_sweep(configured, ambiguity, oos=parses.clinc_oos, non_shop=non_shop, in_scope=in_scope_own,
                        bitext=bitext_pairs) if configured is not None else []
    closed = closed_guard_sweep(configured, ambiguity, oos=parses.clinc_oos, non_shop=non_shop,
                                in_scope=in_scope_own, bitext=bitext_pairs) if configured is not None else []
    return Figures(values, entity_counts, duplicates, in_scope_own, oos_own, bitext_pairs, dict(per_bitext),
                   non_shop, sweep, reproduced, recommend(sweep), guard, closed)


GUARD_SWEEP = (*(round(0.3 + 0.05 * i, 2) for i in range(14)), 1.01)  # 1.01: the guard never overrides
CLOSED_SWEEP = (*(round(0.5 + 0.05 * i, 2) for i in range(10)), 1.01)


def guard_threshold(config: Mapping[str, Any], key: str = "threshold") -> float | None:
    """A ScopeGuard threshold of config.yml (threshold or closed_threshold); None when not set or no ScopeGuard."""
    for component in config.get("pipeline") or []:
        if isinstance(component, Mapping) and str(component.get("name", "")).endswith("ScopeGuard"):
            value = component.get(key, 0.7 if key == "threshold" else None)
            return None if value is None else float(value)
    return None


def closed_guard_sweep(fallback: float, ambiguity: float, *, oos: Sequence[Parsed], non_shop: Sequence[Parsed],
                       in_scope: Sequence[Parsed], bitext: Sequence[tuple[str, Parsed]],
                       thresholds: Sequence[float] = CLOSED_SWEEP) -> list[SweepRow]:
    """The figures had ScopeGuard used each closed_threshold (the open threshold as configured)."""
    return _guard_rows(Parsed.with_closed_guard_at, fallback, ambiguity, thresholds, oos=oos, non_shop=non_shop,
                       in_scope=in_scope, bitext=bitext)


def guard_sweep(fallback: float, ambiguity: float, *, oos: Sequence[Parsed], non_shop: Sequence[Parsed],
                in_scope: Sequence[Parsed], bitext: Sequence[tuple[str, Parsed]],
                thresholds: Sequence[float] = GUARD_SWEEP) -> list[SweepRow]:
    """The figures had ScopeGuard used each threshold (those below the configured one are not recoverable
    from the parses and give the same figures as the configured one); empty without ScopeGuard scores."""
    return _guard_rows(Parsed.with_guard_at, fallback, ambiguity, thresholds, oos=oos, non_shop=non_shop,
                       in_scope=in_scope, bitext=bitext)


def _guard_rows(at: Callable[[Parsed, float], Parsed], fallback: float, ambiguity: float,
                thresholds: Sequence[float], *, oos: Sequence[Parsed], non_shop: Sequence[Parsed],
                in_scope: Sequence[Parsed], bitext: Sequence[tuple[str, Parsed]]) -> list[SweepRow]:
    """One sweep row per guard threshold t, every parse moved by `at(parse, t)`; empty without guard scores."""
    if not any(p.scope_score is not None for p in [*oos, *non_shop, *in_scope]):
        return []
    rows = []
    for t in thresholds:
        row = sweep_row(fallback, ambiguity, fallback, oos=[at(p, t) for p in oos],
                        non_shop=[at(p, t) for p in non_shop], in_scope=[at(p, t) for p in in_scope],
                        bitext=[(gold, at(p, t)) for gold, p in bitext])
        rows.append(replace(row, threshold=t))
    return rows


def _short(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def print_table(fig: Figures, reports: Reports, inputs: Inputs, parses: Parses, args: argparse.Namespace) -> None:
    """The main table (own split, Bitext, CLINC, recommended threshold)."""
    v = fig.values
    table = Table()
    table.section(f"own held-out split {_short(args.nlu)} (never trained on)")
    intent_n = support_of(reports.intents)
    table.row("intent macro-F1 (rasa test nlu)", v["intent_macro_f1"], intent_n, "intent_macro_f1")
    table.row("intent accuracy (rasa test nlu, which undoes nlu_fallback)", v["intent_accuracy"], intent_n)
    table.row("intent accuracy, nlu_fallback counted wrong (Agent parse)", v["intent_accuracy_agent"],
              len(parses.own))
    gold_entities = sum(c.tp + c.fn for c in fig.entity_counts.values())
    table.row("entity micro-F1, final entities on (type, value)", v["entity_micro_f1"], gold_entities,
              "entity_micro_f1")
    table.row(f"entity macro-F1 over {len(fig.entity_counts)} entity types", v["entity_macro_f1"], gold_entities)
    for name, report in reports.extractors.items():
        row = extractor_row(name, report)
        scope = "all types" if len(row.types) == len(_labels(report)) else ", ".join(row.types)
        table.row(f"  {name} micro-F1 (rasa report; {scope})"[:62], row.micro_f1, row.support)
        table.row(f"  {name} macro-F1 (rasa report; {len(row.types)} types)"[:62], row.macro_f1, row.support)
    if reports.responses is not None:
        table.row("response selection accuracy (faq/chitchat keys, rasa)", v["response_selection_accuracy"],
                  support_of(reports.responses))
    else:
        table.note(f"response selection: no {RESPONSE_REPORT}")
    table.row("in-scope fallback (nlu_fallback or out_of_scope)", v["in_scope_fallback"], len(fig.in_scope_own),
              "in_scope_fallback", percent=True)
    table.row("own out_of_scope examples treated as out of scope", v["own_oos_share"], len(fig.oos_own),
              percent=True)
    if inputs.bitext:
        table.section(f"Bitext customer service: utterances of the {len(BITEXT_TO_CONTRACT)} mapped intents")
        table.row("accuracy (faq as faq/<key>; nlu_fallback wrong)", v["bitext_accuracy"], len(fig.bitext_pairs),
                  "bitext_accuracy")
    if inputs.clinc:
        table.section("CLINC150 test: treated as out of scope = out_of_scope or nlu_fallback")
        table.row("out-of-scope queries", v["clinc_oos_share"], len(parses.clinc_oos), "clinc_oos_share",
                  percent=True)
        excluded = len(parses.clinc_in) - len(fig.non_shop)
        table.row(f"non-shop in-scope queries ({excluded} of shop intents excluded)", v["clinc_non_shop_share"],
                  len(fig.non_shop), "clinc_non_shop_share", percent=True)
        table.row("all in-scope queries (transparency only)", v["clinc_all_in_scope_share"], len(parses.clinc_in),
                  percent=True)
    table.section("fallback threshold")
    best, limit = fig.best, f"{100 * MAX_IN_SCOPE_FALLBACK:g}%"
    if best is not None:
        table.row(f"recommended threshold (max CLINC OOS+non-shop, in-scope fb <= {limit})", best.threshold)
        table.row(f"  CLINC OOS + non-shop pooled at {best.threshold:.2f}", best.clinc_pooled,
                  len(parses.clinc_oos) + len(fig.non_shop), percent=True)
        table.row(f"  in-scope fallback at {best.threshold:.2f}", best.in_scope_fallback, len(fig.in_scope_own),
                  percent=True)
        if inputs.bitext:
            table.row(f"  Bitext accuracy at {best.threshold:.2f}", best.bitext, len(fig.bitext_pairs))
    else:
        reason = "no CLINC data" if not inputs.clinc else f"no threshold keeps in-scope fallback <= {limit}"
        table.note(f"recommended threshold: none ({reason})")
    table.print()


def _print_sweep(rows: Sequence[SweepRow], configured: float | None, best: SweepRow | None) -> None:
    print(f"  {'threshold':>9} {'CLINC OOS':>10} {'non-shop':>9} {'pooled':>8} {'in-scope fb':>12} {'Bitext':>8}")
    for r in rows:
        marks = ["<- configured"] if configured is not None and math.isclose(r.threshold, configured) else []
        if best is not None and r.threshold == best.threshold:
            marks.append("<- recommended")
        print(f"  {r.threshold:9.2f} {_fmt(r.clinc_oos, True):>10} {_fmt(r.clinc_non_shop, True):>9} "
              f"{_fmt(r.clinc_pooled, True):>8} {_fmt(r.in_scope_fallback, True):>12} {_fmt(r.bitext):>8}  "
              f"{' '.join(marks)}".rstrip())


def print_details(fig: Figures, inputs: Inputs, parses: Parses, configured: float | None, ambiguity: float) -> None:
    """Bitext per mapped intent, CLINC confusions and exclusions, the threshold sweep."""
    if fig.per_bitext:
        print()
        print("Bitext per mapped intent")
        print(f"  {'bitext intent':<26} {'expected':<20} {'n':>5} {'acc':>6}  most frequent wrong predictions")
        for source, expected in BITEXT_TO_CONTRACT.items():
            outcomes = fig.per_bitext.get(source)
            if not outcomes:
                continue
            wrong = Counter(label for ok, label in outcomes if not ok).most_common(3)
            accuracy = sum(ok for ok, _ in outcomes) / len(outcomes)
            print(f"  {source:<26} {expected:<20} {len(outcomes):>5} {accuracy:6.3f}  "
                  f"{', '.join(f'{label} {n}' for label, n in wrong)}")
    if inputs.clinc:
        wrong = Counter(p.label for p in fig.non_shop + parses.clinc_oos if not is_out_of_scope(p.intent))
        print()
        print("CLINC OOS + non-shop queries taken for a shop intent: "
              f"{', '.join(f'{label} {n}' for label, n in wrong.most_common(8)) or 'none'}")
        print(f"CLINC intents excluded as a shop's ({sum(inputs.clinc.excluded.values())} of "
              f"{len(inputs.clinc.in_scope)} queries): "
              f"{', '.join(f'{k} -> {CLINC_SHOP_INTENTS[k]}' for k in CLINC_SHOP_INTENTS)}")
    everything = len(parses.everything)
    print()
    print(f"Fallback threshold sweep (ambiguity {ambiguity:.2f}; recomputed from intent_ranking: "
          f"{fig.reproduced}/{everything} parses reproduced at the configured threshold)")
    _print_sweep(fig.sweep, configured, fig.best)
    if fig.guard_sweep:
        configured_guard = guard_threshold(yaml.safe_load((ROOT / "config.yml").read_text()) or {})
        best = recommend(fig.guard_sweep)
        print()
        print(f"ScopeGuard threshold sweep (fallback threshold {configured}; rows below the configured "
              f"{configured_guard} repeat it)")
        _print_sweep(fig.guard_sweep, configured_guard, best)
    if fig.closed_sweep:
        config = yaml.safe_load((ROOT / "config.yml").read_text()) or {}
        configured_closed = guard_threshold(config, "closed_threshold")
        print()
        print(f"ScopeGuard closed_threshold sweep (orders, cart, checkout, handoff, inform; open threshold "
              f"{guard_threshold(config)}, fallback {configured}; 1.01 = never)")
        _print_sweep(fig.closed_sweep, 1.01 if configured_closed is None else configured_closed,
                     recommend(fig.closed_sweep))
    if fig.reproduced != everything:
        print(f"  WARNING: {everything - fig.reproduced} parses differ from the recomputation at the configured "
              "threshold: was the model trained with this config.yml?")
    if fig.duplicates:
        print(f"note: {fig.duplicates} entity (type, value) pairs came twice in one message's parse (counted once)")


def summary(fig: Figures, reports: Reports, inputs: Inputs, model: Path, configured: float | None,
            ambiguity: float, limit: int | None, seconds: Mapping[str, float | None]) -> dict[str, Any]:
    """The figures as JSON-ready data."""
    return {
        "machine": _machine(),
        "model": str(model),
        "limit": limit,
        "benchmarks_missing": inputs.missing,
        "fallback": {"configured_threshold": configured, "ambiguity_threshold": ambiguity},
        "figures": fig.values,
        "targets": {k: {"op": op, "bound": bound, "status": meets(k, fig.values.get(k))}
                    for k, (op, bound) in TARGETS.items()},
        "counts": {"own": len(inputs.own), "own_in_scope": len(fig.in_scope_own), "own_oos": len(fig.oos_own),
                   "own_gold_entities": sum(c.tp + c.fn for c in fig.entity_counts.values()),
                   "bitext": len(fig.bitext_pairs), "clinc_oos": len(inputs.clinc_oos),
                   "clinc_in_scope": len(inputs.clinc_in), "clinc_non_shop": len(fig.non_shop),
                   "clinc_excluded": len(inputs.clinc_in) - len(fig.non_shop)},
        "entities_per_type": {k: {"precision": c.precision, "recall": c.recall, "f1": c.f1, **asdict(c)}
                              for k, c in sorted(fig.entity_counts.items())},
        "entity_duplicates": fig.duplicates,
        "extractor_reports": {name: asdict(extractor_row(name, r)) for name, r in reports.extractors.items()},
        "bitext_per_intent": {k: share(ok for ok, _ in v) for k, v in fig.per_bitext.items()},
        "clinc_excluded_intents": dict(CLINC_SHOP_INTENTS),
        "sweep": [asdict(r) for r in fig.sweep],
        "scope_guard_sweep": [asdict(r) for r in fig.guard_sweep],
        "scope_guard_closed_sweep": [asdict(r) for r in fig.closed_sweep],
        "sweep_reproduced": fig.reproduced,
        "recommended_threshold": fig.best.threshold if fig.best else None,
        "bitext_at_recommended": fig.best.bitext if fig.best else None,
        "confusion_matrix": str(reports.matrix),
        "seconds": dict(seconds),
    }


def run(args: argparse.Namespace) -> int:
    """Read the reports, parse the data sets, print the table and write results/nlu/eval_summary.json."""
    started = time.perf_counter()
    model = args.model or latest_model(ROOT / "models")
    if model is None or not Path(model).is_file():
        print(f"eval-nlu: ERROR no model ({model or 'models/*.tar.gz'}): run `make train` first", file=sys.stderr)
        return 1
    model = Path(model)
    reports, errors = read_reports(args.results, args.started)
    if reports is None:
        print(f"eval-nlu: ERROR {'; '.join(errors)}. Run `rasa test nlu --nlu tests/nlu --out {args.results}` first.",
              file=sys.stderr)
        return 1
    configured, ambiguity = fallback_settings(yaml.safe_load((ROOT / "config.yml").read_text()) or {})
    inputs = read_inputs(args.nlu, args.benchmarks, args.limit)

    load_started = time.perf_counter()
    agent = load_agent(model)
    load_seconds = time.perf_counter() - load_started
    parses = asyncio.run(parse_inputs(agent, inputs))
    fig = compute(reports, inputs, parses, configured, ambiguity)

    print()
    print("NLU evaluation (scripts/eval_nlu.py)")
    print(f"machine:   {_machine()}")
    stamp = datetime.fromtimestamp(model.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    print(f"model:     {_short(model)} ({stamp}, {model.stat().st_size / 1e6:.1f} MB)")
    print("fallback:  " + (f"FallbackClassifier threshold {configured:.2f}, ambiguity {ambiguity:.2f} (config.yml)"
                           if configured is not None else "no FallbackClassifier in config.yml"))
    print(f"confusion matrix: {_short(reports.matrix)}")
    if inputs.missing:
        print(f"benchmarks: NOT FOUND ({', '.join(inputs.missing)}): those rows are skipped")
    if args.limit is not None:
        print(f"LIMITED RUN: at most {args.limit} messages per data set (--limit), not the full figures")
    print()
    print_table(fig, reports, inputs, parses, args)
    print_details(fig, inputs, parses, configured, ambiguity)

    seconds = {"script": time.perf_counter() - started, "model_load": load_seconds, "parse": parses.seconds,
               "with_rasa_test": time.time() - args.started if args.started is not None else None}
    count = len(parses.everything)
    print()
    print(f"time: {seconds['script']:.0f} s in this script (model load {load_seconds:.0f} s, {count} parses in "
          f"{parses.seconds:.0f} s, {1000 * parses.seconds / max(count, 1):.0f} ms each)"
          + (f"; {seconds['with_rasa_test']:.0f} s with rasa test nlu" if args.started is not None else ""))
    out = args.results / "eval_summary.json"
    out.write_text(json.dumps(summary(fig, reports, inputs, model, configured, ambiguity, args.limit, seconds),
                              indent=2) + "\n")
    print(f"summary:   {_short(out)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the evaluation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model archive (default: the newest models/*.tar.gz)")
    parser.add_argument("--results", type=Path, default=ROOT / "results" / "nlu",
                        help="the --out folder of `rasa test nlu` (default: results/nlu)")
    parser.add_argument("--nlu", type=Path, default=ROOT / "tests" / "nlu", help="held-out split (default: tests/nlu)")
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS,
                        help=f"shared benchmarks folder (default: {DEFAULT_BENCHMARKS})")
    parser.add_argument("--limit", type=int, help="at most N messages per data set, evenly spread (quick runs)")
    parser.add_argument("--started", type=float, help="epoch seconds when make eval-nlu started (for the total time)")
    args = parser.parse_args(argv)
    args.nlu = args.nlu.resolve()
    return run(args)


def _machine() -> str:
    """scripts/machine_info.py, found beside this script when it runs as a script."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from machine_info import machine

    return machine()


if __name__ == "__main__":
    sys.exit(main())

