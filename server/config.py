"""Process settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Settings:
    grpc_port: int = field(default_factory=lambda: _int("CLARIFAI_LOCAL_GRPC_PORT", 18080))
    rest_port: int = field(default_factory=lambda: _int("CLARIFAI_LOCAL_REST_PORT", 8080))
    host: str = field(default_factory=lambda: os.environ.get("CLARIFAI_LOCAL_HOST", "0.0.0.0"))
    # Unset: an embedded PostgreSQL under data_dir serves the process.
    database_url: str | None = field(default_factory=lambda: os.environ.get("DATABASE_URL"))
    data_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("CLARIFAI_LOCAL_DATA", ".data")).resolve()
    )
    # The official client's limits: 128 MB requests and responses.
    max_message_bytes: int = 128 * 1024 * 1024
    log_level: str = field(default_factory=lambda: os.environ.get("CLARIFAI_LOCAL_LOG", "INFO"))
