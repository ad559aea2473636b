"""The schema migrations (store.schema, store/migrations) on SQLite and PostgreSQL: the revisions build the
models' schema, the one-step path for empty databases builds the same, and a database made by the old
`create_all` is adopted and upgraded without losing rows."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, table, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from store.cart import add_item
from store.catalog import import_catalog
from store.db import FTS_DDL, create_schema, get_engine, get_session_factory, is_sqlite
from store.errors import SchemaError
from store.handoff import request_handoff
from store.models import Base, Variant
from store.orders import advance_order, get_order, place_order, request_return
from store.sample import seed_coupons
from store.schema import (
    BASELINE,
    BASELINE_TABLES,
    alembic_config,
    current_revision,
    head_revision,
    include_name,
    migration_connection,
)
from store.search import search
from store.types import SearchQuery
from store.uow import UnitOfWork

NEW_INDEXES = ("ix_products_updated", "ix_products_rating", "ix_variants_stock")  # what 0002-0003 add to the baseline
CATALOG = [
    {"sku": "KIT-1", "name": "Pour Over Kettle", "brand": "Brewden", "category": "home & kitchen", "price": 45,
     "stock": 4, "rating": 4.2},
    {"sku": "RUN-1", "name": "Trailblazer 2 Running Shoe", "brand": "Northpeak", "category": "shoes",
     "price": 89.99, "colors": ["blue"], "sizes": ["9", "10"], "stock": 3},
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, then a PostgreSQL database."""
    url = f"sqlite:///{tmp_path / 'store.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    yield url
    get_engine(url).dispose()
    get_engine.cache_clear()
    get_session_factory.cache_clear()


@pytest.fixture
def engine(url: str) -> Engine:
    """The store's engine on that database."""
    return get_engine(url)


@pytest.fixture
def units(url: str) -> Callable[[], UnitOfWork]:
    """Units of work on that database, whatever its schema."""
    factory = get_session_factory(url)
    return lambda: UnitOfWork(factory)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty SQLite file for the tests that need no PostgreSQL twin."""
    engine = get_engine(f"sqlite:///{tmp_path / 'store.db'}")
    yield engine
    engine.dispose()
    get_engine.cache_clear()


def run_revisions(engine: Engine, target: str, *, down: bool = False) -> None:
    """Run the revision scripts themselves (upgrade_schema builds an empty database in one step instead)."""
    with migration_connection(engine) as connection:
        (command.downgrade if down else command.upgrade)(alembic_config(connection), target)


def differences(engine: Engine) -> list[object]:
    """What autogenerate finds between the database and the models' metadata."""
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={"include_name": include_name}),
                                Base.metadata)


def snapshot(engine: Engine) -> set[tuple[object, ...]]:
    """Every table, column, index and constraint as the database itself describes them."""
    with engine.connect() as connection:
        if is_sqlite(engine):
            rows = connection.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master"))
            return {tuple(row) for row in rows}
        queries = {
            "column": "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, "
                      "column_default FROM information_schema.columns WHERE table_schema = 'public'",
            "index": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
            "constraint": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                          "WHERE connamespace = 'public'::regnamespace",
        }
        return {(kind, *row) for kind, sql in queries.items() for row in connection.execute(text(sql))}


def store_tables(engine: Engine) -> set[str]:
    return BASELINE_TABLES & set(inspect(engine).get_table_names())


def make_old_database(engine: Engine, *, with_new_indexes: bool) -> None:
    """What the store's create_schema did before migrations: create_all and SQLite's full-text table."""
    Base.metadata.create_all(engine)
    with engine.begin() as connection:
        if is_sqlite(engine):
            connection.execute(text(FTS_DDL))
        if not with_new_indexes:  # made before the models had them
            for name in NEW_INDEXES:
                connection.execute(text(f"DROP INDEX {name}"))


def fill(uow_factory: Callable[[], UnitOfWork], tmp_path: Path) -> str:
    """Rows in every table: catalog, coupons, an order delivered and returned, an open cart, a handoff, a search."""
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in CATALOG), encoding="utf-8")
    with uow_factory() as uow:
        import_catalog(path, uow)
    seed_coupons(uow_factory)
    with uow_factory() as uow:
        add_item("buyer", "KIT-1", 2, uow)
    with uow_factory() as uow:
        order = place_order("buyer", "ana@example.com", "12 Main Street, Springfield, 12345", "standard", uow)
    with uow_factory() as uow:
        advance_order(order.order_id, "paid", uow)
        advance_order(order.order_id, "shipped", uow, carrier="UPS", tracking_number="1Z999")
        advance_order(order.order_id, "delivered", uow)
        request_return(order.order_id, "too small", uow, sender_id="buyer")
    with uow_factory() as uow:
        add_item("browser", "RUN-1", 1, uow, color="blue", size="10")
        request_handoff("browser", "wants a person", uow)
        search(SearchQuery(text="kettle"), uow, sender_id="browser")
    return order.order_id


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in sorted(BASELINE_TABLES)}


def test_the_revisions_build_the_models_schema_and_the_one_step_path_the_same(engine: Engine) -> None:
    run_revisions(engine, BASELINE)
    assert sorted(name for kind, index in differences(engine) if kind == "add_index"
                  for name in [index.name]) == sorted(NEW_INDEXES)
    run_revisions(engine, "head")
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
    by_revisions = snapshot(engine)

    run_revisions(engine, "base", down=True)
    assert store_tables(engine) == set()
    done = create_schema(engine)  # empty again: create_all and stamp
    assert (done.before, done.after, done.how) == (None, head_revision(), "created")
    assert differences(engine) == []
    assert snapshot(engine) == by_revisions


@pytest.mark.parametrize("with_new_indexes", [False, True], ids=["before-the-indexes", "with-the-indexes"])
def test_a_database_made_before_migrations_is_upgraded_without_losing_rows(
        engine: Engine, units: Callable[[], UnitOfWork], tmp_path: Path, with_new_indexes: bool) -> None:
    make_old_database(engine, with_new_indexes=with_new_indexes)
    order_id = fill(units, tmp_path)
    rows = row_counts(engine)
    assert all(rows.values()), rows
    assert current_revision(engine) is None

    done = create_schema(engine)
    assert (done.before, done.after, done.how) == (None, head_revision(), "adopted")
    assert current_revision(engine) == head_revision()
    assert differences(engine) == []
    assert row_counts(engine) == rows
    with units() as uow:
        assert [p.sku for p in search(SearchQuery(text="kettle"), uow).products] == ["KIT-1"]
        assert get_order(order_id, uow, email="ana@example.com").status == "delivered"
    assert create_schema(engine).how == "current"


def test_an_upgrade_from_an_older_revision_keeps_rows(engine: Engine, units: Callable[[], UnitOfWork],
                                                      tmp_path: Path) -> None:
    run_revisions(engine, BASELINE)
    fill(units, tmp_path)
    rows = row_counts(engine)
    done = create_schema(engine)
    assert (done.before, done.after, done.how) == (BASELINE, head_revision(), "upgraded")
    assert differences(engine) == [] and row_counts(engine) == rows


def test_other_tables_do_not_make_a_database_old(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    with engine.begin() as connection:  # e.g. Rasa's tracker store in the same database
        connection.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT)"))
    assert create_schema(engine).how == "created"
    assert [(kind, table.name) for kind, table in differences(engine)] == [("remove_table", "events")]


def test_some_store_tables_without_history_are_refused(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    Base.metadata.tables["products"].create(engine)
    with pytest.raises(SchemaError, match="but not cart_items, carts, .*a damaged one"):
        create_schema(engine)
    assert set(inspect(engine).get_table_names()) == {"products"}  # rolled back, nothing stamped


def test_a_revision_from_a_newer_store_is_refused(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    create_schema(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="revision 9999, which this version of the store does not know"):
        create_schema(engine)


def test_foreign_keys_are_enforced_again_after_migrating_in_memory() -> None:
    url = "sqlite:///:memory:"
    try:
        assert create_schema(get_engine(url)).how == "created"
        with UnitOfWork(get_session_factory(url)) as uow, pytest.raises(IntegrityError):
            uow.session.add(Variant(product_id=12345, color="", size="", stock=1))
            uow.session.flush()
    finally:
        get_engine(url).dispose()
        get_engine.cache_clear()
        get_session_factory.cache_clear()


def test_two_processes_starting_together_migrate_one_after_the_other(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    make_old_database(engine, with_new_indexes=False)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def migrate() -> None:
        start.wait()
        outcomes.append(create_schema(engine).how)

    threads = [threading.Thread(target=migrate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["adopted", "current"]
    assert differences(engine) == []
