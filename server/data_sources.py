"""Where a data source's files come from: an http(s) URL (one file, through
the URL downloader's rules), an s3:// URL (an object, or every object under
a prefix, read with the request's credentials from the configured S3
endpoint), or an upload (its assembled file).

`listing` names the files once, when the job first runs; `local_copy`
brings one of them to a local file for reading (an upload's is read where
it is). Failures raise SourceError with the cause users see.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from server.archives import SourceError
from server.config import Settings
from server.fetch import Fetcher, FetchError
from storage.db import Database

HTTP_SCHEMES = ("http", "https")
S3_SCHEME = "s3"


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str


def s3_location(url: str) -> S3Location:
    parts = urlsplit(url)
    return S3Location(parts.netloc, unquote(parts.path.lstrip("/")))


def file_name(url: str) -> str:
    """The last part of a URL's path (what tells a CSV by its name)."""
    return PurePosixPath(unquote(urlsplit(url).path)).name or url


def _s3_client(settings: Settings, creds: dict[str, str]) -> Any:
    """A client with the request's credentials, or unsigned (public
    buckets) without: never the server's own (its environment's or its
    host's), which a request must not borrow."""
    import boto3  # loaded when an s3:// source is read
    from botocore import UNSIGNED
    from botocore.config import Config

    signed = bool(creds.get("id") and creds.get("secret"))
    config = Config(retries={"max_attempts": 2}, connect_timeout=10, read_timeout=60)
    if not signed:
        config = config.merge(Config(signature_version=UNSIGNED))
    return boto3.session.Session().client(
        "s3",
        endpoint_url=settings.s3_endpoint_url or None,
        region_name=creds.get("region") or "us-east-1",
        aws_access_key_id=creds["id"] if signed else None,
        aws_secret_access_key=creds["secret"] if signed else None,
        aws_session_token=(creds.get("token") or None) if signed else None,
        config=config,
    )


def _s3_error(url: str, exc: Exception) -> SourceError:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return SourceError(f"{url}: {error.get('Code', '')} {error.get('Message', '')}".strip())
    return SourceError(f"{url}: {exc}")


def _s3_object(client: Any, where: S3Location) -> dict[str, Any] | None:
    """The object at this key, if there is one."""
    from botocore.exceptions import ClientError

    if not where.key or where.key.endswith("/"):
        return None
    try:
        head = client.head_object(Bucket=where.bucket, Key=where.key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
            return None
        raise
    return _s3_file(where.bucket, where.key, head["ContentLength"])


def _s3_prefix(client: Any, where: S3Location, url: str, most: int) -> list[dict[str, Any]]:
    """Every object under the key as a folder, in key order."""
    prefix = where.key if not where.key or where.key.endswith("/") else f"{where.key}/"
    found: list[dict[str, Any]] = []
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=where.bucket, Prefix=prefix)
    for page in pages:
        for obj in page.get("Contents", []):
            if obj["Key"].endswith("/"):
                continue  # a folder marker
            found.append(_s3_file(where.bucket, obj["Key"], obj["Size"]))
            if len(found) > most:
                raise SourceError(f"{url} holds more than {most} objects")
    return found


def _s3_listing(settings: Settings, url: str, creds: dict[str, str]) -> list[dict[str, Any]]:
    """The object at `url`, or else every object under it as a prefix."""
    from botocore.exceptions import BotoCoreError, ClientError

    where = s3_location(url)
    if not where.bucket:
        raise SourceError(f"{url} names no bucket")
    client = _s3_client(settings, creds)
    try:
        one = _s3_object(client, where)
        found = [one] if one else _s3_prefix(client, where, url, settings.extract_max_members)
    except (ClientError, BotoCoreError) as exc:
        raise _s3_error(url, exc) from exc
    if not found:
        raise SourceError(f"{url}: no object has this key or starts with it")
    return found


def _s3_file(bucket: str, key: str, size: int) -> dict[str, Any]:
    return {"s3": [bucket, key], "name": PurePosixPath(key).name, "size": size}


async def listing(settings: Settings, source: dict[str, Any]) -> list[dict[str, Any]]:
    """The source's files, in the order they are read: {"name", and "url",
    "s3" [bucket, key] or "path"}."""
    if "path" in source:
        return [{"path": source["path"], "name": source.get("name", "")}]
    url = source["url"]
    if urlsplit(url).scheme == S3_SCHEME:
        return await asyncio.to_thread(_s3_listing, settings, url, source.get("s3", {}))
    return [{"url": url, "name": file_name(url)}]


def _s3_download(settings: Settings, creds: dict[str, str], file: dict[str, Any], to: Path) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, key = file["s3"]
    url = f"s3://{bucket}/{key}"
    if file["size"] > settings.extract_max_bytes:
        raise SourceError(
            f"{url} has {file['size']} bytes; the limit is {settings.extract_max_bytes}"
        )
    try:
        _s3_client(settings, creds).download_file(bucket, key, str(to))
    except (ClientError, BotoCoreError) as exc:
        raise _s3_error(url, exc) from exc


async def local_copy(
    db: Database, settings: Settings, source: dict[str, Any], file: dict[str, Any], to: Path
) -> Path:
    """A local file of the source's `file`: downloaded to `to`, or the
    upload's own file."""
    if "path" in file:
        path = Path(file["path"])
        if not path.is_file():
            raise SourceError("the upload's content is no longer there")
        return path
    if to.exists():
        return to  # downloaded by an earlier run of the job
    partial_to = to.with_suffix(".part")
    if "s3" in file:
        await asyncio.to_thread(_s3_download, settings, source.get("s3", {}), file, partial_to)
    else:
        fetcher = Fetcher(db, settings)
        fetcher.open_client()
        try:
            await fetcher.save(file["url"], partial_to, settings.extract_max_bytes)
        except FetchError as exc:
            raise SourceError(str(exc)) from exc
        finally:
            await fetcher.stop()
    partial_to.replace(to)
    return to
