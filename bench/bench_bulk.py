"""Bulk operations benchmark (not a test): figures are printed, never asserted.

Two apps get the same N text inputs (metadata and one concept each, put
into the tables with COPY: PostInputs is bench_inputs.py's). In one, a bulk
operation over all N inputs (an input_ids source) runs end to end through a
server process: PostBulkOperations, then GetBulkOperation polled until it
succeeds, in inputs/s. In the other, the same change is made by one
hand-written SQL statement (the floor of what the database does, with none
of the operation's checks, chunks or progress), in the same run. Both for
add_concepts (a concept appended to each input-level annotation) and
add_metadata (a key merged into each input's metadata).

Each is run `--rounds` times in turns (each round a new concept or
metadata value), the best of each counted: the machine is shared.

Usage: .venv/bin/python bench/bench_bulk.py [--inputs 100000] [--rounds 2]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

import grpc
import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from harness import Server, goal, plain, scratch_database

INPUT_COLS = "app_pk, id, data, media_kind, source_url, blob_key, status_code, status_details"
ANN_COLS = (
    "app_pk, id, input_id, data, annotation_info, user_id, task_id, model_version_id, "
    "input_level, status_code, status_details"
)
TARGET = 0.25

# The same change, by hand: one statement over the app's rows.
HAND_SQL = {
    "add_concepts": """
        UPDATE annotations
        SET data = jsonb_set(data, '{concepts}',
                             COALESCE(data -> 'concepts', '[]') || %s::jsonb),
            modified_at = now()
        WHERE app_pk = %s AND input_level AND model_version_id = ''
    """,
    "add_metadata": """
        UPDATE inputs
        SET data = jsonb_set(data, '{metadata}', COALESCE(data -> 'metadata', '{}') || %s::jsonb),
            modified_at = now()
        WHERE app_pk = %s
    """,
}


def new_concept(round_: int) -> dict:
    """A concept each round adds anew (a round repeating the last would
    change nothing, which costs less)."""
    return {"id": f"bulk-added-{round_}", "value": 1.0, "name": f"bulk-added-{round_}"}


def new_metadata(round_: int) -> dict:
    return {"bulk": {"round": round_}}


def app_pk(url: str, acct: dict) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT pk FROM apps WHERE user_id = %s AND id = 'main'", (acct["user_id"],)
        ).fetchone()[0]


def load(url: str, pk: int, user_id: str, count: int) -> list[str]:
    """`count` text inputs with their input-level annotations, by COPY."""
    ids = [f"in{n:07d}" for n in range(count)]
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY inputs ({INPUT_COLS}) FROM STDIN") as copy:
            for n, input_id in enumerate(ids):
                data = {"text": {"raw": f"text {n}"}, "metadata": {"sku": n, "tags": ["a"]}}
                copy.write_row((pk, input_id, json.dumps(data), "text", "", "", 30000, ""))
        with cur.copy(f"COPY annotations ({ANN_COLS}) FROM STDIN") as copy:
            for n, input_id in enumerate(ids):
                ann = {"concepts": [{"id": f"c{n % 10}", "value": 1.0, "name": f"c{n % 10}"}]}
                copy.write_row(
                    (pk, uuid.uuid4().hex, input_id, json.dumps(ann), "{}", user_id, "", "", True)
                    + (24150, "")
                )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE inputs")
        conn.execute("VACUUM ANALYZE annotations")
    return ids


def operation(kind: str, round_: int) -> r.Operation:
    if kind == "add_concepts":
        concept = r.Concept(id=new_concept(round_)["id"], value=1.0)
        return r.Operation(add_concepts=r.AddConcepts(concepts=[concept]))
    meta = struct_pb2.Struct()
    meta.update(new_metadata(round_))
    return r.Operation(add_metadata=r.AddMetadata(metadata=meta))


def bulk_rate(port: int, key: str, ids: list[str], kind: str, round_: int) -> float:
    """inputs/s of one bulk operation over `ids`, posted then polled."""
    md = (("authorization", f"Key {key}"),)
    with grpc.insecure_channel(
        f"127.0.0.1:{port}", options=[("grpc.max_send_message_length", 64 * 1024 * 1024)]
    ) as channel:
        stub = service_pb2_grpc.V2Stub(channel)
        op = r.BulkOperation(
            id=f"bench-{kind.replace('_', '-')}-{round_}",
            input_ids=r.InputIDs(input_ids=ids),
            operation=operation(kind, round_),
        )
        began = time.perf_counter()
        res = stub.PostBulkOperations(
            s.PostBulkOperationsRequest(bulk_operations=[op]), metadata=md
        )
        if res.status.code != sc.SUCCESS:
            raise RuntimeError(f"PostBulkOperations failed: {res.status}")
        while True:
            got = stub.GetBulkOperation(s.GetBulkOperationRequest(id=op.id), metadata=md)
            code = got.bulk_operation.status.code
            if code == sc.BULK_OPERATION_SUCCESS:
                break
            if code not in (sc.BULK_OPERATION_PENDING, sc.BULK_OPERATION_IN_PROGRESS):
                raise RuntimeError(f"the bulk operation ended {got.bulk_operation.status}")
            time.sleep(0.05)
        elapsed = time.perf_counter() - began
    if got.bulk_operation.progress.processed != len(ids):
        raise RuntimeError(f"processed {got.bulk_operation.progress.processed} of {len(ids)}")
    return len(ids) / elapsed


def hand_rate(url: str, pk: int, count: int, kind: str, round_: int) -> float:
    value = [new_concept(round_)] if kind == "add_concepts" else new_metadata(round_)
    with psycopg.connect(url) as conn:
        began = time.perf_counter()
        with conn.transaction():
            changed = conn.execute(HAND_SQL[kind], (json.dumps(value), pk)).rowcount
        elapsed = time.perf_counter() - began
    if changed != count:
        raise RuntimeError(f"the hand-written statement changed {changed} rows of {count}")
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs each operation covers")
    parser.add_argument(
        "--rounds", type=int, default=2, help="runs of each, in turns; the best of each counts"
    )
    args = parser.parse_args()
    database = ExitStack()
    url = plain(database.enter_context(scratch_database("clarifai_bench_bulk")))
    server = Server(url, Path(tempfile.mkdtemp(prefix="clarifai-bench-")), fetch_urls=False)
    try:
        server.cli("migrate")
        server.start()
        bulk, hand = server.account(), server.account()
        ids = load(url, app_pk(url, bulk), bulk["user_id"], args.inputs)
        load(url, app_pk(url, hand), hand["user_id"], args.inputs)
        print(f"Bulk operations over {args.inputs} inputs (an input_ids source)")
        hand_pk = app_pk(url, hand)
        for kind in ("add_concepts", "add_metadata"):
            ours = floor = 0.0
            for round_ in range(args.rounds):
                ours = max(ours, bulk_rate(server.grpc_port, bulk["api_key"], ids, kind, round_))
                floor = max(floor, hand_rate(url, hand_pk, args.inputs, kind, round_))
            ratio = ours / floor
            print(f"  {kind:13} bulk operation {ours:9.0f} inputs/s (post, run, poll)")
            print(f"  {kind:13} hand SQL       {floor:9.0f} inputs/s (one UPDATE)")
            print(f"  {kind:13} ratio          {ratio:9.2f}")
            goal(f"bulk {kind} vs hand SQL", f"{ratio:.2f}", f"≥ {TARGET}", ratio >= TARGET)
    finally:
        server.stop()
        database.close()


if __name__ == "__main__":
    sys.exit(main())
