"""The reference contract's RPCs (clarifai-grpc 12.2.11's V2 service) as data.

protos/ declares only what this server serves. A client may still call any
RPC of the reference: those we do not declare ("unserved") are answered at
both edges with a response holding only a Clarifai status (code 10040,
naming the method), instead of gRPC's unknown-method error (code 12) or a
REST 404/405 that would read as a wrong address. Every response message of the reference has its
`status` as field 1, so that answer needs none of its types.

The server must not import the reference package (it defines the same proto
symbols as generated/), so what the fallback needs is extracted from the
reference's descriptors into reference_rpcs.json beside this module by
`python -m tests.reference_rpcs`; a test fails when that file is stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from server import contract
from server.contract import AuthType

DATA = Path(__file__).with_name("reference_rpcs.json")


@dataclass(frozen=True)
class Rpc:
    name: str
    auth_type: int
    # (verb, path template, body) of the main rule, then each additional binding.
    routes: tuple[tuple[str, str, str], ...]
    client_streaming: bool
    server_streaming: bool

    @property
    def path(self) -> str:
        """The gRPC path."""
        return f"/{contract.SERVICE.full_name}/{self.name}"


@cache
def rpcs() -> dict[str, Rpc]:
    """Every RPC of the reference, in its declaration order."""
    data = json.loads(DATA.read_text())
    if data["service"] != contract.SERVICE.full_name:
        raise RuntimeError(f"{DATA.name} describes {data['service']}, not our service")
    out = {}
    for item in data["rpcs"]:
        if not item["status_is_field_1"]:
            raise RuntimeError(f"{DATA.name}: {item['name']}'s response has no status at field 1")
        out[item["name"]] = Rpc(
            name=item["name"],
            auth_type=AuthType.Value(item["auth"]),
            routes=tuple((verb, template, body) for verb, template, body in item["routes"]),
            client_streaming=item["client_streaming"],
            server_streaming=item["server_streaming"],
        )
    return out


@cache
def unserved() -> dict[str, Rpc]:
    """The reference's RPCs that protos/ does not declare."""
    declared = contract.methods()
    return {name: rpc for name, rpc in rpcs().items() if name not in declared}


@cache
def source() -> str:
    """The reference's name and version, as the data file records it."""
    return json.loads(DATA.read_text())["reference"]
