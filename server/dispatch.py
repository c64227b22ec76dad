"""The one place between the edges and the handlers.

For each call it resolves the caller and checks auth and scopes (from the
contract), opens the transaction, runs the handler, and turns any failure into
the RPC's own response type with `status` set, rolling back so nothing is
written. Both the gRPC and the REST edge call `Dispatcher.dispatch`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from server import contract
from server.auth import Access, Caller, authorize
from server.config import Settings
from server.services import Handler
from server.status import ApiError, Code, http_status, make_status
from storage.apps import AppScope
from storage.db import Database

log = logging.getLogger("clarifai_local.dispatch")


@dataclass
class Call:
    """What a handler gets besides its request."""

    session: AsyncSession
    access: Access
    method: contract.Method
    req_id: str
    settings: Settings

    @property
    def caller(self) -> Caller:
        if self.access.caller is None:
            raise ApiError(Code.CONN_INVALID_REQUEST, "this call needs an authenticated caller")
        return self.access.caller

    @property
    def app(self) -> AppScope:
        """The app the request names (or the app key implies)."""
        if self.access.app is None:
            raise ApiError(Code.CONN_INVALID_REQUEST, "user_app_id.app_id is required")
        return self.access.app

    @property
    def user_id(self) -> str:
        return self.caller.user_id


def target_ids(request: Message) -> tuple[str, str]:
    if "user_app_id" not in request.DESCRIPTOR.fields_by_name:
        return "", ""
    ids = request.user_app_id  # type: ignore[attr-defined]
    return ids.user_id, ids.app_id


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

    async def dispatch(
        self, name: str, request: Message, authorization: str | None, req_id: str
    ) -> Message:
        method = contract.methods()[name]
        try:
            async with self.db.transaction() as session:
                user_id, app_id = target_ids(request)
                access = await authorize(session, method, authorization, user_id, app_id)
                call = Call(session, access, method, req_id, self.settings)
                response = await self.handlers[name](call, request)
                status = response.status  # type: ignore[attr-defined]
                if not status.code:
                    status.CopyFrom(make_status(Code.SUCCESS))
                status.req_id = req_id
                if http_status(status.code) >= 400:
                    # A handler that reports failure writes nothing either.
                    raise _ReportedFailureError(response)
                return response
        except _ReportedFailureError as discarded:
            return discarded.response
        except ApiError as err:
            log.info("%s refused: %s", name, err)
            return _failure(method, err.to_status(req_id))
        except Exception:
            log.exception("%s failed unexpectedly (req_id %s)", name, req_id)
            return _failure(
                method,
                make_status(
                    Code.INTERNAL_UNCATEGORIZED,
                    f"an unexpected error occurred; quote request id {req_id} to the operator",
                    req_id,
                ),
            )


class _ReportedFailureError(Exception):
    """Leaves the transaction with a rollback, keeping the handler's response."""

    def __init__(self, response: Message) -> None:
        self.response = response


def _failure(method: contract.Method, status: Any) -> Message:
    response = method.response_type()
    response.status.CopyFrom(status)  # type: ignore[attr-defined]
    return response
