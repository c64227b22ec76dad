"""PostApps, GetApp, ListApps, PatchApps, DeleteApp over gRPC (refusals over REST too)."""

from __future__ import annotations

import asyncio

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import assert_invalid, assert_missing, assert_status, struct


class TestPostApps:
    async def test_creates_and_reads_back(self, stub, account):
        res = await stub.PostApps(
            s.PostAppsRequest(apps=[r.App(id="photos", name="Photos", description="d")]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.status.description == "Ok"
        assert res.apps[0].id == "photos" and res.apps[0].user_id == account.user_id
        got = await stub.GetApp(
            s.GetAppRequest(user_app_id=r.UserAppIDSet(user_id="me", app_id="photos")),
            metadata=account.md(),
        )
        assert got.app.name == "Photos" and got.app.description == "d"

    async def test_generates_an_id(self, stub, account):
        res = await stub.PostApps(s.PostAppsRequest(apps=[r.App()]), metadata=account.md())
        assert res.status.code == sc.SUCCESS
        assert len(res.apps[0].id) == 32

    async def test_bad_id_writes_nothing(self, stub, account):
        res = await stub.PostApps(
            s.PostAppsRequest(apps=[r.App(id="good-one"), r.App(id="bad id!")]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "apps[1].id" in res.status.details
        listed = await stub.ListApps(s.ListAppsRequest(), metadata=account.md())
        assert [a.id for a in listed.apps] == ["main"]

    async def test_duplicate_id(self, stub, account):
        res = await stub.PostApps(s.PostAppsRequest(apps=[r.App(id="main")]), metadata=account.md())
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "main" in res.status.details

    async def test_same_id_at_the_same_time(self, stub, account):
        # Calls that all pass the id check before any commits meet the
        # database's unique constraint: a duplicate-id status, not an error.
        results = await asyncio.gather(
            *(
                stub.PostApps(s.PostAppsRequest(apps=[r.App(id="race")]), metadata=account.md())
                for _ in range(8)
            )
        )
        codes = sorted(res.status.code for res in results)
        assert codes == [sc.SUCCESS] + [sc.DATABASE_DUPLICATE_KEY] * 7, results
        refused = [res for res in results if res.status.code != sc.SUCCESS]
        assert all("race" in res.status.details and not res.apps for res in refused)

    async def test_user_app_id_naming_the_new_app(self, transport, account):
        """Clarifai's own tests create an app with user_app_id {me, the new
        app's id} and App.user_id "me" (clarifai-python-grpc
        tests/client/test_deep_training.py): the app is made, not looked up."""
        res = await transport.call(
            "PostApps",
            s.PostAppsRequest(
                user_app_id=r.UserAppIDSet(user_id="me", app_id="fresh"),
                apps=[r.App(id="fresh", default_workflow_id="General", user_id="me")],
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [(a.id, a.user_id) for a in res.apps] == [("fresh", account.user_id)]
        named = r.UserAppIDSet(user_id=account.user_id, app_id="other-new")
        res = await transport.call(
            "PostApps",
            s.PostAppsRequest(user_app_id=named, apps=[r.App(id="other-new")]),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = await transport.call(
            "GetApp",
            s.GetAppRequest(user_app_id=r.UserAppIDSet(user_id="me", app_id="fresh")),
            account.md(),
        )
        assert got.app.id == "fresh" and got.app.default_workflow_id == "General"

    async def test_user_app_id_of_another_user_is_refused(self, transport, account, new_account):
        """The user named must still be the caller, whatever app it names
        (the SDK reads CONN_DOES_NOT_EXIST here as a PAT without access)."""
        other = await new_account()
        for named in (
            r.UserAppIDSet(user_id=other.user_id, app_id="new-one"),
            r.UserAppIDSet(user_id=other.user_id, app_id=other.app_id),
            r.UserAppIDSet(user_id=other.user_id),
        ):
            res = await transport.call(
                "PostApps",
                s.PostAppsRequest(user_app_id=named, apps=[r.App(id="new-one")]),
                account.md(),
                http_status=404,
            )
            assert res.status.code == sc.CONN_DOES_NOT_EXIST, (named, res.status)
            assert not res.apps
        res = await transport.call(
            "PostApps",
            s.PostAppsRequest(apps=[r.App(id="new-one", user_id=other.user_id)]),
            account.md(),
            http_status=404,
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert f"apps[0].user_id: user '{other.user_id}' not found" in res.status.details
        for who in (account, other):
            listed = await transport.call("ListApps", s.ListAppsRequest(), who.md())
            assert [a.id for a in listed.apps] == ["main"]

    async def test_default_workflow_read_back_as_sent(self, transport, account):
        """default_workflow (the clarifai SDK's create_app sends
        Workflow(id=base_workflow, app_id="main", user_id="clarifai")) and the
        deprecated default_workflow_id are kept and read back by PostApps,
        GetApp and ListApps."""
        workflow = r.Workflow(
            id="Universal",
            app_id="main",
            user_id="clarifai",
            description="base",
            metadata=struct(stages=3),
            use_cases=["search"],
        )
        res = await transport.call(
            "PostApps",
            s.PostAppsRequest(
                user_app_id=r.UserAppIDSet(user_id="me"),
                apps=[
                    r.App(id="wf", default_workflow=workflow),
                    r.App(id="wf-id", default_workflow_id="General"),
                    r.App(id="none"),
                ],
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = await transport.call(
            "GetApp",
            s.GetAppRequest(user_app_id=r.UserAppIDSet(user_id="me", app_id="wf")),
            account.md(),
        )
        listed = await transport.call(
            "ListApps", s.ListAppsRequest(sort_by_id=True, sort_ascending=True), account.md()
        )
        by_id = {a.id: a for a in listed.apps}
        for app in (res.apps[0], got.app, by_id["wf"]):
            assert app.default_workflow == workflow
            assert app.default_workflow_id == ""
        for app in (res.apps[1], by_id["wf-id"]):
            assert app.default_workflow_id == "General" and not app.HasField("default_workflow")
        for app in (res.apps[2], by_id["none"], by_id["main"]):
            assert app.default_workflow_id == "" and not app.HasField("default_workflow")

    async def test_app_key_cannot_create_apps(self, transport, account):
        res = await transport.call(
            "PostApps", s.PostAppsRequest(apps=[r.App(id="x")]), account.key_md, http_status=403
        )
        assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "Personal Access Token")
        assert not res.apps


class TestListApps:
    async def test_pagination(self, stub, account):
        await stub.PostApps(
            s.PostAppsRequest(apps=[r.App(id=f"a{i}") for i in range(5)]), metadata=account.md()
        )
        page = await stub.ListApps(
            s.ListAppsRequest(per_page=2, page=2, sort_by_id=True, sort_ascending=True),
            metadata=account.md(),
        )
        assert [a.id for a in page.apps] == ["a2", "a3"]
        past = await stub.ListApps(s.ListAppsRequest(per_page=10, page=9), metadata=account.md())
        assert past.status.code == sc.SUCCESS and not past.apps

    async def test_per_page_above_limit(self, transport, account):
        res = await transport.call(
            "ListApps", s.ListAppsRequest(per_page=5000), account.md(), http_status=400
        )
        assert_invalid(res, "per_page")

    async def test_other_users_apps_invisible(self, transport, account, new_account):
        other = await new_account()
        res = await transport.call(
            "ListApps",
            s.ListAppsRequest(user_app_id=r.UserAppIDSet(user_id=other.user_id)),
            account.md(),
            http_status=404,
        )
        assert_missing(res, other.user_id)
        assert not res.apps


class TestPatchApps:
    async def test_overwrite(self, stub, account):
        res = await stub.PatchApps(
            s.PatchAppsRequest(
                action="overwrite",
                apps=[r.App(id="main", description="new", metadata=struct(a=1))],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.apps[0].description == "new"
        assert dict(res.apps[0].metadata) == {"a": 1}

    async def test_remove_metadata_key(self, stub, account):
        await stub.PatchApps(
            s.PatchAppsRequest(
                action="overwrite", apps=[r.App(id="main", metadata=struct(a=1, b=2))]
            ),
            metadata=account.md(),
        )
        res = await stub.PatchApps(
            s.PatchAppsRequest(action="remove", apps=[r.App(id="main", metadata=struct(a=True))]),
            metadata=account.md(),
        )
        assert dict(res.apps[0].metadata) == {"b": 2}

    async def test_merge_is_not_allowed(self, stub, account):
        res = await stub.PatchApps(
            s.PatchAppsRequest(action="merge", apps=[r.App(id="main", description="x")]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "merge" in res.status.details
        got = await stub.GetApp(
            s.GetAppRequest(user_app_id=r.UserAppIDSet(user_id="me", app_id="main")),
            metadata=account.md(),
        )
        assert got.app.description == ""

    async def test_unknown_action(self, stub, account):
        res = await stub.PatchApps(
            s.PatchAppsRequest(action="replace", apps=[r.App(id="main")]), metadata=account.md()
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "replace" in res.status.details

    async def test_missing_app_patches_nothing(self, stub, account):
        res = await stub.PatchApps(
            s.PatchAppsRequest(
                action="overwrite",
                apps=[r.App(id="main", description="changed"), r.App(id="nope")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        got = await stub.GetApp(
            s.GetAppRequest(user_app_id=r.UserAppIDSet(user_id="me", app_id="main")),
            metadata=account.md(),
        )
        assert got.app.description == ""


class TestDeleteApp:
    async def test_deletes_app_and_its_keys(self, stub, account):
        ids = r.UserAppIDSet(user_id="me", app_id="main")
        res = await stub.DeleteApp(s.DeleteAppRequest(user_app_id=ids), metadata=account.md())
        assert res.status.code == sc.SUCCESS
        got = await stub.GetApp(s.GetAppRequest(user_app_id=ids), metadata=account.md())
        assert got.status.code == sc.CONN_DOES_NOT_EXIST
        # The app key went with its app.
        mine = await stub.MyScopes(s.MyScopesRequest(), metadata=account.key_md)
        assert mine.status.code == sc.CONN_KEY_INVALID


class TestDeleteAppMedia:
    async def test_removes_the_apps_stored_media(self, stub, account, settings):
        import asyncio
        import io

        from PIL import Image

        png = io.BytesIO()
        Image.new("RGB", (4, 3), "red").save(png, format="PNG")
        root = settings.data_dir / "blobs"
        before = {p for p in root.rglob("*") if p.is_file()}
        posted = await stub.PostInputs(
            s.PostInputsRequest(
                inputs=[r.Input(id="pic", data=r.Data(image=r.Image(base64=png.getvalue())))]
            ),
            metadata=account.key_md,
        )
        assert posted.status.code == sc.SUCCESS, posted.status
        added = {p for p in root.rglob("*") if p.is_file()} - before
        app_dirs = {p.relative_to(root).parts[0] for p in added}
        ids = r.UserAppIDSet(user_id="me", app_id="main")
        await stub.DeleteApp(s.DeleteAppRequest(user_app_id=ids), metadata=account.md())
        for _ in range(50):
            left = [d for d in app_dirs if (root / d).exists()]
            if not left:
                break
            await asyncio.sleep(0.05)
        # The app's folder held the new blob, and it is gone.
        assert len(app_dirs) == 1 and not left
