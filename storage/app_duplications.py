"""App duplications: the record a caller polls (status, progress) and the
statements that copy one app's rows into another (server/duplication.py
runs them, one stage or one chunk of inputs per transaction).

Every copy is INSERT ... SELECT from the source app's rows with ON CONFLICT
DO NOTHING on the destination's unique keys: ids are kept (they are unique
per app), a row whose id the destination already holds is left as it is
there, and running a statement again copies nothing twice. Rows that hang
off a copied row (model versions, concept translations, an input's
annotations, embeddings and dataset memberships) are copied only for the
rows the same transaction inserted, so a destination's own row of the same
id never gains the source's children.

The statements copy every column of a table (from its metadata), so a
column added later comes along by itself; one that points at another row
by pk needs an override here mapping it to the destination's row, as
model_pk, dataset_pk, concept_pk and default_filter_pk have."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import collaborators as collaborator_store
from storage import listing
from storage.apps import App
from storage.base import Base, Timestamps, any_of
from storage.collaborators import Collaborator
from storage.listing import Order, Page
from storage.scoped import UserScoped

# The reference's status codes of a duplication (status_code.proto 252xx).
SUCCESS = 25200
FAILED = 25201
PENDING = 25202
IN_PROGRESS = 25203


class AppDuplication(Timestamps, Base):
    __tablename__ = "app_duplications"
    __table_args__ = (
        UniqueConstraint("user_id", "id"),
        # ListAppDuplications, newest first.
        Index("ix_app_duplications_user_created", "user_id", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    # The caller who asked for it: only they see it.
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    id: Mapped[str]
    # The apps by pk while they exist (SET NULL once deleted: the record
    # stays, its destination shown empty), and by ids as they were.
    source_app_pk: Mapped[int | None] = mapped_column(
        ForeignKey("apps.pk", ondelete="SET NULL"), index=True
    )
    dest_app_pk: Mapped[int | None] = mapped_column(
        ForeignKey("apps.pk", ondelete="SET NULL"), index=True
    )
    dest_user_id: Mapped[str]
    dest_app_id: Mapped[str]
    # Whether the duplication made the destination app.
    new_app: Mapped[bool]
    # AppDuplicationFilters as flags: {"copy_inputs": true, ...}.
    filter: Mapped[dict[str, bool]] = mapped_column(JSONB)
    status_code: Mapped[int] = mapped_column(default=PENDING)
    status_details: Mapped[str] = mapped_column(default="")
    # Rows copied so far per resource ({"inputs": 12, ...}).
    progress: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)
    # Where the job is: the next stage, and for inputs the last source pk
    # copied (stages and chunks commit with it).
    stage: Mapped[str] = mapped_column(default="")
    cursor: Mapped[int] = mapped_column(default=0)


LIST_DUPLICATIONS = Order(
    "ListAppDuplications, newest first",
    scope=[AppDuplication.user_id],
    columns=[AppDuplication.created_at, AppDuplication.pk],
    descending=True,
)


class AppDuplicationStorage(UserScoped):
    """The calling user's duplications."""

    async def add(self, values: dict[str, Any]) -> AppDuplication:
        row = AppDuplication(user_id=self.user_id, **values)
        self.session.add(row)
        await self.session.flush()
        return row

    async def get(self, dup_id: str) -> AppDuplication | None:
        q = select(AppDuplication).where(
            AppDuplication.user_id == self.user_id, AppDuplication.id == dup_id
        )
        return await self.session.scalar(q)

    async def get_many(self, dup_ids: Sequence[str]) -> list[AppDuplication]:
        q = select(AppDuplication).where(
            AppDuplication.user_id == self.user_id, AppDuplication.id == any_of(list(dup_ids))
        )
        return list(await self.session.scalars(q))

    async def page(self, at: Page) -> list[AppDuplication]:
        q = select(AppDuplication).where(AppDuplication.user_id == self.user_id)
        return await listing.page(self.session, q, LIST_DUPLICATIONS, at)

    async def apps(self, rows: Sequence[AppDuplication]) -> dict[int, App]:
        """The destination apps of these duplications that still exist, by pk."""
        pks = sorted({r.dest_app_pk for r in rows if r.dest_app_pk is not None})
        if not pks:
            return {}
        q = select(App).where(App.pk.in_(pks))
        return {a.pk: a for a in await self.session.scalars(q)}

    async def shared_grant(self, app: App) -> Collaborator | None:
        """The caller's live collaboration on another user's app."""
        return await collaborator_store.live_grant(self.session, app.pk, self.user_id)


# ---- the job's side: the record by pk ----


async def claim(session: AsyncSession, pk: int) -> AppDuplication | None:
    """The record, locked for this transaction (one chunk at a time)."""
    q = select(AppDuplication).where(AppDuplication.pk == pk).with_for_update()
    return await session.scalar(q)


async def advance(
    session: AsyncSession,
    row: AppDuplication,
    *,
    counts: dict[str, int] | None = None,
    stage: str | None = None,
    cursor: int | None = None,
    status_code: int | None = None,
    details: str | None = None,
) -> None:
    """Record a step in the transaction that did it."""
    progress = dict(row.progress)
    for field, n in (counts or {}).items():
        progress[field] = progress.get(field, 0) + n
    values: dict[str, Any] = {"progress": progress}
    if stage is not None:
        values["stage"] = stage
    if cursor is not None:
        values["cursor"] = cursor
    if status_code is not None:
        values["status_code"] = status_code
    if details is not None:
        values["status_details"] = details
    await session.execute(update(AppDuplication).where(AppDuplication.pk == row.pk).values(values))


# ---- copies ----


def _columns(table: str, *, skip: Sequence[str] = ("pk",)) -> list[str]:
    return [c.name for c in Base.metadata.tables[table].columns if c.name not in skip]


def _copy_sql(
    table: str,
    overrides: dict[str, str],
    source: str,
    returning: str = "",
    skip: Sequence[str] = ("pk",),
) -> str:
    """INSERT INTO table (every column but `skip`) SELECT each column of the
    source row `s` (or its override expression) FROM `source` ... ON
    CONFLICT DO NOTHING. Names come from the table metadata."""
    cols = _columns(table, skip=skip)
    exprs = [overrides.get(c, f"s.{c}") for c in cols]
    tail = f" RETURNING {returning}" if returning else ""
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} "
        f"FROM {source} ON CONFLICT DO NOTHING{tail}"
    )


async def _count(session: AsyncSession, sql: str, params: dict[str, Any]) -> int:
    return len((await session.execute(text(sql), params)).all())


async def copy_concepts(session: AsyncSession, src: int, dst: int) -> int:
    """Concepts, their translations and their relations (between concepts
    both present in the destination). The number of concepts inserted."""
    params = {"src": src, "dst": dst}
    sql = _copy_sql("concepts", {"app_pk": ":dst"}, "concepts s WHERE s.app_pk = :src", "pk, id")
    made = (await session.execute(text(sql), params)).all()
    if made:
        # Translations of the concepts inserted, by id.
        languages = _copy_sql(
            "concept_languages",
            {"app_pk": ":dst", "concept_pk": "d.pk"},
            "concept_languages s JOIN concepts c ON c.pk = s.concept_pk "
            "JOIN concepts d ON d.app_pk = :dst AND d.id = c.id "
            "WHERE s.app_pk = :src AND d.id = ANY(CAST(:ids AS text[]))",
        )
        await session.execute(text(languages), {**params, "ids": [r.id for r in made]})
    relations = _copy_sql(
        "concept_relations",
        {"app_pk": ":dst", "subject_pk": "ds.pk", "object_pk": "dob.pk"},
        "concept_relations s "
        "JOIN concepts cs ON cs.pk = s.subject_pk JOIN concepts co ON co.pk = s.object_pk "
        "JOIN concepts ds ON ds.app_pk = :dst AND ds.id = cs.id "
        "JOIN concepts dob ON dob.app_pk = :dst AND dob.id = co.id "
        "WHERE s.app_pk = :src",
    )
    await session.execute(text(relations), params)
    return len(made)


async def copy_datasets(session: AsyncSession, src: int, dst: int) -> int:
    """Annotation filters (self-contained: a filter holds its search's query)
    and datasets, a dataset's default filter being the destination's filter
    of the same id; their inputs follow with the inputs, their versions
    stay. The number of datasets inserted."""
    params = {"src": src, "dst": dst}
    filters = _copy_sql(
        "annotation_filters", {"app_pk": ":dst"}, "annotation_filters s WHERE s.app_pk = :src"
    )
    await session.execute(text(filters), params)
    default = (
        "(SELECT d.pk FROM annotation_filters f JOIN annotation_filters d "
        "ON d.app_pk = :dst AND d.id = f.id WHERE f.pk = s.default_filter_pk)"
    )
    sql = _copy_sql(
        "datasets",
        {"app_pk": ":dst", "default_filter_pk": default},
        "datasets s WHERE s.app_pk = :src",
        "pk",
    )
    return await _count(session, sql, params)


async def copy_models(session: AsyncSession, src: int, dst: int, busy: Sequence[int]) -> int:
    """Models and those of their versions whose status is not in `busy`
    (a version queued or training stays: its training runs in the source);
    trained artifacts are rows, copied with them."""
    params = {"src": src, "dst": dst}
    sql = _copy_sql("models", {"app_pk": ":dst"}, "models s WHERE s.app_pk = :src", "id")
    made = [r.id for r in (await session.execute(text(sql), params)).all()]
    if made:
        versions = _copy_sql(
            "model_versions",
            {"app_pk": ":dst", "model_pk": "d.pk"},
            "model_versions s JOIN models m ON m.pk = s.model_pk "
            "JOIN models d ON d.app_pk = :dst AND d.id = m.id "
            "WHERE s.app_pk = :src AND d.id = ANY(CAST(:ids AS text[])) "
            "AND s.status_code <> ALL(CAST(:busy AS int[]))",
        )
        await session.execute(text(versions), {**params, "ids": made, "busy": list(busy)})
    return len(made)


# (source version pk) -> (destination version pk) for versions of the
# source's models that the destination holds under the same ids.
_VERSION_MAP = """
    SELECT sv.pk AS src_pk, dv.pk AS dst_pk
    FROM model_versions sv JOIN models sm ON sm.pk = sv.model_pk
    JOIN models dm ON dm.app_pk = :dst AND dm.id = sm.id
    JOIN model_versions dv ON dv.model_pk = dm.pk AND dv.id = sv.id
    WHERE sv.app_pk = :src
"""


async def version_map(session: AsyncSession, src: int, dst: int) -> dict[int, int]:
    rows = await session.execute(text(_VERSION_MAP), {"src": src, "dst": dst})
    return {r.src_pk: r.dst_pk for r in rows}


async def source_version_pks(session: AsyncSession, src: int) -> set[int]:
    q = text("SELECT pk FROM model_versions WHERE app_pk = :src")
    return set(await session.scalars(q, {"src": src}))


async def copy_workflows(session: AsyncSession, src: int, dst: int) -> tuple[int, list[int]]:
    """Workflows and all their versions, nodes as stored: the number of
    workflows inserted, and the pks of their versions, for their nodes to be
    pointed at the destination's models (set_nodes)."""
    params = {"src": src, "dst": dst}
    sql = _copy_sql("workflows", {"app_pk": ":dst"}, "workflows s WHERE s.app_pk = :src", "id")
    made = [r.id for r in (await session.execute(text(sql), params)).all()]
    if not made:
        return 0, []
    versions = _copy_sql(
        "workflow_versions",
        {"app_pk": ":dst", "workflow_pk": "d.pk"},
        "workflow_versions s JOIN workflows w ON w.pk = s.workflow_pk "
        "JOIN workflows d ON d.app_pk = :dst AND d.id = w.id "
        "WHERE s.app_pk = :src AND d.id = ANY(CAST(:ids AS text[]))",
        "pk",
    )
    rows = await session.execute(text(versions), {**params, "ids": made})
    return len(made), [r.pk for r in rows]


async def nodes_of(session: AsyncSession, version_pks: Sequence[int]) -> dict[int, list[Any]]:
    q = text("SELECT pk, nodes FROM workflow_versions WHERE pk = ANY(CAST(:pks AS bigint[]))")
    return {r.pk: r.nodes for r in await session.execute(q, {"pks": list(version_pks)})}


async def set_nodes(session: AsyncSession, version_pk: int, nodes: list[Any]) -> None:
    q = text("UPDATE workflow_versions SET nodes = CAST(:nodes AS jsonb) WHERE pk = :pk")
    await session.execute(q, {"pk": version_pk, "nodes": json.dumps(nodes)})


async def input_chunk(session: AsyncSession, src: int, after: int, limit: int) -> list[int]:
    """The pks of the source's next inputs after pk `after`, in pk order."""
    q = text("SELECT pk FROM inputs WHERE app_pk = :src AND pk > :after ORDER BY pk LIMIT :limit")
    params = {"src": src, "after": after, "limit": limit}
    return list(await session.scalars(q, params))


async def copy_inputs(
    session: AsyncSession, src: int, dst: int, pks: Sequence[int]
) -> list[tuple[int, int, str]]:
    """These source inputs, their blob keys moved to the destination's space
    (the same name under "<dst>/": server/duplication.py shares the bytes
    there), no add job. The (source pk, destination pk, id) of those
    inserted."""
    # '<src>/rest' -> '<dst>/rest'; keys are always in their app's space.
    key = (
        "CASE WHEN s.blob_key = '' THEN '' "
        "ELSE CAST(:dst_prefix AS text) "
        "|| substr(s.blob_key, length(CAST(:src_prefix AS text)) + 1) END"
    )
    sql = _copy_sql(
        "inputs",
        {"app_pk": ":dst", "blob_key": key, "add_job_pk": "NULL"},
        "inputs s WHERE s.app_pk = :src AND s.pk = ANY(CAST(:pks AS bigint[]))",
        "pk, id",
    )
    params = {
        "src": src,
        "dst": dst,
        "src_prefix": str(src),
        "dst_prefix": str(dst),
        "pks": list(pks),
    }
    made = {r.id: r.pk for r in await session.execute(text(sql), params)}
    if not made:
        return []
    q = text("SELECT pk, id FROM inputs WHERE app_pk = :src AND id = ANY(CAST(:ids AS text[]))")
    return [
        (r.pk, made[r.id], r.id) for r in await session.execute(q, {"src": src, "ids": list(made)})
    ]


async def blob_keys(session: AsyncSession, src: int, pks: Sequence[int]) -> list[str]:
    q = text(
        "SELECT blob_key FROM inputs WHERE app_pk = :src AND pk = ANY(CAST(:pks AS bigint[])) "
        "AND blob_key <> ''"
    )
    return list(await session.scalars(q, {"src": src, "pks": list(pks)}))


async def copy_input_children(
    session: AsyncSession,
    src: int,
    dst: int,
    made: Sequence[tuple[int, int, str]],
    *,
    all_annotations: bool,
    versions: dict[int, int],
    own_versions: set[int],
) -> int:
    """What hangs off the inputs inserted (`made`: source pk, destination
    pk, id): annotations (input-level ones only unless `all_annotations`),
    embeddings (of clarifai/main's models as they are, of the source's own
    models through `versions`, else left for the destination's indexing),
    dataset memberships (in the destination's datasets of the same ids).
    The annotations inserted."""
    ids = [m[2] for m in made]
    params: dict[str, Any] = {"src": src, "dst": dst, "ids": ids}
    level = "" if all_annotations else " AND s.input_level"
    sql = _copy_sql(
        "annotations",
        {"app_pk": ":dst"},
        f"annotations s WHERE s.app_pk = :src AND s.input_id = ANY(CAST(:ids AS text[])){level}",
        "pk",
    )
    annotations = await _count(session, sql, params)
    pairs = {"src_pks": [m[0] for m in made], "dst_pks": [m[1] for m in made]}
    mapped = dict(versions)
    for k in own_versions - mapped.keys():
        mapped[k] = 0  # the source's own embedder, not in the destination
    embeddings = _copy_sql(
        "embeddings",
        {
            "input_pk": "p.dst_pk",
            "app_pk": ":dst",
            "model_version_pk": "COALESCE(v.dst, s.model_version_pk)",
        },
        "embeddings s "
        "JOIN unnest(CAST(:src_pks AS bigint[]), CAST(:dst_pks AS bigint[])) AS p(src_pk, dst_pk) "
        "ON p.src_pk = s.input_pk "
        "LEFT JOIN unnest(CAST(:from AS bigint[]), CAST(:to AS bigint[])) AS v(src, dst) "
        "ON v.src = s.model_version_pk "
        "WHERE s.app_pk = :src AND (v.dst IS NULL OR v.dst <> 0)",
        skip=(),
    )
    await session.execute(
        text(embeddings),
        {**params, **pairs, "from": list(mapped), "to": list(mapped.values())},
    )
    members = _copy_sql(
        "dataset_inputs",
        {"app_pk": ":dst", "dataset_pk": "d.pk"},
        "dataset_inputs s JOIN datasets ds ON ds.pk = s.dataset_pk "
        "JOIN datasets d ON d.app_pk = :dst AND d.id = ds.id "
        "WHERE s.app_pk = :src AND s.input_id = ANY(CAST(:ids AS text[]))",
    )
    await session.execute(text(members), params)
    return annotations


async def any_in_status(
    session: AsyncSession, src: int, pks: Sequence[int], codes: Sequence[int]
) -> bool:
    """Whether any of these source inputs is in one of these statuses."""
    q = text(
        "SELECT EXISTS (SELECT 1 FROM inputs WHERE app_pk = :src "
        "AND pk = ANY(CAST(:pks AS bigint[])) AND status_code = ANY(CAST(:codes AS int[])))"
    )
    return bool(await session.scalar(q, {"src": src, "pks": list(pks), "codes": list(codes)}))
