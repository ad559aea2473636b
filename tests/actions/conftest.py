"""Tracker builder, dispatcher, store services on a private SQLite store, a small catalog and fakes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import names
from actions.services import StoreServices
from store.cart import add_item
from store.orders import place_order
from store.types import OrderView
from store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
SENDER = "shopper-1"
EMAIL = "ana@example.com"
ADDRESS = "12 Harbour Street, Springfield 40101"

# Every slot the actions read, so that `tracker.get_slot` finds each one (None unless the test sets it).
ALL_SLOTS = [value for key, value in vars(names).items() if key.startswith("SLOT_") and isinstance(value, str)]

# The forms as DIALOGUE.md declares them; used when domain.yml is not there.
FALLBACK_FORMS = {
    names.CART_ITEM_FORM: {"required_slots": [names.SLOT_ITEM_COLOR, names.SLOT_ITEM_SIZE]},
    names.CHECKOUT_FORM: {"required_slots": [names.SLOT_EMAIL, names.SLOT_SHIPPING_ADDRESS,
                                             names.SLOT_SHIPPING_METHOD, names.SLOT_CHECKOUT_CONFIRMED]},
    names.ORDER_STATUS_FORM: {"required_slots": [names.SLOT_ORDER_ID, names.SLOT_ORDER_EMAIL]},
    names.CANCEL_ORDER_FORM: {"required_slots": [names.SLOT_ORDER_ID, names.SLOT_ORDER_EMAIL,
                                                 names.SLOT_CANCEL_CONFIRMED]},
    names.RETURN_FORM: {"required_slots": [names.SLOT_ORDER_ID, names.SLOT_ORDER_EMAIL, names.SLOT_RETURN_REASON]},
}


def _entities(entities: Any) -> list[dict[str, Any]]:
    """[{"entity": ..., "value": ...}] from a list of such dicts, of (entity, value) pairs, or a dict."""
    if not entities:
        return []
    if isinstance(entities, dict):
        found = []
        for entity, value in entities.items():
            for one in value if isinstance(value, list) else [value]:
                found.append({"entity": entity, "value": one})
        return found
    return [e if isinstance(e, dict) else {"entity": e[0], "value": e[1]} for e in entities]


def make_tracker(sender_id: str = SENDER, slots: dict[str, Any] | None = None, intent: str | None = None,
                 entities: Any = None, text: str | None = None, active_loop: str | None = None,
                 response_selector: dict[str, Any] | None = None, to_validate: dict[str, Any] | None = None,
                 events: list[dict[str, Any]] | None = None, confidence: float = 1.0) -> Tracker:
    """A tracker as the action server receives it.

    `to_validate`: slot candidates the form just extracted (set in the slots AND as trailing SlotSet events,
    which is where rasa-sdk's validation looks for them).
    """
    values = {slot: None for slot in ALL_SLOTS}
    values.update(slots or {})
    trailing = []
    for slot, value in (to_validate or {}).items():
        values[slot] = value
        trailing.append({"event": "slot", "name": slot, "value": value})
    latest: dict[str, Any] = {
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": _entities(entities),
        "text": text if text is not None else "",
    }
    if response_selector is not None:
        latest["response_selector"] = response_selector
    history = list(events or []) + [{"event": "user", "text": latest["text"], "parse_data": latest}] + trailing
    return Tracker(sender_id, values, latest, history, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


async def run(action: Action, tracker: Tracker, domain: dict[str, Any] | None = None,
              dispatcher: CollectingDispatcher | None = None) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    """(events, dispatcher) of one action run."""
    dispatcher = dispatcher or CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain if domain is not None else load_domain())
    return events, dispatcher


def responses(dispatcher: CollectingDispatcher) -> list[str | None]:
    """The response names the action sent, in order (None for a plain text message)."""
    return [m.get("response") for m in dispatcher.messages]


def message(dispatcher: CollectingDispatcher, response: str) -> dict[str, Any]:
    """The one message sent with that response name."""
    found = [m for m in dispatcher.messages if m.get("response") == response]
    assert len(found) == 1, f"{response} sent {len(found)} times: {responses(dispatcher)}"
    return found[0]


def payload(dispatcher: CollectingDispatcher, kind: str) -> dict[str, Any] | None:
    """The first custom payload of that type."""
    return next((m["custom"] for m in dispatcher.messages if (m.get("custom") or {}).get("type") == kind), None)


def load_domain() -> dict[str, Any]:
    """domain.yml as the action server receives it (forms from DIALOGUE.md when the file is missing)."""
    path = ROOT / "domain.yml"
    domain = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    domain = dict(domain or {})
    domain.setdefault("forms", FALLBACK_FORMS)
    return domain


@pytest.fixture
def domain() -> dict[str, Any]:
    """The domain dict."""
    return load_domain()


@pytest.fixture
def services(uow_factory: Callable[[], UnitOfWork]) -> StoreServices:
    """The real store services on the test's private database."""
    return StoreServices(uow_factory)


@pytest.fixture
def catalog(add_product: Callable[..., str]) -> dict[str, str]:
    """A small catalog: name -> SKU."""
    add_product("RUN-1", "Trailblazer 2 Running Shoe", brand="Northpeak", category="shoes",
                subcategory="running shoes", price="89.99", rating="4.5", tags=["trail"],
                description="Light trail runner", variants=[("black", "9", 3), ("black", "10", 2),
                                                            ("blue", "9", 4), ("blue", "10", 0)])
    add_product("RUN-2", "Nimbus Road Runner", brand="Northpeak", category="shoes", subcategory="running shoes",
                price="120.00", rating="4.1", variants=[("white", "9", 5), ("white", "10", 5)])
    add_product("RUN-3", "Cloudstep Jogger", brand="Veloura", category="shoes", subcategory="running shoes",
                price="59.50", rating="3.9", variants=[("red", "8", 2)])
    add_product("MUG-1", "Stoneware Mug", brand="Hearth", category="home & kitchen", price="12.50", stock=5)
    add_product("EAR-1", "Pulse Buds", brand="Zentrix", category="electronics", subcategory="earbuds",
                price="49.00", rating="4.7", variants=[("black", "", 6), ("white", "", 1)])
    add_product("TEE-1", "Everyday Tee", brand="Hearth", category="clothing", price="15.00",
                variants=[("", "S", 3), ("", "M", 3), ("", "L", 0)])
    return {"trailblazer": "RUN-1", "nimbus": "RUN-2", "cloudstep": "RUN-3", "mug": "MUG-1", "buds": "EAR-1",
            "tee": "TEE-1"}


@pytest.fixture
def place(uow_factory: Callable[[], UnitOfWork]) -> Callable[..., OrderView]:
    """Places an order for a sender through the store: place(sender, sku, quantity=1, email=EMAIL)."""

    def _place(sender: str, sku: str = "MUG-1", quantity: int = 1, email: str = EMAIL, **variant: str) -> OrderView:
        with uow_factory() as uow:
            add_item(sender, sku, quantity, uow, **variant)
        with uow_factory() as uow:
            return place_order(sender, email, ADDRESS, "standard", uow)

    return _place


class Exploding:
    """A services object whose every method raises an unexpected error."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or RuntimeError("database is down")
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def fail(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            raise self.error

        return fail


class Fake:
    """A services object answering from given values: Fake(cart=..., product=...) returns them per method name.

    A value that is an exception is raised instead.
    """

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name not in self.answers:
            raise AttributeError(name)

        def answer(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            value = self.answers[name]
            if isinstance(value, BaseException):
                raise value
            return value(*args, **kwargs) if callable(value) else value

        return answer
