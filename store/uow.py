"""Unit of work: one session per business operation, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from store.db import get_session_factory


class UnitOfWork:
    """`with UnitOfWork() as uow: ...; uow.commit()`; anything not committed is rolled back."""

    def __init__(self, session_factory: Callable[[], Session] | None = None) -> None:
        self._session_factory = session_factory
        self.session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        factory = self._session_factory or get_session_factory()
        self.session = factory()
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self.session is not None
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self.session = None

    def commit(self) -> None:
        """Make the work done in this unit permanent."""
        assert self.session is not None, "commit() outside a `with` block"
        self.session.commit()

    def rollback(self) -> None:
        """Discard the work done since the last commit."""
        assert self.session is not None, "rollback() outside a `with` block"
        self.session.rollback()
