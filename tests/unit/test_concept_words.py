"""Which concepts a text names (server/domain/concept_words.py): longest
runs of words first, plurals folded, each concept once."""

from __future__ import annotations

from server.domain import concept_words

NAMES = concept_words.index(
    [("d", "dog"), ("hd", "hot dog"), ("c", "cat"), ("c2", "Cat"), ("gs", "German Shepherd Dog")]
)


def test_names_are_read_as_lower_case_words() -> None:
    assert NAMES == {
        "dog": ["d"],
        "hot dog": ["hd"],
        "cat": ["c", "c2"],
        "german shepherd dog": ["gs"],
    }


def test_the_longest_name_wins_and_plurals_fold() -> None:
    said = concept_words.named_in(
        "Two hot dogs, a German-shepherd? No: german shepherd dogs!", NAMES
    )
    assert said == [("hot dogs", ["hd"]), ("german shepherd dogs", ["gs"])]


def test_each_concept_once_and_unknown_words_skipped() -> None:
    assert concept_words.named_in("cats and a cat chase dogs", NAMES) == [
        ("cats", ["c", "c2"]),
        ("dogs", ["d"]),
    ]
    assert concept_words.named_in("nothing here", NAMES) == []
