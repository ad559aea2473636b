"""The generated sample catalog: CONTRACT §6 size, §2 format, realism and byte-for-byte determinism."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from store.sample import (
    BRANDS,
    CATALOG_CSV,
    CATALOG_DIR,
    CATALOG_JSONL,
    CATEGORIES,
    SAMPLE_COUPONS,
    SAMPLE_ORDERS,
    catalog_csv,
    catalog_jsonl,
    generate_catalog,
    write_sample_catalog,
)

SIX_CATEGORIES = {"shoes", "clothing", "electronics", "home & kitchen", "sports & outdoors", "beauty"}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    """One generation of the default sample catalog."""
    return generate_catalog()


def _stock_units(row: dict) -> list[int]:
    if "variants" in row:
        return [v["stock"] for v in row["variants"]]
    return [row["stock"]]


def _combos(row: dict) -> list[tuple[str | None, str | None]]:
    if "variants" in row:
        return [(v.get("color"), v.get("size")) for v in row["variants"]]
    return [(c, s) for c in row.get("colors") or [None] for s in row.get("sizes") or [None]]


def test_catalog_meets_the_sample_store_contract(rows: list[dict]) -> None:
    assert len(rows) >= 330
    assert {r["brand"] for r in rows} == set(BRANDS)
    assert len(BRANDS) == 25
    assert {r["category"] for r in rows} == SIX_CATEGORIES == set(CATEGORIES)


def test_every_category_has_four_to_six_subcategories(rows: list[dict]) -> None:
    subcategories: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        subcategories[row["category"]].add(row["subcategory"])
    assert all(4 <= len(subs) <= 6 for subs in subcategories.values()), subcategories
    assert {"running shoes", "hiking boots", "sneakers", "sandals", "dress shoes"} <= subcategories["shoes"]
    assert {"headphones", "speakers", "smartwatches", "chargers", "keyboards"} <= subcategories["electronics"]


def test_every_row_passes_basic_validation(rows: list[dict]) -> None:
    skus = [r["sku"] for r in rows]
    assert len(skus) == len(set(skus))
    assert len({r["name"] for r in rows}) == len(rows)
    for row in rows:
        assert row["sku"] and row["name"] and row["category"], row
        prefix = CATEGORIES[row["category"]][0]
        assert re.fullmatch(rf"{prefix}-\d{{4}}", row["sku"]), row["sku"]
        assert isinstance(row["price"], Decimal) and row["price"] >= 0
        assert row["price"] == row["price"].quantize(Decimal("0.01"))
        assert row["currency"] == "USD"
        assert Decimal("2.5") <= row["rating"] <= Decimal("5.0")
        assert row["image_url"] == f"https://example.com/img/{row['sku']}.jpg"
        assert row["tags"] and len(row["tags"]) == len(set(row["tags"]))
        units = _stock_units(row)
        assert all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in units), row["sku"]
        combos = _combos(row)
        assert len(combos) == len(set(combos)), row["sku"]
        if "variants" in row:
            assert "stock" not in row and "colors" not in row and "sizes" not in row


def test_names_start_with_the_brand_and_carry_a_model_number(rows: list[dict]) -> None:
    for row in rows:
        assert row["name"].startswith(row["brand"] + " ")
        assert re.search(r" \d+ ", row["name"]), row["name"]


def test_descriptions_have_one_to_three_sentences(rows: list[dict]) -> None:
    counts = Counter(len(re.findall(r"[.!?](?:\s|$)", r["description"])) for r in rows)
    assert set(counts) <= {1, 2, 3}
    assert all(counts[n] >= 30 for n in (1, 2, 3)), counts
    assert len({r["description"] for r in rows}) > 0.9 * len(rows)


def test_prices_are_realistic_per_subcategory(rows: list[dict]) -> None:
    by_sub: dict[str, list[Decimal]] = defaultdict(list)
    for row in rows:
        by_sub[row["subcategory"]].append(row["price"])
    assert max(by_sub["lipstick"]) < 50
    assert min(by_sub["tents"]) > 80
    assert min(by_sub["smartwatches"]) > max(by_sub["t-shirts"])


def test_sizes_and_colours_where_they_make_sense(rows: list[dict]) -> None:
    def sizes(row: dict) -> set[str]:
        return {s for _, s in _combos(row) if s}

    shoes = [r for r in rows if r["category"] == "shoes"]
    assert all(sizes(r) and sizes(r) <= {f"{n / 2:g}" for n in range(12, 27)} for r in shoes)
    assert any("9.5" in sizes(r) for r in shoes) and any("9.5" not in sizes(r) for r in shoes)
    apparel = [r for r in rows if r["subcategory"] in ("t-shirts", "hoodies", "jackets", "dresses")]
    assert all(sizes(r) and sizes(r) <= {"XS", "S", "M", "L", "XL", "XXL"} for r in apparel)
    beauty = [r for r in rows if r["category"] == "beauty" and r["subcategory"] != "lipstick"]
    assert all(_combos(r) == [(None, None)] for r in beauty)
    assert all(not sizes(r) for r in rows if r["subcategory"] in ("headphones", "speakers", "chargers"))


def test_stock_mixes_uniform_per_variant_single_and_sold_out(rows: list[dict]) -> None:
    with_variants = [r for r in rows if "variants" in r]
    assert 0.25 <= len(with_variants) / len(rows) <= 0.42
    assert any(0 in _stock_units(r) and max(_stock_units(r)) > 0 for r in with_variants)
    assert len({tuple(_stock_units(r)) for r in with_variants}) > 0.9 * len(with_variants)
    sold_out = [r for r in rows if max(_stock_units(r)) == 0]
    assert 3 <= len(sold_out) <= 12
    single = [r for r in rows if _combos(r) == [(None, None)]]
    assert len(single) >= 20
    uniform = [r for r in rows if "stock" in r and ("colors" in r or "sizes" in r)]
    assert len(uniform) > len(rows) / 3


def test_several_brands_span_categories(rows: list[dict]) -> None:
    categories: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        categories[row["brand"]].add(row["category"])
    assert sum(len(c) >= 2 for c in categories.values()) >= 6
    assert all(len(c) >= 1 for c in categories.values())


def test_tags_agree_with_materials(rows: list[dict]) -> None:
    assert any("leather" in r["tags"] for r in rows) and any("vegan" in r["tags"] for r in rows)
    for row in rows:
        assert not {"vegan", "leather"} <= set(row["tags"]), row["sku"]
        if "vegan" in row["tags"]:
            assert not re.search(r"\b(leather|suede|calfskin|nubuck)\b", row["description"].lower()), row["sku"]


def test_generation_is_deterministic(rows: list[dict]) -> None:
    assert generate_catalog() == rows
    assert generate_catalog(seed=8) != rows
    assert catalog_jsonl(generate_catalog()) == catalog_jsonl(rows)


def test_committed_files_equal_a_fresh_generation(rows: list[dict]) -> None:
    assert (CATALOG_DIR / CATALOG_JSONL).read_text(encoding="utf-8") == catalog_jsonl(rows)
    assert (CATALOG_DIR / CATALOG_CSV).read_text(encoding="utf-8") == catalog_csv(rows)


def test_write_sample_catalog_writes_both_files(tmp_path: Path) -> None:
    jsonl_path, csv_path = write_sample_catalog(tmp_path / "out")
    assert jsonl_path.read_bytes() == (CATALOG_DIR / CATALOG_JSONL).read_bytes()
    assert csv_path.read_bytes() == (CATALOG_DIR / CATALOG_CSV).read_bytes()


def test_jsonl_carries_prices_as_numbers_with_two_decimals(rows: list[dict]) -> None:
    lines = catalog_jsonl(rows).splitlines()
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows, strict=True):
        assert re.search(r'"price": \d+\.\d{2},', line), line[:120]
        parsed = json.loads(line)
        assert Decimal(str(parsed["price"])) == row["price"]
        assert parsed["sku"] == row["sku"] and parsed.get("variants") == row.get("variants")


def test_csv_holds_the_same_catalog(rows: list[dict]) -> None:
    parsed = list(csv.DictReader(io.StringIO(catalog_csv(rows))))
    assert len(parsed) == len(rows)
    for cells, row in zip(parsed, rows, strict=True):
        assert cells["sku"] == row["sku"] and cells["name"] == row["name"]
        assert Decimal(cells["price"]) == row["price"]
        assert cells["tags"].split("|") == row["tags"]
        assert (cells["colors"].split("|") if cells["colors"] else None) == row.get("colors")
        assert (cells["sizes"].split("|") if cells["sizes"] else None) == row.get("sizes")
        assert (json.loads(cells["variants"]) if cells["variants"] else None) == row.get("variants")
        assert (int(cells["stock"]) if cells["stock"] else None) == row.get("stock")


def test_sample_orders_use_real_products_and_variants(rows: list[dict]) -> None:
    by_sku = {r["sku"]: r for r in rows}
    for order in SAMPLE_ORDERS:
        assert order.email.endswith("@example.com")
        assert order.events[-1][0] == order.status
        for line in order.lines:
            assert line.sku in by_sku, line.sku
            assert (line.color, line.size) in _combos(by_sku[line.sku]), line
    assert {o.status for o in SAMPLE_ORDERS} >= {"awaiting_payment", "paid", "shipped", "delivered", "cancelled"}
    assert [o.number for o in SAMPLE_ORDERS] == [f"CE-1001{n:02d}" for n in range(1, 8)]
    assert {o.coupon for o in SAMPLE_ORDERS if o.coupon} <= {c.code for c in SAMPLE_COUPONS}
