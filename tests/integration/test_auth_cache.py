"""The authorization cache (storage/auth_cache.py): what authorization read
is kept in the process, and any change to keys, apps, collaborators or
users, made by whichever process, empties it before the next call."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from sqlalchemy import make_url

from storage.auth_cache import ACKS, APPLICATION_NAME, CHANNEL, LISTENERS, SEEN_SECONDS
from tests.helpers import me


def plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def connection(server) -> Iterator[psycopg.Connection]:  # noqa: ANN001
    """Another process's view of the server's database."""
    with psycopg.connect(plain(server.db.url), autocommit=True) as conn:
        yield conn


async def list_concepts(stub, account, token: str = "") -> int:  # noqa: ANN001
    reply = await stub.ListConcepts(
        s.ListConceptsRequest(user_app_id=me("main")), metadata=account.md(token or None)
    )
    return reply.status.code


async def test_a_key_deleted_through_the_api_is_refused_by_the_next_call(
    stub, account, new_account
) -> None:
    made = await stub.PostKeys(
        s.PostKeysRequest(keys=[r.Key(description="k", scopes=["All"], apps=[r.App(id="main")])]),
        metadata=account.md(),
    )
    token = made.keys[0].id
    for _ in range(20):
        assert await list_concepts(stub, account, token) == sc.SUCCESS  # cached now
    deleted = await stub.DeleteKey(s.DeleteKeyRequest(key_id=token), metadata=account.md())
    assert deleted.status.code == sc.SUCCESS
    assert await list_concepts(stub, account, token) == sc.CONN_KEY_INVALID


async def test_a_change_answers_once_every_listening_process_emptied_its_cache(
    server, stub, account
) -> None:
    """A notification reaches each listening backend when that backend gets
    to it: the call that made the change waits for every listener's
    acknowledgement, not only its own process's."""
    other = await psycopg.AsyncConnection.connect(plain(server.db.url), autocommit=True)
    async with other:  # another process's listener, slow to acknowledge
        await other.execute(f"LISTEN {CHANNEL}")
        await other.execute(f"SET application_name = '{APPLICATION_NAME}'")
        call = asyncio.ensure_future(
            stub.PostKeys(
                s.PostKeysRequest(
                    keys=[r.Key(description="k", scopes=["All"], apps=[r.App(id="main")])]
                ),
                metadata=account.md(),
            )
        )
        xids = [notice.payload async for notice in other.notifies(timeout=0.5)]
        assert xids
        assert not call.done(), call.result()
        acknowledged = time.monotonic()
        await other.execute(f"NOTIFY {ACKS}, '{','.join(xids)}'")
        made = await asyncio.wait_for(call, 5)
        assert made.status.code == sc.SUCCESS, made.status
        assert time.monotonic() - acknowledged < 1  # at the acknowledgement, not the bound


async def test_a_listener_that_never_acknowledges_delays_a_change_by_the_bound_only(
    server, stub, account, caplog
) -> None:
    other = await psycopg.AsyncConnection.connect(plain(server.db.url), autocommit=True)
    async with other:  # a process whose event loop is stuck: it never reads
        await other.execute(f"LISTEN {CHANNEL}")
        await other.execute(f"SET application_name = '{APPLICATION_NAME}'")
        began = time.monotonic()
        made = await stub.PostKeys(
            s.PostKeysRequest(
                keys=[r.Key(description="k", scopes=["All"], apps=[r.App(id="main")])]
            ),
            metadata=account.md(),
        )
        assert made.status.code == sc.SUCCESS, made.status
        assert SEEN_SECONDS <= time.monotonic() - began < SEEN_SECONDS + 2
        late = f"not acknowledged within {SEEN_SECONDS} s by backends [{other.info.backend_pid}]"
        assert late in caplog.text


async def test_a_key_deleted_by_another_process_is_refused_within_moments(
    server, stub, account
) -> None:
    assert await list_concepts(stub, account) == sc.SUCCESS  # cached now
    with connection(server) as conn:
        conn.execute("DELETE FROM keys WHERE user_id = %s", (account.user_id,))
    # Its notification reaches this process within moments (another server
    # process's call waits for that before answering: the test above).
    await refused_soon(stub, account)


async def refused_soon(stub, account) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 2
    while await list_concepts(stub, account) != sc.CONN_KEY_INVALID:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.001)


async def test_an_app_made_private_elsewhere_is_hidden_at_once(
    server, stub, account, new_account
) -> None:
    other = await new_account()
    with connection(server) as conn:
        conn.execute("UPDATE apps SET visibility = 50 WHERE user_id = %s", (other.user_id,))
    theirs = s.GetAppRequest(user_app_id=me("main").__class__(user_id=other.user_id, app_id="main"))
    assert (await stub.GetApp(theirs, metadata=account.md())).status.code == sc.SUCCESS
    with connection(server) as conn:
        conn.execute("UPDATE apps SET visibility = 10 WHERE user_id = %s", (other.user_id,))
    deadline = time.monotonic() + 2
    while (await stub.GetApp(theirs, metadata=account.md())).status.code == sc.SUCCESS:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.001)
    assert (await stub.GetApp(theirs, metadata=account.md())).status.code == sc.CONN_DOES_NOT_EXIST


async def test_reads_are_kept_until_a_change_is_notified(server, stub, account) -> None:
    assert await list_concepts(stub, account) == sc.SUCCESS
    with connection(server) as conn, conn.transaction():
        # A change no trigger reports: the process keeps what it read...
        conn.execute("ALTER TABLE keys DISABLE TRIGGER keys_notify_auth")
        conn.execute("DELETE FROM keys WHERE user_id = %s", (account.user_id,))
        conn.execute("ALTER TABLE keys ENABLE TRIGGER keys_notify_auth")
    assert await list_concepts(stub, account) == sc.SUCCESS
    with connection(server) as conn:
        # ...until any reported change empties the cache.
        conn.execute("UPDATE users SET id = id WHERE id = %s", (account.user_id,))
    await refused_soon(stub, account)


async def test_a_notification_not_from_a_trigger_empties_the_cache_too(
    server, stub, account
) -> None:
    assert await list_concepts(stub, account) == sc.SUCCESS
    with connection(server) as conn:
        with conn.transaction():
            conn.execute("ALTER TABLE keys DISABLE TRIGGER keys_notify_auth")
            conn.execute("DELETE FROM keys WHERE user_id = %s", (account.user_id,))
            conn.execute("ALTER TABLE keys ENABLE TRIGGER keys_notify_auth")
        conn.execute(f"NOTIFY {ACKS}, 'not, ids'")
        assert await list_concepts(stub, account) == sc.SUCCESS
        conn.execute(f"NOTIFY {CHANNEL}, 'not an id'")
    await refused_soon(stub, account)
    assert server.db.auth_cache.live


async def test_nothing_is_kept_while_the_listening_connection_is_lost(
    server, stub, account
) -> None:
    cache = server.db.auth_cache
    listening = cache._conn.pgconn.socket
    with connection(server) as conn:
        conn.execute(f"SELECT pg_terminate_backend(pid) FROM unnest({LISTENERS}) AS pid")
        deadline = time.monotonic() + 10
        while cache.live:  # the loss is seen on the next read of the connection
            assert time.monotonic() < deadline
            assert await list_concepts(stub, account) == sc.SUCCESS
            await asyncio.sleep(0.01)
        # Its socket (closed) is no longer watched: the next socket given its
        # number must not wake the cache.
        assert not asyncio.get_running_loop().remove_reader(listening)
        with conn.transaction():
            conn.execute("ALTER TABLE keys DISABLE TRIGGER keys_notify_auth")
            conn.execute("DELETE FROM keys WHERE user_id = %s", (account.user_id,))
            conn.execute("ALTER TABLE keys ENABLE TRIGGER keys_notify_auth")
        # Unreported, yet seen: nothing was cached.
        assert await list_concepts(stub, account) == sc.CONN_KEY_INVALID
    deadline = time.monotonic() + 10
    while not cache.live:  # listening again
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
