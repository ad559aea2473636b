"""Cart and coupon services on a real SQLite database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from store.cart import (
    add_item,
    apply_coupon,
    clear_cart,
    count_items,
    get_cart,
    remove_coupon,
    remove_item,
    set_quantity,
)
from store.errors import (
    CartEmpty,
    CouponInvalid,
    InvalidQuantity,
    NotInCart,
    OutOfStock,
    UnknownProduct,
    UnknownVariant,
    VariantRequired,
)
from store.models import Cart, Coupon, Product, Variant
from store.promotions import create_coupon, load_coupon
from store.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
AddProduct = Callable[..., str]
NOW = dt.datetime(2024, 6, 15, 12, 0)
SHOE_VARIANTS = [("black", "9", 3), ("black", "10", 0), ("blue", "9", 2), ("blue", "10", 1)]


@pytest.fixture
def shop(add_product: AddProduct) -> None:
    add_product("MUG-1", "Coffee Mug", category="home & kitchen", price="12.50", stock=10)
    add_product("RUN-1", "Trail Runner", price="89.99", variants=SHOE_VARIANTS)
    add_product("TEE-1", "Basic Tee", category="clothing", price="15.00",
                variants=[("white", "S", 4), ("white", "M", 4), ("white", "XL", 0)])
    add_product("CAP-1", "Cap", category="clothing", price="9.99", variants=[("red", "", 5)])


def coupon(uow_factory: UowFactory, code: str, kind: str = "percent", value: str = "10", **kwargs: object) -> None:
    with uow_factory() as uow:
        create_coupon(uow, code, kind, Decimal(value), **kwargs)


def test_a_new_sender_has_an_empty_cart(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        cart = get_cart("nobody", uow)
    assert cart.is_empty and cart.items == []
    assert (cart.subtotal, cart.discount, cart.total) == (Decimal("0.00"),) * 3
    assert cart.currency == "USD" and cart.coupon is None


def test_add_item_computes_totals_from_the_database(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        cart = add_item("s1", "MUG-1", 2, uow)
    assert [(i.sku, i.name, i.quantity, i.unit_price, i.color, i.size) for i in cart.items] == [
        ("MUG-1", "Coffee Mug", 2, Decimal("12.50"), None, None)]
    assert cart.subtotal == Decimal("25.00") and cart.total == Decimal("25.00") and cart.discount == Decimal("0.00")
    with uow_factory() as uow:  # committed: a new unit of work sees it
        assert get_cart("s1", uow).subtotal == Decimal("25.00")
        assert count_items("s1", uow) == 2


def test_adding_the_same_variant_again_adds_up(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "RUN-1", 1, uow, color="blue", size="9")
        cart = add_item("s1", "run-1", "1", uow, color="Blue", size="9")
    assert len(cart.items) == 1 and cart.items[0].quantity == 2
    assert cart.subtotal == Decimal("179.98")


def test_carts_belong_to_their_sender(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 1, uow)
        add_item("s2", "CAP-1", 1, uow)
        assert [i.sku for i in get_cart("s1", uow).items] == ["MUG-1"]
        assert [i.sku for i in get_cart("s2", uow).items] == ["CAP-1"]
        assert uow.session.execute(select(Cart).where(Cart.sender_id == "s1")).scalars().all().__len__() == 1


@pytest.mark.parametrize(("quantity", "units"), [(3, 3), (3.0, 3), ("3", 3), (" 3 ", 3), ("3.0", 3), ("three", 3),
                                                 (Decimal("3"), 3), (20, 20)])
def test_quantity_forms_are_accepted(uow_factory: UowFactory, add_product: AddProduct, quantity: object,
                                     units: int) -> None:
    add_product("BIG-1", stock=100)
    with uow_factory() as uow:
        assert add_item("s1", "BIG-1", quantity, uow).items[0].quantity == units


@pytest.mark.parametrize("quantity", [0, -1, 2.5, "2.5", "abc", "", None, True, 21, "1e400x", float("nan")])
def test_invalid_quantities_are_refused(uow_factory: UowFactory, add_product: AddProduct, quantity: object) -> None:
    add_product("BIG-1", stock=100)
    with uow_factory() as uow, pytest.raises(InvalidQuantity):
        add_item("s1", "BIG-1", quantity, uow)
    with uow_factory() as uow:
        assert get_cart("s1", uow).is_empty


def test_cart_line_cannot_exceed_the_maximum_quantity(uow_factory: UowFactory, add_product: AddProduct) -> None:
    add_product("BIG-1", stock=100)
    with uow_factory() as uow:
        add_item("s1", "BIG-1", 15, uow)
        with pytest.raises(InvalidQuantity):
            add_item("s1", "BIG-1", 6, uow)
        assert get_cart("s1", uow).items[0].quantity == 15


def test_unknown_and_inactive_products_are_refused(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        uow.session.execute(update(Product).where(Product.sku == "CAP-1").values(active=False))
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(UnknownProduct) as err:
            add_item("s1", "NOPE-9", 1, uow)
        assert err.value.reference == "NOPE-9"
        with pytest.raises(UnknownProduct):
            add_item("s1", "CAP-1", 1, uow)


def test_variant_required_lists_in_stock_options(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        with pytest.raises(VariantRequired) as err:
            add_item("s1", "RUN-1", 1, uow)
        assert err.value.missing == ["color", "size"]
        assert err.value.options == {"color": ["black", "blue"], "size": ["9", "10"]}
        with pytest.raises(VariantRequired) as err:
            add_item("s1", "RUN-1", 1, uow, color="black")
        assert err.value.missing == ["size"]
        assert err.value.options == {"size": ["9"]}  # black 10 is sold out
        with pytest.raises(VariantRequired) as err:
            add_item("s1", "RUN-1", 1, uow, size="10")
        assert err.value.missing == ["color"] and err.value.options == {"color": ["blue"]}
        with pytest.raises(VariantRequired) as err:
            add_item("s1", "TEE-1", 1, uow)
        assert err.value.missing == ["size"] and err.value.options == {"size": ["S", "M"]}
        assert get_cart("s1", uow).is_empty


def test_a_single_colour_is_chosen_for_the_shopper(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        cart = add_item("s1", "CAP-1", 1, uow)
        assert (cart.items[0].color, cart.items[0].size) == ("red", None)
        cart = add_item("s1", "TEE-1", 1, uow, size="m")
        assert (cart.items[-1].color, cart.items[-1].size) == ("white", "M")


@pytest.mark.parametrize(("color", "size", "expected"), [("BLACK", "9", ("black", "9")), ("Blue", "9.0", ("blue", "9")),
                                                        (" blue ", "10", ("blue", "10"))])
def test_variant_values_match_case_insensitively(uow_factory: UowFactory, shop: None, color: str, size: str,
                                                 expected: tuple[str, str]) -> None:
    with uow_factory() as uow:
        line = add_item("s1", "RUN-1", 1, uow, color=color, size=size).items[0]
    assert (line.color, line.size) == expected


def test_size_words_match_letter_sizes(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        assert add_item("s1", "TEE-1", 1, uow, size="small").items[0].size == "S"
        assert add_item("s1", "TEE-1", 1, uow, size="Medium").items[-1].size == "M"


def test_unknown_variants_are_refused(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        with pytest.raises(UnknownVariant) as err:
            add_item("s1", "RUN-1", 1, uow, color="green", size="9")
        assert err.value.color == "green" and err.value.options["color"] == ["black", "blue"]
        with pytest.raises(UnknownVariant) as err:
            add_item("s1", "RUN-1", 1, uow, color="blue", size="12")
        assert err.value.size == "12" and err.value.options["size"] == ["9", "10"]
        with pytest.raises(UnknownVariant):
            add_item("s1", "MUG-1", 1, uow, color="red")
        with pytest.raises(UnknownVariant):
            add_item("s1", "CAP-1", 1, uow, size="L")


def test_a_combination_that_does_not_exist_is_unknown(uow_factory: UowFactory, add_product: AddProduct) -> None:
    add_product("JKT-1", variants=[("red", "M", 2), ("green", "L", 2)])
    with uow_factory() as uow, pytest.raises(UnknownVariant) as err:
        add_item("s1", "JKT-1", 1, uow, color="red", size="L")
    assert err.value.options == {"color": ["red", "green"], "size": ["M", "L"]}


def test_out_of_stock_reports_what_is_available(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        with pytest.raises(OutOfStock) as err:
            add_item("s1", "RUN-1", 1, uow, color="black", size="10")
        assert (err.value.sku, err.value.available, err.value.color, err.value.size) == ("RUN-1", 0, "black", "10")
        add_item("s1", "RUN-1", 2, uow, color="black", size="9")
        with pytest.raises(OutOfStock) as err:
            add_item("s1", "RUN-1", 2, uow, color="black", size="9")
        assert err.value.available == 3
        assert get_cart("s1", uow).items[0].quantity == 2


def test_nothing_in_stock_is_out_of_stock_not_a_question(uow_factory: UowFactory, add_product: AddProduct) -> None:
    add_product("GONE-1", variants=[("red", "S", 0), ("blue", "S", 0)])
    with uow_factory() as uow, pytest.raises(OutOfStock) as err:
        add_item("s1", "GONE-1", 1, uow)
    assert err.value.available == 0


def test_remove_item(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 1, uow)
        add_item("s1", "RUN-1", 1, uow, color="blue", size="9")
        add_item("s1", "RUN-1", 1, uow, color="blue", size="10")
        cart = remove_item("s1", "RUN-1", uow, size="10")
        assert [(i.sku, i.size) for i in cart.items] == [("MUG-1", None), ("RUN-1", "9")]
        cart = remove_item("s1", "run-1", uow)
        assert [i.sku for i in cart.items] == ["MUG-1"] and cart.subtotal == Decimal("12.50")
        with pytest.raises(NotInCart) as err:
            remove_item("s1", "RUN-1", uow)
        assert err.value.reference == "RUN-1"
        with pytest.raises(NotInCart):
            remove_item("s1", "MUG-1", uow, color="red")
        with pytest.raises(NotInCart):
            remove_item("other", "MUG-1", uow)


def test_set_quantity(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 1, uow)
        assert set_quantity("s1", "MUG-1", "4", uow).items[0].quantity == 4
        with pytest.raises(OutOfStock) as err:
            set_quantity("s1", "MUG-1", 11, uow)
        assert err.value.available == 10
        with pytest.raises(InvalidQuantity):
            set_quantity("s1", "MUG-1", -2, uow)
        with pytest.raises(NotInCart):
            set_quantity("s1", "CAP-1", 2, uow)
        assert set_quantity("s1", "MUG-1", 0, uow).is_empty
    with uow_factory() as uow:
        assert get_cart("s1", uow).is_empty


def test_set_quantity_asks_which_variant_when_several_match(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "TEE-1", 1, uow, size="S")
        add_item("s1", "TEE-1", 1, uow, size="M")
        with pytest.raises(VariantRequired) as err:
            set_quantity("s1", "TEE-1", 2, uow)
        assert err.value.missing == ["size"] and err.value.options == {"size": ["S", "M"]}
        cart = set_quantity("s1", "TEE-1", 3, uow, size="M")
        assert [(i.size, i.quantity) for i in cart.items] == [("S", 1), ("M", 3)]


def test_cart_shows_current_prices(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 2, uow)
        uow.session.execute(update(Product).where(Product.sku == "MUG-1").values(price=Decimal("11.00")))
        uow.commit()
    with uow_factory() as uow:
        cart = get_cart("s1", uow)
    assert cart.items[0].unit_price == Decimal("11.00") and cart.subtotal == Decimal("22.00")


def test_clear_cart(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "SAVE10")
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 1, uow)
        apply_coupon("s1", "SAVE10", uow)
        clear_cart("s1", uow)
        clear_cart("nobody", uow)
    with uow_factory() as uow:
        cart = get_cart("s1", uow)
    assert cart.is_empty and cart.coupon is None


# ----------------------------------------------------------------------------- coupons


def test_apply_coupon_discounts_the_cart(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "SAVE10")
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 3, uow)
        cart = apply_coupon("s1", " save10 ", uow)
    assert cart.coupon == "SAVE10" and cart.coupon_problem is None
    assert (cart.subtotal, cart.discount, cart.total) == (Decimal("37.50"), Decimal("3.75"), Decimal("33.75"))
    with uow_factory() as uow:
        assert get_cart("s1", uow).discount == Decimal("3.75")


def test_coupon_needs_a_cart_with_items(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "SAVE10")
    with uow_factory() as uow:
        with pytest.raises(CartEmpty):
            apply_coupon("s1", "SAVE10", uow)
        add_item("s1", "MUG-1", 1, uow)
        remove_item("s1", "MUG-1", uow)
        with pytest.raises(CartEmpty):
            apply_coupon("s1", "SAVE10", uow)


def _reason(uow_factory: UowFactory, code: str, sender: str = "s1", now: dt.datetime = NOW) -> CouponInvalid:
    with uow_factory() as uow, pytest.raises(CouponInvalid) as err:
        apply_coupon(sender, code, uow, now=now)
    return err.value


def test_coupon_refusals_give_their_reason(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "OLD", expires_at=NOW - dt.timedelta(days=1))
    coupon(uow_factory, "SOON", starts_at=NOW + dt.timedelta(days=1))
    coupon(uow_factory, "OFF")
    coupon(uow_factory, "BIG", "fixed", "20", min_subtotal="100")
    coupon(uow_factory, "ONCE", max_redemptions=1)
    with uow_factory() as uow:
        uow.session.execute(update(Coupon).where(Coupon.code == "OFF").values(active=False))
        uow.session.execute(update(Coupon).where(Coupon.code == "ONCE").values(times_redeemed=1))
        add_item("s1", "MUG-1", 2, uow)
        uow.commit()
    assert _reason(uow_factory, "NOPE").reason == "unknown"
    assert _reason(uow_factory, "old").reason == "expired"
    assert _reason(uow_factory, "SOON").reason == "not_started"
    assert _reason(uow_factory, "OFF").reason == "inactive"
    assert _reason(uow_factory, "ONCE").reason == "used_up"
    big = _reason(uow_factory, "BIG")
    assert big.reason == "min_spend" and big.details["min_subtotal"] == Decimal("100.00")
    with uow_factory() as uow:
        cart = get_cart("s1", uow)
    assert cart.coupon is None and cart.discount == Decimal("0.00")


def test_one_coupon_per_order(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "SAVE10")
    coupon(uow_factory, "FIVE", "fixed", "5")
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 2, uow)
        apply_coupon("s1", "SAVE10", uow)
        assert apply_coupon("s1", "save10", uow).coupon == "SAVE10"  # the same code again is fine
    err = _reason(uow_factory, "FIVE")
    assert err.reason == "already_applied" and err.details == {"current": "SAVE10"}
    with uow_factory() as uow:
        remove_coupon("s1", uow)
        cart = apply_coupon("s1", "FIVE", uow)
    assert cart.coupon == "FIVE" and cart.discount == Decimal("5.00")


def test_coupon_that_stops_applying_shows_the_problem(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "BIG", "fixed", "10", min_subtotal="30")
    coupon(uow_factory, "SAVE10")
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 3, uow)
        assert apply_coupon("s1", "BIG", uow).discount == Decimal("10.00")
        cart = set_quantity("s1", "MUG-1", 1, uow)
    assert cart.coupon == "BIG" and cart.coupon_problem == "min_spend"
    assert cart.discount == Decimal("0.00") and cart.total == cart.subtotal == Decimal("12.50")
    with uow_factory() as uow:  # a coupon that no longer applies may be replaced
        cart = apply_coupon("s1", "SAVE10", uow)
    assert cart.coupon == "SAVE10" and cart.discount == Decimal("1.25") and cart.coupon_problem is None


def test_coupon_expiry_is_checked_when_the_cart_is_shown(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "SUMMER", expires_at=NOW + dt.timedelta(hours=1))
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 2, uow)
        assert apply_coupon("s1", "SUMMER", uow, now=NOW).discount == Decimal("2.50")
        later = get_cart("s1", uow, now=NOW + dt.timedelta(hours=2))
    assert later.coupon_problem == "expired" and later.discount == Decimal("0.00")


def test_remove_coupon(uow_factory: UowFactory, shop: None) -> None:
    coupon(uow_factory, "SAVE10")
    with uow_factory() as uow:
        assert remove_coupon("nobody", uow).is_empty
        add_item("s1", "MUG-1", 2, uow)
        apply_coupon("s1", "SAVE10", uow)
        cart = remove_coupon("s1", uow)
    assert cart.coupon is None and cart.discount == Decimal("0.00") and cart.total == Decimal("25.00")


def test_create_and_load_coupon(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        created = create_coupon(uow, "welcome 5", "fixed", "5", min_subtotal="20", max_redemptions=100,
                                description="Welcome gift")
    assert created.code == "WELCOME5" and created.value == Decimal("5.00")
    with uow_factory() as uow:
        loaded = load_coupon("Welcome5", uow)
        stored = uow.session.execute(select(Coupon.code)).scalar_one()
    assert loaded == created and stored == "WELCOME5"
    assert loaded.min_subtotal == Decimal("20.00") and loaded.max_redemptions == 100


@pytest.mark.parametrize(
    ("code", "kind", "value", "kwargs"),
    [
        ("", "percent", "10", {}),
        ("BAD!", "percent", "10", {}),
        ("X", "bogo", "10", {}),
        ("X", "percent", "0", {}),
        ("X", "percent", "101", {}),
        ("X", "fixed", "-5", {}),
        ("X", "fixed", "5", {"min_subtotal": "-1"}),
        ("X", "fixed", "5", {"max_redemptions": 0}),
        ("X", "fixed", "5", {"starts_at": NOW, "expires_at": NOW}),
    ],
)
def test_create_coupon_refuses_bad_terms(uow_factory: UowFactory, code: str, kind: str, value: str,
                                         kwargs: dict) -> None:
    with uow_factory() as uow, pytest.raises(ValueError):
        create_coupon(uow, code, kind, value, **kwargs)


def test_create_coupon_refuses_a_duplicate_code(uow_factory: UowFactory) -> None:
    coupon(uow_factory, "SAVE10")
    with uow_factory() as uow, pytest.raises(ValueError, match="exists"):
        create_coupon(uow, "save10", "fixed", "3")


def test_unknown_coupon_code_from_load(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(CouponInvalid) as err:
        load_coupon("ghost", uow)
    assert err.value.reason == "unknown" and err.value.code == "GHOST"


def test_stock_in_the_database_is_untouched_by_the_cart(uow_factory: UowFactory, shop: None) -> None:
    with uow_factory() as uow:
        add_item("s1", "MUG-1", 4, uow)
        stock = uow.session.execute(select(Variant.stock).join(Product).where(Product.sku == "MUG-1")).scalar_one()
    assert stock == 10
