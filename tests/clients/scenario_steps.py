"""What the reference client's scenario scripts (scenario_*_grpc.py) share:
a V2 stub on the channel their mode names, and each step's response
recorded as the client parsed it. Imported by those scripts only, in the
reference environment's interpreter (beside them on sys.path), never by
the test process."""

from __future__ import annotations

from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import service_pb2_grpc
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct


class Steps:
    """`mode` "grpc" (address: the port on loopback) or "json" (address:
    the REST base URL), calling with the PAT; `out` holds every step's
    response as a dict, by the step's name."""

    def __init__(self, mode: str, address: str, pat: str) -> None:
        if mode == "grpc":
            channel = ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=int(address))
        else:
            channel = ClarifaiChannel.get_json_channel(base_url=address)
        self.stub = service_pb2_grpc.V2Stub(channel)
        self.metadata = (("authorization", "Key " + pat),)
        self.out: dict = {}

    def step(self, name: str, rpc: str, request):
        """Call `rpc`, record its response under `name`, return it."""
        res = getattr(self.stub, rpc)(request, metadata=self.metadata)
        self.out[name] = json_format.MessageToDict(
            res, preserving_proto_field_name=True, use_integers_for_enums=True
        )
        return res


def struct(**values) -> Struct:
    made = Struct()
    made.update(values)
    return made
