"""CatalogMatcher (spaCy, no Rasa) and the merge rule of CatalogEntityExtractor."""

from __future__ import annotations

import pytest

from chatecomm_nlu.catalog_matcher import CatalogMatcher, CatalogWords, product_forms, words_of

WORDS = CatalogWords(
    brands=["Northpeak", "Brewden", "Loomly"],
    categories={"running shoes": ["running shoe"], "kettles": ["kettle"], "t-shirts": ["t-shirt", "t shirt"],
                "headphones": ["headphone"], "duvets": ["duvet"]},
    colors=["black", "sage", "rose gold"],
    sizes=["9", "9.5", "10", "S", "M", "L", "XL", "King", "41mm"],
    products=["Northpeak Trailblazer 2 Running Shoe", "Brewden Copper Kettle", "Loomly Basic Tee"],
    known_words={"show", "me", "some", "want", "cheap", "under", "looking", "for", "the", "refund"},
)


@pytest.fixture(scope="module")
def matcher() -> CatalogMatcher:
    return CatalogMatcher(WORDS)


def found(matcher: CatalogMatcher, text: str) -> list[tuple[str, str, str]]:
    return [(f.entity, f.text, f.value) for f in matcher.extract(text)]


def test_catalog_words_are_found_in_the_catalog_spelling(matcher: CatalogMatcher) -> None:
    assert found(matcher, "show me northpeak running shoes in black") == [
        ("brand", "northpeak", "Northpeak"), ("category", "running shoes", "running shoes"),
        ("color", "black", "black")]


def test_a_category_keeps_the_spelling_typed_for_the_synonym_mapper(matcher: CatalogMatcher) -> None:
    assert found(matcher, "a kettle") == [("category", "kettle", "kettle")]


def test_colours_outside_the_catalog_are_still_colours(matcher: CatalogMatcher) -> None:
    assert ("color", "purple", "purple") in found(matcher, "purple kettles")


def test_multi_word_catalog_colour(matcher: CatalogMatcher) -> None:
    assert found(matcher, "the kettle in rose gold")[-1] == ("color", "rose gold", "rose gold")


def test_product_names_full_and_without_the_brand(matcher: CatalogMatcher) -> None:
    assert found(matcher, "is the trailblazer 2 running shoe waterproof") == [
        ("product", "trailblazer 2 running shoe", "Northpeak Trailblazer 2 Running Shoe")]
    assert found(matcher, "Brewden Copper Kettle") == [("product", "Brewden Copper Kettle", "Brewden Copper Kettle")]


def test_product_forms_keep_only_distinctive_parts() -> None:
    assert product_forms("Loomly Basic Tee", ["Loomly"]) == ["Loomly Basic Tee", "Basic Tee"]
    assert product_forms("Loomly Tee", ["Loomly"]) == ["Loomly Tee"]
    assert product_forms("Orbit 2", ["Loomly"]) == ["Orbit 2"]


@pytest.mark.parametrize(("text", "expected"), [
    ("headphnes", ("category", "headphnes", "headphones")),
    ("nothpeak", ("brand", "nothpeak", "Northpeak")),
    ("northpaek", ("brand", "northpaek", "Northpeak")),
    ("runing shoes", ("category", "runing shoes", "running shoes")),
])
def test_typos_of_catalog_words_are_corrected(matcher: CatalogMatcher, text: str,
                                             expected: tuple[str, str, str]) -> None:
    assert expected in found(matcher, text)


def test_known_words_short_words_and_other_first_letters_are_no_typos(matcher: CatalogMatcher) -> None:
    assert found(matcher, "cheap") == []
    assert found(matcher, "refund") == []  # a training word, though close to nothing here anyway
    assert found(matcher, "bettles") == []  # first letter differs from "kettles"
    assert found(matcher, "sag") == []  # too short to correct


@pytest.mark.parametrize(("text", "expected"), [
    ("under $100", [("price_max", "100", "100")]),
    ("less than 20 bucks", [("price_max", "20", "20")]),
    ("no more than 1,000 dollars", [("price_max", "1,000", "1000")]),
    ("between 50 and 80", [("price_min", "50", "50"), ("price_max", "80", "80")]),
    ("between 80 and 50", [("price_max", "80", "80"), ("price_min", "50", "50")]),
    ("$40-$90", [("price_min", "40", "40"), ("price_max", "90", "90")]),
    ("from $20 to $35", [("price_min", "20", "20"), ("price_max", "35", "35")]),
    ("over $100", [("price_min", "100", "100")]),
    ("at least 40 dollars", [("price_min", "40", "40")]),
    ("$30 or more", [("price_min", "30", "30")]),
    ("price 30 or less", [("price_max", "30", "30")]),
    ("for 25 dollars", [("price_max", "25", "25")]),
    ("under twenty bucks", [("price_max", "twenty", "20")]),
    ("around 60 dollars", [("price_min", "60", "48"), ("price_max", "60", "72")]),
])
def test_prices(matcher: CatalogMatcher, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(matcher, text) == expected


def test_numbers_without_a_price_cue_are_no_prices(matcher: CatalogMatcher) -> None:
    assert found(matcher, "around 10 of them") == [("quantity", "10", "10")]
    assert [f for f in found(matcher, "10 or more days") if f[0].startswith("price")] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("size 10", [("size", "10", "10")]),
    ("size: 9.5", [("size", "9.5", "9.5")]),
    ("in a medium", [("size", "medium", "M")]),
    ("in size m", [("size", "m", "M")]),
    ("an XL one", [("size", "XL", "XL")]),
    ("a king size duvet", [("size", "king", "King"), ("category", "duvet", "duvet")]),
    ("the 41mm one", [("size", "41mm", "41mm")]),
])
def test_sizes(matcher: CatalogMatcher, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(matcher, text) == expected


def test_words_and_letters_that_are_sizes_need_a_cue(matcher: CatalogMatcher) -> None:
    assert found(matcher, "the king of kettles") == [("category", "kettles", "kettles")]
    assert found(matcher, "I'm looking for s") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("add 2 to my cart", [("quantity", "2", "2")]),
    ("three of those", [("quantity", "three", "three")]),
    ("a pair of the kettle", [("quantity", "a pair", "a pair"), ("category", "kettle", "kettle")]),
    ("make it 4", [("quantity", "4", "4")]),
    ("change the quantity to 5", [("quantity", "5", "5")]),
    ("x3", [("quantity", "x3", "3")]),
])
def test_quantities(matcher: CatalogMatcher, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(matcher, text) == expected


def test_order_numbers_days_and_prices_are_no_quantities(matcher: CatalogMatcher) -> None:
    assert found(matcher, "cancel order 123") == []
    assert found(matcher, "I need 3 days delivery") == []
    assert found(matcher, "get 50 dollars off") == [("price_max", "50", "50")]


@pytest.mark.parametrize(("text", "expected"), [
    ("add the third one", [("mention", "third", "third")]),
    ("add 2 of the second one", [("quantity", "2", "2"), ("mention", "second", "second")]),
    ("the last one in XL", [("mention", "last", "last"), ("size", "XL", "XL")]),
    ("show me #3", [("mention", "#3", "#3")]),
    ("option 2 please", [("mention", "option 2", "option 2")]),
    ("tell me about that one", [("mention", "that one", "that one")]),
    ("the second to last", [("mention", "second to last", "second to last")]),
])
def test_mentions(matcher: CatalogMatcher, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(matcher, text) == expected


def test_ordinals_that_refer_to_no_product_are_no_mentions(matcher: CatalogMatcher) -> None:
    assert found(matcher, "my first order") == []
    assert found(matcher, "at first I wanted kettles") == [("category", "kettles", "kettles")]


@pytest.mark.parametrize("text", [
    "book a room from march 10th", "remove lunch on monday the 5th", "the 3rd of may works",
    "a hotel from the 5th to the 9th", "deliver it by the 12th",
])
def test_ordinals_in_dates_are_no_mentions(matcher: CatalogMatcher, text: str) -> None:
    assert [kind for kind, _, _ in found(matcher, text)] == []


def test_ordinals_near_dates_words_still_refer_when_they_should(matcher: CatalogMatcher) -> None:
    assert found(matcher, "compare the first to the third") == [("mention", "first", "first"),
                                                                 ("mention", "third", "third")]
    assert found(matcher, "add the 2nd one") == [("mention", "2nd", "2nd")]
    assert found(matcher, "the first may be too small") == [("mention", "first", "first")]


def test_spans_point_at_the_text(matcher: CatalogMatcher) -> None:
    text = "  Northpeak kettle under $50, add the 2nd one  "
    for item in matcher.extract(text):
        assert text[item.start:item.end] == item.text


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "🙂🙂", "a" * 5000, "/search_product{\"brand\": \"x\"}"])
def test_odd_input_gives_no_error(matcher: CatalogMatcher, text: str) -> None:
    assert isinstance(matcher.extract(text), list)


def test_words_from_a_document_ignore_malformed_parts() -> None:
    words = CatalogWords.from_document({"brand": ["A1", None, 3, {"x": 1}], "category": ["shoes"], "size": "M"})
    assert words.brands == ["A1", "3"]
    assert words.categories == {"shoes": []}
    assert words.sizes == []


def test_from_file_rejects_what_is_not_a_vocabulary(tmp_path) -> None:  # noqa: ANN001 - pytest fixture
    bad = tmp_path / "v.json"
    bad.write_text("[1, 2]")
    with pytest.raises(ValueError, match="not a valid catalog vocabulary"):
        CatalogWords.from_file(bad)
    bad.write_text("{oops")
    with pytest.raises(ValueError, match="not a valid catalog vocabulary"):
        CatalogWords.from_file(bad)


def test_words_of_lowercases_words_only() -> None:
    assert words_of(["Show me 2 T-Shirts!", None]) == {"show", "me", "t-shirts"}


BANDED = CatalogWords(categories={"kettles": ["kettle"], "tents": ["tent"]},
                      price_bands={"*": {"cheap_max": "40", "expensive_min": "120"},
                                   "kettles": {"cheap_max": "25.50", "expensive_min": "60"}})


@pytest.mark.parametrize(("text", "expected"), [
    ("cheap kettles", [("price_max", "cheap", "25.50"), ("category", "kettles", "kettles")]),
    ("an affordable kettle", [("price_max", "affordable", "25.50"), ("category", "kettle", "kettle")]),
    ("a not too expensive tent", [("price_max", "not too expensive", "40"), ("category", "tent", "tent")]),
    ("premium kettles", [("price_min", "premium", "60"), ("category", "kettles", "kettles")]),
    ("low-cost stuff", [("price_max", "low-cost", "40")]),
    ("cheap kettles under $30", [("category", "kettles", "kettles"), ("price_max", "30", "30")]),
])
def test_cheap_and_expensive_use_the_price_band_of_the_category(text: str,
                                                                expected: list[tuple[str, str, str]]) -> None:
    assert found(CatalogMatcher(BANDED), text) == expected


def test_cheap_without_catalog_prices_gives_no_price() -> None:
    assert found(CatalogMatcher(CatalogWords()), "cheap stuff") == []


def test_comparisons_are_no_price_levels() -> None:
    matcher = CatalogMatcher(BANDED)
    assert found(matcher, "anything less pricey?") == []
    assert found(matcher, "more affordable kettles") == [("category", "kettles", "kettles")]


def test_a_self_evident_maximum_needs_no_currency(matcher: CatalogMatcher) -> None:
    assert found(matcher, "a kettle, 90 tops") == [("category", "kettle", "kettle"), ("price_max", "90", "90")]


@pytest.mark.parametrize(("text", "expected"), [
    ("use discount code GREENWEEK", [("coupon_code", "GREENWEEK", "GREENWEEK")]),
    ("apply coupon spring15", [("coupon_code", "spring15", "SPRING15")]),
    ("my promo code is WELCOME10", [("coupon_code", "WELCOME10", "WELCOME10")]),
    ("the code is not working", []),
    ("a discount code please", []),
])
def test_coupon_codes_after_a_cue(matcher: CatalogMatcher, text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(matcher, text) == expected


def test_a_colour_that_is_an_everyday_word_needs_a_cue() -> None:
    words = CatalogWords(colors=["clear", "sage"], categories={"bottles": ["bottle"]}, known_words={"clear", "my"})
    matcher = CatalogMatcher(words)
    assert found(matcher, "clear my cart") == []
    assert found(matcher, "the clear bottle") == [("color", "clear", "clear"), ("category", "bottle", "bottle")]
    assert found(matcher, "in clear please") == [("color", "clear", "clear")]
    assert found(matcher, "sage") == [("color", "sage", "sage")]  # not a training word: a colour


def test_time_words_after_last_are_no_mentions(matcher: CatalogMatcher) -> None:
    assert found(matcher, "the score from last night") == []
