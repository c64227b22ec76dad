"""Stat values: a caller's own time series (PostStatValues), each value at a
time with "group:tag" tags, and their aggregates over time buckets and tag
groups (PostStatValuesAggregate)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import REAL, BigInteger, ForeignKey, Identity, Index, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.scoped import AppScope

# StatTimeAggType -> date_trunc's field (NO_TIME_AGG: no buckets).
TIME_BUCKETS = {1: "year", 2: "month", 3: "week", 4: "day", 5: "hour", 6: "minute"}
SUM, AVG = 0, 1


class StatValue(Base):
    __tablename__ = "stat_values"
    __table_args__ = (
        Index("ix_stat_values_app_time", "app_pk", "time"),
        # Filtering by tags (array containment).
        Index("ix_stat_values_tags", "tags", postgresql_using="gin"),
    )

    pk: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    time: Mapped[datetime]
    value: Mapped[float] = mapped_column(REAL)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text))


@dataclass(frozen=True)
class Query:
    """One aggregate query, checked."""

    tags: Sequence[str]
    groups: Sequence[str]
    agg: int
    bucket: str | None
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class Aggregate:
    time: datetime | None
    value: float
    count: int
    tags: list[str]


class StatValueStorage:
    def __init__(self, session: Any, app: AppScope) -> None:
        self.session = session
        self.app = app

    async def add(self, values: Sequence[dict[str, Any]]) -> list[StatValue]:
        """Store these values ({time, value, tags}) in the order given."""
        stmt = (
            insert(StatValue)
            .values([{**v, "app_pk": self.app.pk} for v in values])
            .returning(StatValue)
        )
        rows = list(await self.session.scalars(stmt))
        return sorted(rows, key=lambda r: r.pk)

    async def aggregate(self, q: Query) -> list[Aggregate]:
        """The app's values holding every tag of `q.tags`, within the time
        range, summed or averaged per time bucket and per combination of
        the tag groups' tags (a value counts under each tag it has of a
        group; a value with no tag of some group is left out)."""
        params: dict[str, Any] = {"app_pk": self.app.pk, "tags": list(q.tags)}
        where = ["s.app_pk = :app_pk", "s.tags @> CAST(:tags AS text[])"]
        if q.start is not None:
            where.append("s.time >= :start")
            params["start"] = q.start
        if q.end is not None:
            where.append("s.time <= :end")
            params["end"] = q.end
        joins, keys = [], []
        for n, group in enumerate(q.groups):
            params[f"g{n}"] = group + ":%"
            joins.append(
                f"CROSS JOIN LATERAL (SELECT DISTINCT t FROM unnest(s.tags) AS t "
                f"WHERE t LIKE :g{n}) AS g{n}"
            )
            keys.append(f"g{n}.t")
        bucket = (
            f"date_trunc('{q.bucket}', s.time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"
            if q.bucket
            else "NULL::timestamptz"
        )
        fn = "avg" if q.agg == AVG else "sum"
        tags = f"ARRAY[{', '.join(keys)}]::text[]" if keys else "ARRAY[]::text[]"
        group_by = ", ".join(["1", *keys])
        sql = (
            f"SELECT {bucket} AS bucket, {fn}(s.value) AS value, count(*) AS count, "
            f"{tags} AS tags FROM stat_values s {' '.join(joins)} "
            f"WHERE {' AND '.join(where)} GROUP BY {group_by} ORDER BY 1, 4"
        )
        rows = await self.session.execute(text(sql), params)
        return [Aggregate(r.bucket, float(r.value), int(r.count), list(r.tags)) for r in rows]
