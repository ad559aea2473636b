"""Mentions, positions and quantities: pure parsing of what the shopper said."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.mentions import (
    ALL,
    is_deictic,
    mention_position,
    parse_quantity,
    pick,
    positions_in_text,
    resolve_mention,
)

SHOWN = ["A-1", "B-2", "C-3", "D-4"]


@pytest.mark.parametrize(("mention", "position"), [
    ("first", 1), ("the first one", 1), ("1st", 1), ("top", 1), ("the top one", 1),
    ("2nd", 2), ("the second one", 2), ("second", 2), ("number 3", 3), ("#2", 2), ("# 4", 4),
    ("option 1", 1), ("no. 3", 3), ("3", 3), ("the third item", 3), ("one", 1), ("number one", 1),
    ("last", -1), ("the last one", -1), ("second to last", -2), ("the second last one", -2),
    ("The SECOND One", 2),
])
def test_positions(mention: str, position: int) -> None:
    assert mention_position(mention) == position


@pytest.mark.parametrize("mention", ["", None, "that one", "it", "the red one", "first and second", "blue"])
def test_no_single_position(mention: str | None) -> None:
    assert mention_position(mention) is None


@pytest.mark.parametrize(("mention", "expected"), [
    ("first", "A-1"), ("the second one", "B-2"), ("number 3", "C-3"), ("#2", "B-2"), ("last", "D-4"),
    ("the fourth", "D-4"), ("second to last", "C-3"),
])
def test_resolve_against_the_shown_list(mention: str, expected: str) -> None:
    assert resolve_mention(mention, SHOWN) == expected


@pytest.mark.parametrize("mention", ["fifth", "#9", "number 0", "the red one", ""])
def test_out_of_range_or_unknown_is_none(mention: str) -> None:
    assert resolve_mention(mention, SHOWN) is None


@pytest.mark.parametrize("mention", ["that one", "it", "this", "this one", "that", "the same one"])
def test_that_one_is_the_product_in_focus(mention: str) -> None:
    assert is_deictic(mention)
    assert resolve_mention(mention, SHOWN, last_product="X-9") == "X-9"


def test_that_one_without_focus_is_the_only_shown_product() -> None:
    assert resolve_mention("that one", ["ONLY-1"]) == "ONLY-1"
    assert resolve_mention("it", SHOWN) is None
    assert resolve_mention("it", []) is None


def test_nothing_shown_resolves_nothing() -> None:
    assert resolve_mention("first", []) is None
    assert resolve_mention("first", None) is None


def test_pick_counts_from_one_and_from_the_end() -> None:
    assert pick(1, SHOWN) == "A-1"
    assert pick(-1, SHOWN) == "D-4"
    assert pick(-2, SHOWN) == "C-3"
    assert pick(5, SHOWN) is None
    assert pick(0, SHOWN) is None
    assert pick(-5, SHOWN) is None


@pytest.mark.parametrize(("text", "positions"), [
    ("compare the first two", [1, 2]),
    ("compare the top two", [1, 2]),
    ("differences between the first 3", [1, 2, 3]),
    ("compare the last two", [-2, -1]),
    ("compare 1 and 3", [1, 3]),
    ("compare #1 and #3", [1, 3]),
    ("side by side 1 and 2 please", [1, 2]),
    ("which is better, the first or the last?", [1, -1]),
    ("compare the 2nd and 5th", [2, 5]),
    ("the first and the second one", [1, 2]),
    ("compare number one and number three", [1, 3]),
    ("compare all of them", [ALL]),
    ("compare these two", []),
    ("compare them", []),
    ("", []),
])
def test_positions_in_a_sentence(text: str, positions: list[int]) -> None:
    assert positions_in_text(text) == positions


@pytest.mark.parametrize(("value", "quantity"), [
    (2, 2), ("2", 2), ("2.0", 2), (2.0, 2), (" 3 ", 3), ("x3", 3), ("two", 2), ("Two", 2), ("twelve", 12),
    ("a pair", 2), ("a couple", 2), ("a dozen", 12), ("one", 1), ("an", 1), ("0", 0), ("-1", -1),
    ("2.5", Decimal("2.5")), ("just 4", 4),
])
def test_quantities(value: object, quantity: object) -> None:
    assert parse_quantity(value) == quantity


@pytest.mark.parametrize("value", [None, True, "", "lots", "some of them", "nan", "inf"])
def test_not_a_quantity(value: object) -> None:
    assert parse_quantity(value) is None
