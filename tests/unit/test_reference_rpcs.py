"""server/reference_rpcs.json, the reference's RPCs as the server's fallback
reads them, against clarifai-grpc 12.2.11 itself and against protos/."""

from __future__ import annotations

import json

from server import contract, reference
from server.rest_app import parse_template
from tests import reference_rpcs

STALE = "server/reference_rpcs.json is stale: run `make coverage` (python -m tests.reference_rpcs)"


def test_the_data_file_is_what_the_reference_says() -> None:
    current = reference_rpcs.extract()
    assert json.loads(reference.DATA.read_text()) == current, STALE
    assert reference.DATA.read_text() == reference_rpcs.render(current), STALE
    assert current["reference"] == "clarifai-grpc 12.2.11"


def test_every_reference_rpc_is_read() -> None:
    rpcs = reference.rpcs()
    assert len(rpcs) == 280
    assert {r.auth_type for r in rpcs.values()} == {
        contract.AuthType.NoAuth,
        contract.AuthType.KeyAuth,
        contract.AuthType.PATAuth,
        contract.AuthType.SessionTokenAuth,
    }
    streaming = {n for n, r in rpcs.items() if r.client_streaming or r.server_streaming}
    assert {"StreamModelOutputs", "GenerateModelOutputs", "PostModelVersionsUpload"} <= streaming
    assert all(r.routes for r in rpcs.values())
    for rpc in rpcs.values():
        for _, template, _ in rpc.routes:
            parse_template(template)  # the REST edge can route it


def test_declared_rpcs_agree_with_the_data() -> None:
    """Where protos/ and the data both speak, they say the same (the
    conformance test holds protos/ to the reference itself)."""
    rpcs = reference.rpcs()
    declared = contract.methods()
    for name, method in declared.items():
        if name not in rpcs:
            continue  # an addition (feedback)
        rpc = rpcs[name]
        rules = [method.http, *method.http.additional_bindings]
        routes = []
        for rule in rules:
            kind = rule.WhichOneof("pattern")
            if kind is not None:
                routes.append((kind.upper(), getattr(rule, kind), rule.body))
        assert tuple(routes) == rpc.routes, name
        assert method.auth_type == rpc.auth_type, name
        md = method.descriptor
        assert (md.client_streaming, md.server_streaming) == (
            rpc.client_streaming,
            rpc.server_streaming,
        ), name
    assert set(reference.unserved()) == set(rpcs) - set(declared)
