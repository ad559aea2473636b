"""Coupon skill: action_apply_coupon."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import names
from actions.base import Events, StoreAction, entity_value, latest_text, sender_id
from actions.payloads import cart_payload
from store.errors import CartEmpty, CouponInvalid
from store.money import format_money, to_money

# An upper-case token with at least one letter, 3 to 32 characters: SPRING15, WELCOME-10.
_CODE_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Z0-9_-]*[A-Z])[A-Z0-9][A-Z0-9_-]{2,31}(?![A-Za-z0-9_-])")


def coupon_code(tracker: Tracker) -> str | None:
    """The coupon_code entity, or a code-like upper-case token in the shopper's words."""
    value = entity_value(tracker, names.ENT_COUPON_CODE)
    if value is not None and str(value).strip():
        return str(value).strip()
    text = latest_text(tracker)
    if text.startswith("/"):
        return None
    found = _CODE_TOKEN.findall(text)
    candidates = [token for token in found if token not in ("I", "OK", "PLEASE", "CODE", "COUPON", "PROMO")]
    return candidates[-1] if candidates else None


def _money_text(value: object, currency: str) -> str:
    try:
        return format_money(to_money(value), currency)
    except ValueError:
        return str(value)


class ActionApplyCoupon(StoreAction):
    """Applies the code through the store; its reason for refusing picks utter_coupon_invalid_<reason>."""

    def name(self) -> str:
        return names.ACTION_APPLY_COUPON

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Events:
        code = coupon_code(tracker)
        if not code:
            dispatcher.utter_message(response=names.UTTER_ASK_COUPON_CODE)
            return []
        try:
            cart = self.services.apply_coupon(sender_id(tracker), code)
        except CartEmpty:
            dispatcher.utter_message(response=names.UTTER_CART_EMPTY)
            return []
        except CouponInvalid as error:
            reason = error.reason if error.reason in names.COUPON_REASONS else "unknown"
            variables = {}
            if "min_subtotal" in error.details:
                variables["min_subtotal"] = _money_text(error.details["min_subtotal"], self.services.currency())
            dispatcher.utter_message(response=names.UTTER_COUPON_INVALID_PREFIX + reason, **variables)
            return []
        dispatcher.utter_message(response=names.UTTER_COUPON_APPLIED, json_message=cart_payload(cart),
                                 code=cart.coupon or code.upper(), discount=format_money(cart.discount, cart.currency),
                                 total=format_money(cart.total, cart.currency))
        return []
