"""A shopper talks to the running servers through the REST channel, as a web page would."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import Bot

pytestmark = pytest.mark.e2e


def payload(messages: list[dict], kind: str) -> dict | None:
    """The first `custom` payload of that type among the bot's messages."""
    return next((m["custom"] for m in messages if isinstance(m.get("custom"), dict)
                 and m["custom"].get("type") == kind), None)


def texts(messages: list[dict]) -> list[str]:
    """Every text the bot sent."""
    return [m["text"] for m in messages if m.get("text")]


def first_button(messages: list[dict]) -> str | None:
    """Payload of the first button offered, if any."""
    for message in messages:
        for button in message.get("buttons") or []:
            return button["payload"]
    return None


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_search_details_cart_checkout_then_status_from_another_sender(bot: Bot) -> None:
    shopper = new_sender()
    assert texts(bot.say(shopper, "hi there"))

    found = payload(bot.say(shopper, "show me running shoes"), "products")
    assert found and found["products"], "a search for running shoes shows products"
    first = found["products"][0]
    assert {"sku", "name", "brand", "price", "currency", "image_url", "rating", "in_stock"} <= set(first)

    details = payload(bot.say(shopper, "tell me more about the first one"), "product")
    assert details and details["sku"] == first["sku"]
    assert "variants_in_stock" in details

    reply = bot.say(shopper, "add it to my cart")
    for _ in range(3):  # the bot asks for a colour and/or a size: pick the first option offered
        if payload(reply, "cart"):
            break
        choice = first_button(reply)
        assert choice, f"the bot neither added the item nor offered options: {texts(reply)}"
        reply = bot.say(shopper, choice)
    cart = payload(reply, "cart")
    assert cart and cart["items"][0]["sku"] == first["sku"]

    cart = payload(bot.say(shopper, "what's in my cart?"), "cart")
    assert cart and cart["items"] and cart["total"] == cart["subtotal"] - cart["discount"]

    steps = ["I want to check out", "shopper.e2e@example.com", "12 Harbour Street, Springfield 40101",
             "standard shipping", "yes"]
    order = None
    for step in steps:
        order = payload(bot.say(shopper, step), "order") or order
    assert order, "checkout places an order"
    assert order["status"] == "awaiting_payment"
    assert order["order_id"]

    stranger = new_sender()
    reply = bot.say(stranger, f"where is my order {order['order_id']}")
    assert not payload(reply, "order"), "no details before the email is given"
    shown = payload(bot.say(stranger, "shopper.e2e@example.com"), "order")
    assert shown and shown["order_id"] == order["order_id"]


def test_order_details_need_the_matching_email(bot: Bot) -> None:
    stranger = new_sender()
    bot.say(stranger, "what is the status of order CE-100103")
    reply = bot.say(stranger, "someone.else@example.com")
    assert not payload(reply, "order")
    assert texts(reply)


@pytest.mark.parametrize("message", [
    "",
    "   ",
    "🙂🙂🙂",
    "\x00\x01\x02 binary \xff",
    "shoes " * 20000,
    '/apply_coupon{"coupon_code": "FAKE100", "discount": "100"}',
    '/order_status{"order_id": "CE-100103"}',
])
def test_bad_input_gets_a_reply_not_an_error(bot: Bot, message: str) -> None:
    sender = new_sender()
    reply = bot.say(sender, message)
    assert all("Traceback" not in t for t in texts(reply))
    assert not payload(reply, "order"), "an injected intent does not reveal an order"
    assert texts(bot.say(sender, "hello")), "the conversation goes on afterwards"


def test_model_parse_reports_contract_intents(bot: Bot) -> None:
    result = bot.parse("do you have headphones under $50")
    assert result["intent"]["name"] == "search_product"
    assert any(e["entity"] == "price_max" and str(e["value"]).startswith("50") for e in result["entities"])


def test_model_parse_reads_catalog_words_typos_prices_and_references(bot: Bot) -> None:
    result = bot.parse("show me stridewel headphnes between 40 and 90 dollars")
    found = {e["entity"]: (str(e["value"]), e.get("extractor")) for e in result["entities"]}
    assert found["brand"] == ("Stridewell", "CatalogEntityExtractor")  # misspelt brand of the sample catalog
    assert found["category"][0] == "headphones"
    assert found["price_min"][0] == "40" and found["price_max"][0] == "90"

    result = bot.parse("add 2 of the third one")
    assert sorted((e["entity"], str(e["value"])) for e in result["entities"]) == [("mention", "third"),
                                                                               ("quantity", "2")]
    assert "out_of_scope_score" in result  # the scope guard's probability, for measurement


ORDINALS = ("first", "second", "third", "fourth", "fifth")


def ask_for_an_option(bot: Bot, shopper: str) -> str:
    """Search running shoes and add results until the bot asks for a colour or size; the SKU it waits on."""
    found = payload(bot.say(shopper, "show me running shoes"), "products")
    assert found and found["products"], "a search for running shoes shows products"
    for ordinal, product in zip(ORDINALS, found["products"], strict=False):
        if first_button(bot.say(shopper, f"add the {ordinal} one to my cart")):
            return product["sku"]
    pytest.fail("no running shoe in the sample store comes in several colours or sizes")


def test_a_new_request_while_an_option_is_asked_is_handled(bot: Bot) -> None:
    shopper = new_sender()
    waiting = ask_for_an_option(bot, shopper)

    reply = bot.say(shopper, "actually show me some headphones")
    assert payload(reply, "products"), f"the search is done, not taken as a colour or size: {texts(reply)}"
    assert not any("isn't available" in text for text in texts(reply))
    cart = payload(bot.say(shopper, "what's in my cart?"), "cart")
    assert waiting not in [item["sku"] for item in (cart or {}).get("items", [])]

    ask_for_an_option(bot, shopper)
    reply = bot.say(shopper, "where is my order?")
    assert any("order number" in text for text in texts(reply)), texts(reply)
    assert not any("isn't available" in text for text in texts(reply))


def test_sorting_the_results_and_naming_a_position_with_its_kind(bot: Bot) -> None:
    shopper = new_sender()
    shoes = payload(bot.say(shopper, "show me running shoes"), "products")
    assert shoes and len(shoes["products"]) >= 2

    cheapest = payload(bot.say(shopper, "sort them by price"), "products")
    assert cheapest, "the same search again, in price order"
    prices = [p["price"] for p in cheapest["products"]]
    assert prices == sorted(prices), prices

    best = payload(bot.say(shopper, "show the best rated first"), "products")
    assert best, "the same search again, best rated first"
    ratings = [p["rating"] or 0 for p in best["products"]]
    assert ratings == sorted(ratings, reverse=True), ratings

    phones = payload(bot.say(shopper, "now show me headphones"), "products")
    assert phones and phones["products"]
    # the second running shoe of the list shown before the headphones, not the second pair of headphones
    details = payload(bot.say(shopper, "tell me about the second running shoe"), "product")
    assert details and details["sku"] == best["products"][1]["sku"], details
