"""The scaffold writes a family's starting files in the house's shape: one
handler per declared RPC of the resource, and code that parses and passes
the layout rules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from server import scaffold
from server.services import HANDLERS, load


def _names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [n.name for n in tree.body if isinstance(n, ast.AsyncFunctionDef | ast.FunctionDef)]


def test_families_are_named_from_their_module() -> None:
    family = scaffold.Family("model_versions")
    assert (family.singular, family.plural) == ("ModelVersion", "ModelVersions")
    assert family.storage_class == "ModelVersionStorage"


def test_only_rpcs_without_a_handler_are_scaffolded() -> None:
    load()
    assert scaffold.rpcs_of(scaffold.Family("collectors"), set(HANDLERS)) == []
    found = scaffold.rpcs_of(scaffold.Family("collectors"), set())
    assert found == [
        "DeleteCollectors",
        "GetCollector",
        "ListCollectors",
        "PatchCollectors",
        "PostCollectors",
    ]


def test_writes_the_four_modules(tmp_path: Path) -> None:
    family = scaffold.Family("collectors")
    rpcs = scaffold.rpcs_of(family, set())
    written = scaffold.write(family, rpcs, root=tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "storage/collectors.py",
        "server/wire/collectors.py",
        "server/services/collectors.py",
        "tests/integration/test_collectors.py",
    ]
    assert _names(tmp_path / "server/services/collectors.py") == rpcs
    assert "CollectorStorage" in (tmp_path / "storage/collectors.py").read_text()
    assert _names(tmp_path / "tests/integration/test_collectors.py") == []  # methods of a class


def test_never_overwrites(tmp_path: Path) -> None:
    family = scaffold.Family("collectors")
    scaffold.write(family, ["GetCollector"], root=tmp_path)
    with pytest.raises(FileExistsError):
        scaffold.write(family, ["GetCollector"], root=tmp_path)


def test_the_files_pass_the_linter(tmp_path: Path) -> None:
    family = scaffold.Family("collectors")
    written = scaffold.write(family, scaffold.rpcs_of(family, set()), root=tmp_path)
    config = Path(scaffold.ROOT / "pyproject.toml")
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(config), *map(str, written)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout
