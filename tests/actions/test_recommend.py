"""action_recommend: like the product named, else best sellers."""

from __future__ import annotations

from collections.abc import Callable

from rasa_sdk.events import SlotSet

from actions import names
from actions.recommend import ActionRecommend
from actions.services import StoreServices
from store.types import OrderView
from tests.actions.conftest import make_tracker, message, payload, responses, run


async def recommend(services: StoreServices, slots: dict | None = None, **entities: object) -> tuple[list, object]:
    tracker = make_tracker(intent=names.RECOMMEND, slots=slots, entities=entities)
    return await run(ActionRecommend(services), tracker)


async def test_similar_to_the_product_meant(services: StoreServices, catalog: dict) -> None:
    events, dispatcher = await recommend(services, {names.SLOT_SHOWN_PRODUCTS: ["RUN-1"]}, mention="first")
    assert responses(dispatcher) == [names.UTTER_RECOMMEND_SIMILAR]
    assert message(dispatcher, names.UTTER_RECOMMEND_SIMILAR)["name"] == "Trailblazer 2 Running Shoe"
    similar = [p["sku"] for p in payload(dispatcher, "products")["products"]]
    assert similar and "RUN-1" not in similar and len(similar) <= 3
    assert events == [SlotSet(names.SLOT_SHOWN_PRODUCTS, similar), SlotSet(names.SLOT_LAST_PRODUCT, "RUN-1")]


async def test_similar_by_name(services: StoreServices, catalog: dict) -> None:
    _, dispatcher = await recommend(services, product="Nimbus Road Runner")
    assert message(dispatcher, names.UTTER_RECOMMEND_SIMILAR)["name"] == "Nimbus Road Runner"


async def test_best_sellers_of_a_category(services: StoreServices, catalog: dict,
                                          place: Callable[..., OrderView]) -> None:
    place("buyer-1", "RUN-3", 1, color="red", size="8")
    events, dispatcher = await recommend(services, category="shoes")
    assert responses(dispatcher) == [names.UTTER_RECOMMEND_BEST]
    assert message(dispatcher, names.UTTER_RECOMMEND_BEST)["category"] == "shoes"
    best = [p["sku"] for p in payload(dispatcher, "products")["products"]]
    assert best[0] == "RUN-3" and set(best) <= {"RUN-1", "RUN-2", "RUN-3"}
    assert events == [SlotSet(names.SLOT_SHOWN_PRODUCTS, best)]


async def test_best_sellers_without_a_category_name_their_categories(services: StoreServices,
                                                                     catalog: dict) -> None:
    _, dispatcher = await recommend(services)
    best = payload(dispatcher, "products")["products"]
    assert best
    assert message(dispatcher, names.UTTER_RECOMMEND_BEST)["category"]


async def test_nothing_to_recommend(services: StoreServices) -> None:
    events, dispatcher = await recommend(services, category="spaceships")
    assert responses(dispatcher) == [names.UTTER_RECOMMEND_NONE] and events == []
