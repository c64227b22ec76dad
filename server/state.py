"""What a running `clarifai-local serve` records in its data directory:
`servers/<pid>.json` (readable by its owner only: the database URL may hold
a password), written once it serves and removed when it stops. The other
commands find the server's database there, and `clarifai-local stop` the
process to stop."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil
from sqlalchemy import make_url

from storage import files

DIR = "servers"


@dataclass(frozen=True)
class Server:
    pid: int
    # The process's start time: a record whose pid another process took
    # since is stale.
    started: float
    grpc_port: int
    rest_port: int
    database_url: str
    embedded: bool

    def alive(self) -> bool:
        try:
            process = psutil.Process(self.pid)
            return (
                process.status() != psutil.STATUS_ZOMBIE
                and abs(process.create_time() - self.started) < 0.01
            )
        except psutil.Error:
            return False


def shown(url: str) -> str:
    """A database URL to print: no password, no driver."""
    parsed = make_url(url)
    user = f"{parsed.username}@" if parsed.username else ""
    port = f":{parsed.port}" if parsed.port else ""
    query = "&".join(
        f"{key}={value}"
        for key, values in parsed.query.items()
        for value in ((values,) if isinstance(values, str) else values)
    )
    where = f"{user}{parsed.host or ''}{port}/{parsed.database or ''}"
    return f"postgresql://{where}" + (f"?{query}" if query else "")


def record(
    data_dir: Path, grpc_port: int, rest_port: int, database_url: str, embedded: bool
) -> Path:
    """Record this process as a server on `data_dir`; return the record's path."""
    folder = data_dir / DIR
    files.private_dir(folder)
    me = Server(
        pid=os.getpid(),
        started=psutil.Process().create_time(),
        grpc_port=grpc_port,
        rest_port=rest_port,
        database_url=database_url,
        embedded=embedded,
    )
    path = folder / f"{me.pid}.json"
    partial = path.with_suffix(".partial")
    fd = files.create_private(partial, exclusive=False)
    with os.fdopen(fd, "w") as out:
        json.dump(asdict(me), out)
    partial.replace(path)
    return path


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)


def live(data_dir: Path) -> list[Server]:
    """The servers running on `data_dir`, oldest first; records of servers
    gone (killed, say) are removed."""
    found = []
    for path in sorted((data_dir / DIR).glob("*.json")):
        try:
            server = Server(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            continue  # being written or removed
        if server.alive():
            found.append(server)
        else:
            forget(path)
    return sorted(found, key=lambda s: s.started)
