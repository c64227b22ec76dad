"""The transport ceiling: a bare grpc.aio server answering every call, of
any method, with the bytes of a file, doing nothing else; with `--read`,
also running one SQL statement per call on a few psycopg connections
before answering (the transport and one database round trip, nothing of
ours: what a call that reads one row could at best do), on DATABASE_URL's
database (given in the environment: a URL may hold a password).

Usage: python bench/echo.py PORT FILE [--processes N] [--read SQL]
(N processes share the port with SO_REUSEPORT, as `serve --workers N` does)
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import signal
import sys
from pathlib import Path

import grpc
import psycopg

# As many connections as a worker of ours keeps for its reads outside
# transactions (storage/prepared.py, AUTOCOMMITTED_CONNECTIONS).
READ_CONNECTIONS = 4


class _Any(grpc.GenericRpcHandler):
    def __init__(self, reply: bytes, read: _Read | None) -> None:
        async def call(_request: bytes, _context: grpc.aio.ServicerContext) -> bytes:
            if read is not None:
                await read.run()
            return reply

        self._handler = grpc.unary_unary_rpc_method_handler(call)

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler:
        return self._handler


class _Read:
    """One statement per call, on the first free of a few connections (in
    autocommit, prepared by psycopg after its first runs, as ours are)."""

    def __init__(self, url: str, sql: str) -> None:
        self.url, self.sql = url, sql
        self.free: asyncio.Queue[psycopg.AsyncConnection] = asyncio.Queue()

    async def open(self) -> None:
        for _ in range(READ_CONNECTIONS):
            conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
            self.free.put_nowait(conn)

    async def run(self) -> None:
        conn = await self.free.get()
        try:
            await (await conn.execute(self.sql, prepare=True)).fetchall()
        finally:
            self.free.put_nowait(conn)


async def serve(port: int, reply: bytes, sql: str | None) -> None:
    read = None
    if sql is not None:
        read = _Read(os.environ["DATABASE_URL"], sql)
        await read.open()
    server = grpc.aio.server(options=[("grpc.so_reuseport", 1)])
    server.add_generic_rpc_handlers((_Any(reply, read),))
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    # Through the loop, which wakes it: a plain signal handler would wait for
    # the idle loop's next wakeup to run.
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, sys.exit, 0)
    await server.wait_for_termination()


def _run(port: int, reply: bytes, sql: str | None) -> None:
    asyncio.run(serve(port, reply, sql))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("file", type=Path)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--read", metavar="SQL")
    args = parser.parse_args()
    reply = args.file.read_bytes()
    others = [
        multiprocessing.Process(target=_run, args=(args.port, reply, args.read), daemon=True)
        for _ in range(args.processes - 1)
    ]
    for process in others:
        process.start()
    _run(args.port, reply, args.read)


if __name__ == "__main__":
    main()
