"""scripts/bench_search.py: the two halves of the queries and a run without the benchmark data."""

from __future__ import annotations

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
