"""Inputs: the media and data users upload. Media bytes live in the blob
store; a row keeps the Data message as JSON with a blob reference.

A URL input waits for its download (pending, 30001) until a fetch job
(server/fetch.py) takes it (in progress, 30003) and records the outcome.
An input posted under an inputs_add_job_id names its job (add_job_pk;
storage/inputs_add_jobs.py counts the job's inputs).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ForeignKey,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    bindparam,
    case,
    column,
    delete,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Text

from storage import input_marks, jsonb, listing
from storage.annotations import SUCCESS as ANNOTATED
from storage.base import Base, Timestamps, any_of, any_param
from storage.listing import Order, Page
from storage.prepared import Prepared, built_rows
from storage.scoped import AppScoped

SUCCESS, PENDING, FAILED, IN_PROGRESS = 30000, 30001, 30002, 30003


class Input(Timestamps, Base):
    __tablename__ = "inputs"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # Keyset order for lists and streams (StreamInputs by id seeks the
        # unique (app_pk, id) instead).
        Index("ix_inputs_app_order", "app_pk", "created_at", "pk"),
        # The same order within one status (ListInputs' status filter, counts).
        Index("ix_inputs_app_status_order", "app_pk", "status_code", "created_at", "pk"),
        # PostInputs' duplicate URL check, within the app.
        Index("ix_inputs_app_source_url", "app_pk", "source_url"),
        # An inputs add job's waiting and downloading inputs, counted.
        Index("ix_inputs_add_job_status", "add_job_pk", "status_code"),
        # Whether an input refers to a blob (the orphan sweep, storage/blobs.py).
        Index("ix_inputs_app_blob", "app_pk", "blob_key", postgresql_where=text("blob_key <> ''")),
        # Search filters on metadata (`METADATA @> ...`, storage/search_filters.py):
        # the metadata alone, cheaper to keep than the whole data.
        Index(
            "ix_inputs_metadata",
            literal_column("(data -> 'metadata')").label("metadata"),
            postgresql_using="gin",
            postgresql_ops={"metadata": "jsonb_path_ops"},
        ),
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
    # The inputs add job PostInputs counted the input in, if any.
    add_job_pk: Mapped[int | None] = mapped_column(
        ForeignKey("inputs_add_jobs.pk", ondelete="SET NULL"), default=None
    )


# An input's metadata, as ix_inputs_metadata indexes it (the key is SQL
# text, not a parameter, so every plan matches the index's expression).
METADATA = Input.data.op("->", return_type=JSONB)(literal_column("'metadata'"))

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

# The concepts of each input's input-level annotation (its first), read in
# the same statement as the input: the inputs shown (GetInput, lists,
# searches) need them, and one statement is one round trip.
_ANNOTATIONS = table(
    "annotations",
    column("pk"),
    column("app_pk"),
    column("input_id"),
    column("data", JSONB),
    column("input_level"),
    column("model_version_id"),
)
_INPUT_LEVEL_CONCEPTS = listing.take(
    select(_ANNOTATIONS.c.data["concepts"])
    .where(
        _ANNOTATIONS.c.app_pk == Input.app_pk,
        _ANNOTATIONS.c.input_id == Input.id,
        _ANNOTATIONS.c.input_level,
        _ANNOTATIONS.c.model_version_id == "",
    )
    .order_by(_ANNOTATIONS.c.pk),
    1,
).scalar_subquery()
CONCEPTS = func.coalesce(_INPUT_LEVEL_CONCEPTS, literal_column("'[]'::jsonb")).label("concepts")


class Row(NamedTuple):
    """An input as read back (plain values, no ORM identity; a tuple: made
    for every input a page shows, a quarter of a frozen dataclass's cost)."""

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
    # Its input-level concepts when read with it (None: not read).
    concepts: list[dict[str, Any]] | None = None


def _columns(inline_text: int | BindParameter[int]) -> tuple[Any, ...]:
    """_COLUMNS, with a text input's raw left out when it is longer than
    `inline_text` bytes (0: always kept). Lists read them so: the database
    drops the text, the server never loads it (the text is served from its
    hosted copy, by url)."""
    if isinstance(inline_text, int) and not inline_text:
        return (*_COLUMNS, CONCEPTS)
    raw = Input.data["text"]["raw"].astext
    data = case(
        (func.octet_length(raw) > inline_text, Input.data.delete_path(["text", "raw"])),
        else_=Input.data,
    ).label("data")
    return (*(data if c is Input.data else c for c in _COLUMNS), CONCEPTS)


@functools.lru_cache(maxsize=16)
def selected(inline_text: int = 0) -> Select:
    """Inputs as `rows` reads them (texts longer than `inline_text` bytes
    without raw, as `_columns` says). Built once per size: a Select is
    never changed, only copied (a search's, built per call, begins here)."""
    return select(*_columns(inline_text))


def rows(result: Any) -> list[Row]:
    """A result of `selected()` (or of its columns) as Rows."""
    return [Row(*r) for r in result]


# ---- lists and streams ----

# ListInputs, newest first. A deep page does not read the rows it skips: its
# boundary is found in an index-only scan of the order's index (no heap
# visits for pages the visibility map marks all-visible, which autovacuum
# keeps current), then the page is read by a keyset seek from it.
LIST = Order(
    "ListInputs", scope=[Input.app_pk], columns=[Input.created_at, Input.pk], descending=True
)
# The same within one status, on the (app_pk, status_code, created_at, pk) index.
LIST_IN_STATUS = Order(
    "ListInputs in one status",
    scope=[Input.app_pk, Input.status_code],
    columns=[Input.created_at, Input.pk],
    descending=True,
)
# StreamInputs' cursor walks, by (descending, by id): by (created_at, pk)
# from the last row, or by id from the last id, on the unique (app_pk, id).
STREAM = {
    (False, False): Order("StreamInputs", [Input.app_pk], [Input.created_at, Input.pk]),
    (True, False): Order(
        "StreamInputs descending",
        [Input.app_pk],
        [Input.created_at, Input.pk],
        descending=True,
    ),
    (False, True): Order("StreamInputs by id", [Input.app_pk], [Input.id]),
    (True, True): Order(
        "StreamInputs by id descending", [Input.app_pk], [Input.id], descending=True
    ),
}


# GetInput's read and ListInputs' first page, compiled once (storage/prepared.py).
_GET = Prepared(
    select(*_columns(0)).where(Input.app_pk == bindparam("app_pk"), Input.id == any_param("ids"))
)
# One input (GetInput): its id bound as text, not as an array of one, which
# cost the driver about 20 us a call to adapt.
_GET_ONE = Prepared(
    select(*_columns(0)).where(Input.app_pk == bindparam("app_pk"), Input.id == bindparam("id"))
)
# The inputs a writer of their data changes, locked as it locks them (FOR
# NO KEY UPDATE: PatchInputs, bulk operations), which keeps out other
# writers but not those adding rows that refer to the inputs (annotations,
# embeddings). With their input-level concepts (PatchInputs), or without
# them for a writer that reads them with the annotations it changes
# (server/input_labels.py).
_LOCKED, _LOCKED_WITH_CONCEPTS = (
    Prepared(
        select(*columns)
        .where(Input.app_pk == bindparam("app_pk"), Input.id == any_param("ids"))
        .with_for_update(of=Input, key_share=True)
    )
    for columns in (_COLUMNS, (*_COLUMNS, CONCEPTS))
)
_FIRST_PAGE = Prepared(
    listing.first_page_query(
        select(*_columns(bindparam("inline_text"))).where(Input.app_pk == bindparam("app_pk")),
        LIST,
    )
)


def listed(
    app_pk: int, *, status_code: int = 0, ids: Sequence[str] = (), inline_text: int = 0
) -> tuple[Select, Order]:
    """ListInputs' query (optionally within one status, among `ids`) and its
    order, to be paged by listing.page."""
    q = select(*_columns(inline_text)).where(Input.app_pk == app_pk)
    if ids:
        q = q.where(Input.id == any_of(ids))
    if not status_code:
        return q, LIST
    return q.where(Input.status_code == status_code), LIST_IN_STATUS


@functools.cache
def _marked_query(inline_text: int) -> Prepared:
    """ListInputs' page of all of an app's inputs skipping from the nearest
    mark, each row followed by what the marks' `stale` reads; the app, limit
    and offset bound when it runs (a long statement: built and compiled once)."""
    app_pk, at = bindparam("app_pk", type_=BigInteger), listing.bound_page()
    query, order = listed(app_pk, inline_text=inline_text)  # type: ignore[arg-type]
    marked = input_marks.start(app_pk, at.offset)
    signalled = query.add_columns(*marked.signals)
    return Prepared(listing.page_query(signalled, order, at, marked.start))


# ---- writes ----


# The inputs with their input-level annotations, in one statement over one
# JSON array of rows (jsonb_to_recordset): the SQL text never changes, so
# neither SQLAlchemy nor psycopg re-parses a long VALUES list per request,
# and 128 rows travel as a single parameter that orjson writes (jsonb.dumps). An
# input whose id is taken is skipped, and so is its annotation (whose id is
# made here, as server.ids.new_id makes ids).
_ADD_INPUTS = Prepared(
    text(
        f"""
    WITH r AS (
        SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb))
            AS r(id text, data jsonb, media_kind text, source_url text, blob_key text,
                 status_code bigint, status_details text, labels jsonb)
    ), added AS (
        INSERT INTO inputs (app_pk, id, data, media_kind, source_url, blob_key,
                            status_code, status_details, add_job_pk)
        SELECT :app_pk, r.id, r.data, r.media_kind, r.source_url, r.blob_key,
               r.status_code, r.status_details, CAST(:add_job_pk AS bigint)
        FROM r
        ON CONFLICT (app_pk, id) DO NOTHING
        RETURNING id, pk, created_at, modified_at
    ), labelled AS (
        INSERT INTO annotations (app_pk, id, input_id, data, annotation_info, user_id,
                                 task_id, model_version_id, input_level, status_code,
                                 status_details)
        SELECT :app_pk, replace(CAST(gen_random_uuid() AS text), '-', ''), a.id, r.labels,
               '{{}}'::jsonb, :user_id, '', '', true, {ANNOTATED}, ''
        FROM added AS a JOIN r ON r.id = a.id
    )
    SELECT id, pk, created_at, modified_at FROM added
    """
    )
)

# PostInputs' look for ids and URLs the app holds, in one round trip: one
# index probe per value, on the unique (app_pk, id) and on
# ix_inputs_app_source_url. (A LIMIT keeps each probe a subquery of its own;
# as a plain `= ANY(...)` the planner may scan all the app's inputs instead,
# as it does while a fast-growing table's statistics are not yet analyzed.)
_CLASHES = Prepared(
    text(
        """
    SELECT true, x.v FROM unnest(CAST(:ids AS text[])) AS x(v),
        LATERAL (SELECT FROM inputs WHERE app_pk = :app_pk AND id = x.v LIMIT 1) AS hit
    UNION ALL
    SELECT false, x.v FROM unnest(CAST(:urls AS text[])) AS x(v),
        LATERAL (SELECT FROM inputs WHERE app_pk = :app_pk AND source_url = x.v LIMIT 1) AS hit
    """
    )
)

# (SQL text sets modified_at itself: the column's onupdate applies to
# update() statements only.)
_SET_DATA = Prepared(
    text(
        """
    UPDATE inputs AS i SET data = r.data, modified_at = now()
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(pk bigint, data jsonb)
    WHERE i.app_pk = :app_pk AND i.pk = r.pk
    RETURNING i.pk, i.modified_at
    """
    )
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


def _inserted(values: dict[str, Any], pk: int, created: datetime, modified: datetime) -> Row:
    """An input as InputStorage.add inserted it: the values sent, with what
    the database gave it."""
    return Row(
        pk,
        values["id"],
        values["data"],
        values["media_kind"],
        values["source_url"],
        values["blob_key"],
        values["status_code"],
        values["status_details"],
        created,
        modified,
    )


class InputStorage(AppScoped[Input]):
    """The app's inputs."""

    model = Input

    async def taken_ids(self, ids: Sequence[str]) -> set[str]:
        return await self.existing_ids(ids)

    async def clashes(self, ids: Sequence[str], urls: Sequence[str]) -> tuple[set[str], set[str]]:
        """Which of these ids the app's inputs hold, and which of these
        source URLs, in one read."""
        if not ids and not urls:
            return set(), set()
        rows = await _CLASHES.rows(self.session, app_pk=self.app.pk, ids=list(ids), urls=list(urls))
        taken: set[str] = set()
        known: set[str] = set()
        for is_id, value in rows:
            (taken if is_id else known).add(value)
        return taken, known

    async def add(
        self, values: list[dict[str, Any]], user_id: str, add_job_pk: int | None = None
    ) -> dict[str, Row]:
        """Insert inputs (dicts of id, data, media_kind, source_url, blob_key,
        status_code, status_details, and labels: the data of the input's
        input-level annotation, made by `user_id`), counted in the inputs add
        job `add_job_pk` if given, in one statement; returns the inputs
        inserted, by id. An id taken meanwhile by a concurrent request is
        skipped. (The rows are made of the values sent: reading `data` back
        would cost a JSON parse per input.)"""
        if not values:
            return {}
        result = await _ADD_INPUTS.rows(
            self.session,
            app_pk=self.app.pk,
            rows=jsonb.dumps(values),
            add_job_pk=add_job_pk,
            user_id=user_id,
        )
        sent = {v["id"]: v for v in values}
        return {
            input_id: _inserted(sent[input_id], pk, created, modified)
            for input_id, pk, created, modified in result
        }

    async def fail_unfinished(self, add_job_pk: int, details: str) -> int:
        """Fail the inputs of an inputs add job that wait for their download
        or are being downloaded (a download under way then records nothing);
        how many."""
        failed = await self.session.scalars(
            update(Input)
            .where(
                Input.app_pk == self.app.pk,
                Input.add_job_pk == add_job_pk,
                Input.status_code.in_(_UNFINISHED),
            )
            .values(status_code=FAILED, status_details=details, modified_at=func.now())
            .returning(Input.pk)
        )
        return len(failed.all())

    async def set_data(self, changes: dict[int, dict[str, Any]]) -> dict[int, datetime]:
        """New `data` for inputs by pk, in one statement; returns when each
        changed, by pk."""
        if not changes:
            return {}
        rows = [{"pk": pk, "data": data} for pk, data in changes.items()]
        result = await _SET_DATA.rows(self.session, app_pk=self.app.pk, rows=jsonb.dumps(rows))
        return {pk: at for pk, at in result}

    async def delete(self, ids: Sequence[str]) -> dict[str, str]:
        """Delete inputs (their annotations go with them); returns the blob key
        (or "") each deleted input held, by id."""
        rows = await self.session.execute(
            delete(Input)
            .where(Input.app_pk == self.app.pk, Input.id == any_of(ids))
            .returning(Input.id, Input.blob_key)
        )
        return {input_id: key for input_id, key in rows}

    async def get(self, input_id: str) -> Row | None:
        """The input with this id, whole, if the app has it."""
        found = rows(await _GET_ONE.rows(self.session, app_pk=self.app.pk, id=input_id))
        return found[0] if found else None

    async def get_many(self, ids: Sequence[str], *, inline_text: int = 0) -> dict[str, Row]:
        """The inputs with these ids, by id; texts longer than `inline_text`
        bytes without raw."""
        if not ids:
            return {}
        if not inline_text:
            found = await _GET.rows(self.session, app_pk=self.app.pk, ids=sorted(set(ids)))
            return {r.id: r for r in rows(found)}
        q = select(*_columns(inline_text)).where(
            Input.app_pk == self.app.pk, Input.id == any_of(ids)
        )
        return {r.id: r for r in rows(await built_rows(self.session, q))}

    async def locked(self, ids: Sequence[str], *, concepts: bool = False) -> dict[str, Row]:
        """The inputs with these ids, by id, held until the transaction ends
        (which also serializes writers of their input-level annotations),
        with their input-level concepts read in the same statement when
        `concepts`, else without (Row.concepts None)."""
        if not ids:
            return {}
        statement = _LOCKED_WITH_CONCEPTS if concepts else _LOCKED
        found = await statement.rows(self.session, app_pk=self.app.pk, ids=sorted(set(ids)))
        return {r.id: r for r in rows(found)}

    async def raw_texts(
        self, input_ids: Sequence[str], *, hold: bool = False
    ) -> dict[str, str | None]:
        """The inputs of `input_ids` that exist in the app, each with its raw
        text (None for inputs that carry none), to check text spans against.
        `hold` locks them as a foreign key check does (FOR KEY SHARE): they
        cannot be deleted before the transaction ends."""
        q = select(Input.id, Input.data["text"]["raw"].astext).where(
            Input.app_pk == self.app.pk, Input.id.in_(set(input_ids))
        )
        if hold:
            q = q.with_for_update(read=True, key_share=True)
        return {input_id: raw for input_id, raw in await self.session.execute(q)}

    async def page(
        self, at: Page, *, status_code: int = 0, ids: Sequence[str] = (), inline_text: int = 0
    ) -> list[Row]:
        """ListInputs' page (optionally within one status, among `ids`),
        newest first; texts longer than `inline_text` bytes without raw."""
        if at.offset == 0 and not status_code and not ids and inline_text:
            found = await _FIRST_PAGE.rows(
                self.session, app_pk=self.app.pk, limit=at.limit, inline_text=inline_text
            )
            return rows(found)
        query, order = listed(
            self.app.pk, status_code=status_code, ids=ids, inline_text=inline_text
        )
        if status_code or ids or at.offset < input_marks.MARKED_FROM:
            return rows(await listing.page(self.session, query, order, at))
        return await self._marked_page(at, inline_text)

    async def _marked_page(self, at: Page, inline_text: int) -> list[Row]:
        """A deep page of all the app's inputs, skipping from the nearest mark;
        the marks are rebuilt when they served it poorly."""
        found = await _marked_query(inline_text).rows(
            self.session, app_pk=self.app.pk, limit=at.limit, offset=at.offset
        )
        if found and input_marks.stale(*found[0][-2:]):
            keys = select(Input).where(Input.app_pk == self.app.pk)
            await input_marks.rebuild(self.session, self.app.pk, keys, LIST)
        return [Row(*r[:-2]) for r in found]

    async def stream(
        self,
        limit: int,
        *,
        after: Row | None,
        last_id: str,
        descending: bool,
        by_id: bool,
        inline_text: int = 0,
    ) -> list[Row]:
        """The next `limit` inputs after a cursor: by (created_at, pk) from the
        row `after`, or by id from `last_id` when `by_id`; texts longer than
        `inline_text` bytes without raw."""
        if by_id:
            mark = (last_id,) if last_id else None
        else:
            mark = (after.created_at, after.pk) if after is not None else None
        query = select(*_columns(inline_text)).where(Input.app_pk == self.app.pk)
        order = STREAM[descending, by_id]
        return rows(await listing.after(self.session, query, order, mark, limit))

    async def count_by_status(self) -> dict[int, int]:
        rows = await self.session.execute(
            select(Input.status_code, func.count())
            .where(Input.app_pk == self.app.pk)
            .group_by(Input.status_code)
        )
        return {code: n for code, n in rows}
