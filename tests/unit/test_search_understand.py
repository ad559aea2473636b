"""Pure parts of search: understanding shopper text, refinements, slot round-trips and descriptions."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from store.catalog import Vocabulary
from store.search import (
    describe,
    find_prices,
    fold,
    fts_expression,
    phrase_forms,
    plural,
    query_from_dict,
    query_to_dict,
    refine,
    search_terms,
    singular,
    understand,
)
from store.types import SearchQuery

VOCABULARY = Vocabulary(
    brands=["Northpeak", "Under Armour", "Levi's", "Aurora Audio", "Brewden"],
    categories=["beauty", "clothing", "electronics", "home & kitchen", "shoes", "sports & outdoors"],
    subcategories=["batteries", "coffee makers", "dresses", "headphones", "jackets", "running shoes", "T-Shirts"],
    colors=["black", "blue", "grey", "navy blue", "red"],
    sizes=["8", "9", "9.5", "10", "S", "M", "L", "XL"],
)


def understood(text: str) -> dict[str, object]:
    """The fields of `understand(text)` that differ from an empty query."""
    query = understand(text, VOCABULARY)
    default = SearchQuery()
    return {name: value for name, value in query.__dict__.items() if value != getattr(default, name)}


@pytest.mark.parametrize(("text", "expected"), [
    ("show me running shoes under $100", {"subcategory": "running shoes", "price_max": Decimal("100")}),
    ("I want blue Northpeak running shoes in size 10",
     {"subcategory": "running shoes", "brand": "Northpeak", "color": "blue", "size": "10"}),
    ("do you have shoes", {"category": "shoes"}),
    ("a running shoe please", {"subcategory": "running shoes"}),
    ("looking for some headphone", {"subcategory": "headphones"}),
    ("home and kitchen", {"category": "home & kitchen"}),
    ("Home & Kitchen", {"category": "home & kitchen"}),
    ("tshirts", {"subcategory": "T-Shirts"}),
    ("t-shirt in XL", {"subcategory": "T-Shirts", "size": "XL"}),
    ("navy blue jacket", {"subcategory": "jackets", "color": "navy blue"}),
    ("gray jackets", {"subcategory": "jackets", "color": "grey"}),
    ("under armour shoes", {"category": "shoes", "brand": "Under Armour"}),
    ("levis jeans", {"brand": "Levi's", "text": "jeans"}),
])
def test_catalog_words_become_filters(text: str, expected: dict[str, object]) -> None:
    assert understood(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("nothpeak shoes", {"brand": "Northpeak", "category": "shoes"}),
    ("runing shoes", {"subcategory": "running shoes"}),
    ("hedphones", {"subcategory": "headphones"}),
    ("cofee makers", {"subcategory": "coffee makers"}),
    ("brewdon", {"brand": "Brewden"}),
])
def test_typos_in_longer_words_are_tolerated(text: str, expected: dict[str, object]) -> None:
    assert understood(text) == expected


@pytest.mark.parametrize("text", ["shoo", "sneakers", "speakers", "red sox"])
def test_short_or_different_words_are_not_forced_onto_the_vocabulary(text: str) -> None:
    result = understood(text)
    assert "category" not in result and "subcategory" not in result and "brand" not in result


@pytest.mark.parametrize(("text", "price_min", "price_max"), [
    ("under $100", None, "100"),
    ("below 50", None, "50"),
    ("less than 20 bucks", None, "20"),
    ("up to 80", None, "80"),
    ("max 60", None, "60"),
    ("$45 or less", None, "45"),
    ("at most 19.99 dollars", None, "19.99"),
    ("under 1k", None, "1000"),
    ("under $1,200", None, "1200"),
    ("over 30", "30", None),
    ("more than 40", "40", None),
    ("at least 25", "25", None),
    ("from 20", "20", None),
    ("100 and up", "100", None),
    ("between 50 and 80", "50", "80"),
    ("between 80 and 50", "50", "80"),
    ("$50-$80", "50", "80"),
    ("50 to 80 dollars", "50", "80"),
    ("from 30 to 60", "30", "60"),
    ("around $100", "80", "120"),
    ("for $30", None, "30"),
])
def test_prices(text: str, price_min: str | None, price_max: str | None) -> None:
    query = understand(f"headphones {text}", VOCABULARY)
    assert query.price_min == (Decimal(price_min) if price_min else None)
    assert query.price_max == (Decimal(price_max) if price_max else None)
    assert query.subcategory == "headphones"
    assert query.text is None


@pytest.mark.parametrize("text", ["under armour jackets", "over-ear headphones", "iphone 13", "size 8 to 10"])
def test_numbers_without_price_words_are_not_prices(text: str) -> None:
    query = understand(text, VOCABULARY)
    assert query.price_min is None and query.price_max is None


@pytest.mark.parametrize(("text", "size"), [
    ("size 10", "10"),
    ("in size M", "M"),
    ("size m", "M"),
    ("size 9.5", "9.5"),
    ("sz 9,5", "9.5"),
    ("size 11", "11"),
    ("XL", "XL"),
    ("xxl", "XXL"),
    ("in medium", "M"),
    ("size large", "L"),
    ("size: s", "S"),
])
def test_sizes(text: str, size: str) -> None:
    query = understand(f"jackets {text}", VOCABULARY)
    assert query.size == size
    assert query.subcategory == "jackets"
    assert query.text is None


def test_size_word_without_a_size_is_left_alone() -> None:
    assert understand("what size chart do you use", VOCABULARY).size is None


def test_size_and_price_together() -> None:
    query = understand("running shoes size 10 under 100", VOCABULARY)
    assert (query.size, query.price_max, query.price_min) == ("10", Decimal("100"), None)


def test_filler_is_removed_and_the_rest_is_text() -> None:
    assert understood("hi, can you show me something waterproof for hiking please?") == {"text": "waterproof hiking"}
    assert understood("do you have any please") == {}
    # a change of mind in the middle of a conversation ("actually", "instead") is not what is searched for
    assert understood("oh actually show me something waterproof instead") == {"text": "waterproof"}


def test_quantities_are_not_search_text() -> None:
    assert understood("2 pairs of running shoes") == {"subcategory": "running shoes"}


def test_sort_words() -> None:
    assert understand("cheapest headphones", VOCABULARY).sort == "price_asc"
    assert understand("best rated jackets", VOCABULARY).sort == "rating"
    assert understand("most expensive headphones", VOCABULARY).sort == "price_desc"


def test_colour_not_in_catalog_is_still_a_colour() -> None:
    assert understood("green jackets") == {"subcategory": "jackets", "color": "green"}


def test_search_syntax_is_plain_text() -> None:
    query = understand('shoes AND (" OR NEAR*', VOCABULARY)
    assert query.category == "shoes"
    assert query.text is not None and '"' not in query.text and "(" not in query.text


def test_empty_text() -> None:
    assert understand("", VOCABULARY) == SearchQuery()
    assert understand("   ", VOCABULARY) == SearchQuery()


def test_word_helpers() -> None:
    assert fold("Café & Levi's  T-Shirts") == "cafe and levis t shirts"
    assert singular("batteries") == "battery"
    assert singular("dresses") == "dress"
    assert singular("shoes") == "shoe"
    assert singular("glass") == "glass"
    assert singular("electronics") == "electronics"
    assert plural("battery") == "batteries"
    assert plural("watch") == "watches"
    assert plural("jacket") == "jackets"
    assert plural("clothing") == "clothing"
    assert phrase_forms("Running Shoes") == {"running shoes", "running shoe"}


def test_search_terms_and_fts_expression_are_safe() -> None:
    terms = search_terms('"shoes AND ( trail* OR -boots NEAR(x) {name}:col ^start')
    assert all(t.isalnum() for t in terms)
    expression = fts_expression(terms)
    assert expression.count('"') == 2 * len(terms)
    assert fts_expression(["a", "b"], any_term=True) == '"a" OR "b"'
    assert fts_expression(["a"], column_name="name") == '{name} : ("a")'
    assert search_terms("the") == ["the"]
    assert search_terms("shoes for the trail") == ["shoes", "trail"]


# -------------------------------------------------------------------------------------------------- refine

BASE = SearchQuery(subcategory="running shoes", color="blue", price_max=Decimal("150.00"), offset=10)


def test_more_moves_to_the_next_page() -> None:
    assert refine(BASE, refinement="more").offset == 15
    assert refine(BASE, refinement="show more", page_size=10).offset == 20
    assert refine(BASE, refinement="more").color == "blue"


def test_cheaper_uses_the_average_shown_price() -> None:
    query = refine(BASE, refinement="cheaper", shown_prices=[Decimal("100"), Decimal("80.00"), Decimal("60")])
    assert query.price_max == Decimal("79.99")
    assert query.sort == "relevance"
    assert query.offset == 0
    assert (query.subcategory, query.color) == ("running shoes", "blue")


def test_cheaper_without_shown_prices_uses_the_previous_ceiling() -> None:
    assert refine(BASE, refinement="cheaper").price_max == Decimal("149.99")


def test_cheaper_with_nothing_to_compare_sorts_by_price() -> None:
    query = refine(SearchQuery(category="shoes"), refinement="less expensive")
    assert query.sort == "price_asc" and query.price_max is None


def test_cheaper_drops_a_floor_above_the_new_ceiling() -> None:
    previous = SearchQuery(price_min=Decimal("90"))
    query = refine(previous, refinement="cheaper", shown_prices=[Decimal("95"), Decimal("105")])
    assert query.price_max == Decimal("99.99") and query.price_min == Decimal("90")
    query = refine(previous, refinement="cheaper", shown_prices=[Decimal("50")])
    assert query.price_max == Decimal("49.99") and query.price_min is None


def test_pricier_uses_the_average_shown_price() -> None:
    query = refine(BASE, refinement="pricier", shown_prices=[Decimal("100"), Decimal("120")])
    assert query.price_min == Decimal("110.01")
    assert query.price_max == Decimal("150.00")
    assert query.offset == 0
    assert refine(BASE, refinement="more expensive", shown_prices=[Decimal("200")]).price_max is None


def test_changes_override_and_reset_the_page() -> None:
    query = refine(BASE, changes={"color": "red", "size": "10", "price_max": "120", "bogus": "x"})
    assert (query.color, query.size, query.price_max, query.offset) == ("red", "10", Decimal("120.00"), 0)
    assert query.subcategory == "running shoes"


def test_changes_can_clear_a_filter_and_bad_values_are_ignored() -> None:
    query = refine(BASE, changes={"color": None, "price_max": "lots"})
    assert query.color is None
    assert query.price_max == Decimal("150.00")


def test_a_new_category_replaces_the_old_subcategory() -> None:
    query = refine(BASE, changes={"category": "headphones"})
    assert (query.category, query.subcategory) == ("headphones", None)


@pytest.mark.parametrize(("refinement", "sort"), [
    ("cheapest", "price_asc"), ("lowest price", "price_asc"), ("by price", "price_asc"),
    ("priciest", "price_desc"), ("most expensive", "price_desc"),
    ("top_rated", "rating"), ("best rated", "rating"),
])
def test_an_order_refinement_keeps_the_filters_and_starts_again(refinement: str, sort: str) -> None:
    query = refine(replace(BASE, offset=10), refinement=refinement, shown_prices=[Decimal("40"), Decimal("90")])
    assert query == replace(BASE, sort=sort, offset=0)  # the same products: no price bound added


def test_cheapest_is_an_order_and_cheaper_a_bound() -> None:
    assert refine(BASE, refinement="cheapest", shown_prices=[Decimal("50")]).price_max == BASE.price_max
    assert refine(BASE, refinement="cheaper", shown_prices=[Decimal("50")]).price_max == Decimal("49.99")


def test_unknown_refinement_changes_nothing() -> None:
    assert refine(BASE, refinement="sideways") == BASE


# -------------------------------------------------------------------------------------------------- slot dicts


def test_query_dict_round_trip() -> None:
    query = SearchQuery(text="trail", category="shoes", subcategory="running shoes", brand="Northpeak", color="blue",
                        size="10", price_min=Decimal("20.00"), price_max=Decimal("99.99"), in_stock_only=False,
                        sort="price_asc", offset=5, limit=10)
    data = query_to_dict(query)
    assert data["price_max"] == "99.99" and data["price_min"] == "20.00"
    assert all(isinstance(v, (str, int, bool)) for v in data.values())
    assert query_from_dict(data) == query


def test_query_dict_leaves_out_unset_filters() -> None:
    assert query_to_dict(SearchQuery(category="shoes")) == {
        "category": "shoes", "in_stock_only": True, "sort": "relevance", "offset": 0, "limit": 5}


def test_query_from_dict_drops_bad_values() -> None:
    query = query_from_dict({"category": " shoes ", "price_max": "cheap", "price_min": -5, "sort": "random",
                             "offset": -3, "limit": 1000, "color": ["red"], "in_stock_only": "false", "evil": 1})
    assert query == SearchQuery(category="shoes", in_stock_only=False)


@pytest.mark.parametrize("value", [None, [], "x", 3])
def test_query_from_something_else_is_an_empty_query(value: object) -> None:
    assert query_from_dict(value) == SearchQuery()  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ kinds, numbers, typos

GADGETS = Vocabulary(
    brands=["Acme"],
    categories=["electronics"],
    subcategories=["usb", "bluetooth", "headphones", "playstation", "projection screen", "mouse pad"],
    product_names={"Acme Projector 200": "P-1", "Acme USB Hub 4 ports": "H-1"},
)


def gadget(text: str) -> dict[str, object]:
    """The fields of `understand(text, GADGETS)` that differ from an empty query."""
    query = understand(text, GADGETS)
    default = SearchQuery()
    return {name: value for name, value in query.__dict__.items() if value != getattr(default, name)}


@pytest.mark.parametrize(("text", "expected"), [
    ("usb hub", {"text": "usb hub"}),  # 'usb' describes the hub: not the kind of product
    ("bluetooth headphones", {"subcategory": "headphones", "text": "bluetooth"}),
    ("gaming mouse pad", {"subcategory": "mouse pad", "text": "gaming"}),
    ("usb", {"subcategory": "usb"}),
    ("headphones for running", {"subcategory": "headphones", "text": "running"}),
    ("headphones red", {"subcategory": "headphones", "color": "red"}),
])
def test_a_kind_said_before_another_word_describes_it(text: str, expected: dict[str, object]) -> None:
    assert gadget(text) == expected


def test_a_number_after_a_kind_is_a_model_number() -> None:
    assert gadget("playstation 4") == {"subcategory": "playstation", "text": "4"}
    assert gadget("acme 200") == {"brand": "Acme", "text": "200"}
    assert understood("running shoes size 8 to 10").get("text") is None  # a size range is no model
    assert understood("2 pairs of running shoes") == {"subcategory": "running shoes"}


def test_words_of_the_catalog_are_not_taken_for_typos() -> None:
    assert gadget("projector screen") == {"text": "projector screen"}  # 'projector' is a word of a product name
    assert gadget("projecton screen") == {"subcategory": "projection screen"}  # a typo still finds the kind


def test_find_prices_is_public_and_gives_the_spans() -> None:
    text = "headphones under $100"
    price_min, price_max, spans = find_prices(text)
    assert (price_min, price_max) == (None, Decimal("100.00"))
    assert [text[start:end] for start, end in spans] == ["under $100"]
    assert find_prices("between 50 and 80 dollars")[:2] == (Decimal("50.00"), Decimal("80.00"))
    assert find_prices("iphone 13") == (None, None, [])


# -------------------------------------------------------------------------------------------------- describe


def test_describe() -> None:
    query = SearchQuery(subcategory="running shoes", brand="Northpeak", color="blue", size="10",
                        price_max=Decimal("100.00"))
    assert describe(query, currency="USD") == "running shoes, brand Northpeak, blue, size 10, under $100"
    assert describe(SearchQuery(text="waterproof", category="shoes", price_min=Decimal("20"),
                                price_max=Decimal("49.50")), currency="USD") == "waterproof shoes, $20 to $49.50"
    assert describe(SearchQuery(price_min=Decimal("30")), currency="EUR") == "over €30"
    assert describe(SearchQuery(category="shoes", sort="price_asc"), currency="USD") == "shoes, cheapest first"
    assert describe(SearchQuery()) == "all products"
