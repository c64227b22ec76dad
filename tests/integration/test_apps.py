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
