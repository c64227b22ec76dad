"""The one place between the edges and the handlers.

For each call it resolves the caller and checks auth and scopes (from the
contract), opens the transaction, runs the handler, and turns any failure into
the RPC's own response type with `status` set, rolling back so nothing is
written. Both the gRPC and the REST edge call `Dispatcher.dispatch`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from clarifai.api.status import status_pb2
from google.protobuf.message import Message
from psycopg.errors import ForeignKeyViolation, UniqueViolation
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession

from server import after_answer, contract, jobs, limits, reference, screening
from server.admission import Admission
from server.auth import Access, Caller, authenticate, authorize
from server.config import Settings
from server.contract import AuthType
from server.convert import nul_at
from server.services import Handler, request_checks
from server.status import (
    ApiError,
    Code,
    http_status,
    internal_error,
    make_status,
    unavailable,
)
from storage import blobs, transaction_hooks
from storage.apps import App, AppScope
from storage.availability import CommitUnknownError, conflicted, disconnected, summary
from storage.db import Database
from storage.store import Store
from storage.transaction_hooks import COMMIT, ROLLBACK

if TYPE_CHECKING:
    from server.fetch import Fetcher

log = logging.getLogger("clarifai_local.dispatch")
_NO_APP = "user_app_id.app_id is required"


@dataclass
class Call:
    """What a handler gets besides its request: who calls, on which app,
    and `store`, the call's storage (its transaction, scoped to that app
    and user)."""

    _session: AsyncSession = field(repr=False)
    access: Access
    method: contract.Method
    req_id: str
    settings: Settings
    # The server's database, for work after the call's transaction.
    db: Database
    # The server's URL downloader (None where it downloads nothing).
    fetcher: Fetcher | None = None
    # Set by a handler whose writes stand though it reports failure (every
    # item of a batch failed, and what it wrote records that, such as an
    # inputs add job counting the failed inputs).
    keep_writes: bool = False

    @cached_property
    def store(self) -> Store:
        return Store(self._session, lambda: self.app, lambda: self.user_id, blobs=self.blobs)

    @cached_property
    def blobs(self) -> blobs.BlobStore:
        return blobs.store_for(self.settings.data_dir)

    def after_commit(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` once the call's writes are committed (not if it fails)."""
        transaction_hooks.when_done(self._session, COMMIT, work)

    async def enqueue(
        self, kind: str, payloads: list[dict[str, Any]], app: AppScope | None = None
    ) -> None:
        """Queue background jobs (server/jobs.py) with the call's writes: they
        exist, and runners wake for them, exactly when the call commits.
        They are the call's app's, or `app`'s (a user-level call's app)."""
        await jobs.enqueue_many(self._session, app or self.app, kind, payloads)

    def after_answer(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` once the call's writes are committed and its answer is
        written (not if it fails): what the caller need not wait for."""
        self.after_commit(after_answer.deferred(work))

    def after_rollback(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` if the call's writes are rolled back."""
        transaction_hooks.when_done(self._session, ROLLBACK, work)

    @property
    def caller(self) -> Caller:
        if self.access.caller is None:
            raise ApiError(Code.CONN_INVALID_REQUEST, "this call needs an authenticated caller")
        return self.access.caller

    @property
    def app(self) -> AppScope:
        """The app the request names (or the app key implies)."""
        if self.access.app is None:
            raise ApiError(Code.CONN_INVALID_REQUEST, _NO_APP)
        return self.access.app

    @property
    def app_row(self) -> App:
        """The same app's stored row, as authorization loaded it."""
        if self.access.app_row is None:
            raise ApiError(Code.CONN_INVALID_REQUEST, _NO_APP)
        return self.access.app_row

    @property
    def user_id(self) -> str:
        return self.caller.user_id


class Dispatcher:
    def __init__(self, db: Database, settings: Settings, handlers: dict[str, Handler]) -> None:
        declared = set(contract.methods())
        missing = declared - set(handlers)
        extra = set(handlers) - declared
        if missing or extra:
            raise RuntimeError(
                f"handlers and protos/ disagree: no handler for {sorted(missing)}, "
                f"handler without RPC for {sorted(extra)}"
            )
        self.db = db
        self.settings = settings
        self.handlers = handlers
        self.checks = {name: request_checks(h) for name, h in handlers.items()}
        # The server's URL downloader, once started: calls that download in
        # the request (PostModelOutputs' URL inputs) share its guard and
        # connections.
        self.fetcher: Fetcher | None = None
        self.admission = Admission(settings.calls_at_once, settings.calls_lease_s)

    async def dispatch(
        self, name: str, request: Message, authorization: str | None, req_id: str
    ) -> Message:
        method = contract.methods()[name]
        # One walk finds nearly every request clean: only one that is not is
        # walked again, by the checks that name where the problem is.
        clean = screening.clean(request)
        refused = self._refused_early(method, request, req_id, clean)
        if refused is not None:
            return refused
        if method.names_app:
            ids = request.user_app_id  # type: ignore[attr-defined]
            user_id, app_id = ids.user_id, ids.app_id if method.resolves_app else ""
        else:
            user_id = app_id = ""
        async with self.admission.turn():
            return await self._run(method, request, authorization, user_id, app_id, req_id, clean)

    def _refused_early(
        self, method: contract.Method, request: Message, req_id: str, clean: bool
    ) -> Message | None:
        """The answer to a call refused before it reaches the database."""
        if not clean and (where := nul_at(request)):
            # PostgreSQL text cannot hold U+0000: refused before auth reads ids.
            log.info("%s refused: %s holds a NUL character", method.name, where)
            details = f"{where} contains a NUL character (U+0000), which is not allowed"
            return failure(method, make_status(Code.CONN_INVALID_REQUEST, details, req_id))
        if (away := self._database_away(req_id)) is not None:
            return failure(method, away)
        return None

    def _database_away(self, req_id: str) -> status_pb2.Status | None:
        """The retryable status while the database is known to be away."""
        if self.db.availability.serving:
            return None
        self.db.availability.refuse()
        return unavailable(req_id)

    async def _failed(self, exc: Exception, name: str, req_id: str) -> status_pb2.Status:
        """The status of a call that failed with `exc` (not a transient
        failure it may run again after)."""
        if disconnected(exc):
            # Lost before COMMIT and retried as far as it goes, or lost during
            # COMMIT (not known to be saved): retryable.
            await self.db.availability.lost(exc)
            self.db.availability.refuse()
            return unavailable(req_id, isinstance(exc, CommitUnknownError))
        if isinstance(exc, PoolTimeoutError):
            log.warning("%s waited too long for a database connection (req_id %s)", name, req_id)
            details = "every database connection of this server process stayed in use; retry later"
            return make_status(Code.RPC_SERVER_UNAVAILABLE, details, req_id)
        refused = _refusal(exc)
        if refused is None:
            log.exception("%s failed unexpectedly (req_id %s)", name, req_id)
            return internal_error(req_id)
        log.info("%s refused: %s", name, refused)
        return refused.to_status(req_id)

    async def _run(
        self,
        method: contract.Method,
        request: Message,
        authorization: str | None,
        user_id: str,
        app_id: str,
        req_id: str,
        clean: bool,
    ) -> Message:
        """The call in its transaction, run again while it fails transiently."""
        name = method.name
        attempt = 1
        while True:
            try:
                return await self._once(
                    method, request, authorization, user_id, app_id, req_id, clean
                )
            except _ReportedFailureError as discarded:
                return discarded.response
            except Exception as exc:
                if _transient(exc) and attempt < _ATTEMPTS:
                    # The whole call rolled back: running it again is safe.
                    if attempt > 1:
                        await asyncio.sleep(0.02 * attempt)
                    attempt += 1
                    log.info("%s retried after %s (req_id %s)", name, summary(exc), req_id)
                    continue
                return failure(method, await self._failed(exc, name, req_id))

    async def unserved(
        self, rpc: reference.Rpc, authorization: str | None, req_id: str
    ) -> status_pb2.Status:
        """The status answering an RPC of the reference that protos/ does not
        declare. The caller is authenticated first, as for a served call, so a
        missing or bad key reads the same whatever it calls; then
        NOT_IMPLEMENTED (the reference's generic "Not implemented": the RPC
        exists in the API, this server lacks it) names the method."""
        if rpc.auth_type != AuthType.NoAuth:
            if (away := self._database_away(req_id)) is not None:
                return away
            try:
                async with self.db.transaction() as session:
                    await authenticate(session, self.db.auth_cache, authorization)
            except Exception as exc:
                return await self._failed(exc, rpc.name, req_id)
        return make_status(
            Code.NOT_IMPLEMENTED, f"{rpc.name} is not implemented by this server", req_id
        )

    async def _once(
        self,
        method: contract.Method,
        request: Message,
        authorization: str | None,
        user_id: str,
        app_id: str,
        req_id: str,
        clean: bool,
    ) -> Message:
        async with self.db.transaction() as session:
            access = await authorize(
                session, self.db.auth_cache, method, authorization, user_id, app_id
            )
            # Every list and string within its limit before the handler runs.
            if not clean:
                limits.check_request(self.checks[method.name], request)
            call = Call(session, access, method, req_id, self.settings, self.db, self.fetcher)
            response = await self.handlers[method.name](call, request)
            status = response.status  # type: ignore[attr-defined]
            if not status.code:
                status.CopyFrom(make_status(Code.SUCCESS))
            status.req_id = req_id
            if http_status(status.code) >= 400 and not call.keep_writes:
                # A handler that reports failure writes nothing either.
                raise _ReportedFailureError(response)
            return response


# A deadlock or serialization failure between concurrent calls is resolved by
# PostgreSQL aborting one of them; that one is run again from the start, as is
# a call whose connection was lost before its COMMIT (after a short pause).
_ATTEMPTS = 5


def _transient(exc: Exception) -> bool:
    """A failure of the whole call, rolled back, that running it again may
    not meet: a deadlock, a serialization failure, or a connection lost (the
    pool replaces it) before the call's COMMIT was sent."""
    if isinstance(exc, CommitUnknownError):
        return False
    return disconnected(exc) or conflicted(exc)


class _ReportedFailureError(Exception):
    """Leaves the transaction with a rollback, keeping the handler's response."""

    def __init__(self, response: Message) -> None:
        self.response = response


def _refusal(exc: Exception) -> ApiError | None:
    """The Clarifai failure an exception stands for, or None for a bug.

    A unique constraint breaks when a concurrent call wrote the same id after
    this call checked it (the handlers' own checks name the field otherwise);
    the database's detail says which key it was."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, IntegrityError) and isinstance(exc.orig, UniqueViolation):
        return ApiError(
            Code.DATABASE_DUPLICATE_KEY,
            f"{_taken(exc.orig.diag.message_detail or '')} (another call wrote it meanwhile)",
        )
    if isinstance(exc, IntegrityError) and isinstance(exc.orig, ForeignKeyViolation):
        # Something this call refers to was deleted by a concurrent call after
        # this one checked it.
        return ApiError(
            Code.CONN_DOES_NOT_EXIST, "an object this request refers to was deleted meanwhile"
        )
    return None


_KEY_DETAIL = re.compile(r"Key \((?P<columns>[^)]*)\)=\((?P<values>.*)\) already exists")


def _taken(detail: str) -> str:
    """PostgreSQL's "Key (app_pk, id)=(3, x) already exists." in the API's
    terms: the public columns only (internal *_pk columns say nothing to a
    caller)."""
    found = _KEY_DETAIL.search(detail)
    if not found:
        return "an object with the same id already exists"
    columns = found["columns"].split(", ")
    values = found["values"].split(", ", len(columns) - 1)
    named = [f"{c} '{v}'" for c, v in zip(columns, values, strict=False) if not c.endswith("_pk")]
    return f"{', '.join(named) or 'the id'} already exists"


def failure(method: contract.Method, status: status_pb2.Status) -> Message:
    """The RPC's own response type, empty but for the failure's status."""
    response = method.response_type()
    response.status.CopyFrom(status)  # type: ignore[attr-defined]
    return response


def encode(
    method: contract.Method,
    response: Message,
    req_id: str,
    limit: int,
    to_bytes: Callable[[Message], bytes],
) -> tuple[int, bytes]:
    """The response as an edge sends it (`to_bytes`: protobuf or JSON), with
    its status code. One that cannot be encoded (a stored value protobuf or
    JSON cannot write) or is over `limit` bytes becomes a response of the
    same type holding only a status saying so: the call still ends with an
    answer the client can read."""
    try:
        body = to_bytes(response)
    except Exception as err:  # EncodeError, RecursionError, ValueError, ...
        log.warning(
            "%s: its response could not be encoded: %s: %s (req_id %s)",
            method.name,
            type(err).__name__,
            err,
            req_id,
        )
        status = make_status(
            Code.INTERNAL_UNCATEGORIZED,
            "the response could not be encoded (a stored value nests too deeply or is "
            f"malformed); quote request id {req_id} to the operator",
            req_id,
        )
    else:
        if len(body) <= limit:
            return response.status.code, body  # type: ignore[attr-defined]
        log.info(
            "%s: response of %d bytes over the limit (req_id %s)", method.name, len(body), req_id
        )
        status = make_status(
            Code.RPC_MAX_MESSAGE_SIZE_EXCEEDED,
            f"the response would be {len(body)} bytes, over this server's limit of {limit} "
            "bytes; ask for less at once (a smaller per_page, fewer ids)",
            req_id,
        )
    return status.code, to_bytes(failure(method, status))


def undecodable(method: contract.Method, err: Exception, req_id: str) -> Message:
    """The answer to request bytes that are not the RPC's request message."""
    reason = str(err).rpartition(": ")[2] or type(err).__name__
    if "MaxDepth" in reason or isinstance(err, RecursionError):
        reason = "messages nest deeper than protobuf's limit of 100 levels"
    log.info("%s refused: undecodable request: %s (req_id %s)", method.name, reason, req_id)
    return failure(
        method,
        make_status(
            Code.CONN_BAD_REQUEST_FORMAT,
            f"the request is not a valid {method.request_type.DESCRIPTOR.full_name}: {reason}",
            req_id,
        ),
    )
