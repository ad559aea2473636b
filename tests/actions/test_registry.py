"""The action server registers exactly the custom actions domain.yml declares, and nothing runs at import."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from actions import names
from actions.base import StoreAction, StoreFormValidation

ROOT = Path(__file__).resolve().parents[2]
ACTIONS_DIR = ROOT / "actions"


def _domain() -> dict:
    path = ROOT / "domain.yml"
    if not path.exists():
        pytest.skip("domain.yml is not written yet")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _registered() -> set[str]:
    executor = ActionExecutor()
    executor.register_package("actions")
    return set(executor.actions)


def test_registered_actions_are_exactly_the_declared_ones() -> None:
    domain = _domain()
    declared = {a for a in domain.get("actions") or [] if not a.startswith("utter_")}
    declared |= {f"validate_{form}" for form in (domain.get("forms") or {})}
    assert _registered() == declared


def test_every_action_name_in_names_is_registered() -> None:
    constants = {v for k, v in vars(names).items() if (k.startswith("ACTION_") or k.startswith("VALIDATE_"))}
    assert constants == _registered()


def test_the_shared_bases_are_abstract() -> None:
    assert inspect.isabstract(StoreAction)
    assert inspect.isabstract(StoreFormValidation)


def _response_names_used_by_actions() -> set[str]:
    used = {v for k, v in vars(names).items() if k.startswith("UTTER_") and not k.endswith("_PREFIX")}
    used |= {names.UTTER_COUPON_INVALID_PREFIX + r for r in names.COUPON_REASONS}
    used |= {names.UTTER_RETURN_NOT_ALLOWED_PREFIX + r for r in names.RETURN_REASONS}
    return used


# Fragments the actions put inside another response when the domain has them (optional).
OPTIONAL_FRAGMENTS = {names.UTTER_STOCK_IN, names.UTTER_STOCK_OUT, names.UTTER_ORDER_TRACKING,
                      names.UTTER_ORDER_DELIVERY}


def test_every_response_the_actions_send_is_in_the_domain() -> None:
    declared = set(_domain().get("responses") or {})
    missing = sorted(_response_names_used_by_actions() - OPTIONAL_FRAGMENTS - declared)
    assert not missing, f"responses sent by actions but missing from domain.yml: {missing}"


def test_no_response_name_is_typed_in_an_action_module() -> None:
    """Response names come from actions/names.py, so that this file's checks see every one."""
    for path in ACTIONS_DIR.glob("*.py"):
        if path.name == "names.py":
            continue
        assert not re.search(r"[\"']utter_[a-z_/]*[\"']", path.read_text(encoding="utf-8")), path.name


def test_importing_actions_opens_no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    import store.db

    store.db.get_engine.cache_clear()
    store.db.get_session_factory.cache_clear()
    _registered()
    assert store.db.get_engine.cache_info().currsize == 0
    assert store.db.get_session_factory.cache_info().currsize == 0
