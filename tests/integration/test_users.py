"""GetUser over gRPC (another user's, over REST too)."""

from __future__ import annotations

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from sqlalchemy import update

from storage.users import User
from tests.helpers import assert_missing


class TestGetUser:
    async def test_me(self, stub, account, server):
        async with server.db.transaction() as session:
            await session.execute(
                update(User)
                .where(User.id == account.user_id)
                .values(email="ada@example.com", first_name="Ada")
            )
        for user_id in ("me", account.user_id):
            res = await stub.GetUser(
                s.GetUserRequest(user_app_id=r.UserAppIDSet(user_id=user_id)),
                metadata=account.md(),
            )
            assert res.status.code == sc.SUCCESS, res.status
            assert res.user.id == account.user_id
            assert res.user.primary_email == "ada@example.com"
            assert res.user.first_name == "Ada" and res.user.HasField("created_at")

    async def test_empty_user_id_is_the_caller(self, stub, account):
        res = await stub.GetUser(s.GetUserRequest(), metadata=account.md())
        assert res.status.code == sc.SUCCESS and res.user.id == account.user_id

    async def test_other_users_are_invisible(self, transport, account, new_account):
        other = await new_account()
        res = await transport.call(
            "GetUser",
            s.GetUserRequest(user_app_id=r.UserAppIDSet(user_id=other.user_id)),
            account.md(),
            http_status=404,
        )
        assert_missing(res, other.user_id)
        assert not res.HasField("user")

    async def test_app_keys_are_refused(self, stub, account):
        res = await stub.GetUser(s.GetUserRequest(), metadata=account.key_md)
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "Personal Access Token" in res.status.details and not res.HasField("user")
