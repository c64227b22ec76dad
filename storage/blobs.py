"""The blob store: media bytes live here, never in table rows.

`BlobStore` is the whole interface the server uses, small enough for an
S3-compatible store to implement with put/get/delete object calls. The local
store keeps each blob as a file under `<data_dir>/blobs`. Keys are relative
paths ("<app_pk>/<name>.<ext>", or "<app_pk>/<folder>/<name>.<ext>"); the
extension carries the media type. Copies made from a blob (resized images)
are kept under `derived_key(key, ...)` and go when the blob goes.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import os
import shutil
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from storage import files

log = logging.getLogger("clarifai_local.blobs")

CHUNK = 256 * 1024
DERIVED_FOLDER = "derived"


@dataclass(frozen=True)
class BlobInfo:
    size: int
    content_type: str


class BlobStore(Protocol):
    async def put(self, key: str, data: bytes | AsyncIterable[bytes]) -> int:
        """Store `data` under `key` (replacing any blob there); returns its
        size. Nothing is left under `key` when `data` raises midway."""
        ...

    async def stat(self, key: str) -> BlobInfo | None: ...

    def read(self, key: str) -> AsyncIterator[bytes]:
        """The blob's bytes in chunks (FileNotFoundError when missing)."""
        ...

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove these blobs and the copies derived from them; missing
        ones are ignored."""
        ...

    async def delete_app(self, app_pk: int) -> None:
        """Remove every blob of an app (keys start with "<app_pk>/")."""
        ...


def new_key(app_pk: int, content_type: str, *, folder: str = "") -> str:
    """A fresh key in the app's space, in `folder` of it if given."""
    ext = mimetypes.guess_extension(content_type.split(";")[0].strip()) or ".bin"
    under = f"{app_pk}/{folder}/" if folder else f"{app_pk}/"
    return f"{under}{uuid.uuid4().hex}{ext}"


def derived_folder(key: str) -> str:
    """The folder of the copies made from the blob at `key`: the app's
    "derived" folder holds one per blob, and it goes when the blob goes."""
    app_pk, _, rest = key.partition("/")
    return f"{app_pk}/{DERIVED_FOLDER}/{rest}"


def derived_key(key: str, name: str) -> str:
    """Where the copy `name` (say "small.jpg") of the blob at `key` is kept."""
    return f"{derived_folder(key)}/{name}"


def content_type_of(key: str) -> str:
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()) or path == self.root.resolve():
            raise ValueError(f"blob key {key!r} is outside the store")
        return path

    async def put(self, key: str, data: bytes | AsyncIterable[bytes]) -> int:
        path = self._path(key)
        await asyncio.to_thread(files.private_dir, path.parent)
        # Written beside the target and renamed into place: readers never see
        # half a blob, and a failed write leaves nothing behind. Readable by
        # the owner only, as every file under the data directory.
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        try:
            handle = await asyncio.to_thread(_open_new, tmp)
            try:
                if isinstance(data, bytes):
                    await asyncio.to_thread(handle.write, data)
                    size = len(data)
                else:
                    size = 0
                    async for chunk in data:
                        size += len(chunk)
                        await asyncio.to_thread(handle.write, chunk)
            finally:
                await asyncio.to_thread(handle.close)
            await asyncio.to_thread(os.replace, tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return size

    async def stat(self, key: str) -> BlobInfo | None:
        try:
            st = await asyncio.to_thread(self._path(key).stat)
        except (FileNotFoundError, ValueError):
            return None
        return BlobInfo(size=st.st_size, content_type=content_type_of(key))

    async def read(self, key: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(open, self._path(key), "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            await asyncio.to_thread(handle.close)

    async def delete(self, keys: Iterable[str]) -> None:
        def remove(paths: list[tuple[Path, Path]]) -> None:
            for path, derived in paths:
                path.unlink(missing_ok=True)
                shutil.rmtree(derived, ignore_errors=True)

        paths = []
        for key in keys:
            try:
                paths.append((self._path(key), self._path(derived_folder(key))))
            except ValueError:
                continue
        if paths:
            await asyncio.to_thread(remove, paths)

    async def delete_app(self, app_pk: int) -> None:
        await asyncio.to_thread(shutil.rmtree, self._path(str(app_pk)), True)


def _open_new(path: Path) -> BinaryIO:
    return os.fdopen(files.create_private(path), "wb")


@cache
def local_store(root: Path) -> LocalBlobStore:
    return LocalBlobStore(root)


def store_for(data_dir: Path) -> BlobStore:
    """The process's blob store for a data directory."""
    return local_store(data_dir / "blobs")


_pending: set[asyncio.Task[None]] = set()


def when_done(session: AsyncSession, outcome: str, work: Callable[[], Awaitable[None]]) -> None:
    """Run `work` once the session's transaction commits ("after_commit") or
    rolls back ("after_rollback"), for work that must wait for the rows to
    be settled: blobs follow the rows that name them, so they are removed
    only when those rows are gone for good; the downloader is woken only
    when the inputs it is to download are visible."""

    def run(_session: Any) -> None:
        task = asyncio.get_running_loop().create_task(work())
        _pending.add(task)  # held until done, so the task is not collected
        task.add_done_callback(_finished)

    event.listen(session.sync_session, outcome, run, once=True)


def _finished(task: asyncio.Task[None]) -> None:
    _pending.discard(task)
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("work after a transaction failed", exc_info=exc)
