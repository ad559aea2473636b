"""Every intent, entity, slot, form, action and response name the actions use, in one place."""

from __future__ import annotations

# Intents (CONTRACT §4 plus refine_search, change_quantity, stop)
GREET, GOODBYE, AFFIRM, DENY, THANK = "greet", "goodbye", "affirm", "deny", "thank"
BOT_CHALLENGE, HELP = "bot_challenge", "help"
SEARCH_PRODUCT, REFINE_SEARCH = "search_product", "refine_search"
PRODUCT_DETAILS, COMPARE_PRODUCTS, RECOMMEND = "product_details", "compare_products", "recommend"
ADD_TO_CART, REMOVE_FROM_CART = "add_to_cart", "remove_from_cart"
CHANGE_QUANTITY, VIEW_CART = "change_quantity", "view_cart"
CHECKOUT, APPLY_COUPON = "checkout", "apply_coupon"
ORDER_STATUS, CANCEL_ORDER, RETURN_ITEM = "order_status", "cancel_order", "return_item"
HUMAN_HANDOFF, INFORM, OUT_OF_SCOPE, STOP = "human_handoff", "inform", "out_of_scope", "stop"
FAQ, CHITCHAT, NLU_FALLBACK = "faq", "chitchat", "nlu_fallback"

# Entities
ENT_CATEGORY, ENT_BRAND, ENT_COLOR, ENT_SIZE, ENT_PRODUCT = "category", "brand", "color", "size", "product"
ENT_PRICE_MIN, ENT_PRICE_MAX, ENT_QUANTITY = "price_min", "price_max", "quantity"
ENT_ORDER_ID, ENT_EMAIL, ENT_COUPON_CODE, ENT_MENTION = "order_id", "email", "coupon_code", "mention"
ENT_REFINEMENT, ENT_SHIPPING_METHOD = "refinement", "shipping_method"  # refinement: cheaper | pricier | more

# Slots set only by actions (no entity mapping, so a typed `/intent{...}` cannot set them)
SLOT_SEARCH_FILTERS = "search_filters"  # dict: the SearchQuery of the last search (JSON-safe values)
SLOT_SHOWN_PRODUCTS = "shown_products"  # list[str]: SKUs in the order last shown (position 1 = first)
SLOT_LAST_PRODUCT = "last_product"  # str: SKU the shopper is talking about
SLOT_PENDING_SKU = "pending_sku"  # str: product waiting for a colour/size before it goes in the cart
SLOT_PENDING_QUANTITY = "pending_quantity"  # float: quantity for the pending product
SLOT_VARIANT_NEEDED = "variant_needed"  # bool (influences conversation): cart_item_form must run
SLOT_CHECKOUT_READY = "checkout_ready"  # bool (influences conversation): checkout_form may start

# Form slots
SLOT_ITEM_COLOR, SLOT_ITEM_SIZE = "item_color", "item_size"  # cart_item_form
SLOT_EMAIL, SLOT_SHIPPING_ADDRESS = "email", "shipping_address"  # checkout_form
SLOT_SHIPPING_METHOD, SLOT_CHECKOUT_CONFIRMED = "shipping_method", "checkout_confirmed"
SLOT_ORDER_ID, SLOT_ORDER_EMAIL = "order_id", "order_email"  # order_status_form, cancel_order_form, return_form
SLOT_CANCEL_CONFIRMED, SLOT_RETURN_REASON = "cancel_confirmed", "return_reason"
SLOT_REQUESTED = "requested_slot"

# Forms
CART_ITEM_FORM, CHECKOUT_FORM = "cart_item_form", "checkout_form"
ORDER_STATUS_FORM, CANCEL_ORDER_FORM, RETURN_FORM = "order_status_form", "cancel_order_form", "return_form"

# Custom actions
ACTION_SEARCH_PRODUCTS = "action_search_products"
ACTION_REFINE_SEARCH = "action_refine_search"
ACTION_PRODUCT_DETAILS = "action_product_details"
ACTION_COMPARE_PRODUCTS = "action_compare_products"
ACTION_RECOMMEND = "action_recommend"
ACTION_ADD_TO_CART = "action_add_to_cart"
ACTION_REMOVE_FROM_CART = "action_remove_from_cart"
ACTION_CHANGE_QUANTITY = "action_change_quantity"
ACTION_VIEW_CART = "action_view_cart"
ACTION_APPLY_COUPON = "action_apply_coupon"
ACTION_START_CHECKOUT = "action_start_checkout"
ACTION_PLACE_ORDER = "action_place_order"
ACTION_ORDER_STATUS = "action_order_status"
ACTION_CANCEL_ORDER = "action_cancel_order"
ACTION_RETURN_ITEM = "action_return_item"
ACTION_ANSWER_FAQ = "action_answer_faq"
ACTION_HANDOFF = "action_handoff"
ACTION_FALLBACK = "action_fallback"
ACTION_LEAVE_FORM = "action_leave_form"
ACTION_ASK_ITEM_COLOR = "action_ask_item_color"
ACTION_ASK_ITEM_SIZE = "action_ask_item_size"
ACTION_ASK_SHIPPING_METHOD = "action_ask_shipping_method"
ACTION_ASK_CHECKOUT_CONFIRMED = "action_ask_checkout_confirmed"
VALIDATE_CART_ITEM_FORM = "validate_cart_item_form"
VALIDATE_CHECKOUT_FORM = "validate_checkout_form"
VALIDATE_ORDER_STATUS_FORM = "validate_order_status_form"
VALIDATE_CANCEL_ORDER_FORM = "validate_cancel_order_form"
VALIDATE_RETURN_FORM = "validate_return_form"

# Entity values
REFINE_MORE, REFINE_CHEAPER, REFINE_PRICIER = "more", "cheaper", "pricier"
# the same search in another order: lowest price, highest price or best rating first
REFINE_CHEAPEST, REFINE_PRICIEST, REFINE_TOP_RATED = "cheapest", "priciest", "top_rated"

# Responses (texts in domain.yml; variables in braces are passed by the actions)
UTTER_DEFAULT = "utter_default"
UTTER_STORE_ERROR = "utter_store_error"
UTTER_FORM_LEFT = "utter_form_left"
UTTER_ITEM_SET_ASIDE = "utter_item_set_aside"
UTTER_CHECKOUT_SET_ASIDE = "utter_checkout_set_aside"
UTTER_EMPTY_MESSAGE = "utter_empty_message"
UTTER_SEARCH_RESULTS = "utter_search_results"  # {count} {total}
UTTER_SEARCH_CHEAPEST_FIRST = "utter_search_cheapest_first"  # {count} {total}
UTTER_SEARCH_PRICIEST_FIRST = "utter_search_priciest_first"  # {count} {total}
UTTER_SEARCH_TOP_RATED_FIRST = "utter_search_top_rated_first"  # {count} {total}
UTTER_SEARCH_MORE = "utter_search_more"  # {count}
UTTER_NO_RESULTS = "utter_no_results"  # {understood}
UTTER_NO_RESULTS_ALTERNATIVES = "utter_no_results_alternatives"  # {understood} {relaxed}
UTTER_NO_MORE_RESULTS = "utter_no_more_results"
UTTER_NO_SEARCH_YET = "utter_no_search_yet"
UTTER_PRODUCT_DETAILS = "utter_product_details"  # {name} {price} {stock_text}
UTTER_STOCK_IN = "utter_stock_in"  # {stock}: fragment for {stock_text}, e.g. "In stock: {stock} left."
UTTER_STOCK_OUT = "utter_stock_out"  # fragment for {stock_text}, e.g. "Sold out for now."
UTTER_WHICH_PRODUCT = "utter_which_product"
UTTER_UNKNOWN_PRODUCT = "utter_unknown_product"
UTTER_COMPARE = "utter_compare"  # {names}
UTTER_COMPARE_NEED_TWO = "utter_compare_need_two"
UTTER_RECOMMEND_SIMILAR = "utter_recommend_similar"  # {name}
UTTER_RECOMMEND_BEST = "utter_recommend_best"  # {category}
UTTER_RECOMMEND_NONE = "utter_recommend_none"
UTTER_CART_ADDED = "utter_cart_added"  # {quantity} {name} {total}
UTTER_CART_REMOVED = "utter_cart_removed"  # {name} {total}
UTTER_CART_QUANTITY_CHANGED = "utter_cart_quantity_changed"  # {name} {quantity} {total}
UTTER_CART = "utter_cart"  # {count} {subtotal} {discount} {total}
UTTER_CART_EMPTY = "utter_cart_empty"
UTTER_NOT_IN_CART = "utter_not_in_cart"
UTTER_OUT_OF_STOCK = "utter_out_of_stock"  # {name} {available}
UTTER_INVALID_QUANTITY = "utter_invalid_quantity"  # {max}
UTTER_ASK_ITEM_COLOR = "utter_ask_item_color"  # {options}
UTTER_ASK_ITEM_SIZE = "utter_ask_item_size"  # {options}
UTTER_INVALID_VARIANT_OPTION = "utter_invalid_variant_option"  # {options}
UTTER_COUPON_APPLIED = "utter_coupon_applied"  # {code} {discount} {total}
UTTER_COUPON_INVALID_PREFIX = "utter_coupon_invalid_"  # + reason; min_spend takes {min_subtotal}
COUPON_REASONS = ("unknown", "expired", "not_started", "inactive", "min_spend", "used_up", "already_applied")
UTTER_ASK_COUPON_CODE = "utter_ask_coupon_code"
UTTER_ASK_EMAIL = "utter_ask_email"
UTTER_INVALID_EMAIL = "utter_invalid_email"
UTTER_ASK_SHIPPING_ADDRESS = "utter_ask_shipping_address"
UTTER_INVALID_ADDRESS = "utter_invalid_address"
UTTER_ASK_SHIPPING_METHOD = "utter_ask_shipping_method"  # {methods}, with buttons
UTTER_INVALID_SHIPPING_METHOD = "utter_invalid_shipping_method"  # {methods}
UTTER_ASK_CHECKOUT_CONFIRMED = "utter_ask_checkout_confirmed"  # {total} {method}
UTTER_ORDER_PLACED = "utter_order_placed"  # {order_id} {total} {payment_link}
UTTER_CHECKOUT_CANCELLED = "utter_checkout_cancelled"
UTTER_ASK_ORDER_ID = "utter_ask_order_id"
UTTER_INVALID_ORDER_ID = "utter_invalid_order_id"
UTTER_ASK_ORDER_EMAIL = "utter_ask_order_email"
UTTER_ORDER_NOT_FOUND = "utter_order_not_found"
UTTER_ORDER_STATUS = "utter_order_status"  # {order_id} {status} {details}
UTTER_ORDER_TRACKING = "utter_order_tracking"  # {carrier} {tracking_number}: fragment for {details}
UTTER_ORDER_DELIVERY = "utter_order_delivery"  # {estimated_delivery}: fragment for {details}
UTTER_ASK_CANCEL_CONFIRMED = "utter_ask_cancel_confirmed"  # {order_id}
UTTER_ORDER_CANCELLED = "utter_order_cancelled"  # {order_id}
UTTER_ORDER_NOT_CANCELLABLE = "utter_order_not_cancellable"  # {order_id} {status}
UTTER_CANCEL_KEPT = "utter_cancel_kept"
UTTER_ASK_RETURN_REASON = "utter_ask_return_reason"
UTTER_RETURN_CREATED = "utter_return_created"  # {return_id} {order_id} {refund}
UTTER_RETURN_NOT_ALLOWED_PREFIX = "utter_return_not_allowed_"  # + reason; window_closed takes {days}
RETURN_REASONS = ("not_delivered", "window_closed", "already_returned", "no_matching_item", "cancelled")
UTTER_HANDOFF = "utter_handoff"
UTTER_FAQ_UNKNOWN = "utter_faq_unknown"
