"""The members of a data source's file: what each becomes as an input.

A file is read by its content, not its name: a zip or tar archive (tar
plain, gzip, bzip2 or xz) gives one member per regular file inside it, in
the archive's order, nested folders included; directories, links, hidden
files (a name part starting with ".") and macOS metadata (`__MACOSX/`) are
skipped. A file named *.csv gives one member per row, in the columns the
Clarifai SDK's upload_from_csv reads (`CSV_COLUMNS`). Any other file is a
single member.

A member's medium is found from its bytes (image, video, audio), else from
its name's extension, else UTF-8 bytes are text. A member that cannot be an
input (too large, of no medium, a bad CSV row) carries the reason in
`problem`: it fails alone, and the rest go on.
"""

from __future__ import annotations

import csv
import io
import json
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import urlsplit

import filetype

from server import media

# The SDK's columns (clarifai.client.input.Inputs.get_inputs_from_csv).
CSV_COLUMNS = ("inputid", "input", "concepts", "metadata", "geopoints")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz")
_EXTENSIONS = {
    "image": (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp"),
    "video": (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".mpeg", ".mpg"),
    "audio": (".mp3", ".wav", ".flac", ".ogg", ".m4a", ".aac"),
    "text": (".txt", ".md", ".csv", ".json", ".html"),
}
# The most bytes any member may have: the largest input (video's).
MAX_MEMBER_BYTES = max(media.BYTES_LIMITS.values())


class SourceError(Exception):
    """A file that cannot be read at all (a corrupt archive, a CSV without
    the columns): the message says why."""


@dataclass
class Member:
    """One future input: its bytes (a file) or a CSV row's fields."""

    name: str
    data: bytes | None = None
    kind: str = ""
    text: str = ""
    url: str = ""
    input_id: str = ""
    metadata: dict[str, Any] | None = None
    concepts: list[str] = field(default_factory=list)
    geo: tuple[float, float] | None = None
    problem: str = ""


def looks_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def kind_of(name: str, data: bytes) -> str:
    """The medium of a file's bytes; "" when it has none."""
    guessed = filetype.guess_mime(data[:8192]) or ""
    for kind in ("image", "video", "audio"):
        if guessed.startswith(f"{kind}/"):
            return kind
    lower = name.lower()
    for kind, suffixes in _EXTENSIONS.items():
        if lower.endswith(suffixes):
            return kind
    if not guessed:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return ""
        return "text" if b"\x00" not in data else ""
    return ""


def media_member(name: str, data: bytes) -> Member:
    kind = kind_of(name, data)
    if not kind:
        return Member(name, problem=f"{name}: not an image, video, audio or text file")
    limit = media.BYTES_LIMITS[kind]
    if len(data) > limit:
        return Member(name, problem=f"{name}: {kind} inputs may have {media.describe_size(limit)}")
    return Member(name, data=data, kind=kind)


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def _too_big(name: str, size: int) -> Member:
    return Member(
        name,
        problem=f"{name}: {size} bytes, more than any input may have "
        f"({media.describe_size(MAX_MEMBER_BYTES)})",
    )


def _read(name: str, size: int, opened: IO[bytes]) -> Member:
    if size > MAX_MEMBER_BYTES:
        return _too_big(name, size)
    data = opened.read(MAX_MEMBER_BYTES + 1)  # a size that lied is caught here
    if len(data) > MAX_MEMBER_BYTES:
        return _too_big(name, len(data))
    return media_member(name, data)


def _zip_members(path: Path, most: int, start: int) -> Iterator[Member]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir() and not _skipped(i.filename)]
            _check_count(len(infos), most)
            for info in infos[start:]:
                try:
                    with zf.open(info) as opened:
                        yield _read(info.filename, info.file_size, opened)
                except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
                    yield Member(info.filename, problem=f"{info.filename}: cannot be read: {exc}")
    except zipfile.BadZipFile as exc:
        raise SourceError(f"the zip archive cannot be read: {exc}") from exc


def _tar_members(path: Path, most: int, start: int) -> Iterator[Member]:
    try:
        with tarfile.open(path, "r:*") as tf:
            infos = [i for i in tf.getmembers() if i.isreg() and not _skipped(i.name)]
            _check_count(len(infos), most)
            for info in infos[start:]:
                try:
                    opened = tf.extractfile(info)
                    assert opened is not None  # a regular file's
                    yield _read(info.name, info.size, opened)
                except (tarfile.TarError, OSError, EOFError) as exc:
                    yield Member(info.name, problem=f"{info.name}: cannot be read: {exc}")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SourceError(f"the tar archive cannot be read: {exc}") from exc


def _check_count(count: int, most: int) -> None:
    if count > most:
        raise SourceError(f"it holds {count} files; a data source file may hold {most}")


def is_archive(path: Path) -> bool:
    """Whether the file is a zip or tar archive, by its content."""
    if zipfile.is_zipfile(path):
        return True
    try:
        return tarfile.is_tarfile(path)
    except (OSError, tarfile.TarError, EOFError):
        return False


def members(path: Path, name: str, most: int, start: int = 0) -> Iterator[Member]:
    """The file's members in order from the `start`th (see the module's
    docstring). Raises SourceError, when the iteration starts, for a file
    unreadable as a whole."""
    if zipfile.is_zipfile(path):
        return _zip_members(path, most, start)
    if is_archive(path):
        return _tar_members(path, most, start)
    if looks_archive(name):
        raise SourceError(f"{name} is not a readable zip or tar archive")
    if name.lower().endswith(".csv"):
        return _csv_members(path, name, most, start)
    return _single(path, name, start)


def take(found: Iterator[Member], most: int, budget: int) -> list[Member]:
    """The next members: at most `most`, and no more once their bytes
    reach `budget` (one at least, whatever its size)."""
    out: list[Member] = []
    size = 0
    for member in found:
        out.append(member)
        size += len(member.data or b"")
        if len(out) >= most or size >= budget:
            break
    return out


def _single(path: Path, name: str, start: int) -> Iterator[Member]:
    if start:
        return
    with path.open("rb") as opened:
        yield _read(name, path.stat().st_size, opened)


# ---- CSV ----


def _csv_members(path: Path, name: str, most: int, start: int) -> Iterator[Member]:
    with path.open("rb") as raw:
        try:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.DictReader(text)
            columns = reader.fieldnames or []
            unknown = [c for c in columns if c not in CSV_COLUMNS]
            if unknown:
                raise SourceError(f"column '{unknown[0]}' is not one of {', '.join(CSV_COLUMNS)}")
            if "input" not in columns:
                raise SourceError("the CSV has no 'input' column (the first line names columns)")
            for n, row in enumerate(reader, start=1):
                if n > most:
                    raise SourceError(f"it holds more than {most} rows")
                if n > start:
                    yield _row(f"{name} row {n}", row)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise SourceError(f"the CSV cannot be read: {exc}") from exc


def _row(where: str, row: dict[str, Any]) -> Member:
    member = Member(where)
    value = (row.get("input") or "").strip()
    if not value:
        member.problem = f"{where}: 'input' is empty"
        return member
    try:
        _row_fields(member, row)
    except ValueError as exc:
        member.problem = f"{where}: {exc}"
        return member
    if urlsplit(value).scheme in ("http", "https"):
        member.url, member.kind = value, _url_kind(value)
    else:
        member.text, member.kind = value, "text"
    return member


def _row_fields(member: Member, row: dict[str, Any]) -> None:
    member.input_id = (row.get("inputid") or "").strip()
    member.concepts = [c.strip() for c in (row.get("concepts") or "").split(",") if c.strip()]
    meta = (row.get("metadata") or "").strip()
    if meta:
        try:
            # The SDK writes metadata with single quotes: "{'key': 'value'}".
            parsed = json.loads(meta.replace("'", '"'))
        except json.JSONDecodeError as exc:
            raise ValueError(f"'metadata' is not a JSON object ({exc.msg})") from exc
        if not isinstance(parsed, dict):
            raise ValueError("'metadata' is not a JSON object")
        member.metadata = parsed
    geo = (row.get("geopoints") or "").strip()
    if geo:
        parts = geo.split(",")
        try:
            longitude, latitude = (float(p) for p in parts)
        except ValueError:
            raise ValueError(f"'geopoints' '{geo}' is not 'longitude,latitude'") from None
        member.geo = (longitude, latitude)


def _url_kind(url: str) -> str:
    """A CSV URL's medium, from its path's extension (image otherwise)."""
    path = urlsplit(url).path.lower()
    for kind in ("video", "audio", "text"):
        if path.endswith(_EXTENSIONS[kind]):
            return kind
    return "image"
