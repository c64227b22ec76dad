"""What `clarifai-local import` uploads: a file as it is (an archive, a CSV),
or a folder as a tar archive made on the fly.

Either reads any byte range on demand, so a resumed import sends only the
parts the server lacks without reading the rest. A folder's tar is the
same bytes on every run while its files are unchanged (sorted names, the
files' own times, no owner), so a part sent before a crash is the same
part after it; its fingerprint (names, sizes, times) tells when they
changed and the upload must start over.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# The archive kinds and the CSV the server's PostInputsUploads reads.
SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".csv")


class Content(Protocol):
    name: str  # the upload's content_name
    length: int
    fingerprint: str

    def read(self, start: int, size: int) -> bytes: ...


class ChangedError(Exception):
    """A file changed while it was being uploaded."""


@dataclass(frozen=True)
class FileContent:
    path: Path
    name: str
    length: int
    fingerprint: str

    @classmethod
    def of(cls, path: Path) -> FileContent:
        st = path.stat()
        return cls(path, path.name, st.st_size, f"{st.st_size}:{st.st_mtime_ns}")

    def read(self, start: int, size: int) -> bytes:
        with self.path.open("rb") as handle:
            handle.seek(start)
            data = handle.read(size)
        if len(data) != min(size, self.length - start):
            raise ChangedError(f"{self.path} changed while it was being imported")
        return data


@dataclass(frozen=True)
class _Segment:
    """A stretch of the tar: fixed bytes (headers, padding) or a file's."""

    offset: int
    length: int
    data: bytes = b""
    path: Path | None = None


class FolderTar:
    """A folder's regular files (names starting with "." left out) as one
    tar archive, PAX format, names relative to the folder."""

    def __init__(self, folder: Path) -> None:
        self.name = f"{folder.name or 'folder'}.tar"
        self._segments: list[_Segment] = []
        digest = hashlib.sha256()
        offset = 0
        for path, rel in _files(folder):
            st = path.stat()
            digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            header = _header(rel, st)
            offset = self._add(offset, _Segment(offset, len(header), data=header))
            offset = self._add(offset, _Segment(offset, st.st_size, path=path))
            pad = -st.st_size % tarfile.BLOCKSIZE
            offset = self._add(offset, _Segment(offset, pad, data=bytes(pad)))
        # Two zero blocks end the archive; it is padded to whole records.
        end = 2 * tarfile.BLOCKSIZE
        end += -(offset + end) % tarfile.RECORDSIZE
        self.length = self._add(offset, _Segment(offset, end, data=bytes(end)))
        self.fingerprint = digest.hexdigest()
        self._starts = [s.offset for s in self._segments]

    def _add(self, offset: int, segment: _Segment) -> int:
        if segment.length:
            self._segments.append(segment)
        return offset + segment.length

    def read(self, start: int, size: int) -> bytes:
        out = bytearray()
        end = min(start + size, self.length)
        at = bisect.bisect_right(self._starts, start) - 1
        while start < end:
            seg = self._segments[at]
            lo, hi = start - seg.offset, min(end, seg.offset + seg.length) - seg.offset
            out += seg.data[lo:hi] if seg.path is None else _file_range(seg, lo, hi)
            start, at = seg.offset + hi, at + 1
        return bytes(out)


def _files(folder: Path) -> list[tuple[Path, str]]:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root, name)
            if not name.startswith(".") and path.is_file():
                out.append((path, path.relative_to(folder).as_posix()))
    return out


def _header(rel: str, st: os.stat_result) -> bytes:
    info = tarfile.TarInfo(rel)
    info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o644
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


def _file_range(seg: _Segment, lo: int, hi: int) -> bytes:
    assert seg.path is not None
    with seg.path.open("rb") as handle:
        handle.seek(lo)
        data = handle.read(hi - lo)
    if len(data) != hi - lo or seg.path.stat().st_size != seg.length:
        raise ChangedError(f"{seg.path} changed while it was being imported")
    return data


def content_of(path: Path) -> Content:
    """The content to upload for PATH, or ValueError saying why not."""
    if path.is_dir():
        return FolderTar(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file or folder")
    if not path.name.lower().endswith(SUFFIXES):
        raise ValueError(
            f"{path}: import takes a folder, an archive (.zip, .tar, .tar.gz, .tgz) or a CSV"
        )
    return FileContent.of(path)
