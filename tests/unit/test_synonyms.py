"""Retail synonyms: the default table, phrase matching, weights and the catalog restriction."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from store.ranking import Candidate, bm25f, field_words, rerank, synonym_share
from store.synonyms import (
    DEFAULT_FILE,
    INITIALISM_WEIGHT,
    MAX_ALTERNATIVES,
    SYNONYM_WEIGHT,
    Alternative,
    SynonymsError,
    build_table,
    expand,
    find_phrases,
    initialism,
    parse_groups,
    phrase_key,
    read_groups,
    synonym_table,
)


def everything(_phrase: str) -> bool:
    return True


# ---------------------------------------------------------------------------------------------- the table


def test_default_table_spans_the_retail_domains() -> None:
    raw = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    groups = read_groups()
    assert len(groups) >= 120
    for domain in ("fashion", "home_and_kitchen", "electronics", "computing", "beauty_and_personal_care",
                   "sports_and_outdoors", "toys_and_games", "garden", "baby", "office_and_stationery",
                   "automotive", "spelling_variants"):
        assert len(raw[domain]) >= 5, domain
    table = synonym_table()
    assert table.groups == len(groups)
    # US/UK words, variant spellings and abbreviations, both ways
    assert "sneaker" in table.alternatives(["trainer"]) and "trainer" in table.alternatives(["sneaker"])
    assert "couch" in table.alternatives(["sofa"])
    assert "cooktop" in table.alternatives(["hob"])
    assert "color" in table.alternatives(["colour"])
    assert "hard drive" in table.alternatives(["hdd"]) and "hdd" in table.alternatives(["hard", "drive"])


def test_every_default_group_is_folded_and_distinct() -> None:
    for group in read_groups():
        assert len(group) == len(set(group)) >= 2
        assert all(phrase == " ".join(phrase.split()) and phrase == phrase.lower() for phrase in group)


def test_groups_are_read_from_a_list_or_sections() -> None:
    assert parse_groups([["Sofa", "Couch"]], "x") == (("sofa", "couch"),)
    assert parse_groups({"home": [["hob", "cook-top"]]}, "x") == (("hob", "cook top"),)
    assert parse_groups(None, "x") == ()


@pytest.mark.parametrize("raw", [["sofa"], [["sofa"]], [["sofa", "Sofa"]], {"home": "sofa"}, [[["nested"]]]])
def test_malformed_groups_are_refused(raw: object) -> None:
    with pytest.raises(SynonymsError):
        parse_groups(raw, "search.synonyms")


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yml"
    path.write_text("fashion: [[trainer, sneaker]\n", encoding="utf-8")
    with pytest.raises(SynonymsError):
        read_groups(path)


def test_store_groups_add_to_the_default_table() -> None:
    table = synonym_table([("puffer jacket", "down jacket")])
    assert table.alternatives(["puffer", "jacket"]) == ("down jacket",)
    assert table.groups == len(read_groups()) + 1
    assert synonym_table().alternatives(["puffer", "jacket"]) == ()


def test_a_word_in_two_groups_expands_to_both() -> None:
    table = build_table([("vest", "waistcoat"), ("vest top", "tank top", "singlet"), ("tank top", "vest")])
    assert table.alternatives(["vest"]) == ("waistcoat", "tank top")


# ---------------------------------------------------------------------------------------------- phrases


def test_keys_are_search_terms() -> None:
    assert phrase_key("Chest of Drawers") == ("chest", "drawers")  # 'of' is never a search term
    assert phrase_key("post it") == ("post", "it")  # not 'post' alone
    assert phrase_key("Wi-Fi") == ("wi", "fi")


def test_plurals_match_but_a_plural_entry_is_not_singularised() -> None:
    table = build_table([("sofa", "couch"), ("glasses", "spectacles")])
    assert table.alternatives(["sofas"]) == ("couch",)
    assert table.alternatives(["glasses"]) == ("spectacles",)
    assert table.alternatives(["glass"]) == ()  # a glass is not a pair of glasses


def test_the_longest_phrase_wins() -> None:
    table = build_table([("baby monitor", "baby alarm"), ("monitor", "display"), ("hdd", "hard drive")])
    found = find_phrases(["baby", "monitor", "hdd"], table)
    assert found == [(0, 2, ("baby alarm",)), (2, 3, ("hard drive",))]
    assert find_phrases(["monitor", "arm"], table) == [(0, 1, ("display",))]


def test_every_word_of_a_phrase_gets_its_alternatives() -> None:
    table = build_table([("hard drive", "hdd", "hard disk")])
    expanded = expand(["external", "hard", "drive"], table, everything, weight=0.4)
    assert set(expanded) == {"hard", "drive"}
    assert expanded["hard"] == expanded["drive"] == (Alternative("hdd", 0.4), Alternative("hard disk", 0.4))


def test_only_phrases_the_catalog_uses_are_added() -> None:
    table = build_table([("sofa", "couch", "settee")])
    expanded = expand(["couch"], table, lambda phrase: phrase == "settee")
    assert expanded == {"couch": (Alternative("settee", SYNONYM_WEIGHT),)}
    assert expand(["couch"], table, lambda phrase: False) == {}


def test_an_alternative_holding_the_phrase_itself_is_left_out() -> None:
    table = build_table([("monitor", "computer monitor", "display")])
    asked: list[str] = []
    expanded = expand(["monitor"], table, lambda phrase: asked.append(phrase) or True)
    assert [a.phrase for a in expanded["monitor"]] == ["display"] and asked == ["display"]


def test_alternatives_are_capped() -> None:
    table = build_table([tuple(f"word{i}" for i in range(MAX_ALTERNATIVES + 4))])
    assert len(expand(["word0"], table, everything)["word0"]) == MAX_ALTERNATIVES


def test_the_default_weight_is_below_a_typed_word() -> None:
    assert 0.0 < SYNONYM_WEIGHT < 1.0


@pytest.mark.parametrize(("one", "other", "expected"), [
    ("ssd", "solid state drive", True),
    ("hard disk drive", "hdd", True),
    ("ups", "uninterruptible power supply", True),
    ("ssd", "solid state", False),  # one letter short
    ("sofa", "settee", False),
    ("tv set", "television", False),
    ("ssd", "s", False),  # not several words
])
def test_an_initialism_is_told_by_its_letters(one: str, other: str, expected: bool) -> None:
    assert initialism(one.split(), other.split()) is expected


def test_an_initialism_weighs_as_much_as_the_words_it_stands_for() -> None:
    table = build_table([("ssd", "solid state drive", "flash drive")])
    assert expand(["ssd"], table, everything) == {"ssd": (Alternative("solid state drive", INITIALISM_WEIGHT),
                                                         Alternative("flash drive", SYNONYM_WEIGHT))}
    spelled_out = expand(["solid", "state", "drive"], table, everything)
    assert spelled_out["drive"][0] == Alternative("ssd", INITIALISM_WEIGHT)
    assert INITIALISM_WEIGHT == 1.0


# ---------------------------------------------------------------------------------------------- ranking


def candidate(pid: int, name: str, description: str = "") -> Candidate:
    fields = (name, "", "furniture", "", "", description)
    return Candidate(id=pid, name=name, fields=tuple(field_words(f) for f in fields))


COUCH = {"couch": (Alternative("sofa", 0.5), Alternative("chaise longue", 0.25))}


def test_a_synonym_counts_its_weight_of_a_word() -> None:
    assert synonym_share(["leather", "couch"], candidate(1, "Leather Sofas"), COUCH) == pytest.approx(0.25)
    assert synonym_share(["couch"], candidate(1, "Velvet Chaise Longue"), COUCH) == pytest.approx(0.25)
    assert synonym_share(["couch"], candidate(1, "Couch and sofa"), COUCH) == 0.0  # holds the word itself
    assert synonym_share(["couch"], candidate(1, "Longue chaise"), COUCH) == 0.0  # not the phrase


def test_bm25f_scores_a_synonym_below_the_word_itself() -> None:
    candidates = [candidate(1, "Grey Couch"), candidate(2, "Grey Sofa"), candidate(3, "Grey Table")]
    idfs = {"couch": 2.0, "sofa": 2.0}
    exact, synonym, neither = bm25f(["couch"], candidates, idfs, COUCH)
    assert exact > synonym > neither == 0.0
    assert synonym == pytest.approx(0.5 * exact)
    assert bm25f(["couch"], candidates, idfs)[1] == 0.0  # without alternatives the sofa scores nothing


def test_an_exact_match_outranks_a_synonym_match_with_a_higher_score() -> None:
    candidates = [candidate(1, "Sofa sofa sofa"), candidate(2, "Old couch, worn")]
    ranked = rerank(["couch"], candidates, [9.0, 0.1], alternatives=COUCH)
    assert [c.id for c in ranked] == [2, 1]
    partial = [candidate(3, "Leather Chair"), candidate(4, "Leather Sofa")]
    ranked = rerank(["leather", "couch"], partial, [1.0, 1.0], alternatives=COUCH)
    assert [c.id for c in ranked] == [4, 3]  # a synonym of the missing word beats holding one word only
