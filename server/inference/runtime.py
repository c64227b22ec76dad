"""onnxruntime sessions and the thread pool every inference call runs in."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def threads_per_session() -> int:
    """Intra-op threads of one session: the cores, at most 4 (more gains little on these nets)."""
    return max(1, min(os.cpu_count() or 1, 4))


def session(path: str) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads_per_session()
    options.log_severity_level = 3  # warnings about unused initialisers are noise here
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


class Lazy(Generic[T]):
    """A value built on first use, once per process, whichever thread asks first."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def __call__(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._build()
                value = self._value
        return value

    @property
    def loaded(self) -> bool:
        return self._value is not None


def _pool_size() -> int:
    configured = os.environ.get("CLARIFAI_LOCAL_INFERENCE_THREADS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else os.cpu_count() or 1


_pool = Lazy(lambda: ThreadPoolExecutor(max_workers=_pool_size(), thread_name_prefix="inference"))


async def run(fn: Callable[..., T], *args: Any) -> T:
    """Run a synchronous inference call in the shared pool, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), fn, *args)
