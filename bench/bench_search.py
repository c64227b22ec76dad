"""Search benchmark (not a test): figures are printed, never asserted.

PostInputsSearches over gRPC (per_page 20) against a `clarifai-local serve`
process, on one app grown to each size in turn (10k, 100k, 1M text inputs
by default), each query next to the SQL a DBA would write for the same
question on the same database, the two run alternately in the same run:
the ratio rpc/sql is the figure to read. Goals at 1M: filters within 2x
of the hand SQL; vector p50 at most 50 ms with recall@20 at least 0.95.

Queries (each run a different draw; both sides get the same draws):
- concept:  inputs labelled with one concept (value 1), drawn as often as
            concepts are used, newest first;
- metadata: inputs whose metadata holds a key: value: a top-level value, a
            nested one or a member of a list (jsonb containment);
- combined: concept AND metadata AND NOT another concept;
- vector:   the 20 inputs nearest an input's text-embedding vector (rank by
            input_id); the SQL is pgvector's ORDER BY <=> LIMIT 20 on the
            same HNSW index. Recall@20 of both against the exact top 20
            (brute force in numpy over every vector).
Filter hits are compared with the SQL's rows (ids in order): "agree"
counts the runs where they are the same. Beside each filter query, "stmt"
is the statement the server itself builds for that search (its hits' full
rows and input-level concepts, where the hand SQL reads ids), run as the
hand SQL is: what the search costs the database, apart from the call. The first row, "list", is
ListInputs' first page next to its SQL: what any call costs the server
beyond its query (auth, transaction, messages), for scale. "floor x" is
the ratio a server doing nothing but run the hand SQL could at best get:
(the transport's round trip + sql p50) / sql p50, the round trip timed
from the same client against a bare grpc.aio echo (bench/echo.py)
answering the bytes of a search response (the "echo" row).

The corpus goes straight into the tables with COPY (PostInputs is
bench_inputs.py's subject), as PostInputs and the index job store it: each
text input with metadata (a category, nested source fields, a list of
tags), its input-level annotation with 1 to 5 concepts of 300 (Zipf-like
use; a tenth of the inputs also say one is absent, value 0), and its
384-d text-embedding vector: points around 1,000 gaussian centres (drawn
in a 24-dimensional subspace), each cluster spread along 16 directions of
its own, as embeddings vary along few directions. Each size adds the
difference to the one before; the HNSW index is dropped for a load and
built again after it (timed), then VACUUM ANALYZE settles the tables as
autovacuum would. On this 2-core machine the whole run takes about 11
minutes: loading 1M inputs about 4 (4-7k inputs/s), the HNSW build at 1M
about 5; each step's times are printed. `--sizes 10000` takes 30 s.

Usage: .venv/bin/python bench/bench_search.py [--sizes 10000,100000,1000000] [--runs 100]
Uses DATABASE_URL's server if it has pgvector (a fresh database is created
and dropped there), else an embedded PostgreSQL under the system's temp
directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import numpy as np
import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from harness import Echo, Server, goal, plain, scratch_database
from psycopg.types.json import Jsonb
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from server import indexing, searching, vectors
from storage import embeddings, searches
from storage.db import Database
from storage.listing import Page
from storage.scoped import AppScope

DIMS = vectors.DIMS["text-embedding"]
CONCEPTS = 300
CENTRES = 1_000
TOPICS = 24  # dimensions the centres span
SPREAD = 16  # directions each cluster spreads along
CHUNK = 10_000  # inputs per COPY transaction (and per seeded draw)
PER_PAGE = 20
SEED = 20_261_201
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
CATEGORIES = [f"category-{n:02d}" for n in range(12)]
CAMERAS = [f"cam-{n:02d}" for n in range(50)]
YEARS = list(range(2015, 2025))
TAGS = [f"tag-{n:02d}" for n in range(40)]
# HNSW builds want the graph in memory (about 2 kB a vector at 384-d).
BUILD_MEMORY = "3GB"


def concept_id(n: int) -> str:
    return f"concept-{n:03d}"


def input_id(n: int) -> str:
    """The nth input's id: 32 hex digits, as the server makes them."""
    return f"{n:032x}"


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.linalg.norm(m, axis=-1, keepdims=True)


# ---- the corpus ----


@dataclass(frozen=True)
class Chunk:
    """CHUNK inputs from the `first`th: their rows' contents."""

    first: int
    data: list[dict]  # inputs.data
    concepts: list[list[dict]]  # the input-level annotation's concepts
    vectors: np.ndarray  # (CHUNK, DIMS) float32, unit length


class Corpus:
    """Every input's content, a function of its number (chunk by chunk)."""

    def __init__(self) -> None:
        rng = np.random.default_rng(SEED)
        # Centres in a TOPICS-dimensional subspace: topics form a continuum,
        # as real embeddings' do. (Centres drawn in all 384 dimensions are
        # islands ~90 degrees apart: HNSW's graph then splits, and a query
        # that enters the wrong island misses all 20; recall@20 0.82 at 1M.)
        plane = rng.standard_normal((TOPICS, DIMS))
        centres = rng.standard_normal((CENTRES, TOPICS)) @ plane
        self.centres = _unit(centres).astype(np.float32)
        # Each cluster's directions, scaled so a point lies about 0.5 from its centre.
        scale = 0.5 / np.sqrt(SPREAD * DIMS)
        self.spreads = (rng.standard_normal((CENTRES, SPREAD, DIMS)) * scale).astype(np.float32)
        weights = 1.0 / np.arange(1, CONCEPTS + 1) ** 1.1
        self.concept_cdf = np.cumsum(weights / weights.sum())

    def chunk(self, k: int) -> Chunk:
        rng = np.random.default_rng([SEED, k])
        first = k * CHUNK
        centre = rng.integers(0, CENTRES, CHUNK)
        z = rng.standard_normal((CHUNK, SPREAD)).astype(np.float32)
        points = self.centres[centre] + np.einsum("ns,nsd->nd", z, self.spreads[centre])
        points += rng.standard_normal((CHUNK, DIMS)).astype(np.float32) * (0.1 / np.sqrt(DIMS))
        drawn = np.searchsorted(self.concept_cdf, rng.random((CHUNK, 8)))
        counts = rng.integers(1, 6, CHUNK)
        absent = rng.random(CHUNK) < 0.1
        data, labels = [], []
        for n in range(CHUNK):
            chosen = list(dict.fromkeys(int(c) for c in drawn[n]))
            present = chosen[: counts[n]]
            items = [{"id": concept_id(c), "value": 1.0, "name": concept_id(c)} for c in present]
            if absent[n] and len(chosen) > len(present):
                c = chosen[len(present)]
                items.append({"id": concept_id(c), "value": 0.0, "name": concept_id(c)})
            labels.append(items)
            category = CATEGORIES[int(rng.integers(len(CATEGORIES)))]
            tags = sorted(TAGS[int(t)] for t in set(rng.integers(0, len(TAGS), 3).tolist()))
            meta = {
                "category": category,
                "source": {
                    "camera": CAMERAS[int(rng.integers(len(CAMERAS)))],
                    "year": YEARS[int(rng.integers(len(YEARS)))],
                },
                "tags": tags,
            }
            raw = f"note {first + n} on {category}: {' '.join(i['id'] for i in items)}"
            data.append({"text": {"raw": raw}, "metadata": meta})
        return Chunk(first, data, labels, _unit(points).astype(np.float32))


# ---- loading with COPY ----

INPUT_COLUMNS = (
    "pk, app_pk, id, data, media_kind, source_url, blob_key, status_code, status_details, "
    "created_at, modified_at"
)
ANNOTATION_COLUMNS = (
    "app_pk, id, input_id, data, annotation_info, user_id, task_id, model_version_id, "
    "input_level, status_code, status_details, created_at, modified_at"
)
PGCOPY_HEADER = b"PGCOPY\n\xff\r\n\0" + struct.pack(">ii", 0, 0)
FLOAT4_OID = 700


def embedding_rows(pks: np.ndarray, model_version_pk: int, app_pk: int, v: np.ndarray) -> bytes:
    """COPY BINARY rows of embeddings (input_pk, model_version_pk, app_pk,
    vector real[]), built in numpy: a float list dumped value by value would
    cost minutes at 1M vectors."""
    n, dims = v.shape
    row = np.dtype(
        [
            ("fields", ">i2"),
            ("len_pk", ">i4"),
            ("pk", ">i8"),
            ("len_mv", ">i4"),
            ("mv", ">i8"),
            ("len_app", ">i4"),
            ("app", ">i8"),
            ("len_vec", ">i4"),
            ("array", ">i4", 5),  # dimensions, has nulls, element type, length, lower bound
            ("values", [("len", ">i4"), ("value", ">f4")], (dims,)),
        ]
    )
    out = np.zeros(n, row)
    out["fields"] = 4
    out["len_pk"], out["len_mv"], out["len_app"] = 8, 8, 8
    out["pk"], out["mv"], out["app"] = pks, model_version_pk, app_pk
    out["len_vec"] = 20 + 8 * dims
    out["array"] = (1, 0, FLOAT4_OID, dims, 1)
    out["values"]["len"] = 4
    out["values"]["value"] = v
    return out.tobytes()


class Loader:
    """Adds inputs to one app, chunk by chunk, straight into the tables."""

    def __init__(self, url: str, app_pk: int, user_id: str, model_version_pk: int) -> None:
        self.url, self.app_pk, self.user_id = url, app_pk, user_id
        self.model_version_pk = model_version_pk
        self.corpus = Corpus()
        self.loaded = 0
        self.vectors = np.zeros((0, DIMS), np.float32)  # every input's, for brute force

    def grow(self, size: int) -> None:
        """Add inputs up to `size` (a multiple of CHUNK)."""
        chunks = [self.corpus.chunk(k) for k in range(self.loaded // CHUNK, size // CHUNK)]
        with psycopg.connect(self.url) as conn:
            conn.execute("SET synchronous_commit = off")
            for chunk in chunks:
                with conn.transaction():
                    self._copy(conn, chunk)
        self.vectors = np.concatenate([self.vectors, *(c.vectors for c in chunks)])
        self.loaded = size

    def _copy(self, conn: psycopg.Connection, chunk: Chunk) -> None:
        n = len(chunk.data)
        pks = [
            pk
            for (pk,) in conn.execute(
                "SELECT nextval(pg_get_serial_sequence('inputs', 'pk')) "
                "FROM generate_series(1, %s)",
                (n,),
            )
        ]
        ids = [input_id(chunk.first + k) for k in range(n)]
        at = [(EPOCH + timedelta(seconds=chunk.first + k)).isoformat() for k in range(n)]
        with conn.cursor() as cur:
            with cur.copy(f"COPY inputs ({INPUT_COLUMNS}) FROM STDIN") as copy:
                for k in range(n):
                    data = json.dumps(chunk.data[k])
                    copy.write_row(
                        (pks[k], self.app_pk, ids[k], data, "text", "", "", 30000, "", at[k], at[k])
                    )
            with cur.copy(f"COPY annotations ({ANNOTATION_COLUMNS}) FROM STDIN") as copy:
                for k in range(n):
                    data = json.dumps({"concepts": chunk.concepts[k]})
                    copy.write_row(
                        (self.app_pk, f"a{ids[k][1:]}", ids[k], data, "{}", self.user_id, "", "")
                        + (True, 24150, "", at[k], at[k])
                    )
            columns = "input_pk, model_version_pk, app_pk, vector"
            with cur.copy(f"COPY embeddings ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(PGCOPY_HEADER)
                rows = embedding_rows(
                    np.asarray(pks), self.model_version_pk, self.app_pk, chunk.vectors
                )
                copy.write(rows)
                copy.write(struct.pack(">h", -1))


async def build_index(url: str, model_version_pk: int) -> None:
    """The version's HNSW index as the server makes it (storage/embeddings)."""
    db = Database(url)
    try:
        async with db.transaction() as session:
            await session.execute(text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
            await embeddings.create_index(session, model_version_pk, DIMS)
    finally:
        await db.close()


async def text_embedding_version(url: str) -> int:
    """The model version the index job stores text vectors under."""
    db = Database(url)
    try:
        async with db.transaction() as session:
            return await indexing.embedder_version_pk(session, "text-embedding")
    finally:
        await db.close()


# ---- the queries ----


@dataclass(frozen=True)
class Case:
    """One run of a query: the request, and the hand SQL for the same question."""

    request: s.PostInputsSearchesRequest | s.ListInputsRequest
    sql: str
    params: dict
    rpc: str = "PostInputsSearches"
    # The server's own statement for the same search, and its parameters.
    stmt: tuple[str, dict] | None = None


ROWS = "SELECT i.id FROM inputs i WHERE i.app_pk = %(app)s"
NEWEST = " ORDER BY i.created_at DESC, i.pk DESC LIMIT 20"
LABELLED = (
    "EXISTS (SELECT 1 FROM annotations a WHERE a.app_pk = i.app_pk AND a.input_id = i.id"
    " AND a.data -> 'concepts' @> %({})s)"
)
HAS_METADATA = "i.data -> 'metadata' @> %(metadata)s"
CONCEPT_SQL = f"{ROWS} AND {LABELLED.format('concept')}{NEWEST}"
METADATA_SQL = f"{ROWS} AND {HAS_METADATA}{NEWEST}"
COMBINED_SQL = (
    f"{ROWS} AND {LABELLED.format('concept')} AND {HAS_METADATA}"
    f" AND NOT {LABELLED.format('without')}{NEWEST}"
)
VECTOR_SQL = f"""
    SELECT i.id FROM (
        SELECT e.input_pk, e.vector::vector({DIMS}) <=> (
            SELECT q.vector::vector({DIMS}) FROM embeddings q JOIN inputs qi ON qi.pk = q.input_pk
            WHERE qi.app_pk = %(app)s AND qi.id = %(query)s AND q.model_version_pk = %(mv)s
        ) AS distance
        FROM embeddings e WHERE e.model_version_pk = %(mv)s AND e.app_pk = %(app)s
        ORDER BY distance LIMIT 20
    ) n JOIN inputs i ON i.pk = n.input_pk ORDER BY n.distance
"""


def _labelled(cid: str) -> str:
    """What an annotation's concepts labelled with the concept contain."""
    return json.dumps([{"id": cid, "value": 1.0}])


def _with_metadata(meta: dict) -> str:
    return json.dumps(meta)


def _struct(value: dict) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(value)
    return out


def _concept_filter(cid: str, negate: bool = False) -> r.Filter:
    concept = r.Concept(id=cid, value=1.0)
    return r.Filter(negate=negate, annotation=r.Annotation(data=r.Data(concepts=[concept])))


def _metadata_filter(meta: dict) -> r.Filter:
    return r.Filter(annotation=r.Annotation(data=r.Data(metadata=_struct(meta))))


def _search(*filters: r.Filter, ranks: tuple[r.Rank, ...] = ()) -> s.PostInputsSearchesRequest:
    return s.PostInputsSearchesRequest(
        searches=[r.Search(query=r.Query(filters=filters, ranks=ranks))],
        pagination=s.Pagination(page=1, per_page=PER_PAGE),
    )


class Draws:
    """The runs' queries at one size: concepts drawn as often as they are
    used, metadata of the three shapes in turn, query inputs at random."""

    def __init__(self, corpus: Corpus, size: int, app_pk: int, model_version_pk: int) -> None:
        self.rng = np.random.default_rng([SEED, size])
        self.corpus, self.size = corpus, size
        self.app, self.mv = app_pk, model_version_pk

    def concept(self) -> str:
        return concept_id(int(np.searchsorted(self.corpus.concept_cdf, self.rng.random())))

    def metadata(self, n: int) -> dict:
        pick = self.rng.integers
        shapes = (
            lambda: {"category": CATEGORIES[int(pick(len(CATEGORIES)))]},
            lambda: {"source": {"year": YEARS[int(pick(len(YEARS)))]}},
            lambda: {"tags": [TAGS[int(pick(len(TAGS)))]]},
        )
        return shapes[n % len(shapes)]()

    def list_cases(self, runs: int) -> list[Case]:
        """The server's fixed cost: ListInputs' first page, no filter."""
        sql = f"{ROWS}{NEWEST}"
        request = s.ListInputsRequest(page=1, per_page=PER_PAGE)
        return [Case(request, sql, {"app": self.app}, "ListInputs")] * runs

    def concept_cases(self, runs: int) -> list[Case]:
        out = []
        for _ in range(runs):
            cid = self.concept()
            out.append(
                Case(
                    _search(_concept_filter(cid)),
                    CONCEPT_SQL,
                    {"app": self.app, "concept": _labelled(cid)},
                )
            )
        return out

    def metadata_cases(self, runs: int) -> list[Case]:
        out = []
        for n in range(runs):
            meta = self.metadata(n)
            out.append(
                Case(
                    _search(_metadata_filter(meta)),
                    METADATA_SQL,
                    {"app": self.app, "metadata": _with_metadata(meta)},
                )
            )
        return out

    def combined_cases(self, runs: int) -> list[Case]:
        out = []
        for n in range(runs):
            cid, meta = self.concept(), self.metadata(n)
            without = self.concept()
            while without == cid:
                without = self.concept()
            out.append(
                Case(
                    _search(
                        _concept_filter(cid),
                        _metadata_filter(meta),
                        _concept_filter(without, negate=True),
                    ),
                    COMBINED_SQL,
                    {
                        "app": self.app,
                        "concept": _labelled(cid),
                        "metadata": _with_metadata(meta),
                        "without": _labelled(without),
                    },
                )
            )
        return out

    def vector_cases(self, runs: int) -> tuple[list[Case], list[int]]:
        """The cases, and the number of each one's query input."""
        picks = [int(n) for n in self.rng.choice(self.size, runs, replace=False)]
        cases = [
            Case(
                _search(ranks=(r.Rank(annotation=r.Annotation(input_id=input_id(n))),)),
                VECTOR_SQL,
                {"app": self.app, "mv": self.mv, "query": input_id(n)},
            )
            for n in picks
        ]
        return cases, picks


def exact_top(vectors: np.ndarray, query: int, k: int = PER_PAGE) -> set[str]:
    """The ids of the k vectors nearest the query input's, by brute force."""
    similarity = vectors @ vectors[query]
    best = np.argpartition(-similarity, k)[:k]
    return {input_id(int(n)) for n in best}


# ---- timing ----


@dataclass
class Timings:
    rpc: list[float]
    sql: list[float]
    agree: int
    hits: list[list[str]]
    rows: list[list[str]]
    # The server's statement run as the hand SQL is, where it has one.
    stmt: list[float] = field(default_factory=list)
    stmt_rows: list[list[str]] = field(default_factory=list)


def _ms(call: Callable[[], object]) -> tuple[float, object]:
    began = time.perf_counter()
    out = call()
    return (time.perf_counter() - began) * 1000, out


def rpc_ids(stub: service_pb2_grpc.V2Stub, md: tuple, case: Case) -> list[str]:
    res = getattr(stub, case.rpc)(case.request, metadata=md)
    if res.status.code != sc.SUCCESS:
        raise RuntimeError(f"{case.rpc}: {res.status}")
    if case.rpc == "ListInputs":
        return [i.id for i in res.inputs]
    return [hit.input.id for hit in res.hits]


def run(
    stub: service_pb2_grpc.V2Stub, md: tuple, conn: psycopg.Connection, cases: list[Case]
) -> Timings:
    """Each case over gRPC and as hand SQL, alternately first (so neither
    always finds the pages the other just read), after 3 untimed warm-ups."""

    def rpc(case: Case) -> list[str]:
        return rpc_ids(stub, md, case)

    def sql(case: Case) -> list[str]:
        return [row[0] for row in conn.execute(case.sql, case.params)]

    def stmt(case: Case) -> list[str]:
        assert case.stmt is not None
        return [row[1] for row in conn.execute(*case.stmt)]  # (pk, id, ...)

    out = Timings([], [], 0, [], [])
    sides = [(out.rpc, out.hits, rpc), (out.sql, out.rows, sql)]
    if cases[0].stmt:
        sides.append((out.stmt, out.stmt_rows, stmt))
    for case in cases[:3]:
        for _, _, call in sides:
            call(case)
    for n, case in enumerate(cases):
        for times, results, call in sides if n % 2 == 0 else reversed(sides):
            ms, got = _ms(lambda call=call, case=case: call(case))
            times.append(ms)
            results.append(got)
        out.agree += out.hits[-1] == out.rows[-1]
    return out


def with_statements(url: str, app_pk: int, cases: list[Case]) -> list[Case]:
    """The cases, each with the statement the server builds for its search
    (storage/searches.py), compiled as psycopg takes it."""

    async def build() -> list[Case]:
        db = Database(url)
        app = AppScope(pk=app_pk, id="", user_id="")
        try:
            async with db.transaction() as session:
                store = searches.SearchStorage(session, app)
                out = []
                for case in cases:
                    assert isinstance(case.request, s.PostInputsSearchesRequest)
                    plan = searching.plan(case.request.searches[0], "searches[0]", "")
                    query, fill = await store.input_page_query(plan.selection, Page(PER_PAGE, 0), 0)
                    compiled = query.compile(dialect=postgresql.dialect(paramstyle="pyformat"))
                    params = {}
                    for k, v in compiled.params.items():
                        v = fill(k, v)
                        params[k] = Jsonb(v) if isinstance(v, dict | list) else v
                    out.append(replace(case, stmt=(str(compiled), params)))
                return out
        finally:
            await db.close()

    return asyncio.run(build())


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def transport_ms(reply: bytes, runs: int) -> tuple[float, float]:
    """p50 and p99 of the round trip to an echo answering `reply`, from a
    client like the rpc side's (which decodes the answer and reads its hits'
    ids): the floor under every call."""
    echo = Echo(reply)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{echo.port}") as channel:
            call = channel.unary_unary(
                "/clarifai.api.V2/PostInputsSearches",
                response_deserializer=s.MultiSearchResponse.FromString,
            )

            def answered() -> list[str]:
                return [hit.input.id for hit in call(b"").hits]

            times = [_ms(answered)[0] for _ in range(runs + 3)][3:]
    finally:
        echo.stop()
    return _p(times, 50), _p(times, 99)


def floor(transport50: float, sql50: float) -> float:
    """The best rpc/sql ratio a server could get: the transport plus the SQL."""
    return (transport50 + sql50) / sql50


def report(
    name: str, t: Timings, transport50: float, show_agree: bool = True
) -> tuple[float, float]:
    """One query's line; its p50 rpc/sql ratio, and the floor under it."""
    rpc50, rpc99, sql50, sql99 = _p(t.rpc, 50), _p(t.rpc, 99), _p(t.sql, 50), _p(t.sql, 99)
    hits = np.mean([len(h) for h in t.hits])
    agree = f"{t.agree}/{len(t.rpc)}" if show_agree else "-"
    stmt = ""
    if t.stmt:
        same = sum(a == b for a, b in zip(t.stmt_rows, t.rows, strict=True))
        stmt = f"   {_p(t.stmt, 50):8.2f} {_p(t.stmt, 50) / sql50:7.2f}   {same}/{len(t.stmt)}"
    print(
        f"  {name:9} {hits:5.1f} {rpc50:9.2f} {rpc99:9.2f} {sql50:9.2f} {sql99:9.2f}"
        f" {rpc50 / sql50:8.2f} {rpc99 / sql99:8.2f} {floor(transport50, sql50):8.2f}"
        f"   {agree:7}{stmt}"
    )
    return rpc50 / sql50, floor(transport50, sql50)


def measure(
    server: Server, key: str, url: str, loader: Loader, draws: Draws, runs: int, size: int
) -> None:
    md = (("authorization", f"Key {key}"),)
    with (
        grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel,
        psycopg.connect(url, autocommit=True) as conn,
    ):
        stub = service_pb2_grpc.V2Stub(channel)
        print(
            f"  {'query':9} {'hits':>5} {'rpc p50':>9} {'rpc p99':>9} {'sql p50':>9}"
            f" {'sql p99':>9} {'p50 x':>8} {'p99 x':>8} {'floor x':>8}   agree   {'stmt p50':>8}"
            f" {'stmt x':>7}   agree   (ms; x = rpc/sql; stmt: the server's own statement run"
            " as the SQL is)"
        )
        cases = {
            "concept": draws.concept_cases(runs),
            "metadata": draws.metadata_cases(runs),
            "combined": draws.combined_cases(runs),
        }
        reply = stub.PostInputsSearches(cases["concept"][0].request, metadata=md)
        transport50, transport99 = transport_ms(reply.SerializeToString(), runs)
        print(f"  {'echo':9} {'':5} {transport50:9.2f} {transport99:9.2f}")
        report("list", run(stub, md, conn, draws.list_cases(runs)), transport50)
        ratios = {
            name: report(
                name, run(stub, md, conn, with_statements(url, draws.app, made)), transport50
            )
            for name, made in cases.items()
        }
        vector_cases, picks = draws.vector_cases(runs)
        vector = run(stub, md, conn, vector_cases)
        report("vector", vector, transport50, show_agree=False)
        exact = [exact_top(loader.vectors, n) for n in picks]
        recall_rpc = np.mean([len(exact[k] & set(h)) / PER_PAGE for k, h in enumerate(vector.hits)])
        recall_sql = np.mean([len(exact[k] & set(h)) / PER_PAGE for k, h in enumerate(vector.rows)])
        print(
            f"  vector recall@20 against brute force ({runs} queries): "
            f"rpc {recall_rpc:.3f}, hand SQL {recall_sql:.3f}"
        )
    for name, (ratio, least) in ratios.items():
        figure = f"{ratio:.2f}x (floor {least:.2f}x)"
        goal(f"{name} search vs hand SQL at {size:,}, p50", figure, "≤ 2x", ratio <= 2)
    p50 = _p(vector.rpc, 50)
    goal(
        f"vector top-20 at {size:,}",
        f"p50 {p50:.1f} ms, recall@20 {recall_rpc:.3f}",
        "p50 ≤ 50 ms, recall ≥ 0.95",
        p50 <= 50 and recall_rpc >= 0.95,
    )


# ---- the run ----


def timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def settle(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) inputs, annotations, embeddings")


def drop_index(url: str, model_version_pk: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP INDEX IF EXISTS {embeddings.index_name(model_version_pk)}")


def sizes(value: str) -> list[int]:
    out = sorted({int(v.replace("_", "")) for v in value.split(",") if v.strip()})
    if not out or any(n <= 0 or n % CHUNK for n in out):
        raise argparse.ArgumentTypeError(f"sizes are positive multiples of {CHUNK}")
    return out


def concepts_request() -> Iterator[s.PostConceptsRequest]:
    for first in range(0, CONCEPTS, 100):
        ids = [concept_id(n) for n in range(first, min(first + 100, CONCEPTS))]
        yield s.PostConceptsRequest(concepts=[r.Concept(id=c, name=c) for c in ids])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=sizes, default=sizes("10000,100000,1000000"), help="inputs at each step"
    )
    parser.add_argument("--runs", type=int, default=100, help="runs of each query at each size")
    args = parser.parse_args()
    if args.runs < 4:
        parser.error("--runs: at least 4")
    began = time.perf_counter()
    with scratch_database("bench_search") as scratch:
        url = plain(scratch)
        server = Server(url, Path(tempfile.mkdtemp(prefix="clarifai-bench-")), fetch_urls=False)
        try:
            server.cli("migrate")
            server.start()
            account = server.account()
            with psycopg.connect(url) as conn:
                if not conn.execute(
                    "SELECT 1 FROM pg_extension WHERE extname = 'vector'"
                ).fetchone():
                    print("this PostgreSQL has no pgvector: unset DATABASE_URL", file=sys.stderr)
                    return 1
                (app_pk,) = conn.execute(
                    "SELECT pk FROM apps WHERE user_id = %s AND id = %s",
                    (account["user_id"], account["app_id"]),
                ).fetchone()
            md = (("authorization", f"Key {account['api_key']}"),)
            with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
                for req in concepts_request():
                    res = service_pb2_grpc.V2Stub(channel).PostConcepts(req, metadata=md)
                    if res.status.code != sc.SUCCESS:
                        raise RuntimeError(f"PostConcepts: {res.status}")
            mv = asyncio.run(text_embedding_version(url))
            loader = Loader(url, app_pk, account["user_id"], mv)
            for size in args.sizes:
                added = size - loader.loaded
                drop_index(url, mv)
                load = timed(lambda size=size: loader.grow(size))
                vacuum = timed(lambda: settle(url))
                build = timed(lambda: asyncio.run(build_index(url, mv)))
                print(
                    f"\n== {size:,} inputs: {added:,} added in {load:.1f} s "
                    f"({added / load:,.0f} inputs/s with annotation and vector); "
                    f"VACUUM ANALYZE {vacuum:.1f} s; HNSW index built in {build:.1f} s"
                )
                draws = Draws(loader.corpus, size, app_pk, mv)
                measure(server, account["api_key"], url, loader, draws, args.runs, size)
        finally:
            server.stop()
    print(f"\ntotal {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
