"""COVERAGE.md: every RPC of the reference, family by family, served or not.

Generated from the contract (server/reference_rpcs.json for the reference,
protos/ for what we serve), like moto's IMPLEMENTATION_COVERAGE.md:

    python -m server.coverage    # or `make coverage`, which refreshes the reference data first

tests/unit/test_coverage.py fails when the committed file is stale.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from server import contract, reference
from server.status import Code, description, http_status

OUT = Path(__file__).resolve().parent.parent / "COVERAGE.md"

# What an RPC's name starts with before its resource.
_VERB = re.compile(r"^(Get|List|Post|Patch|Delete|Put|Cancel|Stream|Generate|Process|My)(?=[A-Z])")
# Names whose first word is not their resource.
_RESOURCE_OF = {
    "Next": "Task",
    "Livestream": "Annotation",
    "Track": "Annotation",
    "Validate": "User",
}


def _words(camel: str) -> list[str]:
    return re.findall(r"[A-Z][a-z]*", camel)


def _noun(rpc: str) -> str:
    """What the RPC acts on: its name without the verb."""
    return _VERB.sub("", rpc)


def _singular(word: str) -> str:
    if word.endswith(("ches", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def _plural(word: str) -> str:
    if word.endswith("s"):
        return word
    return word + ("es" if word.endswith(("ch", "sh", "x")) else "s")


def family(rpc: str) -> str:
    """The resource an RPC is about, by the first word of its noun
    (`PostModelVersions` and `GetModel` are both about Model)."""
    first = _singular(_words(_noun(rpc))[0])
    return _RESOURCE_OF.get(first, first)


def _heading(key: str, names: list[str]) -> str:
    """A family's title: the shortest noun among its RPCs, plural
    (`Bulk` → "bulk operations", `Model` → "models")."""
    nouns = [_noun(n) for n in names if _singular(_words(_noun(n))[0]) == key] or [key]
    words = _words(min(nouns, key=lambda n: (len(n), n)))
    words[-1] = _plural(_singular(words[-1]))
    return " ".join(w.lower() for w in words)


def render() -> str:
    served = set(contract.methods())
    rpcs = reference.rpcs()
    families: dict[str, list[str]] = defaultdict(list)
    for name in rpcs:
        families[family(name)].append(name)
    titled = sorted((_heading(key, names), sorted(names)) for key, names in families.items())
    count = sum(1 for name in rpcs if name in served)
    code = Code.NOT_IMPLEMENTED
    lines = [
        "# Coverage",
        "",
        f"Every RPC of the reference contract ({reference.source()}), family by family.",
        "Generated from `server/reference_rpcs.json` and `protos/` by `make coverage`;",
        "a test fails when this file is stale.",
        "",
        f"clarifai-local serves **{count} of the reference's {len(rpcs)} RPCs**. Calling any",
        "other RPC of the reference, over gRPC or on any of its REST routes, answers",
        f'a status alone: `{Code.Name(code)}` ({code}, "{description(code)}",',
        f"HTTP {http_status(code)}) naming the RPC, after the key is checked as for",
        "any call.",
        "",
        "| family | served |",
        "| --- | --- |",
    ]
    for title, names in titled:
        n = sum(1 for name in names if name in served)
        lines.append(f"| [{title}](#{title.replace(' ', '-')}) | {n} of {len(names)} |")
    for title, names in titled:
        lines += ["", f"## {title}", "", "| RPC | served |", "| --- | --- |"]
        lines += [f"| {name} | {'yes' if name in served else 'no'} |" for name in names]
    added = sorted(served - set(rpcs))
    if added:
        lines += ["", "## additions", "", "Served here, absent from the reference:", ""]
        lines += [f"- {name}" for name in added]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(render())
    print(f"wrote {OUT}")
