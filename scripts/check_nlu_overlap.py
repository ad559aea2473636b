"""Checks the NLU data for duplicates, contradictions and train/test leaks.

Reads every intent block of data/nlu/*.yml (training) and tests/nlu/*.yml (held-out test split),
strips entity annotations and compares the sentences after normalising them (lower case, no
punctuation, single spaces).

Errors (exit status 1):
  - the same normalised sentence under two different intents (a contradiction), in training or test
  - a test sentence whose normalised form is also a training sentence (a leak)
  - a test sentence that differs from a training sentence of the same intent by one word only
    (a near-leak)
Warnings (printed, exit status 0 unless --strict):
  - the same normalised sentence twice under one intent
  - two training sentences that differ by one word only (near-duplicates; across two intents
    they are contrast pairs, usually wanted)
  - a test sentence one word apart from a training sentence of another intent
  - a test sentence very similar (characters) to a training sentence of its intent

Usage: python scripts/check_nlu_overlap.py [--strict] [--counts] [--root DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# [text](entity), [text]{"entity": ...}, [text]{...}(entity) forms of Rasa's training data format
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\{[^}]*\}|\([^)]*\))")
_NON_WORD = re.compile(r"[^\w\s@.-]+|(?<!\w)[.-]|[.-](?!\w)")
_SPACES = re.compile(r"\s+")
# sentences shorter than this (in words) are never called near-duplicates: "cancel order" and
# "cancel orders" are two short sentences, not one copied sentence
MIN_WORDS_FOR_NEAR = 4
# a test sentence this similar (character ratio) to a training sentence of its intent is reported
SIMILAR_RATIO = 0.9


@dataclass(frozen=True)
class Example:
    intent: str
    text: str  # without entity annotations
    norm: str
    path: str


def strip_annotations(text: str) -> str:
    return _ANNOTATION.sub(r"\1", text)


def normalise(text: str) -> str:
    text = strip_annotations(text).lower().replace("’", "'").replace("'", "")
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def read_examples(paths: list[Path]) -> list[Example]:
    """Intent examples of the given Rasa NLU files (regexes, lookups and synonyms are skipped)."""
    found: list[Example] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            intent = block.get("intent") if isinstance(block, dict) else None
            if not intent:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if not line.startswith("- "):
                    continue
                text = strip_annotations(line[2:].strip())
                found.append(Example(intent, text, normalise(text), str(path.relative_to(path.parents[2]))))
    return found


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yml") if "lookups" not in p.parts)


def one_word_apart(a: list[str], b: list[str]) -> bool:
    """True when b is a with one word replaced, added or removed (and the two are not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def near_pairs(left: list[Example], right: list[Example], same_set: bool) -> list[tuple[Example, Example]]:
    """Pairs one word apart. Bucketed by (first word, length) and (last word, length) to stay fast."""
    buckets: dict[tuple, list[Example]] = defaultdict(list)
    for ex in right:
        words = ex.norm.split()
        if len(words) < MIN_WORDS_FOR_NEAR - 1:
            continue
        for n in (len(words) - 1, len(words), len(words) + 1):
            buckets[("first", words[0], n)].append(ex)
            buckets[("last", words[-1], n)].append(ex)
    pairs: set[tuple[Example, Example]] = set()
    for ex in left:
        words = ex.norm.split()
        if len(words) < MIN_WORDS_FOR_NEAR:
            continue
        for key in (("first", words[0], len(words)), ("last", words[-1], len(words))):
            for other in buckets.get(key, []):
                if other is ex or len(other.norm.split()) < MIN_WORDS_FOR_NEAR:
                    continue
                if one_word_apart(words, other.norm.split()):
                    pair = tuple(sorted((ex, other), key=lambda e: (e.path, e.text))) if same_set else (ex, other)
                    pairs.add(pair)  # type: ignore[arg-type]
    return sorted(pairs, key=lambda p: (p[0].intent, p[0].text))


def check(root: Path = ROOT) -> tuple[list[str], list[str], list[Example], list[Example]]:
    """(errors, warnings, training examples, test examples)."""
    train = read_examples(yaml_files(root / "data" / "nlu"))
    test = read_examples(yaml_files(root / "tests" / "nlu"))
    errors: list[str] = []
    warnings: list[str] = []

    for label, examples in (("training", train), ("test", test)):
        by_norm: dict[str, list[Example]] = defaultdict(list)
        for ex in examples:
            by_norm[ex.norm].append(ex)
        for _norm, group in sorted(by_norm.items()):
            intents = sorted({ex.intent for ex in group})
            if len(intents) > 1:
                where = "; ".join(f"{ex.intent} ({ex.path}): {ex.text!r}" for ex in group)
                errors.append(f"{label}: one sentence under {len(intents)} intents: {where}")
            elif len(group) > 1:
                warnings.append(f"{label}: repeated {len(group)} times under {intents[0]}: {group[0].text!r}")

    train_by_norm = {ex.norm: ex for ex in train}
    for ex in test:
        if ex.norm in train_by_norm:
            other = train_by_norm[ex.norm]
            errors.append(
                f"leak: test {ex.intent} {ex.text!r} is training {other.intent} {other.text!r} ({other.path})"
            )
    for test_ex, train_ex in near_pairs(test, train, same_set=False):
        line = (
            f"test {test_ex.intent} {test_ex.text!r} ~ training {train_ex.intent} {train_ex.text!r} ({train_ex.path})"
        )
        if test_ex.intent == train_ex.intent:
            errors.append(f"near-leak: {line}")
        else:  # a contrast pair: the model must tell them apart, nothing leaks
            warnings.append(f"one word apart across intents: {line}")
    train_by_intent: dict[str, list[Example]] = defaultdict(list)
    for ex in train:
        train_by_intent[ex.intent].append(ex)
    near_leaks = {(t.norm, e.norm) for t, e in near_pairs(test, train, same_set=False)}
    for ex in test:
        for other in train_by_intent[ex.intent]:
            if ex.norm == other.norm or (ex.norm, other.norm) in near_leaks:
                continue
            matcher = SequenceMatcher(None, ex.norm, other.norm)
            if matcher.real_quick_ratio() >= SIMILAR_RATIO and matcher.ratio() >= SIMILAR_RATIO:
                warnings.append(f"test {ex.intent} {ex.text!r} is very like training {other.text!r} ({other.path})")
    for a, b in near_pairs(train, train, same_set=True):
        kind = "near-duplicate" if a.intent == b.intent else "near-duplicate across intents"
        warnings.append(f"training {kind}: {a.intent} {a.text!r} ~ {b.intent} {b.text!r}")
    return errors, warnings, train, test


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strict", action="store_true", help="warnings fail too")
    parser.add_argument("--counts", action="store_true", help="print examples per intent")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    errors, warnings, train, test = check(args.root)
    if args.counts:
        train_counts, test_counts = Counter(e.intent for e in train), Counter(e.intent for e in test)
        print(f"{'intent':28} {'train':>6} {'test':>6}")
        for intent in sorted(set(train_counts) | set(test_counts)):
            print(f"{intent:28} {train_counts[intent]:6} {test_counts[intent]:6}")
        print(f"{'total':28} {len(train):6} {len(test):6}")
    for line in warnings:
        print(f"WARNING {line}")
    for line in errors:
        print(f"ERROR {line}")
    print(f"{len(train)} training and {len(test)} test examples: {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors or (args.strict and warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
