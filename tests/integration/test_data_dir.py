"""What the data directory holds is its owner's alone: directories 0700,
files 0600 (media, their sized copies, the URL-signing key, the records of
running servers), whatever the process's umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from server import http_extra, state
from storage import blobs, files
from tests.helpers import app_pk, png
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
        assert mode(data_dir) == 0o700

    async def test_a_new_blob_store(self, tmp_path, permissive_umask):
        store = blobs.LocalBlobStore(tmp_path / "data" / "blobs")

        async def chunks():
            yield b"a"
            yield b"b"

        await store.put("7/one.png", png())
        await store.put("7/exports/two.zip", chunks())
        assert modes_under(tmp_path / "data") == {"dirs": {0o700}, "files": {0o600}}

    def test_the_signing_key_and_the_server_records(self, tmp_path, permissive_umask):
        data_dir = tmp_path / "fresh"
        http_extra._secret.cache_clear()
        try:
            http_extra._secret(data_dir)
        finally:
            http_extra._secret.cache_clear()
        state.record(data_dir, 1, 2, "postgresql://u:secret@h/db", embedded=False)
        assert modes_under(data_dir) == {"dirs": {0o700}, "files": {0o600}}

    def test_a_data_directory_left_open_is_closed(self, tmp_path, permissive_umask):
        data_dir = tmp_path / "old"
        data_dir.mkdir(mode=0o755)
        os.chmod(data_dir, 0o755)
        files.private_data_dir(data_dir)
        assert mode(data_dir) == 0o700
