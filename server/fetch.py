"""Downloads of URL inputs, in the background.

PostInputs stores a URL input as pending (30001) and returns. Every server
process runs a Fetcher: it claims pending rows (FOR UPDATE SKIP LOCKED, so
processes never take the same row), marks them in progress (30003),
downloads them into the blob store and records success (30000) or failure
(30002, details saying why). A claim that outlives its lease (its process
died) is taken again.

Downloads are bounded: the documented size limit of the input's kind (or
CLARIFAI_LOCAL_FETCH_MAX_BYTES), a total timeout, at most 5 redirects, http
and https only, and no private, loopback, link-local or otherwise
non-public addresses. Every address a host resolves to is checked, before
the request for a clear message and again by the connection's own resolver,
so a name that changes its answer in between cannot slip through.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import weakref
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from sqlalchemy.ext.asyncio import AsyncSession
from yarl import URL

from server import media
from server.config import Settings
from storage import blobs
from storage import inputs as input_store
from storage.db import Database

log = logging.getLogger("clarifai_local.fetch")

POLL_SECONDS = 1.0
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
HEAD_BYTES = 8192
CHUNK = 256 * 1024


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


_fetchers: weakref.WeakSet[Fetcher] = weakref.WeakSet()


def wake_after_commit(session: AsyncSession) -> None:
    """Have this process's fetchers look for work once the session commits
    (other processes find it on their next poll)."""
    blobs.when_done(session, "after_commit", _wake_all)


async def _wake_all() -> None:
    for fetcher in list(_fetchers):
        fetcher.wake()


def _limit(settings: Settings, kind: str) -> int:
    return settings.fetch_max_bytes or media.URL_LIMITS.get(kind, media.URL_LIMITS["image"])


class Fetcher:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.guard = AddressGuard(settings.fetch_allow_loopback)
        self.store = blobs.store_for(settings.data_dir)
        self.concurrency = max(1, settings.fetch_concurrency)
        # A claim older than this is presumed abandoned by a dead process.
        self.lease_seconds = settings.fetch_timeout_s + 60
        self._wakeup = asyncio.Event()
        self._inflight: dict[asyncio.Task[None], input_store.Claim] = {}
        self._loop_task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

    def wake(self) -> None:
        self._wakeup.set()

    async def start(self) -> None:
        self._http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                resolver=_GuardedResolver(self), limit=self.concurrency, use_dns_cache=False
            ),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10),
            headers={"User-Agent": "clarifai-local"},
        )
        _fetchers.add(self)
        self._loop_task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        _fetchers.discard(self)
        tasks = [t for t in (self._loop_task, *self._inflight) if t is not None]
        claims = list(self._inflight.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if claims:
            # Hand unfinished downloads back at once instead of after the lease.
            try:
                async with self.db.transaction() as session:
                    await input_store.release(session, claims)
            except Exception:
                log.exception("could not release %d downloads", len(claims))
        if self._http is not None:
            await self._http.close()

    async def _run(self) -> None:
        while True:
            self._wakeup.clear()
            free = self.concurrency - len(self._inflight)
            claims: list[input_store.Claim] = []
            if free > 0:
                try:
                    async with self.db.transaction() as session:
                        claims = await input_store.claim(session, free, self.lease_seconds)
                except Exception:
                    log.exception("download queue unavailable; retrying")
            for claim in claims:
                task = asyncio.create_task(self._process(claim))
                self._inflight[task] = claim
                task.add_done_callback(self._done)
            if claims and len(claims) == free:
                continue  # more may wait; the loop pauses once every slot is busy
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), POLL_SECONDS)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.pop(task, None)
        self._wakeup.set()

    async def _process(self, claim: input_store.Claim) -> None:
        key = ""
        info: dict[str, Any] | None = None
        try:
            key, info = await self.download(claim.app_pk, claim.media_kind, claim.url)
            outcome = dict(status_code=input_store.SUCCESS, blob_key=key, image_info=info)
        except FetchError as exc:
            outcome = dict(status_code=input_store.FAILED, details=str(exc))
        except Exception as exc:
            log.exception("download of input %s failed unexpectedly", claim.id)
            outcome = dict(status_code=input_store.FAILED, details=f"download failed: {exc}")
        try:
            async with self.db.transaction() as session:
                recorded = await input_store.finish_download(session, claim, **outcome)
        except Exception:
            log.exception("could not record the download of input %s", claim.id)
            recorded = False
        if not recorded and key:
            # The input was deleted (or its claim expired) meanwhile.
            await self.store.delete([key])

    async def download(
        self, app_pk: int, kind: str, source: str
    ) -> tuple[str, dict[str, Any] | None]:
        """Download `source` into the blob store; returns the blob key and,
        for images, the ImageInfo. Raises FetchError with the cause."""
        assert self._http is not None, "the fetcher is not started"
        try:
            async with asyncio.timeout(self.settings.fetch_timeout_s):
                return await self._follow(app_pk, kind, source)
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
        self, app_pk: int, kind: str, source: str
    ) -> tuple[str, dict[str, Any] | None]:
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
                return await self._keep(app_pk, kind, resp, str(url))
        raise FetchError(f"{source} redirects more than {MAX_REDIRECTS} times")

    async def _keep(
        self, app_pk: int, kind: str, resp: aiohttp.ClientResponse, url: str
    ) -> tuple[str, dict[str, Any] | None]:
        limit = _limit(self.settings, kind)
        too_big = (
            f"the file at {url} is larger than {media.describe_size(limit)}, "
            f"the limit for {kind} inputs"
        )
        if resp.content_length is not None and resp.content_length > limit:
            raise FetchError(too_big)

        async def chunks() -> AsyncIterator[bytes]:
            total = 0
            async for chunk in resp.content.iter_chunked(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise FetchError(too_big)
                yield chunk

        body = chunks()
        if kind == "video":
            # Streamed into the store; only the head is examined.
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
        # Images, audio and text (20 MB at most) are examined whole.
        data = bytearray()
        async for chunk in body:
            data += chunk
        examined = media.examine(kind, bytes(data))
        if examined.problem:
            raise FetchError(f"{url}: {examined.problem}")
        key = blobs.new_key(app_pk, examined.content_type)
        await self.store.put(key, bytes(data))
        return key, examined.image_info
