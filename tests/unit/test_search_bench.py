"""scripts/bench_search.py: the two halves of the queries and a run without the benchmark data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.script_loader import load_script

bench = load_script("bench_search.py", "bench_search_halves")


def test_halves_split_queries_sorted_by_text_at_even_and_odd_positions() -> None:
    first, second = bench.halves(["tv", "apple", "mouse", "desk", "camera"])
    assert first == ["apple", "desk", "tv"]
    assert second == ["camera", "mouse"]
    assert bench.halves([]) == ([], [])


def test_missing_data_is_said_and_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--data", str(tmp_path / "absent")]) == 0
    assert "benchmark data not found" in capsys.readouterr().out


def test_the_latest_model_is_the_newest_archive(tmp_path: Path) -> None:
    assert bench.latest_model(tmp_path / "absent") is None
    assert bench.latest_model(tmp_path) is None
    older, newer = tmp_path / "20240101-old.tar.gz", tmp_path / "20240102-new.tar.gz"
    older.write_bytes(b"")
    newer.write_bytes(b"")
    os.utime(older, (1_000, 1_000))
    os.utime(newer, (2_000, 2_000))
    (tmp_path / "notes.txt").write_text("not a model")
    assert bench.latest_model(tmp_path) == newer


def test_turn_ratio_is_search_p95_over_parse_p50() -> None:
    assert bench.turn_ratio(2.0, 20.0) == pytest.approx(0.1)
    assert bench.turn_ratio(2.0, 0.0) is None


def test_the_turn_is_skipped_with_a_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bench._turn([1.0, 2.0], [1.5, 2.5], ["tv"], True, tmp_path)
    assert "not measured (--no-turn)" in capsys.readouterr().out
    bench._turn([1.0, 2.0], [1.5, 2.5], ["tv"], False, tmp_path)
    assert "no trained model" in capsys.readouterr().out


def test_the_turn_line_gives_the_ratio_of_search_p95_to_the_parse_p50(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "model.tar.gz").write_bytes(b"")
    monkeypatch.setattr(bench, "time_nlu_parse", lambda model, texts: (1.0, [20.0, 20.0, 20.0]))
    bench._turn([1.0, 1.0, 1.0], [4.0, 4.0, 4.0], ["tv"], False, tmp_path)
    out = capsys.readouterr().out
    assert "= 0.050 (target < 0.10: met; in stock only: 0.200" in out

    def broken(model: Path, texts: list[str]) -> tuple[float, list[float]]:
        raise ValueError("not a model")

    monkeypatch.setattr(bench, "time_nlu_parse", broken)
    bench._turn([1.0], [1.0], ["tv"], False, tmp_path)
    assert "did not load or parse (ValueError: not a model)" in capsys.readouterr().out


def test_the_ndcg_verdict_compares_the_unrounded_ratio_with_the_target() -> None:
    results = {"store search": {"ndcg": {"a": 0.6736, "b": 0.6736}}, "plain BM25": {"ndcg": {"a": 0.588, "b": 0.588}}}
    assert bench.ndcg_verdict(results, ["a", "b"]) == "  target: NDCG@10 store / BM25 = 1.146 (>= 1.15: not met)"
    results["store search"]["ndcg"] = {"a": 0.70, "b": 0.70}
    assert bench.ndcg_verdict(results, ["a"]).endswith("= 1.190 (>= 1.15: met)")
