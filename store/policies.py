"""Store policies from `store_policies.yml`: return window, shipping methods, contact, FAQ answers and search
synonyms."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from store.config import get_settings
from store.money import format_money, to_money
from store.synonyms import SynonymsError, parse_groups
from store.types import ShippingMethod

FAQ_KEYS = ("shipping", "returns_policy", "payment_methods", "contact", "warranty", "size_guide")

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
_CODE = re.compile(r"^[a-z][a-z0-9_-]{0,29}$")
# Words that say "shipping" without saying which method.
_GENERIC_WORDS = frozenset(
    "a an the one please i id i'd like want take choose pick go with use shipping ship delivery deliver "
    "option method service by via for me my it that this".split()
)
_NUMBER_WORDS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}


class PoliciesError(ValueError):
    """The policies file is missing, unreadable or malformed; the message says where."""


@dataclass(frozen=True)
class ContactInfo:
    """How shoppers reach a person."""

    email: str
    phone: str
    hours: str


@dataclass(frozen=True)
class Warranty:
    """The store's product warranty."""

    months: int
    covers: str
    excludes: str


@dataclass(frozen=True)
class Policies:
    """Everything in `store_policies.yml`, typed; `faq` holds the rendered answers."""

    store_name: str
    currency: str
    return_window_days: int
    return_condition: str
    refund_days: str
    shipping_methods: tuple[ShippingMethod, ...]
    contact: ContactInfo
    payment_methods: tuple[str, ...]
    warranty: Warranty
    faq: dict[str, str] = field(default_factory=dict)
    shipping_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # method code -> words
    synonyms: tuple[tuple[str, ...], ...] = ()  # the store's own search synonym groups, beside the default table
    source: Path | None = None

    def shipping_method(self, code: str) -> ShippingMethod | None:
        """The method with exactly this code (case-insensitive), or None."""
        code = (code or "").strip().lower()
        return next((m for m in self.shipping_methods if m.code == code), None)


_cache: dict[Path, tuple[int, Policies]] = {}
_cache_lock = threading.Lock()


def load_policies(path: Path | None = None) -> Policies:
    """The policies in `path` (default: settings.policies_file), cached until the file changes."""
    path = Path(path or get_settings().policies_file).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise PoliciesError(f"{path}: cannot read the store policies file ({exc.strerror})") from exc
    with _cache_lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
    policies = _parse_file(path)
    with _cache_lock:
        _cache[path] = (mtime, policies)
    return policies


def clear_policies_cache() -> None:
    """Forget every loaded policies file (tests, or after editing a file in place)."""
    with _cache_lock:
        _cache.clear()


def faq_answer(key: str, policies: Policies | None = None) -> str | None:
    """The shopper-facing answer for an FAQ key ('shipping' or 'faq/shipping'); None for an unknown key."""
    key = (key or "").strip().lower()
    if key.startswith("faq/"):
        key = key[len("faq/"):]
    return (policies or load_policies()).faq.get(key)


def shipping_methods(policies: Policies | None = None) -> list[ShippingMethod]:
    """The store's shipping methods in the order the file lists them."""
    return list((policies or load_policies()).shipping_methods)


def find_shipping_method(text: str, policies: Policies | None = None) -> ShippingMethod | None:
    """The method a shopper means ('express', 'Standard shipping', 'the fast one', '2'); None if unclear."""
    policies = policies or load_policies()
    methods = policies.shipping_methods
    cleaned = _normalise(text)
    if not cleaned or not methods:
        return None
    for method in methods:
        if cleaned in (_normalise(method.code), _normalise(method.name)):
            return method
    words = cleaned.split()
    if len(words) == 1 and words[0].isdigit() and 1 <= int(words[0]) <= len(methods):
        return methods[int(words[0]) - 1]
    padded = f" {cleaned} "
    matches = [m for m in methods if any(f" {k} " in padded for k in _keywords(m, policies))]
    if len(matches) == 1:
        return matches[0]
    if matches:
        return None
    ordinals = [_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS]
    if len(ordinals) == 1 and ordinals[0] <= len(methods):
        return methods[ordinals[0] - 1]
    return _fuzzy_match(words, methods, policies)


def _normalise(text: str) -> str:
    text = (text or "").lower().replace("-", " ").replace("’", "'")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def _keywords(method: ShippingMethod, policies: Policies) -> list[str]:
    name_words = [w for w in _normalise(method.name).split() if w not in _GENERIC_WORDS]
    aliases = [_normalise(a) for a in policies.shipping_aliases.get(method.code, ())]
    return [k for k in [_normalise(method.code), _normalise(method.name), *name_words, *aliases] if k]


def _fuzzy_match(words: list[str], methods: tuple[ShippingMethod, ...], policies: Policies) -> ShippingMethod | None:
    from rapidfuzz import fuzz

    found: set[str] = set()
    for method in methods:
        keywords = [k for k in _keywords(method, policies) if " " not in k and len(k) >= 4]
        if any(len(w) >= 4 and fuzz.ratio(w, k) >= 80 for w in words for k in keywords):
            found.add(method.code)
    if len(found) == 1:
        return policies.shipping_method(found.pop())
    return None


# ----------------------------------------------------------------------------- parsing


def _parse_file(path: Path) -> Policies:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PoliciesError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PoliciesError(f"{path}: cannot read the store policies file: {exc}") from exc
    if not isinstance(raw, dict):
        raise PoliciesError(f"{path}: expected a mapping of settings at the top level")
    try:
        return _build(raw, path)
    except PoliciesError as exc:
        raise PoliciesError(f"{path}: {exc}") from None


def _text(data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value is None or isinstance(value, (dict, list, bool)) or not str(value).strip():
        raise PoliciesError(f"{where}{key} must be a non-empty text")
    return str(value).strip()


def _int(data: dict[str, Any], key: str, where: str, default: int | None = None, minimum: int = 0) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PoliciesError(f"{where}{key} must be a whole number >= {minimum}, got {value!r}")
    return value


def _money(value: object, where: str) -> Decimal:
    try:
        amount = to_money(value)
    except ValueError:
        raise PoliciesError(f"{where} must be an amount like \"4.99\", got {value!r}") from None
    if amount < 0:
        raise PoliciesError(f"{where} must not be negative, got {value!r}")
    return amount


def _section(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise PoliciesError(f"{key} must be a mapping")
    return value


def _shipping(raw: dict[str, Any]) -> tuple[tuple[ShippingMethod, ...], dict[str, tuple[str, ...]]]:
    entries = raw.get("shipping_methods")
    if not isinstance(entries, list) or not entries:
        raise PoliciesError("shipping_methods must be a non-empty list")
    methods: list[ShippingMethod] = []
    aliases: dict[str, tuple[str, ...]] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"shipping_methods[{index}]."
        if not isinstance(entry, dict):
            raise PoliciesError(f"shipping_methods[{index}] must be a mapping")
        code = _text(entry, "code", where).lower()
        if not _CODE.match(code):
            raise PoliciesError(f"{where}code {code!r} must be a short lower-case word (letters, digits, - or _)")
        if code in aliases:
            raise PoliciesError(f"{where}code {code!r} is listed twice")
        free_over = entry.get("free_over")
        min_days = _int(entry, "min_days", where)
        max_days = _int(entry, "max_days", where)
        if max_days < min_days:
            raise PoliciesError(f"{where}max_days must be >= min_days")
        methods.append(ShippingMethod(
            code=code,
            name=_text(entry, "name", where),
            price=_money(entry.get("price"), f"{where}price"),
            free_over=None if free_over is None else _money(free_over, f"{where}free_over"),
            min_days=min_days,
            max_days=max_days,
        ))
        extra = entry.get("aliases") or []
        if not isinstance(extra, list) or not all(isinstance(a, (str, int)) for a in extra):
            raise PoliciesError(f"{where}aliases must be a list of words")
        aliases[code] = tuple(str(a).strip().lower() for a in extra if str(a).strip())
    return tuple(methods), aliases


def _synonyms(raw: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    search = raw.get("search") or {}
    if not isinstance(search, dict):
        raise PoliciesError("search must be a mapping")
    unknown = sorted(set(search) - {"synonyms"})
    if unknown:
        raise PoliciesError(f"search has unknown settings: {', '.join(map(str, unknown))}; known: synonyms")
    try:
        return parse_groups(search.get("synonyms"), "search.synonyms")
    except SynonymsError as exc:
        raise PoliciesError(str(exc)) from None


def _build(raw: dict[str, Any], path: Path) -> Policies:
    settings = get_settings()
    methods, aliases = _shipping(raw)
    returns = raw.get("returns") or {}
    if not isinstance(returns, dict):
        raise PoliciesError("returns must be a mapping")
    contact_raw = _section(raw, "contact")
    warranty_raw = _section(raw, "warranty")
    payments = raw.get("payment_methods")
    if not isinstance(payments, list) or not payments or not all(isinstance(p, str) and p.strip() for p in payments):
        raise PoliciesError("payment_methods must be a non-empty list of texts")
    faq_raw = raw.get("faq") or {}
    if not isinstance(faq_raw, dict):
        raise PoliciesError("faq must be a mapping of key: answer")

    policies = Policies(
        store_name=_text(raw, "store_name", ""),
        currency=_text(raw, "currency", "", settings.currency).upper(),
        return_window_days=_int(raw, "return_window_days", "", settings.return_window_days),
        return_condition=_text(returns, "condition", "returns.", "unused and in the original packaging"),
        refund_days=_text(returns, "refund_days", "returns.", "5-10"),
        shipping_methods=methods,
        contact=ContactInfo(
            email=_text(contact_raw, "email", "contact."),
            phone=_text(contact_raw, "phone", "contact."),
            hours=_text(contact_raw, "hours", "contact."),
        ),
        payment_methods=tuple(p.strip() for p in payments),
        warranty=Warranty(
            months=_int(warranty_raw, "months", "warranty."),
            covers=_text(warranty_raw, "covers", "warranty."),
            excludes=_text(warranty_raw, "excludes", "warranty.", "misuse and accidental damage"),
        ),
        shipping_aliases=aliases,
        synonyms=_synonyms(raw),
        source=path,
    )
    values = _placeholder_values(policies)
    answers: dict[str, str] = {}
    for key, template in faq_raw.items():
        if not isinstance(template, str) or not template.strip():
            raise PoliciesError(f"faq.{key} must be a non-empty text")
        answers[str(key).strip().lower()] = _render(template.strip(), values, f"faq.{key}")
    return replace(policies, faq=answers)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _days(method: ShippingMethod) -> str:
    if method.min_days == method.max_days:
        return f"{method.max_days} business day{'s' if method.max_days != 1 else ''}"
    return f"{method.min_days}-{method.max_days} business days"


def _placeholder_values(policies: Policies) -> dict[str, str]:
    currency = policies.currency
    rows = []
    for m in policies.shipping_methods:
        price = "free" if m.price == 0 else format_money(m.price, currency)
        free = f" (free on orders of {format_money(m.free_over, currency)} or more)" if m.free_over is not None else ""
        rows.append(f"- {m.name}: {price}, {_days(m)}{free}")
    thresholds = [m.free_over for m in policies.shipping_methods if m.free_over is not None]
    fastest = min(policies.shipping_methods, key=lambda m: (m.max_days, m.min_days))
    return {
        "store_name": policies.store_name,
        "currency": currency,
        "return_window_days": str(policies.return_window_days),
        "return_condition": policies.return_condition,
        "refund_days": policies.refund_days,
        "shipping_table": "\n".join(rows),
        "shipping_methods": _join([m.name for m in policies.shipping_methods]),
        "free_shipping_threshold": format_money(min(thresholds), currency) if thresholds else "no threshold",
        "fastest_method": f"{fastest.name} ({_days(fastest)})",
        "contact_email": policies.contact.email,
        "contact_phone": policies.contact.phone,
        "contact_hours": policies.contact.hours,
        "payment_methods": _join(list(policies.payment_methods)),
        "warranty_months": str(policies.warranty.months),
        "warranty_covers": policies.warranty.covers,
        "warranty_excludes": policies.warranty.excludes,
    }


def _render(template: str, values: dict[str, str], where: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name not in values:
            raise PoliciesError(f"{where} uses an unknown placeholder {{{name}}}; known: {', '.join(sorted(values))}")
        return values[name]

    return _PLACEHOLDER.sub(substitute, template)
