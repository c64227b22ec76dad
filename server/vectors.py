"""Nearest neighbours among an app's embeddings, with pgvector where the
database has it and an exact scan in numpy where it does not.

Embeddings are stored as real[] (storage/embeddings.py) whatever the
database, so the schema and the migrations do not depend on the extension.
At start (`ensure`), where PostgreSQL can load pgvector's `vector` extension
(the embedded server's wheel ships it), it is created, and each embedding
model version of clarifai/main gets a partial HNSW index on its vectors cast
to vector(n), for cosine distance. A database without the extension (an
external PostgreSQL, Debian 12's own packages have none) is said once at
start, and `nearest` ranks by an exact scan: the same ranking, slower on
large apps (README: pgvector).

Scores are in [0, 1], higher nearer: (1 + cos) / 2 for cosine, and
1 - d² / 4 for the euclidean distance d between unit vectors (the
embedders' vectors are L2-normalised, and so is the query here).

With the extension, `nearest` computes every distance (exactly) when asked
to, when it wants the farthest, or when the vectors to choose from are
`EXACT_UP_TO` or fewer; otherwise the HNSW index answers, with pgvector's
iterative scan so that filters (the app, `within`) still leave k rows, and
an exact scan again in the rare case where the index yields fewer than k."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Literal

import numpy as np
from sqlalchemy import Select, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from server import main_app
from storage import apps as app_store
from storage import embeddings as store
from storage import transaction_hooks
from storage.db import Database
from storage.models import ModelVersion
from storage.prepared import built_rows
from storage.scoped import AppScope

log = logging.getLogger("clarifai_local.vectors")

EXTENSION = "vector"
# Vector sizes of the embedders, by runtime key (server/inference).
DIMS = {"image-embedding": 1280, "text-embedding": 384}
# Held while a start creates the extension and the indexes (main_app's
# catalog holds 727276).
INDEX_LOCK = 727277

Metric = Literal["cosine", "euclidean"]
# Up to this many vectors to choose from, nearest() computes every distance
# rather than asking the HNSW index (exact, and as fast at this size).
EXACT_UP_TO = 2000

# Whether each database (by engine URL) has the extension: set at start,
# or looked up on first use.
_present: dict[str, bool] = {}
# clarifai/main's embedder versions in each database (embedder_versions).
_embedders: dict[str, dict[int, str]] = {}


def _key(session: AsyncSession) -> str:
    bind = session.bind
    return bind.url.render_as_string(hide_password=True)


async def has_extension(session: AsyncSession) -> bool:
    key = _key(session)
    if key not in _present:
        _present[key] = bool(
            await session.scalar(
                text("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = :name)"),
                {"name": EXTENSION},
            )
        )
    return _present[key]


async def embedder_versions(session: AsyncSession) -> dict[int, str]:
    """clarifai/main's embedding model versions: runtime key by pk. Its
    catalog is only ever added to (server/main_app.py), and no caller can
    change it: once found, they are kept for the database (a search asked
    for them each time)."""
    key = _key(session)
    if found := _embedders.get(key):
        return dict(found)
    rows = await built_rows(
        session,
        select(ModelVersion.pk, ModelVersion.runtime)
        .join(app_store.App, app_store.App.pk == ModelVersion.app_pk)
        .where(
            app_store.App.user_id == main_app.USER_ID,
            app_store.App.id == main_app.APP_ID,
            ModelVersion.runtime.in_(list(DIMS)),
        ),
    )
    if len(rows) >= len(DIMS):  # the catalog is in place
        _embedders[key] = dict(rows)
    return dict(rows)


async def _create_extension(session: AsyncSession) -> str:
    """Create the extension if the server can load it; the reason it is
    missing otherwise ("" when present)."""
    available = await session.scalar(
        text("SELECT default_version FROM pg_available_extensions WHERE name = :name"),
        {"name": EXTENSION},
    )
    if available is None:
        return "PostgreSQL has no pgvector extension ('vector') installed"
    try:
        async with transaction_hooks.savepoint(session):
            await session.execute(text(f"CREATE EXTENSION IF NOT EXISTS {EXTENSION}"))
    except DBAPIError as exc:  # not allowed (creating it takes a superuser)
        return f"CREATE EXTENSION vector failed: {str(exc.orig).splitlines()[0]}"
    return ""


async def ensure(db: Database) -> bool:
    """At start: the extension and the HNSW indexes where the database can
    have them; one line in the log where it cannot. Whether it has them."""
    async with db.transaction() as session:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INDEX_LOCK})
        missing = await _create_extension(session)
        if not missing:
            for pk, runtime in (await embedder_versions(session)).items():
                await store.create_index(session, pk, DIMS[runtime])
        _present[_key(session)] = not missing
    if missing:
        log.warning(
            "%s: nearest-neighbour ranks use an exact scan of stored vectors (correct, "
            "slower on large apps); README 'pgvector' says how to add the extension",
            missing,
        )
    return not missing


def _unit(query: np.ndarray) -> np.ndarray:
    q = np.asarray(query, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(q))
    return q / norm if norm > 0 else q


async def nearest(
    session: AsyncSession,
    app: AppScope,
    model_version_pk: int,
    query: np.ndarray,
    k: int,
    metric: Metric = "cosine",
    within: Select | None = None,
    *,
    exact: bool = False,
    farthest: bool = False,
) -> list[tuple[int, float]]:
    """The app's `k` inputs whose vectors from that model version are
    nearest `query` (or `farthest` from it), as (input pk, score), best
    (or worst) first; only inputs among `within` (a select of input pks)
    when given. `exact` never uses the approximate index."""
    if metric not in ("cosine", "euclidean"):
        raise ValueError(f"unknown metric {metric!r}")
    if k <= 0:
        return []
    q = _unit(query)
    embeddings = store.EmbeddingStorage(session, app)
    if not await has_extension(session):
        return await _exact(embeddings, model_version_pk, q, k, metric, within, farthest)
    search = partial(embeddings.nearest, model_version_pk, q.size, q.tolist(), k, within)
    rows: list[tuple[int, float, float]] = []
    if not (exact or farthest):
        rows = await search(more_than=EXACT_UP_TO)
    if len(rows) < k:  # exact by choice, few vectors, or the index fell short
        rows = await search(exact=True, farthest=farthest)
    if metric == "cosine":
        return [(pk, _clip(1.0 - cos / 2.0)) for pk, cos, _ in rows]
    return [(pk, _clip(1.0 - euc * euc / 4.0)) for pk, _, euc in rows]


def _clip(score: float) -> float:
    # (np.clip of one number cost a vector search a twentieth of its CPU.)
    return min(1.0, max(0.0, float(score)))


def _scored(matrix: np.ndarray, q: np.ndarray, metric: Metric) -> np.ndarray:
    """Each row's score against the unit query `q` (rows normalised first,
    as pgvector's cosine distance does)."""
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    if metric == "cosine":
        return np.clip((1.0 + matrix @ q / norms) / 2.0, 0.0, 1.0)
    d2 = np.sum((matrix - q) ** 2, axis=1)
    return np.clip(1.0 - d2 / 4.0, 0.0, 1.0)


async def scores(
    session: AsyncSession,
    app: AppScope,
    model_version_pk: int,
    query: np.ndarray,
    input_pks: Sequence[int],
    metric: Metric = "cosine",
) -> dict[int, float]:
    """The score of each of these inputs' vectors against `query`, by input
    pk; inputs without a vector from that model version are left out."""
    stored = await store.EmbeddingStorage(session, app).vectors(input_pks, model_version_pk)
    if not stored:
        return {}
    found = _scored(np.asarray(list(stored.values()), dtype=np.float32), _unit(query), metric)
    return {pk: float(score) for pk, score in zip(stored, found, strict=True)}


async def _exact(
    embeddings: store.EmbeddingStorage,
    model_version_pk: int,
    q: np.ndarray,
    k: int,
    metric: Metric,
    within: Select | None,
    farthest: bool,
) -> list[tuple[int, float]]:
    """nearest() without the extension: every vector scored in numpy."""
    pks, vectors = await embeddings.scan(model_version_pk, within)
    if not pks:
        return []
    found = _scored(np.asarray(vectors, dtype=np.float32), q, metric)
    ids = np.asarray(pks)
    # Best (or worst) first; ties newest (highest pk) first, as in SQL.
    order = np.lexsort((-ids, found if farthest else -found))[:k]
    return [(int(ids[i]), float(found[i])) for i in order]
