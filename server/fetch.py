"""Downloads of URL inputs, in the background.

PostInputs stores a URL input as pending (30001) and, in the same
transaction, queues a fetch job for it (server/jobs.py). Every server
process runs a Fetcher: a job runner of that kind alone, with
CLARIFAI_LOCAL_FETCH_CONCURRENCY workers. A fetch job marks its input in
progress (30003), downloads it into the blob store and records success
(30000) or failure (30002, details saying why). The job queue does the
rest: processes share it, an interrupted download goes back to pending and
its job to the queue, and a job whose process died is claimed again once
its lease lapses. An outcome recorded is counted in the input's inputs add
job, if it has one. A job that outlasts the download timeout plus time to
record it is cancelled; once its attempts are spent its input fails.

Downloads are bounded: the documented size limit of the input's kind (or
CLARIFAI_LOCAL_FETCH_MAX_BYTES), a total timeout, at most 5 redirects, http
and https only, and no private, loopback, link-local or otherwise
non-public addresses. Every address a host resolves to is checked, before
the request for a clear message and again by the connection's own resolver,
so a name that changes its answer in between cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from sqlalchemy.ext.asyncio import AsyncSession
from yarl import URL

from server import indexing, jobs, media
from server.config import Settings
from storage import blobs
from storage import inputs as input_store
from storage import inputs_add_jobs as add_jobs
from storage.db import Database

log = logging.getLogger("clarifai_local.fetch")
T = TypeVar("T")

# The job kind: one job per input, {"input_pk": ...}.
FETCH = "input.fetch"
# A fetch job's time beyond the download's own timeout: for marking its
# input and recording the outcome.
RECORD_SECONDS = 30.0
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
HEAD_BYTES = 8192
CHUNK = 256 * 1024


async def _finish(session: AsyncSession, input_pk: int, **outcome: Any) -> bool:
    """Record a download's outcome and count it in the input's inputs add
    job (its row taken first, as every writer of a job's inputs does);
    False when there was nothing to record."""
    await add_jobs.hold_job_of(session, input_pk)
    recorded = await input_store.finish_download(session, input_pk, **outcome)
    if recorded:
        await add_jobs.count_outcome(session, input_pk, outcome["status_code"])
        await indexing.downloaded(session, input_pk)
    return recorded


class FetchError(Exception):
    """A download that failed; the message is the cause users see."""


class RefusedAddressError(OSError):
    """An address downloads may not reach."""


class AddressGuard:
    def __init__(self, allow_loopback: bool = False) -> None:
        self.allow_loopback = allow_loopback

    def check(self, host: str, address: str) -> None:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_loopback:
            if self.allow_loopback:
                return
            kind = "loopback"
        elif ip.is_link_local:
            kind = "link-local"
        elif ip.is_unspecified or ip.is_multicast or ip.is_reserved:
            kind = "non-public"
        elif ip.is_private:
            kind = "private"
        elif not ip.is_global:
            kind = "non-public"
        else:
            return
        shown = host if host == str(ip) else f"{host} ({ip})"
        raise RefusedAddressError(
            f"{shown} is a {kind} address; downloads from {kind} addresses are refused"
        )

    async def resolve(self, host: str, port: int) -> None:
        """Resolve `host` and check every address it has."""
        try:
            ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            pass
        else:
            self.check(host, host)
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except socket.gaierror as exc:
            raise FetchError(f"the host {host} could not be resolved: {exc.strerror}") from exc
        for info in infos:
            self.check(host, str(info[4][0]))


class _GuardedResolver(AbstractResolver):
    """The connection's resolver: the system's answers, each checked."""

    def __init__(self, owner: Fetcher) -> None:
        self._owner = owner
        self._inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for result in results:
            self._owner.guard.check(host, result["host"])
        return results

    async def close(self) -> None:
        await self._inner.close()


def _limit(settings: Settings, kind: str) -> int:
    return settings.fetch_max_bytes or media.URL_LIMITS.get(kind, media.URL_LIMITS["image"])


def _too_big(url: str, kind: str, limit: int) -> str:
    return (
        f"the file at {url} is larger than {media.describe_size(limit)}, "
        f"the limit for {kind} inputs"
    )


class Fetcher:
    """The fetch jobs' handler, and the job runner that runs them."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.guard = AddressGuard(settings.fetch_allow_loopback)
        self.store = blobs.store_for(settings.data_dir)
        self.concurrency = max(1, settings.fetch_concurrency)
        kind = jobs.Kind(
            self._fetch,
            on_give_up=self._gave_up,
            time_limit=settings.fetch_timeout_s + RECORD_SECONDS,
        )
        self.runner = jobs.JobRunner(db, settings, workers=self.concurrency, kinds={FETCH: kind})
        self._http: aiohttp.ClientSession | None = None

    def wake(self) -> None:
        self.runner.wake()

    async def start(self) -> None:
        self.open_client()
        await self.runner.start()

    def open_client(self) -> None:
        """The HTTP client alone, for downloads outside the fetch jobs
        (close it with `stop`)."""
        self._http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                resolver=_GuardedResolver(self), limit=self.concurrency, use_dns_cache=False
            ),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10),
            headers={"User-Agent": "clarifai-local"},
        )

    async def stop(self) -> None:
        """Interrupt the downloads under way: their inputs wait again and
        their jobs go back to the queue at once."""
        await self.runner.stop()
        if self._http is not None:
            await self._http.close()

    async def _fetch(self, ctx: jobs.JobContext, payload: dict[str, Any]) -> None:
        async with self.db.transaction() as session:
            download = await input_store.start_download(session, payload["input_pk"])
        if download is None:
            return  # deleted, or recorded by an earlier run of the job
        try:
            outcome = await self._outcome(download)
        except asyncio.CancelledError:
            # Stopping, or out of time: the input waits for the job's next run.
            await self._release(download)
            raise
        await self._record(download, outcome)

    async def _release(self, download: input_store.Download) -> None:
        try:
            async with self.db.transaction() as session:
                await input_store.release_download(session, download.pk)
        except Exception:  # it shows in progress until its job runs again
            log.exception("could not put the download of input %s back", download.id)

    async def _outcome(self, download: input_store.Download) -> dict[str, Any]:
        """The input's new status, details, blob and image info."""
        try:
            key, info = await self.download(download.app_pk, download.media_kind, download.url)
        except FetchError as exc:
            return dict(status_code=input_store.FAILED, details=str(exc))
        except Exception as exc:
            log.exception("download of input %s failed unexpectedly", download.id)
            return dict(status_code=input_store.FAILED, details=f"download failed: {exc}")
        return dict(status_code=input_store.SUCCESS, blob_key=key, image_info=info)

    async def _record(self, download: input_store.Download, outcome: dict[str, Any]) -> None:
        """Record the outcome (a failure to record it raises: the job runs
        again); a blob that was not recorded goes."""
        key, recorded = outcome.get("blob_key", ""), False
        try:
            async with self.db.transaction() as session:
                recorded = await _finish(session, download.pk, **outcome)
        finally:
            if not recorded and key:
                # Not recorded, or the input was deleted (or its download
                # recorded) meanwhile.
                await self.store.delete([key])

    async def _gave_up(self, ctx: jobs.JobContext, payload: dict[str, Any], error: str) -> None:
        async with self.db.transaction() as session:
            await _finish(
                session,
                payload["input_pk"],
                status_code=input_store.FAILED,
                details=f"download failed: {error}",
            )

    async def download(
        self, app_pk: int, kind: str, source: str
    ) -> tuple[str, dict[str, Any] | None]:
        """Download `source` into the blob store; returns the blob key and,
        for images, the ImageInfo. Raises FetchError with the cause."""
        return await self._get(source, partial(self._keep, app_pk, kind))

    async def fetch(self, kind: str, source: str) -> bytes:
        """Download `source` into memory (a prediction's URL input, not
        kept): the same limits, redirects, timeout and address rules as the
        fetch jobs. Raises FetchError with the cause."""
        return await self._get(source, partial(self._read, kind))

    async def save(self, source: str, path: Path, limit: int) -> None:
        """Download `source` into the file `path` (a data source's archive):
        the same redirects, timeout and address rules as the fetch jobs, at
        most `limit` bytes. Raises FetchError with the cause."""
        await self._get(source, partial(self._write, path, limit))

    async def _get(
        self, source: str, keep: Callable[[aiohttp.ClientResponse, str], Awaitable[T]]
    ) -> T:
        assert self._http is not None, "the fetcher is not started"
        try:
            async with asyncio.timeout(self.settings.fetch_timeout_s):
                return await self._follow(source, keep)
        except TimeoutError as exc:
            raise FetchError(
                f"the download of {source} took longer than {self.settings.fetch_timeout_s:g} s"
            ) from exc
        except RefusedAddressError as exc:
            raise FetchError(str(exc)) from exc
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, RefusedAddressError):
                raise FetchError(str(exc.os_error)) from exc
            raise FetchError(f"could not connect to download {source}: {exc.strerror}") from exc
        except aiohttp.ClientError as exc:
            raise FetchError(f"the download of {source} failed: {exc}") from exc

    async def _follow(
        self, source: str, keep: Callable[[aiohttp.ClientResponse, str], Awaitable[T]]
    ) -> T:
        assert self._http is not None
        url = URL(source)
        for _ in range(MAX_REDIRECTS + 1):
            if url.scheme not in ("http", "https") or not url.host:
                raise FetchError(f"{url} is not an http or https URL")
            await self.guard.resolve(url.host, url.port or 0)
            async with self._http.get(url, allow_redirects=False) as resp:
                location = resp.headers.get("Location")
                if resp.status in REDIRECTS and location:
                    url = resp.url.join(URL(location))
                    continue
                if resp.status >= 400:
                    side = "Client" if resp.status < 500 else "Server"
                    raise FetchError(f"{resp.status} {side} Error: {resp.reason} for url: {url}")
                return await keep(resp, str(url))
        raise FetchError(f"{source} redirects more than {MAX_REDIRECTS} times")

    async def _read(self, kind: str, resp: aiohttp.ClientResponse, url: str) -> bytes:
        """The whole body, within the kind's size limit."""
        limit = _limit(self.settings, kind)
        if resp.content_length is not None and resp.content_length > limit:
            raise FetchError(_too_big(url, kind, limit))
        data = bytearray()
        async for chunk in resp.content.iter_chunked(CHUNK):
            data += chunk
            if len(data) > limit:
                raise FetchError(_too_big(url, kind, limit))
        return bytes(data)

    async def _write(self, path: Path, limit: int, resp: aiohttp.ClientResponse, url: str) -> None:
        too_big = f"the file at {url} is larger than {media.describe_size(limit)}"
        if resp.content_length is not None and resp.content_length > limit:
            raise FetchError(too_big)
        total = 0
        with path.open("wb") as out:
            async for chunk in resp.content.iter_chunked(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise FetchError(too_big)
                out.write(chunk)

    async def _keep(
        self, app_pk: int, kind: str, resp: aiohttp.ClientResponse, url: str
    ) -> tuple[str, dict[str, Any] | None]:
        limit = _limit(self.settings, kind)
        too_big = _too_big(url, kind, limit)
        if resp.content_length is not None and resp.content_length > limit:
            raise FetchError(too_big)

        async def chunks() -> AsyncIterator[bytes]:
            total = 0
            async for chunk in resp.content.iter_chunked(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise FetchError(too_big)
                yield chunk

        if kind == "video":
            return await self._keep_streamed(app_pk, kind, chunks())
        return await self._keep_whole(app_pk, kind, chunks(), url)

    async def _keep_streamed(
        self, app_pk: int, kind: str, body: AsyncIterator[bytes]
    ) -> tuple[str, dict[str, Any] | None]:
        """Videos are streamed into the store; only the head is examined."""
        head = bytearray()
        async for chunk in body:
            head += chunk
            if len(head) >= HEAD_BYTES:
                break
        examined = media.examine(kind, bytes(head))
        key = blobs.new_key(app_pk, examined.content_type)

        async def rest() -> AsyncIterator[bytes]:
            yield bytes(head)
            async for chunk in body:
                yield chunk

        await self.store.put(key, rest())
        return key, None

    async def _keep_whole(
        self, app_pk: int, kind: str, body: AsyncIterator[bytes], url: str
    ) -> tuple[str, dict[str, Any] | None]:
        """Images, audio and text (20 MB at most) are examined whole."""
        data = bytearray()
        async for chunk in body:
            data += chunk
        examined = media.examine(kind, bytes(data))
        if examined.problem:
            raise FetchError(f"{url}: {examined.problem}")
        key = blobs.new_key(app_pk, examined.content_type)
        await self.store.put(key, bytes(data))
        return key, examined.image_info
