"""Annotations: labels on inputs, by users, tasks or models. Each input has
one input-level annotation holding its concepts and metadata."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    DDL,
    Boolean,
    ColumnElement,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    event,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, mapped_column

from storage import jsonb, listing
from storage.base import Base, Timestamps, any_of, id_table
from storage.listing import Order, Page
from storage.prepared import Prepared, built_rows
from storage.scoped import AppScoped

SUCCESS = 24150  # ANNOTATION_SUCCESS

# Every concept label of the annotation `a` of a statement, input-level and
# in its regions, as rows x(concept_id, value); a value json_format left out
# (a negative label) is 0.
LABELS_OF_A = """
    CROSS JOIN LATERAL (
        SELECT c ->> 'id' AS concept_id, COALESCE((c ->> 'value')::float8, 0) AS value
        FROM jsonb_path_query(a.data, 'lax $.concepts[*]') AS c
        UNION ALL
        SELECT c ->> 'id', COALESCE((c ->> 'value')::float8, 0)
        FROM jsonb_path_query(a.data, 'lax $.regions[*].data.concepts[*]') AS c
    ) AS x"""

# The concepts of an annotation as its GIN indexes hold them (SQL over its
# `data`; `concepts` and `region_concepts` below are the same expressions,
# with their keys and paths as SQL text so that every plan matches them).
_CONCEPTS_KEY = "'concepts'"
# (as PostgreSQL writes the path back: the migrations compare the text)
_REGION_CONCEPTS_PATH = """'$."regions"[*]."data"."concepts"[*]'::jsonpath"""
OWN_CONCEPTS = f"(data -> {_CONCEPTS_KEY})"
REGION_CONCEPTS = f"jsonb_path_query_array(data, {_REGION_CONCEPTS_PATH})"


class Annotation(Timestamps, Base):
    __tablename__ = "annotations"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        ForeignKeyConstraint(
            ["app_pk", "input_id"], ["inputs.app_pk", "inputs.id"], ondelete="CASCADE"
        ),
        # An input's annotations, in the order they were made: its first
        # input-level one is read straight from the index, which the planner
        # also takes for an app of a few thousand inputs listed before the
        # table has statistics (below about 1,000 it may still scan).
        Index("ix_annotations_app_input", "app_pk", "input_id", "pk"),
        Index("ix_annotations_app_order", "app_pk", "created_at", "pk"),
        # A task's annotations (ListAnnotations' task filter, PatchAnnotationsStatus).
        Index("ix_annotations_app_task", "app_pk", "task_id"),
        # The app's workers (ListAnnotationWorkers: a skip scan over it).
        Index("ix_annotations_app_worker", "app_pk", "model_version_id", "user_id"),
        # Search filters on concepts (jsonpath `@?`, storage/search_filters.py):
        # the annotation's own, and its regions' without their coordinates.
        Index(
            "ix_annotations_concepts",
            literal_column(OWN_CONCEPTS).label("concepts"),
            postgresql_using="gin",
            postgresql_ops={"concepts": "jsonb_path_ops"},
        ),
        Index(
            "ix_annotations_region_concepts",
            literal_column(REGION_CONCEPTS).label("region_concepts"),
            postgresql_using="gin",
            postgresql_ops={"region_concepts": "jsonb_path_ops"},
        ),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    input_id: Mapped[str]
    # The Data message (concepts, regions, metadata, ...) as json_format JSON.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    annotation_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The human worker (Annotation.user_id, worker.user.id); for a model's
    # annotation, model_version_id names the model version instead.
    user_id: Mapped[str] = mapped_column(default="")
    task_id: Mapped[str] = mapped_column(default="")
    model_version_id: Mapped[str] = mapped_column(default="")
    input_level: Mapped[bool] = mapped_column(default=False)
    status_code: Mapped[int] = mapped_column(default=SUCCESS)
    status_details: Mapped[str] = mapped_column(default="")


# How many of the concepts' values ANALYZE keeps (PostgreSQL's default is
# 100): the planner estimates how many annotations a concept filter matches
# by trying it on them, and by that estimate either walks the app's inputs
# newest first or reads the concept's annotations off the GIN index. In
# bench/bench_search.py's app of 1M inputs, with 100, a concept on 10,660
# annotations was estimated at 714 and read off the index (77 ms warm, 250
# cold, where the walk takes 5-10 ms), and one on 1,276 at 8,171 and walked
# (62 ms warm, 314 cold). With 200 the plan chosen for each concept tried
# (on 0.1% to 48% of the annotations) was the faster one or within 2x of
# it: those two searches took 17 and 22 ms over gRPC. It costs about
# 0.07 ms more planning per search (0.21 -> 0.28 ms; 400 cost 0.2-0.4 ms
# more for the same plans), and ANALYZE of that table 1.5 s instead of
# 0.6 s. The estimate comes from a random sample, though: over 10 ANALYZE
# runs of that app, for 9 concepts on 0.13% to 2.3% of it, 17 of 90 plans
# were over twice (and 5 ms) slower than the other way (a concept on 0.8%
# read off the index in 440 ms where the walk takes 12); 400 chose as
# badly (18 of 90) and 600 no better (24), for more planning (0.54, 0.66
# ms). A count the server kept could choose the way instead (not built).
CONCEPT_STATISTICS = 200
CONCEPT_INDEXES = ("ix_annotations_concepts", "ix_annotations_region_concepts")
for _index in CONCEPT_INDEXES:
    event.listen(
        Base.metadata,
        "after_create",
        DDL(f"ALTER INDEX {_index} ALTER COLUMN 1 SET STATISTICS {CONCEPT_STATISTICS}"),
    )

concepts = Annotation.data.op("->", return_type=JSONB)(literal_column(_CONCEPTS_KEY))
region_concepts = func.jsonb_path_query_array(
    Annotation.data, literal_column(_REGION_CONCEPTS_PATH), type_=JSONB
)
# An annotation without regions has none of their concepts: this key test
# is cheaper than building `region_concepts` (empty then), which a search
# walking inputs newest first would otherwise build for every annotation
# it probes (its GIN index still serves the condition ANDed with it).
has_regions = Annotation.data.op("?", return_type=Boolean)(literal_column("'regions'"))

_COLUMNS = (
    Annotation.pk,
    Annotation.id,
    Annotation.input_id,
    Annotation.data,
    Annotation.annotation_info,
    Annotation.user_id,
    Annotation.task_id,
    Annotation.model_version_id,
    Annotation.input_level,
    Annotation.status_code,
    Annotation.status_details,
    Annotation.created_at,
    Annotation.modified_at,
)


@dataclass(frozen=True)
class Row:
    """An annotation as read back (plain values, no ORM identity)."""

    pk: int
    id: str
    input_id: str
    data: dict[str, Any]
    annotation_info: dict[str, Any]
    user_id: str
    task_id: str
    model_version_id: str
    input_level: bool
    status_code: int
    status_details: str
    created_at: datetime
    modified_at: datetime


def selected() -> Select:
    """Annotations as `rows` reads them."""
    return select(*_COLUMNS)


def rows(result: Any) -> list[Row]:
    """A result of `selected()` (or of its columns) as Rows."""
    return [Row(*r) for r in result]


@dataclass(frozen=True)
class InputLevel:
    """An input's input-level annotation (the first one, made with the
    input): its pk and data."""

    pk: int
    data: dict[str, Any]
    # Who made it (the user who added the input, unless one was made later).
    user_id: str = ""

    @property
    def concepts(self) -> list[dict[str, Any]]:
        return self.data.get("concepts", [])


# ListAnnotations: oldest first, as the reference lists annotations.
LIST = Order(
    "ListAnnotations", scope=[Annotation.app_pk], columns=[Annotation.created_at, Annotation.pk]
)


@dataclass
class Filters:
    """ListAnnotations' filters. `pairs` are (annotation id, input id);
    `trusted_only` keeps what the reference calls trusted annotations."""

    ids: list[str] = field(default_factory=list)
    input_ids: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    user_ids: list[str] = field(default_factory=list)
    model_version_ids: list[str] = field(default_factory=list)
    status_codes: list[int] = field(default_factory=list)
    task_id: str = ""
    trusted_only: bool = False


def conditions(f: Filters) -> list[ColumnElement[bool]]:
    """The filters as conditions on Annotation (ListAnnotations; a search
    filter's annotation terms)."""
    where: list[ColumnElement[bool]] = []
    if f.pairs:
        where.append(tuple_(Annotation.id, Annotation.input_id).in_(f.pairs))
    if f.ids:
        where.append(Annotation.id.in_(f.ids))
    if f.input_ids:
        where.append(Annotation.input_id.in_(f.input_ids))
    if f.task_id:
        where.append(Annotation.task_id == f.task_id)
    if f.status_codes:
        where.append(Annotation.status_code.in_(f.status_codes))
    return [*where, *_by_worker(f), *_trusted(f)]


def _by_worker(f: Filters) -> list[ColumnElement[bool]]:
    """Annotations come from users or model versions: the two filters are OR'd."""
    by_worker: list[ColumnElement[bool]] = []
    if f.user_ids:
        by_worker.append(
            and_(Annotation.model_version_id == "", Annotation.user_id.in_(f.user_ids))
        )
    if f.model_version_ids:
        by_worker.append(Annotation.model_version_id.in_(f.model_version_ids))
    return [or_(*by_worker)] if by_worker else []


def _trusted(f: Filters) -> list[ColumnElement[bool]]:
    """Trusted: not input-level, by a user (unless model versions are asked
    for), and finished (unless statuses are asked for)."""
    if not f.trusted_only:
        return []
    where: list[ColumnElement[bool]] = [Annotation.input_level == false()]
    if not f.model_version_ids:
        where.append(Annotation.model_version_id == "")
    if not f.status_codes:
        where.append(Annotation.status_code == SUCCESS)
    return where


# ---- input-level annotations (in JSON arrays of rows, as inputs are added) ----

_ADD_INPUT_LEVEL = text(
    f"""
    INSERT INTO annotations (app_pk, id, input_id, data, annotation_info, user_id, task_id,
                             model_version_id, input_level, status_code, status_details)
    SELECT :app_pk, r.id, r.input_id, r.data, '{{}}'::jsonb, :user_id, '', '', true,
           {SUCCESS}, ''
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id text, input_id text, data jsonb)
    """
)

_INPUT_LEVEL = Prepared(
    text(
        """
    SELECT DISTINCT ON (input_id) input_id, pk, data, user_id
    FROM annotations
    WHERE app_pk = :app_pk AND input_id = ANY(:ids) AND input_level AND model_version_id = ''
    ORDER BY input_id, pk
    """
    )
)

# (SQL text sets modified_at itself: the column's onupdate applies to
# update() statements only.)
_SET_INPUT_LEVEL_DATA = Prepared(
    text(
        """
    UPDATE annotations AS a SET data = r.data, modified_at = now()
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(pk bigint, data jsonb)
    WHERE a.app_pk = :app_pk AND a.pk = r.pk
    """
    )
)


def _new_id() -> str:
    """A 32-hex id, as server.ids.new_id makes them."""
    return uuid.uuid4().hex


def predicted_id(model_version_id: str, input_id: str) -> str:
    """The id of a model version's predictions on an input: the same
    every time, so that two index runs at once store one annotation."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{model_version_id}/{input_id}").hex


_ADD_PREDICTED = text(
    f"""
    INSERT INTO annotations (app_pk, id, input_id, data, annotation_info, user_id, task_id,
                             model_version_id, input_level, status_code, status_details)
    SELECT :app_pk, r.id, r.input_id, r.data, '{{}}'::jsonb, :user_id, '', :model_version_id,
           true, {SUCCESS}, ''
    FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(id text, input_id text, data jsonb)
    JOIN inputs i ON i.app_pk = :app_pk AND i.id = r.input_id
    ON CONFLICT (app_pk, id) DO NOTHING
    """
)


# ListAnnotationWorkers: users (kind 0), then model versions (kind 1), by id.
LIST_WORKERS = Order(
    "ListAnnotationWorkers",
    scope=[Annotation.app_pk],
    columns=[literal_column("kind"), literal_column("worker")],
    indexed=False,
    why="distinct workers, each found by one seek of ix_annotations_app_worker (a skip "
    "scan); a page skips workers, never annotations",
)


def _skip_scan(name: str, col: Any, where: Sequence[Any]) -> Any:
    """The distinct non-empty values of `col` among the rows `where`
    selects, in order, by one index seek each (a recursive CTE)."""

    def after(bound: Any) -> Any:
        q = select(col).where(*where, col > bound).order_by(col)
        return listing.take(q, 1).scalar_subquery()

    found = select(after("").label("worker")).cte(name, recursive=True)
    found = found.union_all(
        select(after(found.c.worker).label("worker")).where(found.c.worker.is_not(None))
    )
    return select(found.c.worker).where(found.c.worker.is_not(None))


class AnnotationStorage(AppScoped[Annotation]):
    """The app's annotations."""

    model = Annotation

    async def workers(self, at: Page, members: Sequence[str] | None = None) -> list[Any]:
        """(kind, id) of the workers of the app's annotations: users (kind
        0) and model versions (kind 1); of `members`, users only, when given."""
        mine = Annotation.app_pk == self.app.pk
        by_user = Annotation.model_version_id == ""
        if members is not None:
            m = id_table("members", members)
            wrote = exists().where(mine, by_user, Annotation.user_id == m.c.id)
            listed = select(literal(0).label("kind"), m.c.id.label("worker")).where(wrote)
        else:
            users = _skip_scan("users", Annotation.user_id, [mine, by_user]).subquery()
            versions = _skip_scan("versions", Annotation.model_version_id, [mine]).subquery()
            listed = union_all(
                select(literal(0).label("kind"), users.c.worker),
                select(literal(1).label("kind"), versions.c.worker),
            )
        found = listed.subquery("found")
        q = select(found.c.kind, found.c.worker)
        return [tuple(r) for r in await listing.page(self.session, q, LIST_WORKERS, at)]

    async def add(self, values: list[dict[str, Any]]) -> dict[str, Row]:
        """Insert annotations (column values without app_pk) in one statement;
        returns those inserted, by id. An id the app has is skipped."""
        if not values:
            return {}
        result = await self.session.execute(
            insert(Annotation)
            .values([{**v, "app_pk": self.app.pk} for v in values])
            .on_conflict_do_nothing(index_elements=["app_pk", "id"])
            .returning(*_COLUMNS),
        )
        return {row.id: row for row in rows(result)}

    async def get(self, annotation_id: str, input_id: str = "") -> Row | None:
        q = select(*_COLUMNS).where(
            Annotation.app_pk == self.app.pk, Annotation.id == annotation_id
        )
        if input_id:
            q = q.where(Annotation.input_id == input_id)
        found = rows(await built_rows(self.session, q))
        return found[0] if found else None

    async def get_many(self, ids: Sequence[str], *, lock: bool = False) -> dict[str, Row]:
        """The annotations with these ids, by id; `lock` holds them FOR UPDATE
        until the transaction ends."""
        if not ids:
            return {}
        q = select(*_COLUMNS).where(Annotation.app_pk == self.app.pk, Annotation.id == any_of(ids))
        if lock:
            q = q.with_for_update()
        return {r.id: r for r in rows(await built_rows(self.session, q))}

    async def in_order(self, ids: Sequence[str]) -> list[Row]:
        """The rows of `ids` as stored now, in the order given."""
        by_id = await self.get_many(ids)
        return [by_id[i] for i in ids if i in by_id]

    async def page(self, filters: Filters, at: Page) -> list[Row]:
        q = select(*_COLUMNS).where(Annotation.app_pk == self.app.pk, *conditions(filters))
        return rows(await built_rows(self.session, listing.page_query(q, LIST, at)))

    async def of_inputs(self, input_ids: Sequence[str]) -> list[Row]:
        """Every annotation of these inputs except the input-level ones."""
        q = (
            select(*_COLUMNS)
            .where(
                Annotation.app_pk == self.app.pk,
                Annotation.input_id.in_(set(input_ids)),
                Annotation.input_level == false(),
            )
            .order_by(Annotation.created_at, Annotation.pk)
        )
        return rows(await built_rows(self.session, q))

    async def update(self, changes: Mapping[int, dict[str, Any]]) -> None:
        """New values (column by name) of annotations by pk; rows
        changing the same columns are updated in one executemany, which sets
        their modified_at."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for pk, values in changes.items():
            if values:
                params = {f"new_{k}": v for k, v in values.items()}
                groups.setdefault(tuple(sorted(values)), []).append({"at_pk": pk, **params})
        table = Annotation.__table__
        for names, params in groups.items():
            stmt = (
                update(table)
                .where(table.c.app_pk == self.app.pk, table.c.pk == bindparam("at_pk"))
                .values({n: bindparam(f"new_{n}") for n in names})
            )
            await self.session.execute(stmt, params)

    async def delete(self, pks: Sequence[int]) -> None:
        if not pks:
            return
        await self.session.execute(
            delete(Annotation).where(Annotation.app_pk == self.app.pk, Annotation.pk.in_(set(pks)))
        )

    async def set_task_status(
        self,
        task_id: str,
        status_code: int,
        *,
        user_ids: Sequence[str],
        status_codes: Sequence[int],
    ) -> list[str]:
        """Set the status of a task's annotations (optionally only those of
        `user_ids` and in `status_codes`); returns the user id of each changed
        annotation."""
        q = update(Annotation).where(
            Annotation.app_pk == self.app.pk,
            Annotation.task_id == task_id,
            Annotation.status_code != status_code,
        )
        if user_ids:
            q = q.where(Annotation.user_id.in_(user_ids))
        if status_codes:
            q = q.where(Annotation.status_code.in_(status_codes))
        q = q.values(status_code=status_code, status_details="")
        rows = await self.session.scalars(q.returning(Annotation.user_id))
        return list(rows)

    async def drop_auto(self, task_ids: Sequence[str]) -> None:
        """Forget what these tasks' model or workflow workers wrote (their
        annotations with a model version), not their users' labels."""
        if task_ids:
            await self.session.execute(
                delete(Annotation).where(
                    Annotation.app_pk == self.app.pk,
                    Annotation.task_id == any_of(task_ids),
                    Annotation.model_version_id != "",
                )
            )

    # ---- a model's predictions: one input-level annotation per input ----

    async def predicted(self, model_version_id: str, input_ids: Sequence[str]) -> set[str]:
        """Those of these inputs that have the model version's predictions."""
        if not input_ids:
            return set()
        q = select(Annotation.input_id).where(
            Annotation.app_pk == self.app.pk,
            Annotation.id == any_of([predicted_id(model_version_id, i) for i in input_ids]),
        )
        return set(await self.session.scalars(q))

    async def add_predicted(
        self, model_version_id: str, data: Mapping[str, dict[str, Any]]
    ) -> None:
        """A model version's predictions on inputs (their data by input id),
        attributed to the app's owner, in one statement; inputs deleted
        meanwhile and inputs that have them already are skipped."""
        if not data:
            return
        rows = [
            {"id": predicted_id(model_version_id, i), "input_id": i, "data": d}
            for i, d in data.items()
        ]
        await self.session.execute(
            _ADD_PREDICTED,
            {
                "app_pk": self.app.pk,
                "user_id": self.app.user_id,
                "model_version_id": model_version_id,
                "rows": json.dumps(rows),
            },
        )

    async def drop_predicted(self, model_version_ids: Sequence[str]) -> None:
        """Forget the app's predictions by these model versions."""
        if model_version_ids:
            await self.session.execute(
                delete(Annotation).where(
                    Annotation.app_pk == self.app.pk,
                    Annotation.input_level,
                    Annotation.model_version_id == any_of(model_version_ids),
                )
            )

    # ---- input-level annotations: made with the input, gone only with it ----

    async def add_input_level(self, user_id: str, data: Mapping[str, dict[str, Any]]) -> None:
        """The input-level annotations of new inputs (their data by input id),
        by `user_id`, in one statement."""
        if not data:
            return
        rows = [{"id": _new_id(), "input_id": i, "data": d} for i, d in data.items()]
        await self.session.execute(
            _ADD_INPUT_LEVEL,
            {"app_pk": self.app.pk, "user_id": user_id, "rows": json.dumps(rows)},
        )

    async def input_level(self, input_ids: Sequence[str]) -> dict[str, InputLevel]:
        """Each input's input-level annotation, by input id. (Writers lock the
        inputs' rows first, which serializes them on these annotations too.)"""
        if not input_ids:
            return {}
        rows = await _INPUT_LEVEL.rows(self.session, app_pk=self.app.pk, ids=sorted(set(input_ids)))
        return {input_id: InputLevel(pk, data, user) for input_id, pk, data, user in rows}

    async def input_concepts(self, input_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The concepts of each input's input-level annotation, by input id."""
        levels = await self.input_level(input_ids)
        return {input_id: level.concepts for input_id, level in levels.items()}

    async def set_input_concepts(
        self,
        user_id: str,
        concepts: Mapping[str, list[dict[str, Any]]],
        levels: Mapping[str, InputLevel],
    ) -> None:
        """New concepts of inputs (by input id) in their input-level annotations
        as read before (`levels`), keeping the rest of their data; an input
        without one gets one, by `user_id`."""
        changed: dict[int, dict[str, Any]] = {}
        missing: dict[str, dict[str, Any]] = {}
        for input_id, items in concepts.items():
            body = {"concepts": items} if items else {}
            level = levels.get(input_id)
            if level is None:
                missing[input_id] = body
                continue
            updated = {**{k: v for k, v in level.data.items() if k != "concepts"}, **body}
            if updated != level.data:
                changed[level.pk] = updated
        if changed:
            # Concepts were checked finite (or read from jsonb): orjson's dumps.
            rows = [{"pk": pk, "data": data} for pk, data in changed.items()]
            await _SET_INPUT_LEVEL_DATA.rows(
                self.session, app_pk=self.app.pk, rows=jsonb.dumps(rows)
            )
        await self.add_input_level(user_id, missing)


class WrittenOnce(AnnotationStorage):
    """The app's annotations as a background job writes them: one by a
    model version on an input takes an id made of both (`predicted_id`), so
    a job run again (a retry, a reindex) writes no second one."""

    async def add(self, values: list[dict[str, Any]]) -> dict[str, Row]:
        return await super().add(
            [
                {**v, "id": predicted_id(v["model_version_id"], v["input_id"])}
                if v.get("model_version_id")
                else v
                for v in values
            ]
        )
