"""Uploads: content sent in parts, assembled into one file.

An upload's bytes live in the blob store, never in its row: each part as a
file under the upload's folder ("<app_pk>/uploads/<token>/part-<n>-<sha>"),
and once every byte of content_length has arrived, the assembled content as
one file in the same folder. The row records what arrived (`parts`: by
part number, where it starts, its length and its sha256), so a part sent
again is recognised, and the assembled content's sha256.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.blobs import BlobStore
from storage.listing import Order, Page
from storage.scoped import AppScope, AppScoped

# UPLOAD_* codes (status_code.proto).
IN_PROGRESS = 68000
DONE = 68001
FAILED = 68002
UNEXPECTED_ERROR = 68003
EXPIRED = 68004

FOLDER = "uploads"
CONTENT = "content"


class Upload(Timestamps, Base):
    __tablename__ = "uploads"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListUploads, newest first (read backwards).
        Index("ix_uploads_app_order", "app_pk", "created_at", "pk"),
        # The expiry sweep, and the blob sweep's lookup of a key's upload.
        Index("ix_uploads_expires_at", "expires_at"),
        Index("ix_uploads_app_folder", "app_pk", "folder"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    content_name: Mapped[str] = mapped_column(default="")
    content_length: Mapped[int]
    status_code: Mapped[int] = mapped_column(default=IN_PROGRESS)
    # Why the upload failed, when it did.
    status_details: Mapped[str] = mapped_column(default="")
    expires_at: Mapped[datetime]
    # The blob key prefix every file of the upload is under.
    folder: Mapped[str]
    # Part number (as text) -> {"start", "length", "sha256", "key"}.
    parts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    received: Mapped[int] = mapped_column(default=0)
    # Set once the content is assembled.
    content_key: Mapped[str] = mapped_column(default="")
    sha256: Mapped[str] = mapped_column(default="")

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or datetime.now(UTC))

    def shown_code(self, now: datetime | None = None) -> int:
        """The status users see: an upload past its expires_at is EXPIRED
        until the sweep removes it."""
        if self.status_code in (IN_PROGRESS, DONE) and self.expired(now):
            return EXPIRED
        return self.status_code

    def blob_keys(self) -> list[str]:
        """Every blob the row names: its parts and its content."""
        out = [p["key"] for p in self.parts.values()]
        return [*out, self.content_key] if self.content_key else out


LIST_UPLOADS = Order(
    "ListUploads",
    scope=[Upload.app_pk],
    columns=[Upload.created_at, Upload.pk],
    descending=True,
)


@dataclass(frozen=True)
class UploadContent:
    """An upload's assembled content, as PostInputsUploads reads it."""

    id: str
    name: str  # the content_name sent with PostUploads
    length: int
    path: Path  # a local file holding the assembled bytes


@dataclass(frozen=True)
class Part:
    """A part as recorded: where it starts, how long, its hash, its blob.
    Parts are the same when their bytes are (each file has a name of its
    own)."""

    number: int
    start: int
    length: int
    sha256: str
    key: str = field(compare=False)

    @property
    def end(self) -> int:
        return self.start + self.length

    def record(self) -> dict[str, Any]:
        return {"start": self.start, "length": self.length, "sha256": self.sha256, "key": self.key}


def parts_of(row: Upload) -> dict[int, Part]:
    return {
        int(n): Part(int(n), p["start"], p["length"], p["sha256"], p["key"])
        for n, p in row.parts.items()
    }


def new_folder(app_pk: int) -> str:
    return f"{app_pk}/{FOLDER}/{uuid.uuid4().hex}"


# Every file a call writes has a name of its own. So the file a row names is
# never overwritten before the row moves (a part replaced by other bytes is
# a new file), and a call rolled back, which removes what it wrote only once
# its lock is released, cannot remove the same part (or content) written
# again meanwhile by the call that waited for that lock: with names made of
# the part's hash, that took the committed call's bytes.


def part_key(folder: str, number: int) -> str:
    return f"{folder}/part-{number}-{uuid.uuid4().hex}.bin"


def content_key(folder: str) -> str:
    return f"{folder}/{CONTENT}-{uuid.uuid4().hex}.bin"


class UploadStorage(AppScoped[Upload]):
    """The app's uploads. Values are the columns of `Upload` by name."""

    model = Upload

    def __init__(self, session: Any, app: AppScope, blobs: BlobStore | None) -> None:
        super().__init__(session, app)
        self._blobs = blobs

    @property
    def blobs(self) -> BlobStore:
        if self._blobs is None:
            raise RuntimeError("this store was made without a blob store: pass Store(blobs=...)")
        return self._blobs

    async def page(self, at: Page) -> list[Upload]:
        q = select(Upload).where(Upload.app_pk == self.app.pk)
        return await listing.page(self.session, q, LIST_UPLOADS, at)

    async def done(self, upload_id: str) -> UploadContent | None:
        """The assembled content of the app's upload `upload_id` when it is
        UPLOAD_DONE (and not expired); None otherwise."""
        row = await self.get(upload_id)
        if row is None or row.shown_code() != DONE or not row.content_key:
            return None
        path = await self.blobs.local_file(row.content_key)
        return UploadContent(row.id, row.content_name, row.content_length, path)

    async def delete(self, rows: Sequence[Upload]) -> list[str]:
        """Remove these uploads' rows; answers the blobs they named, for the
        caller to remove once the removal commits."""
        if not rows:
            return []
        await self.session.execute(
            delete(Upload).where(
                Upload.app_pk == self.app.pk, Upload.id == any_of(r.id for r in rows)
            )
        )
        return [key for row in rows for key in row.blob_keys()]

    async def assemble(self, parts: Sequence[Part], key: str) -> str:
        """Write the parts, in order of where they start, as one blob at
        `key`, checking each part's stored bytes against its recorded length
        and sha256; answers the content's sha256. A part whose bytes differ
        raises PartLost (nothing is left at `key`)."""
        whole = hashlib.sha256()

        async def chunks() -> AsyncIterator[bytes]:
            for part in sorted(parts, key=lambda p: p.start):
                digest, size = hashlib.sha256(), 0
                try:
                    async for chunk in self.blobs.read(part.key):
                        digest.update(chunk)
                        whole.update(chunk)
                        size += len(chunk)
                        yield chunk
                except FileNotFoundError:
                    raise PartLost(part.number) from None
                if size != part.length or digest.hexdigest() != part.sha256:
                    raise PartLost(part.number)

        await self.blobs.put(key, chunks())
        return whole.hexdigest()


class PartLost(Exception):  # noqa: N818  (a finding, reported on the upload)
    """A stored part's bytes are missing or differ from what was received."""

    def __init__(self, number: int) -> None:
        super().__init__(f"part {number}")
        self.number = number


async def expired(session: Any, now: datetime, limit: int) -> list[Upload]:
    """Up to `limit` uploads of any app past their expires_at, locked
    (others' sweeps skip them)."""
    q = select(Upload).where(Upload.expires_at <= now).order_by(Upload.expires_at)
    return list(await session.scalars(listing.take(q, limit).with_for_update(skip_locked=True)))


async def remove(session: Any, rows: Sequence[Upload]) -> None:
    """Remove these rows (of any app): the expiry sweep's."""
    if rows:
        await session.execute(delete(Upload).where(Upload.pk.in_([r.pk for r in rows])))
