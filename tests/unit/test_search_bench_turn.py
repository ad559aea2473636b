"""scripts/bench_search.py: the full REST turn (servers, tracker reading, report lines) without a model."""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.script_loader import load_script

bench = load_script("bench_search.py", "bench_search_turn")


class FakeResponse:
    """What _last_turn reads of a requests response."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def raise_for_status(self) -> None:
        """Always a success."""

    def json(self) -> dict[str, Any]:
        """The body given."""
        return self.body


class FakeHttp:
    """A session whose GET returns one tracker, recording the URLs asked for."""

    def __init__(self, tracker: dict[str, Any]) -> None:
        self.tracker = tracker
        self.urls: list[str] = []

    def get(self, url: str, timeout: float) -> FakeResponse:
        """The tracker, whatever the URL."""
        self.urls.append(url)
        return FakeResponse(self.tracker)


def test_the_endpoints_point_at_the_action_server_port_and_a_private_tracker_store(tmp_path: Path) -> None:
    text = bench._endpoints(5123, tmp_path / "tracker.db")
    assert 'url: "http://127.0.0.1:5123/webhook"' in text
    assert f'db: "{tmp_path / "tracker.db"}"' in text
    assert "type: SQL" in text


def test_a_free_port_can_be_bound() -> None:
    port = bench.free_port()
    assert 1024 <= port <= 65535


def test_the_last_turn_is_the_intent_and_the_actions_after_the_latest_user_message() -> None:
    events = [{"event": "user", "text": "hi"}, {"event": "action", "name": "utter_greet"},
              {"event": "action", "name": "action_listen"}, {"event": "user", "text": "laptop"},
              {"event": "action", "name": "action_search_products"}, {"event": "slot", "name": "shown_products"},
              {"event": "action", "name": "action_listen"}]
    http = FakeHttp({"events": events, "latest_message": {"intent": {"name": "search_product"}}})
    assert bench._last_turn(http, "http://rasa", "shopper-1") == ("search_product", ["action_search_products"])
    assert http.urls == ["http://rasa/conversations/shopper-1/tracker"]
    assert bench._last_turn(FakeHttp({"events": []}), "http://rasa", "s") == ("?", [])


def test_products_are_shown_only_by_a_non_empty_products_payload() -> None:
    assert bench.shows_products([{"text": "Here"}, {"custom": {"type": "products", "products": [{"sku": "1"}]}}])
    assert not bench.shows_products([{"custom": {"type": "products", "products": []}}])
    assert not bench.shows_products([{"custom": {"type": "cart", "products": [{"sku": "1"}]}}, {"text": "hi"}])


def test_waiting_for_a_server_that_exits_says_so_with_its_log(tmp_path: Path) -> None:
    log = tmp_path / "rasa-server.log"
    with log.open("w") as output:
        proc = subprocess.Popen(["sh", "-c", "echo model did not load; exit 3"], stdout=output)
    proc.wait(timeout=10)
    with pytest.raises(RuntimeError, match="exited early \\(code 3\\)[^$]*model did not load"):
        bench._wait_until(lambda: False, "Rasa server", [proc], [log])


def test_stopping_ends_the_server_and_its_children(tmp_path: Path) -> None:
    child_file = tmp_path / "child.pid"
    proc = subprocess.Popen(["sh", "-c", f"sleep 60 & echo $! > {child_file}; wait"], start_new_session=True)
    deadline = time.monotonic() + 10
    while not (child_file.exists() and child_file.read_text().strip()):
        assert time.monotonic() < deadline, "the shell never started its child"
        time.sleep(0.05)
    child = int(child_file.read_text())
    bench._stop([proc])
    assert proc.returncode is not None
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_the_rest_turn_lines_give_the_latency_the_searches_and_the_ratio_of_each_message_form(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {"texts": []}

    @contextlib.contextmanager
    def servers(model: Path, database_url: str, work: Path) -> Iterator[str]:
        seen.update(model=model, database_url=database_url, work=work)
        yield "http://rasa"

    def turns(url: str, texts: list[str]) -> Any:
        seen["url"] = url
        seen["texts"].append(texts)
        if texts[0].startswith("search for"):
            return bench.RestTurns([200.0] * 4, [True] * 4, [True, True, True, False], Counter())
        return bench.RestTurns([20.0, 20.0, 100.0, 100.0], [False, False, True, True], [False, False, True, False],
                               Counter({"nlu_fallback": 2}))

    monkeypatch.setattr(bench, "rasa_servers", servers)
    monkeypatch.setattr(bench, "time_rest_turns", turns)
    model = tmp_path / "model.tar.gz"
    bench._rest_turn([1.0] * 4, [2.0] * 4, ["a", "b", "c", "d"], model, "sqlite:///bench.db", 19000, tmp_path)
    out = capsys.readouterr().out
    assert seen == {"model": model, "database_url": "sqlite:///bench.db", "work": tmp_path, "url": "http://rasa",
                    "texts": [["a", "b", "c", "d"], ["search for a", "search for b", "search for c", "search for d"]]}
    assert ("query as typed ('<query>') p50 60.0 ms, p95 100.0 ms over 4 queries; 2 ran the search action on the "
            "Icecat store (1 showed products; those p50 100.0 ms, p95 100.0 ms); the others were taken for: "
            "nlu_fallback 2") in out
    assert "query as a search request ('search for <query>') p50 200.0 ms, p95 200.0 ms over 4 queries; 4 ran" in out
    assert ("search p95 / REST turn (as typed) p50 = 0.017 (target < 0.10: met; in stock only: 0.033; "
            "all 4 turns; over the p50 of the 2 that searched: 0.010, in stock only 0.020)") in out
    assert ("search p95 / REST turn (as a search request) p50 = 0.005 (target < 0.10: met; in stock only: 0.010; "
            "all 4 turns; over the p50 of the 4 that searched: 0.005, in stock only 0.010)") in out


def test_servers_that_do_not_start_leave_the_other_figures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    @contextlib.contextmanager
    def broken(model: Path, database_url: str, work: Path) -> Iterator[str]:
        raise RuntimeError("Rasa server: rasa-server.log exited early (code 1)")
        yield "never"

    monkeypatch.setattr(bench, "rasa_servers", broken)
    bench._rest_turn([1.0], [1.0], ["tv"], tmp_path / "m.tar.gz", "sqlite:///b.db", 1, tmp_path)
    assert "REST turn not measured: RuntimeError: Rasa server: rasa-server.log exited early" in capsys.readouterr().out


def test_sigterm_becomes_system_exit_so_the_servers_are_stopped() -> None:
    with pytest.raises(SystemExit) as raised:
        bench._exit_on_sigterm(15, None)
    assert raised.value.code == 128 + 15
