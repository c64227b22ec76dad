"""The unchanged official Python client, clarifai-grpc 12.2.11, in its own
virtual environment (it defines the same proto symbols as the server, so it
never shares this process): apps, keys and scopes over its insecure channel
and its asyncio channel."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

SCRIPT = r"""
import asyncio, json, sys
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2 as r, service_pb2 as s, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

port, pat, app_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
me = r.UserAppIDSet(user_id="me")


def md(token):
    return (("authorization", "Key " + token),)


def status(res):
    st = res.status
    return {
        "code": status_code_pb2.StatusCode.Name(st.code),
        "number": st.code,
        "description": st.description,
        "details": st.details,
    }


out = {}
channel = ClarifaiChannel.get_insecure_grpc_channel(base="127.0.0.1", port=port)
stub = service_pb2_grpc.V2Stub(channel)

res = stub.PostApps(
    s.PostAppsRequest(user_app_id=me, apps=[r.App(id=app_id, description="by clarifai-grpc")]),
    metadata=md(pat),
)
out["PostApps"] = {**status(res), "apps": [(a.id, a.description) for a in res.apps]}

res = stub.PostKeys(
    s.PostKeysRequest(
        user_app_id=me,
        keys=[r.Key(description="by clarifai-grpc", scopes=["All"], apps=[r.App(id=app_id)])],
    ),
    metadata=md(pat),
)
key = res.keys[0].id if res.keys else ""
out["PostKeys"] = {
    **status(res),
    "key_length": len(key),
    "apps": [a.id for k in res.keys for a in k.apps],
}

res = stub.ListApps(s.ListAppsRequest(user_app_id=me), metadata=md(pat))
out["ListApps"] = {**status(res), "apps": sorted(a.id for a in res.apps)}

res = stub.MyScopes(s.MyScopesRequest(), metadata=md(key))
out["MyScopes"] = {
    **status(res),
    "app": res.app.id,
    "scopes": list(res.scopes),
    "endpoints": list(res.endpoints),
}

res = stub.MyScopes(s.MyScopesRequest(), metadata=md("not-a-key"))
out["BadKey"] = {**status(res), "scopes": list(res.scopes)}
channel.close()

out["aio_channel"] = hasattr(ClarifaiChannel, "get_aio_insecure_grpc_channel")


async def aio():
    channel = ClarifaiChannel.get_aio_insecure_grpc_channel(base="127.0.0.1", port=port)
    async with channel:
        res = await service_pb2_grpc.V2Stub(channel).MyScopes(s.MyScopesRequest(), metadata=md(key))
    return {**status(res), "app": res.app.id}


if out["aio_channel"]:
    out["aio MyScopes"] = asyncio.run(aio())
print(json.dumps(out))
"""


async def test_apps_keys_and_scopes(server, account, reference):
    proc = await asyncio.to_thread(
        run_reference, SCRIPT, str(server.grpc_port), account.pat, "made-by-client"
    )
    out = json.loads(proc.stdout)

    assert out["PostApps"]["code"] == "SUCCESS", out["PostApps"]
    assert out["PostApps"]["description"] == "Ok"
    assert out["PostApps"]["apps"] == [["made-by-client", "by clarifai-grpc"]]

    assert out["PostKeys"]["code"] == "SUCCESS", out["PostKeys"]
    assert out["PostKeys"]["key_length"] == 32 and out["PostKeys"]["apps"] == ["made-by-client"]

    assert out["ListApps"]["code"] == "SUCCESS"
    assert out["ListApps"]["apps"] == sorted(["main", "made-by-client"])

    mine = out["MyScopes"]
    assert mine["code"] == "SUCCESS" and mine["app"] == "made-by-client"
    assert "All" in mine["scopes"] and "/clarifai.api.V2/MyScopes" in mine["endpoints"]

    bad = out["BadKey"]
    assert (bad["code"], bad["number"]) == ("CONN_KEY_INVALID", 11008)
    assert bad["description"] == "Invalid API key or Invalid API key/application pair"
    assert bad["scopes"] == []

    # 12.2.11 has the asyncio channel; one call over it.
    assert out["aio_channel"] is True
    assert out["aio MyScopes"] == {
        "code": "SUCCESS",
        "number": 10000,
        "description": "Ok",
        "details": "",
        "app": "made-by-client",
    }
