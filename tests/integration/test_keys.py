"""PostKeys, GetKey, ListKeys, ListAppKeys, PatchKeys, DeleteKey over gRPC,
and what a key can do once made (hashed storage, masked ids, expiry)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import timestamp_pb2
from sqlalchemy import select, update

from storage import keys as key_store
from storage.keys import Key
from tests.helpers import KEY_INVALID, app_key, assert_missing, make_key, md, me, pat


def stamp(when: datetime) -> timestamp_pb2.Timestamp:
    out = timestamp_pb2.Timestamp()
    out.FromDatetime(when)
    return out


async def post_keys(stub, account, *keys: r.Key):
    return await stub.PostKeys(
        s.PostKeysRequest(user_app_id=me(), keys=list(keys)), metadata=account.md()
    )


async def rows_of(server, user_id: str) -> list[Key]:
    async with server.db.transaction() as session:
        return list(await session.scalars(select(Key).where(Key.user_id == user_id)))


async def expire(server, token: str, when: datetime) -> None:
    async with server.db.transaction() as session:
        await session.execute(
            update(Key).where(Key.hash == key_store.token_hash(token)).values(expires_at=when)
        )


async def my_scopes(stub, token: str):
    return await stub.MyScopes(s.MyScopesRequest(), metadata=md(token))


class TestPostKeys:
    async def test_app_key_is_returned_once_and_works(self, stub, account):
        res = await post_keys(stub, account, app_key(description="ci", scopes=["Inputs_Get"]))
        assert res.status.code == sc.SUCCESS and res.status.description == "Ok"
        (key,) = res.keys
        assert len(key.id) == 32 and "*" not in key.id
        assert key.type == "app_specific_key" and key.description == "ci"
        assert list(key.scopes) == ["Inputs_Get"]
        assert [(a.id, a.user_id) for a in key.apps] == [("main", account.user_id)]
        assert key.HasField("created_at") and not key.HasField("expires_at")
        mine = await my_scopes(stub, key.id)
        assert mine.status.code == sc.SUCCESS and mine.app.id == "main"
        # Afterwards the key shows only masked.
        got = await stub.GetKey(
            s.GetKeyRequest(user_app_id=me(), key_id=key.id), metadata=account.md()
        )
        assert got.key.id == key_store.masked(key.id[: key_store.PREFIX])
        assert key.id not in str(got)

    async def test_personal_access_token(self, stub, account):
        token = await make_key(stub, account, pat(scopes=["Apps_Get", "Workflows_Get"]))
        listed = await stub.ListApps(s.ListAppsRequest(), metadata=account.md(token))
        assert listed.status.code == sc.SUCCESS and [a.id for a in listed.apps] == ["main"]

    async def test_tokens_are_stored_hashed(self, stub, account, server):
        token = await make_key(stub, account, app_key(description="hashed"))
        rows = await rows_of(server, account.user_id)
        assert rows and all(token not in repr(vars(row)) for row in rows)
        for secret in (token, account.pat, account.api_key):
            assert all(secret != row.hash and secret not in row.prefix for row in rows)
        assert key_store.token_hash(token) in {row.hash for row in rows}

    async def test_several_keys_in_one_call(self, stub, account, server):
        res = await post_keys(stub, account, app_key(), pat())
        assert res.status.code == sc.SUCCESS
        assert [k.type for k in res.keys] == ["app_specific_key", "personal_access_token"]
        assert len({k.id for k in res.keys}) == 2
        # Each masked id names one key of the user.
        prefixes = [row.prefix for row in await rows_of(server, account.user_id)]
        assert len(prefixes) == 4 and len(set(prefixes)) == 4

    async def test_an_expiry_past_year_9999_is_refused(self, stub, account, server):
        before = len(await rows_of(server, account.user_id))
        key = pat()
        key.expires_at.seconds = 10**12  # only gRPC carries one: JSON has no text for it
        res = await post_keys(stub, account, key)
        assert res.status.code == sc.CONN_INVALID_REQUEST, res.status
        assert "keys[0].expires_at" in res.status.details
        assert "not a valid time" in res.status.details
        assert len(await rows_of(server, account.user_id)) == before

    async def test_expiry_in_the_future_is_kept(self, stub, account):
        when = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
        res = await post_keys(stub, account, pat(expires_at=stamp(when)))
        assert res.keys[0].expires_at.ToDatetime(tzinfo=UTC) == when
        assert (await my_scopes(stub, res.keys[0].id)).status.code == sc.SUCCESS

    @pytest.mark.parametrize(
        ("key", "field"),
        [
            (r.Key(type="root", scopes=["All"]), "keys[1].type"),
            (r.Key(apps=[r.App(id="main")]), "keys[1].scopes"),
            (app_key(scopes=["Inputs_Fly"]), "keys[1].scopes[0]"),
            (
                r.Key(endpoints=["/clarifai.api.V2/Nope"], apps=[r.App(id="main")]),
                "keys[1].endpoints[0]",
            ),
            (r.Key(scopes=["All"]), "keys[1].apps"),
            (r.Key(scopes=["All"], apps=[r.App(id="main"), r.App(id="other")]), "keys[1].apps"),
            (pat(apps=[r.App(id="main")]), "keys[1].apps"),
            (app_key(id="my-own-token"), "keys[1].id"),
            (pat(expires_at=stamp(datetime(2020, 1, 1, tzinfo=UTC))), "keys[1].expires_at"),
        ],
    )
    async def test_invalid_key_writes_nothing(self, stub, account, server, key, field):
        before = len(await rows_of(server, account.user_id))
        res = await post_keys(stub, account, app_key(description="fine"), key)
        assert res.status.code == sc.CONN_INVALID_REQUEST, res.status
        assert res.status.description == "Invalid request"
        assert field in res.status.details
        assert not res.keys
        assert len(await rows_of(server, account.user_id)) == before

    async def test_no_keys(self, stub, account):
        res = await post_keys(stub, account)
        assert res.status.code == sc.CONN_INVALID_REQUEST and "keys" in res.status.details

    async def test_app_of_another_user(self, stub, account, new_account, server):
        other = await new_account()
        res = await post_keys(
            stub, account, r.Key(scopes=["All"], apps=[r.App(id="main", user_id=other.user_id)])
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "keys[0].apps[0]" in res.status.details
        assert len(await rows_of(server, account.user_id)) == 2

    async def test_missing_app(self, stub, account):
        res = await post_keys(stub, account, app_key(app_id="nope"))
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and "nope" in res.status.details

    async def test_cannot_give_more_than_the_caller_holds(self, stub, account, server):
        limited = await make_key(stub, account, pat(scopes=["Apps_Get", "Keys_Add"]))
        before = len(await rows_of(server, account.user_id))
        res = await stub.PostKeys(
            s.PostKeysRequest(keys=[app_key(scopes=["Apps_Get", "Inputs_Add"])]),
            metadata=account.md(limited),
        )
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "keys[0].scopes[1] 'Inputs_Add'" in res.status.details
        res = await stub.PostKeys(
            s.PostKeysRequest(keys=[pat(scopes=["All"])]), metadata=account.md(limited)
        )
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES and "All" in res.status.details
        assert len(await rows_of(server, account.user_id)) == before
        # What it holds (Keys_Add brings Keys_Get) it may hand on.
        res = await stub.PostKeys(
            s.PostKeysRequest(keys=[app_key(scopes=["Apps_Get", "Keys_Get"])]),
            metadata=account.md(limited),
        )
        assert res.status.code == sc.SUCCESS, res.status

    async def test_app_keys_cannot_make_keys(self, stub, account):
        res = await stub.PostKeys(s.PostKeysRequest(keys=[app_key()]), metadata=account.key_md)
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES and not res.keys


class TestGetKey:
    async def test_by_token_and_by_masked_id(self, stub, account):
        token = await make_key(stub, account, app_key(description="find me"))
        masked = key_store.masked(token[: key_store.PREFIX])
        for key_id in (token, masked):
            got = await stub.GetKey(
                s.GetKeyRequest(user_app_id=me(), key_id=key_id), metadata=account.md()
            )
            assert got.status.code == sc.SUCCESS, got.status
            assert got.key.id == masked and got.key.description == "find me"
            assert got.key.apps[0].id == "main"

    async def test_other_users_key_is_invisible(self, transport, account, new_account):
        other = await new_account()
        for key_id in (other.pat, key_store.masked(other.pat[: key_store.PREFIX])):
            got = await transport.call(
                "GetKey",
                s.GetKeyRequest(user_app_id=me(), key_id=key_id),
                account.md(),
                http_status=404,
            )
            assert_missing(got, "key_id")
            assert other.pat not in got.status.details  # never echoes a secret
            assert not got.HasField("key")

    async def test_key_id_required(self, stub, account):
        got = await stub.GetKey(s.GetKeyRequest(user_app_id=me()), metadata=account.md())
        assert got.status.code == sc.CONN_INVALID_REQUEST and "key_id" in got.status.details


class TestListKeys:
    async def test_own_keys_masked(self, stub, account, new_account):
        other = await new_account()
        listed = await stub.ListKeys(s.ListKeysRequest(user_app_id=me()), metadata=account.md())
        assert listed.status.code == sc.SUCCESS
        masked = {key_store.masked(t[: key_store.PREFIX]) for t in (account.pat, account.api_key)}
        assert {k.id for k in listed.keys} == masked
        assert all(k.id not in (account.pat, account.api_key) for k in listed.keys)
        # The other user's two keys are not listed. (Counted: a masked id
        # shows 4 hex digits, which two users' keys share once in ~16,000.)
        assert other.pat and len(listed.keys) == 2

    async def test_filter_by_type(self, stub, account):
        listed = await stub.ListKeys(
            s.ListKeysRequest(type="personal_access_token"), metadata=account.md()
        )
        assert [k.type for k in listed.keys] == ["personal_access_token"]
        bad = await stub.ListKeys(s.ListKeysRequest(type="root"), metadata=account.md())
        assert bad.status.code == sc.CONN_INVALID_REQUEST and "type" in bad.status.details

    async def test_not_expired(self, stub, account, server):
        token = await make_key(stub, account, app_key(description="old"))
        await expire(server, token, datetime.now(UTC) - timedelta(minutes=1))
        everything = await stub.ListKeys(s.ListKeysRequest(), metadata=account.md())
        live = await stub.ListKeys(s.ListKeysRequest(not_expired=True), metadata=account.md())
        assert "old" in [k.description for k in everything.keys]
        assert "old" not in [k.description for k in live.keys] and len(live.keys) == 2

    async def test_pagination(self, stub, account):
        await post_keys(stub, account, pat(description="third"))
        pages = [
            await stub.ListKeys(s.ListKeysRequest(page=p, per_page=2), metadata=account.md())
            for p in (1, 2, 3)
        ]
        assert [len(p.keys) for p in pages] == [2, 1, 0]
        assert pages[2].status.code == sc.SUCCESS
        big = await stub.ListKeys(s.ListKeysRequest(per_page=5000), metadata=account.md())
        assert big.status.code == sc.CONN_INVALID_REQUEST and "per_page" in big.status.details


class TestListAppKeys:
    async def test_keys_of_that_app_only(self, stub, account):
        await stub.PostApps(s.PostAppsRequest(apps=[r.App(id="second")]), metadata=account.md())
        await post_keys(stub, account, app_key("second", description="for second"), pat())
        listed = await stub.ListAppKeys(
            s.ListAppKeysRequest(user_app_id=me("second")), metadata=account.md()
        )
        assert listed.status.code == sc.SUCCESS
        assert [k.description for k in listed.keys] == ["for second"]
        main = await stub.ListAppKeys(
            s.ListAppKeysRequest(user_app_id=me("main")), metadata=account.md()
        )
        assert [k.id for k in main.keys] == [key_store.masked(account.api_key[:4])]

    async def test_other_users_app(self, stub, account, new_account):
        other = await new_account()
        res = await stub.ListAppKeys(
            s.ListAppKeysRequest(user_app_id=r.UserAppIDSet(user_id=other.user_id, app_id="main")),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and not res.keys


class TestPatchKeys:
    async def test_overwrite_by_masked_id(self, stub, account):
        token = await make_key(stub, account, app_key(description="before"))
        masked = key_store.masked(token[:4])
        res = await stub.PatchKeys(
            s.PatchKeysRequest(
                action="overwrite",
                keys=[r.Key(id=masked, description="after", scopes=["Apps_Get"])],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.keys[0].id == masked and res.keys[0].description == "after"
        got = await stub.GetKey(s.GetKeyRequest(key_id=token), metadata=account.md())
        assert got.key.description == "after" and list(got.key.scopes) == ["Apps_Get"]
        # The narrower scopes apply at once.
        mine = await my_scopes(stub, token)
        assert list(mine.scopes) == ["Apps_Get"]

    async def test_send_back_what_get_returned(self, stub, account):
        token = await make_key(stub, account, app_key(description="round trip"))
        got = await stub.GetKey(s.GetKeyRequest(key_id=token), metadata=account.md())
        got.key.description = "edited"
        res = await stub.PatchKeys(
            s.PatchKeysRequest(action="overwrite", keys=[got.key]), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.keys[0].description == "edited" and res.keys[0].apps[0].id == "main"

    @pytest.mark.parametrize("action", ["merge", "remove", "replace", ""])
    async def test_only_overwrite(self, stub, account, action):
        token = await make_key(stub, account, app_key(description="kept"))
        res = await stub.PatchKeys(
            s.PatchKeysRequest(action=action, keys=[r.Key(id=token, description="changed")]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "action" in res.status.details and action in res.status.details
        assert "overwrite" in res.status.details
        got = await stub.GetKey(s.GetKeyRequest(key_id=token), metadata=account.md())
        assert got.key.description == "kept"

    @pytest.mark.parametrize(
        ("change", "code", "field"),
        [
            ({"type": "personal_access_token"}, sc.CONN_INVALID_REQUEST, "keys[1].type"),
            ({"apps": [r.App(id="elsewhere")]}, sc.CONN_INVALID_REQUEST, "keys[1].apps"),
            ({"scopes": ["Nope"]}, sc.CONN_INVALID_REQUEST, "keys[1].scopes[0]"),
            (
                {"expires_at": stamp(datetime(2020, 1, 1, tzinfo=UTC))},
                sc.CONN_INVALID_REQUEST,
                "keys[1].expires_at",
            ),
            ({"id": "0000" + "*" * 28}, sc.CONN_DOES_NOT_EXIST, "keys[1].id"),
        ],
    )
    async def test_invalid_patch_changes_nothing(self, stub, account, change, code, field):
        first = await make_key(stub, account, app_key(description="first"))
        second = await make_key(stub, account, app_key(description="second"))
        sent = r.Key(id=second, description="x")
        for name, value in change.items():
            if isinstance(value, list):
                getattr(sent, name).extend(value)
            elif isinstance(value, timestamp_pb2.Timestamp):
                getattr(sent, name).CopyFrom(value)
            else:
                setattr(sent, name, value)
        res = await stub.PatchKeys(
            s.PatchKeysRequest(
                action="overwrite", keys=[r.Key(id=first, description="changed"), sent]
            ),
            metadata=account.md(),
        )
        assert res.status.code == code, res.status
        assert field in res.status.details and not res.keys
        for token, description in ((first, "first"), (second, "second")):
            got = await stub.GetKey(s.GetKeyRequest(key_id=token), metadata=account.md())
            assert got.key.description == description

    async def test_other_users_key(self, stub, account, new_account):
        other = await new_account()
        res = await stub.PatchKeys(
            s.PatchKeysRequest(action="overwrite", keys=[r.Key(id=other.pat, description="x")]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert other.pat not in res.status.details
        got = await stub.GetKey(s.GetKeyRequest(key_id=other.pat), metadata=other.md())
        assert got.key.description == "bootstrap PAT"

    async def test_repeated_key(self, stub, account):
        res = await stub.PatchKeys(
            s.PatchKeysRequest(
                action="overwrite", keys=[r.Key(id=account.api_key), r.Key(id=account.api_key)]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "keys[1].id" in res.status.details


class TestDeleteKey:
    async def test_deleted_key_stops_working(self, stub, account, server):
        token = await make_key(stub, account, app_key())
        res = await stub.DeleteKey(
            s.DeleteKeyRequest(user_app_id=me(), key_id=key_store.masked(token[:4])),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS
        assert key_store.token_hash(token) not in {
            k.hash for k in await rows_of(server, account.user_id)
        }
        mine = await my_scopes(stub, token)
        assert mine.status.code == sc.CONN_KEY_INVALID
        got = await stub.GetKey(s.GetKeyRequest(key_id=token), metadata=account.md())
        assert got.status.code == sc.CONN_DOES_NOT_EXIST

    async def test_other_users_key_survives(self, stub, account, new_account):
        other = await new_account()
        res = await stub.DeleteKey(s.DeleteKeyRequest(key_id=other.api_key), metadata=account.md())
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and "key_id" in res.status.details
        assert (await my_scopes(stub, other.api_key)).status.code == sc.SUCCESS

    async def test_key_id_required(self, stub, account):
        res = await stub.DeleteKey(s.DeleteKeyRequest(), metadata=account.md())
        assert res.status.code == sc.CONN_INVALID_REQUEST and "key_id" in res.status.details


class TestExpiredKeys:
    async def test_expired_keys_are_refused(self, stub, account, server):
        await expire(server, account.api_key, datetime.now(UTC) - timedelta(seconds=1))
        await expire(server, account.pat, datetime.now(UTC) - timedelta(seconds=1))
        for token in (account.api_key, account.pat):
            res = await my_scopes(stub, token)
            assert res.status.code == sc.CONN_KEY_INVALID
            assert res.status.description == KEY_INVALID
            assert not res.scopes and not res.HasField("app")

    async def test_not_yet_expired_keys_work(self, stub, account, server):
        await expire(server, account.api_key, datetime.now(UTC) + timedelta(minutes=5))
        assert (await my_scopes(stub, account.api_key)).status.code == sc.SUCCESS
