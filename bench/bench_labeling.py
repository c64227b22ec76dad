"""Labeling benchmark (not a test): figures are printed, never asserted.

Two `clarifai-local serve` processes on one database; a task over 100,000
inputs (put into the tables with COPY: PostInputs is bench_inputs.py's
subject). Workers, 1, 8 and then 32 of them at once, each call going to
either process, run the loop LABEL_START then LABEL_SUBMIT (no labels:
the hand-out is what is measured) for a fixed time each:

1. Assignments handed out per second at each concurrency (goal: >= 1,000/s
   at 32), on a DYNAMIC task (first come, first served: the contended
   case) and on a PARTITIONED one; each also as a ratio to a bare
   PutTaskAssignments-shaped ceiling measured in the same run: the same
   callers doing GetTask (one indexed read and a response) as fast as they
   can, in calls/s times the 10 inputs a LABEL_START hands out.
2. Double assignments: inputs given to more workers than the task allows,
   read from the database afterwards (goal: 0).
3. Weighted shares: a PARTITIONED WEIGHTED task's rule over all 100,000
   inputs (weights 5, 3, 2, workers_per_input 1), the largest gap between a
   worker's share and its weight's.

Usage: .venv/bin/python bench/bench_labeling.py [--inputs 100000] [--seconds 8]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import grpc
import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from harness import Server, plain, scratch_database

from server import bootstrap
from server.domain import assignment
from storage.db import Database

Action = s.PutTaskAssignmentsRequestAction
LEVELS = (1, 8, 32)


def ok(res) -> None:
    assert res.status.code == sc.SUCCESS, res.status


def md(account: dict) -> tuple:
    return (("authorization", f"Key {account['pat']}"),)


def load_inputs(url: str, app_pk: int, n: int) -> list[int]:
    """n text inputs of the app, straight into the table; their pks."""
    with psycopg.connect(plain(url)) as conn:
        pks = [
            pk
            for (pk,) in conn.execute(
                "SELECT nextval(pg_get_serial_sequence('inputs', 'pk'))"
                " FROM generate_series(1, %s)",
                (n,),
            )
        ]
        with conn.cursor() as cur:
            columns = (
                "pk, app_pk, id, data, media_kind, source_url, blob_key, status_code,"
                " status_details"
            )
            with cur.copy(f"COPY inputs ({columns}) FROM STDIN") as copy:
                for k, pk in enumerate(pks):
                    data = json.dumps({"text": {"raw": f"text {k}"}})
                    copy.write_row((pk, app_pk, f"in{k:06d}", data, "text", "", "", 30000, ""))
        conn.execute("ANALYZE inputs")
    return pks


async def make_people(url: str, n: int) -> tuple[dict, list[dict]]:
    db = Database(url)
    try:
        owner = await bootstrap.create(db)
        workers = [await bootstrap.create(db) for _ in range(n)]
    finally:
        await db.engine.dispose()
    return owner, workers


class Bench:
    def __init__(self, stubs, owner: dict, workers: list[dict]) -> None:
        self.stubs = stubs
        self.owner = owner
        self.workers = workers
        self.app = r.UserAppIDSet(user_id=owner["user_id"], app_id=owner["app_id"])

    async def setup(self) -> None:
        ok(
            await self.stubs[0].PostCollaborators(
                s.PostCollaboratorsRequest(
                    user_app_id=self.app,
                    collaborators=[
                        r.Collaborator(user=r.User(id=w["user_id"]), scopes=["All"])
                        for w in self.workers
                    ],
                ),
                metadata=md(self.owner),
            )
        )
        ok(
            await self.stubs[0].PostConcepts(
                s.PostConceptsRequest(user_app_id=self.app, concepts=[r.Concept(id="cat")]),
                metadata=md(self.owner),
            )
        )

    async def task(self, worker: r.TaskWorker) -> str:
        task = r.Task(
            type=r.Task.CONCEPTS_CLASSIFICATION,
            worker=worker,
            concepts=[r.TaskConcept(concept=r.Concept(id="cat"))],
            input_source=r.TaskInputSource(type=r.TaskInputSource.ALL_INPUTS),
            review=r.TaskReview(strategy=r.TaskReview.NONE),
        )
        res = await self.stubs[0].PostTasks(
            s.PostTasksRequest(user_app_id=self.app, tasks=[task]), metadata=md(self.owner)
        )
        ok(res)
        return res.tasks[0].id

    async def _loop(self, task_id: str, who: dict, until: float, seed: int) -> int:
        pick, handed = random.Random(seed), 0
        while time.perf_counter() < until:
            start = s.PutTaskAssignmentsRequest(
                user_app_id=self.app, task_id=task_id, action=Action.LABEL_START
            )
            res = await pick.choice(self.stubs).PutTaskAssignments(start, metadata=md(who))
            ok(res)
            if not res.task_assignments:
                break
            handed += len(res.task_assignments)
            submit = s.PutTaskAssignmentsRequest(
                user_app_id=self.app,
                task_id=task_id,
                action=Action.LABEL_SUBMIT,
                label_submit_config=s.LabelSubmitConfig(
                    task_assignments=[r.TaskAssignment(id=a.id) for a in res.task_assignments]
                ),
            )
            ok(await pick.choice(self.stubs).PutTaskAssignments(submit, metadata=md(who)))
        return handed

    async def _ceiling_loop(self, task_id: str, who: dict, until: float, seed: int) -> int:
        pick, calls = random.Random(seed), 0
        get = s.GetTaskRequest(user_app_id=self.app, task_id=task_id)
        while time.perf_counter() < until:
            ok(await pick.choice(self.stubs).GetTask(get, metadata=md(who)))
            calls += 1
        return calls

    async def rate(self, loop, task_id: str, level: int, seconds: float) -> float:
        began = time.perf_counter()
        counts = await asyncio.gather(
            *(loop(task_id, w, began + seconds, n) for n, w in enumerate(self.workers[:level]))
        )
        return sum(counts) / (time.perf_counter() - began)


def doubles(url: str, task_id: str, per_input: int) -> tuple[int, int]:
    """(inputs given to more than per_input workers, assignments in all)."""
    with psycopg.connect(plain(url)) as conn:
        [(over,)] = conn.execute(
            "SELECT count(*) FROM (SELECT a.input_pk FROM task_assignments a "
            "JOIN tasks t ON t.pk = a.task_pk WHERE t.id = %s GROUP BY a.input_pk "
            "HAVING count(*) > %s) x",
            (task_id, per_input),
        ).fetchall()
        [(total,)] = conn.execute(
            "SELECT count(*) FROM task_assignments a JOIN tasks t ON t.pk = a.task_pk "
            "WHERE t.id = %s",
            (task_id,),
        ).fetchall()
    return over, total


def shares(pks: list[int]) -> None:
    weights = {"a": 5.0, "b": 3.0, "c": 2.0}
    spread = assignment.intervals(list(weights), weights, 1)
    counts = Counter(w for pk in pks for w in assignment.workers_of(pk, spread))
    want = assignment.shares(list(weights), weights)
    error = assignment.spread_error(counts, want, len(pks))
    got = ", ".join(f"{w} {counts[w] / len(pks):.4f} (weight {want[w]:.2f})" for w in weights)
    print(f"weighted shares over {len(pks):,} inputs: {got}; largest gap {error:.5f}")


async def run(url: str, servers: list[Server], n_inputs: int, seconds: float) -> None:
    owner, workers = await make_people(url, max(LEVELS))
    with psycopg.connect(plain(url)) as conn:
        [(app_pk,)] = conn.execute(
            "SELECT a.pk FROM apps a WHERE a.user_id = %s AND a.id = %s",
            (owner["user_id"], owner["app_id"]),
        ).fetchall()
    began = time.perf_counter()
    pks = load_inputs(url, app_pk, n_inputs)
    print(f"{n_inputs:,} inputs loaded in {time.perf_counter() - began:.1f} s")
    async with (
        grpc.aio.insecure_channel(f"127.0.0.1:{servers[0].grpc_port}") as a,
        grpc.aio.insecure_channel(f"127.0.0.1:{servers[1].grpc_port}") as b,
    ):
        bench = Bench((service_pb2_grpc.V2Stub(a), service_pb2_grpc.V2Stub(b)), owner, workers)
        await bench.setup()
        everyone = [r.Worker(user=r.User(id=w["user_id"])) for w in workers]
        dynamic = await bench.task(r.TaskWorker(strategy=r.TaskWorker.DYNAMIC, workers=everyone))
        partitioned = await bench.task(
            r.TaskWorker(
                strategy=r.TaskWorker.PARTITIONED,
                workers=everyone,
                partitioned_strategy_info=r.TaskWorkerPartitionedStrategyInfo(
                    type=r.TaskWorkerPartitionedStrategyInfo.EVENLY, workers_per_input=1
                ),
            )
        )
        for level in LEVELS:
            ceiling = 10 * await bench.rate(bench._ceiling_loop, dynamic, level, seconds)
            for name, task_id in (("DYNAMIC", dynamic), ("PARTITIONED", partitioned)):
                got = await bench.rate(bench._loop, task_id, level, seconds)
                print(
                    f"{name:<11} {level:>2} workers: {got:7.0f} assignments/s "
                    f"(ceiling {ceiling:7.0f}/s, ratio {got / ceiling:.2f}; goal at 32: >= 1000/s)"
                )
    for name, task_id in (("DYNAMIC", dynamic), ("PARTITIONED", partitioned)):
        over, total = doubles(url, task_id, 1)
        print(f"{name}: {total:,} assignments, {over} inputs given twice (goal 0)")
    shares(pks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="per measurement")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes per server (serve --workers)"
    )
    args = parser.parse_args()
    with ExitStack() as stack:
        url = stack.enter_context(scratch_database("clarifai_bench"))
        data_dir = Path(tempfile.mkdtemp(prefix="clarifai-bench-"))
        servers = [Server(url, data_dir, workers=args.workers) for _ in range(2)]
        servers[0].cli("migrate")
        for server in servers:
            server.start()
            stack.callback(server.stop)
        asyncio.run(run(url, servers, args.inputs, args.seconds))


if __name__ == "__main__":
    main()
