"""Files under the data directory are its owner's alone: stored media,
export archives, the URL-signing key, first-run credentials, the records of
running servers. Directories are made 0700 and files 0600, whatever the
process's umask (the embedded PostgreSQL keeps its own cluster directory
0700 itself).

The data directory itself is made 0700 but not closed again once it exists:
run as root, the embedded PostgreSQL runs as another user (pgserver's
"pgserver"), and pgserver opens every folder above its cluster to others
(o+rx) so that user reaches it. What lies in it stays closed: the folders
holding blobs and server records are closed at each start."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Make `path` and its missing parents, each readable by the owner only;
    returns it. Directories that exist already are left as they are."""
    missing = []
    at = path
    while not at.exists():
        missing.append(at)
        at = at.parent
    for folder in reversed(missing):
        # Another process may be making it at the same moment.
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
    return path


# The data directory's folders of private files (blobs, the records of
# running servers); its other files are made 0600 one by one.
PRIVATE_FOLDERS = ("blobs", "servers")


def private_data_dir(data_dir: Path) -> Path:
    """The data directory, made if missing, with its folders of private
    files closed to other users (ones an older version made are 0755)."""
    private_dir(data_dir)
    for name in PRIVATE_FOLDERS:
        with contextlib.suppress(FileNotFoundError, PermissionError):  # PermissionError: not ours
            os.chmod(data_dir / name, DIR_MODE)
    return data_dir


def create_private(path: str | Path, *, exclusive: bool = True) -> int:
    """Open a new file readable by the owner only, for writing; its fd."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    return os.open(path, flags, FILE_MODE)
