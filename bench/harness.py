"""What the benchmark and probe scripts share: a free loopback port and the
PostgreSQL server they make their throwaway databases on."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

from storage import embedded


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_url() -> str:
    """DATABASE_URL's server, or an embedded one kept for the scripts."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    return embedded.start(Path(tempfile.gettempdir()) / "clarifai-local-bench-pg")
