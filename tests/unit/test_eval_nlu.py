"""Metric helpers of scripts/eval_nlu.py on invented messages and fake parse outputs (no model, no benchmark data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.script_loader import load_script

ev = load_script("eval_nlu.py", "eval_nlu")


def _entity(entity: str, value: Any, extractor: str = "DIETClassifier") -> dict[str, Any]:
    return {"entity": entity, "value": value, "extractor": extractor}


def _parsed(*ranking: tuple[str, float], retrieval: dict[str, str] | None = None) -> Any:
    """A parse whose final intent is the top of the ranking."""
    return ev.Parsed(ranking[0][0] if ranking else "", tuple(ranking), retrieval or {})


# ---------------------------------------------------------------------------------------------- entities


@pytest.mark.parametrize(("entity", "value", "expected"), [
    ("price_max", "100", 100.0),
    ("price_max", "100.0", 100.0),
    ("price_max", 100, 100.0),
    ("price_min", " $1,200 ", 1200.0),
    ("quantity", "four", 4.0),
    ("quantity", "a few", "a few"),
    ("brand", "  Nordic   Trail ", "nordic trail"),
    ("size", 10, "10"),
    ("size", "XL", "xl"),
])
def test_normalise_value(entity: str, value: Any, expected: Any) -> None:
    """Numbers compare as numbers for numeric types; everything else as trimmed lowercase text."""
    assert ev.normalise_value(entity, value) == expected


def test_as_number_rejects_booleans_and_infinity() -> None:
    """True is not 1 and "inf" is no price."""
    assert ev.as_number(True) is None
    assert ev.as_number("inf") is None
    assert ev.as_number("cheap") is None


def test_match_entities_counts_per_type() -> None:
    """One hit, one wrong value (fp + fn), one spurious and one missed entity."""
    gold = [_entity("category", "Hiking Boots"), _entity("color", "green"), _entity("price_max", "80")]
    predicted = [_entity("category", "hiking boots", "CatalogEntityExtractor"), _entity("color", "olive"),
                 _entity("brand", "Quillmoor"), _entity("price_max", 80.0)]
    counts = ev.match_entities(gold, predicted)
    assert {k: (c.tp, c.fp, c.fn) for k, c in counts.items()} == {
        "category": (1, 0, 0), "color": (0, 1, 1), "brand": (0, 1, 0), "price_max": (1, 0, 0)}


def test_match_entities_counts_a_duplicate_once_and_accumulates() -> None:
    """Two extractors returning the same pair count once; a second message adds to the same counts."""
    counts = ev.match_entities([_entity("email", "a@b.example")],
                               [_entity("email", "A@b.example"), _entity("email", "a@b.example", "Regex")])
    ev.match_entities([_entity("email", "c@d.example")], [], counts)
    assert (counts["email"].tp, counts["email"].fp, counts["email"].fn) == (1, 0, 1)


def test_micro_and_macro_f1_hand_computed() -> None:
    """micro pools the counts; macro averages the per-type F1."""
    counts = {"color": ev.Counts(tp=3, fp=1, fn=0), "brand": ev.Counts(tp=0, fp=0, fn=1)}
    assert counts["color"].f1 == pytest.approx(6 / 7)
    assert counts["brand"].f1 == 0.0
    assert ev.micro_f1(counts) == pytest.approx(6 / 8)
    assert ev.macro_f1(counts) == pytest.approx((6 / 7 + 0) / 2)
    assert ev.macro_f1({}) == 0.0


def test_counts_precision_and_recall() -> None:
    """precision = tp / predicted, recall = tp / expected, 0.0 on empty denominators."""
    counts = ev.Counts(tp=2, fp=2, fn=6)
    assert (counts.precision, counts.recall) == (0.5, 0.25)
    assert (ev.Counts().precision, ev.Counts().recall, ev.Counts().f1) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------------------------------------- intents


def test_bitext_mapping() -> None:
    """Mapped Bitext intents give the contract's intent, faq as the full retrieval intent; others None."""
    assert ev.bitext_expected("track_order") == "order_status"
    assert ev.bitext_expected("track_refund") == ev.bitext_expected("get_refund") == "return_item"
    assert ev.bitext_expected("delivery_period") == "faq/shipping"
    assert ev.bitext_expected("check_payment_methods") == "faq/payment_methods"
    assert ev.bitext_expected("newsletter_subscription") is None
    assert len(ev.BITEXT_TO_CONTRACT) == 11


def test_parsed_from_parse_output_uses_the_response_selector_key() -> None:
    """A faq prediction is labelled with the response selector's intent_response_key."""
    output = {
        "text": "when will my parcel arrive",
        "intent": {"name": "faq", "confidence": 0.9},
        "intent_ranking": [{"name": "faq", "confidence": 0.9}, {"name": "order_status", "confidence": 0.05}],
        "entities": [_entity("color", "red")],
        "response_selector": {
            "all_retrieval_intents": ["faq", "chitchat"],
            "faq": {"response": {"intent_response_key": "faq/shipping", "confidence": 0.8}, "ranking": []},
            "chitchat": {"response": {"intent_response_key": "chitchat/joke", "confidence": 0.1}, "ranking": []},
        },
    }
    parsed = ev.Parsed.from_parse(output)
    assert parsed.label == "faq/shipping"
    assert parsed.ranking == (("faq", 0.9), ("order_status", 0.05))
    assert ev.Parsed.from_parse({"intent": {"name": "checkout"}, "response_selector": output["response_selector"]}
                                ).label == "checkout"


@pytest.mark.parametrize(("intent", "expected"), [
    ("out_of_scope", True), ("nlu_fallback", True), ("search_product", False), ("faq", False), (None, False)])
def test_is_out_of_scope(intent: str | None, expected: bool) -> None:
    """Only out_of_scope and nlu_fallback mean "treated as out of scope"."""
    assert ev.is_out_of_scope(intent) is expected


# ---------------------------------------------------------------------------------------------- threshold


def test_intent_at_undoes_the_configured_fallback_and_reapplies_a_new_threshold() -> None:
    """nlu_fallback at the configured 0.5 on top: the real top (0.45) passes at 0.4, fails at 0.5."""
    parsed = _parsed(("nlu_fallback", 0.5), ("recommend", 0.45), ("search_product", 0.2))
    assert ev.intent_at(parsed, 0.4, 0.1, 0.5) == "recommend"
    assert ev.intent_at(parsed, 0.5, 0.1, 0.5) == "nlu_fallback"


def test_intent_at_applies_the_ambiguity_threshold() -> None:
    """0.55 vs 0.40: ambiguous under a 0.2 margin, clear under 0.1."""
    parsed = _parsed(("add_to_cart", 0.55), ("remove_from_cart", 0.40))
    assert ev.intent_at(parsed, 0.3, 0.1, 0.5) == "add_to_cart"
    assert ev.intent_at(parsed, 0.3, 0.2, 0.5) == "nlu_fallback"
    assert ev.intent_at(parsed, 0.6, 0.1, 0.5) == "nlu_fallback"


def test_intent_at_keeps_a_fallback_of_another_component() -> None:
    """nlu_fallback with confidence 1.0 (MessageGuardFallback) stands at every threshold."""
    parsed = _parsed(("nlu_fallback", 1.0), ("greet", 0.99))
    assert ev.intent_at(parsed, 0.3, 0.1, 0.5) == "nlu_fallback"


def test_intent_at_without_ranking_returns_the_parsed_intent() -> None:
    """Nothing to recompute from."""
    assert ev.intent_at(ev.Parsed("greet"), 0.9, 0.1, 0.5) == "greet"


def test_label_at_gives_the_retrieval_key() -> None:
    """A faq top intent is labelled faq/<key> at any threshold it passes."""
    parsed = _parsed(("nlu_fallback", 0.5), ("faq", 0.48), ("help", 0.1), retrieval={"faq": "faq/warranty"})
    assert ev.label_at(parsed, 0.45, 0.1, 0.5) == "faq/warranty"
    assert ev.label_at(parsed, 0.5, 0.1, 0.5) == "nlu_fallback"


def test_fallback_settings_from_config() -> None:
    """The FallbackClassifier's thresholds, Rasa's defaults when unset, None threshold when absent."""
    config = {"pipeline": [{"name": "DIETClassifier"}, {"name": "FallbackClassifier", "threshold": 0.6,
                                                         "ambiguity_threshold": 0.05}]}
    assert ev.fallback_settings(config) == (0.6, 0.05)
    assert ev.fallback_settings({"pipeline": [{"name": "FallbackClassifier"}]}) == (0.3, 0.1)
    assert ev.fallback_settings({"pipeline": [{"name": "DIETClassifier"}]}) == (None, 0.1)


def test_sweep_row_and_recommendation() -> None:
    """Higher thresholds catch more out-of-scope queries until in-scope fallback passes the 3% limit."""
    oos = [_parsed(("search_product", 0.45), ("help", 0.1)), _parsed(("out_of_scope", 0.9), ("greet", 0.05))]
    non_shop = [_parsed(("nlu_fallback", 0.5), ("faq", 0.35), ("help", 0.1))]
    in_scope = [_parsed(("greet", 0.95), ("goodbye", 0.01))] * 39 + [_parsed(("view_cart", 0.62), ("checkout", 0.1))]
    bitext = [("faq/shipping", _parsed(("faq", 0.7), ("order_status", 0.1), retrieval={"faq": "faq/shipping"}))]
    kwargs = {"oos": oos, "non_shop": non_shop, "in_scope": in_scope, "bitext": bitext}
    rows = [ev.sweep_row(t, 0.1, 0.5, **kwargs) for t in (0.3, 0.5, 0.65, 0.75)]
    assert [(r.clinc_oos, r.clinc_non_shop) for r in rows] == [(0.5, 0.0), (1.0, 1.0), (1.0, 1.0), (1.0, 1.0)]
    assert rows[0].clinc_pooled == pytest.approx(1 / 3)
    assert [r.in_scope_fallback for r in rows] == [0.0, 0.0, 0.025, 0.025]
    assert [r.bitext for r in rows] == [1.0, 1.0, 1.0, 0.0]
    assert ev.recommend(rows).threshold == 0.5  # ties: less in-scope fallback first
    assert ev.recommend(rows, max_fallback=0.0).threshold == 0.5
    assert ev.recommend([ev.SweepRow(0.5, None, None, None, 0.0, None)]) is None
    assert ev.recommend([ev.SweepRow(0.5, 1.0, 1.0, 1.0, 0.2, None)]) is None


# ---------------------------------------------------------------------------------------------- CLINC


def test_split_clinc_excludes_shop_intents() -> None:
    """Shop intents are left out of the non-shop set and counted; all in-scope queries stay listed."""
    data = {"test": [["hey there", "greeting"], ["what's my credit score", "credit_score"],
                     ["where is my parcel", "order_status"], ["set an alarm for six", "alarm"]],
            "oos_test": [["how tall is the tallest tree", "oos"]]}
    sets = ev.split_clinc(data)
    assert sets.oos == ["how tall is the tallest tree"]
    assert sets.non_shop == ["what's my credit score", "set an alarm for six"]
    assert len(sets.in_scope) == 4
    assert sets.excluded == {"greeting": 1, "order_status": 1}


def test_clinc_exclusions_are_real_clinc_intents_with_a_reason() -> None:
    """Every exclusion names the bot intent that handles it; none of the obviously foreign domains is excluded."""
    assert all(reason for reason in ev.CLINC_SHOP_INTENTS.values())
    assert {"greeting", "goodbye", "thank_you", "yes", "no", "order_status"} <= set(ev.CLINC_SHOP_INTENTS)
    assert not {"weather", "book_flight", "credit_score", "recipe", "maybe"} & set(ev.CLINC_SHOP_INTENTS)


# ---------------------------------------------------------------------------------------------- misc


def test_share_spread_and_meets() -> None:
    """Fractions, even sampling and the PASS/FAIL verdicts."""
    assert ev.share([True, False, True, True]) == 0.75
    assert ev.share([]) is None
    assert ev.spread(list(range(10)), 3) == [0, 3, 6]
    assert ev.spread([1, 2], 5) == [1, 2]
    assert ev.spread([1, 2], None) == [1, 2]
    assert ev.meets("intent_macro_f1", 0.95) == "PASS"
    assert ev.meets("intent_macro_f1", 0.94) == "FAIL"
    assert ev.meets("in_scope_fallback", 0.03) == "PASS"
    assert ev.meets("in_scope_fallback", 0.031) == "FAIL"
    assert ev.meets("bitext_accuracy", None) == "n/a"
    assert ev.meets("not_a_target", 1.0) == ""


def test_extractor_row_keeps_only_the_types_an_extractor_produces() -> None:
    """A regex extractor scored on email and order_id only; micro F1 rebuilt from precision and recall."""
    report = {
        "email": {"precision": 1.0, "recall": 0.5, "f1-score": 2 / 3, "support": 4},
        "order_id": {"precision": 0.5, "recall": 1.0, "f1-score": 2 / 3, "support": 2},
        "category": {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 10},
        "micro avg": {"precision": 0.6, "recall": 0.25, "f1-score": 0.35, "support": 16},
        "macro avg": {"precision": 0.5, "recall": 0.5, "f1-score": 0.44, "support": 16},
    }
    row = ev.extractor_row("RegexEntityExtractor", report)
    assert row.types == ("email", "order_id")
    assert row.support == 6
    # tp = 2 + 2, predicted = 2/1.0 + 2/0.5 = 6, support 6 -> F1 = 8 / 12
    assert row.micro_f1 == pytest.approx(8 / 12)
    assert row.macro_f1 == pytest.approx(2 / 3)


def test_load_bitext_keeps_mapped_intents(tmp_path: Path) -> None:
    """Only the mapped rows of an invented CSV (with a byte-order mark) are kept."""
    path = tmp_path / "bitext.csv"
    path.write_text("\ufeffflags,utterance,category,intent\n"
                    "B,where has my parcel got to,ORDER,track_order\n"
                    "B,sign me up for the mailing list,NEWSLETTER,newsletter_subscription\n", encoding="utf-8")
    assert ev.load_bitext(path) == [("where has my parcel got to", "track_order", "order_status")]


def test_gold_values_take_the_training_synonyms_as_the_bot_does() -> None:
    with_synonyms = ev.with_synonyms
    gold = [{"entity": "category", "value": "Backpack"}, {"entity": "brand", "value": "Zorbit"}]
    assert with_synonyms(gold, {"backpack": "backpacks"}) == (
        {"entity": "category", "value": "backpacks"}, {"entity": "brand", "value": "Zorbit"})


def test_a_scope_guard_override_is_undone_above_its_score() -> None:
    output = {"intent": {"name": "out_of_scope", "confidence": 0.8},
              "intent_ranking": [{"name": "out_of_scope", "confidence": 0.8},
                                 {"name": "recommend", "confidence": 0.19}],
              "out_of_scope_score": 0.8,
              "scope_guard_replaced": {"intent": {"name": "recommend", "confidence": 0.95},
                                       "intent_ranking": [{"name": "recommend", "confidence": 0.95}]}}
    parsed = ev.Parsed.from_parse(output)
    assert parsed.with_guard_at(0.7).intent == "out_of_scope"
    assert parsed.with_guard_at(0.85).intent == "recommend"
    rows = ev.guard_sweep(0.5, 0.1, oos=[parsed], non_shop=[], in_scope=[], bitext=[], thresholds=(0.7, 0.85))
    assert [(r.threshold, r.clinc_oos) for r in rows] == [(0.7, 1.0), (0.85, 0.0)]


def test_the_closed_threshold_sweep_replaces_and_restores_closed_intents() -> None:
    kept = ev.Parsed("order_status", (("order_status", 0.9),), {}, (), 0.8)
    evidence = ev.Parsed("order_status", (("order_status", 0.9),), {},
                         ({"entity": "order_id", "value": "CE-123456", "extractor": "RegexEntityExtractor"},), 0.8)
    social = ev.Parsed("affirm", (("affirm", 0.9),), {}, (), 0.99)
    replaced = ev.Parsed.from_parse({
        "intent": {"name": "out_of_scope", "confidence": 0.9}, "out_of_scope_score": 0.9,
        "intent_ranking": [{"name": "out_of_scope", "confidence": 0.9}],
        "scope_guard_replaced": {"intent": {"name": "checkout", "confidence": 0.9},
                                 "intent_ranking": [{"name": "checkout", "confidence": 0.9}]}})
    assert kept.with_closed_guard_at(0.7).intent == "out_of_scope"
    assert kept.with_closed_guard_at(0.85).intent == "order_status"
    assert evidence.with_closed_guard_at(0.5).intent == "order_status"
    assert social.with_closed_guard_at(0.5).intent == "affirm"
    assert replaced.with_closed_guard_at(0.95).intent == "checkout"
    assert replaced.with_closed_guard_at(0.9).intent == "out_of_scope"
    assert replaced.with_guard_at(0.95).intent == "out_of_scope"  # the open sweep leaves closed replacements
    rows = ev.closed_guard_sweep(0.5, 0.1, oos=[kept, replaced], non_shop=[], in_scope=[evidence], bitext=[],
                                 thresholds=(0.7, 0.85, 1.01))
    assert [(r.threshold, r.clinc_oos, r.in_scope_fallback) for r in rows] == [
        (0.7, 1.0, 0.0), (0.85, 0.5, 0.0), (1.01, 0.0, 0.0)]


def test_no_guard_sweep_without_guard_scores() -> None:
    assert ev.guard_sweep(0.5, 0.1, oos=[_parsed(("recommend", 0.9))], non_shop=[], in_scope=[], bitext=[]) == []
