"""The official Python client's JSON channel (clarifai-grpc 12.2.11), unchanged,
in its own virtual environment, against our REST port: it builds every URL
from its own copy of the routes, sends its own JSON, and parses our answers
into its own message classes."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.reference_env import run_reference

pytestmark = pytest.mark.clients

# Runs in the reference environment: prints what the client parsed, as JSON.
SCRIPT = r"""
import json, sys
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2 as r, service_pb2 as s, service_pb2_grpc

base_url, user_id, pat, api_key = sys.argv[1:5]
stub = service_pb2_grpc.V2Stub(ClarifaiChannel.get_json_channel(base_url=base_url))
pat_md = (("authorization", "Key " + pat),)
key_md = (("authorization", "Key " + api_key),)
me = r.UserAppIDSet(user_id=user_id, app_id="main")
seen = {}

res = stub.PostApps(
    s.PostAppsRequest(apps=[r.App(id="json-app", name="JSON", description="via json")]),
    metadata=pat_md,
)
seen["PostApps"] = {
    "code": res.status.code,
    "description": res.status.description,
    "ids": [a.id for a in res.apps],
    "created": res.apps[0].created_at.seconds if res.apps else 0,
}

res = stub.ListApps(s.ListAppsRequest(per_page=1, page=2, sort_by_id=True, sort_ascending=True),
                    metadata=pat_md)
seen["ListApps"] = {"code": res.status.code, "ids": [a.id for a in res.apps]}

res = stub.GetApp(
    s.GetAppRequest(user_app_id=r.UserAppIDSet(app_id="json-app")), metadata=pat_md
)
seen["GetApp"] = {"code": res.status.code, "name": res.app.name, "user": res.app.user_id}

res = stub.MyScopes(s.MyScopesRequest(user_app_id=me), metadata=pat_md)
seen["MyScopes.pat"] = {"code": res.status.code, "app": res.app.id, "all": "All" in res.scopes}
res = stub.MyScopes(s.MyScopesRequest(), metadata=key_md)
seen["MyScopes.key"] = {"code": res.status.code, "app": res.app.id, "n": len(res.scopes)}

res = stub.PostKeys(
    s.PostKeysRequest(
        user_app_id=r.UserAppIDSet(user_id="me"),
        keys=[r.Key(description="json key", scopes=["Apps_Get"], apps=[r.App(id="json-app")])],
    ),
    metadata=pat_md,
)
seen["PostKeys"] = {
    "code": res.status.code,
    "type": res.keys[0].type if res.keys else "",
    "apps": [a.id for a in res.keys[0].apps] if res.keys else [],
}
if res.keys:
    new_md = (("authorization", "Key " + res.keys[0].id),)
    got = stub.MyScopes(s.MyScopesRequest(), metadata=new_md)
    seen["MyScopes.new_key"] = {"code": got.status.code, "app": got.app.id,
                                "scopes": list(got.scopes)}

res = stub.ListApps(s.ListAppsRequest(), metadata=(("authorization", "Key not-a-key"),))
seen["bad_key"] = {
    "code": res.status.code,
    "description": res.status.description,
    "req_id": res.status.req_id,
    "apps": len(res.apps),
}
print(json.dumps(seen))
"""


@pytest.fixture
async def seen(rest, account, reference) -> dict:
    # `reference`: the suite skips, saying why, when the client cannot be installed.
    # The server runs on this test's event loop: the client waits in a thread.
    proc = await asyncio.to_thread(
        run_reference, SCRIPT, rest, account.user_id, account.pat, account.api_key
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


async def test_json_channel_scenario(seen, account):
    assert seen["PostApps"]["code"] == 10000, seen
    assert seen["PostApps"]["description"] == "Ok"
    assert seen["PostApps"]["ids"] == ["json-app"] and seen["PostApps"]["created"] > 0
    assert seen["ListApps"] == {"code": 10000, "ids": ["main"]}
    assert seen["GetApp"] == {"code": 10000, "name": "JSON", "user": account.user_id}
    assert seen["MyScopes.pat"] == {"code": 10000, "app": "main", "all": True}
    assert seen["MyScopes.key"]["code"] == 10000 and seen["MyScopes.key"]["app"] == "main"
    assert seen["MyScopes.key"]["n"] > 0
    assert seen["PostKeys"] == {"code": 10000, "type": "app_specific_key", "apps": ["json-app"]}
    assert seen["MyScopes.new_key"]["app"] == "json-app"
    assert "Apps_Get" in seen["MyScopes.new_key"]["scopes"]
    assert seen["bad_key"]["code"] == 11008
    assert seen["bad_key"]["description"] == "Invalid API key or Invalid API key/application pair"
    assert len(seen["bad_key"]["req_id"]) == 32 and seen["bad_key"]["apps"] == 0
