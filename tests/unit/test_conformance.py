"""Our contract (protos/ → generated/) against the reference, clarifai-grpc 12.2.11.

The reference defines the same proto symbols, so it is loaded in its own
environment and hands over its FileDescriptorProtos as bytes; contract_diff
compares them with ours (see its docstring for the rules).
"""

from __future__ import annotations

import base64
import importlib
import json
from collections.abc import Callable

import pytest
from google.protobuf import descriptor_pb2

from server.codegen import proto_files
from tests.reference_env import run_reference
from tests.unit import contract_diff

# Every *_pb2 module of the reference package, as serialized descriptors.
DUMP = """
import base64, importlib, json, pkgutil
import clarifai_grpc.grpc as root
out = {}
for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
    if info.name.endswith("_pb2"):
        d = importlib.import_module(info.name).DESCRIPTOR
        out[d.name] = base64.b64encode(d.serialized_pb).decode()
print(json.dumps(out))
"""

FileList = list[descriptor_pb2.FileDescriptorProto]


@pytest.fixture(scope="module")
def reference() -> FileList:
    dumped = json.loads(run_reference(DUMP).stdout)
    return [
        descriptor_pb2.FileDescriptorProto.FromString(base64.b64decode(data))
        for data in dumped.values()
    ]


@pytest.fixture(scope="module")
def ours() -> FileList:
    """Every file under protos/, from the generated modules the server runs."""
    files = []
    for path in proto_files():
        module = importlib.import_module(path.removesuffix(".proto").replace("/", ".") + "_pb2")
        files.append(descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb))
    return files


def test_declarations_equal_the_reference(
    reference: FileList, ours: FileList, summary_line: Callable[[str], None]
) -> None:
    implemented, total = contract_diff.coverage(reference, ours)
    summary_line(f"implemented {implemented} of {total} reference RPCs")
    assert total > 200 and implemented > 0
    differences = contract_diff.diff(reference, ours)
    assert not differences, "the contract differs from clarifai-grpc 12.2.11:\n" + "\n".join(
        differences
    )


def _status_codes(files: FileList) -> set[tuple[str, int]]:
    enum = contract_diff.index(files).enums["clarifai.api.status.StatusCode"]
    return {(v.name, v.number) for v in enum.value}


def test_status_codes_are_the_whole_reference_table(reference: FileList, ours: FileList) -> None:
    missing = _status_codes(reference) - _status_codes(ours)
    assert not missing, f"StatusCode lacks {sorted(missing)}"
