"""The unchanged official Python client (clarifai-grpc 12.2.11, in its own
environment) runs a bulk operation and polls it until it ends, as its users
do; the inputs show the change."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCRIPT = r"""
import json, sys, time
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2 as r, service_pb2 as s, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2
from google.protobuf import struct_pb2

port, pat, app_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
app = r.UserAppIDSet(user_id="me", app_id=app_id)
md = (("authorization", "Key " + pat),)
name = status_code_pb2.StatusCode.Name
channel = ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=port)
stub = service_pb2_grpc.V2Stub(channel)
out = {}

ids = ["bulk-%d" % n for n in range(40)]
res = stub.PostInputs(
    s.PostInputsRequest(
        user_app_id=app, inputs=[r.Input(id=i, data=r.Data(text=r.Text(raw=i))) for i in ids]
    ),
    metadata=md,
)
out["PostInputs"] = name(res.status.code)

meta = struct_pb2.Struct()
meta.update({"source": "bulk"})
res = stub.PostBulkOperations(
    s.PostBulkOperationsRequest(
        user_app_id=app,
        bulk_operations=[
            r.BulkOperation(
                id="from-client",
                input_ids=r.InputIDs(input_ids=ids),
                operation=r.Operation(add_metadata=r.AddMetadata(metadata=meta)),
            )
        ],
    ),
    metadata=md,
)
out["Post"] = [name(res.status.code), [name(op.status.code) for op in res.bulk_operation]]

running = (status_code_pb2.BULK_OPERATION_PENDING, status_code_pb2.BULK_OPERATION_IN_PROGRESS)
deadline = time.time() + 60
while time.time() < deadline:
    get = s.GetBulkOperationRequest(user_app_id=app, id="from-client")
    op = stub.GetBulkOperation(get, metadata=md).bulk_operation
    if op.status.code not in running:
        break
    time.sleep(0.05)
out["Get"] = {
    "status": name(op.status.code),
    "description": op.status.description,
    "processed": op.progress.processed,
    "last": op.progress.last_processed_id,
    "created_by_set": bool(op.created_by),
}
res = stub.ListBulkOperations(s.ListBulkOperationsRequest(user_app_id=app), metadata=md)
out["List"] = [op.id for op in res.bulk_operation]
res = stub.GetInput(s.GetInputRequest(user_app_id=app, input_id=ids[7]), metadata=md)
out["metadata"] = dict(res.input.data.metadata)
delete = s.DeleteBulkOperationRequest(user_app_id=app, ids=["from-client"])
res = stub.DeleteBulkOperations(delete, metadata=md)
out["Delete"] = name(res.status.code)
print(json.dumps(out))
"""


async def test_a_bulk_operation_run_and_polled(server, account, reference):
    proc = await asyncio.to_thread(
        run_reference, SCRIPT, str(server.grpc_port), account.pat, account.app_id
    )
    out = json.loads(proc.stdout)
    assert out["PostInputs"] == "SUCCESS"
    assert out["Post"] == ["SUCCESS", ["BULK_OPERATION_PENDING"]]
    assert out["Get"] == {
        "status": "BULK_OPERATION_SUCCESS",
        "description": "Bulk operation success",
        "processed": 40,
        "last": "bulk-39",
        "created_by_set": True,
    }
    assert out["List"] == ["from-client"]
    assert out["metadata"] == {"source": "bulk"}
    assert out["Delete"] == "SUCCESS"
