"""Extracts server/reference_rpcs.json from the reference, clarifai-grpc 12.2.11.

The server answers the reference's RPCs it does not serve with a status (see
server/reference.py) but must not import the reference package, whose protos
define the same symbols as ours. So what that fallback needs (each RPC of the
V2 service in declaration order: name, cl_auth_type, streaming, and its
google.api.http routes with additional bindings) is read here, in the
reference's own environment, and committed as data.

    python -m tests.reference_rpcs     # rewrite server/reference_rpcs.json

tests/unit/test_reference_rpcs.py fails when the committed file is stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.reference_env import run_reference

DATA = Path(__file__).resolve().parent.parent / "server" / "reference_rpcs.json"

# Runs in the reference environment; prints the data as JSON.
EXTRACT = r"""
import json
import clarifai_grpc
from clarifai_grpc.grpc.api import service_pb2
from clarifai_grpc.grpc.auth.types import types_pb2
from clarifai_grpc.grpc.auth.util import extension_pb2
from google.api import annotations_pb2

service = service_pb2.DESCRIPTOR.services_by_name["V2"]
rpcs = []
for md in service.methods:
    options = md.GetOptions()
    rule = options.Extensions[annotations_pb2.http]
    routes = []
    for r in (rule, *rule.additional_bindings):
        kind = r.WhichOneof("pattern")
        if kind == "custom":
            routes.append([r.custom.kind.upper(), r.custom.path, r.body])
        elif kind is not None:
            routes.append([kind.upper(), getattr(r, kind), r.body])
    status = md.output_type.fields_by_number.get(1)
    rpcs.append({
        "name": md.name,
        "auth": types_pb2.AuthType.Name(options.Extensions[extension_pb2.cl_auth_type]),
        "client_streaming": md.client_streaming,
        "server_streaming": md.server_streaming,
        # The fallback answers with field 1 alone: it must be the status.
        "status_is_field_1": status is not None and status.name == "status"
            and status.message_type.full_name == "clarifai.api.status.Status",
        "routes": routes,
    })
print(json.dumps({
    "reference": "clarifai-grpc " + clarifai_grpc.__version__,
    "service": service.full_name,
    "rpcs": rpcs,
}))
"""


def extract() -> dict[str, Any]:
    return json.loads(run_reference(EXTRACT).stdout)


def render(data: dict[str, Any]) -> str:
    """The data as committed: one line per RPC and per route, so a diff of
    the file reads as a diff of the contract."""
    lines = ["{"]
    lines.append(f'  "reference": {json.dumps(data["reference"])},')
    lines.append(f'  "service": {json.dumps(data["service"])},')
    lines.append('  "rpcs": [')
    for n, rpc in enumerate(data["rpcs"]):
        head = json.dumps({k: v for k, v in rpc.items() if k != "routes"})[:-1]
        routes = ",\n".join(f"      {json.dumps(route)}" for route in rpc["routes"])
        comma = "," if n < len(data["rpcs"]) - 1 else ""
        lines.append(f'    {head}, "routes": [\n{routes}\n    ]}}{comma}')
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DATA.write_text(render(extract()))
    print(f"wrote {DATA}")
