"""Bulk operations: each operation kind over each source kind, checked in
what users read back (GetInput, ListInputs, ListAnnotations,
ListDatasetInputs); bad requests refused whole; progress, cancel, delete
rules and lists. Over gRPC and REST (the `transport` fixture)."""

from __future__ import annotations

import asyncio

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from sqlalchemy import text

from tests.helpers import assert_invalid, assert_missing, struct

BAD = sc.BULK_OPERATION_INVALID_REQUEST
ENDED = (sc.BULK_OPERATION_SUCCESS, sc.BULK_OPERATION_FAILED, sc.BULK_OPERATION_CANCELLED)


# ---- helpers ----


async def add_inputs(stub, account, ids: list[str], **data) -> None:
    """Text inputs of these ids (in this order: pk order), with `data`."""
    for start in range(0, len(ids), 128):
        inputs = [
            r.Input(id=i, data=r.Data(text=r.Text(raw=f"text {i}"), **data))
            for i in ids[start : start + 128]
        ]
        res = await stub.PostInputs(s.PostInputsRequest(inputs=inputs), metadata=account.key_md)
        assert res.status.code == sc.SUCCESS, res.status


async def post(transport, account, *ops: r.BulkOperation):
    return await transport.call(
        "PostBulkOperations", s.PostBulkOperationsRequest(bulk_operations=ops), account.key_md
    )


async def get(transport, account, op_id: str):
    return await transport.call(
        "GetBulkOperation", s.GetBulkOperationRequest(id=op_id), account.key_md
    )


async def run(transport, account, op: r.BulkOperation, timeout: float = 30) -> r.BulkOperation:
    """Post one operation and poll it, as clients do, until it ends."""
    res = await post(transport, account, op)
    assert res.status.code == sc.SUCCESS, res.status
    assert res.bulk_operation[0].status.code == sc.BULK_OPERATION_PENDING
    return await ended(transport, account, res.bulk_operation[0].id, timeout)


async def ended(transport, account, op_id: str, timeout: float = 30) -> r.BulkOperation:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        res = await get(transport, account, op_id)
        assert res.status.code == sc.SUCCESS, res.status
        if res.bulk_operation.status.code in ENDED:
            return res.bulk_operation
        assert asyncio.get_running_loop().time() < deadline, res.bulk_operation
        await asyncio.sleep(0.05)


def ids_of(*input_ids: str) -> dict:
    return {"input_ids": r.InputIDs(input_ids=list(input_ids))}


async def shown(stub, account, input_id: str) -> r.Input:
    res = await stub.GetInput(s.GetInputRequest(input_id=input_id), metadata=account.key_md)
    assert res.status.code == sc.SUCCESS, res.status
    return res.input


def concepts_of(i: r.Input) -> dict[str, float]:
    return {c.id: round(c.value, 3) for c in i.data.concepts}


async def in_dataset(stub, account, dataset_id: str) -> set[str]:
    out: set[str] = set()
    page = 1
    while True:
        res = await stub.ListDatasetInputs(
            s.ListDatasetInputsRequest(dataset_id=dataset_id, page=page, per_page=100),
            metadata=account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        out |= {d.input.id for d in res.dataset_inputs}
        if len(res.dataset_inputs) < 100:
            return out
        page += 1


async def add_datasets(stub, account, *ids: str) -> None:
    res = await stub.PostDatasets(
        s.PostDatasetsRequest(datasets=[r.Dataset(id=i) for i in ids]), metadata=account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status


def labelled_with(concept_id: str) -> r.Search:
    """A search for what is labelled with the concept."""
    data = r.Data(concepts=[r.Concept(id=concept_id, value=1)])
    return r.Search(query=r.Query(filters=[r.Filter(annotation=r.Annotation(data=data))]))


def metadata_of(i: r.Input) -> dict:
    from google.protobuf import json_format

    return json_format.MessageToDict(i.data.metadata)


# ---- concepts ----


class TestConcepts:
    async def test_add_concepts_to_input_ids(self, transport, stub, account):
        await add_inputs(stub, account, ["a", "b"], concepts=[r.Concept(id="cat", value=0)])
        await add_inputs(stub, account, ["c"])
        op = r.BulkOperation(
            id="label",
            **ids_of("a", "b", "c"),
            operation=r.Operation(
                add_concepts=r.AddConcepts(
                    concepts=[
                        r.Concept(id="cat", value=1),
                        r.Concept(id="dog", name="Dog", value=1),
                    ]
                )
            ),
        )
        done = await run(transport, account, op)
        assert done.status.code == sc.BULK_OPERATION_SUCCESS, done.status
        assert done.id == "label" and done.created_by == account.user_id
        assert done.app_id == account.app_id
        assert done.progress.processed == 3
        assert done.progress.last_processed_id == "c"  # the last in pk order
        assert list(done.input_ids.input_ids) == ["a", "b", "c"]  # shown as asked for
        for input_id in ("a", "b", "c"):
            # An existing concept's value is updated; a new one is added.
            assert concepts_of(await shown(stub, account, input_id)) == {"cat": 1.0, "dog": 1.0}
        # The new concept exists in the app, with its name.
        got = await stub.GetConcept(s.GetConceptRequest(concept_id="dog"), metadata=account.key_md)
        assert got.concept.name == "Dog"
        # Input-level annotations hold them, as PostInputs makes them.
        listed = await stub.ListAnnotations(
            s.ListAnnotationsRequest(input_ids=["c"]), metadata=account.key_md
        )
        assert [{c.id for c in a.data.concepts} for a in listed.annotations if a.input_level] == [
            {"cat", "dog"}
        ]

    async def test_delete_concepts_of_the_caller_or_the_users_named(self, transport, stub, account):
        await add_inputs(
            stub,
            account,
            ["a", "b"],
            concepts=[r.Concept(id="cat", value=1), r.Concept(id="dog", value=1)],
        )
        other = r.Operation(
            delete_concepts=r.DeleteConcepts(
                concepts=[r.Concept(id="cat", value=1)], user_ids=["nobody"]
            )
        )
        done = await run(transport, account, r.BulkOperation(**ids_of("a"), operation=other))
        assert done.status.code == sc.BULK_OPERATION_SUCCESS
        # Labels of another user only: none here.
        assert concepts_of(await shown(stub, account, "a")) == {"cat": 1.0, "dog": 1.0}

        mine = r.Operation(
            delete_concepts=r.DeleteConcepts(concepts=[r.Concept(id="cat", value=1)])
        )
        done = await run(transport, account, r.BulkOperation(**ids_of("a", "b"), operation=mine))
        assert done.progress.processed == 2
        assert concepts_of(await shown(stub, account, "a")) == {"dog": 1.0}
        assert concepts_of(await shown(stub, account, "b")) == {"dog": 1.0}


# ---- metadata and geo ----


class TestMetadataAndGeo:
    async def test_add_then_delete_metadata_over_a_search(self, transport, stub, account):
        await add_inputs(stub, account, ["a", "b"], metadata=struct(kind="x", keep=1))
        await add_inputs(stub, account, ["c"], metadata=struct(kind="y"))
        search = r.Search(
            query=r.Query(filters=[r.Filter(input=r.Input(data=r.Data(metadata=struct(kind="x"))))])
        )
        add = r.Operation(add_metadata=r.AddMetadata(metadata=struct(keep=2, extra={"deep": True})))
        done = await run(transport, account, r.BulkOperation(search=search, operation=add))
        assert done.progress.processed == 2
        assert metadata_of(await shown(stub, account, "a")) == {
            "kind": "x",
            "keep": 2,
            "extra": {"deep": True},
        }
        assert metadata_of(await shown(stub, account, "c")) == {"kind": "y"}

        # Pairs that match go; a key whose value differs stays.
        remove = r.Operation(
            delete_metadata=r.DeleteMetadata(
                metadata=struct(keep=2, kind="other", extra={"deep": True})
            )
        )
        done = await run(transport, account, r.BulkOperation(**ids_of("a", "c"), operation=remove))
        assert done.status.code == sc.BULK_OPERATION_SUCCESS
        assert metadata_of(await shown(stub, account, "a")) == {"kind": "x"}
        assert metadata_of(await shown(stub, account, "c")) == {"kind": "y"}

    async def test_overwrite_then_delete_geo_over_a_dataset(self, transport, stub, account):
        await add_inputs(stub, account, ["a", "b", "c"])
        await add_datasets(stub, account, "ds")
        res = await stub.PostDatasetInputs(
            s.PostDatasetInputsRequest(
                dataset_id="ds",
                dataset_inputs=[r.DatasetInput(input=r.Input(id=i)) for i in ("a", "b")],
            ),
            metadata=account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        geo = r.Geo(geo_point=r.GeoPoint(longitude=10.5, latitude=-20.25))
        done = await run(
            transport,
            account,
            r.BulkOperation(
                dataset=r.Dataset(id="ds"),
                operation=r.Operation(overwrite_geo=r.OverwriteGeo(geo=geo)),
            ),
        )
        assert done.progress.processed == 2
        a = await shown(stub, account, "a")
        assert (a.data.geo.geo_point.longitude, a.data.geo.geo_point.latitude) == (10.5, -20.25)
        assert not (await shown(stub, account, "c")).data.HasField("geo")

        done = await run(
            transport,
            account,
            r.BulkOperation(**ids_of("a"), operation=r.Operation(delete_geo=r.DeleteGeo())),
        )
        assert done.status.code == sc.BULK_OPERATION_SUCCESS
        assert not (await shown(stub, account, "a")).data.HasField("geo")
        assert (await shown(stub, account, "b")).data.HasField("geo")


# ---- datasets ----


class TestDatasets:
    async def test_add_to_and_delete_from_a_dataset(self, transport, stub, account):
        await add_inputs(stub, account, ["a", "b", "c"])
        await add_datasets(stub, account, "ds")
        add = r.Operation(add_to_dataset=r.AddToDataset(dataset_id="ds"))
        done = await run(
            transport, account, r.BulkOperation(**ids_of("a", "b", "c"), operation=add)
        )
        assert done.progress.processed == 3
        assert await in_dataset(stub, account, "ds") == {"a", "b", "c"}

        drop = r.Operation(delete_from_dataset=r.DeleteFromDataset(dataset_id="ds"))
        done = await run(transport, account, r.BulkOperation(**ids_of("b"), operation=drop))
        assert done.status.code == sc.BULK_OPERATION_SUCCESS
        assert await in_dataset(stub, account, "ds") == {"a", "c"}

    async def test_split_into_datasets_by_percentages(self, transport, stub, account):
        ids = [f"in{n:03}" for n in range(200)]
        await add_inputs(stub, account, ids)
        await add_datasets(stub, account, "train", "test")
        split = r.SplitIntoDatasets(
            dataset_splits=[
                r.DatasetSplit(dataset=r.Dataset(id="train"), percentage=80),
                r.DatasetSplit(dataset=r.Dataset(id="test"), percentage=20),
            ],
            method=r.SplitIntoDatasets.RANDOM_PERCENTAGE_SPLIT,
        )
        done = await run(
            transport,
            account,
            r.BulkOperation(**ids_of(*ids), operation=r.Operation(split_into_datasets=split)),
        )
        assert done.progress.processed == 200
        train, test = (
            await in_dataset(stub, account, "train"),
            await in_dataset(stub, account, "test"),
        )
        # Every input in exactly one, about as the percentages say.
        assert train | test == set(ids) and not train & test
        assert 120 <= len(train) <= 185, len(train)


# ---- annotations ----


class TestDeleteAnnotations:
    async def test_the_annotations_an_annotation_search_finds(self, transport, stub, account):
        await add_inputs(stub, account, ["a", "b"], concepts=[r.Concept(id="cat", value=1)])
        res = await stub.PostAnnotations(
            s.PostAnnotationsRequest(
                annotations=[
                    r.Annotation(input_id=i, data=r.Data(concepts=[r.Concept(id=c, value=1)]))
                    for i in ("a", "b")
                    for c in ("cat", "dog")
                ]
            ),
            metadata=account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        search = labelled_with("cat")
        done = await run(
            transport,
            account,
            r.BulkOperation(
                annotation_search=search,
                operation=r.Operation(delete_annotations=r.DeleteAnnotations()),
            ),
        )
        assert done.status.code == sc.BULK_OPERATION_SUCCESS, done.status
        # The two "cat" annotations went; the input-level ones (which carry
        # cat too) stay, as they go only with their inputs.
        assert done.progress.processed == 2
        listed = await stub.ListAnnotations(
            s.ListAnnotationsRequest(input_ids=["a", "b"]), metadata=account.key_md
        )
        left = sorted(
            (a.input_id, a.input_level, tuple(c.id for c in a.data.concepts))
            for a in listed.annotations
        )
        assert left == [
            ("a", False, ("dog",)),
            ("a", True, ("cat",)),
            ("b", False, ("dog",)),
            ("b", True, ("cat",)),
        ]


# ---- sources ----


class TestSources:
    async def test_a_saved_search_by_id(self, transport, stub, account):
        await add_inputs(stub, account, ["a"], metadata=struct(group="g"))
        await add_inputs(stub, account, ["b"])
        query = r.Query(filters=[r.Filter(input=r.Input(data=r.Data(metadata=struct(group="g"))))])
        res = await stub.PostSearches(
            s.PostSearchesRequest(searches=[r.Search(id="saved", save=True, query=query)]),
            metadata=account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        add = r.Operation(add_concepts=r.AddConcepts(concepts=[r.Concept(id="found", value=1)]))
        done = await run(
            transport, account, r.BulkOperation(search=r.Search(id="saved"), operation=add)
        )
        assert done.progress.processed == 1
        assert concepts_of(await shown(stub, account, "a")) == {"found": 1.0}
        assert concepts_of(await shown(stub, account, "b")) == {}

    async def test_the_source_is_what_it_found_when_posted(self, transport, stub, account):
        await add_inputs(stub, account, ["a"], concepts=[r.Concept(id="cat", value=1)])
        search = labelled_with("cat")
        # Removing the very concept searched for: every input found is done.
        mine = r.Operation(
            delete_concepts=r.DeleteConcepts(concepts=[r.Concept(id="cat", value=1)])
        )
        done = await run(transport, account, r.BulkOperation(search=search, operation=mine))
        assert done.progress.processed == 1
        assert concepts_of(await shown(stub, account, "a")) == {}

    async def test_an_empty_source_succeeds_at_once(self, transport, stub, account):
        await add_datasets(stub, account, "empty")
        add = r.Operation(add_metadata=r.AddMetadata(metadata=struct(k=1)))
        done = await run(
            transport, account, r.BulkOperation(dataset=r.Dataset(id="empty"), operation=add)
        )
        assert done.status.code == sc.BULK_OPERATION_SUCCESS
        assert done.progress.processed == 0


# ---- bad requests ----


ADD = r.Operation(add_concepts=r.AddConcepts(concepts=[r.Concept(id="x", value=1)]))


class TestBadRequests:
    @pytest.mark.parametrize(
        "op, words",
        [
            (r.BulkOperation(**ids_of("a")), ["bulk_operations[0].operation"]),
            (r.BulkOperation(operation=ADD), ["bulk_operations[0]", "input source"]),
            (
                r.BulkOperation(**ids_of("a", "nope"), operation=ADD),
                ["bulk_operations[0].input_ids.input_ids[1]", "nope"],
            ),
            (
                r.BulkOperation(**ids_of("a", "a"), operation=ADD),
                ["input_ids.input_ids[1]", "repeated"],
            ),
            (
                r.BulkOperation(**ids_of("a"), operation=r.Operation(add_concepts=r.AddConcepts())),
                ["bulk_operations[0].operation.add_concepts.concepts"],
            ),
            (
                r.BulkOperation(
                    **ids_of("a"),
                    operation=r.Operation(
                        add_concepts=r.AddConcepts(concepts=[r.Concept(id="x", value=2)])
                    ),
                ),
                ["add_concepts.concepts[0].value"],
            ),
            (
                r.BulkOperation(
                    **ids_of("a"),
                    operation=r.Operation(add_metadata=r.AddMetadata()),
                ),
                ["add_metadata.metadata is required"],
            ),
            (
                r.BulkOperation(
                    **ids_of("a"),
                    operation=r.Operation(
                        overwrite_geo=r.OverwriteGeo(geo=r.Geo(geo_point=r.GeoPoint(longitude=200)))
                    ),
                ),
                ["overwrite_geo.geo.geo_point.longitude"],
            ),
            (
                r.BulkOperation(
                    **ids_of("a"),
                    operation=r.Operation(
                        split_into_datasets=r.SplitIntoDatasets(
                            dataset_splits=[
                                r.DatasetSplit(dataset=r.Dataset(id="ds"), percentage=70)
                            ]
                        )
                    ),
                ),
                ["dataset_splits", "add up to 70"],
            ),
            (
                r.BulkOperation(
                    **ids_of("a"),
                    operation=r.Operation(delete_annotations=r.DeleteAnnotations()),
                ),
                ["annotation_search"],
            ),
            (
                r.BulkOperation(
                    dataset=r.Dataset(id="ds", version=r.DatasetVersion(id="v")), operation=ADD
                ),
                ["bulk_operations[0].dataset.version"],
            ),
        ],
    )
    async def test_refused_naming_the_field_and_nothing_written(
        self, transport, stub, account, op, words
    ):
        await add_inputs(stub, account, ["a"])
        await add_datasets(stub, account, "ds")
        good = r.BulkOperation(id="fine", **ids_of("a"), operation=ADD)
        res = await post(transport, account, good, op)
        code = sc.CONN_DOES_NOT_EXIST if "nope" in words else BAD
        assert res.status.code == code, res.status
        for word in words:
            assert word.replace("[0]", "[1]", 1) in res.status.details or word in res.status.details
        # Atomic: the good operation before it was not made either.
        listed = await transport.call(
            "ListBulkOperations", s.ListBulkOperationsRequest(), account.key_md
        )
        assert list(listed.bulk_operation) == []
        assert concepts_of(await shown(stub, account, "a")) == {}

    async def test_unknown_dataset_and_taken_id(self, transport, stub, account):
        await add_inputs(stub, account, ["a"])
        missing = r.Operation(add_to_dataset=r.AddToDataset(dataset_id="nowhere"))
        res = await post(transport, account, r.BulkOperation(**ids_of("a"), operation=missing))
        assert_missing(res, "bulk_operations[0].operation.add_to_dataset.dataset_id", "nowhere")

        assert (
            await run(transport, account, r.BulkOperation(id="op", **ids_of("a"), operation=ADD))
        ).id
        res = await post(transport, account, r.BulkOperation(id="op", **ids_of("a"), operation=ADD))
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY, res.status
        assert "bulk_operations[0].id" in res.status.details


# ---- lists, cancel, delete ----


class TestLifecycle:
    async def test_list_is_paginated_newest_first_and_per_app(
        self, transport, stub, account, new_account
    ):
        await add_inputs(stub, account, ["a"])
        for n in range(3):
            await run(
                transport, account, r.BulkOperation(id=f"op{n}", **ids_of("a"), operation=ADD)
            )
        pages = []
        for page in (1, 2):
            res = await transport.call(
                "ListBulkOperations",
                s.ListBulkOperationsRequest(page=page, per_page=2),
                account.key_md,
            )
            assert res.status.code == sc.SUCCESS, res.status
            pages.append([op.id for op in res.bulk_operation])
        assert pages == [["op2", "op1"], ["op0"]]
        other = await new_account()
        res = await transport.call(
            "ListBulkOperations", s.ListBulkOperationsRequest(), other.key_md
        )
        assert list(res.bulk_operation) == []
        assert_missing(await get(transport, other, "op0"), "op0")

    async def test_delete_only_terminated(self, transport, stub, server, account):
        await add_inputs(stub, account, ["a"])
        await run(transport, account, r.BulkOperation(id="done", **ids_of("a"), operation=ADD))
        async with held(server, account, "a"):
            res = await post(
                transport, account, r.BulkOperation(id="busy", **ids_of("a"), operation=ADD)
            )
            assert res.status.code == sc.SUCCESS, res.status
            refused = await transport.call(
                "DeleteBulkOperations",
                s.DeleteBulkOperationRequest(ids=["done", "busy"]),
                account.key_md,
            )
            assert_invalid(refused, "ids[1]", "busy", "terminated", code=BAD)
            # Atomic: "done" is still there.
            assert (await get(transport, account, "done")).status.code == sc.SUCCESS
        await ended(transport, account, "busy")
        res = await transport.call(
            "DeleteBulkOperations",
            s.DeleteBulkOperationRequest(ids=["done", "busy"]),
            account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert_missing(await get(transport, account, "done"), "done")
        res = await transport.call(
            "DeleteBulkOperations", s.DeleteBulkOperationRequest(ids=["done"]), account.key_md
        )
        assert_missing(res, "ids[0]", "done")

    async def test_cancel_stops_and_nothing_changes_after(
        self, transport, stub, server, settings, account
    ):
        chunk = settings.bulk_chunk  # as the session's server runs
        ids = [f"in{n:04}" for n in range(3 * chunk)]
        await add_inputs(stub, account, ids)
        # The second chunk waits on an input a transaction holds: the first
        # chunk is done, the second under way when the cancel comes.
        async with held(server, account, ids[chunk + 5]) as release:
            res = await post(
                transport, account, r.BulkOperation(id="big", **ids_of(*ids), operation=ADD)
            )
            assert res.status.code == sc.SUCCESS, res.status
            while (await get(transport, account, "big")).bulk_operation.progress.processed == 0:
                await asyncio.sleep(0.02)
            cancelling = asyncio.create_task(
                transport.call(
                    "CancelBulkOperations",
                    s.CancelBulkOperationRequest(ids=["big"]),
                    account.key_md,
                )
            )
            await lock_waiter(server, "%pg_advisory_xact_lock(%")  # the cancel's turn
            release()
        res = await cancelling
        assert res.status.code == sc.SUCCESS, res.status
        op = res.bulk_operation[0]
        assert op.status.code == sc.BULK_OPERATION_CANCELLED
        # The chunk under way finished; none began after.
        assert op.progress.processed == 2 * chunk
        assert op.progress.last_processed_id == ids[2 * chunk - 1]
        labelled = await labelled_count(stub, account, ids)
        await asyncio.sleep(1.0)  # time for a chunk, were one to run
        assert await labelled_count(stub, account, ids) == labelled == 2 * chunk
        again = await get(transport, account, "big")
        assert again.bulk_operation.progress.processed == 2 * chunk
        # Cancelling again answers it as it is; an ended one is refused.
        res = await transport.call(
            "CancelBulkOperations", s.CancelBulkOperationRequest(ids=["big"]), account.key_md
        )
        assert res.bulk_operation[0].status.code == sc.BULK_OPERATION_CANCELLED
        await run(transport, account, r.BulkOperation(id="small", **ids_of(ids[0]), operation=ADD))
        res = await transport.call(
            "CancelBulkOperations", s.CancelBulkOperationRequest(ids=["small"]), account.key_md
        )
        assert_invalid(res, "ids[0]", "small", "succeeded", code=BAD)


async def labelled_count(stub, account, ids: list[str]) -> int:
    count = 0
    for start in range(0, len(ids), 128):
        res = await stub.ListInputs(
            s.ListInputsRequest(ids=ids[start : start + 128], per_page=128),
            metadata=account.key_md,
        )
        count += sum(1 for i in res.inputs if any(c.id == "x" for c in i.data.concepts))
    return count


async def lock_waiter(server, query: str) -> None:
    """Return once a statement like `query` waits for a lock: the cancel is
    queued behind the chunk under way, ahead of the next chunk."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE :query"
    )
    for _ in range(1000):
        async with server.db.transaction() as session:
            if (await session.execute(waiting, {"query": query})).scalar():
                return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no statement like {query} waited")


class held:  # noqa: N801 (used as a context manager)
    """An input row locked by a transaction of the test's own until the
    block ends or the function it yields is called: as a writer of the
    input locks it (FOR NO KEY UPDATE), which keeps out a bulk operation's
    chunk but not the index job adding the input's embeddings."""

    def __init__(self, server, account, input_id: str) -> None:
        self.server, self.account, self.input_id = server, account, input_id

    async def __aenter__(self):
        self._tx = self.server.db.transaction()
        session = await self._tx.__aenter__()
        await session.execute(
            text(
                "SELECT i.pk FROM inputs i JOIN apps a ON a.pk = i.app_pk "
                "WHERE a.id = :app AND a.user_id = :user AND i.id = :id FOR NO KEY UPDATE OF i"
            ),
            {"app": self.account.app_id, "user": self.account.user_id, "id": self.input_id},
        )
        self._released = False
        return self._release_soon

    def _release_soon(self) -> None:
        self._task = asyncio.ensure_future(self._release())

    async def _release(self) -> None:
        if not self._released:
            self._released = True
            await self._tx.__aexit__(None, None, None)

    async def __aexit__(self, *exc) -> None:
        if getattr(self, "_task", None) is not None:
            await self._task
        await self._release()
