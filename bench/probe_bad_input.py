"""Bad-input probe (not a test, not part of `make bench`): figures are printed.

Starts `clarifai-local serve` on loopback (its log captured), makes one user
per RPC, and sends every RPC of the contract a larger seeded set of
malformed requests (tests/bad_input.py; random bytes and wrong types
`--rounds` times each) over gRPC and over REST. Prints per transport: cases
sent, tracebacks in the server log, gRPC UNKNOWN (and other gRPC errors),
status INTERNAL 99009, HTTP 500 and other non-status REST answers; then the
classes seen (case kind, what came back) with their RPCs.

Usage (from the repository root):
  .venv/bin/python bench/probe_bad_input.py [--rounds 8] [--seed 1] [--classes]
Uses DATABASE_URL's server (a fresh database is created and dropped there),
else an embedded PostgreSQL under the system's temp directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import grpc  # noqa: E402
from clarifai.api.status import status_code_pb2 as sc  # noqa: E402
from harness import Server, admin_url  # noqa: E402

from server import bootstrap, contract  # noqa: E402
from storage.db import Database  # noqa: E402
from tests import bad_input  # noqa: E402
from tests.processes import new_database  # noqa: E402


class ProbedServer(Server):
    """The server, its log read for tracebacks."""

    def tracebacks(self) -> list[dict]:
        """The log's records carrying a traceback so far (non-JSON lines are
        a traceback printed outside the logger: counted one per line run)."""
        out, loose = [], False
        for line in self.log.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
                loose = False
            except ValueError:
                if not loose and line.startswith("Traceback"):
                    out.append({"logger": "(stderr)", "exc": line})
                loose = loose or line.startswith("Traceback")
                continue
            if isinstance(entry, dict) and "exc" in entry:
                out.append(entry)
        return out


def exc_name(entry: dict) -> str:
    """The traceback's last exception class (short name) and the logger."""
    raised = re.findall(r"^([A-Za-z_][\w.]*)(?::|$)", entry["exc"], re.MULTILINE)
    name = raised[-1].rsplit(".", 1)[-1] if raised else "?"
    return f"{name} in {entry.get('logger', '?')}"


async def probe(
    server: ProbedServer, transport: str, rounds: int, seed: int
) -> tuple[Counter, dict]:
    figures: Counter = Counter()
    classes: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen = len(server.tracebacks())
    async with (
        grpc.aio.insecure_channel(
            f"127.0.0.1:{server.grpc_port}",
            options=[("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)],
        ) as channel,
        aiohttp.ClientSession() as http,
    ):
        rest = f"http://127.0.0.1:{server.rest_port}"
        db = Database(server.env["DATABASE_URL"])
        for name, method in sorted(contract.methods().items()):
            # A user of its own per RPC: a DeleteApp that works takes the app away.
            account = await bootstrap.create(db, user_id=f"p{uuid.uuid4().hex[:10]}", app_id="main")
            for case in bad_input.cases(method, account["user_id"], "main", seed, rounds):
                if transport == "grpc":
                    answer = await bad_input.send_grpc(channel, method, case, account["pat"])
                else:
                    answer = await bad_input.send_rest(http, rest, method, case, account["pat"])
                figures["cases"] += 1
                await asyncio.sleep(0)
                logged = server.tracebacks()[seen:]
                seen += len(logged)
                tally(figures, classes, name, case, answer, logged)
        await db.close()
    return figures, classes


def tally(figures, classes, name, case, answer, logged) -> None:
    kind = case.name.split(" #")[0]
    if logged:
        figures["tracebacks in the server log"] += len(logged)
        for entry in logged:
            classes[(kind, f"traceback: {exc_name(entry)}")].add(name)
    if answer.grpc_code:
        figures[f"gRPC {answer.grpc_code}"] += 1
    if answer.code == sc.INTERNAL_UNCATEGORIZED:
        figures["status INTERNAL 99009"] += 1
    if answer.http >= 500:
        figures[f"HTTP {answer.http}"] += 1
    elif answer.http and not answer.ok:
        figures[f"HTTP {answer.http} without a status"] += 1
    if not answer.ok or answer.code == sc.INTERNAL_UNCATEGORIZED:
        classes[(kind, answer.shown)].add(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8, help="random-bytes and wrong-type cases")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--classes", action="store_true", help="list the failure classes")
    args = parser.parse_args()
    with (
        new_database(admin_url(), "clarifai_probe") as url,
        tempfile.TemporaryDirectory() as data,
    ):
        server = ProbedServer(url, Path(data), fetch_urls=False)
        server.cli("migrate")
        server.start()
        try:
            for transport in ("grpc", "rest"):
                started = time.perf_counter()
                figures, classes = asyncio.run(probe(server, transport, args.rounds, args.seed))
                took = time.perf_counter() - started
                print(f"{transport}: {figures.pop('cases')} cases in {took:.0f} s")
                for key in (
                    "tracebacks in the server log",
                    "gRPC UNKNOWN",
                    "status INTERNAL 99009",
                    "HTTP 500",
                ):
                    print(f"  {key:40} {figures.pop(key, 0):6}")
                for key, n in sorted(figures.items()):
                    print(f"  {key:40} {n:6}")
                if args.classes:
                    for (kind, shown), rpcs in sorted(classes.items()):
                        print(f"    [{kind}] {shown}: {len(rpcs)} RPCs: {', '.join(sorted(rpcs))}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
