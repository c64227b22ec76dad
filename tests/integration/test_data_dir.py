"""What the data directory holds is its owner's alone: directories 0700,
files 0600 (media, their sized copies, the URL-signing key, the records of
running servers), whatever the process's umask. Blobs no row names (a
transaction that never committed wrote them) are swept once old enough."""

from __future__ import annotations

import os
import stat
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from server import http_extra, state
from storage import blobs, files
from tests.helpers import app_of, app_pk, png
from tests.integration.test_datasets import (
    Data,
    export_location,
    finished_export,
    post_dataset,
    post_media,
    post_version,
    put_exports,
    ready_version,
)
from tests.integration.test_media import fetch, jpeg, post_image, size_url


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes_under(root: Path) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {"dirs": {mode(root)}, "files": set()}
    for path in root.rglob("*"):
        found["dirs" if path.is_dir() else "files"].add(mode(path))
    return found


class TestModes:
    async def test_media_and_their_copies(self, stub, account, rest, server, permissive_umask):
        got = await post_image(stub, account, "private", jpeg(600, 400))
        auth = {"Authorization": f"Key {account.pat}"}
        status, _, _ = await fetch(rest, size_url(got.data.image.hosted, "tiny"), auth)
        assert status == 200
        data_dir = server.dispatcher.settings.data_dir
        app_dir = data_dir / "blobs" / str(await app_pk(server, account))
        assert any((app_dir / blobs.DERIVED_FOLDER).rglob("tiny.jpg"))
        assert modes_under(data_dir / "blobs") == {"dirs": {0o700}, "files": {0o600}}

    async def test_a_new_blob_store(self, tmp_path, permissive_umask):
        store = blobs.LocalBlobStore(tmp_path / "data" / "blobs")

        async def chunks():
            yield b"a"
            yield b"b"

        await store.put("7/one.png", png())
        await store.put("7/exports/two.zip", chunks())
        await store.put_many([("8/three.png", b"3"), ("8/sub/four.png", b"4"), ("7/five.png", b"")])
        assert modes_under(tmp_path / "data") == {"dirs": {0o700}, "files": {0o600}}
        root = tmp_path / "data" / "blobs"
        written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        assert written == [
            "7/exports/two.zip",
            "7/five.png",
            "7/one.png",
            "8/sub/four.png",
            "8/three.png",
        ]
        assert (root / "8/sub/four.png").read_bytes() == b"4"

    async def test_a_batch_takes_new_keys_and_put_replaces(self, tmp_path):
        store = blobs.LocalBlobStore(tmp_path / "blobs")
        root = tmp_path / "blobs"
        await store.put("7/one.png", b"1")
        # A batch writes in place: a key already taken is refused, untouched.
        with pytest.raises(FileExistsError):
            await store.put_many([("7/two.png", b"2"), ("7/one.png", b"x"), ("7/three.png", b"3")])
        assert (root / "7/one.png").read_bytes() == b"1"
        assert (root / "7/two.png").read_bytes() == b"2"  # written before the refusal
        assert not (root / "7/three.png").exists()
        await store.put("7/one.png", b"new")  # put replaces
        assert (root / "7/one.png").read_bytes() == b"new"
        assert sorted(p.name for p in (root / "7").iterdir()) == ["one.png", "two.png"]

    async def test_a_batch_naming_a_key_outside_the_store_writes_nothing(self, tmp_path):
        store = blobs.LocalBlobStore(tmp_path / "blobs")
        with pytest.raises(ValueError, match="outside the store"):
            await store.put_many([("7/one.png", b"1"), ("../escape.png", b"2")])
        assert not (tmp_path / "blobs").exists()
        assert not (tmp_path / "escape.png").exists()

    def test_the_signing_key_and_the_server_records(self, tmp_path, permissive_umask):
        data_dir = tmp_path / "fresh"
        http_extra._secret.cache_clear()
        try:
            http_extra._secret(data_dir)
        finally:
            http_extra._secret.cache_clear()
        state.record(data_dir, 1, 2, "postgresql://u:secret@h/db", embedded=False)
        assert modes_under(data_dir) == {"dirs": {0o700}, "files": {0o600}}

    def test_folders_an_older_version_left_open_are_closed(self, tmp_path, permissive_umask):
        data_dir = tmp_path / "old"
        for name in ("blobs", "servers"):
            (data_dir / name).mkdir(parents=True)
            os.chmod(data_dir / name, 0o755)
        files.private_data_dir(data_dir)
        assert mode(data_dir / "blobs") == mode(data_dir / "servers") == 0o700
        files.private_data_dir(tmp_path / "new")
        assert mode(tmp_path / "new") == 0o700


def age(root: Path, key: str, seconds: float) -> None:
    when = time.time() - seconds
    os.utime(root / key, (when, when))


class TestOrphanSweep:
    async def test_only_old_blobs_no_row_names_go(self, stub, account, server, rest):
        data = Data(server, account)
        settings = server.dispatcher.settings
        store = blobs.store_for(settings.data_dir)
        root = settings.data_dir / "blobs"
        pk = await app_pk(server, account)
        # Named by rows: an input's, one frozen in a dataset version (its
        # input deleted since), an export's archive, a sized copy.
        await post_dataset(stub, account)
        live = await post_media(stub, account, data, "live", png())
        frozen = await post_media(stub, account, data, "frozen", png(), "ds")
        await post_version(stub, account)
        await ready_version(stub, account)
        await put_exports(stub, account, r.CLARIFAI_DATA_PROTOBUF)
        export = await finished_export(stub, account, "clarifai_data_protobuf")
        assert export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS, export.status
        archive = await export_location(server, data)
        deleted = await stub.DeleteInputs(
            s.DeleteInputsRequest(user_app_id=app_of(account), ids=["frozen"]),
            metadata=account.md(),
        )
        assert deleted.status.code == sc.SUCCESS, deleted.status
        got = await post_image(stub, account, "sized", jpeg(300, 200))
        auth = {"Authorization": f"Key {account.pat}"}
        assert (await fetch(rest, size_url(got.data.image.hosted, "tiny"), auth))[0] == 200
        image = f"{pk}/{got.data.image.hosted.suffix.rsplit('/', 1)[1]}"
        copy = blobs.derived_key(image, "tiny.jpg")
        named = [live, frozen, archive, image, copy]
        # Named by none: old ones (an unfinished write among them, a copy
        # of a blob gone, one of an app gone), and a fresh one.
        orphan = f"{pk}/{uuid.uuid4().hex}.png"
        part = f"{pk}/.{uuid.uuid4().hex}.png.{uuid.uuid4().hex}.part"
        orphan_copy = blobs.derived_key(f"{pk}/{uuid.uuid4().hex}.jpg", "small.jpg")
        no_app = f"{2**40}/{uuid.uuid4().hex}.png"
        fresh = f"{pk}/{uuid.uuid4().hex}.png"
        for key in (orphan, part, orphan_copy, no_app, fresh):
            await store.put(key, png())
        for key in [*named, orphan, part, orphan_copy, no_app]:
            age(root, key, 2 * 3600)
        age(root, fresh, 3000)  # within the grace period

        removed = await blobs.sweep(server.db, store, settings.blob_grace_s)

        assert sorted(removed) == sorted([orphan, part, orphan_copy, no_app])
        for key in removed:
            assert not (root / key).exists(), key
        for key in [*named, fresh]:
            assert (root / key).exists(), key
        # What stays still serves.
        status, _, body = await fetch(rest, size_url(got.data.image.hosted, "tiny"), auth)
        assert status == 200 and body
        assert await blobs.sweep(server.db, store, settings.blob_grace_s) == []

    def test_a_copys_original(self):
        assert blobs.source_of("7/derived/abc.jpg/tiny.jpg") == "7/abc.jpg"
        assert blobs.source_of("7/derived/exports/a.zip/x") == "7/exports/a.zip"
        assert blobs.source_of("7/abc.jpg") == "7/abc.jpg"
        assert blobs.source_of("7/exports/a.zip") == "7/exports/a.zip"
