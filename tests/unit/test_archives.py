"""The members of a data source's file (server/archives.py): what each
archive member or CSV row becomes, what is skipped, what fails alone."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from server import archives
from server.archives import SourceError
from tests.helpers import png


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("folder/", b"")  # a directory entry
    return out.getvalue()


def test_kinds_by_content_then_name():
    assert archives.kind_of("x.bin", png()) == "image"
    assert archives.kind_of("notes", b"plain words") == "text"
    assert archives.kind_of("broken.jpg", b"\xff\xd8 not a jpeg") == "image"
    assert archives.kind_of("clip.mp3", b"\x00\x01") == "audio"
    assert archives.kind_of("blob", bytes(range(256))) == ""


def test_zip_members_in_order_skipping_hidden_and_metadata(tmp_path):
    path = write(
        tmp_path,
        "a.zip",
        zipped(
            {
                "b/one.png": png(),
                "two.txt": b"two",
                "__MACOSX/b/._one.png": b"fork",
                "b/.hidden.png": png(),
                "odd.bin": bytes(range(256)),
            }
        ),
    )
    found = list(archives.members(path, "a.zip", 100))
    assert [(m.name, m.kind, bool(m.problem)) for m in found] == [
        ("b/one.png", "image", False),
        ("two.txt", "text", False),
        ("odd.bin", "", True),
    ]
    # From the second member on: what a resumed job reads.
    assert [m.name for m in archives.members(path, "a.zip", 100, start=1)] == ["two.txt", "odd.bin"]


def test_tar_gz_and_too_many_members(tmp_path):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tf:
        for n in range(3):
            info = tarfile.TarInfo(f"d/{n}.txt")
            info.size = 1
            tf.addfile(info, io.BytesIO(b"x"))
    path = write(tmp_path, "t.tgz", out.getvalue())
    assert archives.is_archive(path)
    assert len(list(archives.members(path, "t.tgz", 3))) == 3
    with pytest.raises(SourceError, match="holds 3 files"):
        list(archives.members(path, "t.tgz", 2))


def test_a_file_named_like_an_archive_that_is_not_one(tmp_path):
    path = write(tmp_path, "x.zip", b"not a zip")
    with pytest.raises(SourceError, match="not a readable zip or tar archive"):
        archives.members(path, "x.zip", 10)


def test_csv_rows(tmp_path):
    path = write(
        tmp_path,
        "rows.csv",
        b"inputid,input,concepts,metadata,geopoints\n"
        b'a,hello,"x, y","{\'k\': \'v\'}","1.5,2"\n'
        b",https://h/v.mp4?sig=1,,,\n"
        b"c,text,,[1],\n"
        b"d,text,,,north\n"
        b",,,,\n",
    )
    rows = list(archives.members(path, "rows.csv", 100))
    first, video, bad_meta, bad_geo, empty = rows
    assert (first.input_id, first.text, first.kind) == ("a", "hello", "text")
    assert first.concepts == ["x", "y"]
    assert first.metadata == {"k": "v"}
    assert first.geo == (1.5, 2.0)
    assert (video.url, video.kind) == ("https://h/v.mp4?sig=1", "video")
    assert "'metadata' is not a JSON object" in bad_meta.problem
    assert "'geopoints' 'north'" in bad_geo.problem
    assert "'input' is empty" in empty.problem
    assert [r.name for r in archives.members(path, "rows.csv", 100, start=4)] == ["rows.csv row 5"]


def test_csv_columns_are_the_sdks(tmp_path):
    path = write(tmp_path, "bad.csv", b"input,label\nx,y\n")
    with pytest.raises(SourceError, match="column 'label'"):
        list(archives.members(path, "bad.csv", 100))
