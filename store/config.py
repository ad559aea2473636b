"""Settings from the environment, read once and cached; safe embedded defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything the store reads from the environment."""

    database_url: str
    currency: str
    return_window_days: int
    max_quantity: int
    payment_link_base: str
    policies_file: Path
    order_prefix: str


def _default_database_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'store.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (environment read on first call)."""
    return Settings(
        database_url=os.environ.get("STORE_DATABASE_URL") or _default_database_url(),
        currency=os.environ.get("STORE_CURRENCY", "USD"),
        return_window_days=int(os.environ.get("STORE_RETURN_WINDOW_DAYS", "30")),
        max_quantity=int(os.environ.get("STORE_MAX_QUANTITY", "20")),
        payment_link_base=os.environ.get("STORE_PAYMENT_LINK_BASE", "http://localhost:5005/pay"),
        policies_file=Path(os.environ.get("STORE_POLICIES_FILE") or ROOT / "store_policies.yml"),
        order_prefix=os.environ.get("STORE_ORDER_PREFIX", "CE"),
    )


MONEY_QUANTUM = Decimal("0.01")
