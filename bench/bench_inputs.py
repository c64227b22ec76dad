"""Inputs benchmark (not a test): figures are printed, never asserted.

1. PostInputs of 128 inputs, each with metadata and two concepts, through
   gRPC against a server process, in inputs/s; next to the two ceilings
   measured in the same run: a bare grpc.aio echo server in its own process
   answering the same request bytes with bytes of the response's size (what
   the transport alone allows), and raw psycopg writing the same rows (one
   input and one input-level annotation each) in 128-row transactions, with
   COPY and with executemany.
2. ListInputs latency at page 1 and at a page 100 000 rows deep, taken in
   turns, next to the echo server returning a page's bytes, with the query
   plans showing the deep page does not read the rows it skips; then again
   after deleting a tenth of the inputs in one statement, and after
   DeleteInputs of scattered ids (what the marks of storage/input_marks.py
   keep after deletions).

Usage: .venv/bin/python bench/bench_inputs.py [--batches 40] [--deep 100000]
       [--only-deep | --skip-deep]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import grpc
import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from harness import (
    OWN_CONNECTION,
    Echo,
    Server,
    connections_by_process,
    goal,
    plain,
    scratch_database,
)
from sqlalchemy.dialects import postgresql

from storage import input_marks, listing
from storage import inputs as input_store

BATCH = 128
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


def metadata(n: int) -> dict:
    return {"sku": f"sku-{n}", "price": n % 97, "tags": ["a", "b"], "dims": {"w": 3, "h": 4}}


def concepts(n: int) -> list[dict]:
    return [{"id": f"c{n % 10}", "value": 1.0}, {"id": f"c{(n + 3) % 10}", "value": 0.0}]


def request(batch: int) -> s.PostInputsRequest:
    inputs = []
    for k in range(BATCH):
        n = batch * BATCH + k
        meta = struct_pb2.Struct()
        meta.update(metadata(n))
        inputs.append(
            r.Input(
                id=f"in-{n}",
                data=r.Data(
                    image=r.Image(url=f"https://example.com/img/{n}.jpg"),
                    metadata=meta,
                    concepts=[r.Concept(**c) for c in concepts(n)],
                ),
            )
        )
    return s.PostInputsRequest(inputs=inputs)


async def post_inputs(
    port: int,
    key: str,
    batches: int,
    start: int,
    in_flight: int,
    *,
    own: bool = False,
    spread: list[int] | None = None,
) -> float:
    """inputs/s of `batches` PostInputs calls, `in_flight` at a time: on one
    connection (one client: one worker serves it), or with `own` each on a
    connection of its own (as many clients, spread over the workers as the
    kernel hashes them: `spread` is filled with their count per worker)."""
    md = (("authorization", f"Key {key}"),)
    queue = [request(start + b) for b in range(batches)]
    options = OWN_CONNECTION if own else []
    async with contextlib.AsyncExitStack() as stack:
        channels = [
            await stack.enter_async_context(
                grpc.aio.insecure_channel(f"127.0.0.1:{port}", options=options)
            )
            for _ in range(in_flight if own else 1)
        ]

        async def worker(n: int) -> None:
            stub = service_pb2_grpc.V2Stub(channels[n % len(channels)])
            while queue:
                res = await stub.PostInputs(queue.pop(), metadata=md)
                if res.status.code != sc.SUCCESS:
                    raise RuntimeError(f"PostInputs failed: {res.status}")

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(in_flight)))
        rate = batches * BATCH / (time.perf_counter() - began)
        if spread is not None:
            spread += connections_by_process(port)
        return rate


# ---- the transport ceiling: bench/echo.py (harness.Echo), answering any method ----

ECHO_METHOD = "/bench.Echo/Call"


async def echo_rate(port: int, body: bytes, calls: int, in_flight: int) -> float:
    """inputs/s the echo server allows: `calls` calls of `body` (a 128-input
    request), `in_flight` at a time."""
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        call = channel.unary_unary(ECHO_METHOD)
        remaining = [calls]

        async def worker() -> None:
            while remaining[0] > 0:
                remaining[0] -= 1
                await call(body)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(in_flight)))
        return calls * BATCH / (time.perf_counter() - began)


INPUT_COLS = "app_pk, id, data, media_kind, source_url, blob_key, status_code, status_details"
ANN_COLS = (
    "app_pk, id, input_id, data, annotation_info, user_id, task_id, model_version_id, "
    "input_level, status_code, status_details"
)


def raw_rows(app_pk: int, user_id: str, batch: int) -> tuple[list[tuple], list[tuple]]:
    inputs, annotations = [], []
    for k in range(BATCH):
        n = batch * BATCH + k
        url = f"https://example.com/raw/{n}.jpg"
        data = json.dumps({"image": {"url": url}, "metadata": metadata(n)})
        inputs.append((app_pk, f"raw-{n}", data, "image", url, "", 30000, ""))
        ann = json.dumps({"concepts": concepts(n)})
        annotations.append(
            (app_pk, uuid.uuid4().hex, f"raw-{n}", ann, "{}", user_id, "", "", True, 24150, "")
        )
    return inputs, annotations


def raw_copy(url: str, app_pk: int, user_id: str, batches: int, start: int) -> float:
    prepared = [raw_rows(app_pk, user_id, start + b) for b in range(batches)]
    with psycopg.connect(url) as conn:
        began = time.perf_counter()
        for inputs, annotations in prepared:
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(f"COPY inputs ({INPUT_COLS}) FROM STDIN") as copy:
                    for row in inputs:
                        copy.write_row(row)
                with cur.copy(f"COPY annotations ({ANN_COLS}) FROM STDIN") as copy:
                    for row in annotations:
                        copy.write_row(row)
        return batches * BATCH / (time.perf_counter() - began)


def raw_executemany(url: str, app_pk: int, user_id: str, batches: int, start: int) -> float:
    prepared = [raw_rows(app_pk, user_id, start + b) for b in range(batches)]
    marks_in = ", ".join(["%s"] * 8)
    marks_ann = ", ".join(["%s"] * 11)
    with psycopg.connect(url) as conn:
        began = time.perf_counter()
        for inputs, annotations in prepared:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(f"INSERT INTO inputs ({INPUT_COLS}) VALUES ({marks_in})", inputs)
                cur.executemany(
                    f"INSERT INTO annotations ({ANN_COLS}) VALUES ({marks_ann})", annotations
                )
        return batches * BATCH / (time.perf_counter() - began)


def seed_deep(url: str, app_pk: int, user_id: str, rows: int) -> None:
    """`rows` inputs (one annotation each) a millisecond apart, then VACUUM
    ANALYZE, as autovacuum would leave a settled table."""
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            with cur.copy(
                f"COPY inputs ({INPUT_COLS}, created_at, modified_at) FROM STDIN"
            ) as copy:
                for n in range(rows):
                    at = (EPOCH + timedelta(milliseconds=n)).isoformat()
                    data = json.dumps({"image": {"url": f"https://example.com/d/{n}.jpg"}})
                    copy.write_row((app_pk, f"deep-{n}", data, "image", "", "", 30000, "", at, at))
            with cur.copy(f"COPY annotations ({ANN_COLS}) FROM STDIN") as copy:
                for n in range(rows):
                    copy.write_row(
                        (
                            app_pk,
                            f"a-{n}",
                            f"deep-{n}",
                            "{}",
                            "{}",
                            user_id,
                            "",
                            "",
                            True,
                            24150,
                            "",
                        )
                    )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE inputs")
        conn.execute("VACUUM ANALYZE annotations")


def app_pk(url: str, acct: dict) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT pk FROM apps WHERE user_id = %s AND id = 'main'", (acct["user_id"],)
        ).fetchone()[0]


def latencies(call: Callable[[], object], calls: int) -> list[float]:
    """Milliseconds of each of `calls` calls, one at a time."""
    out = []
    for _ in range(calls):
        began = time.perf_counter()
        call()
        out.append((time.perf_counter() - began) * 1000)
    return out


def in_turns(calls: Sequence[Callable[[], object]], rounds: int) -> list[list[float]]:
    """Milliseconds of each call, taken in turns (one of each per round), so
    that load from elsewhere on a shared machine weighs on all alike."""
    out: list[list[float]] = [[] for _ in calls]
    for _ in range(rounds):
        for times, call in zip(out, calls, strict=True):
            times.extend(latencies(call, 1))
    return out


def list_inputs(stub, md, req: s.ListInputsRequest) -> Callable[[], s.MultiInputResponse]:
    def call() -> s.MultiInputResponse:
        res = stub.ListInputs(req, metadata=md)
        if res.status.code != sc.SUCCESS or len(res.inputs) != req.per_page:
            raise RuntimeError(f"ListInputs: {res.status} ({len(res.inputs)} inputs)")
        return res

    return call


def explain(url: str, sql: str) -> str:
    with psycopg.connect(url) as conn:
        rows = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}").fetchall()
    return "\n".join("    " + row[0] for row in rows)


async def post_once(port: int, key: str, req: s.PostInputsRequest) -> s.MultiInputResponse:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
        res = await service_pb2_grpc.V2Stub(channel).PostInputs(
            req, metadata=(("authorization", f"Key {key}"),)
        )
    if res.status.code != sc.SUCCESS:
        raise RuntimeError(f"PostInputs failed: {res.status}")
    return res


def list_pages(server: Server, url: str, echoes: list[Echo], rows: int) -> None:
    """ListInputs at page 1 and at the page `rows` rows deep, in an account of
    its own, next to the echo server returning a page's bytes; then again
    after removing inputs."""
    deep = server.account()
    deep_pk = app_pk(url, deep)
    per_page = 128
    deep_page = rows // per_page + 1
    # A fifth more, so that the page is as deep after removing some.
    seeded = rows + rows // 5
    print(
        f"\nListInputs: {per_page} per page; page 1 vs page {deep_page} "
        f"(offset {(deep_page - 1) * per_page}) of {seeded} inputs"
    )
    seed_deep(url, deep_pk, deep["user_id"], seeded)
    md = (("authorization", f"Key {deep['api_key']}"),)
    with grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        stub = service_pb2_grpc.V2Stub(channel)
        first_req = s.ListInputsRequest(page=1, per_page=per_page)
        first_call = list_inputs(stub, md, first_req)
        deep_call = list_inputs(stub, md, s.ListInputsRequest(page=deep_page, per_page=per_page))
        (built,) = latencies(deep_call, 1)
        print(f"  page {deep_page}, first read (no marks: skips all, builds them) {built:.2f} ms")
        ratio = pages_in_turns(first_call, deep_call, f"page {deep_page}")
        goal("ListInputs deep page / first page", f"{ratio:.2f}", "≤ 1.5", ratio <= 1.5)
        page_bytes = first_call().SerializeToString()

        print("\n  after deleting a tenth of the inputs in one statement")
        with psycopg.connect(url) as conn:
            conn.execute("DELETE FROM inputs WHERE app_pk = %s AND pk %% 10 = 0", (deep_pk,))
        print(f"    {marks_state(url, deep_pk)}")
        pages_in_turns(first_call, deep_call, f"page {deep_page}", first_read=True)
        print("\n  then after 5 DeleteInputs of 128 ids each, scattered")
        with psycopg.connect(url) as conn:
            ids = [
                i for (i,) in conn.execute("SELECT id FROM inputs WHERE app_pk = %s", (deep_pk,))
            ]
        gone = random.Random(16).sample(ids, 5 * BATCH)
        for n in range(5):
            req = s.DeleteInputsRequest(ids=gone[n * BATCH : (n + 1) * BATCH])
            if stub.DeleteInputs(req, metadata=md).status.code != sc.SUCCESS:
                raise RuntimeError("DeleteInputs failed")
        print(f"    {marks_state(url, deep_pk)}")
        pages_in_turns(first_call, deep_call, f"page {deep_page}", first_read=True)
    # The echo server answers a ListInputs request with a page's bytes.
    list_echo = Echo(page_bytes)
    echoes.append(list_echo)
    with grpc.insecure_channel(f"127.0.0.1:{list_echo.port}") as channel:
        echo_call = channel.unary_unary(ECHO_METHOD)
        body = first_req.SerializeToString()
        latencies(lambda: echo_call(body), 5)
        bare = latencies(lambda: echo_call(body), 30)
    print(f"\n  bare echo of page 1's bytes: median {statistics.median(bare):.2f} ms")
    explain_deep(url, deep_pk, listing.Page(limit=per_page, offset=(deep_page - 1) * per_page))


def marks_state(url: str, pk: int) -> str:
    """The app's marks and the changes not folded into them, as words."""
    with psycopg.connect(url) as conn:
        marks, changes = conn.execute(
            "SELECT (SELECT count(*) FROM input_marks WHERE app_pk = %s),"
            " (SELECT count(*) FROM input_changes WHERE app_pk = %s)",
            (pk, pk),
        ).fetchone()
    return f"{marks} marks, {changes} changes since built"


def pages_in_turns(
    first_call: Callable[[], object],
    deep_call: Callable[[], object],
    label: str,
    *,
    first_read: bool = False,
) -> float:
    """Page 1 and the deep page, 40 of each in turns (after a few to warm up,
    or after one deep read timed alone); prints them, returns the ratio of
    their medians."""
    if first_read:
        (once,) = latencies(deep_call, 1)
        print(f"    {label}, first read {once:.2f} ms")
    latencies(first_call, 5)
    latencies(deep_call, 5)
    first, deeper = in_turns((first_call, deep_call), 40)
    for name, values in (("page 1", first), (label, deeper)):
        q = statistics.quantiles(values, n=10)
        print(f"    {name:12} median {statistics.median(values):7.2f} ms   p90 {q[-1]:7.2f} ms")
    ratio = statistics.median(deeper) / statistics.median(first)
    print(f"    ratio deep / first (median) {ratio:.2f}")
    return ratio


def explain_deep(url: str, pk: int, at: listing.Page) -> None:
    query, order = input_store.listed(pk)
    query = listing.page_query(query, order, at, input_marks.start(pk, at.offset).start)
    sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    print("\n  the deep page's query plan (from the nearest mark: Index Only Scan, rows):")
    print(explain(url, sql))
    naive = (
        f"SELECT * FROM inputs WHERE app_pk = {pk} ORDER BY created_at DESC, pk DESC "
        f"OFFSET {at.offset} LIMIT {at.limit}"
    )
    print("\n  for comparison, the plain OFFSET query reading every skipped row:")
    print(explain(url, naive))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=40, help="128-input requests to time")
    parser.add_argument("--deep", type=int, default=100_000, help="rows before the deep page")
    parser.add_argument(
        "--only-deep", action="store_true", help="only the ListInputs deep page part"
    )
    parser.add_argument("--skip-deep", action="store_true", help="PostInputs (part 1) only")
    args = parser.parse_args()
    database = ExitStack()
    url = plain(database.enter_context(scratch_database("clarifai_bench")))
    server = Server(url, Path(tempfile.mkdtemp(prefix="clarifai-bench-")), fetch_urls=False)
    echoes: list[Echo] = []
    try:
        server.cli("migrate")
        server.start()
        if args.only_deep:
            list_pages(server, url, echoes, args.deep)
            return
        posting, raw = server.account(), server.account()
        # The echo server answers a 128-input request with our response's bytes.
        sample = request(30_000)
        echo = Echo(
            asyncio.run(post_once(server.grpc_port, posting["api_key"], sample)).SerializeToString()
        )
        echoes.append(echo)
        raw_pk = app_pk(url, raw)

        print(f"PostInputs: {args.batches} requests x {BATCH} inputs (metadata, 2 concepts)")
        key = posting["api_key"]
        asyncio.run(post_inputs(server.grpc_port, key, 3, 10_000, 1))  # warm up
        grpc_1 = asyncio.run(post_inputs(server.grpc_port, key, args.batches, 0, 1))
        grpc_4 = asyncio.run(post_inputs(server.grpc_port, key, args.batches, 1_000, 4))
        spread: list[int] = []
        grpc_4c = asyncio.run(
            post_inputs(server.grpc_port, key, args.batches, 2_000, 4, own=True, spread=spread)
        )
        body = sample.SerializeToString()
        asyncio.run(echo_rate(echo.port, body, 3, 1))  # warm up
        echo_1 = asyncio.run(echo_rate(echo.port, body, args.batches, 1))
        echo_4 = asyncio.run(echo_rate(echo.port, body, args.batches, 4))
        raw_executemany(url, raw_pk, raw["user_id"], 3, 20_000)  # warm up
        copy_rate = raw_copy(url, raw_pk, raw["user_id"], args.batches, 0)
        many_rate = raw_executemany(url, raw_pk, raw["user_id"], args.batches, 1_000)
        print(f"  gRPC, 1 request in flight   {grpc_1:9.0f} inputs/s")
        print(f"  gRPC, 4 requests in flight  {grpc_4:9.0f} inputs/s (one connection)")
        landed = f"; connections per worker {'+'.join(map(str, spread))}" if spread else ""
        print(f"  gRPC, 4 clients             {grpc_4c:9.0f} inputs/s (a connection each{landed})")
        print(f"  bare gRPC echo, 1 in flight {echo_1:9.0f} inputs/s (same bytes each way)")
        print(f"  bare gRPC echo, 4 in flight {echo_4:9.0f} inputs/s")
        print(f"  raw psycopg COPY            {copy_rate:9.0f} inputs/s (input + annotation)")
        print(f"  raw psycopg executemany     {many_rate:9.0f} inputs/s (input + annotation)")
        best = max(grpc_1, grpc_4, grpc_4c)
        print(f"  ratio gRPC / echo           {best / max(echo_1, echo_4):9.2f}")
        ratio = best / copy_rate
        print(f"  ratio gRPC / COPY           {ratio:9.2f}")
        print(f"  ratio gRPC / executemany    {best / many_rate:9.2f}")
        goal("PostInputs vs raw COPY", f"{ratio:.2f}", "≥ 0.50", ratio >= 0.5)
        if args.skip_deep:
            return

        list_pages(server, url, echoes, args.deep)
    finally:
        for running in echoes:
            running.stop()
        server.stop()
        database.close()


if __name__ == "__main__":
    sys.exit(main())
