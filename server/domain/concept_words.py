"""Which concepts a text names: how a text rank reaches images through the
general model's concept space (server/ranks.py).

The text and the concept names are read as lower-case words. From the
text's start, the longest run of words (up to `LONGEST` words) that is a
concept's name, or is one with its last word's plural "s"/"es" dropped,
is taken, and the search goes on after it; a word that starts no name is
skipped. "a hot dog and two cats" names "hot dog" and "cat", not "dog".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LONGEST = 5
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def index(names: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Concept ids by name (its words joined by one space), from (id, name)."""
    out: dict[str, list[str]] = {}
    for concept_id, name in names:
        key = " ".join(words(name))
        if key:
            out.setdefault(key, []).append(concept_id)
    return out


def _singular(word: str) -> list[str]:
    forms = [word]
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        forms.append(word[:-1])
    return forms


def _named(run: list[str], by_name: dict[str, list[str]]) -> list[str]:
    for last in _singular(run[-1]):
        found = by_name.get(" ".join([*run[:-1], last]))
        if found:
            return found
    return []


def named_in(text: str, by_name: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """The concepts the text names, in its order, once each: (the words
    naming it, the ids of the concepts of that name)."""
    found: dict[tuple[str, ...], str] = {}
    said = words(text)
    at = 0
    while at < len(said):
        for size in range(min(LONGEST, len(said) - at), 0, -1):
            ids = _named(said[at : at + size], by_name)
            if ids:
                found.setdefault(tuple(ids), " ".join(said[at : at + size]))
                at += size
                break
        else:
            at += 1
    return [(said_as, list(ids)) for ids, said_as in found.items()]
