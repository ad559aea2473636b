"""`python -m store.cli`: import-catalog, lookups, init and migrate against a temporary SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from store import cli
from store.catalog import import_catalog
from store.db import get_engine, get_session_factory
from store.models import Base, Product
from store.schema import BASELINE, head_revision
from store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    {"sku": "RUN-1", "name": "Trailblazer 2 Running Shoe", "brand": "Northpeak", "category": "shoes",
     "subcategory": "running shoes", "price": 89.99, "colors": ["blue"], "sizes": ["10"], "stock": 3},
    {"sku": "HP-1", "name": "Quiet Waves Headphones", "brand": "Aurora Audio", "category": "electronics",
     "subcategory": "headphones", "price": 199, "stock": 5},
]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A database URL private to the test; engines are disposed afterwards."""
    url = f"sqlite:///{tmp_path / 'cli' / 'store.db'}"
    yield url
    get_engine(url).dispose()
    get_engine.cache_clear()
    get_session_factory.cache_clear()


def catalog_file(tmp_path: Path, rows: list[object], name: str = "catalog.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def active_skus(url: str) -> set[str]:
    with UnitOfWork(get_session_factory(url)) as uow:
        return set(uow.session.execute(select(Product.sku).where(Product.active.is_(True))).scalars())


def test_import_catalog_prints_a_summary_and_writes_lookups(database: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    lookups = tmp_path / "lookups"
    path = catalog_file(tmp_path, [*ROWS, {"sku": "BAD", "name": "No price", "category": "x"}, "{oops"])
    code = cli.main(["import-catalog", str(path), "--database-url", database, "--lookups-dir", str(lookups)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Imported:    2" in out and "Updated:     0" in out and "Rejected:    2" in out
    assert "line 3: missing required field: price" in out
    assert "line 4: invalid JSON" in out
    assert active_skus(database) == {"RUN-1", "HP-1"}
    content = (lookups / "catalog.yml").read_text(encoding="utf-8")
    assert "- Northpeak" in content and "- running shoes" in content

    code = cli.main(["import-catalog", str(path), "--database-url", database, "--lookups-dir", str(lookups)])
    out = capsys.readouterr().out
    assert code == 0 and "Imported:    0" in out and "Unchanged:   2" in out


def test_import_catalog_replaces_or_keeps_missing_products(database: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    lookups = ["--lookups-dir", str(tmp_path / "lookups"), "--database-url", database]
    assert cli.main(["import-catalog", str(catalog_file(tmp_path, ROWS)), *lookups]) == 0
    extra = catalog_file(tmp_path, [{**ROWS[0], "sku": "RUN-2"}], name="extra.jsonl")
    assert cli.main(["import-catalog", str(extra), "--keep-missing", *lookups]) == 0
    assert active_skus(database) == {"RUN-1", "RUN-2", "HP-1"}
    assert cli.main(["import-catalog", str(extra), *lookups]) == 0
    assert "Deactivated: 2" in capsys.readouterr().out
    assert active_skus(database) == {"RUN-2"}


def test_many_rejected_rows_are_listed_up_to_fifty(database: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rows = [ROWS[0]] + [{"sku": f"B{n}", "name": "x", "category": "y", "price": -1} for n in range(60)]
    code = cli.main(["import-catalog", str(catalog_file(tmp_path, rows)), "--database-url", database,
                     "--lookups-dir", str(tmp_path / "l")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("price must be >= 0") == 50
    assert "line 51:" in out and "line 52:" not in out
    assert "... and 10 more rejected rows" in out


def test_a_file_with_no_valid_row_fails(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["import-catalog", str(catalog_file(tmp_path, [{"sku": "A"}])), "--database-url", database,
                     "--lookups-dir", str(tmp_path / "l")])
    captured = capsys.readouterr()
    assert code == 1
    assert "line 1: missing required fields" in captured.out
    assert "no valid product" in captured.err
    assert not (tmp_path / "l" / "catalog.yml").exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.jsonl", None, "catalog file not found"),
    ("binary.jsonl", b"\x00\x01\x02\x03", "binary file"),
    ("catalog.txt", b"hello", "unsupported catalog file type"),
])
def test_unusable_files_give_a_message_not_a_traceback(database: str, tmp_path: Path, name: str,
                                                       content: bytes | None, message: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code = cli.main(["import-catalog", str(path), "--database-url", database, "--lookups-dir", str(tmp_path / "l")])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("error: ") and message in captured.err
    assert "Traceback" not in captured.err


def test_bad_database_url_gives_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["lookups", "--database-url", "nosuchdb://x", "--lookups-dir", str(tmp_path)])
    assert code == 1
    assert capsys.readouterr().err.startswith("error: database problem")


def test_lookups_command_regenerates_from_the_database(database: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["import-catalog", str(catalog_file(tmp_path, ROWS)), "--database-url", database,
              "--lookups-dir", str(tmp_path / "first")])
    target = tmp_path / "second"
    assert cli.main(["lookups", "--database-url", database, "--lookups-dir", str(target)]) == 0
    assert (target / "catalog.yml").read_text() == (tmp_path / "first" / "catalog.yml").read_text()
    assert "NLU catalog files written" in capsys.readouterr().out


def fake_sample(tmp_path: Path, calls: list[int]) -> types.ModuleType:
    """A stand-in for store.sample whose build_sample_store imports a two-product catalog."""
    module = types.ModuleType("store.sample")
    path = catalog_file(tmp_path, ROWS, name="sample.jsonl")

    def build_sample_store(uow_factory: Callable[[], UnitOfWork], *, catalog_path: Path | None = None) -> None:
        calls.append(1)
        with uow_factory() as uow:
            import_catalog(catalog_path or path, uow)

    module.build_sample_store = build_sample_store  # type: ignore[attr-defined]
    return module


def test_init_builds_the_sample_store_once(database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[int] = []
    monkeypatch.setitem(sys.modules, "store.sample", fake_sample(tmp_path, calls))
    options = ["--database-url", database, "--lookups-dir", str(tmp_path / "lookups")]
    assert cli.main(["init", *options]) == 0
    out = capsys.readouterr().out
    assert "Sample store built: 2 active products" in out
    assert (tmp_path / "lookups" / "catalog.yml").exists()
    assert cli.main(["init", *options]) == 0
    assert "already has 2 products" in capsys.readouterr().out
    assert len(calls) == 1
    assert cli.main(["init", "--force", *options]) == 0
    assert len(calls) == 2
    with UnitOfWork(get_session_factory(database)) as uow:
        assert uow.session.execute(select(func.count()).select_from(Product)).scalar_one() == 2


def test_migrate_brings_a_database_made_before_migrations_up_to_date(database: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    Base.metadata.create_all(get_engine(database))  # how the store made its schema before migrations
    head = head_revision()
    options = ["--database-url", database]
    assert cli.main(["migrate", "--status", *options]) == 0
    assert f"revision none (empty, or made before migrations), newest {head}: `make migrate`" in capsys.readouterr().out
    assert cli.main(["migrate", *options]) == 0
    assert f"made before migrations: recorded at the baseline {BASELINE}, upgraded to {head}" in capsys.readouterr().out
    assert cli.main(["migrate", *options]) == 0
    assert f"already at the newest revision {head}" in capsys.readouterr().out
    assert cli.main(["migrate", "--status", *options]) == 0
    assert f"revision {head}, newest {head}: up to date" in capsys.readouterr().out


def test_migrate_refuses_a_damaged_database(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    Base.metadata.tables["products"].create(get_engine(database))
    assert cli.main(["migrate", "--database-url", database]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the database has some of the store's tables") and "Traceback" not in err


def test_module_entry_point_in_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "STORE_DATABASE_URL": f"sqlite:///{tmp_path / 'sub.db'}", "PYTHONWARNINGS": "ignore"}
    path = catalog_file(tmp_path, ROWS)
    done = subprocess.run([sys.executable, "-m", "store.cli", "import-catalog", str(path), "--lookups-dir",
                           str(tmp_path / "lookups")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Imported:    2" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "store.cli", "import-catalog", str(tmp_path / "nope.csv")],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1
    assert "catalog file not found" in missing.stderr and "Traceback" not in missing.stderr
    usage = subprocess.run([sys.executable, "-m", "store.cli"], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120)
    assert usage.returncode == 2 and "usage:" in usage.stderr
