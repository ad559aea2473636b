"""Catalog import on SQLite: formats, rejected rows, upserts, deactivation, the full-text index, lookups."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from store.catalog import DEFAULT_STOCK, catalog_vocabulary, import_catalog, rebuild_search_index
from store.errors import CatalogError
from store.lookups import write_training_lookups
from store.models import Cart, CartItem, Product, Variant
from store.products import get_product
from store.types import ImportProblem
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]

SHOE = {"sku": "RUN-1001", "name": "Trailblazer 2 Running Shoe", "brand": "Northpeak", "category": "shoes",
        "subcategory": "running shoes", "price": 89.99, "currency": "USD", "colors": ["black", "blue"],
        "sizes": ["9", "10"], "stock": 25, "rating": 4.5, "description": "Light trail runner",
        "image_url": "https://example.com/img/RUN-1001.jpg", "tags": ["waterproof", "trail"]}
KETTLE = {"sku": "KIT-2001", "name": "Copper Kettle", "brand": "Brewden", "category": "home & kitchen",
          "subcategory": "kettles", "price": "34.50", "variants": [{"color": "copper", "stock": 3},
                                                                 {"color": "steel", "stock": 0}]}
TEE = {"sku": "CLO-3001", "name": "Everyday Tee", "brand": "Loomly", "category": "clothing", "subcategory": "T-Shirts",
       "price": 15, "colors": ["white"], "sizes": ["S", "M", "L"], "stock": 10}


def write_jsonl(path: Path, rows: list[object]) -> Path:
    """Rows as JSON Lines (a str row is written as is)."""
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    """Rows as CSV: lists joined by '|', variants as a JSON string."""
    columns = ["sku", "name", "brand", "category", "subcategory", "price", "currency", "colors", "sizes", "stock",
               "rating", "description", "image_url", "tags", "variants"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            cells = {}
            for key, value in row.items():
                if key == "variants":
                    cells[key] = json.dumps(value)
                elif isinstance(value, list):
                    cells[key] = "|".join(str(v) for v in value)
                else:
                    cells[key] = value
            writer.writerow(cells)
    return path


def run_import(uow_factory: UowFactory, path: Path, **options: object):  # noqa: ANN201 - ImportSummary
    with uow_factory() as uow:
        return import_catalog(path, uow, **options)


def variants_of(uow_factory: UowFactory, sku: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(color, size) -> (variant id, stock) of a product, active or not."""
    with uow_factory() as uow:
        rows = uow.session.execute(select(Variant.color, Variant.size, Variant.id, Variant.stock)
                                   .join(Product).where(Product.sku == sku)).all()
    return {(c, s): (i, n) for c, s, i, n in rows}


def fts_rows(uow_factory: UowFactory) -> dict[int, str]:
    with uow_factory() as uow:
        return dict(uow.session.execute(text("SELECT rowid, name FROM products_fts")).all())


def product_ids(uow_factory: UowFactory, active: bool = True) -> dict[str, int]:
    with uow_factory() as uow:
        return dict(uow.session.execute(select(Product.sku, Product.id).where(Product.active.is_(active))).all())


def test_jsonl_import_stores_every_field(uow_factory: UowFactory, tmp_path: Path) -> None:
    summary = run_import(uow_factory, write_jsonl(tmp_path / "c.jsonl", [SHOE, KETTLE, TEE]))
    assert (summary.imported, summary.updated, summary.unchanged, summary.rejected) == (3, 0, 0, [])
    with uow_factory() as uow:
        shoe = get_product("RUN-1001", uow)
        kettle = get_product("KIT-2001", uow)
    assert shoe.name == "Trailblazer 2 Running Shoe"
    assert shoe.price == Decimal("89.99") and shoe.rating == Decimal("4.50")
    assert shoe.colors == ["black", "blue"] and shoe.sizes == ["9", "10"]
    assert shoe.stock == 4 * 25
    assert shoe.tags == ["waterproof", "trail"]
    assert shoe.image_url == "https://example.com/img/RUN-1001.jpg"
    assert kettle.price == Decimal("34.50")
    assert [(v.color, v.size, v.stock) for v in kettle.variants] == [("copper", None, 3), ("steel", None, 0)]


def test_progress_bar_goes_to_stderr(uow_factory: UowFactory, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    summary = run_import(uow_factory, write_jsonl(tmp_path / "c.jsonl", [SHOE, KETTLE]), progress=True)
    captured = capsys.readouterr()
    assert summary.imported == 2
    assert "reading c.jsonl" in captured.err and captured.out == ""


def test_csv_import_matches_jsonl(uow_factory: UowFactory, tmp_path: Path) -> None:
    summary = run_import(uow_factory, write_csv(tmp_path / "c.csv", [SHOE, KETTLE, TEE]))
    assert (summary.imported, summary.rejected) == (3, [])
    with uow_factory() as uow:
        shoe = get_product("RUN-1001", uow)
        kettle = get_product("KIT-2001", uow)
    assert shoe.colors == ["black", "blue"] and shoe.stock == 100 and shoe.tags == ["waterproof", "trail"]
    assert kettle.stock == 3
    # The same catalog as JSON Lines changes nothing.
    again = run_import(uow_factory, write_jsonl(tmp_path / "c.jsonl", [SHOE, KETTLE, TEE]))
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)


def test_csv_with_semicolons_and_quoted_newlines(uow_factory: UowFactory, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('sku;name;category;price;description\n'
                    'A-1;Lamp;home;12,50;"Two\nlines"\n'
                    'A-2;Desk;home;-1;x\n', encoding="utf-8")
    summary = run_import(uow_factory, path)
    assert summary.imported == 1
    assert summary.rejected == [ImportProblem(4, "price must be >= 0, got -1")]
    with uow_factory() as uow:
        assert get_product("A-1", uow).price == Decimal("12.50")


def test_bad_rows_are_rejected_with_line_numbers(uow_factory: UowFactory, tmp_path: Path) -> None:
    rows: list[object] = [
        SHOE,                                          # 1
        "",                                            # 2 blank: skipped
        {"sku": "X-1", "name": "No price", "category": "misc"},  # 3
        "{not json",                                   # 4
        {**KETTLE, "price": -3},                       # 5
        {**TEE, "sku": "run-1001"},                    # 6 duplicate of line 1
        ["a", "list"],                                 # 7
        {**TEE, "rating": 7},                          # 8
        {**TEE, "sku": "CLO-3002", "stock": -1},       # 9
        TEE,                                           # 10
        "   ",                                         # 11 blank
        {**TEE, "name": "Second tee"},                 # 12 duplicate of line 10
    ]
    summary = run_import(uow_factory, write_jsonl(tmp_path / "c.jsonl", rows))
    assert summary.imported == 2
    assert [p.line for p in summary.rejected] == [3, 4, 5, 6, 7, 8, 9, 12]
    reasons = {p.line: p.reason for p in summary.rejected}
    assert reasons[3] == "missing required field: price"
    assert reasons[4].startswith("invalid JSON")
    assert "price must be >= 0" in reasons[5]
    assert "duplicate sku" in reasons[6] and "line 1" in reasons[6]
    assert "expected a JSON object" in reasons[7]
    assert "rating" in reasons[8]
    assert "stock must be >= 0" in reasons[9]
    assert "line 10" in reasons[12]
    with uow_factory() as uow:
        assert get_product("CLO-3001", uow).name == "Everyday Tee"  # the first row of a duplicate wins


def test_csv_line_numbers_count_the_header(uow_factory: UowFactory, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [SHOE, {**KETTLE, "price": "free"}])
    summary = run_import(uow_factory, path)
    assert summary.rejected == [ImportProblem(3, "price must be a number, got 'free'")]


def test_reimport_is_idempotent(uow_factory: UowFactory, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [SHOE, KETTLE, TEE])
    run_import(uow_factory, path)
    before = variants_of(uow_factory, "RUN-1001")
    summary = run_import(uow_factory, path)
    assert (summary.imported, summary.updated, summary.unchanged, summary.deactivated) == (0, 0, 3, 0)
    assert variants_of(uow_factory, "RUN-1001") == before


def test_changed_fields_update_the_product(uow_factory: UowFactory, tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE, KETTLE, TEE]))
    changed = {**SHOE, "price": "79.00", "tags": ["trail"], "description": None}
    summary = run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [changed, KETTLE, TEE]))
    assert (summary.imported, summary.updated, summary.unchanged) == (0, 1, 2)
    with uow_factory() as uow:
        shoe = get_product("RUN-1001", uow)
    assert shoe.price == Decimal("79.00") and shoe.tags == ["trail"] and shoe.description is None


def test_variants_are_updated_in_place(uow_factory: UowFactory, tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE]))
    before = variants_of(uow_factory, "RUN-1001")
    # A shopper has black/9 in a cart: that variant row must survive the next import.
    with uow_factory() as uow:
        cart = Cart(sender_id="shopper")
        cart.items.append(CartItem(variant_id=before[("black", "9")][0], quantity=1))
        uow.session.add(cart)
        uow.commit()
    new_variants = [{"color": "blue", "size": "9", "stock": 4}, {"color": "blue", "size": "10", "stock": 25},
                    {"color": "green", "size": "9", "stock": 2}]
    row = {k: v for k, v in SHOE.items() if k not in ("colors", "sizes", "stock")} | {"variants": new_variants}
    summary = run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [row]))
    assert (summary.imported, summary.updated, summary.unchanged) == (0, 1, 0)
    after = variants_of(uow_factory, "RUN-1001")
    assert after[("blue", "9")] == (before[("blue", "9")][0], 4)  # same row, new stock
    assert after[("blue", "10")] == before[("blue", "10")]
    assert after[("green", "9")][1] == 2
    assert after[("black", "9")] == (before[("black", "9")][0], 0)  # referenced by a cart: kept, no stock
    assert ("black", "10") not in after  # referenced by nothing: removed
    again = run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [row]))
    assert (again.updated, again.unchanged) == (0, 1)


def test_missing_products_are_deactivated(uow_factory: UowFactory, tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE, KETTLE, TEE]))
    ids = product_ids(uow_factory)
    summary = run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [SHOE]))
    assert (summary.unchanged, summary.deactivated) == (1, 2)
    assert set(product_ids(uow_factory)) == {"RUN-1001"}
    assert set(product_ids(uow_factory, active=False)) == {"KIT-2001", "CLO-3001"}
    assert set(fts_rows(uow_factory)) == {ids["RUN-1001"]}
    # Listed again: active again, counted as updated, and back in the index.
    summary = run_import(uow_factory, write_jsonl(tmp_path / "c.jsonl", [SHOE, KETTLE]))
    assert (summary.updated, summary.unchanged, summary.deactivated) == (1, 1, 0)
    assert set(fts_rows(uow_factory)) == {ids["RUN-1001"], ids["KIT-2001"]}


def test_keep_missing_leaves_other_products_active(uow_factory: UowFactory, tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE, KETTLE]))
    summary = run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [TEE]), deactivate_missing=False)
    assert (summary.imported, summary.deactivated) == (1, 0)
    assert set(product_ids(uow_factory)) == {"RUN-1001", "KIT-2001", "CLO-3001"}


def test_a_file_without_valid_rows_deactivates_nothing(uow_factory: UowFactory, tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE, KETTLE]))
    summary = run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [{"sku": "X"}, {"name": "y"}]))
    assert (summary.imported, summary.deactivated, len(summary.rejected)) == (0, 0, 2)
    assert set(product_ids(uow_factory)) == {"RUN-1001", "KIT-2001"}


def test_full_text_index_follows_the_products(uow_factory: UowFactory, tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE, KETTLE]))
    ids = product_ids(uow_factory)
    assert fts_rows(uow_factory) == {ids["RUN-1001"]: SHOE["name"], ids["KIT-2001"]: KETTLE["name"]}
    run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [{**SHOE, "name": "Trailblazer 3"}, KETTLE]))
    assert fts_rows(uow_factory)[ids["RUN-1001"]] == "Trailblazer 3"
    with uow_factory() as uow:
        matches = uow.session.execute(text("SELECT rowid FROM products_fts WHERE products_fts MATCH 'waterproof'"))
        assert [r[0] for r in matches] == [ids["RUN-1001"]]


def test_rebuild_search_index_covers_products_added_directly(uow_factory: UowFactory,
                                                              add_product: Callable[..., str]) -> None:
    add_product("D-1", "Desk Lamp", category="home")
    assert fts_rows(uow_factory) == {}
    with uow_factory() as uow:
        assert rebuild_search_index(uow) == 1
        uow.commit()
    assert list(fts_rows(uow_factory).values()) == ["Desk Lamp"]


def test_a_failed_import_leaves_the_old_catalog(uow_factory: UowFactory, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE]))
    import store.catalog as catalog

    def crash(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(catalog, "_fts_add", crash)
    with pytest.raises(RuntimeError):
        run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [{**SHOE, "price": 1}, KETTLE]))
    with uow_factory() as uow:
        assert get_product("RUN-1001", uow).price == Decimal("89.99")
        assert uow.session.execute(select(func.count()).select_from(Product)).scalar_one() == 1


def test_row_without_stock_is_for_sale(uow_factory: UowFactory, tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [{"sku": "A", "name": "A", "category": "c",
                                                               "price": 1}]))
    with uow_factory() as uow:
        assert get_product("A", uow).stock == DEFAULT_STOCK


@pytest.mark.parametrize(("name", "content", "message"), [
    ("c.jsonl", b'{"sku": "A"}\x00\x00\x01\x02', "binary"),
    ("c.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("c.jsonl", '{"sku": "É"}'.encode("latin-1"), "not UTF-8"),
    ("c.xlsx", b"PK\x03\x04", "unsupported catalog file type '.xlsx'"),
    ("c.jsonl", b"", "has no products"),
    ("c.jsonl", b"\n\n  \n", "has no products"),
    ("c.jsonl", b"sku,name,category,price\nA,B,C,1\n", "not a JSON Lines catalog"),
    ("c.csv", b"sku,name\nA,B\n", "lacks required column(s) category, price"),
    ("c.csv", b"", "is empty"),
    ("c.json", b"[{broken", "not valid JSON"),
])
def test_unusable_files_raise_catalog_error(uow_factory: UowFactory, tmp_path: Path, name: str, content: bytes,
                                            message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_import(uow_factory, path)


def test_missing_file_raises_catalog_error(uow_factory: UowFactory, tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="not found"):
        run_import(uow_factory, tmp_path / "nope.jsonl")
    with pytest.raises(CatalogError, match="not a file"):
        run_import(uow_factory, tmp_path.joinpath("dir.jsonl").mkdir() or tmp_path / "dir.jsonl")


def test_json_array_file(uow_factory: UowFactory, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps([SHOE, {"sku": "bad"}]), encoding="utf-8")
    summary = run_import(uow_factory, path)
    assert summary.imported == 1
    assert summary.rejected[0].line == 2


def test_utf8_bom_and_windows_line_ends(uow_factory: UowFactory, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeffsku,name,category,price\r\nA-1,Crème Brûlée Torch,home,19.99\r\n".encode())
    summary = run_import(uow_factory, path)
    assert summary.imported == 1
    with uow_factory() as uow:
        assert get_product("A-1", uow).name == "Crème Brûlée Torch"


def test_twenty_thousand_products(uow_factory: UowFactory, tmp_path: Path) -> None:
    categories = ["shoes", "clothing", "electronics", "home & kitchen", "sports & outdoors", "beauty"]
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for number in range(20_000):
            row = {"sku": f"GEN-{number:05d}", "name": f"Generated product {number}", "brand": f"Brand {number % 50}",
                   "category": categories[number % 6], "price": f"{(number % 500) + 0.99:.2f}",
                   "colors": ["black", "white"], "sizes": ["S", "M", "L"], "stock": number % 7,
                   "tags": ["generated"], "description": f"Description of product {number}"}
            stream.write(json.dumps(row) + "\n")
    summary = run_import(uow_factory, path)
    assert (summary.imported, summary.rejected) == (20_000, [])
    with uow_factory() as uow:
        session = uow.session
        assert session.execute(select(func.count()).select_from(Variant)).scalar_one() == 120_000
        assert session.execute(text("SELECT count(*) FROM products_fts")).scalar_one() == 20_000
        product = get_product("GEN-12345", uow)
    assert product.price == Decimal("345.99") and product.stock == 6 * (12345 % 7)
    again = run_import(uow_factory, path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 20_000)


def test_vocabulary_lists_active_catalog_words(uow_factory: UowFactory, tmp_path: Path) -> None:
    rows = [SHOE, KETTLE, TEE, {**TEE, "sku": "CLO-3002", "name": "Tee Two", "brand": "loomly", "colors": ["White"],
                                    "sizes": ["S"]}]
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", rows))
    run_import(uow_factory, write_jsonl(tmp_path / "b.jsonl", [{"sku": "OLD", "name": "Old", "category": "retired",
                                                              "brand": "Gone", "price": 1}]),
               deactivate_missing=False)
    with uow_factory() as uow:
        uow.session.execute(Product.__table__.update().where(Product.sku == "OLD").values(active=False))
        uow.commit()
        vocabulary = catalog_vocabulary(uow)
    assert vocabulary.brands == ["Brewden", "Loomly", "Northpeak"]
    assert vocabulary.categories == ["clothing", "home & kitchen", "shoes"]
    assert vocabulary.subcategories == ["kettles", "running shoes", "T-Shirts"]
    assert vocabulary.colors == ["black", "blue", "copper", "steel", "white"]
    assert vocabulary.sizes == ["9", "10", "S", "M", "L"]
    assert vocabulary.product_names["Copper Kettle"] == "KIT-2001"
    assert "Old" not in vocabulary.product_names


def test_lookups_file_is_valid_rasa_training_data(uow_factory: UowFactory, tmp_path: Path) -> None:
    rows = [SHOE, KETTLE, TEE, {**TEE, "sku": "Q-1", "name": "Quoted", "brand": 'Yes: "No" #1', "category": "null",
                                "subcategory": "Home & Garden Tools"}]
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", rows))
    with uow_factory() as uow:
        vocabulary = catalog_vocabulary(uow)
    paths = write_training_lookups(vocabulary, tmp_path / "lookups")
    assert paths == [tmp_path / "lookups" / "catalog.yml", tmp_path / "lookups" / "catalog_vocabulary.json"]
    content = paths[0].read_text(encoding="utf-8")
    words = paths[1].read_text(encoding="utf-8")
    assert content.startswith("# Generated by `make import-catalog`")
    assert "do not edit" in content.lower()
    write_training_lookups(vocabulary, tmp_path / "lookups")
    assert paths[0].read_text(encoding="utf-8") == content  # deterministic
    assert paths[1].read_text(encoding="utf-8") == words

    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(paths[0]))
    tables = {table["name"]: table["elements"] for table in data.lookup_tables}
    assert tables["brand"] == ["Brewden", "Loomly", "Northpeak", 'Yes: "No" #1']
    assert tables["category"] == ["clothing", "Home & Garden Tools", "home & kitchen", "kettles", "null",
                                  "running shoes", "shoes", "T-Shirts"]
    assert tables["color"] == ["black", "blue", "copper", "steel", "white"]
    assert tables["size"] == ["9", "10", "S", "M", "L"]
    synonyms = data.entity_synonyms
    assert synonyms["running shoe"] == "running shoes"
    assert synonyms["home and kitchen"] == "home & kitchen"
    assert synonyms["t-shirt"] == "T-Shirts"
    assert synonyms["kettle"] == "kettles"
    assert synonyms["home and garden tools"] == "Home & Garden Tools"
    assert "shoe" not in synonyms or synonyms["shoe"] in ("shoes", "running shoes")


def test_vocabulary_file_lists_the_catalog_words_for_the_entity_component(uow_factory: UowFactory,
                                                                         tmp_path: Path) -> None:
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [SHOE, KETTLE, TEE]))
    with uow_factory() as uow:
        vocabulary = catalog_vocabulary(uow)
    paths = write_training_lookups(vocabulary, tmp_path / "lookups")
    document = json.loads(paths[1].read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert document["brand"] == ["Brewden", "Loomly", "Northpeak"]
    assert document["color"] == ["black", "blue", "copper", "steel", "white"]
    assert document["size"] == ["9", "10", "S", "M", "L"]
    assert "Copper Kettle" in document["product"]
    assert "running shoe" in document["category"]["running shoes"]
    assert document["category"]["shoes"] == ["shoe"]

    from rasa.shared.nlu.training_data.loading import UNK, guess_format

    assert guess_format(str(paths[1])) == UNK  # Rasa does not take it for training data


def test_price_bands_split_each_kind_of_product_in_thirds(uow_factory: UowFactory, tmp_path: Path) -> None:
    from store.lookups import price_bands

    kettles = [{**KETTLE, "sku": f"K-{i}", "name": f"Kettle {i}", "price": str(10 * i)} for i in range(1, 10)]
    run_import(uow_factory, write_jsonl(tmp_path / "a.jsonl", [*kettles, TEE]))
    with uow_factory() as uow:
        bands = price_bands(uow)
    assert bands["kettles"] == {"cheap_max": "30.00", "expensive_min": "70.00"}
    assert bands["home & kitchen"] == bands["kettles"]
    assert "clothing" not in bands  # one price: too few for a band of its own
    assert set(bands["*"]) == {"cheap_max", "expensive_min"}
