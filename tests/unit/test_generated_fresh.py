"""generated/ is exactly what `make protos` makes from protos/, and making it
is deterministic (the same bytes every time)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.codegen import GENERATED, compile_protos


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("generated")
    compile_protos(out)
    return tree(out)


def test_generated_is_up_to_date(fresh: dict[str, bytes]) -> None:
    committed = tree(GENERATED)
    missing = sorted(fresh.keys() - committed.keys())
    extra = sorted(committed.keys() - fresh.keys())
    stale = sorted(
        name for name in fresh.keys() & committed.keys() if fresh[name] != committed[name]
    )
    assert not (missing or extra or stale), (
        "generated/ is stale; run `make protos`. "
        f"Missing: {missing}; not made from protos/: {extra}; differing: {stale}"
    )


def test_compiling_twice_gives_the_same_bytes(fresh: dict[str, bytes], tmp_path: Path) -> None:
    compile_protos(tmp_path)
    assert tree(tmp_path) == fresh
