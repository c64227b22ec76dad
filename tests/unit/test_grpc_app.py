"""The gRPC edge's hand-made answer for RPCs it does not serve."""

from __future__ import annotations

import pytest
from clarifai.api import service_pb2
from clarifai.api.status import status_code_pb2 as sc

from server.grpc_app import only_status
from server.status import make_status


@pytest.mark.parametrize("size", [0, 1, 100, 127, 128, 300, 16_383, 16_384, 70_000])
def test_only_status_reads_as_any_response(size: int) -> None:
    """Field 1 with its length as a varint of one, two or three bytes: any
    response type of the contract reads it as its status and nothing else."""
    status = make_status(sc.NOT_IMPLEMENTED, "x" * size, "r" * 32)
    raw = only_status(status)
    for response_type in (service_pb2.MultiAppResponse, service_pb2.SingleInputResponse):
        response = response_type.FromString(raw)
        assert response.status == status
        assert [f.name for f, _ in response.ListFields()] == ["status"]
    assert raw == service_pb2.MultiAppResponse(status=status).SerializeToString()
