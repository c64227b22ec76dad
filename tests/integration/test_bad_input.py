"""Bad input to every RPC of the contract is answered with a Clarifai status.

For each RPC of server.contract.methods() (so an RPC declared later is
covered without being listed here), over gRPC and over REST, a fixed seeded
set of malformed requests (tests/bad_input.py: empty, random bytes, wrong
types, NUL in every string, 100 KB strings, 10 000 items, a Struct nested
200 deep, NaN and Infinity, unknown enum numbers) must each get:

- over gRPC, a decodable response whose status.code is set (never a gRPC
  error; RESOURCE_EXHAUSTED only for a request above the server's maximum
  message size, which none of these reaches);
- over REST, a JSON body holding a status, with an HTTP status below 500;
- no log record carrying a traceback (exc_info) in the in-process server;
- when refused (any code but SUCCESS), no row written for the caller: the
  caller's rows (its user's, its apps' and what they hold) number the same
  in every table (tests/row_changes.py keeps count, on a server and
  database of this module's own).

Every case runs; one failure at the end lists the failures grouped by
what came back, each with the RPCs and cases that got it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import aiohttp
import grpc
import pytest
from clarifai.api.status import status_code_pb2 as sc

from server import contract
from server.main import Running
from tests import bad_input
from tests.bad_input import Answer, Case
from tests.own_server import own_server
from tests.row_changes import Changes, install

SEED = 20261125


@pytest.fixture(scope="module")
async def server(database_url, tmp_path_factory) -> AsyncIterator[Running]:
    """A server of the module's own, its database logging every row written
    (tests/row_changes.py): other tests' rows and jobs stay out of it."""
    data_dir = tmp_path_factory.mktemp("bad-input-data")
    async with own_server(database_url, data_dir, "clarifai_bad_input") as running:
        await install(running.db)
        yield running


@pytest.fixture(scope="module")
def rest(server: Running) -> str:
    return f"http://127.0.0.1:{server.rest_port}"


class _Tracebacks(logging.Handler):
    """Log records carrying an exception, from anywhere in the process."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)

    def take(self) -> list[str]:
        out = [f"{r.exc_info[0].__name__} in {r.name}" for r in self.records if r.exc_info]
        self.records.clear()
        return out


@contextmanager
def tracebacks() -> Iterator[_Tracebacks]:
    """Collects them in place of the root logger's handlers (pytest's
    capture too: the assertion's summary stands for hundreds of tracebacks)."""
    handler = _Tracebacks()
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers[:] = [handler]
    try:
        yield handler
    finally:
        root.handlers[:] = saved


def _problems(answer: Answer, logged: list[str], changed: list[str]) -> list[str]:
    out = [] if answer.ok else [answer.shown]
    if answer.ok and answer.code == sc.INTERNAL_UNCATEGORIZED:
        out.append(answer.shown)  # 99009: a failure the server did not expect
    out += [f"traceback: {t}" for t in sorted(set(logged))]
    if changed and answer.code != sc.SUCCESS:
        out.append(f"refused ({answer.shown}) but wrote rows ({', '.join(changed)})")
    return out


async def _run(server, new_account, send) -> dict[tuple[str, str], list[str]]:
    """Every case of every RPC through `send(method, case, token)`, each RPC
    as a new user of its own (a DeleteApp that works takes the app away);
    failures as {(case kind, what came back): ["RPC", ...]}."""
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, method in sorted(contract.methods().items()):
        account = await new_account()
        changes = Changes(server.db, account.user_id)
        await changes.taken()  # the account's own rows
        with tracebacks() as logged:
            for case in bad_input.cases(method, account.user_id, account.app_id, SEED):
                answer = await send(method, case, account.pat)
                for problem in _problems(answer, logged.take(), await changes.taken()):
                    failures[(case.name, problem)].append(name)
    return failures


def _report(transport: str, failures: dict[tuple[str, str], list[str]]) -> str:
    failing = {(kind, rpc) for (kind, _), rpcs in failures.items() for rpc in rpcs}
    lines = [f"{transport}: {len(failing)} failing cases (RPC, case), by what came back:"]
    for (kind, problem), rpcs in sorted(failures.items()):
        lines.append(f"  [{kind}] {problem}: {len(rpcs)} RPCs: {', '.join(rpcs)}")
    return "\n".join(lines)


async def test_bad_input_over_grpc(server, new_account):
    async with grpc.aio.insecure_channel(
        f"127.0.0.1:{server.grpc_port}",
        options=[("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)],
    ) as channel:

        async def send(method, case: Case, token: str) -> Answer:
            return await bad_input.send_grpc(channel, method, case, token)

        failures = await _run(server, new_account, send)
    if failures:
        pytest.fail(_report("gRPC", failures), pytrace=False)


async def test_bad_input_over_rest(server, rest, new_account):
    async with aiohttp.ClientSession() as http:

        async def send(method, case: Case, token: str) -> Answer:
            return await bad_input.send_rest(http, rest, method, case, token)

        failures = await _run(server, new_account, send)
    if failures:
        pytest.fail(_report("REST", failures), pytrace=False)
