"""Prints intent and entity figures from a `rasa test nlu --out DIR` run, with the machine they ran on."""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

# The regex extractor only extracts these entities: score it on them alone.
REGEX_ENTITIES = ("email", "order_id")


def _f1(report: dict, key: str) -> float:
    return float(report.get(key, {}).get("f1-score", 0.0))


def _row(label: str, report: dict, only: tuple[str, ...] = ()) -> tuple[str, float, float, int]:
    if only:
        labels = [report[name] for name in only if name in report]
        support = sum(int(item["support"]) for item in labels)
        macro = sum(item["f1-score"] for item in labels) / len(labels) if labels else 0.0
        micro = sum(item["f1-score"] * item["support"] for item in labels) / support if support else 0.0
        return label, macro, micro, support
    micro_key = "micro avg" if "micro avg" in report else "accuracy"
    micro = float(report[micro_key]) if micro_key == "accuracy" else _f1(report, micro_key)
    return label, _f1(report, "macro avg"), micro, int(report.get("macro avg", {}).get("support", 0))


def main(out_dir: str) -> int:
    """Print the table; 1 when the reports are missing."""
    out = Path(out_dir)
    rows = []
    for label, name, only in [("intents", "intent_report.json", ()),
                              ("entities (DIET)", "DIETClassifier_report.json", ()),
                              ("email, order_id (regex)", "RegexEntityExtractor_report.json", REGEX_ENTITIES),
                              ("faq/chitchat keys", "response_selection_report.json", ())]:
        path = out / name
        if path.exists():
            rows.append(_row(label, json.loads(path.read_text()), only))
    if not rows:
        print(f"no reports in {out}: run `rasa test nlu --out {out}` first", file=sys.stderr)
        return 1
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    print(f"{'':24} {'macro F1':>9} {'micro F1/acc':>13} {'examples':>9}")
    for label, macro, micro, support in rows:
        print(f"{label:24} {macro:9.3f} {micro:13.3f} {support:9d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu"))
