"""Shared fixtures: a fresh SQLite store per test, a fresh PostgreSQL database and a small product factory."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from store.db import create_schema, get_engine, get_session_factory
from store.models import Product, Variant
from store.uow import UnitOfWork

POSTGRES_ADMIN_URL = os.environ.get("STORE_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """URL of an empty SQLite database file private to the test."""
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of an empty PostgreSQL database private to the test (tests marked `postgres`), dropped afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        connection = admin.connect()
    except OperationalError:
        admin.dispose()
        where = admin.url.render_as_string(hide_password=True)
        if os.environ.get("CI"):  # CI starts the server: there, unreachable is a failure, not a skip
            pytest.fail(f"PostgreSQL is not reachable at {where}")
        pytest.skip(f"PostgreSQL is not reachable at {where}")
    name = f"chatecomm_test_{uuid.uuid4().hex[:12]}"
    connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        get_engine.cache_clear()
        get_session_factory.cache_clear()
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.close()
        admin.dispose()


@pytest.fixture
def session_factory(db_url: str) -> sessionmaker:
    """A sessionmaker on a fresh schema."""
    engine = get_engine(db_url)
    create_schema(engine)
    yield sessionmaker(bind=engine, future=True, expire_on_commit=False)
    engine.dispose()
    get_engine.cache_clear()


@pytest.fixture
def uow_factory(session_factory: sessionmaker) -> Callable[[], UnitOfWork]:
    """Makes units of work on the test database."""
    return lambda: UnitOfWork(session_factory)


@pytest.fixture
def add_product(uow_factory: Callable[[], UnitOfWork]) -> Callable[..., str]:
    """Insert a product with variants directly (no import); returns its SKU.

    variants: list of (color, size, stock); default one variant with no colour/size and `stock`.
    """

    def _add(sku: str, name: str = "Thing", *, category: str = "shoes", price: str = "10.00",
             brand: str | None = "Acme", subcategory: str | None = None, stock: int = 5,
             variants: list[tuple[str, str, int]] | None = None, tags: list[str] | None = None,
             description: str | None = None, rating: str | None = None) -> str:
        with uow_factory() as uow:
            product = Product(sku=sku, name=name, brand=brand, category=category, subcategory=subcategory,
                              price=Decimal(price), currency="USD", tags=tags or [], description=description,
                              rating=Decimal(rating) if rating else None)
            for color, size, units in variants or [("", "", stock)]:
                product.variants.append(Variant(color=color, size=size, stock=units))
            uow.session.add(product)
            uow.commit()
        return sku

    return _add
