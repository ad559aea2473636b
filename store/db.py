"""Engines and sessions, created on first use and cached per database URL; the schema (see store.schema)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from store.config import get_settings
from store.models import Base

if TYPE_CHECKING:
    from store.schema import SchemaUpgrade

FTS_TABLE = "products_fts"
VERSION_TABLE = "alembic_version"  # Alembic's record of the schema revision

# Column order matters: search weights refer to it (name, brand, category, subcategory, tags, description).
# A change here needs a migration too (store/migrations) that rebuilds the table on existing databases.
FTS_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "name, brand, category, subcategory, tags, description, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - SQLAlchemy event signature
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the configured store database), created once."""
    url = url or get_settings().database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    if is_sqlite(engine):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache(maxsize=8)
def get_session_factory(url: str | None = None) -> sessionmaker:
    """A sessionmaker bound to the engine for `url`."""
    return sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False, class_=Session)


def create_schema(engine: Engine) -> SchemaUpgrade:
    """Bring the database to the newest schema revision: created, adopted or migrated (store.schema)."""
    from store.schema import upgrade_schema

    return upgrade_schema(engine)


def drop_schema(engine: Engine) -> None:
    """Drop every table of the store and its migration history (tests and `reset` only)."""
    with engine.begin() as conn:
        if is_sqlite(engine):
            conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
        conn.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))
    Base.metadata.drop_all(engine)
