"""Inputs: the media and data users upload. Media bytes live in the blob
store; a row keeps the Data message as JSON with a blob reference.

A URL input waits for its download (pending, 30001) until a fetch job
(server/fetch.py) takes it (in progress, 30003) and records the outcome.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    delete,
    func,
    literal,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Text

from storage.base import Base, Timestamps, any_of, ids_in
from storage.scoped import AppScoped

SUCCESS, PENDING, FAILED, IN_PROGRESS = 30000, 30001, 30002, 30003
ANNOTATION_SUCCESS = 24150


class Input(Timestamps, Base):
    __tablename__ = "inputs"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # Keyset order for lists and streams.
        Index("ix_inputs_app_order", "app_pk", "created_at", "pk"),
        # The same order within one status (ListInputs' status filter, counts).
        Index("ix_inputs_app_status_order", "app_pk", "status_code", "created_at", "pk"),
        # PostInputs' duplicate URL check, within the app.
        Index("ix_inputs_app_source_url", "app_pk", "source_url"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    # The Data message (json_format, snake_case) without the input-level
    # concepts, which are kept as the input-level annotation, and without
    # bytes, which are in the blob store.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Media kind (image, video, audio, text) and its source URL, for duplicate
    # URL checks and downloads; blob_key names the stored bytes.
    media_kind: Mapped[str] = mapped_column(default="")
    source_url: Mapped[str] = mapped_column(default="")
    blob_key: Mapped[str] = mapped_column(default="")
    status_code: Mapped[int] = mapped_column(default=PENDING)
    status_details: Mapped[str] = mapped_column(default="")


_COLUMNS = (
    Input.pk,
    Input.id,
    Input.data,
    Input.media_kind,
    Input.source_url,
    Input.blob_key,
    Input.status_code,
    Input.status_details,
    Input.created_at,
    Input.modified_at,
)


@dataclass(frozen=True)
class Row:
    """An input as read back (plain values, no ORM identity)."""

    pk: int
    id: str
    data: dict[str, Any]
    media_kind: str
    source_url: str
    blob_key: str
    status_code: int
    status_details: str
    created_at: datetime
    modified_at: datetime


def _rows(result: Any) -> list[Row]:
    return [Row(*r) for r in result]


# ---- writes ----


# Multi-row inserts as one fixed statement over one JSON array of rows
# (jsonb_to_recordset): the SQL text never changes, so neither SQLAlchemy nor
# psycopg re-parses a long VALUES list per request, and 128 rows travel as a
# single parameter that json.dumps writes in C.
_ADD_INPUTS = text(
    """
    INSERT INTO inputs (app_pk, id, data, media_kind, source_url, blob_key,
                        status_code, status_details)
    SELECT :app_pk, r.id, r.data, r.media_kind, r.source_url, r.blob_key,
           r.status_code, r.status_details
    FROM jsonb_to_recordset(CAST(:rows AS jsonb))
         AS r(id text, data jsonb, media_kind text, source_url text, blob_key text,
              status_code bigint, status_details text)
    ON CONFLICT (app_pk, id) DO NOTHING
    RETURNING id, pk, created_at, modified_at
    """
)

_ADD_INPUT_LEVEL = text(
    f"""
    INSERT INTO annotations (app_pk, id, input_id, data, annotation_info, user_id, task_id,
                             model_version_id, input_level, status_code, status_details)
    SELECT :app_pk, r.id, r.input_id, r.data, '{{}}'::jsonb, :user_id, '', '', true,
           {ANNOTATION_SUCCESS}, ''
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id text, input_id text, data jsonb)
    """
)


_SET_DATA = text(
    """
    UPDATE inputs AS i SET data = r.data, modified_at = now()
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(pk bigint, data jsonb)
    WHERE i.app_pk = :app_pk AND i.pk = r.pk
    RETURNING i.pk, i.modified_at
    """
)


# ---- reads ----


# The input-level annotations live in the annotations table, whose module
# imports this one: they are reached by SQL text, as _ADD_INPUT_LEVEL is.
_INPUT_LEVEL = text(
    """
    SELECT DISTINCT ON (input_id) input_id, pk, data
    FROM annotations
    WHERE app_pk = :app_pk AND input_id = ANY(:ids) AND input_level
    ORDER BY input_id, pk
    """
)

_SET_ANNOTATION_DATA = text(
    """
    UPDATE annotations AS a SET data = r.data, modified_at = now()
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(pk bigint, data jsonb)
    WHERE a.app_pk = :app_pk AND a.pk = r.pk
    """
)


def page_query(app_pk: int, *, limit: int, offset: int, status_code: int = 0) -> Select:
    """ListInputs' page, newest first. A deep page does not read the rows it
    skips: the page's boundary (created_at, pk) is found by skipping `offset`
    entries of the (app_pk[, status_code], created_at, pk) index in an
    index-only scan, then the page is read from the table by a keyset seek
    from that boundary. (Index-only: no heap visits for pages the visibility
    map marks all-visible, which autovacuum keeps current.)"""
    where = [Input.app_pk == app_pk]
    if status_code:
        where.append(Input.status_code == status_code)
    boundary = (
        select(Input.created_at, Input.pk)
        .where(*where)
        .order_by(Input.created_at.desc(), Input.pk.desc())
        .offset(offset)
        .limit(1)
        .scalar_subquery()
    )
    # A row compared with a one-row subquery: PostgreSQL runs the subquery
    # once (an InitPlan) and seeks the index from its result.
    return (
        select(*_COLUMNS)
        .where(*where, tuple_(Input.created_at, Input.pk) <= boundary)
        .order_by(Input.created_at.desc(), Input.pk.desc())
        .limit(limit)
    )


# ---- downloads (the fetch jobs' side: one input by pk, across apps) ----

# A download not yet recorded: waiting, or taken by a run that may have
# been interrupted (its job runs again).
_UNFINISHED = (PENDING, IN_PROGRESS)


@dataclass(frozen=True)
class Download:
    pk: int
    app_pk: int
    id: str
    media_kind: str
    url: str


async def start_download(session: AsyncSession, pk: int) -> Download | None:
    """Mark the input's download in progress; None when the input is gone
    or its download already recorded (a job run again after it finished)."""
    row = (
        await session.execute(
            update(Input)
            .where(Input.pk == pk, Input.status_code.in_(_UNFINISHED))
            .values(status_code=IN_PROGRESS, status_details="", modified_at=func.now())
            .returning(Input.pk, Input.app_pk, Input.id, Input.media_kind, Input.source_url)
        )
    ).first()
    return Download(*row) if row is not None else None


async def finish_download(
    session: AsyncSession,
    pk: int,
    *,
    status_code: int,
    details: str = "",
    blob_key: str = "",
    image_info: dict[str, Any] | None = None,
) -> bool:
    """Record a download's outcome; False when the input was deleted or its
    download recorded meanwhile (the caller then drops what it stored)."""
    values: dict[str, Any] = {
        "status_code": status_code,
        "status_details": details,
        "blob_key": blob_key,
        "modified_at": func.now(),
    }
    if image_info:
        values["data"] = func.jsonb_set(
            Input.data,
            literal(["image", "image_info"], ARRAY(Text)),
            literal(image_info, JSONB),
            True,
        )
    result = await session.execute(
        update(Input)
        .where(Input.pk == pk, Input.status_code.in_(_UNFINISHED))
        .values(**values)
        .returning(Input.pk)
    )
    return result.first() is not None


async def release_download(session: AsyncSession, pk: int) -> None:
    """Put an interrupted download back to waiting (its job runs again)."""
    await session.execute(
        update(Input)
        .where(Input.pk == pk, Input.status_code == IN_PROGRESS)
        .values(status_code=PENDING, modified_at=func.now())
    )


class InputStorage(AppScoped[Input]):
    """The app's inputs."""

    model = Input

    async def taken_ids(self, ids: Sequence[str]) -> set[str]:
        return await ids_in(self.session, Input, self.app, ids)

    async def known_urls(self, urls: Sequence[str]) -> set[str]:
        if not urls:
            return set()
        rows = await self.session.scalars(
            select(Input.source_url).where(
                Input.app_pk == self.app.pk, Input.source_url == any_of(urls)
            )
        )
        return set(rows)

    async def add(self, values: list[dict[str, Any]]) -> dict[str, tuple[int, datetime, datetime]]:
        """Insert inputs (dicts of id, data, media_kind, source_url, blob_key,
        status_code, status_details) in one statement. An id taken meanwhile by
        a concurrent request is skipped; returns (pk, created_at, modified_at)
        by id of those inserted."""
        if not values:
            return {}
        result = await self.session.execute(
            _ADD_INPUTS, {"app_pk": self.app.pk, "rows": json.dumps(values)}
        )
        return {row[0]: (row[1], row[2], row[3]) for row in result}

    async def add_input_annotations(self, user_id: str, values: list[dict[str, Any]]) -> None:
        """Input-level annotations (dicts of id, input_id, data) by `user_id`,
        in one statement."""
        if not values:
            return
        await self.session.execute(
            _ADD_INPUT_LEVEL,
            {"app_pk": self.app.pk, "user_id": user_id, "rows": json.dumps(values)},
        )

    async def set_data(self, changes: dict[int, dict[str, Any]]) -> dict[int, datetime]:
        """New `data` for inputs by pk, in one statement; returns when each
        changed, by pk."""
        if not changes:
            return {}
        rows = [{"pk": pk, "data": data} for pk, data in changes.items()]
        result = await self.session.execute(
            _SET_DATA, {"app_pk": self.app.pk, "rows": json.dumps(rows)}
        )
        return {pk: at for pk, at in result}

    async def delete_(self, ids: Sequence[str]) -> dict[str, str]:
        """Delete inputs (their annotations go with them); returns the blob key
        (or "") each deleted input held, by id."""
        rows = await self.session.execute(
            delete(Input)
            .where(Input.app_pk == self.app.pk, Input.id == any_of(ids))
            .returning(Input.id, Input.blob_key)
        )
        return {input_id: key for input_id, key in rows}

    async def get_many(self, ids: Sequence[str], *, for_update: bool = False) -> dict[str, Row]:
        if not ids:
            return {}
        q = select(*_COLUMNS).where(Input.app_pk == self.app.pk, Input.id == any_of(ids))
        if for_update:
            q = q.with_for_update()
        return {r.id: r for r in _rows(await self.session.execute(q))}

    async def input_level(self, input_ids: Sequence[str]) -> dict[str, tuple[int, dict[str, Any]]]:
        """Each input's input-level annotation (the first one, made with the
        input) as (annotation pk, data), by input id. (Writers lock the inputs'
        rows first, which serializes them on these annotations too.)"""
        if not input_ids:
            return {}
        rows = await self.session.execute(
            _INPUT_LEVEL, {"app_pk": self.app.pk, "ids": sorted(set(input_ids))}
        )
        return {input_id: (pk, data) for input_id, pk, data in rows}

    async def set_annotation_data(self, changes: dict[int, dict[str, Any]]) -> None:
        """New data for input-level annotations by pk, in one statement."""
        if not changes:
            return
        rows = [{"pk": pk, "data": data} for pk, data in changes.items()]
        await self.session.execute(
            _SET_ANNOTATION_DATA, {"app_pk": self.app.pk, "rows": json.dumps(rows)}
        )

    async def list_page(self, *, limit: int, offset: int, status_code: int = 0) -> list[Row]:
        q = page_query(self.app.pk, limit=limit, offset=offset, status_code=status_code)
        return _rows(await self.session.execute(q))

    async def list_ids(
        self,
        ids: Sequence[str],
        *,
        limit: int,
        offset: int,
        status_code: int = 0,
    ) -> list[Row]:
        """The inputs among `ids`, newest first."""
        q = select(*_COLUMNS).where(Input.app_pk == self.app.pk, Input.id == any_of(ids))
        if status_code:
            q = q.where(Input.status_code == status_code)
        q = q.order_by(Input.created_at.desc(), Input.pk.desc()).limit(limit).offset(offset)
        return _rows(await self.session.execute(q))

    async def stream(
        self,
        *,
        limit: int,
        after: Row | None,
        last_id: str,
        descending: bool,
        by_id: bool,
    ) -> list[Row]:
        """The next `limit` inputs after a cursor: by (created_at, pk) from the
        row `after`, or by id from `last_id` when `by_id`. Both are keyset seeks
        on an index ((app_pk, created_at, pk) or the unique (app_pk, id))."""
        q = select(*_COLUMNS).where(Input.app_pk == self.app.pk)
        if by_id:
            if last_id:
                q = q.where(Input.id < last_id if descending else Input.id > last_id)
            order = [Input.id.desc() if descending else Input.id.asc()]
        else:
            if after is not None:
                key = tuple_(Input.created_at, Input.pk)
                mark = tuple_(
                    literal(after.created_at, Input.created_at.type),
                    literal(after.pk, Input.pk.type),
                )
                q = q.where(key < mark if descending else key > mark)
            order = (
                [Input.created_at.desc(), Input.pk.desc()]
                if descending
                else [Input.created_at.asc(), Input.pk.asc()]
            )
        return _rows(await self.session.execute(q.order_by(*order).limit(limit)))

    async def count_by_status(self) -> dict[int, int]:
        rows = await self.session.execute(
            select(Input.status_code, func.count())
            .where(Input.app_pk == self.app.pk)
            .group_by(Input.status_code)
        )
        return {code: n for code, n in rows}
