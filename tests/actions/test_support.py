"""FAQ answers, handoff, fallback and leaving a form."""

from __future__ import annotations

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from actions import names
from actions.fallback import ActionFallback, ActionLeaveForm, has_words
from actions.faq import ActionAnswerFaq, faq_key
from actions.handoff import ActionHandoff
from actions.services import StoreServices
from store.policies import faq_answer
from tests.actions.conftest import Fake, make_tracker, payload, responses, run


def selector(key: str) -> dict:
    return {"faq": {"response": {"intent_response_key": key, "responses": [{"text": "from the model"}]}}}


@pytest.mark.parametrize(("tracker_args", "key"), [
    ({"intent": "faq", "response_selector": selector("faq/shipping")}, "shipping"),
    ({"intent": "faq", "response_selector": {"default": {"response": {"intent_response_key": "faq/warranty"}}}},
     "warranty"),
    ({"intent": "faq/returns_policy"}, "returns_policy"),
    ({"intent": "faq"}, None),
    ({"intent": "greet"}, None),
])
def test_faq_key(tracker_args: dict, key: str | None) -> None:
    assert faq_key(make_tracker(**tracker_args)) == key


async def test_faq_answers_with_the_store_policies_text(services: StoreServices) -> None:
    tracker = make_tracker(intent="faq", response_selector=selector("faq/returns_policy"))
    events, dispatcher = await run(ActionAnswerFaq(services), tracker)
    assert [m["text"] for m in dispatcher.messages] == [faq_answer("returns_policy")]
    assert "30" in dispatcher.messages[0]["text"]
    assert events == []


async def test_unknown_faq(services: StoreServices) -> None:
    tracker = make_tracker(intent="faq", response_selector=selector("faq/opening_of_the_moon"))
    events, dispatcher = await run(ActionAnswerFaq(services), tracker)
    assert responses(dispatcher) == [names.UTTER_FAQ_UNKNOWN] and events == []
    _, dispatcher = await run(ActionAnswerFaq(Fake()), make_tracker(intent="faq"))
    assert responses(dispatcher) == [names.UTTER_FAQ_UNKNOWN]


async def test_handoff_records_the_request_once(services: StoreServices) -> None:
    tracker = make_tracker(intent=names.HUMAN_HANDOFF, text="let me talk to a human")
    events, dispatcher = await run(ActionHandoff(services), tracker)
    assert responses(dispatcher) == [names.UTTER_HANDOFF]
    first = payload(dispatcher, "handoff")
    assert first["reason"] == "shopper_request" and isinstance(first["ticket"], int)
    assert events == []
    _, dispatcher = await run(ActionHandoff(services), tracker)
    assert payload(dispatcher, "handoff")["ticket"] == first["ticket"]


async def test_handoff_reason_is_the_intent_that_led_there() -> None:
    fake = Fake(request_handoff=7)
    _, dispatcher = await run(ActionHandoff(fake), make_tracker(intent=names.NLU_FALLBACK))
    assert payload(dispatcher, "handoff") == {"type": "handoff", "reason": names.NLU_FALLBACK, "ticket": 7}
    assert fake.calls == [("request_handoff", ("shopper-1", names.NLU_FALLBACK), {})]


@pytest.mark.parametrize(("text", "words"), [
    ("", False), ("   ", False), ("\n\t", False), ("🙂🙂🙂", False), ("👍🏽", False),
    ("\x00\x01\x02 binary \xff", False), ("???!!!", False), ("\ufffd\ufffd", False),
    ("hello", True), ("42", True), ("¿qué?", True), ("shoes " * 100, True),
])
def test_has_words(text: str, words: bool) -> None:
    assert has_words(text) is words


@pytest.mark.parametrize(("text", "response"), [
    ("", names.UTTER_EMPTY_MESSAGE), ("🙂🙂🙂", names.UTTER_EMPTY_MESSAGE),
    ("\x00\x01\x02 binary \xff", names.UTTER_EMPTY_MESSAGE), ("flibbertigibbet wobble", names.UTTER_DEFAULT),
])
async def test_fallback(text: str, response: str) -> None:
    events, dispatcher = await run(ActionFallback(Fake()), make_tracker(intent=names.NLU_FALLBACK, text=text))
    assert responses(dispatcher) == [response] and events == []


@pytest.mark.parametrize(("form", "resets"), [
    (names.CART_ITEM_FORM, [SlotSet(names.SLOT_ITEM_COLOR, None), SlotSet(names.SLOT_ITEM_SIZE, None),
                            SlotSet(names.SLOT_PENDING_SKU, None), SlotSet(names.SLOT_PENDING_QUANTITY, None),
                            SlotSet(names.SLOT_VARIANT_NEEDED, False)]),
    (names.CHECKOUT_FORM, [SlotSet(names.SLOT_EMAIL, None), SlotSet(names.SLOT_SHIPPING_ADDRESS, None),
                           SlotSet(names.SLOT_SHIPPING_METHOD, None), SlotSet(names.SLOT_CHECKOUT_CONFIRMED, None),
                           SlotSet(names.SLOT_CHECKOUT_READY, False)]),
    (names.ORDER_STATUS_FORM, [SlotSet(names.SLOT_ORDER_ID, None), SlotSet(names.SLOT_ORDER_EMAIL, None)]),
    (names.CANCEL_ORDER_FORM, [SlotSet(names.SLOT_ORDER_ID, None), SlotSet(names.SLOT_ORDER_EMAIL, None),
                               SlotSet(names.SLOT_CANCEL_CONFIRMED, None)]),
    (names.RETURN_FORM, [SlotSet(names.SLOT_ORDER_ID, None), SlotSet(names.SLOT_ORDER_EMAIL, None),
                         SlotSet(names.SLOT_RETURN_REASON, None)]),
])
async def test_leave_form(form: str, resets: list) -> None:
    events, dispatcher = await run(ActionLeaveForm(Fake()), make_tracker(intent=names.STOP, active_loop=form))
    assert responses(dispatcher) == [names.UTTER_FORM_LEFT]
    assert events == [ActiveLoop(None), SlotSet(names.SLOT_REQUESTED, None)] + resets


async def test_leave_when_no_form_is_active() -> None:
    events, dispatcher = await run(ActionLeaveForm(Fake()), make_tracker(intent=names.STOP))
    assert responses(dispatcher) == [names.UTTER_FORM_LEFT] and events == []
