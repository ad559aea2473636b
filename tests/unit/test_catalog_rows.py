"""Validation of single catalog rows (no database, no files)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store.catalog import DEFAULT_STOCK, CatalogRow, RowError, parse_row, size_sort_key


def row(**fields: object) -> dict[str, object]:
    """A valid minimal row with `fields` on top (None removes a field)."""
    base: dict[str, object] = {"sku": "TST-1", "name": "Test Kettle", "category": "home & kitchen", "price": "24.50"}
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def test_full_contract_row_is_parsed() -> None:
    parsed = parse_row({
        "sku": " RUN-1001 ", "name": "Trailblazer 2  Running Shoe", "brand": "Northpeak", "category": "shoes",
        "subcategory": "running shoes", "price": Decimal("89.99"), "currency": "usd", "colors": ["black", "blue"],
        "sizes": ["8", 9, Decimal("9.5")], "stock": 25, "rating": Decimal("4.5"), "description": "Light runner",
        "image_url": "https://example.com/img/RUN-1001.jpg", "tags": ["waterproof", "trail"],
    })
    assert parsed.sku == "RUN-1001"
    assert parsed.name == "Trailblazer 2 Running Shoe"
    assert parsed.price == Decimal("89.99")
    assert parsed.currency == "USD"
    assert parsed.rating == Decimal("4.50")
    assert parsed.tags == ("waterproof", "trail")
    assert parsed.variants == (
        ("black", "8", 25), ("black", "9", 25), ("black", "9.5", 25),
        ("blue", "8", 25), ("blue", "9", 25), ("blue", "9.5", 25),
    )


def test_minimal_row_gets_defaults() -> None:
    parsed = parse_row(row(), default_currency="eur")
    assert parsed == CatalogRow(sku="TST-1", name="Test Kettle", category="home & kitchen", price=Decimal("24.50"),
                                currency="EUR", variants=(("", "", DEFAULT_STOCK),))


@pytest.mark.parametrize(("price", "expected"), [
    (10, Decimal("10.00")),
    ("19.999", Decimal("20.00")),
    ("$1,299.50", Decimal("1299.50")),
    ("12,5", Decimal("12.50")),
    (0, Decimal("0.00")),
    (89.99, Decimal("89.99")),
])
def test_price_is_parsed_to_decimal(price: object, expected: Decimal) -> None:
    assert parse_row(row(price=price)).price == expected


@pytest.mark.parametrize(("price", "reason"), [
    (-1, "price must be >= 0"),
    ("abc", "price must be a number"),
    ("NaN", "finite"),
    (Decimal("Infinity"), "finite"),
    (float("inf"), "finite"),
    (True, "price must be a number"),
    ([1], "price must be a number"),
    ("", "missing required field: price"),
    ("1e20", "too large"),
])
def test_bad_price_is_rejected(price: object, reason: str) -> None:
    with pytest.raises(RowError, match=reason):
        parse_row(row(price=price))


@pytest.mark.parametrize("missing", ["sku", "name", "category", "price"])
def test_required_fields(missing: str) -> None:
    with pytest.raises(RowError, match=f"missing required field: {missing}"):
        parse_row(row(**{missing: None}))


def test_several_missing_fields_are_named_together() -> None:
    with pytest.raises(RowError, match="missing required fields: sku, price"):
        parse_row({"name": "X", "category": "y"})


def test_blank_required_field_counts_as_missing() -> None:
    with pytest.raises(RowError, match="name"):
        parse_row(row(name="   "))


def test_sku_is_stripped_and_limited_to_64_characters() -> None:
    assert parse_row(row(sku="  AB-1  ")).sku == "AB-1"
    assert parse_row(row(sku=12345)).sku == "12345"
    assert parse_row(row(sku="A" * 64)).sku == "A" * 64
    with pytest.raises(RowError, match="sku is longer than 64"):
        parse_row(row(sku="A" * 65))


def test_long_name_is_rejected() -> None:
    with pytest.raises(RowError, match="name is longer than 300"):
        parse_row(row(name="x" * 301))


@pytest.mark.parametrize("currency", ["US", "DOLLARS", "12A", 840])
def test_bad_currency_is_rejected(currency: object) -> None:
    with pytest.raises(RowError, match="currency must be a 3-letter code"):
        parse_row(row(currency=currency))


@pytest.mark.parametrize(("stock", "reason"), [
    (-2, "stock must be >= 0"),
    ("2.5", "whole number"),
    ("many", "whole number"),
    (False, "whole number"),
])
def test_bad_stock_is_rejected(stock: object, reason: str) -> None:
    with pytest.raises(RowError, match=reason):
        parse_row(row(stock=stock))


def test_stock_from_text_and_no_colours_or_sizes() -> None:
    assert parse_row(row(stock="7")).variants == (("", "", 7),)
    assert parse_row(row(stock=0)).variants == (("", "", 0),)


@pytest.mark.parametrize("rating", [-0.1, 5.01, "6"])
def test_rating_out_of_range_is_rejected(rating: object) -> None:
    with pytest.raises(RowError, match="rating must be between 0 and 5"):
        parse_row(row(rating=rating))


def test_csv_style_values_split_on_pipes() -> None:
    parsed = parse_row(row(colors="Black| blue |", sizes="S|M", stock="3", tags="a|b|a", rating=""))
    assert parsed.variants == (("Black", "S", 3), ("Black", "M", 3), ("blue", "S", 3), ("blue", "M", 3))
    assert parsed.tags == ("a", "b")
    assert parsed.rating is None


def test_colours_are_deduplicated_case_insensitively() -> None:
    parsed = parse_row(row(colors=["Red", "red", "RED", "blue"], stock=1))
    assert [v[0] for v in parsed.variants] == ["Red", "blue"]


def test_variants_list_gives_stock_per_variant() -> None:
    parsed = parse_row(row(variants=[{"color": "blue", "size": 9, "stock": 4}, {"color": "blue", "size": "10"},
                                     {"size": "11", "stock": 0}], stock=2))
    assert parsed.variants == (("blue", "9", 4), ("blue", "10", 2), ("", "11", 0))


def test_variants_may_be_a_json_string() -> None:
    parsed = parse_row(row(variants='[{"color": "red", "size": "M", "stock": 3}]', colors="", sizes="", stock=""))
    assert parsed.variants == (("red", "M", 3),)


def test_variants_take_precedence_over_colours_and_sizes() -> None:
    parsed = parse_row(row(colors=["green"], sizes=["L"], variants=[{"color": "red", "stock": 1}]))
    assert parsed.variants == (("red", "", 1),)


@pytest.mark.parametrize(("variants", "reason"), [
    ("[{bad json", "variants is not valid JSON"),
    ({"color": "red"}, "variants must be a list"),
    (["red"], "variant 1 must be an object"),
    ([{"color": "red", "stock": 1}, {"color": "Red", "stock": 2}], "listed twice"),
    ([{"color": "red", "stock": -1}], "variant 1 stock must be >= 0"),
    ([{"color": "x" * 61}], "variant 1 color is longer than 60"),
])
def test_bad_variants_are_rejected(variants: object, reason: str) -> None:
    with pytest.raises(RowError, match=reason):
        parse_row(row(variants=variants))


def test_nested_values_where_text_is_expected_are_rejected() -> None:
    with pytest.raises(RowError, match="brand must be text"):
        parse_row(row(brand={"name": "x"}))
    with pytest.raises(RowError, match="description must be text"):
        parse_row(row(description=["a"]))
    with pytest.raises(RowError, match="each of colors"):
        parse_row(row(colors=[["red"]]))


def test_not_an_object_is_rejected() -> None:
    with pytest.raises(RowError, match="expected a JSON object, got a list"):
        parse_row([1, 2])  # type: ignore[arg-type]


def test_keys_are_case_and_space_insensitive() -> None:
    parsed = parse_row({" SKU ": "A1", "Name": "Lamp", "CATEGORY": "home", "Price": "5"})
    assert (parsed.sku, parsed.name, parsed.category, parsed.price) == ("A1", "Lamp", "home", Decimal("5.00"))


def test_control_characters_and_spacing_are_cleaned() -> None:
    parsed = parse_row(row(name="Tea\x00 \n Pot", brand="  ", subcategory="kettles\t"))
    assert parsed.name == "Tea Pot"
    assert parsed.brand is None
    assert parsed.subcategory == "kettles"


def test_product_values_are_the_product_columns() -> None:
    values = parse_row(row(tags=["x"])).product_values()
    assert values["tags"] == ["x"]
    assert set(values) == {"name", "brand", "category", "subcategory", "price", "currency", "rating",
                           "description", "image_url", "tags"}


def test_sizes_sort_numbers_then_letter_sizes() -> None:
    sizes = ["XL", "10", "M", "9.5", "One Size", "S", "8", "XXL"]
    assert sorted(sizes, key=size_sort_key) == ["8", "9.5", "10", "S", "M", "XL", "XXL", "One Size"]
