"""Search relevance benchmark: the store's search against plain BM25 on ../shared/benchmarks/search-icecat.

Usage: python scripts/bench_search.py [--data DIR] [--no-turn]   (DIR holds catalog.jsonl and judgments.csv)

The catalog is imported into a scratch SQLite database in a temporary directory; var/store.db is never used.
Metrics (averaged over every judged query, unjudged documents rated 0): NDCG@10 with gains 2^rating - 1 and a
log2 discount, the ideal ranking built from all judged documents of the query; P@5 and MRR@10 with
"relevant" meaning rating >= RELEVANT. Queries with no judged document above 0 score 0 for every system.
The figures are also printed for two halves of the queries (sorted by text, even and odd positions), so that a
reader can see whether a gain holds on both or comes from a few queries.

The target "search p95 under a tenth of a Rasa turn" is measured in the same run: the latest trained model in
models/ is loaded in-process (about a minute, TensorFlow) and its NLU parse of each benchmark query is timed.
That is only part of a turn (a REST turn adds HTTP, the policies and the action server call that itself runs
the search), so the printed ratio is an upper bound of search / turn. `--no-turn` skips it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import inspect
import logging
import math
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store is imported at run time, once the repository root is on sys.path
    from store.types import ImportSummary
    from store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "search-icecat"
MODELS = ROOT / "models"
K = 10
TURN_TARGET = 0.10  # search p95 should stay under this share of a Rasa turn
RELEVANT = 2  # a judged rating (0-3) of at least this counts as relevant for P@5 and MRR
_TOKEN = re.compile(r"[^\W_]+")


# ---------------------------------------------------------------------------------------------- metrics


def dcg(ratings: Iterable[float]) -> float:
    """Discounted cumulative gain of ratings in rank order: sum of (2^rel - 1) / log2(rank + 1)."""
    return sum((2.0 ** rel - 1.0) / math.log2(rank + 1) for rank, rel in enumerate(ratings, start=1))


def ndcg_at_k(ranked: Sequence[str], judgments: Mapping[str, int], k: int = K) -> float:
    """NDCG@k of a ranked list of ids; ideal DCG from all judged ratings; 0.0 when nothing is rated above 0."""
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    if ideal <= 0:
        return 0.0
    return dcg(judgments.get(doc, 0) for doc in ranked[:k]) / ideal


def precision_at_k(ranked: Sequence[str], judgments: Mapping[str, int], k: int = 5,
                   threshold: int = RELEVANT) -> float:
    """Share of the first k slots holding a document rated >= threshold (missing slots count as misses)."""
    return sum(1 for doc in ranked[:k] if judgments.get(doc, 0) >= threshold) / k


def reciprocal_rank(ranked: Sequence[str], judgments: Mapping[str, int], threshold: int = RELEVANT,
                    k: int = K) -> float:
    """1 / rank of the first document rated >= threshold within the first k, else 0.0."""
    for rank, doc in enumerate(ranked[:k], start=1):
        if judgments.get(doc, 0) >= threshold:
            return 1.0 / rank
    return 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# ---------------------------------------------------------------------------------------------- plain BM25


def tokenize(value: str) -> list[str]:
    """Lower-case runs of letters and digits; no stemming, no stop words."""
    return _TOKEN.findall(value.lower())


class BM25:
    """Okapi BM25 over whole documents (idf = ln(1 + (N - df + 0.5) / (df + 0.5)), as in Lucene)."""

    def __init__(self, docs: Mapping[str, str], k1: float = 1.2, b: float = 0.75) -> None:
        """Index `docs` (id -> text)."""
        self.k1, self.b = k1, b
        self.ids: list[str] = list(docs)
        self.lengths: list[int] = []
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)  # term -> [(doc index, tf)]
        for index, doc_id in enumerate(self.ids):
            counts = Counter(tokenize(docs[doc_id]))
            self.lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                self.postings[term].append((index, tf))
        self.avg_length = sum(self.lengths) / len(self.lengths) if self.lengths else 0.0

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term (0.0 for a term no document has)."""
        df = len(self.postings.get(term, ()))
        if df == 0:
            return 0.0
        n = len(self.ids)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> dict[int, float]:
        """BM25 score of every document that shares a term with the query (doc index -> score)."""
        result: dict[int, float] = defaultdict(float)
        for term in tokenize(query):
            idf = self.idf(term)
            for index, tf in self.postings.get(term, ()):
                norm = self.k1 * (1.0 - self.b + self.b * self.lengths[index] / self.avg_length)
                result[index] += idf * tf * (self.k1 + 1.0) / (tf + norm)
        return result

    def top(self, query: str, k: int = K) -> list[str]:
        """Ids of the k best-scoring documents, best first (ties in index order)."""
        scored = self.scores(query)
        best = sorted(scored, key=lambda index: (-scored[index], index))[:k]
        return [self.ids[index] for index in best]


# ---------------------------------------------------------------------------------------------- benchmark


def read_judgments(path: Path) -> dict[str, dict[str, int]]:
    """query -> {docid: rating} from a `query,docid,rating` CSV, queries in file order."""
    judged: dict[str, dict[str, int]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            judged.setdefault(row["query"], {})[row["docid"].strip()] = int(row["rating"])
    return judged


def halves(queries: Iterable[str]) -> tuple[list[str], list[str]]:
    """The queries sorted by text, split into even and odd positions (1st, 3rd, ... and 2nd, 4th, ...)."""
    ordered = sorted(queries)
    return ordered[0::2], ordered[1::2]


def _documents(uow: UnitOfWork) -> dict[str, str]:
    """sku -> name, brand, category, subcategory, description and tags of every active product."""
    from sqlalchemy import select

    from store.models import Product

    rows = uow.session.execute(select(Product.sku, Product.name, Product.brand, Product.category,
                                      Product.subcategory, Product.description, Product.tags)
                               .where(Product.active.is_(True)))
    return {r.sku: " ".join([r.name, r.brand or "", r.category, r.subcategory or "", r.description or "",
                             " ".join(r.tags or [])]) for r in rows}


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


# ---------------------------------------------------------------------------------------------- Rasa turn


def latest_model(models: Path = MODELS) -> Path | None:
    """The newest models/*.tar.gz (by modification time), or None when nothing is trained."""
    found = sorted(models.glob("*.tar.gz"), key=lambda p: (p.stat().st_mtime, p.name)) if models.is_dir() else []
    return found[-1] if found else None


def time_nlu_parse(model: Path, texts: Sequence[str]) -> tuple[float, list[float]]:
    """Load `model` in-process (seconds taken) and time its NLU parse of each text (ms), after one warm-up."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _in_dir(ROOT):  # the custom components (chatecomm_nlu) and their data/ files are found from the root
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)  # not a debug line per parse
        started = time.perf_counter()
        agent = Agent.load(str(model))
        load_seconds = time.perf_counter() - started
        loop = asyncio.new_event_loop()
        try:
            def parse(text_value: str) -> None:
                result = agent.parse_message(text_value)
                if inspect.isawaitable(result):
                    loop.run_until_complete(result)

            parse("hello")  # the first parse builds TensorFlow's graphs
            timings = []
            for text_value in texts:
                started = time.perf_counter()
                parse(text_value)
                timings.append((time.perf_counter() - started) * 1000.0)
        finally:
            loop.close()
    return load_seconds, timings


@contextlib.contextmanager
def _in_dir(path: Path):  # noqa: ANN202 - contextlib.chdir is Python 3.11+
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def turn_ratio(search_p95: float, parse_p50: float) -> float | None:
    """search p95 / Rasa NLU parse p50, None without a parse time."""
    return search_p95 / parse_p50 if parse_p50 > 0 else None


def _turn(store_ms: Sequence[float], in_stock_ms: Sequence[float], texts: Sequence[str], no_turn: bool,
          models: Path) -> None:
    """Print the search / Rasa turn line: measured with the latest model, or why it was not."""
    if no_turn:
        print("turn:    not measured (--no-turn); search p95 / Rasa turn ratio not computed")
        return
    model = latest_model(models)
    if model is None:
        print(f"turn:    not measured: no trained model in {models} (make train); "
              "search p95 / Rasa turn ratio not computed")
        return
    print(f"turn:    loading {model.name} in-process to time its NLU parse (about a minute; --no-turn skips) ...",
          flush=True)
    try:
        load_seconds, parse_ms = time_nlu_parse(model, texts)
    except Exception as error:  # noqa: BLE001 - a model that does not load must not hide the search figures
        print(f"turn:    not measured: {model.name} did not load or parse ({type(error).__name__}: {error})")
        return
    search_p95, parse_p50 = percentile(store_ms, 95), percentile(parse_ms, 50)
    ratio = turn_ratio(search_p95, parse_p50)
    in_stock_ratio = turn_ratio(percentile(in_stock_ms, 95), parse_p50)
    print(f"turn:    Rasa NLU parse (agent.parse_message, in-process, loaded in {load_seconds:.0f} s) "
          f"p50 {parse_p50:.2f} ms, p95 {percentile(parse_ms, 95):.2f} ms over {len(parse_ms)} queries; "
          "a full REST turn is longer (HTTP, policies, the action server's own search)")
    verdict = "met" if ratio is not None and ratio < TURN_TARGET else "not met"
    shown = f"{ratio:.3f}" if ratio is not None else "n/a"
    in_stock_shown = f"{in_stock_ratio:.3f}" if in_stock_ratio is not None else "n/a"
    print(f"turn:    search p95 / Rasa NLU parse p50 = {shown} (target < {TURN_TARGET:.2f}: {verdict}; "
          f"in stock only: {in_stock_shown}; the parse is a lower bound of a turn, so the ratio to a whole turn "
          "is lower still)")


def run(data: Path, *, no_turn: bool = False, models: Path = MODELS) -> int:
    """Import the catalog into a scratch database, run both systems on every judged query and print the figures."""
    catalog_path, judgments_path = data / "catalog.jsonl", data / "judgments.csv"
    missing = [p for p in (catalog_path, judgments_path) if not p.is_file()]
    if missing:
        print(f"bench-search: benchmark data not found ({', '.join(str(p) for p in missing)}); "
              "nothing measured. Put search-icecat under ../shared/benchmarks or pass --data DIR.")
        return 0
    judged = read_judgments(judgments_path)

    with tempfile.TemporaryDirectory(prefix="bench-search-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'bench.db'}"
        os.environ["STORE_DATABASE_URL"] = url  # belt and braces: nothing may fall back to var/store.db
        sys.path.insert(0, str(ROOT))
        from store.catalog import catalog_vocabulary, import_catalog
        from store.config import get_settings
        from store.db import create_schema, get_engine, get_session_factory
        from store.search import clear_search_cache, search, understand
        from store.uow import UnitOfWork

        get_settings.cache_clear()
        engine = get_engine(url)
        create_schema(engine)
        factory = get_session_factory(url)
        try:
            started = time.perf_counter()
            with UnitOfWork(factory) as uow:
                summary = import_catalog(catalog_path, uow, progress=False)
            import_seconds = time.perf_counter() - started

            with UnitOfWork(factory) as uow:
                docs = _documents(uow)
                started = time.perf_counter()
                bm25 = BM25(docs)
                bm25_index_seconds = time.perf_counter() - started
                vocabulary = catalog_vocabulary(uow)
                search(understand("warm up", vocabulary), uow, log=False)  # first call loads the catalog caches

                results: dict[str, dict[str, dict[str, float]]] = {"store search": defaultdict(dict),
                                                                   "plain BM25": defaultdict(dict)}
                for text_value, judgments in judged.items():
                    query = understand(text_value, vocabulary)
                    query = replace(query, limit=K, offset=0, in_stock_only=False)
                    started = time.perf_counter()
                    found = search(query, uow, log=False)
                    elapsed = time.perf_counter() - started
                    _score(results["store search"], text_value, [p.sku for p in found.products][:K], judgments,
                           elapsed)

                    started = time.perf_counter()
                    ranked = bm25.top(text_value, K)
                    elapsed = time.perf_counter() - started
                    _score(results["plain BM25"], text_value, ranked, judgments, elapsed)

                # Shoppers' searches keep only products in stock by default (a join per match): the same queries
                # again that way, timed only, from cold caches again after one warm-up.
                clear_search_cache()
                search(understand("warm up", vocabulary), uow, log=False)
                in_stock_ms = []
                for text_value in judged:
                    query = replace(understand(text_value, vocabulary), limit=K, offset=0, in_stock_only=True)
                    started = time.perf_counter()
                    search(query, uow, log=False)
                    in_stock_ms.append((time.perf_counter() - started) * 1000.0)
        finally:
            engine.dispose()

    _report(results, judged, summary, len(docs), import_seconds, bm25_index_seconds, data)
    print(f"latency: the same queries in stock only (the shoppers' default) p50 {percentile(in_stock_ms, 50):.2f} ms, "
          f"p95 {percentile(in_stock_ms, 95):.2f} ms")
    _turn(list(results["store search"]["ms"].values()), in_stock_ms, list(judged), no_turn, models)
    return 0


def _score(into: dict[str, dict[str, float]], query: str, ranked: list[str], judgments: Mapping[str, int],
           seconds: float) -> None:
    """Record one query's metrics and latency for a system (metric -> query -> value)."""
    into["ndcg"][query] = ndcg_at_k(ranked, judgments, K)
    into["p5"][query] = precision_at_k(ranked, judgments, 5, RELEVANT)
    into["mrr"][query] = reciprocal_rank(ranked, judgments, RELEVANT, K)
    into["ms"][query] = seconds * 1000.0


def _table(title: str, results: Mapping[str, Mapping[str, Mapping[str, float]]], queries: Sequence[str]) -> None:
    """NDCG@10, P@5 and MRR of each system over `queries`, and the store / BM25 ratios."""
    print(f"{title} ({len(queries)} queries)")
    print(f"  {'system':<14} {'NDCG@10':>8} {'P@5':>8} {'MRR':>8}")
    means = {system: {m: _mean([figures[m][q] for q in queries]) for m in ("ndcg", "p5", "mrr")}
             for system, figures in results.items()}
    for system, mean in means.items():
        print(f"  {system:<14} {mean['ndcg']:8.3f} {mean['p5']:8.3f} {mean['mrr']:8.3f}")
    store, base = means["store search"], means["plain BM25"]
    ratios = [f"{store[m] / base[m]:.2f}" if base[m] else "n/a" for m in ("ndcg", "p5", "mrr")]
    print(f"  {'store / BM25':<14} {ratios[0]:>8} {ratios[1]:>8} {ratios[2]:>8}")


def _report(results: Mapping[str, Mapping[str, Mapping[str, float]]], judged: Mapping[str, Mapping[str, int]],
            summary: ImportSummary, products: int, import_seconds: float, bm25_seconds: float, data: Path) -> None:
    """Print the machine, the data, the relevance tables (all queries and both halves) and the latencies."""
    no_gain = sum(1 for j in judged.values() if max(j.values(), default=0) <= 0)
    no_relevant = sum(1 for j in judged.values() if max(j.values(), default=0) < RELEVANT)
    print("search relevance benchmark (scripts/bench_search.py)")
    print(f"machine:  {_machine()}")
    print(f"data:     {data}")
    print(f"catalog:  {products} active products (imported {summary.imported}, rejected {len(summary.rejected)}) "
          f"in {import_seconds:.1f} s into a scratch SQLite database; BM25 index built in {bm25_seconds:.1f} s")
    print(f"queries:  {len(judged)} judged ({sum(len(j) for j in judged.values())} judgments); "
          f"{no_gain} have no document rated > 0, {no_relevant} none rated >= {RELEVANT} (they score 0 for both)")
    print(f"metrics:  mean over queries; NDCG@{K} gains 2^rating-1, log2 discount, ideal from all judged docs; "
          f"relevant = rating >= {RELEVANT} (of 0-3) for P@5 and MRR@{K}; unjudged = 0")
    print()
    first, second = halves(judged)
    _table("all queries", results, list(judged))
    _table("half A: queries sorted by text, 1st, 3rd, 5th ...", results, first)
    _table("half B: queries sorted by text, 2nd, 4th, 6th ...", results, second)
    print()
    store_ms = list(results["store search"]["ms"].values())
    bm25_ms = list(results["plain BM25"]["ms"].values())
    print(f"latency: store search p50 {percentile(store_ms, 50):.2f} ms, p95 {percentile(store_ms, 95):.2f} ms "
          f"per search() call (after one warm-up); plain BM25 in-memory p50 {percentile(bm25_ms, 50):.2f} ms, "
          f"p95 {percentile(bm25_ms, 95):.2f} ms (reference only)")


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"folder holding catalog.jsonl and judgments.csv (default: {DEFAULT_DATA})")
    parser.add_argument("--no-turn", action="store_true",
                        help="do not load the latest Rasa model to time a turn's NLU parse (saves about a minute)")
    args = parser.parse_args(argv)
    return run(args.data, no_turn=args.no_turn)


def _machine() -> str:
    """scripts/machine_info.py, found beside this script when it runs as a script."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from machine_info import machine

    return machine()


if __name__ == "__main__":
    sys.exit(main())

