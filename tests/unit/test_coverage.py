"""COVERAGE.md is generated from the contract and kept current."""

from __future__ import annotations

import re

import pytest

from server import contract, coverage, reference

STALE = "COVERAGE.md is stale: run `make coverage` (python -m server.coverage)"


def test_the_file_is_current() -> None:
    assert coverage.OUT.read_text() == coverage.render(), STALE


def test_every_reference_rpc_once_and_marked_as_served() -> None:
    rows = re.findall(r"^\| (\w+) \| (yes|no) \|$", coverage.render(), re.MULTILINE)
    names = [name for name, _ in rows]
    assert sorted(names) == sorted(reference.rpcs())
    served = {name for name, mark in rows if mark == "yes"}
    assert served == set(contract.methods()) & set(reference.rpcs())


def test_the_summary_counts_what_is_served() -> None:
    text = coverage.render()
    served = len(set(contract.methods()) & set(reference.rpcs()))
    assert f"serves **{served} of the reference's 280 RPCs**" in text
    counts = re.findall(r"^\| \[[^]]+\]\(#[^)]+\) \| (\d+) of (\d+) \|$", text, re.MULTILINE)
    assert sum(int(n) for n, _ in counts) == served
    assert sum(int(total) for _, total in counts) == 280


def test_additions_are_listed_apart() -> None:
    text = coverage.render()
    for name in set(contract.methods()) - set(reference.rpcs()):
        assert f"\n- {name}\n" in text


@pytest.mark.parametrize(
    ("rpc", "family"),
    [
        ("PostModelVersions", "Model"),
        ("GetModel", "Model"),
        ("PostInputsSearches", "Input"),
        ("MyScopes", "Scope"),
        ("ListNextTaskAssignments", "Task"),
        ("StreamLivestreamAnnotations", "Annotation"),
        ("GetStatusCode", "Status"),
        ("PatchSearches", "Search"),
    ],
)
def test_family_of_an_rpc(rpc: str, family: str) -> None:
    assert coverage.family(rpc) == family


def test_readme_links_it() -> None:
    readme = (coverage.OUT.parent / "README.md").read_text()
    assert "(COVERAGE.md)" in readme
