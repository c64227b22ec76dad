"""The transport ceiling: a bare grpc.aio server answering every call, of
any method, with the bytes of a file, doing nothing else.

Usage: python bench/echo.py PORT FILE [--processes N]  (N processes share
the port with SO_REUSEPORT, as `serve --workers N` does)
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import signal
import sys
from pathlib import Path

import grpc


class _Any(grpc.GenericRpcHandler):
    def __init__(self, reply: bytes) -> None:
        async def call(_request: bytes, _context: grpc.aio.ServicerContext) -> bytes:
            return reply

        self._handler = grpc.unary_unary_rpc_method_handler(call)

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler:
        return self._handler


async def serve(port: int, reply: bytes) -> None:
    server = grpc.aio.server(options=[("grpc.so_reuseport", 1)])
    server.add_generic_rpc_handlers((_Any(reply),))
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    # Through the loop, which wakes it: a plain signal handler would wait for
    # the idle loop's next wakeup to run.
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, sys.exit, 0)
    await server.wait_for_termination()


def _run(port: int, reply: bytes) -> None:
    asyncio.run(serve(port, reply))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("file", type=Path)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    reply = args.file.read_bytes()
    others = [
        multiprocessing.Process(target=_run, args=(args.port, reply), daemon=True)
        for _ in range(args.processes - 1)
    ]
    for process in others:
        process.start()
    _run(args.port, reply)


if __name__ == "__main__":
    main()
