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
    # ---- responses ----
    # A text input's raw longer than this (bytes) is left out of lists
    # (ListInputs, StreamInputs, ListDatasetInputs) and of PostInputs' and
    # PatchInputs' answers: the input's `url` (and `hosted`) serve its
    # copy, as for other media; GetInput still answers it whole. A page of
    # 1000 inputs then holds at most 16 MB of text.
    inline_text_bytes: int = field(
        default_factory=lambda: _int("CLARIFAI_LOCAL_INLINE_TEXT_BYTES", 16 * 1024)
    )
    # The most a list answers, in encoded protobuf bytes (REST's JSON of it
    # is typically 1.3-2x that). Well under max_message_bytes, and the
    # memory one call may hold (a page is held as rows, as messages and, on
    # REST, as JSON at once). A cursor page (StreamInputs) stops before an
    # item would pass it (the client continues from the last id it got); an
    # offset page of more than one item that would pass it is refused with
    # RPC_MAX_MESSAGE_SIZE_EXCEEDED, asking for a smaller per_page (cutting
    # it would shift every later page: page n starts at (n-1)*per_page).
    response_max_bytes: int = field(
        default_factory=lambda: _int("CLARIFAI_LOCAL_RESPONSE_MAX_BYTES", 32 * 1024 * 1024)
    )
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
    # `serve`: server processes sharing the two ports (SO_REUSEPORT) under
    # one supervisor; 0 is one per core.
    workers: int = field(default_factory=lambda: _int("CLARIFAI_LOCAL_WORKERS", 0))
    # Calls a process runs at once (server/admission.py); more wait their
    # turn. A call holds its turn for at most calls_lease_s. Two: while one
    # waits for the database the other runs; more only interleave them.
    calls_at_once: int = field(default_factory=lambda: _int("CLARIFAI_LOCAL_CALLS_AT_ONCE", 2))
    calls_lease_s: float = 0.05
    log_level: str = field(default_factory=lambda: os.environ.get("CLARIFAI_LOCAL_LOG", "INFO"))
    # ---- blobs ----
    # A blob no row names is removed once it is this old (seconds since it
    # was written): younger, it may belong to a transaction under way.
    blob_grace_s: float = field(
        default_factory=lambda: float(os.environ.get("CLARIFAI_LOCAL_BLOB_GRACE", 3600))
    )
    # Seconds between sweeps for such blobs (one also runs at each start).
    blob_sweep_every_s: float = field(
        default_factory=lambda: float(os.environ.get("CLARIFAI_LOCAL_BLOB_SWEEP_EVERY", 3600))
    )
    # Seconds between sweeps for expired uploads (rows and bytes).
    upload_sweep_every_s: float = field(
        default_factory=lambda: _float("CLARIFAI_LOCAL_UPLOAD_SWEEP_EVERY", 600)
    )
    # ---- predictions ----
    # Days an output id is kept for feedback to name (PostModelFeedback
    # refuses ids it no longer knows); a periodic job drops older ones.
    model_output_days: float = field(
        default_factory=lambda: _float("CLARIFAI_LOCAL_MODEL_OUTPUT_DAYS", 30)
    )
    # Seconds between those sweeps.
    model_output_sweep_every_s: float = field(
        default_factory=lambda: _float("CLARIFAI_LOCAL_MODEL_OUTPUT_SWEEP_EVERY", 3600)
    )
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
    # Inputs (or annotations) a bulk operation changes per transaction: a
    # cancel takes effect between two, and a killed job resumes after the
    # last one committed.
    bulk_chunk: int = field(default_factory=lambda: _int("CLARIFAI_LOCAL_BULK_CHUNK", 500))
    fetch_concurrency: int = field(
        default_factory=lambda: _int("CLARIFAI_LOCAL_FETCH_CONCURRENCY", 8)
    )
    # ---- data sources (PostInputsDataSources) ----
    # The S3 endpoint s3:// sources are read from (an S3-compatible
    # server's URL); unset: AWS's own, for the region the credentials name.
    s3_endpoint_url: str = field(
        default_factory=lambda: os.environ.get("CLARIFAI_LOCAL_S3_ENDPOINT_URL", "")
    )
    # The largest file a data source may hold (an archive, a CSV, a media
    # file, each object under an s3:// prefix), in bytes.
    extract_max_bytes: int = field(
        default_factory=lambda: _int("CLARIFAI_LOCAL_EXTRACT_MAX_BYTES", 5 * 1024**3)
    )
    # The most members one file may hold (an archive's files, a CSV's rows)
    # and the most objects an s3:// prefix may hold.
    extract_max_members: int = field(
        default_factory=lambda: _int("CLARIFAI_LOCAL_EXTRACT_MAX_MEMBERS", 100_000)
    )
