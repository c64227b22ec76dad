"""PostCollaborators, ListCollaborators, PatchCollaborators,
DeleteCollaborators, ListCollaborations over gRPC, and what a collaborator
can reach in the shared app."""

from __future__ import annotations

from functools import partial

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from sqlalchemy import func, select, update

from storage.collaborators import Collaborator
from storage.users import User
from tests import helpers
from tests.helpers import app_of, make_key, pat

SHARED = ["Apps_Get", "Workflows_Get", "Collaborators_Get"]
# What these tests give a collaborator unless they say otherwise.
share = partial(helpers.share, scopes=SHARED)


def grant(user_id: str = "", scopes=SHARED, **kw) -> r.Collaborator:
    return r.Collaborator(user=r.User(id=user_id), scopes=list(scopes), **kw)


async def post(stub, owner, *collaborators: r.Collaborator, md=None):
    return await stub.PostCollaborators(
        s.PostCollaboratorsRequest(user_app_id=app_of(owner), collaborators=list(collaborators)),
        metadata=md or owner.md(),
    )


async def listed(stub, owner, **kw) -> list[r.Collaborator]:
    res = await stub.ListCollaborators(
        s.ListCollaboratorsRequest(user_app_id=app_of(owner), **kw), metadata=owner.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.collaborators)


async def set_email(server, user_id: str, email: str) -> None:
    async with server.db.transaction() as session:
        await session.execute(update(User).where(User.id == user_id).values(email=email))


async def rows(server) -> int:
    async with server.db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(Collaborator))


async def get_app(stub, owner, md):
    return await stub.GetApp(s.GetAppRequest(user_app_id=app_of(owner)), metadata=md)


@pytest.fixture
async def guest(new_account):
    return await new_account()


class TestPostCollaborators:
    async def test_adds_and_reads_back(self, stub, account, guest):
        added = await share(stub, account, guest)
        assert len(added.id) == 32
        assert added.user.id == guest.user_id and added.app.id == "main"
        assert added.app.user_id == account.user_id
        assert list(added.scopes) == SHARED and added.HasField("created_at")
        assert not added.HasField("deleted_at")
        (row,) = await listed(stub, account)
        assert (row.id, row.user.id, list(row.scopes)) == (added.id, guest.user_id, SHARED)

    async def test_by_email_with_own_id(self, stub, account, guest, server):
        await set_email(server, guest.user_id, "Guest@Example.com")
        res = await post(
            stub,
            account,
            r.Collaborator(
                id="guest-1", user=r.User(primary_email="guest@example.com"), scopes=SHARED
            ),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.collaborators[0].id == "guest-1"
        assert res.collaborators[0].user.id == guest.user_id

    @pytest.mark.parametrize(
        ("sent", "code", "field"),
        [
            (r.Collaborator(scopes=SHARED), sc.CONN_INVALID_REQUEST, "collaborators[1].user.id"),
            (grant("nobody-here"), sc.CONN_DOES_NOT_EXIST, "collaborators[1].user.id"),
            (
                r.Collaborator(user=r.User(primary_email="no@where"), scopes=SHARED),
                sc.CONN_DOES_NOT_EXIST,
                "collaborators[1].user.primary_email",
            ),
            ("owner", sc.CONN_INVALID_REQUEST, "collaborators[1].user"),
            ("same-guest", sc.DATABASE_DUPLICATE_KEY, "collaborators[1].user"),
            ("no-scopes", sc.CONN_INVALID_REQUEST, "collaborators[1].scopes"),
            ("bad-scope", sc.CONN_INVALID_REQUEST, "collaborators[1].scopes[1]"),
            ("bad-endpoint", sc.CONN_INVALID_REQUEST, "collaborators[1].endpoints[0]"),
            ("bad-id", sc.CONN_INVALID_REQUEST, "collaborators[1].id"),
        ],
    )
    async def test_invalid_writes_nothing(
        self, stub, account, guest, new_account, server, sent, code, field
    ):
        third = await new_account()
        if isinstance(sent, str):
            sent = {
                "owner": grant(account.user_id),
                "same-guest": grant(guest.user_id),
                "no-scopes": r.Collaborator(user=r.User(id=third.user_id)),
                "bad-scope": grant(third.user_id, ["Apps_Get", "Apps_Fly"]),
                "bad-endpoint": grant(third.user_id, [], endpoints=["/clarifai.api.V2/Fly"]),
                "bad-id": grant(third.user_id, id="bad id!"),
            }[sent]
        before = await rows(server)
        res = await post(stub, account, grant(guest.user_id), sent)
        assert res.status.code == code, res.status
        assert field in res.status.details and not res.collaborators
        assert await rows(server) == before
        assert await listed(stub, account) == []

    async def test_no_collaborators(self, stub, account):
        res = await post(stub, account)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "collaborators" in res.status.details

    async def test_already_a_collaborator(self, stub, account, guest):
        await share(stub, account, guest)
        res = await post(stub, account, grant(guest.user_id))
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert guest.user_id in res.status.details

    async def test_taken_id(self, stub, account, guest, new_account):
        other, third = await new_account(), await new_account()
        await post(stub, other, grant(third.user_id, id="shared-id"))
        res = await post(stub, account, grant(guest.user_id, id="shared-id"))
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "collaborators[0].id" in res.status.details

    async def test_other_users_app(self, stub, account, guest, new_account, server):
        other = await new_account()
        before = await rows(server)
        res = await post(stub, other, grant(guest.user_id), md=account.md())
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and not res.collaborators
        assert await rows(server) == before

    async def test_collaborator_needs_collaborators_add(self, stub, account, guest, new_account):
        third = await new_account()
        await share(stub, account, guest)
        res = await post(stub, account, grant(third.user_id), md=guest.md())
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "Collaborators_Add" in res.status.details

    async def test_collaborator_cannot_give_more_than_they_hold(
        self, stub, account, guest, new_account
    ):
        third = await new_account()
        await share(stub, account, guest, scopes=SHARED + ["Collaborators_Add"])
        res = await post(stub, account, grant(third.user_id, ["All"]), md=guest.md())
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "collaborators[0].scopes[0] 'All'" in res.status.details
        res = await post(stub, account, grant(third.user_id, ["Apps_Get"]), md=guest.md())
        assert res.status.code == sc.SUCCESS, res.status


class TestCollaboratorAccess:
    async def test_exactly_the_scopes_given(self, stub, account, guest):
        assert (await get_app(stub, account, guest.md())).status.code == sc.CONN_DOES_NOT_EXIST
        await share(stub, account, guest)
        got = await get_app(stub, account, guest.md())
        assert got.status.code == sc.SUCCESS and got.app.id == "main"
        collaborators = await stub.ListCollaborators(
            s.ListCollaboratorsRequest(user_app_id=app_of(account)), metadata=guest.md()
        )
        assert collaborators.status.code == sc.SUCCESS
        # Not given: changing the app's collaborators, or deleting the app.
        patched = await stub.PatchCollaborators(
            s.PatchCollaboratorsRequest(
                user_app_id=app_of(account),
                action="overwrite",
                collaborators=[grant(guest.user_id, ["All"])],
            ),
            metadata=guest.md(),
        )
        assert patched.status.code == sc.CONN_INSUFFICIENT_SCOPES
        deleted = await stub.DeleteApp(
            s.DeleteAppRequest(user_app_id=app_of(account)), metadata=guest.md()
        )
        assert deleted.status.code == sc.CONN_INSUFFICIENT_SCOPES
        mine = await stub.MyScopes(
            s.MyScopesRequest(user_app_id=app_of(account)), metadata=guest.md()
        )
        assert sorted(mine.scopes) == sorted(SHARED)
        assert mine.app.id == "main" and mine.app.user_id == account.user_id

    async def test_intersection_with_the_pats_scopes(self, stub, account, guest):
        await share(stub, account, guest)
        narrow = await make_key(stub, guest, pat(["Apps_Get", "Workflows_Get", "Inputs_Get"]))
        assert (await get_app(stub, account, guest.md(narrow))).status.code == sc.SUCCESS
        res = await stub.ListCollaborators(
            s.ListCollaboratorsRequest(user_app_id=app_of(account)), metadata=guest.md(narrow)
        )
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "Collaborators_Get" in res.status.details and not res.collaborators
        mine = await stub.MyScopes(
            s.MyScopesRequest(user_app_id=app_of(account)), metadata=guest.md(narrow)
        )
        assert sorted(mine.scopes) == ["Apps_Get", "Workflows_Get"]

    async def test_other_apps_of_the_owner_stay_invisible(self, stub, account, guest):
        await stub.PostApps(s.PostAppsRequest(apps=[r.App(id="private")]), metadata=account.md())
        await share(stub, account, guest)
        res = await stub.GetApp(
            s.GetAppRequest(user_app_id=app_of(account, "private")), metadata=guest.md()
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and not res.HasField("app")

    async def test_deleted_collaborator_loses_access(self, stub, account, guest):
        await share(stub, account, guest)
        res = await stub.DeleteCollaborators(
            s.DeleteCollaboratorsRequest(
                user_app_id=app_of(account), collaborator_ids=[guest.user_id]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS
        got = await get_app(stub, account, guest.md())
        assert got.status.code == sc.CONN_DOES_NOT_EXIST and not got.HasField("app")

    async def test_app_key_made_by_a_collaborator(self, stub, account, guest):
        await share(stub, account, guest)
        res = await stub.PostKeys(
            s.PostKeysRequest(
                keys=[r.Key(scopes=SHARED, apps=[r.App(id="main", user_id=account.user_id)])]
            ),
            metadata=guest.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        key = res.keys[0].id
        mine = await stub.MyScopes(s.MyScopesRequest(), metadata=guest.md(key))
        assert mine.app.user_id == account.user_id and sorted(mine.scopes) == sorted(SHARED)
        assert (await get_app(stub, account, guest.md(key))).status.code == sc.SUCCESS
        await stub.DeleteCollaborators(
            s.DeleteCollaboratorsRequest(
                user_app_id=app_of(account), collaborator_ids=[guest.user_id]
            ),
            metadata=account.md(),
        )
        mine = await stub.MyScopes(s.MyScopesRequest(), metadata=guest.md(key))
        assert mine.status.code == sc.CONN_DOES_NOT_EXIST and not mine.scopes

    async def test_app_key_scopes_stay_within_the_collaborators_grant(
        self, transport, stub, account, guest
    ):
        await share(stub, account, guest)
        shared_app = [r.App(id="main", user_id=account.user_id)]
        res = await transport.call(
            "PostKeys",
            s.PostKeysRequest(
                user_app_id=r.UserAppIDSet(user_id="me"),
                keys=[r.Key(scopes=["Apps_Get", "All", "Inputs_Add"], apps=shared_app)],
            ),
            guest.md(),
            http_status=403,
        )
        helpers.assert_status(res, sc.CONN_INSUFFICIENT_SCOPES)
        details = res.status.details
        assert "keys[0].scopes[1] 'All'" in details and "keys[0].scopes[2] 'Inputs_Add'" in details
        assert "Apps_Get" not in details and f"{account.user_id}/main" in details
        assert not res.keys
        listed_keys = await transport.call(
            "ListKeys", s.ListKeysRequest(user_app_id=r.UserAppIDSet(user_id="me")), guest.md()
        )
        assert all(not k.apps or k.apps[0].user_id != account.user_id for k in listed_keys.keys)
        # Within the grant: made; widening it by a patch is refused the same way.
        made = await transport.call(
            "PostKeys",
            s.PostKeysRequest(
                user_app_id=r.UserAppIDSet(user_id="me"),
                keys=[r.Key(scopes=["Apps_Get"], apps=shared_app)],
            ),
            guest.md(),
        )
        helpers.assert_status(made, sc.SUCCESS)
        patched = await transport.call(
            "PatchKeys",
            s.PatchKeysRequest(
                user_app_id=r.UserAppIDSet(user_id="me"),
                action="overwrite",
                keys=[r.Key(id=made.keys[0].id, scopes=["All"])],
            ),
            guest.md(),
            http_status=403,
        )
        helpers.assert_status(patched, sc.CONN_INSUFFICIENT_SCOPES)
        assert "keys[0].scopes[0] 'All'" in patched.status.details
        mine = await transport.call("MyScopes", s.MyScopesRequest(), guest.md(made.keys[0].id))
        assert list(mine.scopes) == ["Apps_Get"]

    async def test_no_app_key_for_an_unshared_app(self, stub, account, guest):
        res = await stub.PostKeys(
            s.PostKeysRequest(
                keys=[r.Key(scopes=["All"], apps=[r.App(id="main", user_id=account.user_id)])]
            ),
            metadata=guest.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and not res.keys


class TestListCollaborators:
    async def test_owner_and_deleted_ones(self, stub, account, guest, new_account):
        third = await new_account()
        first = await share(stub, account, guest)
        second = await share(stub, account, third)
        await stub.DeleteCollaborators(
            s.DeleteCollaboratorsRequest(user_app_id=app_of(account), collaborator_ids=[first.id]),
            metadata=account.md(),
        )
        res = await stub.ListCollaborators(
            s.ListCollaboratorsRequest(user_app_id=app_of(account)), metadata=account.md()
        )
        assert res.app_owner.id == account.user_id
        assert [c.id for c in res.collaborators] == [second.id]
        everyone = await listed(stub, account, list_all_collaborators=True)
        assert [c.id for c in everyone] == [first.id, second.id]
        assert everyone[0].HasField("deleted_at") and not everyone[1].HasField("deleted_at")

    async def test_pagination(self, stub, account, new_account):
        for _ in range(3):
            await share(stub, account, await new_account())
        sizes = [len(await listed(stub, account, page=p, per_page=2)) for p in (1, 2, 3)]
        assert sizes == [2, 1, 0]
        res = await stub.ListCollaborators(
            s.ListCollaboratorsRequest(user_app_id=app_of(account), per_page=5000),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "per_page" in res.status.details

    async def test_other_users_app(self, stub, account, guest, new_account):
        other = await new_account()
        await share(stub, other, guest)
        res = await stub.ListCollaborators(
            s.ListCollaboratorsRequest(user_app_id=app_of(other)), metadata=account.md()
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and not res.collaborators
        assert not res.HasField("app_owner")


async def patch(stub, owner, action: str, *collaborators: r.Collaborator):
    return await stub.PatchCollaborators(
        s.PatchCollaboratorsRequest(
            user_app_id=app_of(owner), action=action, collaborators=list(collaborators)
        ),
        metadata=owner.md(),
    )


class TestPatchCollaborators:
    async def test_overwrite_scopes(self, stub, account, guest):
        added = await share(stub, account, guest)
        res = await patch(
            stub, account, "overwrite", r.Collaborator(id=added.id, scopes=["Apps_Get"])
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert list(res.collaborators[0].scopes) == ["Apps_Get"]
        assert list((await listed(stub, account))[0].scopes) == ["Apps_Get"]
        # GetApp also needs Workflows_Get, which the collaborator no longer has.
        got = await get_app(stub, account, guest.md())
        assert got.status.code == sc.CONN_INSUFFICIENT_SCOPES

    async def test_match_by_user(self, stub, account, guest):
        await share(stub, account, guest)
        res = await patch(stub, account, "overwrite", grant(guest.user_id, ["Apps_Get"]))
        assert res.status.code == sc.SUCCESS and res.collaborators[0].user.id == guest.user_id

    @pytest.mark.parametrize("action", ["merge", "remove", "replace", ""])
    async def test_only_overwrite(self, stub, account, guest, action):
        added = await share(stub, account, guest)
        res = await patch(stub, account, action, r.Collaborator(id=added.id, scopes=["Apps_Get"]))
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "action" in res.status.details and action in res.status.details
        assert list((await listed(stub, account))[0].scopes) == SHARED

    @pytest.mark.parametrize(
        ("sent", "code", "field"),
        [
            (
                r.Collaborator(id="nope", scopes=SHARED),
                sc.CONN_DOES_NOT_EXIST,
                "collaborators[1].id",
            ),
            (r.Collaborator(scopes=SHARED), sc.CONN_INVALID_REQUEST, "collaborators[1].id"),
            ("no-scopes", sc.CONN_INVALID_REQUEST, "collaborators[1].scopes"),
            ("bad-scope", sc.CONN_INVALID_REQUEST, "collaborators[1].scopes[0]"),
            ("repeated", sc.CONN_INVALID_REQUEST, "collaborators[1]"),
        ],
    )
    async def test_invalid_changes_nothing(
        self, stub, account, guest, new_account, sent, code, field
    ):
        first = await share(stub, account, guest)
        second = await share(stub, account, await new_account())
        if isinstance(sent, str):
            sent = {
                "no-scopes": r.Collaborator(id=second.id),
                "bad-scope": r.Collaborator(id=second.id, scopes=["Nope"]),
                "repeated": r.Collaborator(id=first.id, scopes=["Apps_Get"]),
            }[sent]
        res = await patch(
            stub, account, "overwrite", r.Collaborator(id=first.id, scopes=["Apps_Get"]), sent
        )
        assert res.status.code == code, res.status
        assert field in res.status.details and not res.collaborators
        assert [list(c.scopes) for c in await listed(stub, account)] == [SHARED, SHARED]

    async def test_deleted_collaborators_cannot_be_patched(self, stub, account, guest):
        added = await share(stub, account, guest)
        await stub.DeleteCollaborators(
            s.DeleteCollaboratorsRequest(user_app_id=app_of(account), collaborator_ids=[added.id]),
            metadata=account.md(),
        )
        res = await patch(stub, account, "overwrite", r.Collaborator(id=added.id, scopes=["All"]))
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert (await get_app(stub, account, guest.md())).status.code == sc.CONN_DOES_NOT_EXIST


async def delete(stub, owner, ids=(), emails=()):
    return await stub.DeleteCollaborators(
        s.DeleteCollaboratorsRequest(
            user_app_id=app_of(owner), collaborator_ids=list(ids), user_emails=list(emails)
        ),
        metadata=owner.md(),
    )


class TestDeleteCollaborators:
    async def test_by_id_and_by_email(self, stub, account, guest, new_account, server):
        third = await new_account()
        first = await share(stub, account, guest)
        await share(stub, account, third)
        await set_email(server, third.user_id, "third@example.com")
        res = await delete(stub, account, ids=[first.id], emails=["THIRD@example.com"])
        assert res.status.code == sc.SUCCESS, res.status
        assert await listed(stub, account) == []
        assert len(await listed(stub, account, list_all_collaborators=True)) == 2

    @pytest.mark.parametrize(
        ("ids", "emails", "code", "field"),
        [
            ([], [], sc.CONN_INVALID_REQUEST, "collaborator_ids"),
            (["GUEST", "nope"], [], sc.CONN_DOES_NOT_EXIST, "collaborator_ids[1] 'nope'"),
            (["GUEST"], ["no@where"], sc.CONN_DOES_NOT_EXIST, "user_emails[0] 'no@where'"),
        ],
    )
    async def test_invalid_deletes_nothing(self, stub, account, guest, ids, emails, code, field):
        await share(stub, account, guest)
        ids = [guest.user_id if i == "GUEST" else i for i in ids]
        res = await delete(stub, account, ids=ids, emails=emails)
        assert res.status.code == code and field in res.status.details
        assert [c.user.id for c in await listed(stub, account)] == [guest.user_id]

    async def test_twice(self, stub, account, guest):
        added = await share(stub, account, guest)
        assert (await delete(stub, account, ids=[added.id])).status.code == sc.SUCCESS
        res = await delete(stub, account, ids=[added.id])
        assert res.status.code == sc.CONN_DOES_NOT_EXIST

    async def test_share_again_after_delete(self, stub, account, guest):
        first = await share(stub, account, guest)
        await delete(stub, account, ids=[first.id])
        again = await share(stub, account, guest, scopes=["Apps_Get", "Workflows_Get"])
        assert again.id != first.id
        assert (await get_app(stub, account, guest.md())).status.code == sc.SUCCESS

    async def test_other_users_app(self, stub, account, guest, new_account):
        other = await new_account()
        added = await share(stub, other, guest)
        res = await stub.DeleteCollaborators(
            s.DeleteCollaboratorsRequest(user_app_id=app_of(other), collaborator_ids=[added.id]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert (await get_app(stub, other, guest.md())).status.code == sc.SUCCESS


class TestListCollaborations:
    async def test_apps_shared_with_me(self, stub, account, guest, new_account):
        other = await new_account()
        await share(stub, account, guest)
        gone = await share(stub, other, guest)
        await delete(stub, other, ids=[gone.id])
        res = await stub.ListCollaborations(
            s.ListCollaborationsRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            metadata=guest.md(),
        )
        assert res.status.code == sc.SUCCESS
        (only,) = res.collaborations
        assert only.app.id == "main" and only.app.user_id == account.user_id
        assert only.app_owner.id == account.user_id and list(only.scopes) == SHARED
        own = await stub.ListCollaborations(s.ListCollaborationsRequest(), metadata=account.md())
        assert own.status.code == sc.SUCCESS and not own.collaborations

    async def test_pagination(self, stub, guest, new_account):
        for _ in range(3):
            await share(stub, await new_account(), guest)
        sizes = []
        for page in (1, 2, 3):
            res = await stub.ListCollaborations(
                s.ListCollaborationsRequest(page=page, per_page=2), metadata=guest.md()
            )
            sizes.append(len(res.collaborations))
        assert sizes == [2, 1, 0]

    async def test_someone_elses_collaborations(self, stub, account, guest):
        await share(stub, account, guest)
        res = await stub.ListCollaborations(
            s.ListCollaborationsRequest(user_app_id=r.UserAppIDSet(user_id=guest.user_id)),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and not res.collaborations
