"""ListStatusCodes, GetStatusCode over gRPC: open to callers without a key."""

from __future__ import annotations

import pytest
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import KEY_INVALID, md


class TestListStatusCodes:
    async def test_the_whole_table_without_a_key(self, stub):
        res = await stub.ListStatusCodes(s.ListStatusCodesRequest())
        assert res.status.code == sc.SUCCESS and res.status.description == "Ok"
        by_code = {st.code: st.description for st in res.statuses}
        assert len(by_code) == len(res.statuses)  # each code once
        assert by_code[sc.SUCCESS] == "Ok"
        assert by_code[sc.CONN_KEY_INVALID] == KEY_INVALID
        assert by_code[sc.CONN_INVALID_REQUEST] == "Invalid request"
        assert set(by_code) == {v for v in sc.StatusCode.values() if v}
        assert all(by_code.values())

    async def test_a_bad_key_does_not_matter(self, stub):
        res = await stub.ListStatusCodes(s.ListStatusCodesRequest(), metadata=md("nope"))
        assert res.status.code == sc.SUCCESS


class TestGetStatusCode:
    @pytest.mark.parametrize("ident", ["11008", "CONN_KEY_INVALID"])
    async def test_by_number_or_name(self, stub, ident):
        res = await stub.GetStatusCode(s.GetStatusCodeRequest(status_code_id=ident))
        assert res.status.code == sc.CONN_KEY_INVALID
        assert res.status.description == KEY_INVALID

    @pytest.mark.parametrize("ident", ["12345", "NOT_A_CODE", "0", "-1"])
    async def test_unknown(self, stub, ident):
        res = await stub.GetStatusCode(s.GetStatusCodeRequest(status_code_id=ident))
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert res.status.description == "Resource does not exist"
        assert f"status_code_id '{ident}'" in res.status.details

    async def test_required(self, stub):
        res = await stub.GetStatusCode(s.GetStatusCodeRequest())
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "status_code_id" in res.status.details
