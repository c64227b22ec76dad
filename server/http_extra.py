"""Plain HTTP routes served on the REST port beside the API's own (hosted
media, export downloads), and what they share with the API routes: the
request-id header, status-only answers, and authorized blob downloads.
Modules register their routes with @download(...) at import.

Who may download, in this order:
- a presigned URL, as the API hands out for exports (like S3's): the query
  carries `Expires` (seconds since 1970) and `Signature`, an HMAC-SHA256
  over the method, the path and the expiry, keyed by a secret all server
  processes share (a file in the data directory). It lets anyone holding it
  download until it expires; credentials sent beside it are not read. A
  tampered or expired one answers 403, as S3 does.
- credentials, as the reference's secure data hosting takes them: an
  `Authorization: Key <token>` header, an `X-Clarifai-Session-Token` header,
  an `x_clarifai_session_token` or `x-clarifai-api-key` cookie. There are no
  login sessions here, so a session token is any key's token. The key needs
  the rights of the Get call for what is downloaded. Without any: 404, as
  the reference answers; with a key it does not know: 401.
"""

from __future__ import annotations

import base64
import hmac
import logging
import os
import re
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from server import contract
from server.auth import Access, authorize
from server.config import Settings
from server.convert import to_json
from server.dispatch import Dispatcher
from server.logs import log_call, new_request_id, request_id
from server.status import (
    ApiError,
    Code,
    http_status,
    internal_error,
    make_status,
    not_found,
    unavailable,
)
from storage import apps as app_store
from storage import files
from storage.availability import CommitUnknownError, disconnected, summary
from storage.blobs import BlobStore, content_type_of

log = logging.getLogger("clarifai_local.rest")
routes = web.RouteTableDef()
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
REQUEST_ID_HEADER = "X-Clarifai-Request-ID"


EXPIRES = "Expires"
SIGNATURE = "Signature"
SECRET_FILE = "url-signing.key"
SESSION_HEADER = "X-Clarifai-Session-Token"
# The reference's own secure hosting tests name the session token cookie
# with underscores; a cookie named like the header is taken too.
SESSION_COOKIES = ("x_clarifai_session_token", "x-clarifai-session-token")
KEY_COOKIE = "x-clarifai-api-key"


def status_response(
    code: int,
    details: str,
    req_id: str,
    headers: dict[str, str] | None = None,
    *,
    http: int | None = None,
) -> web.Response:
    """An answer that is only a Clarifai status, with its HTTP status
    (the code's own unless `http` says otherwise)."""
    body = {"status": to_json(make_status(code, details, req_id))}
    return web.json_response(
        body,
        status=http or http_status(code),
        headers={REQUEST_ID_HEADER: req_id, **(headers or {})},
    )


class SignatureError(ApiError):
    """A presigned URL that is not good: answered 403, as S3 answers one."""

    http = 403

    def __init__(self, details: str) -> None:
        super().__init__(Code.CONN_CREDENTIALS_INVALID, details)


def base_url(settings: Settings) -> str:
    """Where users reach the REST port: the prefix of download URLs."""
    return (settings.public_url or f"http://localhost:{settings.rest_port}").rstrip("/")


@cache
def _secret(data_dir: Path) -> bytes:
    """The key URLs are signed with. Made once by whichever process gets
    there first (linked into place, so no process reads half of it) in the
    data directory every server process shares."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        files.private_dir(data_dir)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        fd = files.create_private(tmp)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: its key is the one
        finally:
            tmp.unlink()
    return bytes.fromhex(path.read_text().strip())


def _signature(secret: bytes, path: str, expires: int) -> str:
    mac = hmac.digest(secret, f"GET\n{path}\n{expires}".encode(), "sha256")
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


# What quote() leaves as it is: a path made of these needs no quoting.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~/-]*")


def signed_url(settings: Settings, path: str, *, now: float | None = None) -> str:
    """A presigned URL for GET `path`, lasting settings.url_expiry_s. The
    expiry is rounded up to a step (300 s at most), so the URLs handed out
    within a step are the same and clients can cache by URL."""
    return _signed_url(
        base_url(settings), _secret(settings.data_dir), path, url_expiry(settings, now)
    )


def url_expiry(settings: Settings, now: float | None = None) -> int:
    """When a URL signed at `now` expires (Unix time), rounded up to its step."""
    lifetime = settings.url_expiry_s
    step = max(1, min(300, lifetime // 12))
    return (int((time.time() if now is None else now) + lifetime) // step + 1) * step


# A page of inputs signs each one's URL: within a step the same URL is made
# again (a list read twice), so it is kept rather than signed anew.
@lru_cache(maxsize=16384)
def _signed_url(base: str, secret: bytes, path: str, expires: int) -> str:
    # Digits and URL-safe base64: nothing in the query to encode.
    signature = _signature(secret, path, expires)
    quoted = path if _UNQUOTED.fullmatch(path) else quote(path)
    return f"{base}{quoted}?{EXPIRES}={expires}&{SIGNATURE}={signature}"


def _signed(request: web.Request, settings: Settings) -> bool:
    """Whether the request's URL is presigned (False when it carries no
    signature); raises SignatureError when the signature is not good."""
    query = request.query
    if EXPIRES not in query and SIGNATURE not in query:
        return False
    expires, signature = query.get(EXPIRES, ""), query.get(SIGNATURE, "")
    if not (expires.isascii() and expires.isdigit() and len(expires) <= 12) or not signature:
        raise SignatureError(
            f"a signed URL carries both {EXPIRES} (seconds since 1970) and {SIGNATURE}"
        )
    expected = _signature(_secret(settings.data_dir), request.path, int(expires))
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise SignatureError(
            "the signature does not match this URL: use the URL as the API gave it, "
            "or send credentials without the signature"
        )
    if int(expires) <= time.time():
        when = datetime.fromtimestamp(int(expires), UTC).isoformat().replace("+00:00", "Z")
        raise SignatureError(f"the signed URL expired at {when}: ask the API for a fresh one")
    return True


def credentials(request: web.Request) -> str | None:
    """The caller's key as an `Authorization` value, read from the header or
    from where the reference's secure data hosting also reads a token (the
    session token header and cookies, the API key cookie); None without."""
    if header := request.headers.get("Authorization", "").strip():
        return header
    cookies = request.cookies
    token = request.headers.get(SESSION_HEADER, "").strip() or next(
        (cookies[c].strip() for c in (*SESSION_COOKIES, KEY_COOKIE) if cookies.get(c, "").strip()),
        "",
    )
    return f"Key {token}" if token else None


async def authorize_as(
    session: AsyncSession, request: web.Request, method: str, user_id: str, app_id: str
) -> Access:
    """The request's access to user_id/app_id: a presigned URL's (to the
    app it names, as the server that signed it allowed), or the caller's,
    with the rights `method` needs."""
    settings = request.app[DISPATCHER].settings
    if _signed(request, settings):
        app = await app_store.get(session, user_id, app_id)
        if app is None:
            raise not_found("app", f"{user_id}/{app_id}")
        return Access(caller=None, app=app_store.scope_of(app), app_row=app)
    header = credentials(request)
    if header is None:
        raise ApiError(
            Code.CONN_DOES_NOT_EXIST,
            f"nothing is served at {request.path} without credentials: an Authorization: Key "
            f"header, an {SESSION_HEADER} header or cookie, an {KEY_COOKIE} cookie, "
            "or a signed URL",
        )
    cache = request.app[DISPATCHER].db.auth_cache
    access = await authorize(session, cache, contract.methods()[method], header, user_id, app_id)
    if access.app is None:
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"{request.path} names no app")
    return access


def _blob_headers(content_type: str, headers: dict[str, str]) -> dict[str, str]:
    return {"Content-Type": content_type, REQUEST_ID_HEADER: request_id.get(), **headers}


def send_kept(key: str, data: bytes, headers: dict[str, str]) -> web.Response:
    """Bytes kept in a row under a blob's key, served as the blob would be."""
    return web.Response(body=data, headers=_blob_headers(content_type_of(key), headers))


async def stream_blob(
    request: web.Request, store: BlobStore, key: str, headers: dict[str, str]
) -> web.StreamResponse:
    info = await store.stat(key)
    if info is None:
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"nothing is stored at {request.path}")
    response = web.StreamResponse(headers=_blob_headers(info.content_type, headers))
    response.content_length = info.size
    await response.prepare(request)
    async for chunk in store.read(key):
        await response.write(chunk)
    await response.write_eof()
    return response


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _refuse_nul(request: web.Request) -> None:
    """Path segments name stored rows: PostgreSQL text cannot hold U+0000."""
    for name, value in request.match_info.items():
        if "\0" in value:
            raise ApiError(
                Code.CONN_INVALID_REQUEST,
                f"path segment {name} contains a NUL character (U+0000), which is not allowed",
            )


def download(path: str) -> Callable[[Handler], Handler]:
    """Register a GET route whose handler may raise ApiError: it is answered
    as a status, and every call is logged with its request id."""

    def register(handler: Handler) -> Handler:
        async def route(request: web.Request) -> web.StreamResponse:
            req_id = new_request_id()
            started = time.perf_counter()
            try:
                _refuse_nul(request)
                response = await handler(request)
                code = Code.SUCCESS
            except ApiError as err:
                http = getattr(err, "http", None)
                response = status_response(err.code, err.details, req_id, http=http)
                code = err.code
            except ConnectionResetError:
                raise  # the client left mid-download: nobody to answer
            except Exception as exc:
                if disconnected(exc):  # one line: the database is away
                    log.warning("GET %s: %s (req_id %s)", path, summary(exc), req_id)
                    status = unavailable(req_id, isinstance(exc, CommitUnknownError))
                else:
                    log.exception("GET %s failed unexpectedly (req_id %s)", path, req_id)
                    status = internal_error(req_id)
                response = status_response(status.code, status.details, req_id)
                code = status.code
            log_call(f"GET {path.split('/{')[0]}", code, started, "rest")
            return response

        routes.get(path)(route)
        return handler

    return register
