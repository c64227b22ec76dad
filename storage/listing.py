"""The one listing path: every List call pages through `page`, every cursor
walk through `after`, and every capped read through `take`.

Each list declares its order once with `Order(...)`, which registers it: a
test walks `ORDERS` and fails when a table has no index that serves an
order (its scope columns, then its order columns). With such an index a
deep page does not read the rows it skips: the page's boundary is found by
skipping `offset` entries of the index (an index-only scan), then the page
is read from the table by a keyset seek from that boundary. A list that
knows a row near the page (a `Start`: ListInputs' marks, storage/input_marks.py)
skips from there instead of from the first row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Select, bindparam, literal, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

ORDERS: list[Order] = []


@dataclass(frozen=True)
class Page:
    """page/per_page as rows: `limit` rows after skipping `offset`."""

    limit: int
    offset: int


def bound_page() -> Page:
    """A page whose limit and offset are given when its statement runs, as
    the parameters `limit` and `offset`: for a long statement built once."""
    limit, offset = bindparam("limit", type_=BigInteger), bindparam("offset", type_=BigInteger)
    return Page(limit=limit, offset=offset)  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False)
class Order:
    """A list's order: `columns` all ascending or all descending, the last
    ones unique within `scope` (the equality filters every query of the
    list has, such as app_pk), so that a row's position is its key."""

    name: str
    scope: Sequence[Any]
    columns: Sequence[Any]
    descending: bool = False
    # False: an order over an expression or a join no single index serves;
    # such a list is read with OFFSET (the reason goes in `why`).
    indexed: bool = True
    why: str = ""

    def __post_init__(self) -> None:
        if not self.indexed and not self.why:
            raise ValueError(f"order {self.name}: say why no index serves it")
        ORDERS.append(self)

    def by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def key(self) -> Any:
        return tuple_(*self.columns)


@dataclass(frozen=True)
class Start:
    """Where a deep page's skip begins: at the first row whose order key is
    `key` or after it, which has `ahead` rows before it (both SQL scalars,
    such as subqueries; `ahead` at most the page's offset)."""

    key: Any
    ahead: Any


async def page(
    session: AsyncSession, query: Select, order: Order, at: Page, start: Start | None = None
) -> list[Any]:
    """The rows of `query` (its WHERE already holding the order's scope) on
    the page `at`, in `order`; skipping from `start` if given."""
    return await _rows(session, page_query(query, order, at, start))


async def after(
    session: AsyncSession, query: Select, order: Order, mark: Sequence[Any] | None, limit: int
) -> list[Any]:
    return await _rows(session, after_query(query, order, mark, limit))


async def _rows(session: AsyncSession, query: Select) -> list[Any]:
    """Objects for a query of one entity or column, row tuples otherwise."""
    if len(query.column_descriptions) == 1:
        return list(await session.scalars(query))
    return list(await session.execute(query))


def first_page_query(query: Select, order: Order) -> Select:
    """The first page of `query` in `order`, its size bound at each run
    (`limit`): for a statement compiled once (storage/prepared.py)."""
    return page_query(query, order, Page(limit=bindparam("limit"), offset=0))  # type: ignore[arg-type]


def page_query(query: Select, order: Order, at: Page, start: Start | None = None) -> Select:
    ordered = query.order_by(*order.by())
    if start is None and (at.offset == 0 or not order.indexed):
        return ordered.offset(at.offset or None).limit(at.limit)
    skipped = query.with_only_columns(*order.columns).order_by(*order.by())
    if start is not None:
        skipped = skipped.where(_from(order, start.key)).offset(at.offset - start.ahead)
    else:
        skipped = skipped.offset(at.offset)
    # A row compared with a one-row subquery: PostgreSQL runs the subquery
    # once (an InitPlan) and seeks the index from its result; past the last
    # row the boundary is NULL and the page is empty.
    return ordered.where(_from(order, skipped.limit(1).scalar_subquery())).limit(at.limit)


def _from(order: Order, key: Any) -> ColumnElement[bool]:
    """The rows at `key` or after it in `order`."""
    return order.key() <= key if order.descending else order.key() >= key


def after_query(query: Select, order: Order, mark: Sequence[Any] | None, limit: int) -> Select:
    """The next `limit` rows of `query` strictly after the row whose order
    key is `mark` (from the start when None): a cursor walk."""
    ordered = query.order_by(*order.by())
    if mark is not None:
        bound = tuple_(*(literal(v, c.type) for v, c in zip(mark, order.columns, strict=True)))
        ordered = ordered.where(order.key() < bound if order.descending else order.key() > bound)
    return ordered.limit(limit)


def take(query: Select, n: int | ColumnElement[int]) -> Select:
    """At most `n` rows of `query` (a uniqueness probe, a batch claim); `n`
    may be bound at each run (a bind parameter)."""
    return query.limit(n)
