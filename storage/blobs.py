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
import contextlib
import logging
import mimetypes
import os
import shutil
import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage import files

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger("clarifai_local.blobs")

CHUNK = 256 * 1024
DERIVED_FOLDER = "derived"
# Keys the orphan sweep looks up at once.
WALK_BATCH = 1000


@dataclass(frozen=True)
class BlobInfo:
    size: int
    content_type: str


class BlobStore(Protocol):
    async def put(self, key: str, data: bytes | AsyncIterable[bytes]) -> int:
        """Store `data` under `key` (replacing any blob there); returns its
        size. Nothing is left under `key` when `data` raises midway."""
        ...

    async def put_many(self, items: Sequence[tuple[str, bytes]]) -> None:
        """Store each (key, bytes) under a key that holds nothing yet
        (new_key's), in one trip to the store (a request's media at once).
        Nobody reads a new key before the row naming it commits, so each is
        written in place, with nothing to replace. Raises on the first that
        fails (a key taken among them), leaving nothing under its key; those
        before it stay written."""
        ...

    async def stat(self, key: str) -> BlobInfo | None: ...

    def read(self, key: str) -> AsyncIterator[bytes]:
        """The blob's bytes in chunks (FileNotFoundError when missing)."""
        ...

    async def local_file(self, key: str) -> Path:
        """A local file holding the blob's bytes, for readers that need a
        file (archives are opened by seeking); a remote store would fetch
        it into a cache."""
        ...

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove these blobs and the copies derived from them; missing
        ones are ignored."""
        ...

    async def share(self, pairs: Sequence[tuple[str, str]]) -> None:
        """Make each blob (key, to) readable at `to` as well, without copying
        its bytes where the store can (a hard link here; a server-side copy
        in an object store). Each key then lives and goes on its own: the
        bytes stay while either names them. A missing `key` is passed over;
        an existing `to` is kept."""
        ...

    async def delete_app(self, app_pk: int) -> None:
        """Remove every blob of an app (keys start with "<app_pk>/")."""
        ...

    def walk(self, older_than: float) -> AsyncIterator[tuple[int, list[str]]]:
        """The keys of blobs last written before `older_than` (epoch
        seconds), derived copies and unfinished writes included, in batches
        of one app's (app pk, keys)."""
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


def source_of(key: str) -> str:
    """The blob a key's bytes belong to: a derived copy's original, else
    the key itself."""
    app_pk, _, rest = key.partition("/")
    folder, _, inside = rest.partition("/")
    if folder != DERIVED_FOLDER or "/" not in inside:
        return key
    return f"{app_pk}/{inside.rsplit('/', 1)[0]}"


def content_type_of(key: str) -> str:
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        # What every blob's path starts with.
        self._inside = os.path.join(os.path.abspath(root), "")

    def _path(self, key: str) -> Path:
        return Path(self._file(key))

    def _file(self, key: str) -> str:
        # Lexical: keys are ours, and the store holds no symbolic links (shared
        # blobs are hard links), so no file system lookup is needed per key.
        # Strings, not Paths: a request's media (hundreds of keys) come here.
        path = os.path.normpath(os.path.join(self._inside, key))
        if not path.startswith(self._inside):
            raise ValueError(f"blob key {key!r} is outside the store")
        return path

    async def put(self, key: str, data: bytes | AsyncIterable[bytes]) -> int:
        # Written beside the target and renamed into place: readers never see
        # half a blob, and a failed write leaves nothing behind. Readable by
        # the owner only, as every file under the data directory.
        if isinstance(data, bytes):
            # One trip to a thread: small media (most inputs) cost no more.
            await asyncio.to_thread(_write_replacing, self._file(key), data)
            return len(data)
        path = self._path(key)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        try:
            await asyncio.to_thread(files.private_dir, path.parent)
            handle = await asyncio.to_thread(_open_new, tmp)
            try:
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

    async def put_many(self, items: Sequence[tuple[str, bytes]]) -> None:
        if items:
            # Paths found here: a bad key raises before anything is written.
            await asyncio.to_thread(_write_new, [(self._file(k), data) for k, data in items])

    async def stat(self, key: str) -> BlobInfo | None:
        try:
            st = await asyncio.to_thread(self._path(key).stat)
        except (FileNotFoundError, ValueError):
            return None
        return BlobInfo(size=st.st_size, content_type=content_type_of(key))

    async def local_file(self, key: str) -> Path:
        return self._path(key)

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

    async def share(self, pairs: Sequence[tuple[str, str]]) -> None:
        paths = [(self._path(key), self._path(to)) for key, to in pairs]
        if paths:
            await asyncio.to_thread(_link_all, paths)

    async def delete_app(self, app_pk: int) -> None:
        await asyncio.to_thread(shutil.rmtree, self._path(str(app_pk)), True)

    async def walk(self, older_than: float) -> AsyncIterator[tuple[int, list[str]]]:
        for app_pk in await asyncio.to_thread(self._apps):
            keys = await asyncio.to_thread(self._old_files, app_pk, older_than)
            for start in range(0, len(keys), WALK_BATCH):
                yield app_pk, keys[start : start + WALK_BATCH]

    def _apps(self) -> list[int]:
        # An app's folder is named by its pk; anything else is not ours.
        try:
            names = [entry.name for entry in os.scandir(self.root) if entry.is_dir()]
        except FileNotFoundError:
            return []
        return sorted(int(name) for name in names if name.isdigit())

    def _old_files(self, app_pk: int, older_than: float) -> list[str]:
        keys = []
        for folder, _, names in os.walk(self.root / str(app_pk)):
            for name in names:
                path = Path(folder, name)
                try:
                    if path.lstat().st_mtime < older_than:
                        keys.append(path.relative_to(self.root).as_posix())
                except FileNotFoundError:
                    continue  # removed meanwhile
        return keys


def _link_all(paths: list[tuple[Path, Path]]) -> None:
    for source, target in paths:
        files.private_dir(target.parent)
        try:
            os.link(source, target)
            # A link shares its original's write time: made recent, so the
            # orphan sweep gives the new key its grace while the row naming
            # it commits.
            os.utime(target)
        except (FileExistsError, FileNotFoundError):
            continue
        except OSError:  # another file system, or links refused: a copy
            _copy_into(source, target)


def _copy_into(source: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, files.FILE_MODE)
        os.replace(tmp, target)
    except FileNotFoundError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def _open_new(path: str | Path) -> BinaryIO:
    return os.fdopen(files.create_private(path), "wb")


def _write_new(paths: list[tuple[str, bytes]]) -> None:
    """Each file made and written in place (O_EXCL: a path taken raises);
    one that fails is removed. Without a rename, a blob costs about half
    the system time."""
    for folder in {os.path.dirname(path) for path, _ in paths}:
        files.private_dir(Path(folder))
    for path, data in paths:
        handle = _open_new(path)  # a taken path raises here, left untouched
        try:
            with handle:
                handle.write(data)
        except BaseException:
            os.unlink(path)
            raise


def _write_replacing(path: str, data: bytes) -> None:
    """The file written beside its path and renamed into place, replacing
    what was there: a reader never sees half of one."""
    folder, name = os.path.split(path)
    files.private_dir(Path(folder))
    tmp = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.part")
    try:
        with _open_new(tmp) as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@cache
def store_for(data_dir: Path) -> BlobStore:
    """The process's blob store for a data directory."""
    return LocalBlobStore(data_dir / "blobs")


# ---- orphans ----

# Of one app's keys (each with the blob it belongs to), those no row names:
# no input, no input frozen in a dataset version, no export's archive, no
# queued job (media staged for collectors: a job's payload lists them under
# "blobs"), no upload not yet expired (its parts and content are in its
# folder).
_UNREFERENCED = text(
    """
    SELECT r.key
    FROM unnest(CAST(:keys AS text[]), CAST(:sources AS text[])) AS r(key, source)
    WHERE NOT EXISTS (SELECT 1 FROM inputs i
                      WHERE i.app_pk = :app_pk AND i.blob_key = r.source AND i.blob_key <> '')
      AND NOT EXISTS (SELECT 1 FROM dataset_version_inputs v
                      WHERE v.app_pk = :app_pk AND v.blob_key = r.source AND v.blob_key <> '')
      AND NOT EXISTS (SELECT 1 FROM dataset_version_exports e
                      WHERE e.app_pk = :app_pk AND e.location = r.source)
      AND NOT EXISTS (SELECT 1 FROM jobs j
                      WHERE j.app_pk = :app_pk AND j.payload -> 'blobs' ? r.source)
      AND NOT EXISTS (SELECT 1 FROM uploads u
                      WHERE u.app_pk = :app_pk AND u.expires_at > now()
                        AND u.folder = regexp_replace(r.source, '/[^/]*$', ''))
    """
)


async def unreferenced(session: AsyncSession, app_pk: int, keys: Sequence[str]) -> list[str]:
    """Of these keys of an app's blobs, those no row refers to (a derived
    copy through its original)."""
    if not keys:
        return []
    rows = await session.scalars(
        _UNREFERENCED,
        {"app_pk": app_pk, "keys": list(keys), "sources": [source_of(k) for k in keys]},
    )
    return list(rows)


# The raw text an input sent as text keeps in its row, under the key it
# would have had as a blob (server/services/inputs.py writes no file for
# it): the input's, or a dataset version's copy of it once the input is gone.
_KEPT_TEXT = text(
    """
    (SELECT i.data -> 'text' ->> 'raw' FROM inputs i
     WHERE i.app_pk = :app_pk AND i.blob_key = :key AND i.blob_key <> ''
       AND i.media_kind = 'text' AND i.data -> 'text' ? 'raw'
     LIMIT 1)
    UNION ALL
    (SELECT v.input -> 'data' -> 'text' ->> 'raw' FROM dataset_version_inputs v
     WHERE v.app_pk = :app_pk AND v.blob_key = :key AND v.blob_key <> ''
       AND v.input -> 'data' -> 'text' ? 'raw'
     LIMIT 1)
    LIMIT 1
    """
)


async def kept_text(session: AsyncSession, app_pk: int, key: str) -> bytes | None:
    """The bytes of a text kept in its input's row under `key` (UTF-8, as
    they were sent), or None when the key names a file."""
    raw = await session.scalar(_KEPT_TEXT, {"app_pk": app_pk, "key": key})
    return None if raw is None else raw.encode("utf-8")


async def sweep(db: Database, store: BlobStore, grace_seconds: float) -> list[str]:
    """Remove the blobs no row names that were last written more than
    `grace_seconds` ago: bytes of transactions that never committed (a
    process killed mid-request). A blob younger than that may belong to a
    transaction still under way and stays. Returns the keys removed."""
    removed: list[str] = []
    async for app_pk, keys in store.walk(time.time() - grace_seconds):
        async with db.transaction() as session:
            orphans = await unreferenced(session, app_pk, keys)
        await store.delete(orphans)
        removed.extend(orphans)
    return removed
