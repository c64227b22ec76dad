"""A bulk operation under a `clarifai-local serve` killed with SIGKILL
mid-run resumes when a server comes back: every input done exactly once,
none skipped (server/bulk_operations.py commits each chunk with its
progress)."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import grpc
import psutil
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import md
from tests.processes import Serving, query, serve

INPUTS = 500
CHUNK = 10
SETTINGS = {"CLARIFAI_LOCAL_BULK_CHUNK": str(CHUNK)}
LABELLED = """
    SELECT count(*) FROM annotations a JOIN apps p ON p.pk = a.app_pk
    WHERE p.id = 'main' AND a.input_level AND a.data -> 'concepts' @> '[{"id": "bulk"}]'
"""
PROGRESS = "SELECT processed, status_code FROM bulk_operations WHERE id = 'resumed'"


def stub_of(server: Serving) -> tuple[grpc.Channel, service_pb2_grpc.V2Stub]:
    channel = grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}")
    return channel, service_pb2_grpc.V2Stub(channel)


def kill_all(server: Serving) -> None:
    """SIGKILL the server and its workers at once: nothing ends cleanly."""
    tree = [*psutil.Process(server.proc.pid).children(recursive=True), server.proc]
    for process in tree:
        process.send_signal(signal.SIGKILL)
    psutil.wait_procs(tree, timeout=10)


def test_a_bulk_operation_killed_mid_run_resumes_exactly(
    fresh_database: str, tmp_path: Path
) -> None:
    ids = [f"in{n:05}" for n in range(INPUTS)]
    with serve(fresh_database, tmp_path, "first", workers=1, settings=SETTINGS) as first:
        first.wait_serving()
        auth = md(json.loads((tmp_path / "bootstrap.json").read_text())["pat"])
        channel, stub = stub_of(first)
        with channel:
            for start in range(0, INPUTS, 128):
                batch = [
                    r.Input(id=i, data=r.Data(text=r.Text(raw=i))) for i in ids[start : start + 128]
                ]
                res = stub.PostInputs(
                    s.PostInputsRequest(
                        user_app_id=r.UserAppIDSet(user_id="me", app_id="main"), inputs=batch
                    ),
                    metadata=auth,
                )
                assert res.status.code == sc.SUCCESS, res.status
            op = r.BulkOperation(
                id="resumed",
                input_ids=r.InputIDs(input_ids=ids),
                operation=r.Operation(
                    add_concepts=r.AddConcepts(concepts=[r.Concept(id="bulk", value=1)])
                ),
            )
            res = stub.PostBulkOperations(
                s.PostBulkOperationsRequest(
                    user_app_id=r.UserAppIDSet(user_id="me", app_id="main"), bulk_operations=[op]
                ),
                metadata=auth,
            )
            assert res.status.code == sc.SUCCESS, res.status
        # Killed once some chunks are done, well before the last.
        deadline = time.monotonic() + 60
        while query(fresh_database, PROGRESS)[0][0] < 20 * CHUNK:
            assert time.monotonic() < deadline, "the operation did not start"
            time.sleep(0.01)
        kill_all(first)

    [(processed, status)] = query(fresh_database, PROGRESS)
    assert status == sc.BULK_OPERATION_IN_PROGRESS
    assert 0 < processed < INPUTS
    # What was committed is exactly what the progress counts: the chunk under
    # way when the process died left nothing.
    assert query(fresh_database, LABELLED)[0][0] == processed
    # The dead runner's lease lapses (after a minute); made to lapse now.
    query(
        fresh_database,
        "UPDATE jobs SET leased_until = now() - interval '1 second' "
        "WHERE kind = 'bulk_operation' RETURNING pk",
    )

    with serve(fresh_database, tmp_path, "again", workers=1, settings=SETTINGS) as again:
        again.wait_serving()
        channel, stub = stub_of(again)
        with channel:
            deadline = time.monotonic() + 120
            while True:
                res = stub.GetBulkOperation(
                    s.GetBulkOperationRequest(
                        user_app_id=r.UserAppIDSet(user_id="me", app_id="main"), id="resumed"
                    ),
                    metadata=auth,
                )
                assert res.status.code == sc.SUCCESS, res.status
                if res.bulk_operation.status.code != sc.BULK_OPERATION_IN_PROGRESS:
                    break
                assert time.monotonic() < deadline, res.bulk_operation
                time.sleep(0.1)
        done = res.bulk_operation
        assert done.status.code == sc.BULK_OPERATION_SUCCESS, done.status
        # Each input counted once: a chunk done twice would count past INPUTS.
        assert done.progress.processed == INPUTS
        assert done.progress.last_processed_id == ids[-1]
        assert query(fresh_database, LABELLED)[0][0] == INPUTS
        assert again.stop() == 0
