"""The layout rules the code keeps (README, Layout): handlers reach storage
only through `call.store`, service modules do not import each other, each
handler reads at a glance, and every list pages through the one listing
path on an index."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import Index, UniqueConstraint

import storage.schema  # noqa: F401  (registers every table and order)
from storage.base import Base
from storage.listing import ORDERS, Order

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted((ROOT / "server" / "services").glob("*.py"))
MAX_HANDLER_LINES = 40
ORM_CLASSES = {m.class_.__name__ for m in Base.registry.mappers}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _imports(tree: ast.Module) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out.extend((a.name, []) for a in node.names)
    return out


def _handlers(tree: ast.Module) -> list[ast.AsyncFunctionDef]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.AsyncFunctionDef)
        and any(isinstance(d, ast.Name) and d.id == "rpc" for d in node.decorator_list)
    ]


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.stem)
class TestServiceModules:
    def test_no_session_nor_orm(self, path: Path) -> None:
        tree = _tree(path)
        for module, names in _imports(tree):
            assert not module.startswith("sqlalchemy"), f"{path.name} imports {module}"
            if module.startswith("storage"):
                orm = ORM_CLASSES.intersection(names)
                assert not orm, f"{path.name} imports ORM classes {sorted(orm)}"
        touched = [
            n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "session"
        ]
        assert not touched, f"{path.name} reaches a session at lines {touched}"

    def test_no_other_service_module(self, path: Path) -> None:
        for module, names in _imports(_tree(path)):
            assert not module.startswith("server.services."), f"{path.name} imports {module}"
            if module == "server.services":
                assert set(names) <= {"rpc", "Handler"}, f"{path.name} imports {names}"
            assert module != "server.rest_json", f"{path.name} imports the REST edge"

    def test_handlers_read_at_a_glance(self, path: Path) -> None:
        for fn in _handlers(_tree(path)):
            length = (fn.end_lineno or fn.lineno) - fn.lineno + 1
            assert length <= MAX_HANDLER_LINES, f"{fn.name} is {length} lines long"


def test_wire_modules_stay_below_services() -> None:
    for path in sorted((ROOT / "server" / "wire").glob("*.py")):
        for module, _ in _imports(_tree(path)):
            assert not module.startswith("server.services"), f"{path.name} imports {module}"
            assert module != "server.rest_json", f"{path.name} imports the REST edge"


def test_limit_and_offset_only_in_the_listing_path() -> None:
    listing = ROOT / "storage" / "listing.py"
    sources = [*(ROOT / "server").rglob("*.py"), *(ROOT / "storage").glob("*.py")]
    for path in sources:
        if path == listing:
            continue
        calls = [
            node.lineno
            for node in ast.walk(_tree(path))
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("limit", "offset")
        ]
        assert not calls, f"{path.relative_to(ROOT)} pages by hand at lines {calls}"


def _index_heads(order: Order) -> list[list[str]]:
    table = next(iter(order.scope)).table
    heads: list[list[str]] = []
    for item in [*table.indexes, *table.constraints]:
        if isinstance(item, Index):
            heads.append([_text(e) for e in item.expressions])
        elif isinstance(item, UniqueConstraint) or item is table.primary_key:
            heads.append([c.name for c in item.columns])
    return heads


def _text(expr: object) -> str:
    name = getattr(expr, "name", None)
    return name if isinstance(name, str) else str(expr)


@pytest.mark.parametrize("order", [o for o in ORDERS if o.indexed], ids=lambda o: o.name)
def test_every_list_order_has_an_index(order: Order) -> None:
    wanted = [_text(c) for c in (*order.scope, *order.columns)]
    heads = _index_heads(order)
    assert any(h[: len(wanted)] == wanted for h in heads), (
        f"{order.name}: no index on ({', '.join(wanted)}); indexes: {heads}"
    )


def test_orders_without_an_index_say_why() -> None:
    for order in ORDERS:
        assert order.indexed or order.why, order.name


def test_the_listing_registry_is_not_empty() -> None:
    assert ORDERS, "no list declares its order"
