"""store_policies.yml: typed loading, FAQ rendering, shipping methods and clear errors."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from store.config import ROOT
from store.policies import (
    FAQ_KEYS,
    Policies,
    PoliciesError,
    faq_answer,
    find_shipping_method,
    load_policies,
    shipping_methods,
)

REPO_FILE = ROOT / "store_policies.yml"


def write(tmp_path: Path, data: dict, name: str = "policies.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def raw() -> dict:
    """The repository's policies as a mapping, to change one value at a time."""
    return yaml.safe_load(REPO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def policies() -> Policies:
    return load_policies(REPO_FILE)


def test_repository_file_has_the_documented_values(policies: Policies) -> None:
    assert policies.return_window_days == 30
    assert policies.currency == "USD"
    assert policies.store_name
    standard = policies.shipping_method("standard")
    express = policies.shipping_method("express")
    assert standard is not None and express is not None
    assert standard.price == Decimal("4.99") and isinstance(standard.price, Decimal)
    assert standard.free_over == Decimal("50.00")
    assert (standard.min_days, standard.max_days) == (3, 5)
    assert express.price == Decimal("12.99") and express.free_over is None
    assert (express.min_days, express.max_days) == (1, 2)
    assert "@" in policies.contact.email and policies.contact.phone and policies.contact.hours
    assert policies.payment_methods and policies.warranty.months > 0


@pytest.mark.parametrize("key", FAQ_KEYS)
def test_every_faq_answer_is_rendered(key: str, policies: Policies) -> None:
    answer = faq_answer(key, policies)
    assert answer and len(answer) > 40
    assert not re.search(r"\{[a-z_]+\}", answer), answer


def test_answers_quote_the_values_of_the_file(policies: Policies) -> None:
    assert "30 days" in faq_answer("returns_policy", policies)
    shipping = faq_answer("shipping", policies)
    assert "$4.99" in shipping and "$12.99" in shipping and "$50.00" in shipping and "3-5 business days" in shipping
    assert policies.contact.email in faq_answer("contact", policies)
    assert "PayPal" in faq_answer("payment_methods", policies)
    assert "24-month" in faq_answer("warranty", policies)


def test_a_number_is_written_once(tmp_path: Path, raw: dict) -> None:
    raw["return_window_days"] = 14
    raw["shipping_methods"][0]["price"] = "3.50"
    policies = load_policies(write(tmp_path, raw))
    assert policies.return_window_days == 14
    assert "14 days" in faq_answer("returns_policy", policies)
    assert "30 days" not in faq_answer("returns_policy", policies)
    assert "14 days" in faq_answer("size_guide", policies)
    assert "$3.50" in faq_answer("shipping", policies)


def test_faq_key_accepts_the_retrieval_intent_name(policies: Policies) -> None:
    assert faq_answer("faq/shipping", policies) == faq_answer("shipping", policies)
    assert faq_answer(" Shipping ", policies) == faq_answer("shipping", policies)


def test_unknown_faq_key_gives_none(policies: Policies) -> None:
    assert faq_answer("opening_times", policies) is None
    assert faq_answer("", policies) is None


def test_default_path_is_the_configured_file() -> None:
    assert load_policies() is load_policies(REPO_FILE)
    assert faq_answer("shipping") == faq_answer("shipping", load_policies(REPO_FILE))
    assert [m.code for m in shipping_methods()] == ["standard", "express"]


def test_policies_are_cached_until_the_file_changes(tmp_path: Path, raw: dict) -> None:
    path = write(tmp_path, raw)
    first = load_policies(path)
    assert load_policies(path) is first
    raw["return_window_days"] = 45
    write(tmp_path, raw)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_policies(path).return_window_days == 45


def test_literal_braces_are_kept(tmp_path: Path, raw: dict) -> None:
    raw["faq"]["contact"] = "Mail {{us}} at {contact_email}"
    policies = load_policies(write(tmp_path, raw))
    assert faq_answer("contact", policies) == f"Mail {{us}} at {policies.contact.email}"


def test_unknown_placeholder_is_a_clear_error(tmp_path: Path, raw: dict) -> None:
    raw["faq"]["shipping"] = "We ship in {delivery_days} days"
    with pytest.raises(PoliciesError, match=r"faq\.shipping.*delivery_days"):
        load_policies(write(tmp_path, raw))


def test_malformed_yaml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("store_name: [unclosed\nfaq: {\n", encoding="utf-8")
    with pytest.raises(PoliciesError, match="broken.yml"):
        load_policies(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PoliciesError, match="cannot read"):
        load_policies(tmp_path / "nope.yml")


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(PoliciesError, match="mapping"):
        load_policies(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["shipping_methods"][0].update(price="cheap"), r"shipping_methods\[1\]\.price"),
        (lambda r: r["shipping_methods"][1].update(price="-1"), "negative"),
        (lambda r: r["shipping_methods"][0].update(max_days=1), "max_days"),
        (lambda r: r["shipping_methods"][1].update(code="standard"), "twice"),
        (lambda r: r.update(shipping_methods=[]), "shipping_methods"),
        (lambda r: r.update(return_window_days="thirty"), "return_window_days"),
        (lambda r: r["contact"].pop("email"), "contact.email"),
        (lambda r: r.update(payment_methods="cash"), "payment_methods"),
    ],
)
def test_malformed_values_are_reported(tmp_path: Path, raw: dict, change: Callable[[dict], object],
                                       message: str) -> None:
    change(raw)
    with pytest.raises(PoliciesError, match=message):
        load_policies(write(tmp_path, raw))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("standard", "standard"),
        ("EXPRESS", "express"),
        ("Standard shipping", "standard"),
        ("express delivery", "express"),
        ("express please", "express"),
        ("I'd like standard shipping", "standard"),
        ("the fast one", "express"),
        ("next-day please", "express"),
        ("the cheapest", "standard"),
        ("regular", "standard"),
        ("expres", "express"),
        ("standart shipping", "standard"),
        ("1", "standard"),
        ("2", "express"),
        ("the second one", "express"),
    ],
)
def test_shipping_method_is_found_tolerantly(text: str, code: str, policies: Policies) -> None:
    method = find_shipping_method(text, policies)
    assert method is not None and method.code == code


@pytest.mark.parametrize("text", ["", "shipping", "by boat", "standard or express", "3", "pigeon"])
def test_unclear_shipping_method_gives_none(text: str, policies: Policies) -> None:
    assert find_shipping_method(text, policies) is None


def test_search_synonyms_are_optional_and_read(tmp_path: Path, raw: dict) -> None:
    assert load_policies(REPO_FILE).synonyms == ()
    raw.pop("search", None)
    assert load_policies(write(tmp_path, raw, "none.yml")).synonyms == ()
    raw["search"] = {"synonyms": [["Puffer Jacket", "down jacket"], ["hoodie", "hooded top"]]}
    assert load_policies(write(tmp_path, raw)).synonyms == (("puffer jacket", "down jacket"), ("hoodie", "hooded top"))


@pytest.mark.parametrize("search", [{"synonyms": [["sofa"]]}, {"synonyms": "sofa, couch"}, {"synonym": []}, ["x"]])
def test_malformed_search_synonyms_are_refused(tmp_path: Path, raw: dict, search: object) -> None:
    raw["search"] = search
    with pytest.raises(PoliciesError, match="search"):
        load_policies(write(tmp_path, raw))
