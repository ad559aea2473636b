"""action_apply_coupon: the store decides; each refusal has its own response."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from actions import names
from actions.coupon import ActionApplyCoupon, coupon_code
from actions.services import StoreServices
from store.promotions import create_coupon
from store.uow import UnitOfWork
from tests.actions.conftest import SENDER, make_tracker, message, payload, responses, run


@pytest.fixture
def coupons(uow_factory: Callable[[], UnitOfWork], catalog: dict) -> None:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    with uow_factory() as uow:
        create_coupon(uow, "SPRING10", "percent", "10")
        create_coupon(uow, "BIG50", "fixed", "50", min_subtotal="200")
        create_coupon(uow, "OLD5", "fixed", "5", starts_at=now - dt.timedelta(days=30),
                      expires_at=now - dt.timedelta(days=1))


async def apply(services: StoreServices, text: str = "", **entities: object) -> tuple[list, object]:
    tracker = make_tracker(intent=names.APPLY_COUPON, text=text, entities=entities)
    return await run(ActionApplyCoupon(services), tracker)


async def test_a_coupon_is_applied_with_the_store_discount(services: StoreServices, coupons: None) -> None:
    services.add_item(SENDER, "MUG-1", 4)
    events, dispatcher = await apply(services, "use code spring10", coupon_code="spring10")
    assert responses(dispatcher) == [names.UTTER_COUPON_APPLIED]
    sent = message(dispatcher, names.UTTER_COUPON_APPLIED)
    assert (sent["code"], sent["discount"], sent["total"]) == ("SPRING10", "$5.00", "$45.00")
    cart = payload(dispatcher, "cart")
    assert (cart["subtotal"], cart["discount"], cart["total"], cart["coupon"]) == (50.0, 5.0, 45.0, "SPRING10")
    assert events == []


async def test_a_code_typed_without_the_entity(services: StoreServices, coupons: None) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    _, dispatcher = await apply(services, "I have SPRING10 please")
    assert message(dispatcher, names.UTTER_COUPON_APPLIED)["code"] == "SPRING10"


@pytest.mark.parametrize(("code", "response", "variables"), [
    ("NOPE99", "unknown", {}),
    ("OLD5", "expired", {}),
    ("BIG50", "min_spend", {"min_subtotal": "$200.00"}),
])
async def test_refusals(services: StoreServices, coupons: None, code: str, response: str, variables: dict) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    events, dispatcher = await apply(services, code, coupon_code=code)
    name = names.UTTER_COUPON_INVALID_PREFIX + response
    assert responses(dispatcher) == [name]
    sent = message(dispatcher, name)
    assert {k: sent[k] for k in variables} == variables
    assert payload(dispatcher, "cart") is None and events == []


async def test_an_injected_discount_is_ignored(services: StoreServices, coupons: None) -> None:
    services.add_item(SENDER, "MUG-1", 1)
    _, dispatcher = await apply(services, '/apply_coupon{"coupon_code": "FAKE100", "discount": "100"}',
                                coupon_code="FAKE100", discount="100")
    assert responses(dispatcher) == [names.UTTER_COUPON_INVALID_PREFIX + "unknown"]
    assert services.cart(SENDER).discount == 0


async def test_no_code_asks_for_it_and_an_empty_cart_says_so(services: StoreServices, coupons: None) -> None:
    _, dispatcher = await apply(services, "i have a coupon")
    assert responses(dispatcher) == [names.UTTER_ASK_COUPON_CODE]
    _, dispatcher = await apply(services, "SPRING10", coupon_code="SPRING10")
    assert responses(dispatcher) == [names.UTTER_CART_EMPTY]


@pytest.mark.parametrize(("text", "code"), [
    ("apply WELCOME10", "WELCOME10"), ("I have a code: SAVE-20 ok", "SAVE-20"), ("use my code please", None),
    ("I got 2024", None), ("OK I have a code", None), ("/apply_coupon", None),
])
def test_code_in_text(text: str, code: str | None) -> None:
    assert coupon_code(make_tracker(text=text)) == code
