"""ListStatusCodes, GetStatusCode over gRPC and REST: open to callers without a key."""

from __future__ import annotations

import pytest
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import KEY_INVALID, assert_missing, md


class TestListStatusCodes:
    async def test_the_whole_table_without_a_key(self, transport):
        res = await transport.call("ListStatusCodes", s.ListStatusCodesRequest(), http_status=200)
        assert res.status.code == sc.SUCCESS and res.status.description == "Ok"
        by_code = {st.code: st.description for st in res.statuses}
        assert len(by_code) == len(res.statuses)  # each code once
        assert by_code[sc.SUCCESS] == "Ok"
        assert by_code[sc.CONN_KEY_INVALID] == KEY_INVALID
        assert by_code[sc.CONN_INVALID_REQUEST] == "Invalid request"
        assert set(by_code) == {v for v in sc.StatusCode.values() if v}
        assert all(by_code.values())

    async def test_a_bad_key_does_not_matter(self, transport):
        res = await transport.call(
            "ListStatusCodes", s.ListStatusCodesRequest(), md("nope"), http_status=200
        )
        assert res.status.code == sc.SUCCESS


class TestGetStatusCode:
    @pytest.mark.parametrize("ident", ["11008", "CONN_KEY_INVALID"])
    async def test_by_number_or_name(self, transport, ident):
        # The looked-up code is the answer's status, so over REST the HTTP
        # status follows it.
        res = await transport.call(
            "GetStatusCode", s.GetStatusCodeRequest(status_code_id=ident), http_status=401
        )
        assert res.status.code == sc.CONN_KEY_INVALID
        assert res.status.description == KEY_INVALID

    @pytest.mark.parametrize("ident", ["12345", "NOT_A_CODE", "0", "-1"])
    async def test_unknown(self, transport, ident):
        res = await transport.call(
            "GetStatusCode", s.GetStatusCodeRequest(status_code_id=ident), http_status=404
        )
        assert_missing(res, f"status_code_id '{ident}'")

    async def test_required(self, stub):
        res = await stub.GetStatusCode(s.GetStatusCodeRequest())
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "status_code_id" in res.status.details
