"""RPC handlers, one module per resource family.

A handler is an async function named exactly after its RPC and registered
with @rpc; it takes the call context and the request and returns the RPC's
response (the dispatcher fills in `status` when the handler leaves it
unset). `load()` imports every module, and the server refuses to start unless
each RPC declared in protos/ has exactly one handler.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from server.checks import Checks

Handler = Callable[[Any, Any], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {}


def rpc(fn: Handler) -> Handler:
    if fn.__name__ in HANDLERS:
        raise RuntimeError(f"two handlers for {fn.__name__}")
    HANDLERS[fn.__name__] = fn
    return fn


def load() -> dict[str, Handler]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return HANDLERS


def request_checks(handler: Handler) -> Checks:
    """The checks a handler's family answers a malformed request with: its
    module's `request_check` where the request as a whole reads with another
    code than its objects, else its `check`."""
    module = sys.modules[handler.__module__]
    found = getattr(module, "request_check", None) or getattr(module, "check", None)
    return found if isinstance(found, Checks) else Checks()
