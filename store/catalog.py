"""Catalog import (JSON Lines or CSV, validated, upserted by SKU) and the vocabulary derived from it."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from store.config import get_settings
from store.db import FTS_TABLE
from store.errors import CatalogError
from store.models import CartItem, OrderLine, Product, Variant
from store.money import to_money
from store.types import ImportProblem, ImportSummary
from store.uow import UnitOfWork

# Units given to each colour/size combination of a row that says nothing about stock: a catalog
# without stock figures is a store that does not track inventory, so its products are for sale.
DEFAULT_STOCK = 100
MAX_VARIANTS = 2000
MAX_PRICE = Decimal("9999999999.99")  # Numeric(12, 2)

JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv")

_LIMITS = {"sku": 64, "name": 300, "brand": 120, "category": 120, "subcategory": 120, "color": 60, "size": 30,
           "image_url": 1000, "tag": 100}
_REQUIRED = ("sku", "name", "category", "price")
_CHUNK = 500
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")

_P = Product.__table__
_V = Variant.__table__


class RowError(ValueError):
    """A catalog row that cannot be imported; the message says why."""


@dataclass(frozen=True)
class CatalogRow:
    """One validated catalog row, ready to be written."""

    sku: str
    name: str
    category: str
    price: Decimal
    currency: str
    brand: str | None = None
    subcategory: str | None = None
    rating: Decimal | None = None
    description: str | None = None
    image_url: str | None = None
    tags: tuple[str, ...] = ()
    variants: tuple[tuple[str, str, int], ...] = (("", "", DEFAULT_STOCK),)  # (color, size, stock); '' = none

    def product_values(self) -> dict[str, object]:
        """The products-table columns of this row (tags as a list)."""
        return {"name": self.name, "brand": self.brand, "category": self.category, "subcategory": self.subcategory,
                "price": self.price, "currency": self.currency, "rating": self.rating,
                "description": self.description, "image_url": self.image_url, "tags": list(self.tags)}


@dataclass(frozen=True)
class Vocabulary:
    """The words of the catalog a shopper may use: distinct display values of active products."""

    brands: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    subcategories: list[str] = field(default_factory=list)
    colors: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)
    product_names: dict[str, str] = field(default_factory=dict)  # name -> sku


# ---------------------------------------------------------------------------------------------- row validation


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(value: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", value)).strip()


def _scalar_text(value: object, what: str) -> str:
    """A str from a str or a number (10 -> '10', 9.50 -> '9.5'); RowError for anything else."""
    if isinstance(value, bool) or value is None:
        raise RowError(f"{what} must be text, got {json.dumps(value)}")
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        number = Decimal(str(value))
        if not number.is_finite():
            raise RowError(f"{what} must be text, got {value}")
        if number == number.to_integral_value():
            return str(int(number))
        return format(number.normalize(), "f")
    raise RowError(f"{what} must be text, got a {_kind(value)}")


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "JSON object"
    if isinstance(value, (list, tuple)):
        return "list"
    return type(value).__name__


def _text_field(raw: Mapping[str, object], name: str, *, required: bool = False) -> str | None:
    value = raw.get(name)
    if _is_blank(value):
        if required:
            raise RowError(f"{name} is required")
        return None
    result = _scalar_text(value, name)
    if not result:
        if required:
            raise RowError(f"{name} is required")
        return None
    limit = _LIMITS.get(name)
    if limit and len(result) > limit:
        raise RowError(f"{name} is longer than {limit} characters")
    return result


def _number(value: object, what: str) -> Decimal:
    """A finite Decimal from a number or a numeric string; RowError otherwise."""
    if isinstance(value, bool):
        raise RowError(f"{what} must be a number, got {json.dumps(value)}")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        cleaned = value.strip().lstrip("$€£").strip().replace(" ", "")
        if _THOUSANDS.match(cleaned):
            cleaned = cleaned.replace(",", "")
        elif _DECIMAL_COMMA.match(cleaned):
            cleaned = cleaned.replace(",", ".")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise RowError(f"{what} must be a number, got {value!r}") from None
    else:
        raise RowError(f"{what} must be a number, got a {_kind(value)}")
    if not number.is_finite():
        raise RowError(f"{what} must be a finite number, got {value}")
    return number


def _price(raw: Mapping[str, object]) -> Decimal:
    value = raw.get("price")
    if _is_blank(value):
        raise RowError("price is required")
    number = _number(value, "price")
    if number < 0:
        raise RowError(f"price must be >= 0, got {number}")
    if number > MAX_PRICE:
        raise RowError(f"price {number} is too large")
    return to_money(number)


def _rating(raw: Mapping[str, object]) -> Decimal | None:
    value = raw.get("rating")
    if _is_blank(value):
        return None
    number = _number(value, "rating")
    if not Decimal(0) <= number <= Decimal(5):
        raise RowError(f"rating must be between 0 and 5, got {number}")
    return to_money(number)


def _stock(value: object, what: str = "stock") -> int:
    if isinstance(value, bool):
        raise RowError(f"{what} must be a whole number, got {json.dumps(value)}")
    try:
        number = _number(value, what)
    except RowError:
        raise RowError(f"{what} must be a whole number, got {value!r}") from None
    if number != number.to_integral_value():
        raise RowError(f"{what} must be a whole number, got {value}")
    if number < 0:
        raise RowError(f"{what} must be >= 0, got {number}")
    if number > 2_000_000_000:
        raise RowError(f"{what} {number} is too large")
    return int(number)


def _currency(raw: Mapping[str, object], default: str) -> str:
    value = raw.get("currency")
    if _is_blank(value):
        return default.upper()
    if not isinstance(value, str) or not _CURRENCY.match(value.strip()):
        raise RowError(f"currency must be a 3-letter code such as USD, got {value!r}")
    return value.strip().upper()


def _text_list(raw: Mapping[str, object], name: str, limit_key: str) -> list[str]:
    """A list field: a JSON list or text separated by '|'; de-duplicated case-insensitively."""
    value = raw.get(name)
    if _is_blank(value):
        return []
    if isinstance(value, str):
        items: Iterable[object] = value.split("|")
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        items = [value]
    result: list[str] = []
    seen: set[str] = set()
    for item in items:
        if _is_blank(item):
            continue
        entry = _scalar_text(item, f"each of {name}")
        limit = _LIMITS[limit_key]
        if len(entry) > limit:
            raise RowError(f"{name} entry {entry[:20]!r}... is longer than {limit} characters")
        if entry and entry.casefold() not in seen:
            seen.add(entry.casefold())
            result.append(entry)
    return result


def _variants(raw: Mapping[str, object]) -> tuple[tuple[str, str, int], ...]:
    row_stock = None if _is_blank(raw.get("stock")) else _stock(raw.get("stock"))
    listed = raw.get("variants")
    if isinstance(listed, str) and listed.strip():
        try:
            listed = json.loads(listed, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise RowError(f"variants is not valid JSON: {exc.msg}") from None
    if not _is_blank(listed) and listed != []:
        if not isinstance(listed, list):
            raise RowError(f"variants must be a list of {{color, size, stock}}, got a {_kind(listed)}")
        return _listed_variants(listed, row_stock)
    colors = _text_list(raw, "colors", "color") or [""]
    sizes = _text_list(raw, "sizes", "size") or [""]
    if len(colors) * len(sizes) > MAX_VARIANTS:
        raise RowError(f"too many colour/size combinations (more than {MAX_VARIANTS})")
    stock = DEFAULT_STOCK if row_stock is None else row_stock
    return tuple((color, size, stock) for color in colors for size in sizes)


def _listed_variants(listed: list[object], row_stock: int | None) -> tuple[tuple[str, str, int], ...]:
    if len(listed) > MAX_VARIANTS:
        raise RowError(f"too many variants (more than {MAX_VARIANTS})")
    result: list[tuple[str, str, int]] = []
    seen: set[tuple[str, str]] = set()
    for number, item in enumerate(listed, start=1):
        if not isinstance(item, Mapping):
            raise RowError(f"variant {number} must be an object with color, size and stock")
        item = {str(k).strip().lower(): v for k, v in item.items()}
        color = "" if _is_blank(item.get("color")) else _scalar_text(item["color"], f"variant {number} color")
        size = "" if _is_blank(item.get("size")) else _scalar_text(item["size"], f"variant {number} size")
        if len(color) > _LIMITS["color"]:
            raise RowError(f"variant {number} color is longer than {_LIMITS['color']} characters")
        if len(size) > _LIMITS["size"]:
            raise RowError(f"variant {number} size is longer than {_LIMITS['size']} characters")
        if _is_blank(item.get("stock")):
            stock = DEFAULT_STOCK if row_stock is None else row_stock
        else:
            stock = _stock(item["stock"], f"variant {number} stock")
        key = (color.casefold(), size.casefold())
        if key in seen:
            raise RowError(f"variant color={color or '-'} size={size or '-'} is listed twice")
        seen.add(key)
        result.append((color, size, stock))
    return tuple(result)


def parse_row(raw: Mapping[str, object], *, default_currency: str = "USD") -> CatalogRow:
    """Validate one catalog row (JSON object or CSV record); RowError with the reason when it is bad."""
    if not isinstance(raw, Mapping):
        raise RowError(f"expected a JSON object, got a {_kind(raw)}")
    raw = {str(key).strip().lower(): value for key, value in raw.items()}
    missing = [name for name in _REQUIRED if _is_blank(raw.get(name))]
    if missing:
        raise RowError(f"missing required field{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    sku = _text_field(raw, "sku", required=True)
    if isinstance(raw["sku"], (float, Decimal)):
        raise RowError(f"sku must be text, got the number {raw['sku']}")
    name = _text_field(raw, "name", required=True)
    category = _text_field(raw, "category", required=True)
    description = raw.get("description")
    if not _is_blank(description) and not isinstance(description, (str, int, Decimal)):
        raise RowError(f"description must be text, got a {_kind(description)}")
    return CatalogRow(
        sku=sku,
        name=name,
        category=category,
        price=_price(raw),
        currency=_currency(raw, default_currency),
        brand=_text_field(raw, "brand"),
        subcategory=_text_field(raw, "subcategory"),
        rating=_rating(raw),
        description=None if _is_blank(description) else _CONTROL.sub("", str(description)).strip(),
        image_url=_text_field(raw, "image_url"),
        tags=tuple(_text_list(raw, "tags", "tag")),
        variants=_variants(raw),
    )


# ---------------------------------------------------------------------------------------------- reading files


def _read_text(path: Path) -> str:
    if not path.exists():
        raise CatalogError(f"catalog file not found: {path}")
    if not path.is_file():
        raise CatalogError(f"not a file: {path}")
    suffix = path.suffix.lower()
    if suffix not in JSON_SUFFIXES + CSV_SUFFIXES:
        raise CatalogError(f"unsupported catalog file type {suffix or '(none)'!r} for {path.name}: "
                           "use JSON Lines (.jsonl) or CSV (.csv)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in data[:65536]:
        raise CatalogError(f"{path.name} is a binary file, not a JSON Lines or CSV catalog")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path.name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                           "save it as UTF-8") from None


def _json_rows(content: str, name: str) -> Iterator[tuple[int, object]]:
    """(line number, parsed object or ImportProblem) for every non-blank line."""
    stripped = content.lstrip()
    if stripped.startswith("["):  # a .json file holding one array of products
        try:
            items = json.loads(content, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise CatalogError(f"{name} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
        for number, item in enumerate(items, start=1):
            yield number, item
        return
    parsed_any = False
    problems: list[ImportProblem] = []
    for number, line in enumerate(content.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            value = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            problem = ImportProblem(number, f"invalid JSON: {exc.msg} (column {exc.colno})")
            if not parsed_any:
                problems.append(problem)
                continue
            yield number, problem
            continue
        if not parsed_any:
            parsed_any = True
            yield from ((p.line, p) for p in problems)
        yield number, value
    if not parsed_any and problems:
        first = problems[0]
        raise CatalogError(f"{name} is not a JSON Lines catalog: no line is JSON (line {first.line}: {first.reason})")


def _delimiter(header_line: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _csv_rows(content: str, name: str, suffix: str) -> Iterator[tuple[int, object]]:
    """(line number, dict or ImportProblem) for every non-blank CSV record."""
    csv.field_size_limit(16 * 1024 * 1024)
    first_line = next((line for line in content.split("\n") if line.strip()), "")
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=_delimiter(first_line, suffix))
    header: list[str] | None = None
    last_line = 0
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in record]
                duplicates = sorted({h for h in header if h and header.count(h) > 1})
                if duplicates:
                    raise CatalogError(f"{name}: the header repeats column(s) {', '.join(duplicates)}")
                missing = [column for column in _REQUIRED if column not in header]
                if missing:
                    raise CatalogError(f"{name}: the CSV header (line {start}) lacks required column(s) "
                                       f"{', '.join(missing)}; found: {', '.join(h for h in header if h)}")
                continue
            if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
                yield start, ImportProblem(start, f"row has {len(record)} fields but the header has {len(header)}")
                continue
            yield start, {column: cell for column, cell in zip(header, record, strict=False) if column}
    except csv.Error as exc:
        raise CatalogError(f"{name}: malformed CSV near line {reader.line_num}: {exc}") from None
    if header is None:
        raise CatalogError(f"{name} is empty")


def read_catalog(path: str | Path) -> Iterator[tuple[int, object]]:
    """(1-based line number, raw row or ImportProblem) for each row; CatalogError if the file is unusable."""
    path = Path(path)
    content = _read_text(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _csv_rows(content, path.name, suffix)
    return _json_rows(content, path.name)


# ---------------------------------------------------------------------------------------------- full-text index


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fts_values(product_id: int, values: Mapping[str, object]) -> dict[str, object]:
    return {"rowid": product_id, "name": values["name"], "brand": values.get("brand") or "",
            "category": values["category"], "subcategory": values.get("subcategory") or "",
            "tags": " ".join(values.get("tags") or []), "description": values.get("description") or ""}


def _fts_remove(session: Session, product_ids: Iterable[int]) -> None:
    params = [{"rowid": pid} for pid in product_ids]
    if params:
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :rowid"), params)


def _fts_add(session: Session, rows: list[dict[str, object]]) -> None:
    if rows:
        session.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, name, brand, category, subcategory, tags, description) "
                             "VALUES (:rowid, :name, :brand, :category, :subcategory, :tags, :description)"), rows)


def rebuild_search_index(uow: UnitOfWork) -> int:
    """Re-create the SQLite full-text index from the active products (no-op elsewhere); returns rows indexed.

    The caller commits. Use it after writing products without `import_catalog` (tests, scripts).
    """
    session = uow.session
    if not _is_sqlite(session):
        return 0
    return _rebuild_index(session)


def _rebuild_index(session: Session) -> int:
    session.execute(text(f"DELETE FROM {FTS_TABLE}"))
    stmt = select(_P.c.id, _P.c.name, _P.c.brand, _P.c.category, _P.c.subcategory, _P.c.tags,
                  _P.c.description).where(_P.c.active.is_(True))
    rows = [_fts_values(r.id, r._mapping) for r in session.execute(stmt)]
    for start in range(0, len(rows), 2000):
        _fts_add(session, rows[start:start + 2000])
    return len(rows)


def search_index_in_sync(session: Session) -> bool:
    """True when the full-text index holds exactly as many rows as there are active products."""
    indexed = session.execute(text(f"SELECT count(*) FROM {FTS_TABLE}")).scalar_one()
    active = session.execute(select(func.count()).select_from(_P).where(_P.c.active.is_(True))).scalar_one()
    return indexed == active


def ensure_search_index(session: Session) -> bool:
    """Rebuild the SQLite full-text index when it is out of step with the products; True if rebuilt."""
    if not _is_sqlite(session) or search_index_in_sync(session):
        return False
    _rebuild_index(session)
    return True


# ---------------------------------------------------------------------------------------------- import


@dataclass
class _Existing:
    id: int
    active: bool
    values: dict[str, object]
    variants: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (color, size) -> (id, stock)


def _same(old: object, new: object) -> bool:
    if isinstance(new, Decimal) and old is not None:
        try:
            return Decimal(str(old)) == new
        except InvalidOperation:
            return False
    if isinstance(new, list):
        return list(old or []) == new
    return old == new


def _load_existing(session: Session) -> dict[str, _Existing]:
    fields = ("name", "brand", "category", "subcategory", "price", "currency", "rating", "description",
              "image_url", "tags")
    columns = [_P.c.id, _P.c.sku, _P.c.active] + [_P.c[name] for name in fields]
    existing: dict[str, _Existing] = {}
    by_id: dict[int, _Existing] = {}
    for row in session.execute(select(*columns)):
        entry = _Existing(id=row.id, active=bool(row.active), values={name: row._mapping[name] for name in fields})
        existing[row.sku] = entry
        by_id[row.id] = entry
    for vid, pid, color, size, stock in session.execute(select(_V.c.id, _V.c.product_id, _V.c.color, _V.c.size,
                                                               _V.c.stock)):
        if pid in by_id:
            by_id[pid].variants[(color or "", size or "")] = (vid, stock)
    return existing


def _referenced_variants(session: Session, variant_ids: list[int]) -> set[int]:
    referenced: set[int] = set()
    for start in range(0, len(variant_ids), _CHUNK):
        chunk = variant_ids[start:start + _CHUNK]
        referenced.update(session.execute(select(CartItem.variant_id).where(CartItem.variant_id.in_(chunk))).scalars())
        referenced.update(session.execute(select(OrderLine.variant_id).where(OrderLine.variant_id.in_(chunk))).scalars())
    return referenced


def _validated_rows(path: Path, default_currency: str, progress: bool) -> tuple[list[CatalogRow], list[ImportProblem]]:
    rows: list[CatalogRow] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    entries = read_catalog(path)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(entries, desc=f"reading {path.name}", unit=" rows", file=sys.stderr, leave=False)
        entries = bar
    total = 0
    for line, raw in entries:
        total += 1
        if isinstance(raw, ImportProblem):
            problems.append(raw)
            continue
        try:
            row = parse_row(raw, default_currency=default_currency)
        except RowError as exc:
            problems.append(ImportProblem(line, str(exc)))
            continue
        key = row.sku.casefold()
        if key in seen:
            problems.append(ImportProblem(line, f"duplicate sku {row.sku!r} (first on line {seen[key]})"))
            continue
        seen[key] = line
        rows.append(row)
    if bar is not None:
        bar.close()
    if total == 0:
        raise CatalogError(f"{path.name} has no products")
    return rows, problems


def import_catalog(path: str | Path, uow: UnitOfWork, *, deactivate_missing: bool = True,
                   progress: bool = False) -> ImportSummary:
    """Validate and upsert a JSON Lines or CSV catalog by SKU in one transaction; returns what changed."""
    path = Path(path)
    rows, problems = _validated_rows(path, get_settings().currency, progress)
    session = uow.session
    existing = _load_existing(session)
    sqlite = _is_sqlite(session)

    new_rows: list[CatalogRow] = []
    product_updates: list[dict[str, object]] = []
    stock_updates: list[dict[str, int]] = []
    variant_inserts: list[dict[str, object]] = []
    ghost_variants: list[int] = []
    reindex: list[dict[str, object]] = []
    updated = unchanged = 0

    for row in rows:
        old = existing.get(row.sku)
        if old is None:
            new_rows.append(row)
            continue
        values = row.product_values()
        fields_changed = not old.active or any(not _same(old.values[k], v) for k, v in values.items())
        variants_changed = False
        wanted = {(color, size): stock for color, size, stock in row.variants}
        for key, stock in wanted.items():
            if key not in old.variants:
                variant_inserts.append({"product_id": old.id, "color": key[0], "size": key[1], "stock": stock})
                variants_changed = True
            elif old.variants[key][1] != stock:
                stock_updates.append({"v_id": old.variants[key][0], "v_stock": stock})
                variants_changed = True
        for key, (vid, stock) in old.variants.items():
            if key not in wanted:
                ghost_variants.append(vid)
                variants_changed = variants_changed or stock != 0
        if fields_changed:
            product_updates.append({"p_id": old.id, "p_active": True, **{f"p_{k}": v for k, v in values.items()}})
            reindex.append(_fts_values(old.id, values))
        if fields_changed or variants_changed:
            updated += 1
        else:
            unchanged += 1

    # Variants no longer listed: delete those nothing refers to, keep the others with no stock.
    if ghost_variants:
        referenced = _referenced_variants(session, ghost_variants)
        doomed = [vid for vid in ghost_variants if vid not in referenced]
        for start in range(0, len(doomed), _CHUNK):
            session.execute(delete(_V).where(_V.c.id.in_(doomed[start:start + _CHUNK])))
        stock_updates.extend({"v_id": vid, "v_stock": 0} for vid in ghost_variants if vid in referenced)

    if product_updates:
        assignments = {name: bindparam(f"p_{name}") for name in ("active", *rows[0].product_values())}
        session.execute(update(_P).where(_P.c.id == bindparam("p_id")).values(**assignments), product_updates)
    if stock_updates:
        session.execute(update(_V).where(_V.c.id == bindparam("v_id")).values(stock=bindparam("v_stock")),
                        stock_updates)

    # New products, then their variants (ids read back by SKU in chunks).
    for start in range(0, len(new_rows), _CHUNK):
        chunk = new_rows[start:start + _CHUNK]
        session.execute(insert(_P), [{"sku": r.sku, "active": True, **r.product_values()} for r in chunk])
        ids = dict(session.execute(select(_P.c.sku, _P.c.id).where(_P.c.sku.in_([r.sku for r in chunk]))).all())
        for r in chunk:
            variant_inserts.extend({"product_id": ids[r.sku], "color": c, "size": s, "stock": n}
                                   for c, s, n in r.variants)
            reindex.append(_fts_values(ids[r.sku], r.product_values()))
    for start in range(0, len(variant_inserts), 5000):
        session.execute(insert(_V), variant_inserts[start:start + 5000])

    # Products of the previous catalog that the file no longer lists.
    deactivated_ids: list[int] = []
    if deactivate_missing and rows:
        listed = {r.sku for r in rows}
        deactivated_ids = [old.id for sku, old in existing.items() if old.active and sku not in listed]
        for start in range(0, len(deactivated_ids), _CHUNK):
            session.execute(update(_P).where(_P.c.id.in_(deactivated_ids[start:start + _CHUNK])).values(active=False))

    if sqlite:
        _fts_remove(session, [entry["rowid"] for entry in reindex] + deactivated_ids)
        _fts_add(session, reindex)
        ensure_search_index(session)
    uow.commit()
    return ImportSummary(imported=len(new_rows), updated=updated, unchanged=unchanged, rejected=problems,
                         deactivated=len(deactivated_ids))


# ---------------------------------------------------------------------------------------------- vocabulary

_APPAREL_SIZES = ["XXXS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "2XL", "3XL", "4XL", "5XL"]


def size_sort_key(size: str) -> tuple[int, float, str]:
    """Numbers first (numerically), then XS..XXL in wearing order, then the rest alphabetically."""
    try:
        return (0, float(size.replace(",", ".")), size)
    except ValueError:
        pass
    upper = size.upper()
    if upper in _APPAREL_SIZES:
        return (1, float(_APPAREL_SIZES.index(upper)), size)
    return (2, 0.0, size.casefold())


def _distinct(counted: Iterable[tuple[str | None, int]]) -> list[str]:
    """Distinct non-blank values compared case-insensitively, each spelled as most rows spell it."""
    spellings: dict[str, Counter[str]] = {}
    for value, count in counted:
        if value and value.strip():
            spellings.setdefault(value.strip().casefold(), Counter())[value.strip()] += count
    chosen = [min(counter.items(), key=lambda item: (-item[1], item[0]))[0] for counter in spellings.values()]
    return sorted(chosen, key=lambda v: (v.casefold(), v))


def _counted(session: Session, column: object, *, variants: bool = False) -> list[tuple[str | None, int]]:
    stmt = select(column, func.count()).where(_P.c.active.is_(True)).group_by(column)
    if variants:
        stmt = stmt.select_from(_V.join(_P, _P.c.id == _V.c.product_id))
    return [(value, count) for value, count in session.execute(stmt)]


def catalog_vocabulary(uow: UnitOfWork) -> Vocabulary:
    """Brands, categories, subcategories, colours, sizes and product names of the active catalog."""
    session = uow.session
    names: dict[str, str] = {}
    for name, sku in session.execute(select(_P.c.name, _P.c.sku).where(_P.c.active.is_(True)).order_by(_P.c.sku)):
        names.setdefault(name, sku)
    return Vocabulary(
        brands=_distinct(_counted(session, _P.c.brand)),
        categories=_distinct(_counted(session, _P.c.category)),
        subcategories=_distinct(_counted(session, _P.c.subcategory)),
        colors=_distinct(_counted(session, _V.c.color, variants=True)),
        sizes=sorted(_distinct(_counted(session, _V.c.size, variants=True)), key=size_sort_key),
        product_names=names,
    )
