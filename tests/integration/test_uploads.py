"""PostUploads, PutUploadContentParts, GetUpload, ListUploads, DeleteUploads
over gRPC and REST: parts in any order and sent again, the content
assembled once every byte has arrived (storage.uploads' `done`, which
PostInputsUploads reads), sizes checked, expiry, and one app's uploads
invisible to another."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import timestamp_pb2
from sqlalchemy import update

from server.jobs import JobContext
from server.services import uploads as upload_service
from storage import blobs
from storage.uploads import Upload, UploadStorage
from tests.helpers import app_scope, assert_invalid, assert_missing, assert_status

CONTENT = bytes(range(256)) * 40  # 10,240 bytes
PARTS = [CONTENT[0:4000], CONTENT[4000:8000], CONTENT[8000:]]
STARTS = [0, 4000, 8000]


def part(n: int, data: bytes | None = None, start: int | None = None) -> r.UploadContentPart:
    """Part n (1-based) of CONTENT, or other bytes/start where given."""
    return r.UploadContentPart(
        part_number=n,
        range_start=STARTS[n - 1] if start is None else start,
        data=PARTS[n - 1] if data is None else data,
    )


async def post(transport, md, *uploads: r.Upload) -> s.MultiUploadResponse:
    return await transport.call("PostUploads", s.PostUploadsRequest(uploads=uploads), md)


async def new_upload(transport, account, length: int = len(CONTENT), **kw) -> r.Upload:
    res = await post(transport, account.key_md, r.Upload(content_length=length, **kw))
    assert_status(res, sc.SUCCESS)
    return res.uploads[0]


async def put(transport, account, upload_id: str, *parts: r.UploadContentPart):
    # The app named: this test transport sends a body only where the rule
    # declares one (the long route; the short one declares none).
    app = r.UserAppIDSet(user_id=account.user_id, app_id=account.app_id)
    return await transport.call(
        "PutUploadContentParts",
        s.PutUploadContentPartsRequest(user_app_id=app, upload_id=upload_id, content_parts=parts),
        account.key_md,
    )


async def get(transport, md, upload_id: str) -> s.SingleUploadResponse:
    return await transport.call("GetUpload", s.GetUploadRequest(upload_id=upload_id), md)


async def done(server, account, upload_id: str):
    """What PostInputsUploads reads: storage's `done`."""
    async with server.db.transaction() as session:
        scope = await app_scope(server, account)
        store = UploadStorage(session, scope, blobs.store_for(server.jobs.settings.data_dir))
        return await store.done(upload_id)


def upload_files(server, account_pk: int) -> list[str]:
    root = server.jobs.settings.data_dir / "blobs" / str(account_pk) / "uploads"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def settled_files(server, account_pk: int, expected: list[str]) -> list[str]:
    """The upload files once they are `expected` (or after 10 s): files a
    commit leaves behind are removed just after it, not within the call."""
    for _ in range(200):
        if (found := upload_files(server, account_pk)) == expected:
            return found
        await asyncio.sleep(0.05)
    return upload_files(server, account_pk)


class TestPostAndRead:
    async def test_post_get_list(self, transport, account):
        made = await new_upload(transport, account, content_name="photos.tar", id="batch-1")
        assert made.id == "batch-1" and made.content_name == "photos.tar"
        assert made.content_length == len(CONTENT)
        assert made.status.code == sc.UPLOAD_IN_PROGRESS
        assert f"0 of {len(CONTENT)} bytes received" in made.status.details
        life = made.expires_at.ToDatetime(UTC) - made.created_at.ToDatetime(UTC)
        assert timedelta(hours=23) < life <= timedelta(hours=24, seconds=1)
        got = await get(transport, account.key_md, "batch-1")
        assert_status(got, sc.SUCCESS)
        assert got.upload == made
        other = await new_upload(transport, account)
        assert len(other.id) == 32
        listed = await transport.call("ListUploads", s.ListUploadsRequest(), account.key_md)
        assert [u.id for u in listed.uploads] == [other.id, "batch-1"]  # newest first
        page2 = await transport.call(
            "ListUploads", s.ListUploadsRequest(page=2, per_page=1), account.key_md
        )
        assert [u.id for u in page2.uploads] == ["batch-1"]

    async def test_refused_uploads_write_nothing(self, transport, account):
        res = await post(transport, account.key_md, r.Upload(content_length=5), r.Upload())
        assert_invalid(res, "uploads[1].content_length")
        res = await post(transport, account.key_md, r.Upload(content_length=6 * 1024**3))
        assert_invalid(res, "uploads[0].content_length", "5368709120")
        past = timestamp_pb2.Timestamp()
        past.FromDatetime(datetime.now(UTC) - timedelta(minutes=1))
        res = await post(transport, account.key_md, r.Upload(content_length=5, expires_at=past))
        assert_invalid(res, "uploads[0].expires_at")
        far = timestamp_pb2.Timestamp()
        far.FromDatetime(datetime.now(UTC) + timedelta(days=8))
        res = await post(transport, account.key_md, r.Upload(content_length=5, expires_at=far))
        assert_invalid(res, "uploads[0].expires_at", "7 days")
        res = await post(
            transport, account.key_md, r.Upload(content_length=5, content_url="http://x/y")
        )
        assert_invalid(res, "uploads[0].content_url")
        res = await post(
            transport, account.key_md, r.Upload(id="a", content_length=5), r.Upload(id="a")
        )
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        listed = await transport.call("ListUploads", s.ListUploadsRequest(), account.key_md)
        assert list(listed.uploads) == []

    async def test_taken_id_refused(self, transport, account):
        await new_upload(transport, account, id="taken")
        res = await post(transport, account.key_md, r.Upload(id="taken", content_length=3))
        assert_status(res, sc.DATABASE_DUPLICATE_KEY, "uploads[0].id", "taken")


class TestParts:
    async def test_out_of_order_parts_assemble(self, transport, server, account):
        up = await new_upload(transport, account, content_name="c.bin")
        res = await put(transport, account, up.id, part(3))
        assert_status(res, sc.SUCCESS)
        assert res.upload.status.code == sc.UPLOAD_IN_PROGRESS
        assert "2240 of 10240 bytes received in 1 parts" in res.upload.status.details
        assert await done(server, account, up.id) is None
        res = await put(transport, account, up.id, part(1))
        assert res.upload.status.code == sc.UPLOAD_IN_PROGRESS
        res = await put(transport, account, up.id, part(2))
        assert_status(res, sc.SUCCESS)
        assert res.upload.status.code == sc.UPLOAD_DONE
        assert hashlib.sha256(CONTENT).hexdigest() in res.upload.status.details
        content = await done(server, account, up.id)
        assert (content.id, content.name, content.length) == (up.id, "c.bin", len(CONTENT))
        assert content.path.read_bytes() == CONTENT
        # Only the assembled file is left once done.
        pk = (await app_scope(server, account)).pk
        assembled = [content.path.name]
        assert await settled_files(server, pk, assembled) == assembled
        got = await get(transport, account.key_md, up.id)
        assert got.upload.status.code == sc.UPLOAD_DONE

    async def test_several_parts_in_one_call(self, transport, server, account):
        up = await new_upload(transport, account)
        res = await put(transport, account, up.id, part(2), part(3), part(1))
        assert res.upload.status.code == sc.UPLOAD_DONE
        assert (await done(server, account, up.id)).path.read_bytes() == CONTENT

    async def test_part_sent_again(self, transport, server, account):
        up = await new_upload(transport, account)
        await put(transport, account, up.id, part(1))
        res = await put(transport, account, up.id, part(1))
        assert_status(res, sc.SUCCESS)
        assert "4000 of 10240 bytes received in 1 parts" in res.upload.status.details
        # Other bytes under the same number replace the part while in progress.
        await put(transport, account, up.id, part(2, data=b"x" * 4000))
        res = await put(transport, account, up.id, part(2))
        assert "8000 of 10240 bytes received in 2 parts" in res.upload.status.details
        res = await put(transport, account, up.id, part(3))
        assert res.upload.status.code == sc.UPLOAD_DONE
        assert (await done(server, account, up.id)).path.read_bytes() == CONTENT
        # Once done: the same part again changes nothing; other bytes are refused.
        res = await put(transport, account, up.id, part(3))
        assert_status(res, sc.SUCCESS)
        assert res.upload.status.code == sc.UPLOAD_DONE
        res = await put(transport, account, up.id, part(3, data=b"y" * 2240))
        assert_status(res, sc.UPLOAD_CONFLICT, "content_parts[0]", "complete")
        assert (await done(server, account, up.id)).path.read_bytes() == CONTENT

    async def test_a_part_sent_again_after_a_failed_call_keeps_its_bytes(
        self, transport, server, account, monkeypatch
    ):
        # A call that fails after writing its part removes that file once its
        # lock is released: by then the next call may have written the same
        # part again (a client killed mid-call, then resumed).
        up = await new_upload(transport, account)
        real_update, real_delete = UploadStorage.update, blobs.LocalBlobStore.delete
        failing = [True]

        async def update_once(self, row, changes):
            if failing:
                failing.clear()
                raise RuntimeError("the call fails after writing its part")
            return await real_update(self, row, changes)

        async def late_delete(self, keys):
            keys = list(keys)
            await asyncio.sleep(0.3)  # the failed call's removal runs after the next call
            await real_delete(self, keys)

        monkeypatch.setattr(UploadStorage, "update", update_once)
        monkeypatch.setattr(blobs.LocalBlobStore, "delete", late_delete)
        failed = await put(transport, account, up.id, part(1))
        assert failed.status.code != sc.SUCCESS
        res = await put(transport, account, up.id, part(1))
        assert res.upload.status.code == sc.UPLOAD_IN_PROGRESS
        await asyncio.sleep(0.5)  # the failed call's removal has run
        res = await put(transport, account, up.id, part(2), part(3))
        assert res.upload.status.code == sc.UPLOAD_DONE, res.upload.status.details
        assert (await done(server, account, up.id)).path.read_bytes() == CONTENT

    async def test_wrong_sizes_refused(self, transport, server, account):
        up = await new_upload(transport, account)
        md = account.key_md
        res = await put(transport, account, up.id, part(3, data=PARTS[2] + b"!"))
        assert_invalid(res, "content_parts[0].range_start", "content_length 10240")
        res = await put(transport, account, up.id, part(1), part(9, data=b"z", start=10240))
        assert_invalid(res, "content_parts[1].range_start")
        res = await put(transport, account, up.id, part(1, data=b""))
        assert_invalid(res, "content_parts[0].data")
        res = await put(transport, account, up.id, r.UploadContentPart(part_number=0, data=b"a"))
        assert_invalid(res, "content_parts[0].part_number")
        res = await put(transport, account, up.id, part(1), part(1))
        assert_invalid(res, "content_parts[1].part_number")
        res = await put(transport, account, up.id)
        assert_invalid(res, "content_parts")
        # Overlapping another part (recorded, or in the same call).
        await put(transport, account, up.id, part(1))
        res = await put(transport, account, up.id, part(2, data=b"q" * 10, start=3995))
        assert_status(res, sc.UPLOAD_CONFLICT, "content_parts[0].range_start", "part 1")
        res = await put(transport, account, up.id, part(2), part(3, start=7000))
        assert_status(res, sc.UPLOAD_CONFLICT, "range_start", "overlap")
        # Nothing of the refused calls was recorded.
        got = await get(transport, md, up.id)
        assert "4000 of 10240 bytes received in 1 parts" in got.upload.status.details

    async def test_part_too_large(self, transport, account, monkeypatch):
        monkeypatch.setattr(upload_service, "MAX_PART_BYTES", 100)
        up = await new_upload(transport, account)
        res = await put(transport, account, up.id, part(1))
        assert_invalid(res, "content_parts[0].data", "at most 100 bytes")

    async def test_missing_upload(self, transport, account):
        res = await get(transport, account.key_md, "nope")
        assert_missing(res, "upload_id", "nope")
        res = await put(transport, account, "nope", part(1))
        assert_missing(res, "upload_id", "nope")


class TestScopeAndDelete:
    async def test_another_apps_upload_is_invisible(self, transport, account, new_account):
        up = await new_upload(transport, account)
        other = await new_account()
        assert_missing(await get(transport, other.key_md, up.id), "upload_id")
        assert_missing(await put(transport, other, up.id, part(1)), "upload_id")
        res = await transport.call(
            "DeleteUploads", s.DeleteUploadsRequest(ids=[up.id]), other.key_md
        )
        assert_missing(res, "ids[0]")
        listed = await transport.call("ListUploads", s.ListUploadsRequest(), other.key_md)
        assert list(listed.uploads) == []
        assert_status(await get(transport, account.key_md, up.id), sc.SUCCESS)

    async def test_delete(self, transport, server, account):
        kept = await new_upload(transport, account)
        gone = await new_upload(transport, account)
        await put(transport, account, gone.id, part(1), part(2), part(3))
        pk = (await app_scope(server, account)).pk
        assembled = [(await done(server, account, gone.id)).path.name]
        assert await settled_files(server, pk, assembled) == assembled
        res = await transport.call(
            "DeleteUploads", s.DeleteUploadsRequest(ids=[gone.id, "nope"]), account.key_md
        )
        assert_missing(res, "ids[1]", "nope")
        assert_status(await get(transport, account.key_md, gone.id), sc.SUCCESS)
        res = await transport.call(
            "DeleteUploads", s.DeleteUploadsRequest(ids=[gone.id]), account.key_md
        )
        assert_status(res, sc.SUCCESS)
        assert_missing(await get(transport, account.key_md, gone.id), "upload_id")
        assert_status(await get(transport, account.key_md, kept.id), sc.SUCCESS)
        assert await done(server, account, gone.id) is None
        assert await settled_files(server, pk, []) == []


class TestExpiry:
    async def test_expired_upload_refuses_parts_and_is_swept(self, transport, server, account):
        soon = timestamp_pb2.Timestamp()
        soon.FromDatetime(datetime.now(UTC) + timedelta(minutes=5))
        up = await new_upload(transport, account, expires_at=soon)
        assert up.expires_at.seconds == soon.seconds
        await put(transport, account, up.id, part(1))
        finished = await new_upload(transport, account)
        await put(transport, account, finished.id, part(1), part(2), part(3))
        async with server.db.transaction() as session:
            await session.execute(
                update(Upload)
                .where(Upload.id.in_([up.id, finished.id]))
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        res = await put(transport, account, up.id, part(2))
        assert_status(res, sc.UPLOAD_EXPIRED, "upload_id", up.id)
        got = await get(transport, account.key_md, up.id)
        assert got.upload.status.code == sc.UPLOAD_EXPIRED
        assert await done(server, account, finished.id) is None
        pk = (await app_scope(server, account)).pk
        assert upload_files(server, pk) != []
        await upload_service.expire(JobContext(server.db, server.jobs.settings, None), {})
        assert_missing(await get(transport, account.key_md, up.id), "upload_id")
        assert_missing(await get(transport, account.key_md, finished.id), "upload_id")
        assert upload_files(server, pk) == []


class TestBlobSweep:
    async def test_sweep_keeps_live_uploads_and_removes_expired_ones(
        self, transport, server, account
    ):
        up = await new_upload(transport, account)
        await put(transport, account, up.id, part(1))
        pk = (await app_scope(server, account)).pk
        store = blobs.store_for(server.jobs.settings.data_dir)
        await blobs.sweep(server.db, store, grace_seconds=-1)
        assert len(upload_files(server, pk)) == 1
        async with server.db.transaction() as session:
            await session.execute(
                update(Upload)
                .where(Upload.id == up.id)
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        await blobs.sweep(server.db, store, grace_seconds=-1)
        assert upload_files(server, pk) == []
