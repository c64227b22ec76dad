"""Process settings, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


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
    # REST connections: seconds a connection may sit without a complete
    # request head (idle between requests, or sending headers slowly; aiohttp
    # keeps one timer for both), and seconds a request body may go without a
    # byte arriving.
    rest_idle_timeout_s: float = field(
        default_factory=lambda: _float("CLARIFAI_LOCAL_REST_IDLE_TIMEOUT", 75)
    )
    rest_body_timeout_s: float = field(
        default_factory=lambda: _float("CLARIFAI_LOCAL_REST_BODY_TIMEOUT", 30)
    )
    log_level: str = field(default_factory=lambda: os.environ.get("CLARIFAI_LOCAL_LOG", "INFO"))
    # ---- inputs ----
    # The address users reach the REST port at, for hosted media URLs
    # (unset: http://localhost:<rest_port>).
    public_url: str = field(default_factory=lambda: os.environ.get("CLARIFAI_LOCAL_PUBLIC_URL", ""))
    # How long a presigned download URL (an export's, a hosted media's) lasts.
    url_expiry_s: int = field(default_factory=lambda: _int("CLARIFAI_LOCAL_URL_EXPIRY", 3600))
    # false: URL inputs are stored without downloading and reported as
    # downloaded (offline test harnesses).
    fetch_urls: bool = field(default_factory=lambda: _bool("CLARIFAI_LOCAL_FETCH_URLS", True))
    # Lets URL inputs point at loopback addresses (tests); private and
    # link-local addresses stay refused.
    fetch_allow_loopback: bool = field(
        default_factory=lambda: _bool("CLARIFAI_LOCAL_FETCH_ALLOW_LOOPBACK", False)
    )
    fetch_timeout_s: float = field(
        default_factory=lambda: float(os.environ.get("CLARIFAI_LOCAL_FETCH_TIMEOUT", 30))
    )
    # 0: the documented per-kind limits (20 MB; video 300 MB).
    fetch_max_bytes: int = field(default_factory=lambda: _int("CLARIFAI_LOCAL_FETCH_MAX_BYTES", 0))
    fetch_concurrency: int = field(
        default_factory=lambda: _int("CLARIFAI_LOCAL_FETCH_CONCURRENCY", 8)
    )
