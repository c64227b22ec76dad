"""What `clarifai-local import` uploads (server/import_content.py): a folder
as a tar made on the fly, any byte range of it on demand, the same bytes on
every run while the files are unchanged."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from server.import_content import ChangedError, FileContent, FolderTar, content_of


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.txt").write_bytes(b"hello")
    (root / "sub" / "b.bin").write_bytes(os.urandom(5000))
    (root / "sub" / ("long" * 40 + ".txt")).write_bytes(b"n" * 700)
    (root / ".DS_Store").write_bytes(b"x")
    (root / ".hidden" / "c.txt").write_bytes(b"c")
    return root


def test_the_tar_holds_the_folders_files(folder: Path) -> None:
    tar = FolderTar(folder)
    assert tar.name == "photos.tar"
    whole = tar.read(0, tar.length)
    assert len(whole) == tar.length and tar.length % tarfile.RECORDSIZE == 0
    with tarfile.open(fileobj=io.BytesIO(whole)) as opened:
        names = opened.getnames()
        assert names == ["a.txt", "sub/b.bin", "sub/" + "long" * 40 + ".txt"]
        assert opened.extractfile("sub/b.bin").read() == (folder / "sub" / "b.bin").read_bytes()


def test_any_range_reads_the_same_bytes(folder: Path) -> None:
    tar = FolderTar(folder)
    whole = tar.read(0, tar.length)
    for size in (1, 511, 512, 777, 4096):
        assert b"".join(tar.read(at, size) for at in range(0, tar.length, size)) == whole
    assert tar.read(tar.length - 3, 100) == whole[-3:]


def test_the_same_files_make_the_same_tar(folder: Path) -> None:
    first, again = FolderTar(folder), FolderTar(folder)
    assert first.fingerprint == again.fingerprint
    assert first.read(0, first.length) == again.read(0, again.length)
    (folder / "a.txt").write_bytes(b"hello, again")
    assert FolderTar(folder).fingerprint != first.fingerprint


def test_a_file_changed_meanwhile_is_said(folder: Path) -> None:
    tar = FolderTar(folder)
    (folder / "sub" / "b.bin").write_bytes(b"short")
    with pytest.raises(ChangedError, match="b.bin"):
        tar.read(0, tar.length)
    single = FileContent.of(folder / "a.txt")
    (folder / "a.txt").write_bytes(b"hi")
    with pytest.raises(ChangedError):
        single.read(0, single.length)


def test_what_import_takes(folder: Path, tmp_path: Path) -> None:
    assert isinstance(content_of(folder), FolderTar)
    for name in ("x.zip", "x.tar", "x.tar.gz", "x.TGZ", "x.csv"):
        (tmp_path / name).write_bytes(b"data")
        made = content_of(tmp_path / name)
        assert (made.name, made.length) == (name, 4)
    (tmp_path / "x.docx").write_bytes(b"data")
    with pytest.raises(ValueError, match="a folder, an archive"):
        content_of(tmp_path / "x.docx")
    with pytest.raises(ValueError, match="no such file or folder"):
        content_of(tmp_path / "missing")
