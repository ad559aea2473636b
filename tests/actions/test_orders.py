"""Order forms and actions: privacy first (CONTRACT §5), then status, cancel and return."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from rasa_sdk.events import SlotSet

from actions import names
from actions.orders import (
    ActionCancelOrder,
    ActionOrderStatus,
    ActionReturnItem,
    ValidateCancelOrderForm,
    ValidateOrderStatusForm,
    ValidateReturnForm,
)
from actions.services import StoreServices
from store.orders import advance_order
from store.types import OrderView
from store.uow import UnitOfWork
from tests.actions.conftest import EMAIL, SENDER, make_tracker, message, payload, responses, run

STRANGER = "stranger-1"
RESET = [SlotSet(names.SLOT_ORDER_ID, None), SlotSet(names.SLOT_ORDER_EMAIL, None)]


@pytest.fixture
def order(catalog: dict, place: Callable[..., OrderView]) -> OrderView:
    """An order placed by SENDER with EMAIL."""
    return place(SENDER, "MUG-1", 2)


@pytest.fixture
def advance(uow_factory: Callable[[], UnitOfWork]) -> Callable[..., OrderView]:
    """Moves an order through fulfilment: advance(order_id, "delivered", days_ago=0)."""

    def _advance(order_id: str, target: str, days_ago: int = 0) -> OrderView:
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=days_ago)
        view = None
        for step in ("paid", "shipped", "delivered"):
            with uow_factory() as uow:
                view = advance_order(order_id, step, uow, carrier="UPS", tracking_number="1Z999", now=now)
            if step == target:
                break
        return view

    return _advance


# The intent that starts each order form (a message with it is never a change of subject for that form).
FORM_INTENT = {names.ORDER_STATUS_FORM: names.ORDER_STATUS, names.CANCEL_ORDER_FORM: names.CANCEL_ORDER,
               names.RETURN_FORM: names.RETURN_ITEM}


def form_tracker(form: str, sender: str = SENDER, slots: dict | None = None, to_validate: dict | None = None,
                 requested: str | None = None, entities: object = None) -> object:
    return make_tracker(sender_id=sender, slots={names.SLOT_REQUESTED: requested, **(slots or {})},
                        to_validate=to_validate, active_loop=form, intent=FORM_INTENT[form], entities=entities)


# ------------------------------------------------------------------------------ validation (privacy)


async def test_own_latest_order_is_used_without_asking(services: StoreServices, order: OrderView) -> None:
    tracker = form_tracker(names.ORDER_STATUS_FORM)
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert dispatcher.messages == []
    assert events == [SlotSet(names.SLOT_ORDER_ID, order.order_id), SlotSet(names.SLOT_REQUESTED, None)]


async def test_own_order_by_number_needs_no_email(services: StoreServices, order: OrderView) -> None:
    number = order.order_id.replace("-", "").lower()
    tracker = form_tracker(names.ORDER_STATUS_FORM, to_validate={names.SLOT_ORDER_ID: number},
                           entities={"order_id": number})
    events, _ = await run(ValidateOrderStatusForm(services), tracker)
    assert events == [SlotSet(names.SLOT_ORDER_ID, order.order_id), SlotSet(names.SLOT_REQUESTED, None)]


async def test_nothing_to_use_asks_for_the_number(services: StoreServices, catalog: dict) -> None:
    events, _ = await run(ValidateOrderStatusForm(services), form_tracker(names.ORDER_STATUS_FORM, STRANGER))
    assert events == [SlotSet(names.SLOT_REQUESTED, names.SLOT_ORDER_ID)]


async def test_someone_else_s_order_needs_the_email(services: StoreServices, order: OrderView) -> None:
    tracker = form_tracker(names.ORDER_STATUS_FORM, STRANGER, to_validate={names.SLOT_ORDER_ID: order.order_id})
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert dispatcher.messages == []
    assert events == [SlotSet(names.SLOT_ORDER_ID, order.order_id),
                      SlotSet(names.SLOT_REQUESTED, names.SLOT_ORDER_EMAIL)]


async def test_the_matching_email_opens_the_order(services: StoreServices, order: OrderView) -> None:
    tracker = form_tracker(names.ORDER_STATUS_FORM, STRANGER, slots={names.SLOT_ORDER_ID: order.order_id},
                           to_validate={names.SLOT_ORDER_EMAIL: EMAIL.upper()}, requested=names.SLOT_ORDER_EMAIL)
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert dispatcher.messages == []
    assert events == [SlotSet(names.SLOT_ORDER_EMAIL, EMAIL), SlotSet(names.SLOT_ORDER_ID, order.order_id),
                      SlotSet(names.SLOT_REQUESTED, None)]


async def test_an_email_the_model_filed_under_another_intent_still_opens_the_order(services: StoreServices,
                                                                                    order: OrderView) -> None:
    tracker = make_tracker(sender_id=STRANGER, slots={names.SLOT_REQUESTED: names.SLOT_ORDER_EMAIL,
                                                      names.SLOT_ORDER_ID: order.order_id},
                           active_loop=names.ORDER_STATUS_FORM, intent="chitchat", text=f"it is {EMAIL.upper()}")
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert dispatcher.messages == []
    assert SlotSet(names.SLOT_ORDER_EMAIL, EMAIL) in events and SlotSet(names.SLOT_REQUESTED, None) in events


async def test_a_question_while_the_number_is_asked_is_left_to_the_dialogue(services: StoreServices,
                                                                            order: OrderView) -> None:
    tracker = make_tracker(sender_id=STRANGER, slots={names.SLOT_REQUESTED: names.SLOT_ORDER_ID},
                           active_loop=names.ORDER_STATUS_FORM, intent="faq", text="how long does shipping take")
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert dispatcher.messages == []
    assert not [e for e in events if e.get("name") in (names.SLOT_ORDER_ID, names.SLOT_ORDER_EMAIL)]


@pytest.mark.parametrize("number", ["order", "CE-999999"])
async def test_wrong_email_and_unknown_number_look_the_same(services: StoreServices, order: OrderView,
                                                           number: str) -> None:
    number = order.order_id if number == "order" else number
    email = "someone.else@example.com" if number == order.order_id else EMAIL
    tracker = form_tracker(names.ORDER_STATUS_FORM, STRANGER, slots={names.SLOT_ORDER_ID: number},
                           to_validate={names.SLOT_ORDER_EMAIL: email}, requested=names.SLOT_ORDER_EMAIL)
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert responses(dispatcher) == [names.UTTER_ORDER_NOT_FOUND]
    assert events == [SlotSet(names.SLOT_ORDER_EMAIL, email), SlotSet(names.SLOT_ORDER_ID, None),
                      SlotSet(names.SLOT_ORDER_EMAIL, None), SlotSet(names.SLOT_REQUESTED, names.SLOT_ORDER_ID)]


async def test_number_and_email_in_one_message(services: StoreServices, order: OrderView) -> None:
    tracker = form_tracker(names.ORDER_STATUS_FORM, STRANGER,
                           to_validate={names.SLOT_ORDER_ID: order.order_id, names.SLOT_ORDER_EMAIL: EMAIL})
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert dispatcher.messages == []
    assert events[-2:] == [SlotSet(names.SLOT_ORDER_ID, order.order_id), SlotSet(names.SLOT_REQUESTED, None)]


async def test_invalid_number_and_invalid_email(services: StoreServices, order: OrderView) -> None:
    tracker = form_tracker(names.ORDER_STATUS_FORM, STRANGER, to_validate={names.SLOT_ORDER_ID: "my order"},
                           requested=names.SLOT_ORDER_ID)
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert responses(dispatcher) == [names.UTTER_INVALID_ORDER_ID]
    assert events == [SlotSet(names.SLOT_ORDER_ID, None), SlotSet(names.SLOT_REQUESTED, names.SLOT_ORDER_ID)]
    tracker = form_tracker(names.ORDER_STATUS_FORM, STRANGER, slots={names.SLOT_ORDER_ID: order.order_id},
                           to_validate={names.SLOT_ORDER_EMAIL: "nope"}, requested=names.SLOT_ORDER_EMAIL)
    events, dispatcher = await run(ValidateOrderStatusForm(services), tracker)
    assert responses(dispatcher) == [names.UTTER_INVALID_EMAIL]
    assert events == [SlotSet(names.SLOT_ORDER_EMAIL, None), SlotSet(names.SLOT_REQUESTED, names.SLOT_ORDER_EMAIL)]


async def test_cancel_and_return_forms_ask_their_own_question(services: StoreServices, order: OrderView) -> None:
    events, _ = await run(ValidateCancelOrderForm(services), form_tracker(names.CANCEL_ORDER_FORM))
    assert events == [SlotSet(names.SLOT_ORDER_ID, order.order_id),
                      SlotSet(names.SLOT_REQUESTED, names.SLOT_CANCEL_CONFIRMED)]
    events, _ = await run(ValidateReturnForm(services), form_tracker(names.RETURN_FORM))
    assert events == [SlotSet(names.SLOT_ORDER_ID, order.order_id),
                      SlotSet(names.SLOT_REQUESTED, names.SLOT_RETURN_REASON)]
    tracker = form_tracker(names.RETURN_FORM, slots={names.SLOT_ORDER_ID: order.order_id},
                           to_validate={names.SLOT_RETURN_REASON: "  too   small "},
                           requested=names.SLOT_RETURN_REASON)
    events, _ = await run(ValidateReturnForm(services), tracker)
    assert events == [SlotSet(names.SLOT_RETURN_REASON, "too small"), SlotSet(names.SLOT_REQUESTED, None)]
    tracker = form_tracker(names.RETURN_FORM, slots={names.SLOT_ORDER_ID: order.order_id},
                           to_validate={names.SLOT_RETURN_REASON: "🙂🙂"}, requested=names.SLOT_RETURN_REASON)
    events, _ = await run(ValidateReturnForm(services), tracker)
    assert events[0] == SlotSet(names.SLOT_RETURN_REASON, None)


# ------------------------------------------------------------------------------ actions


async def status(services: StoreServices, slots: dict, sender: str = SENDER,
                 domain: dict | None = None) -> tuple[list, object]:
    return await run(ActionOrderStatus(services), make_tracker(sender_id=sender, slots=slots), domain=domain)


async def test_status_for_the_owner(services: StoreServices, order: OrderView) -> None:
    events, dispatcher = await status(services, {names.SLOT_ORDER_ID: order.order_id})
    assert responses(dispatcher) == [names.UTTER_ORDER_STATUS]
    sent = message(dispatcher, names.UTTER_ORDER_STATUS)
    assert (sent["order_id"], sent["status"]) == (order.order_id, "awaiting payment")
    assert payload(dispatcher, "order")["order_id"] == order.order_id
    assert events == RESET


async def test_status_for_a_stranger_with_the_email(services: StoreServices, order: OrderView,
                                                    advance: Callable[..., OrderView]) -> None:
    advance(order.order_id, "shipped")
    domain = {"responses": {names.UTTER_ORDER_TRACKING: [{"text": "{carrier} #{tracking_number}."}],
                            names.UTTER_ORDER_DELIVERY: [{"text": "Due {estimated_delivery}."}]}}
    slots = {names.SLOT_ORDER_ID: order.order_id, names.SLOT_ORDER_EMAIL: EMAIL}
    events, dispatcher = await status(services, slots, STRANGER, domain)
    sent = message(dispatcher, names.UTTER_ORDER_STATUS)
    assert sent["status"] == "shipped"
    assert sent["details"] == f"UPS #1Z999. Due {order.estimated_delivery.isoformat()}."
    shown = payload(dispatcher, "order")
    assert (shown["carrier"], shown["tracking_number"]) == ("UPS", "1Z999")
    assert events == RESET
    _, dispatcher = await status(services, slots, STRANGER, {})
    assert message(dispatcher, names.UTTER_ORDER_STATUS)["details"] == (
        f"UPS 1Z999 {order.estimated_delivery.isoformat()}")


@pytest.mark.parametrize("slots", [
    {names.SLOT_ORDER_ID: "order"},
    {names.SLOT_ORDER_ID: "order", names.SLOT_ORDER_EMAIL: "someone.else@example.com"},
    {names.SLOT_ORDER_ID: "CE-999999", names.SLOT_ORDER_EMAIL: EMAIL},
    {},
])
async def test_no_details_without_ownership_or_the_email(services: StoreServices, order: OrderView,
                                                          slots: dict) -> None:
    slots = {k: order.order_id if v == "order" else v for k, v in slots.items()}
    events, dispatcher = await status(services, slots, STRANGER)
    assert responses(dispatcher) == [names.UTTER_ORDER_NOT_FOUND]
    assert payload(dispatcher, "order") is None
    assert events == RESET


async def cancel(services: StoreServices, slots: dict, sender: str = SENDER) -> tuple[list, object]:
    return await run(ActionCancelOrder(services), make_tracker(sender_id=sender, slots=slots))


async def test_cancel_when_confirmed(services: StoreServices, order: OrderView) -> None:
    reset = RESET + [SlotSet(names.SLOT_CANCEL_CONFIRMED, None)]
    events, dispatcher = await cancel(services, {names.SLOT_ORDER_ID: order.order_id,
                                                 names.SLOT_CANCEL_CONFIRMED: True})
    assert responses(dispatcher) == [names.UTTER_ORDER_CANCELLED]
    assert message(dispatcher, names.UTTER_ORDER_CANCELLED)["order_id"] == order.order_id
    assert payload(dispatcher, "order")["status"] == "cancelled"
    assert events == reset


async def test_cancel_kept_after_a_no(services: StoreServices, order: OrderView) -> None:
    events, dispatcher = await cancel(services, {names.SLOT_ORDER_ID: order.order_id,
                                                 names.SLOT_CANCEL_CONFIRMED: False})
    assert responses(dispatcher) == [names.UTTER_CANCEL_KEPT]
    assert services.get_order(order.order_id, sender_id=SENDER).status == "awaiting_payment"
    assert events == RESET + [SlotSet(names.SLOT_CANCEL_CONFIRMED, None)]


async def test_a_shipped_order_cannot_be_cancelled(services: StoreServices, order: OrderView,
                                                   advance: Callable[..., OrderView]) -> None:
    advance(order.order_id, "shipped")
    _, dispatcher = await cancel(services, {names.SLOT_ORDER_ID: order.order_id, names.SLOT_CANCEL_CONFIRMED: True})
    assert responses(dispatcher) == [names.UTTER_ORDER_NOT_CANCELLABLE]
    assert message(dispatcher, names.UTTER_ORDER_NOT_CANCELLABLE)["status"] == "shipped"


async def test_a_stranger_cannot_cancel_without_the_email(services: StoreServices, order: OrderView) -> None:
    _, dispatcher = await cancel(services, {names.SLOT_ORDER_ID: order.order_id, names.SLOT_CANCEL_CONFIRMED: True},
                                 STRANGER)
    assert responses(dispatcher) == [names.UTTER_ORDER_NOT_FOUND]
    assert services.get_order(order.order_id, sender_id=SENDER).status == "awaiting_payment"


async def give_back(services: StoreServices, order: OrderView) -> tuple[list, object]:
    slots = {names.SLOT_ORDER_ID: order.order_id, names.SLOT_RETURN_REASON: "too small"}
    return await run(ActionReturnItem(services), make_tracker(slots=slots))


async def test_return_a_delivered_order(services: StoreServices, order: OrderView,
                                        advance: Callable[..., OrderView]) -> None:
    advance(order.order_id, "delivered")
    events, dispatcher = await give_back(services, order)
    assert responses(dispatcher) == [names.UTTER_RETURN_CREATED]
    sent = message(dispatcher, names.UTTER_RETURN_CREATED)
    assert sent["order_id"] == order.order_id and sent["refund"] == "$25.00" and sent["return_id"]
    assert payload(dispatcher, "return")["refund"] == 25.0
    assert events == RESET + [SlotSet(names.SLOT_RETURN_REASON, None)]
    _, dispatcher = await give_back(services, order)
    assert responses(dispatcher) == [names.UTTER_RETURN_NOT_ALLOWED_PREFIX + "already_returned"]


async def test_returns_refused(services: StoreServices, order: OrderView, place: Callable[..., OrderView],
                               advance: Callable[..., OrderView]) -> None:
    _, dispatcher = await give_back(services, order)
    assert responses(dispatcher) == [names.UTTER_RETURN_NOT_ALLOWED_PREFIX + "not_delivered"]
    late = place(SENDER, "MUG-1", 1)
    advance(late.order_id, "delivered", days_ago=45)
    _, dispatcher = await give_back(services, late)
    name = names.UTTER_RETURN_NOT_ALLOWED_PREFIX + "window_closed"
    assert responses(dispatcher) == [name]
    assert message(dispatcher, name)["days"] == 30


@pytest.mark.parametrize(("text", "expected"), [("yes, cancel it", True), ("", None), ("👍", None), ("/affirm", True)])
async def test_only_words_or_a_button_confirm_a_cancellation(services: StoreServices, order: OrderView, text: str,
                                                             expected: bool | None) -> None:
    slots = {names.SLOT_ORDER_ID: order.order_id, names.SLOT_REQUESTED: names.SLOT_CANCEL_CONFIRMED}
    tracker = make_tracker(slots=slots, to_validate={names.SLOT_CANCEL_CONFIRMED: True},
                           active_loop=names.CANCEL_ORDER_FORM,
                           intent=names.AFFIRM, text=text)
    events, _ = await run(ValidateCancelOrderForm(services), tracker)
    assert SlotSet(names.SLOT_CANCEL_CONFIRMED, expected) in events
