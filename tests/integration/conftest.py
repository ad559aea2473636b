"""Fixtures shared by the integration tests of search."""

from __future__ import annotations

import pytest

import store.search as search_module


@pytest.fixture(params=["fts", "ilike"])
def engine_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test on SQLite's FTS5 and on the ILIKE path used by PostgreSQL."""
    if request.param == "ilike":
        monkeypatch.setattr(search_module, "_use_fts", lambda _session: False)
    return request.param
