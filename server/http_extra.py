"""Plain HTTP routes served on the REST port beside the API's own (hosted
media, export downloads), and what they share with the API routes: the
request-id header, status-only answers, and authorized blob downloads.
Modules register their routes with @download(...) at import.

Downloads take credentials as the reference's secure data hosting takes
them: an `Authorization: Key <token>` header, an `X-Clarifai-Session-Token`
header, an `x_clarifai_session_token` or `x-clarifai-api-key` cookie. There
are no login sessions here, so a session token is any key's token. The key
needs the rights of the Get call for what is downloaded. Without any: 404,
as the reference answers; with a key it does not know: 401.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from server import contract
from server.auth import Access, authorize
from server.convert import to_json
from server.dispatch import Dispatcher
from server.logs import log_call, new_request_id, request_id
from server.status import ApiError, Code, http_status, internal_error, make_status
from storage.blobs import BlobStore

log = logging.getLogger("clarifai_local.rest")
routes = web.RouteTableDef()
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
REQUEST_ID_HEADER = "X-Clarifai-Request-ID"


SESSION_HEADER = "X-Clarifai-Session-Token"
# The reference's own secure hosting tests name the session token cookie
# with underscores; a cookie named like the header is taken too.
SESSION_COOKIES = ("x_clarifai_session_token", "x-clarifai-session-token")
KEY_COOKIE = "x-clarifai-api-key"


def status_response(
    code: int, details: str, req_id: str, headers: dict[str, str] | None = None
) -> web.Response:
    """An answer that is only a Clarifai status, with its HTTP status."""
    body = {"status": to_json(make_status(code, details, req_id))}
    return web.json_response(
        body, status=http_status(code), headers={REQUEST_ID_HEADER: req_id, **(headers or {})}
    )


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
    """The caller's access to user_id/app_id, with the rights `method` needs."""
    header = credentials(request)
    if header is None:
        raise ApiError(
            Code.CONN_DOES_NOT_EXIST,
            f"nothing is served at {request.path} without credentials: an Authorization: Key "
            f"header, an {SESSION_HEADER} header or cookie, or an {KEY_COOKIE} cookie",
        )
    access = await authorize(session, contract.methods()[method], header, user_id, app_id)
    if access.app is None:
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"{request.path} names no app")
    return access


async def stream_blob(
    request: web.Request, store: BlobStore, key: str, headers: dict[str, str]
) -> web.StreamResponse:
    info = await store.stat(key)
    if info is None:
        raise ApiError(Code.CONN_DOES_NOT_EXIST, f"nothing is stored at {request.path}")
    response = web.StreamResponse(
        headers={"Content-Type": info.content_type, REQUEST_ID_HEADER: request_id.get(), **headers}
    )
    response.content_length = info.size
    await response.prepare(request)
    async for chunk in store.read(key):
        await response.write(chunk)
    await response.write_eof()
    return response


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def download(path: str) -> Callable[[Handler], Handler]:
    """Register a GET route whose handler may raise ApiError: it is answered
    as a status, and every call is logged with its request id."""

    def register(handler: Handler) -> Handler:
        async def route(request: web.Request) -> web.StreamResponse:
            req_id = new_request_id()
            started = time.perf_counter()
            try:
                response = await handler(request)
                code = Code.SUCCESS
            except ApiError as err:
                response, code = status_response(err.code, err.details, req_id), err.code
            except ConnectionResetError:
                raise  # the client left mid-download: nobody to answer
            except Exception:
                log.exception("GET %s failed unexpectedly (req_id %s)", request.path, req_id)
                status = internal_error(req_id)
                response = status_response(status.code, status.details, req_id)
                code = status.code
            log_call(f"GET {path.split('/{')[0]}", code, started, "rest")
            return response

        routes.get(path)(route)
        return handler

    return register
