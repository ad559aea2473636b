"""Prints intent and entity figures from a `rasa test nlu --out DIR` run, with the machine they ran on."""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path


def _figures(report: dict) -> tuple[float, float, int]:
    macro = report.get("macro avg", {})
    weighted = report.get("weighted avg", {})
    return macro.get("f1-score", 0.0), weighted.get("f1-score", 0.0), int(macro.get("support", 0))


def main(out_dir: str) -> int:
    """Print the table; 1 when the reports are missing."""
    out = Path(out_dir)
    rows = []
    for label, name in [("intents", "intent_report.json"), ("entities (DIET)", "DIETClassifier_report.json"),
                        ("entities (regex)", "RegexEntityExtractor_report.json")]:
        path = out / name
        if path.exists():
            macro, weighted, support = _figures(json.loads(path.read_text()))
            rows.append((label, macro, weighted, support))
    if not rows:
        print(f"no reports in {out}: run `rasa test nlu --out {out}` first", file=sys.stderr)
        return 1
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    print(f"{'':18} {'macro F1':>9} {'weighted F1':>12} {'examples':>9}")
    for label, macro, weighted, support in rows:
        print(f"{label:18} {macro:9.3f} {weighted:12.3f} {support:9d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu"))
