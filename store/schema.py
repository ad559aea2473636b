"""The store's schema, kept by the Alembic migrations in store/migrations; nothing connects at import.

`upgrade_schema(engine)` brings any database to the newest revision:
- with none of the store's tables: `create_all` from the models, then stamped at the newest revision (one
  step, not every revision replayed; the migrations build the same schema, which the tests check);
- made by `create_all` before the store had migrations (the baseline tables, no `alembic_version`):
  stamped at the baseline 0001, then upgraded (0002-0003 add the search indexes if they are missing);
- versioned: upgraded from its revision.
It runs in one transaction: on PostgreSQL under an advisory lock, on SQLite under BEGIN IMMEDIATE, so two
processes starting together migrate one after the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from store.db import FTS_DDL, FTS_TABLE, is_sqlite
from store.errors import SchemaError
from store.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# The tables of the baseline: an unversioned database holding all of them was made by the old create_all.
BASELINE_TABLES = frozenset({
    "products", "variants", "customers", "orders", "carts", "cart_items", "coupons", "order_lines",
    "order_status_events", "returns", "return_lines", "handoffs", "search_log",
})
_POSTGRES_LOCK = 4_352_017_301  # pg_advisory_xact_lock key of the store's migrations (any constant)


@dataclass(frozen=True)
class SchemaUpgrade:
    """What `upgrade_schema` did: `how` is created, adopted (unversioned, stamped), upgraded or current."""

    before: str | None
    after: str
    how: str


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini), running on `connection` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def script_directory() -> ScriptDirectory:
    """The revisions in store/migrations/versions, read once."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision."""
    head = script_directory().get_current_head()
    assert head is not None, f"no revision in {MIGRATIONS_DIR}"
    return head


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate filter: SQLite's full-text table and its shadow tables are not in the models."""
    return not (type_ == "table" and name is not None and (name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")))


def current_revision(engine: Engine) -> str | None:
    """The database's revision; None when it has no `alembic_version` (empty, or made before migrations)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one locked transaction, committed when the block ends without an error.

    On SQLite, foreign keys are off meanwhile (Alembic's batch mode copies a table and drops the old one,
    which with them on would delete the rows that reference it, by cascade) and checked before the commit.
    """
    with engine.connect() as connection:
        sqlite = is_sqlite(engine)
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: first
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # DDL too in the transaction; one writer at a time
        elif engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_LOCK})
        try:
            yield connection
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise SchemaError("the migration would leave rows whose foreign key points nowhere; rolled back")
            connection.commit()
        finally:
            connection.rollback()
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def _create_newest(connection: Connection) -> None:
    """The newest schema in one step, on a database with none of the store's tables."""
    Base.metadata.create_all(connection)
    if connection.dialect.name == "sqlite":
        connection.execute(text(FTS_DDL))
    MigrationContext.configure(connection).stamp(script_directory(), "head")


def upgrade_schema(engine: Engine) -> SchemaUpgrade:
    """Bring the database to the newest revision (see the module's docstring); says what it did."""
    head = head_revision()
    with migration_connection(engine) as connection:
        before = MigrationContext.configure(connection).get_current_revision()
        if before == head:
            return SchemaUpgrade(before, head, "current")
        if before is None:
            found = BASELINE_TABLES & set(inspect(connection).get_table_names())
            if not found:
                _create_newest(connection)
                return SchemaUpgrade(None, head, "created")
            missing = ", ".join(sorted(BASELINE_TABLES - found))
            if missing:
                raise SchemaError(f"the database has some of the store's tables but not {missing}, and no "
                                  "migration history: not a store database, or a damaged one")
            MigrationContext.configure(connection).stamp(script_directory(), BASELINE)
            how = "adopted"
        else:
            try:
                script_directory().get_revision(before)
            except CommandError:
                raise SchemaError(f"the database is at revision {before}, which this version of the store does "
                                  "not know (was it migrated by a newer version?)") from None
            how = "upgraded"
        command.upgrade(alembic_config(connection), "head")
    return SchemaUpgrade(before, head, how)
