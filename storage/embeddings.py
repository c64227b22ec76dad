"""Each input's embeddings: one vector per (input, embedding model version),
written when the app's base workflow runs on the input.

The column is a plain `real[]`, so the schema is the same with or without
the pgvector extension; where the extension is present, an HNSW index per
embedding model version casts it to `vector(n)` (see server/vectors.py)."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    REAL,
    BigInteger,
    ForeignKey,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    cast,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from storage import listing
from storage.base import Base, any_param
from storage.inputs import FAILED, STREAM, SUCCESS, Input
from storage.prepared import Prepared, built_rows
from storage.scoped import AppScope

# What the indexer reads of an input: enough to find its media.
_INDEXED = (Input.pk, Input.media_kind, Input.blob_key, Input.data, Input.created_at, Input.id)


def _any_pk(pks: Sequence[int]) -> Any:
    """`= ANY(array)` of bigint pks: one parameter whatever their number."""
    return any_(bindparam(None, sorted(set(pks)), type_=ARRAY(BigInteger)))


class Vector(UserDefinedType[str]):
    """pgvector's `vector(n)`, for casts only (the column stays real[])."""

    cache_ok = True

    def __init__(self, dims: int) -> None:
        self.dims = dims

    def get_col_spec(self, **_: Any) -> str:
        return f"vector({self.dims})"


# The least hnsw.ef_search of a nearest-neighbour query (pgvector's default
# is 40): more candidates per scan, for recall among filtered vectors.
EF_SEARCH = 100

# An HNSW index's name: index_name(pk). Named so that the migrations'
# comparison (storage/migrate.py) leaves them out: they are made at start
# where the extension is, not by a migration.
HNSW_PREFIX = "ix_embeddings_hnsw_"


def index_name(model_version_pk: int) -> str:
    return f"{HNSW_PREFIX}{model_version_pk}"


def as_vector(dims: int) -> Any:
    """The expression each HNSW index is built on, and queries order by."""
    return cast(Embedding.vector, Vector(dims))


# The graph's links per node and build-time candidate list. In
# bench/bench_search.py (1M clustered 384-d vectors) pgvector's defaults
# (16, 64) gave recall@20 0.915 whatever ef_search; (24, 128) gives 0.993,
# for a build 1.4x as long (357 s at 1M). Indexes made before keep theirs.
HNSW_M = 24
HNSW_EF_CONSTRUCTION = 128


async def create_index(session: AsyncSession, model_version_pk: int, dims: int) -> None:
    """The HNSW index (cosine distance) of one embedding model version's
    vectors: a partial expression index, casting real[] to vector(dims).
    Needs the extension; a no-op once made."""
    name = index_name(int(model_version_pk))
    # Looked up first: CREATE INDEX IF NOT EXISTS locks the table against
    # writes (waiting for those in flight) before it finds the index there.
    if await session.scalar(text("SELECT to_regclass(:name)"), {"name": name}) is not None:
        return
    await session.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {name} ON embeddings "
            f"USING hnsw ((vector::vector({int(dims)})) vector_cosine_ops) "
            f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION}) "
            f"WHERE model_version_pk = {int(model_version_pk)}"
        )
    )


@dataclass(frozen=True)
class Media:
    """Where an input's media is: its blob, or its raw text in `data`."""

    pk: int
    media_kind: str
    blob_key: str
    data: dict[str, Any]
    created_at: datetime
    id: str


class Embedding(Base):
    __tablename__ = "embeddings"

    input_pk: Mapped[int] = mapped_column(
        ForeignKey("inputs.pk", ondelete="CASCADE"), primary_key=True
    )
    model_version_pk: Mapped[int] = mapped_column(
        ForeignKey("model_versions.pk", ondelete="CASCADE"), primary_key=True
    )
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"), index=True)
    vector: Mapped[list[float]] = mapped_column(ARRAY(REAL))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


_PUT = text(
    """
    INSERT INTO embeddings (input_pk, model_version_pk, app_pk, vector)
    SELECT r.pk, :model_version_pk, :app_pk, CAST(r.v AS real[])
    FROM unnest(CAST(:pks AS bigint[]), CAST(:vectors AS text[])) AS r(pk, v)
    JOIN inputs i ON i.pk = r.pk AND i.app_pk = :app_pk
    ON CONFLICT (input_pk, model_version_pk)
    DO UPDATE SET vector = excluded.vector, created_at = now()
    """
)


# Inputs' vectors from one model version (compiled once: storage/prepared.py).
_VECTORS = Prepared(
    select(Embedding.input_pk, Embedding.vector).where(
        Embedding.app_pk == bindparam("app_pk"),
        Embedding.model_version_pk == bindparam("model_version_pk"),
        Embedding.input_pk == any_param("pks", BigInteger),
    )
)


def _floats(rows: Sequence[Sequence[Any]]) -> list[tuple[int, float, float]]:
    return [(pk, float(c), float(e)) for pk, c, e in rows]


def _candidates(within: Select | None) -> list[Any]:
    """The WHERE of a nearest-neighbour query, its values bound at each
    run: the app's vectors from the model version (the partial index's
    predicate), among `within`."""
    where = [
        Embedding.model_version_pk == bindparam("model_version_pk"),
        Embedding.app_pk == bindparam("app_pk"),
    ]
    if within is not None:
        where.append(Embedding.input_pk.in_(within))
    return where


def _distances(dims: int, vector: Any) -> tuple[Any, Any]:
    """Cosine and euclidean distances of `vector` (a vector(dims)) to the query."""
    q = cast(bindparam("q", type_=String), Vector(dims))
    return vector.op("<=>", return_type=REAL)(q), vector.op("<->", return_type=REAL)(q)


def _every_distance(dims: int, farthest: bool, within: Select | None) -> Select:
    """The k nearest (or farthest) vectors by every distance computed: the
    vectors read first (a CTE the planner cannot see through), so no index
    answers the ORDER BY."""
    rows = (
        select(Embedding.input_pk, as_vector(dims).label("v"))
        .where(*_candidates(within))
        .cte("candidates")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    cosine, euclid = _distances(dims, rows.c.v)
    order = cosine.desc() if farthest else cosine
    nearest = select(rows.c.input_pk, cosine, euclid).order_by(order, rows.c.input_pk.desc())
    return listing.take(nearest, bindparam("k"))


def _by_index(dims: int, within: Select | None) -> Select:
    """The k nearest vectors on the version's HNSW index. A scan stops after
    ef_search candidates; an iterative scan goes on until k rows pass the
    other filters (the app, `within`), in relaxed order (re-sorted here).
    Sorting is off for the statement: the planner, misjudging how many rows
    `within` keeps, would otherwise sort every candidate's distance rather
    than walk the index. The vectors to choose from are counted first, in
    the same statement (up to `more_than` + 1): the index is not walked at
    all when they are that few, since a walk among few of its vectors could
    pass most of the others."""
    where = _candidates(within)
    cosine, euclid = _distances(dims, as_vector(dims))
    nearest = select(Embedding.input_pk, cosine.label("cosine"), euclid.label("euclid"))
    found = (
        listing.take(nearest.where(*where).order_by(cosine), bindparam("k"))
        .cte("found")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    more_than = bindparam("more_than", type_=Integer)
    counted = listing.take(select(Embedding.input_pk).where(*where), more_than + 1)
    many = select(func.count()).select_from(counted.subquery()).scalar_subquery()
    return (
        select(found.c.input_pk, found.c.cosine, found.c.euclid)
        # (No column of `found` in it: the planner tests it once, first.)
        .where(many > more_than)
        .order_by(found.c.cosine, found.c.input_pk.desc())
    )


@functools.cache
def _unfiltered(dims: int, how: Literal["index", "nearest", "farthest"]) -> Prepared:
    """A nearest-neighbour query among all the app's vectors, compiled once:
    on the index, or by every distance, nearest or farthest first."""
    if how == "index":
        return Prepared(_by_index(dims, None))
    return Prepared(_every_distance(dims, how == "farthest", None))


class EmbeddingStorage:
    """The app's inputs' embeddings, by input pk and embedding model version."""

    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    async def vectors(
        self, input_pks: Sequence[int], model_version_pk: int
    ) -> dict[int, list[float]]:
        """The stored vectors of these inputs from that model version, by input pk."""
        if not input_pks:
            return {}
        found = await _VECTORS.rows(
            self.session,
            app_pk=self.app.pk,
            model_version_pk=model_version_pk,
            pks=sorted(set(input_pks)),
        )
        return dict(found)

    async def put(self, model_version_pk: int, vectors: dict[int, Sequence[float]]) -> None:
        """Store (or replace) these inputs' vectors from that model version,
        in one statement; inputs deleted meanwhile (the vectors were being
        computed) are skipped."""
        if not vectors:
            return
        # Each vector travels as one array literal ('{0.1,...}', written by
        # json in C): binding them as lists of floats costs ~10x as much.
        literals = [json.dumps([float(x) for x in v])[1:-1] for v in vectors.values()]
        await self.session.execute(
            _PUT,
            {
                "model_version_pk": model_version_pk,
                "app_pk": self.app.pk,
                "pks": list(vectors),
                "vectors": ["{" + v + "}" for v in literals],
            },
        )

    async def drop(self, model_version_pks: Sequence[int]) -> None:
        """Forget the app's vectors from these model versions."""
        if model_version_pks:
            await self.session.execute(
                delete(Embedding).where(
                    Embedding.app_pk == self.app.pk,
                    Embedding.model_version_pk == _any_pk(model_version_pks),
                )
            )

    async def media(self, input_pks: Sequence[int]) -> tuple[list[Media], int]:
        """The app's inputs among these whose media is in (downloaded, or
        sent inline), in the order given, and how many still wait for their
        download: read at once, so an input whose download ends meanwhile is
        counted in one or the other."""
        if not input_pks:
            return [], 0
        q = select(Input.status_code, *_INDEXED).where(
            Input.app_pk == self.app.pk,
            Input.pk == _any_pk(input_pks),
            Input.status_code != FAILED,
        )
        found: dict[int, Media] = {}
        waiting = 0
        for status_code, *row in await self.session.execute(q):
            if status_code == SUCCESS:
                found[row[0]] = Media(*row)
            else:
                waiting += 1
        return [found[pk] for pk in input_pks if pk in found], waiting

    async def media_after(self, mark: tuple[datetime, int] | None, n: int) -> list[Media]:
        """The next `n` of the app's inputs with their media in, oldest
        first, after the input at `mark` (created_at, pk): a reindex's walk
        (the inputs' list index serves it)."""
        q = select(*_INDEXED).where(Input.app_pk == self.app.pk, Input.status_code == SUCCESS)
        rows = await listing.after(self.session, q, STREAM[False, False], mark, n)
        return [Media(*row) for row in rows]

    async def nearest(
        self,
        model_version_pk: int,
        dims: int,
        query: Sequence[float],
        k: int,
        within: Select | None = None,
        *,
        exact: bool = False,
        farthest: bool = False,
        more_than: int = 0,
    ) -> list[tuple[int, float, float]]:
        """The `k` vectors nearest `query` by cosine distance (pgvector's
        `<=>`), each as (input pk, cosine distance, euclidean distance):
        on the version's HNSW index, only when the vectors to choose from
        are `more_than` this many (none otherwise), or by computing every
        distance (`exact`; `farthest` first then). Needs the extension.

        Without `within`, the statement is the same at every call but for
        its values, and compiled once (building it cost a search about a
        millisecond of CPU); `within` is a select of its own at each call."""
        values = {
            "q": "[" + ",".join(f"{float(x):.8g}" for x in query) + "]",
            "app_pk": self.app.pk,
            "model_version_pk": model_version_pk,
            "k": k,
        }
        if exact or farthest:
            if within is None:
                how = "farthest" if farthest else "nearest"
                return _floats(await _unfiltered(dims, how).rows(self.session, **values))
            stmt = _every_distance(dims, farthest, within).params(values)
            return _floats(await built_rows(self.session, stmt))
        # (The index's settings: see _by_index.)
        settings = {
            "hnsw.iterative_scan": "relaxed_order",
            "hnsw.ef_search": str(max(EF_SEARCH, min(2 * int(k), 1000))),
            "enable_sort": "off",
        }
        values["more_than"] = more_than
        if within is None:
            rows = await _unfiltered(dims, "index").rows(self.session, settings=settings, **values)
        else:
            stmt = _by_index(dims, within).params(values)
            rows = await built_rows(self.session, stmt, settings=settings)
        return _floats(rows)

    async def scan(
        self, model_version_pk: int, within: Select | None = None
    ) -> tuple[list[int], list[list[float]]]:
        """Every vector of the app from the model version (among `within`):
        the exact scan's input, without the extension."""
        q = (
            select(Embedding.input_pk, Embedding.vector)
            .where(*_candidates(within))
            .params(app_pk=self.app.pk, model_version_pk=model_version_pk)
        )
        rows = (await self.session.execute(q)).all()
        return [pk for pk, _ in rows], [v for _, v in rows]
