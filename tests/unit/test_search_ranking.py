"""The ranking of search candidates (store.ranking): pure functions over small hand-made candidates."""

from __future__ import annotations

import pytest

from store.query_understanding import fold
from store.ranking import (
    Candidate,
    accessory,
    bm25f,
    coverage,
    exact_share,
    field_words,
    idf,
    kind_heads,
    kind_phrases,
    made_for,
    rerank,
    same_word,
)


def candidate(pid: int, name: str, *, subcategory: str | None = None, description: str | None = None,
              brand: str | None = None, filed: bool = False, rating: float | None = None) -> Candidate:
    """A candidate with the fields in the ranking's order (name, brand, category, subcategory, tags, description)."""
    fields = (name, brand, "electronics", subcategory, "", description)
    return Candidate(id=pid, name=name, fields=tuple(field_words(f) for f in fields), filed=filed, rating=rating,
                     kind=kind_phrases(subcategory))


def ids(ranked: list[Candidate]) -> list[int]:
    return [c.id for c in ranked]


def test_plural_and_singular_are_the_same_word() -> None:
    assert same_word("batteries", "battery") and same_word("battery", "batteries")
    assert same_word("shoes", "shoe") and not same_word("shoe", "shop")
    assert coverage(["rechargeable", "batteries"], {"rechargeable", "battery", "aa"}) == 1.0
    assert coverage(["usb", "hub"], {"usb", "cable"}) == 0.5
    assert coverage([], {"anything"}) == 1.0


def test_exact_share_counts_words_as_typed() -> None:
    assert exact_share(["shoes"], {"shoes"}) == 1.0
    assert exact_share(["shoes"], {"shoe"}) == 0.0


def test_idf_is_higher_for_rarer_words() -> None:
    assert idf(1, 1000) > idf(100, 1000) > idf(900, 1000) > 0


def test_bm25f_name_hit_beats_description_hit() -> None:
    in_name = candidate(1, "Acme Speaker", description="Loud and clear")
    in_description = candidate(2, "Acme Box", description="A speaker for the kitchen")
    first, second = bm25f(["speaker"], [in_name, in_description], {"speaker": 1.0})
    assert first > second > 0


def test_bm25f_is_zero_without_the_words() -> None:
    assert bm25f(["kettle"], [candidate(1, "Acme Speaker")], {"kettle": 2.0}) == [0.0]


def test_every_word_first_even_with_a_lower_score() -> None:
    partial = candidate(1, "Zen Speaker Speaker Speaker")
    complete = candidate(2, "Acme Bluetooth Speaker")
    ranked = rerank(["bluetooth", "speaker"], [partial, complete], [9.0, 1.0])
    assert ids(ranked) == [2, 1]


def test_score_orders_products_holding_the_same_words() -> None:
    ranked = rerank(["speaker"], [candidate(1, "Acme Speaker"), candidate(2, "Zen Speaker")], [1.0, 2.0])
    assert ids(ranked) == [2, 1]


def test_word_as_typed_wins_a_tie() -> None:
    ranked = rerank(["shoes"], [candidate(1, "Hot Shoe Adapter"), candidate(2, "Doll Shoes")], [1.0, 1.0])
    assert ids(ranked) == [2, 1]


def test_repeated_names_are_pushed_down() -> None:
    copies = [candidate(i, "Keyboard Cover") for i in (1, 2, 3)]
    other = candidate(4, "Compact Keyboard")
    ranked = rerank(["keyboard"], [*copies, other], [1.0, 1.0, 1.0, 0.9])
    assert ids(ranked)[:2] == [1, 4]


def test_products_filed_under_the_kind_come_first() -> None:
    ranked = rerank(["kettle"], [candidate(1, "Kettle Descaler"), candidate(2, "Steel Kettle", filed=True)],
                    [1.0, 0.5])
    assert ids(ranked) == [2, 1]


def test_rating_breaks_ties() -> None:
    ranked = rerank(["lamp"], [candidate(1, "Desk Lamp", rating=3.0), candidate(2, "Desk Lamp", rating=4.5)],
                    [1.0, 1.0])
    assert ids(ranked)[0] == 2


def test_kind_phrases_and_heads_split_alternatives() -> None:
    assert kind_phrases("power adapter/inverter") == (("power", "adapter"), ("inverter",))
    assert kind_phrases(None) == ()
    assert kind_heads(["notebook case", "power adapter/inverter", "Batteries"]) == {"case", "adapter", "inverter",
                                                                                    "battery"}


def test_an_accessory_of_the_kind_asked_for_is_recognised() -> None:
    heads = kind_heads(["notebook", "notebook case", "running shoes", "power adapter/inverter"])
    assert accessory(["notebook"], candidate(1, "Slim Sleeve", subcategory="notebook case"), heads)
    assert not accessory(["notebook"], candidate(2, "HP 250 Notebook", subcategory="notebook"), heads)
    assert not accessory(["notebook"], candidate(3, "HP 250 Notebook PC"), heads)  # no subcategory: no opinion
    # 'running' is no kind of product in this catalog: running shoes are not accessories of running
    assert not accessory(["running"], candidate(4, "Trail Runner", subcategory="running shoes"), heads)
    # one of the alternatives ends with the word: it is that kind of product
    assert not accessory(["adapter"], candidate(5, "AC Adapter", subcategory="power adapter/inverter"), heads)


def test_a_product_made_for_the_word_asked_for_is_an_accessory_of_it() -> None:
    def name(value: str) -> tuple[str, ...]:
        return field_words(value)

    assert made_for(["ipad"], name("Slim Sleeve for iPad - 10 inch"))
    assert made_for(["laptop"], name("Battery for select Lenovo laptops"))  # 'for' a few words before, plural
    assert not made_for(["ipad"], name("Apple iPad 64 GB Silver"))
    assert not made_for(["ipad"], name("Stand for tablets and phones, fits the Apple iPad"))  # 'for' too far back
    # the other word asked for is what the product is: 'iphone case' asks for a case for an iPhone
    assert not made_for(["case", "iphone"], name("Leather Case for iPhone 12"))
    assert made_for(["iphone"], name("Leather Case for iPhone 12"))
    assert not made_for([], name("Case for iPhone"))
    # only the first mention counts: an iPad sold with a keyboard for it is still an iPad
    assert not made_for(["ipad"], name("iPad 10.2 with keyboard for iPad"))
    plain = candidate(1, "Slim Sleeve for iPad")
    assert accessory(["ipad"], plain, frozenset())  # no subcategory needed


def test_accessories_follow_the_products_themselves() -> None:
    heads = kind_heads(["notebook", "notebook case"])
    sleeve = candidate(1, "Notebook Sleeve", subcategory="notebook case")
    laptop = candidate(2, "Notebook 15 inch", subcategory="notebook")
    assert ids(rerank(["notebook"], [sleeve, laptop], [1.0, 0.95], heads)) == [2, 1]
    assert ids(rerank(["notebook"], [sleeve, laptop], [1.0, 0.95])) == [1, 2]  # without kinds, score decides


@pytest.mark.parametrize("scores", [[0.0, 0.0], [-1.0, 0.0]])
def test_rerank_copes_with_zero_scores(scores: list[float]) -> None:
    ranked = rerank(["lamp"], [candidate(1, "Desk Lamp"), candidate(2, "Floor Lamp")], scores)
    assert sorted(ids(ranked)) == [1, 2]


def test_a_candidate_counts_each_form_of_a_word_once_per_field() -> None:
    lamp = candidate(1, "Lamp Batteries Battery Lamp", description="spare batteries")
    assert lamp.field_bases[0] == {"lamp": 2, "battery": 2}
    assert lamp.field_bases[5] == {"spare": 1, "battery": 1}
    assert "battery" in lamp.bases and "batteries" in lamp.words
    assert coverage(["batteries", "lamps"], lamp.words, lamp.bases) == 1.0


def test_bm25f_counts_a_plural_in_the_product_as_the_word_asked_for() -> None:
    plural_name, other = candidate(1, "Acme Batteries"), candidate(2, "Acme Charger")
    assert bm25f(["battery"], [plural_name, other], {"battery": 1.0})[0] > 0
    assert bm25f(["battery"], [plural_name], {"battery": 1.0}) == bm25f(["batteries"], [plural_name],
                                                                         {"batteries": 1.0})


@pytest.mark.parametrize("value", ["Rock & Roll Kid's_Shoes", "USB-C 3.0 (2-pack)", "  ", "", "Café Crème", "A/B-12x"])
def test_field_words_are_the_folded_words(value: str) -> None:
    assert field_words(value) == tuple(fold(value).split())
