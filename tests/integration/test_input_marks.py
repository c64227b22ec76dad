"""ListInputs' deep pages read through the marks (storage/input_marks.py):
every page is the page a plain OFFSET query gives at that moment, however
inputs were added or removed since the marks were built, by whichever
process, and while other transactions write and rebuild."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from sqlalchemy import select, text

from storage import input_marks
from storage.inputs import LIST, Input, InputStorage
from storage.listing import Page
from tests.helpers import app_pk, app_scope, me

PER_PAGE = 100
# Enough inputs for pages past input_marks.MARKED_FROM, and several marks.
SEEDED = 5 * input_marks.EVERY
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)

_SEED = text(
    """
    INSERT INTO inputs (app_pk, id, data, media_kind, source_url, blob_key, status_code,
                        status_details, created_at, modified_at)
    SELECT :app_pk, :prefix || n, jsonb_build_object('image', jsonb_build_object(
               'url', 'https://example.com/' || n || '.jpg')),
           'image', '', '', 30000, '', at, at
    FROM generate_series(0, :count - 1) AS n,
         LATERAL (SELECT CAST(:start AS timestamptz) + (n / 7) * interval '1 millisecond') AS t(at)
    """
)
# The page as OFFSET reads it: every row before it, one by one.
_OFFSET = text(
    "SELECT id FROM inputs WHERE app_pk = :app_pk ORDER BY created_at DESC, pk DESC "
    "OFFSET :offset LIMIT :limit"
)


async def seed(server, pk: int, count: int, prefix: str, start: datetime = EPOCH) -> None:
    """`count` inputs, seven to a created_at (so that pk breaks ties)."""
    async with server.db.transaction() as session:
        await session.execute(
            _SEED, {"app_pk": pk, "prefix": prefix, "count": count, "start": start}
        )


async def by_offset(session, pk: int, page: int) -> list[str]:
    at = {"app_pk": pk, "offset": (page - 1) * PER_PAGE, "limit": PER_PAGE}
    return list(await session.scalars(_OFFSET, at))


async def listed(stub, account, page: int) -> list[str]:
    res = await stub.ListInputs(
        s.ListInputsRequest(user_app_id=me(account.app_id), page=page, per_page=PER_PAGE),
        metadata=account.key_md,
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [i.id for i in res.inputs]


async def marks(server, pk: int) -> int:
    async with server.db.transaction() as session:
        return await session.scalar(
            text("SELECT count(*) FROM input_marks WHERE app_pk = :pk"), {"pk": pk}
        )


def deep_pages(total: int) -> list[int]:
    last = -(-total // PER_PAGE)
    return [1, 21, 22, 30, 37, last - 1, last, last + 1, last + 40]


async def assert_pages_as_offset(server, stub, account, pk: int) -> None:
    async with server.db.transaction() as session:
        total = await session.scalar(
            text("SELECT count(*) FROM inputs WHERE app_pk = :pk"), {"pk": pk}
        )
    for page in deep_pages(total):
        got = await listed(stub, account, page)
        async with server.db.transaction() as session:
            assert got == await by_offset(session, pk, page), f"page {page}"


class TestDeepPages:
    async def test_pages_are_those_of_offset(self, server, stub, account):
        pk = await app_pk(server, account)
        await seed(server, pk, SEEDED, "s")
        assert await marks(server, pk) == 0
        await assert_pages_as_offset(server, stub, account, pk)
        # The first deep read built the marks; reads through them agree.
        assert await marks(server, pk) == SEEDED // input_marks.EVERY - 1
        await assert_pages_as_offset(server, stub, account, pk)

    async def test_pages_stay_exact_as_inputs_come_and_go(self, server, stub, account):
        pk = await app_pk(server, account)
        await seed(server, pk, SEEDED, "s")
        await listed(stub, account, 30)
        assert await marks(server, pk)
        # Newest inputs, as PostInputs adds them (each request one change).
        await seed(server, pk, 300, "new", start=EPOCH + timedelta(days=1))
        await assert_pages_as_offset(server, stub, account, pk)
        # A write that began long ago: its inputs land among old ones.
        await seed(server, pk, 50, "late", start=EPOCH + timedelta(seconds=0.3))
        await assert_pages_as_offset(server, stub, account, pk)
        # Removals: one here and there, a scattered tenth at once, a mark's own.
        ids = [f"s{n}" for n in random.Random(16).sample(range(SEEDED), SEEDED // 10)]
        res = await stub.DeleteInput(
            s.DeleteInputRequest(user_app_id=me(account.app_id), input_id="s2000"),
            metadata=account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        await assert_pages_as_offset(server, stub, account, pk)
        res = await stub.DeleteInputs(
            s.DeleteInputsRequest(user_app_id=me(account.app_id), ids=ids[:128]),
            metadata=account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        await assert_pages_as_offset(server, stub, account, pk)
        async with server.db.transaction() as session:
            await session.execute(
                text("DELETE FROM inputs WHERE app_pk = :pk AND id = ANY(:ids)"),
                {"pk": pk, "ids": ids[128:]},
            )
        await assert_pages_as_offset(server, stub, account, pk)
        async with server.db.transaction() as session:
            mark = await session.scalar(
                text("SELECT pk FROM input_marks WHERE app_pk = :pk ORDER BY ahead LIMIT 1"),
                {"pk": pk},
            )
            await session.execute(text("DELETE FROM inputs WHERE pk = :pk"), {"pk": mark})
        await assert_pages_as_offset(server, stub, account, pk)

    async def test_forgotten_marks_are_built_again(self, server, stub, account):
        pk = await app_pk(server, account)
        await seed(server, pk, SEEDED, "s")
        await listed(stub, account, 30)
        for n in range(input_marks.MAX_CHANGES + 1):
            await seed(server, pk, 1, f"w{n}-", start=EPOCH + timedelta(days=1, seconds=n))
        async with server.db.transaction() as session:
            assert await input_marks.forget(session) >= 1
        assert await marks(server, pk) == 0
        await assert_pages_as_offset(server, stub, account, pk)
        assert await marks(server, pk)

    async def test_deleting_the_app_takes_its_marks(self, server, stub, new_account):
        account = await new_account(app_id="gone")
        pk = await app_pk(server, account)
        await seed(server, pk, SEEDED, "s")
        await listed(stub, account, 30)
        assert await marks(server, pk)
        res = await stub.DeleteApp(
            s.DeleteAppRequest(user_app_id=me(account.app_id)), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        async with server.db.transaction() as session:
            left = await session.scalar(
                text(
                    "SELECT (SELECT count(*) FROM input_marks WHERE app_pk = :pk)"
                    " + (SELECT count(*) FROM input_changes WHERE app_pk = :pk)"
                ),
                {"pk": pk},
            )
        assert left == 0


class TestConcurrentWrites:
    async def test_each_read_is_its_snapshot_s_offset_page(self, server, account):
        """Reads in REPEATABLE READ transactions (one snapshot for the page
        and the OFFSET query) while other transactions add and remove inputs
        and rebuild the marks."""
        scope = await app_scope(server, account)
        await seed(server, scope.pk, SEEDED, "s")
        done = asyncio.Event()

        async def write() -> None:
            rng = random.Random(7)
            n = 0
            while not done.is_set():
                n += 1
                later = EPOCH + timedelta(days=1, seconds=n)
                await seed(server, scope.pk, rng.randrange(1, 200), f"c{n}-", start=later)
                async with server.db.transaction() as session:
                    gone = [f"s{k}" for k in rng.sample(range(SEEDED), 40)]
                    await InputStorage(session, scope).delete(gone)

        async def rebuild() -> None:
            while not done.is_set():
                async with server.db.transaction() as session:
                    keys = select(Input).where(Input.app_pk == scope.pk)
                    await input_marks.rebuild(session, scope.pk, keys, LIST)
                await asyncio.sleep(0.01)

        async def read() -> None:
            rng = random.Random(3)
            for _ in range(25):
                page = rng.randrange(21, SEEDED // PER_PAGE)
                async with server.db.transaction() as session:
                    await session.connection(
                        execution_options={"isolation_level": "REPEATABLE READ"}
                    )
                    at = Page(PER_PAGE, (page - 1) * PER_PAGE)
                    got = [r.id for r in await InputStorage(session, scope).page(at)]
                    assert got == await by_offset(session, scope.pk, page), f"page {page}"

        others = [asyncio.create_task(write()), asyncio.create_task(rebuild())]
        try:
            await read()
        finally:
            done.set()
            await asyncio.gather(*others)
