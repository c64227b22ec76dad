"""Datasets, dataset inputs, versions and exports over gRPC (downloads over
the REST port). Inputs and annotations are written straight into the
database, as PostInputs and PostAnnotations would store them."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
import zipfile
from urllib.parse import urlsplit

import aiohttp
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format, struct_pb2
from sqlalchemy import delete, update

from server import http_extra
from server.indexing import general_version_id
from server.services import dataset_inputs
from storage import blobs
from storage.annotations import Annotation
from storage.dataset_versions import DatasetVersionStorage, MetricsGroup
from storage.datasets import DatasetStorage
from storage.inputs import Input
from storage.listing import Page
from tests.helpers import (
    app_of,
    app_scope,
    assert_invalid,
    assert_missing,
    me,
    png,
    rest_call,
    struct,
)

PENDING_OR_RUNNING = (sc.DATASET_VERSION_PENDING, sc.DATASET_VERSION_IN_PROGRESS)
EXPORT_RUNNING = (sc.DATASET_VERSION_EXPORT_PENDING, sc.DATASET_VERSION_EXPORT_IN_PROGRESS)


def json_of(value: struct_pb2.Struct) -> dict:
    return json_format.MessageToDict(value)


def box(top, left, bottom, right, concept="cat", value=1.0) -> dict:
    return {
        "regions": [
            {
                "id": uuid.uuid4().hex[:8],
                "region_info": {
                    "bounding_box": {
                        "top_row": top,
                        "left_col": left,
                        "bottom_row": bottom,
                        "right_col": right,
                    }
                },
                "data": {"concepts": [{"id": concept, "name": concept, "value": value}]},
            }
        ]
    }


class Data:
    """Writes inputs and annotations of an account's app directly."""

    def __init__(self, server, account) -> None:
        self.server = server
        self.db = server.db
        self.account = account

    async def app(self):
        return await app_scope(self.server, self.account)

    async def input(self, input_id: str, *, concepts=(), metadata=None, geo=False, **anns) -> None:
        app = await self.app()
        data: dict = {
            "image": {
                "url": f"https://example.com/{input_id}.jpg",
                "image_info": {"width": 200, "height": 100},
            }
        }
        if metadata:
            data["metadata"] = metadata
        if geo:
            data["geo"] = {"geo_point": {"longitude": 1.5, "latitude": 2.5}}
        async with self.db.transaction() as session:
            session.add(Input(app_pk=app.pk, id=input_id, data=data, status_code=sc.INPUT_SUCCESS))
            await session.flush()
            session.add(
                Annotation(
                    app_pk=app.pk,
                    id=f"{input_id}-label",
                    input_id=input_id,
                    input_level=True,
                    user_id=self.account.user_id,
                    data={"concepts": [{"id": c, "name": c, "value": 1.0} for c in concepts]},
                )
            )

    async def annotate(self, input_id: str, ann_id: str, data: dict, status=sc.ANNOTATION_SUCCESS):
        app = await self.app()
        async with self.db.transaction() as session:
            session.add(
                Annotation(
                    app_pk=app.pk,
                    id=ann_id,
                    input_id=input_id,
                    user_id=self.account.user_id,
                    data=data,
                    status_code=status,
                )
            )

    async def set_annotation(self, ann_id: str, data: dict) -> None:
        app = await self.app()
        async with self.db.transaction() as session:
            await session.execute(
                update(Annotation)
                .where(Annotation.app_pk == app.pk, Annotation.id == ann_id)
                .values(data=data)
            )

    async def drop_input(self, input_id: str) -> None:
        app = await self.app()
        async with self.db.transaction() as session:
            await session.execute(delete(Input).where(Input.app_pk == app.pk, Input.id == input_id))


@pytest.fixture
def data(server, account) -> Data:
    return Data(server, account)


async def post_dataset(stub, account, dataset_id="ds", **fields):
    res = await stub.PostDatasets(
        s.PostDatasetsRequest(
            user_app_id=me("main"),
            datasets=[r.Dataset(id=dataset_id, **fields)],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.datasets[0]


async def add_to(stub, account, dataset_id, *input_ids):
    return await stub.PostDatasetInputs(
        s.PostDatasetInputsRequest(
            user_app_id=me("main"),
            dataset_id=dataset_id,
            dataset_inputs=[r.DatasetInput(input=r.Input(id=i)) for i in input_ids],
        ),
        metadata=account.md(),
    )


async def get_dataset(stub, account, dataset_id="ds"):
    return await stub.GetDataset(
        s.GetDatasetRequest(user_app_id=app_of(account), dataset_id=dataset_id),
        metadata=account.md(),
    )


async def list_dataset_inputs(stub, account, dataset_id="ds", **kw):
    res = await stub.ListDatasetInputs(
        s.ListDatasetInputsRequest(user_app_id=app_of(account), dataset_id=dataset_id, **kw),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [d.input.id for d in res.dataset_inputs]


async def post_version(stub, account, dataset_id="ds", version_id="v1", **fields):
    res = await stub.PostDatasetVersions(
        s.PostDatasetVersionsRequest(
            user_app_id=app_of(account),
            dataset_id=dataset_id,
            dataset_versions=[r.DatasetVersion(id=version_id, **fields)],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.dataset_versions[0]


async def get_version(stub, account, dataset_id="ds", version_id="v1"):
    res = await stub.GetDatasetVersion(
        s.GetDatasetVersionRequest(
            user_app_id=app_of(account), dataset_id=dataset_id, dataset_version_id=version_id
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.dataset_version


async def ready_version(stub, account, dataset_id="ds", version_id="v1"):
    for _ in range(200):
        version = await get_version(stub, account, dataset_id, version_id)
        if version.status.code not in PENDING_OR_RUNNING:
            return version
        await asyncio.sleep(0.05)
    raise AssertionError(f"version still {version.status}")


async def put_exports(stub, account, *formats, dataset_id="ds", version_id="v1"):
    return await stub.PutDatasetVersionExports(
        s.PutDatasetVersionExportsRequest(
            user_app_id=app_of(account),
            dataset_id=dataset_id,
            dataset_version_id=version_id,
            exports=[r.DatasetVersionExport(format=f) for f in formats],
        ),
        metadata=account.md(),
    )


async def finished_export(stub, account, field, dataset_id="ds", version_id="v1"):
    for _ in range(200):
        version = await get_version(stub, account, dataset_id, version_id)
        export = getattr(version.export_info, field)
        if export.status.code not in EXPORT_RUNNING:
            return export
        await asyncio.sleep(0.05)
    raise AssertionError(f"export still {export.status}")


async def download(rest, url, token=None, *, signed=False):
    """GET `url` on the test server: without its signature (so the token
    decides) unless `signed`."""
    headers = {"Authorization": f"Key {token}"} if token else {}
    parts = urlsplit(url)
    where = rest + parts.path + (f"?{parts.query}" if signed else "")
    async with (
        aiohttp.ClientSession() as http,
        http.get(where, headers=headers) as res,
    ):
        return res.status, res.headers.get("Content-Type", ""), await res.read()


async def post_media(stub, account, data, input_id, text_or_png: str | bytes, *dataset_ids) -> str:
    """A text input (its raw kept in its row) or an image (its bytes in a
    blob), in these datasets; returns the key its hosted URL names."""
    if isinstance(text_or_png, str):
        sent = r.Data(text=r.Text(raw=text_or_png))
    else:
        sent = r.Data(image=r.Image(base64=text_or_png))
    res = await stub.PostInputs(
        s.PostInputsRequest(
            user_app_id=app_of(account),
            inputs=[r.Input(id=input_id, data=sent, dataset_ids=dataset_ids)],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    medium = res.inputs[0].data.text if isinstance(text_or_png, str) else res.inputs[0].data.image
    return f"{(await data.app()).pk}/{medium.hosted.suffix.rsplit('/', 1)[1]}"


async def removed(store, key) -> bool:
    """Whether the blob goes (blobs go right after the commit)."""
    for _ in range(100):
        if await store.stat(key) is None:
            return True
        await asyncio.sleep(0.02)
    return False


async def export_location(server, data, dataset_id="ds", version_id="v1") -> str:
    """Where the version's one export is stored."""
    app = await data.app()
    async with server.db.transaction() as session:
        dataset = await DatasetStorage(session, app).get(dataset_id)
        version = await DatasetVersionStorage(session, app).get_version(dataset.pk, version_id)
        [row] = (await DatasetVersionStorage(session, app).exports_of([version.pk]))[version.pk]
    return row.location


# ---- datasets ----


class TestPostDatasets:
    async def test_creates_and_reads_back(self, stub, account):
        made = await post_dataset(
            stub, account, "cars", description="d", notes="n", metadata=struct(k="v")
        )
        assert made.id == "cars" and made.app_id == "main" and made.user_id == account.user_id
        assert made.visibility.gettable == r.Visibility.PRIVATE
        got = await get_dataset(stub, account, "cars")
        assert got.status.code == sc.SUCCESS
        assert got.dataset.description == "d" and got.dataset.notes == "n"
        assert dict(got.dataset.metadata) == {"k": "v"}
        assert got.dataset.created_at.seconds > 0

    async def test_generates_an_id_and_takes_an_app_key(self, stub, account):
        res = await stub.PostDatasets(
            s.PostDatasetsRequest(datasets=[r.Dataset()]), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert len(res.datasets[0].id) == 32

    @pytest.mark.parametrize(
        ("datasets", "code", "where"),
        [
            ([], sc.CONN_INVALID_REQUEST, "datasets"),
            (
                [r.Dataset(id="ok"), r.Dataset(id="bad id!")],
                sc.CONN_INVALID_REQUEST,
                "datasets[1].id",
            ),
            ([r.Dataset(id="a"), r.Dataset(id="a")], sc.DATABASE_DUPLICATE_KEY, "datasets[1].id"),
            (
                [r.Dataset(id="ok"), r.Dataset(id="v", visibility=r.Visibility(gettable=7))],
                sc.CONN_INVALID_REQUEST,
                "datasets[1].visibility",
            ),
        ],
    )
    async def test_invalid_writes_nothing(self, stub, account, datasets, code, where):
        res = await stub.PostDatasets(
            s.PostDatasetsRequest(user_app_id=app_of(account), datasets=datasets),
            metadata=account.md(),
        )
        assert res.status.code == code
        assert where in res.status.details
        assert not res.datasets
        listed = await stub.ListDatasets(
            s.ListDatasetsRequest(user_app_id=app_of(account)), metadata=account.md()
        )
        assert list(listed.datasets) == []

    async def test_existing_id(self, stub, account):
        await post_dataset(stub, account, "taken")
        res = await stub.PostDatasets(
            s.PostDatasetsRequest(
                user_app_id=app_of(account), datasets=[r.Dataset(id="new"), r.Dataset(id="taken")]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "datasets[1].id" in res.status.details and "taken" in res.status.details
        assert (await get_dataset(stub, account, "new")).status.code == sc.CONN_DOES_NOT_EXIST


class TestGetDataset:
    async def test_missing(self, transport, account):
        res = await transport.call(
            "GetDataset",
            s.GetDatasetRequest(user_app_id=app_of(account), dataset_id="nope"),
            account.md(),
            http_status=404,
        )
        assert_missing(res, "nope")
        assert not res.HasField("dataset")

    async def test_other_apps_datasets_are_invisible(self, stub, account, new_account):
        await post_dataset(stub, account, "private")
        other = await new_account()
        own = await stub.GetDataset(
            s.GetDatasetRequest(user_app_id=app_of(other), dataset_id="private"),
            metadata=other.md(),
        )
        assert own.status.code == sc.CONN_DOES_NOT_EXIST
        theirs = await stub.GetDataset(
            s.GetDatasetRequest(user_app_id=app_of(account), dataset_id="private"),
            metadata=other.md(),
        )
        assert theirs.status.code == sc.CONN_DOES_NOT_EXIST
        assert not theirs.HasField("dataset")

    async def test_shows_the_latest_version(self, stub, account, data):
        await post_dataset(stub, account)
        await data.input("i1")
        await add_to(stub, account, "ds", "i1")
        await post_version(stub, account, version_id="old")
        await post_version(stub, account, version_id="new")
        await ready_version(stub, account, version_id="new")
        got = await get_dataset(stub, account)
        assert got.dataset.version.id == "new"
        assert got.dataset.version.metrics["/"].inputs_count.value == 1


class TestListDatasets:
    async def test_pages_and_sorts(self, stub, account):
        for name in ("b", "c", "a"):
            await post_dataset(stub, account, name)

        async def listed(**kw):
            res = await stub.ListDatasets(
                s.ListDatasetsRequest(user_app_id=app_of(account), **kw), metadata=account.md()
            )
            assert res.status.code == sc.SUCCESS, res.status
            return [d.id for d in res.datasets]

        assert await listed() == ["a", "c", "b"]  # most recently modified first
        assert await listed(sort_by_id=True, sort_ascending=True) == ["a", "b", "c"]
        assert await listed(sort_by_created_at=True, sort_ascending=True) == ["b", "c", "a"]
        assert await listed(sort_by_id=True, page=2, per_page=2) == ["a"]
        assert await listed(page=3, per_page=2) == []
        res = await stub.ListDatasets(
            s.ListDatasetsRequest(user_app_id=app_of(account), per_page=1001),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "per_page" in res.status.details


class TestPatchDatasets:
    async def patch(self, stub, account, action, *datasets):
        return await stub.PatchDatasets(
            s.PatchDatasetsRequest(
                user_app_id=app_of(account), action=action, datasets=list(datasets)
            ),
            metadata=account.md(),
        )

    async def test_merge_overwrite_remove(self, stub, account):
        await post_dataset(
            stub,
            account,
            description="old",
            notes="notes",
            metadata=struct(a=1, b={"c": 2}),
            image=r.Image(url="https://example.com/cover.png"),
        )
        res = await self.patch(
            stub,
            account,
            "merge",
            r.Dataset(id="ds", description="new", metadata=struct(b={"d": 3})),
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = (await get_dataset(stub, account)).dataset
        assert got.description == "new" and got.notes == "notes"
        assert json_of(got.metadata) == {"a": 1, "b": {"c": 2, "d": 3}}

        res = await self.patch(stub, account, "overwrite", r.Dataset(id="ds", metadata=struct(z=1)))
        assert res.status.code == sc.SUCCESS
        assert json_of((await get_dataset(stub, account)).dataset.metadata) == {"z": 1}

        res = await self.patch(
            stub,
            account,
            "remove",
            r.Dataset(
                id="ds",
                notes="x",
                metadata=struct(z=True),
                image=r.Image(url="https://example.com/cover.png"),
            ),
        )
        assert res.status.code == sc.SUCCESS
        got = (await get_dataset(stub, account)).dataset
        assert got.notes == "" and json_of(got.metadata) == {} and not got.image.url
        assert got.description == "new"

    async def test_unknown_action(self, stub, account):
        await post_dataset(stub, account)
        res = await self.patch(stub, account, "replace", r.Dataset(id="ds", description="x"))
        assert res.status.code == sc.CONN_INVALID_REQUEST and "action" in res.status.details

    async def test_missing_dataset_writes_nothing(self, stub, account):
        await post_dataset(stub, account, description="before")
        res = await self.patch(
            stub,
            account,
            "merge",
            r.Dataset(id="ds", description="after"),
            r.Dataset(id="ghost", description="x"),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "datasets[1].id" in res.status.details and "ghost" in res.status.details
        assert (await get_dataset(stub, account)).dataset.description == "before"

    async def test_sets_modified_at(self, stub, account):
        made = await post_dataset(stub, account, description="before")
        res = await self.patch(stub, account, "merge", r.Dataset(id="ds", description="after"))
        assert res.status.code == sc.SUCCESS, res.status
        assert res.datasets[0].modified_at.ToDatetime() > made.modified_at.ToDatetime()
        got = (await get_dataset(stub, account)).dataset
        assert got.modified_at == res.datasets[0].modified_at

    async def test_bad_visibility_writes_nothing(self, stub, account):
        await post_dataset(stub, account, description="before")
        res = await self.patch(
            stub,
            account,
            "merge",
            r.Dataset(id="ds", description="after", visibility=r.Visibility(gettable=3)),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "datasets[0].visibility" in res.status.details
        assert (await get_dataset(stub, account)).dataset.description == "before"


class TestDeleteDatasets:
    async def test_deletes(self, stub, account, data):
        await post_dataset(stub, account, "gone")
        await data.input("kept")
        await add_to(stub, account, "gone", "kept")
        res = await stub.DeleteDatasets(
            s.DeleteDatasetsRequest(user_app_id=app_of(account), dataset_ids=["gone"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert (await get_dataset(stub, account, "gone")).status.code == sc.CONN_DOES_NOT_EXIST

    async def test_missing_deletes_nothing(self, stub, account):
        await post_dataset(stub, account, "stays")
        res = await stub.DeleteDatasets(
            s.DeleteDatasetsRequest(user_app_id=app_of(account), dataset_ids=["stays", "ghost"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "dataset_ids[1]" in res.status.details
        assert (await get_dataset(stub, account, "stays")).status.code == sc.SUCCESS

    async def test_needs_ids(self, stub, account):
        res = await stub.DeleteDatasets(
            s.DeleteDatasetsRequest(user_app_id=app_of(account)), metadata=account.md()
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "dataset_ids" in res.status.details


# ---- dataset inputs ----


class TestPostDatasetInputs:
    async def test_all_added(self, stub, account, data):
        await post_dataset(stub, account)
        await data.input("i1", concepts=["dog"])
        await data.input("i2")
        res = await add_to(stub, account, "ds", "i1", "i2")
        assert res.status.code == sc.SUCCESS, res.status
        assert [d.input.status.code for d in res.dataset_inputs] == [sc.DATASET_INPUT_SUCCESS] * 2
        first = res.dataset_inputs[0]
        assert first.input.id == "i1" and first.created_at.seconds > 0
        assert first.input.data.image.url == "https://example.com/i1.jpg"
        assert [c.id for c in first.input.data.concepts] == ["dog"]
        assert await list_dataset_inputs(stub, account) == ["i1", "i2"]

    async def test_mixed_status_per_item(self, stub, account, data):
        await post_dataset(stub, account)
        await data.input("i1")
        await data.input("i2")
        await add_to(stub, account, "ds", "i1")
        res = await add_to(stub, account, "ds", "i1", "i2", "ghost", "i2", "")
        assert res.status.code == sc.MIXED_STATUS, res.status
        assert res.status.description == "Mixed Success"
        codes = [d.input.status.code for d in res.dataset_inputs]
        assert codes == [
            sc.DATASET_INPUT_DUPLICATE,
            sc.DATASET_INPUT_SUCCESS,
            sc.CONN_DOES_NOT_EXIST,
            sc.DATASET_INPUT_DUPLICATE,
            sc.CONN_INVALID_REQUEST,
        ]
        assert "dataset_inputs[2].input.id" in res.dataset_inputs[2].input.status.details
        assert "dataset_inputs[4].input.id" in res.dataset_inputs[4].input.status.details
        assert await list_dataset_inputs(stub, account) == ["i1", "i2"]

    async def test_nothing_added_is_failure(self, stub, account, data):
        await post_dataset(stub, account)
        await data.input("i1")
        await add_to(stub, account, "ds", "i1")
        res = await add_to(stub, account, "ds", "i1", "ghost")
        assert res.status.code == sc.FAILURE
        assert [d.input.status.code for d in res.dataset_inputs] == [
            sc.DATASET_INPUT_DUPLICATE,
            sc.CONN_DOES_NOT_EXIST,
        ]
        assert await list_dataset_inputs(stub, account) == ["i1"]

    async def test_missing_dataset(self, stub, account, data):
        await data.input("i1")
        res = await add_to(stub, account, "ghost", "i1")
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and "ghost" in res.status.details

    async def test_empty(self, stub, account):
        await post_dataset(stub, account)
        res = await add_to(stub, account, "ds")
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "dataset_inputs" in res.status.details

    async def test_other_apps_inputs_do_not_exist(self, stub, account, new_account, server):
        other = await new_account()
        await Data(server, other).input("theirs")
        await post_dataset(stub, account)
        res = await add_to(stub, account, "ds", "theirs")
        assert res.status.code == sc.FAILURE
        assert res.dataset_inputs[0].input.status.code == sc.CONN_DOES_NOT_EXIST


def dog_search(**search) -> r.Search:
    concept = r.Concept(id="dog", value=1)
    query = r.Query(filters=[r.Filter(annotation=r.Annotation(data=r.Data(concepts=[concept])))])
    return r.Search(query=query, **search)


async def add_found(transport, account, search: r.Search, **kw):
    return await transport.call(
        "PostDatasetInputs",
        s.PostDatasetInputsRequest(user_app_id=me("main"), dataset_id="ds", search=search),
        account.md(),
        **kw,
    )


class TestPostDatasetInputsFromASearch:
    async def test_what_the_search_finds(self, transport, stub, account, data):
        await post_dataset(stub, account)
        for input_id, concept in (("i1", "dog"), ("i2", "cat"), ("i3", "dog")):
            await data.input(input_id, concepts=[concept])
        res = await add_found(transport, account, dog_search())
        assert res.status.code == sc.SUCCESS, res.status
        assert [d.input.id for d in res.dataset_inputs] == ["i3", "i1"]  # newest first
        assert sorted(await list_dataset_inputs(stub, account)) == ["i1", "i3"]
        again = await add_found(transport, account, dog_search())
        assert again.status.code == sc.FAILURE
        assert {d.input.status.code for d in again.dataset_inputs} == {sc.DATASET_INPUT_DUPLICATE}

    async def test_a_saved_search_as_of_its_saving(self, transport, stub, account, data):
        await post_dataset(stub, account)
        await data.input("i1", concepts=["dog"])
        res = await stub.PostSearches(
            s.PostSearchesRequest(
                user_app_id=me("main"), searches=[dog_search(id="dogs", save=True)]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        await data.input("i2", concepts=["dog"])  # after the saving: not in it
        res = await add_found(transport, account, r.Search(id="dogs"))
        assert res.status.code == sc.SUCCESS, res.status
        assert await list_dataset_inputs(stub, account) == ["i1"]

    async def test_refusals_add_nothing(self, transport, stub, account, data, monkeypatch):
        await post_dataset(stub, account)
        await data.input("i1", concepts=["dog"])
        await data.input("i2", concepts=["dog"])
        res = await add_found(transport, account, r.Search(id="ghost"), http_status=404)
        assert_missing(res, "search.id", "saved search 'ghost'")
        both = s.PostDatasetInputsRequest(
            user_app_id=me("main"),
            dataset_id="ds",
            search=dog_search(),
            dataset_inputs=[r.DatasetInput(input=r.Input(id="i1"))],
        )
        res = await transport.call("PostDatasetInputs", both, account.md(), http_status=400)
        assert_invalid(res, "dataset_inputs and search")
        monkeypatch.setattr(dataset_inputs, "FROM_SEARCH", 1)
        res = await add_found(transport, account, dog_search(), http_status=400)
        assert_invalid(res, "search finds more than 1 inputs", code=sc.SEARCH_INVALID_REQUEST)
        assert await list_dataset_inputs(stub, account) == []


class TestListDatasetInputs:
    async def test_pages(self, stub, account, data):
        await post_dataset(stub, account)
        for n in range(5):
            await data.input(f"i{n}")
        await add_to(stub, account, "ds", "i3", "i1", "i4", "i0")
        assert await list_dataset_inputs(stub, account) == ["i3", "i1", "i4", "i0"]
        assert await list_dataset_inputs(stub, account, page=2, per_page=3) == ["i0"]
        assert await list_dataset_inputs(stub, account, page=9, per_page=3) == []

    async def test_missing_dataset(self, stub, account):
        res = await stub.ListDatasetInputs(
            s.ListDatasetInputsRequest(user_app_id=app_of(account), dataset_id="ghost"),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST


class TestGetDatasetInput:
    async def test_in_and_out(self, stub, account, data):
        await post_dataset(stub, account)
        await data.input("in", metadata={"k": 1})
        await data.input("out")
        await add_to(stub, account, "ds", "in")

        async def get(input_id):
            return await stub.GetDatasetInput(
                s.GetDatasetInputRequest(
                    user_app_id=app_of(account), dataset_id="ds", input_id=input_id
                ),
                metadata=account.md(),
            )

        res = await get("in")
        assert res.status.code == sc.SUCCESS, res.status
        assert res.dataset_input.input.id == "in"
        assert json_of(res.dataset_input.input.data.metadata) == {"k": 1}
        res = await get("out")
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "'out'" in res.status.details and "'ds'" in res.status.details


class TestDeleteDatasetInputs:
    async def delete(self, stub, account, *ids):
        return await stub.DeleteDatasetInputs(
            s.DeleteDatasetInputsRequest(
                user_app_id=app_of(account), dataset_id="ds", input_ids=list(ids)
            ),
            metadata=account.md(),
        )

    async def test_removes_from_dataset_only(self, stub, account, data):
        await post_dataset(stub, account)
        await data.input("i1")
        await data.input("i2")
        await add_to(stub, account, "ds", "i1", "i2")
        res = await self.delete(stub, account, "i1")
        assert res.status.code == sc.SUCCESS, res.status
        assert await list_dataset_inputs(stub, account) == ["i2"]
        res = await add_to(stub, account, "ds", "i1")  # the input itself is still there
        assert res.status.code == sc.SUCCESS

    async def test_not_in_dataset_removes_nothing(self, stub, account, data):
        await post_dataset(stub, account)
        await data.input("i1")
        await add_to(stub, account, "ds", "i1")
        res = await self.delete(stub, account, "i1", "i9")
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "input_ids[1]" in res.status.details
        assert await list_dataset_inputs(stub, account) == ["i1"]


# ---- versions ----


async def labelled_dataset(stub, account, data) -> None:
    """i1: tagged dog, metadata, geo, a box labelled cat; i2: unlabelled,
    with a pending box that a version leaves out."""
    await post_dataset(stub, account)
    await data.input("i1", concepts=["dog"], metadata={"k": "v"}, geo=True)
    await data.annotate("i1", "a-box", box(0.1, 0.2, 0.5, 0.6))
    await data.input("i2")
    await data.annotate("i2", "a-pending", box(0.0, 0.0, 1.0, 1.0), status=sc.ANNOTATION_PENDING)
    res = await add_to(stub, account, "ds", "i1", "i2")
    assert res.status.code == sc.SUCCESS, res.status


GENERAL_VERSION = general_version_id()


class TestPostDatasetVersions:
    async def test_pending_then_ready_with_metrics(self, stub, account, data):
        await labelled_dataset(stub, account, data)
        made = await post_version(stub, account, description="first", metadata=struct(a=1))
        assert made.status.code in PENDING_OR_RUNNING
        assert made.dataset_id == "ds" and made.request_origin == r.MANUAL
        version = await ready_version(stub, account)
        assert version.status.code == sc.DATASET_VERSION_READY, version.status
        m = version.metrics["/"]
        assert m.inputs_count.value == 2
        assert m.unlabeled_inputs_count.value == 1
        assert m.inputs_with_metadata_count.value == 1
        assert m.inputs_with_geo_count.value == 1
        assert m.regions_count.value == 1 and m.bounding_boxes_count.value == 1
        assert m.region_inputs_count.value == 1
        assert m.positive_input_tags_count.value == 1
        assert m.positive_region_tags_count.value == 1
        assert m.polygons_count.value == 0 and m.HasField("polygons_count")

    async def test_the_base_workflow_s_predictions_are_not_labels(self, stub, account, data):
        await labelled_dataset(stub, account, data)
        app = await data.app()
        async with data.db.transaction() as session:
            session.add(
                Annotation(
                    app_pk=app.pk,
                    id="predicted",
                    input_id="i2",
                    input_level=True,
                    model_version_id=GENERAL_VERSION,
                    data={"concepts": [{"id": "n02123045", "name": "tabby", "value": 0.9}]},
                )
            )
        await post_version(stub, account)
        m = (await ready_version(stub, account)).metrics["/"]
        assert m.unlabeled_inputs_count.value == 1
        assert m.positive_input_tags_count.value == 1

    async def test_later_edits_leave_the_version_unchanged(self, stub, account, data, rest):
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        # After the version: a new input, a moved box, an input gone.
        await data.input("i3", concepts=["cow"])
        await add_to(stub, account, "ds", "i3")
        await data.set_annotation("a-box", box(0.0, 0.0, 0.1, 0.1, concept="moved"))
        await data.drop_input("i2")
        version = await ready_version(stub, account)
        assert version.metrics["/"].inputs_count.value == 2
        assert await list_dataset_inputs(stub, account) == ["i1", "i3"]

        res = await put_exports(stub, account, r.CLARIFAI_DATA_PROTOBUF)
        assert res.status.code == sc.SUCCESS, res.status
        export = await finished_export(stub, account, "clarifai_data_protobuf")
        _, _, body = await download(rest, export.url, account.pat)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            [name] = [n for n in archive.namelist() if n != "mimetype"]
            batch = r.InputBatch.FromString(archive.read(name))
        assert [i.id for i in batch.inputs] == ["i1", "i2"]
        region = batch.inputs[0].data.regions[0]
        assert region.data.concepts[0].id == "cat"
        assert region.region_info.bounding_box.top_row == pytest.approx(0.1)

    async def test_several_in_one_call_hold_the_same_inputs(self, stub, account, data):
        await labelled_dataset(stub, account, data)
        res = await stub.PostDatasetVersions(
            s.PostDatasetVersionsRequest(
                user_app_id=app_of(account),
                dataset_id="ds",
                dataset_versions=[r.DatasetVersion(id="v1"), r.DatasetVersion(id="v2")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [v.id for v in res.dataset_versions] == ["v1", "v2"]
        for version_id in ("v1", "v2"):
            version = await ready_version(stub, account, version_id=version_id)
            assert version.metrics["/"].inputs_count.value == 2
            assert version.metrics["/"].regions_count.value == 1

    async def test_invalid_writes_nothing(self, stub, account, data):
        await post_dataset(stub, account)
        await post_version(stub, account, version_id="v1")
        res = await stub.PostDatasetVersions(
            s.PostDatasetVersionsRequest(
                user_app_id=app_of(account),
                dataset_id="ds",
                dataset_versions=[r.DatasetVersion(id="v2"), r.DatasetVersion(id="v1")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "dataset_versions[1].id" in res.status.details
        res = await stub.PostDatasetVersions(
            s.PostDatasetVersionsRequest(
                user_app_id=app_of(account),
                dataset_id="ds",
                dataset_versions=[r.DatasetVersion(id="v3"), r.DatasetVersion(id="no way")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "dataset_versions[1].id" in res.status.details
        listed = await stub.ListDatasetVersions(
            s.ListDatasetVersionsRequest(user_app_id=app_of(account), dataset_id="ds"),
            metadata=account.md(),
        )
        assert [v.id for v in listed.dataset_versions] == ["v1"]

    async def test_missing_dataset(self, stub, account):
        res = await stub.PostDatasetVersions(
            s.PostDatasetVersionsRequest(
                user_app_id=app_of(account),
                dataset_id="ghost",
                dataset_versions=[r.DatasetVersion()],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST


class TestGetDatasetVersion:
    async def test_missing_and_other_app(self, stub, account, new_account):
        await post_dataset(stub, account)
        await post_version(stub, account)
        res = await stub.GetDatasetVersion(
            s.GetDatasetVersionRequest(
                user_app_id=app_of(account), dataset_id="ds", dataset_version_id="v9"
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and "v9" in res.status.details
        other = await new_account()
        res = await stub.GetDatasetVersion(
            s.GetDatasetVersionRequest(
                user_app_id=app_of(account), dataset_id="ds", dataset_version_id="v1"
            ),
            metadata=other.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert not res.HasField("dataset_version")


class TestListDatasetVersions:
    async def test_newest_first_and_filters(self, stub, account):
        await post_dataset(stub, account)
        for v in ("v1", "v2", "v3"):
            await post_version(stub, account, version_id=v)

        async def listed(**kw):
            res = await stub.ListDatasetVersions(
                s.ListDatasetVersionsRequest(user_app_id=app_of(account), dataset_id="ds", **kw),
                metadata=account.md(),
            )
            assert res.status.code == sc.SUCCESS, res.status
            return [v.id for v in res.dataset_versions]

        assert await listed() == ["v3", "v2", "v1"]
        assert await listed(page=2, per_page=2) == ["v1"]
        assert await listed(request_origins=[r.MANUAL]) == ["v3", "v2", "v1"]
        assert await listed(request_origins=[r.TRAINING]) == []


class TestPatchDatasetVersions:
    async def patch(self, stub, account, action, *versions):
        return await stub.PatchDatasetVersions(
            s.PatchDatasetVersionsRequest(
                user_app_id=app_of(account),
                dataset_id="ds",
                action=action,
                dataset_versions=list(versions),
            ),
            metadata=account.md(),
        )

    async def test_overwrite(self, stub, account):
        await post_dataset(stub, account)
        await post_version(stub, account, description="old", metadata=struct(a=1))
        res = await self.patch(
            stub, account, "overwrite", r.DatasetVersion(id="v1", metadata=struct(b=2))
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = await get_version(stub, account)
        assert got.description == "old" and json_of(got.metadata) == {"b": 2}

    async def test_only_overwrite(self, stub, account):
        await post_dataset(stub, account)
        await post_version(stub, account, description="old")
        res = await self.patch(stub, account, "merge", r.DatasetVersion(id="v1", description="x"))
        assert res.status.code == sc.CONN_INVALID_REQUEST and "merge" in res.status.details

    async def test_sets_modified_at(self, stub, account):
        await post_dataset(stub, account)
        made = await post_version(stub, account)
        ready = await ready_version(stub, account)  # the build job changes it too
        assert ready.modified_at.ToDatetime() > made.modified_at.ToDatetime()
        res = await self.patch(
            stub, account, "overwrite", r.DatasetVersion(id="v1", description="x")
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.dataset_versions[0].modified_at.ToDatetime() > ready.modified_at.ToDatetime()

    async def test_missing_writes_nothing(self, stub, account):
        await post_dataset(stub, account)
        await post_version(stub, account, description="old")
        res = await self.patch(
            stub,
            account,
            "overwrite",
            r.DatasetVersion(id="v1", description="new"),
            r.DatasetVersion(id="v9"),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "dataset_versions[1].id" in res.status.details
        assert (await get_version(stub, account)).description == "old"


class TestDeleteDatasetVersions:
    async def delete(self, stub, account, *ids):
        return await stub.DeleteDatasetVersions(
            s.DeleteDatasetVersionsRequest(
                user_app_id=app_of(account), dataset_id="ds", dataset_version_ids=list(ids)
            ),
            metadata=account.md(),
        )

    async def test_deletes_and_missing_deletes_nothing(self, stub, account):
        await post_dataset(stub, account)
        await post_version(stub, account, version_id="v1")
        await post_version(stub, account, version_id="v2")
        res = await self.delete(stub, account, "v1", "v9")
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "dataset_version_ids[1]" in res.status.details
        res = await self.delete(stub, account, "v1")
        assert res.status.code == sc.SUCCESS, res.status
        listed = await stub.ListDatasetVersions(
            s.ListDatasetVersionsRequest(user_app_id=app_of(account), dataset_id="ds"),
            metadata=account.md(),
        )
        assert [v.id for v in listed.dataset_versions] == ["v2"]

    async def test_deleting_removes_stored_archives(
        self, stub, account, data, server, settings, rest
    ):
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        await put_exports(stub, account, r.COCO)
        export = await finished_export(stub, account, "coco")
        location = await export_location(server, data)
        store = blobs.store_for(settings.data_dir)
        assert await store.stat(location) is not None
        res = await self.delete(stub, account, "v1")
        assert res.status.code == sc.SUCCESS, res.status
        assert await removed(store, location)
        status, _, _ = await download(rest, export.url, account.pat)
        assert status == 404


Group = r.DatasetVersionMetricsGroupType


def value_of(group: r.DatasetVersionMetricsGroup) -> str | float:
    kind = group.value.WhichOneof("kind")
    return group.value.string_value if kind == "string_value" else group.value.number_value


async def metrics_groups(transport, account, version_id="v1", **kw):
    return await transport.call(
        "ListDatasetVersionMetricsGroups",
        s.ListDatasetVersionMetricsGroupsRequest(
            user_app_id=app_of(account), dataset_id="ds", dataset_version_id=version_id, **kw
        ),
        account.md(),
    )


def listed_groups(res) -> list[tuple[str, str, str | float, int]]:
    assert res.status.code == sc.SUCCESS, res.status
    return [
        (g.parent_path, Group.Name(g.type), value_of(g), g.metrics.inputs_count.value)
        for g in res.dataset_version_metrics_groups
    ]


class TestListDatasetVersionMetricsGroups:
    async def ready(self, stub, account, data) -> None:
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        assert (await ready_version(stub, account)).status.code == sc.DATASET_VERSION_READY

    async def test_every_group_of_a_ready_version(self, transport, stub, account, data):
        await self.ready(stub, account, data)
        res = await metrics_groups(transport, account)
        # i1 (dog tag, cat box) and i2 (nothing finished): images 200x100.
        assert listed_groups(res) == [
            ("/", "DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET", "total", 2),
            ("/", "INPUT_TYPE", "image", 2),
            ("/", "CONCEPT_ID", "cat", 1),
            ("/", "CONCEPT_ID", "dog", 1),
            ("/", "CONCEPTS_COUNT", 0.0, 1),
            ("/", "CONCEPTS_COUNT", 1.0, 1),
            ("/", "BOUNDING_BOXES_COUNT", 0.0, 1),
            ("/", "BOUNDING_BOXES_COUNT", 1.0, 1),
            ("/", "POLYGONS_COUNT", 0.0, 2),
            ("/", "POINTS_COUNT", 0.0, 2),
            ("/", "MASKS_COUNT", 0.0, 2),
            ("/", "PIXELS_COUNT", 20000.0, 2),
            ("/", "ASPECT_RATIO", 2.0, 2),
        ]
        groups = res.dataset_version_metrics_groups
        total, cat, dog = groups[0].metrics, groups[2].metrics, groups[3].metrics
        # The whole version's counts, as GetDatasetVersion shows them.
        assert total == (await get_version(stub, account)).metrics["/"]
        # A concept's group counts its own labels and regions only.
        assert (cat.bounding_boxes_count.value, cat.positive_region_tags_count.value) == (1, 1)
        assert (cat.positive_input_tags_count.value, cat.unlabeled_inputs_count.value) == (0, 0)
        assert (dog.positive_input_tags_count.value, dog.bounding_boxes_count.value) == (1, 0)
        assert dog.HasField("bounding_boxes_count")  # zeros are shown too
        assert dog.inputs_with_metadata_count.value == dog.inputs_with_geo_count.value == 1

    async def test_filters_and_pages(self, transport, stub, account, data):
        await self.ready(stub, account, data)
        concepts = await metrics_groups(transport, account, types=[Group.CONCEPT_ID])
        assert [value_of(g) for g in concepts.dataset_version_metrics_groups] == ["cat", "dog"]
        dog = struct_pb2.Value(string_value="dog")
        one = struct_pb2.Value(number_value=1)
        res = await metrics_groups(transport, account, values=[dog, one])
        assert [(Group.Name(g.type), value_of(g)) for g in res.dataset_version_metrics_groups] == [
            ("CONCEPT_ID", "dog"),
            ("CONCEPTS_COUNT", 1.0),
            ("BOUNDING_BOXES_COUNT", 1.0),
        ]
        res = await metrics_groups(
            transport, account, types=[Group.CONCEPTS_COUNT], values=[one], parent_paths=["/"]
        )
        assert listed_groups(res) == [("/", "CONCEPTS_COUNT", 1.0, 1)]
        assert listed_groups(await metrics_groups(transport, account, parent_paths=["/x"])) == []
        page = await metrics_groups(transport, account, page=2, per_page=2)
        assert [value_of(g) for g in page.dataset_version_metrics_groups] == ["cat", "dog"]

    async def test_an_empty_version_has_its_total(self, transport, stub, account):
        await post_dataset(stub, account)
        await post_version(stub, account)
        await ready_version(stub, account)
        res = await metrics_groups(transport, account)
        (total,) = res.dataset_version_metrics_groups
        assert value_of(total) == "total" and total.metrics.inputs_count.value == 0
        assert total.metrics.HasField("inputs_count")

    async def test_none_until_built_and_a_failed_build(self, transport, stub, account, data):
        await self.ready(stub, account, data)
        app = await data.app()
        async with data.db.transaction() as session:
            versions = DatasetVersionStorage(session, app)
            dataset = await DatasetStorage(session, app).get("ds")
            (row,) = await versions.page(dataset.pk, Page(10, 0))
            await versions.update(row, {"status_code": sc.DATASET_VERSION_PENDING})
            await session.execute(delete(MetricsGroup).where(MetricsGroup.version_pk == row.pk))
        # Being built: no groups yet, clients ask again.
        assert listed_groups(await metrics_groups(transport, account)) == []
        async with data.db.transaction() as session:
            versions = DatasetVersionStorage(session, app)
            await versions.update(row, {"status_code": sc.DATASET_VERSION_FAILURE})
        res = await metrics_groups(transport, account)
        assert_invalid(res, "failed to build")

    async def test_refusals(self, transport, stub, account, data):
        await self.ready(stub, account, data)
        res = await metrics_groups(transport, account, types=[5])
        assert_invalid(res, "types[0]")
        res = await metrics_groups(transport, account, values=[struct_pb2.Value(bool_value=True)])
        assert_invalid(res, "values[0]")
        assert_missing(await metrics_groups(transport, account, version_id="v9"), "v9")
        res = await transport.call(
            "ListDatasetVersionMetricsGroups",
            s.ListDatasetVersionMetricsGroupsRequest(
                user_app_id=app_of(account), dataset_id="nope", dataset_version_id="v1"
            ),
            account.md(),
        )
        assert_missing(res, "nope")


class TestMediaOfVersions:
    """A blob stays while a live input or a version's frozen copy of one
    refers to it, and goes with the last of them."""

    async def test_kept_until_the_last_reference_goes(self, stub, account, data, settings):
        store = blobs.store_for(settings.data_dir)
        await post_dataset(stub, account)
        k1 = await post_media(stub, account, data, "t1", png(), "ds")
        k2 = await post_media(stub, account, data, "t2", png(), "ds")
        await post_version(stub, account, version_id="v1")  # t1 and t2
        # s1 is in no version: its blob going shows the call's blobs are settled.
        s1 = await post_media(stub, account, data, "s1", png())
        res = await stub.DeleteInputs(
            s.DeleteInputsRequest(user_app_id=app_of(account), ids=["t2", "s1"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await removed(store, s1)
        assert await store.stat(k2) is not None  # v1 holds it

        await post_version(stub, account, version_id="v2")  # t1 only
        res = await stub.DeleteDatasetVersions(
            s.DeleteDatasetVersionsRequest(
                user_app_id=app_of(account), dataset_id="ds", dataset_version_ids=["v1"]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await removed(store, k2)
        assert await store.stat(k1) is not None  # t1 and v2 hold it

        s2 = await post_media(stub, account, data, "s2", png())
        res = await stub.DeleteInputs(
            s.DeleteInputsRequest(user_app_id=app_of(account), ids=["t1", "s2"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await removed(store, s2)
        assert await store.stat(k1) is not None  # v2 holds it

        res = await stub.DeleteDatasets(
            s.DeleteDatasetsRequest(user_app_id=app_of(account), dataset_ids=["ds"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await removed(store, k1)

    async def test_a_failed_delete_keeps_them(self, stub, account, data, settings):
        store = blobs.store_for(settings.data_dir)
        await post_dataset(stub, account)
        k1 = await post_media(stub, account, data, "t1", png(), "ds")
        await post_version(stub, account)
        res = await stub.DeleteDatasetVersions(
            s.DeleteDatasetVersionsRequest(
                user_app_id=app_of(account), dataset_id="ds", dataset_version_ids=["v1", "v9"]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        s1 = await post_media(stub, account, data, "s1", png())
        res = await stub.DeleteInputs(
            s.DeleteInputsRequest(user_app_id=app_of(account), ids=["t1", "s1"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await removed(store, s1)
        assert await store.stat(k1) is not None  # v1 is still there


# ---- exports ----


class TestPutDatasetVersionExports:
    async def test_protobuf_and_json_archives(self, stub, account, data, rest):
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        res = await put_exports(stub, account, r.CLARIFAI_DATA_PROTOBUF, r.CLARIFAI_DATA_JSON)
        assert res.status.code == sc.SUCCESS, res.status
        assert [e.format for e in res.exports] == [r.CLARIFAI_DATA_PROTOBUF, r.CLARIFAI_DATA_JSON]
        assert all(
            e.status.code in EXPORT_RUNNING + (sc.DATASET_VERSION_EXPORT_SUCCESS,)
            for e in res.exports
        )

        export = await finished_export(stub, account, "clarifai_data_protobuf")
        assert export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS, export.status
        assert export.format == r.CLARIFAI_DATA_PROTOBUF and export.size > 0
        status, content_type, body = await download(rest, export.url, account.pat)
        assert status == 200 and content_type == "application/zip" and len(body) == export.size
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            assert archive.namelist()[0] == "mimetype"
            assert archive.read("mimetype") == b"application/x.clarifai-data+protobuf"
            [name] = [n for n in archive.namelist() if n != "mimetype"]
            assert name == "all/batch_0_n2"
            batch = r.InputBatch.FromString(archive.read(name))
        first, second = batch.inputs
        assert first.id == "i1" and first.data.image.url == "https://example.com/i1.jpg"
        assert [c.id for c in first.data.concepts] == ["dog"]
        assert json_of(first.data.metadata) == {"k": "v"}
        assert len(first.data.regions) == 1
        assert not first.HasField("created_at") and not first.HasField("status")
        assert second.id == "i2" and not second.data.regions  # the pending box is left out

        export = await finished_export(stub, account, "clarifai_data_json")
        _, _, body = await download(rest, export.url, account.api_key)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            assert archive.read("mimetype") == b"application/x.clarifai-data+json"
            [name] = [n for n in archive.namelist() if n != "mimetype"]
            batch_js = json.loads(archive.read(name))
        assert [i["id"] for i in batch_js["inputs"]] == ["i1", "i2"]
        assert batch_js["inputs"][0]["data"]["concepts"][0]["id"] == "dog"

        # Asking again reports the finished export instead of starting over.
        again = await put_exports(stub, account, r.CLARIFAI_DATA_PROTOBUF)
        assert again.exports[0].status.code == sc.DATASET_VERSION_EXPORT_SUCCESS
        assert urlsplit(again.exports[0].url).path == urlsplit(export.url).path.replace(
            "clarifai_data_json", "clarifai_data_protobuf"
        )

    async def test_coco(self, stub, account, data, rest):
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        await put_exports(stub, account, r.COCO)
        export = await finished_export(stub, account, "coco")
        assert export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS, export.status
        _, _, body = await download(rest, export.url, account.pat)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            coco = json.loads(archive.read("annotations/instances.json"))
        assert [i["file_name"] for i in coco["images"]] == ["i1", "i2"]
        assert [c["name"] for c in coco["categories"]] == ["cat"]
        [ann] = coco["annotations"]
        assert ann["image_id"] == 1 and ann["category_id"] == 1
        assert ann["bbox"] == pytest.approx([40.0, 10.0, 80.0, 40.0])  # 200x100 pixels

    async def test_unsigned_download_needs_a_caller_of_the_app(
        self, stub, account, data, rest, new_account
    ):
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        await put_exports(stub, account, r.CLARIFAI_DATA_PROTOBUF)
        export = await finished_export(stub, account, "clarifai_data_protobuf")
        # Without its signature and without credentials: 404 (the reference's
        # answer to a download without credentials).
        status, content_type, body = await download(rest, export.url)
        assert status == 404 and content_type.startswith("application/json")
        assert json.loads(body)["status"]["code"] == sc.CONN_DOES_NOT_EXIST
        assert "without credentials" in json.loads(body)["status"]["details"]
        status, _, _ = await download(rest, export.url, "not-a-key")
        assert status == 401
        other = await new_account()
        status, _, body = await download(rest, export.url, other.pat)
        assert status == 404 and json.loads(body)["status"]["code"] == sc.CONN_DOES_NOT_EXIST

    async def test_url_is_presigned(self, stub, account, data, rest, server):
        """requests.get(export.url) works with no header, as against the
        hosted API; a changed or expired URL is refused with 403, as S3
        refuses one."""
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        await put_exports(stub, account, r.COCO)
        export = await finished_export(stub, account, "coco")
        status, content_type, body = await download(rest, export.url, signed=True)
        assert status == 200 and content_type == "application/zip"
        assert len(body) == export.size
        # The signature decides: a key sent beside it is not read.
        status, _, _ = await download(rest, export.url, "not-a-key", signed=True)
        assert status == 200

        parts = urlsplit(export.url)
        other_format = export.url.replace("/coco.zip?", "/clarifai_data_json.zip?")
        tampered = export.url[:-3] + ("AAA" if not export.url.endswith("AAA") else "BBB")
        later = export.url.replace("Expires=", "Expires=9")
        for url in (other_format, tampered, later):
            status, _, body = await download(rest, url, account.pat, signed=True)
            assert status == 403, url
            got = json.loads(body)["status"]
            assert got["code"] == sc.CONN_CREDENTIALS_INVALID
            assert "signature does not match" in got["details"]
        expired = http_extra.signed_url(server.dispatcher.settings, parts.path, now=0)
        status, _, body = await download(rest, expired, signed=True)
        assert status == 403
        assert "expired at 1970-01-01T" in json.loads(body)["status"]["details"]
        half = export.url.split("&Signature=")[0]
        endless = export.url.replace("Expires=", "Expires=" + "9" * 5000)
        for url in (half, endless):
            status, _, body = await download(rest, url, signed=True)
            assert status == 403 and "both Expires" in json.loads(body)["status"]["details"]

    @pytest.mark.parametrize(
        ("formats", "where"),
        [([], "exports"), ([0], "exports[0].format"), ([1, 1], "exports[1].format")],
    )
    async def test_invalid(self, stub, account, formats, where):
        await post_dataset(stub, account)
        await post_version(stub, account)
        res = await put_exports(stub, account, *formats)
        assert res.status.code == sc.CONN_INVALID_REQUEST and where in res.status.details
        version = await get_version(stub, account)
        assert not version.export_info.HasField("clarifai_data_protobuf")

    async def test_missing_version(self, stub, account):
        await post_dataset(stub, account)
        res = await put_exports(stub, account, r.COCO, version_id="v9")
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and "v9" in res.status.details

    async def test_archives_are_not_input_media(self, stub, account, data, server, rest):
        await labelled_dataset(stub, account, data)
        await post_version(stub, account)
        await put_exports(stub, account, r.COCO)
        export = await finished_export(stub, account, "coco")
        assert export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS, export.status
        location = await export_location(server, data)
        assert location.startswith(f"{(await data.app()).pk}/exports/")
        name = location.rsplit("/", 1)[1]
        media = f"{rest}/media/orig/users/{account.user_id}/apps/main/inputs/image"
        for url in (f"{media}/{name}", f"{media}/exports%2F{name}"):
            status, _, body = await download(rest, url, account.pat)
            assert status == 404, url
            assert json.loads(body)["status"]["code"] == sc.CONN_DOES_NOT_EXIST


class TestWithPostInputs:
    """Inputs made by PostInputs, added to a dataset by its dataset_ids."""

    async def test_export_carries_hosted_media(self, stub, account, rest):
        await post_dataset(stub, account)
        res = await stub.PostInputs(
            s.PostInputsRequest(
                user_app_id=app_of(account),
                inputs=[
                    r.Input(
                        id="t1",
                        data=r.Data(text=r.Text(raw="hello"), concepts=[r.Concept(id="greeting")]),
                        dataset_ids=["ds"],
                    )
                ],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await list_dataset_inputs(stub, account) == ["t1"]
        await post_version(stub, account)
        await put_exports(stub, account, r.CLARIFAI_DATA_PROTOBUF)
        export = await finished_export(stub, account, "clarifai_data_protobuf")
        assert export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS, export.status
        _, _, body = await download(rest, export.url, account.pat)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            [name] = [n for n in archive.namelist() if n != "mimetype"]
            [exported] = r.InputBatch.FromString(archive.read(name)).inputs
        assert exported.id == "t1"
        assert [c.id for c in exported.data.concepts] == ["greeting"]
        hosted = exported.data.text.hosted
        assert "orig" in hosted.sizes
        url = f"{hosted.prefix}/orig/{hosted.suffix}"
        status, _, media = await download(rest, url, account.pat)
        assert status == 200 and media == b"hello"

    async def test_each_input_in_each_dataset_once(self, stub, account):
        await post_dataset(stub, account, "d1")
        await post_dataset(stub, account, "d2")

        def text(input_id, *dataset_ids):
            return r.Input(
                id=input_id, data=r.Data(text=r.Text(raw=input_id)), dataset_ids=dataset_ids
            )

        res = await stub.PostInputs(
            s.PostInputsRequest(
                user_app_id=app_of(account),
                inputs=[text("i1", "d1", "d2", "d1"), text("i2", "d2")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await list_dataset_inputs(stub, account, "d1") == ["i1"]
        assert await list_dataset_inputs(stub, account, "d2") == ["i1", "i2"]

        res = await stub.PostInputs(
            s.PostInputsRequest(user_app_id=app_of(account), inputs=[text("i3", "d1", "ghost")]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "dataset_ids[1]" in res.status.details and "ghost" in res.status.details
        assert await list_dataset_inputs(stub, account, "d1") == ["i1"]

    async def test_version_keeps_media_of_deleted_inputs(self, stub, account, data, rest):
        await post_dataset(stub, account)
        await post_media(stub, account, data, "t1", "hello", "ds")
        await post_version(stub, account)
        res = await stub.DeleteInput(
            s.DeleteInputRequest(user_app_id=app_of(account), input_id="t1"),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        # Exported after the delete, the version still carries the bytes.
        await put_exports(stub, account, r.CLARIFAI_DATA_PROTOBUF)
        export = await finished_export(stub, account, "clarifai_data_protobuf")
        assert export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS, export.status
        _, _, body = await download(rest, export.url, account.pat)
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            [name] = [n for n in archive.namelist() if n != "mimetype"]
            [exported] = r.InputBatch.FromString(archive.read(name)).inputs
        hosted = exported.data.text.hosted
        assert exported.data.text.url == f"{hosted.prefix}/orig/{hosted.suffix}"
        status, _, media = await download(rest, exported.data.text.url, account.pat)
        assert status == 200 and media == b"hello"

        res = await stub.DeleteDatasetVersions(
            s.DeleteDatasetVersionsRequest(
                user_app_id=app_of(account), dataset_id="ds", dataset_version_ids=["v1"]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        for _ in range(100):  # the last reference is gone: so are the bytes
            status, _, _ = await download(rest, exported.data.text.url, account.pat)
            if status == 404:
                break
            await asyncio.sleep(0.02)
        assert status == 404


class TestOverRest:
    async def test_post_dataset_inputs_mixed_is_207(self, rest, account, data):
        base = f"{rest}/v2/users/me/apps/main/datasets"
        headers = {"Authorization": f"Key {account.pat}"}
        await data.input("i1")
        async with aiohttp.ClientSession(headers=headers) as http:
            async with http.post(base, json={"datasets": [{"id": "ds"}]}) as res:
                assert res.status == 200, await res.text()
            body = {"dataset_inputs": [{"input": {"id": "i1"}}, {"input": {"id": "ghost"}}]}
            async with http.post(f"{base}/ds/inputs", json=body) as res:
                js = await res.json()
                assert res.status == 207, js
            assert js["status"]["code"] == sc.MIXED_STATUS
            codes = [d["input"]["status"]["code"] for d in js["dataset_inputs"]]
            assert codes == [sc.DATASET_INPUT_SUCCESS, sc.CONN_DOES_NOT_EXIST]
            async with http.post(f"{base}/ds/versions", json={"dataset_versions": [{}]}) as res:
                js = await res.json()
                assert res.status == 200, js
            version_id = js["dataset_versions"][0]["id"]
            exports = {"exports": [{"format": "CLARIFAI_DATA_JSON"}]}
            async with http.put(f"{base}/ds/versions/{version_id}/exports", json=exports) as res:
                js = await res.json()
                assert res.status == 200, js
            assert js["exports"][0]["format"] == r.CLARIFAI_DATA_JSON


class TestTheGuideOverRest:
    """The cURL examples of the datasets pages (docs.clarifai.com
    api-guide/data/datasets; Clarifai/docs code_snippets/api-guide/data/
    datasets/*.sh), bodies as written with the placeholders filled. Some send
    fields the API has dropped (Dataset.name and default_filter_id,
    DatasetVersion.name and dataset_filter; clarifai-grpc 12.2.11 reserves
    their numbers): refused, naming the field, and nothing written, where an
    unknown key is otherwise ignored. The rest are stored and read back."""

    @pytest.fixture
    async def curl(self, rest, account):
        base = f"{rest}/v2/users/{account.user_id}/apps/main"
        async with aiohttp.ClientSession() as http:

            async def call(verb: str, path: str, body: dict | None = None) -> tuple[int, dict]:
                return await rest_call(http, verb, base + path, account.pat, json=body)

            yield call

    @staticmethod
    def refused(answer: tuple[int, dict], where: str, *words: str) -> None:
        status, body = answer
        assert status == 400, body
        assert body["status"]["code"] == sc.CONN_INVALID_REQUEST, body
        details = body["status"]["details"]
        assert details.startswith(f"{where}: "), details
        for word in words:
            assert word in details, details

    async def test_create_dataset(self, curl):
        body = {
            "datasets": [
                {
                    "id": "dataset-1633032323",
                    "name": "foo",
                    "description": "This is the foo dataset",
                    "metadata": {"lol": "hey"},
                }
            ]
        }
        self.refused(
            await curl("POST", "/datasets/", body),
            "datasets[0].name",
            "no name field",
            "description or metadata",
        )
        status, _ = await curl("GET", "/datasets/dataset-1633032323")
        assert status == 404
        # Without the dropped field the example is stored and read back.
        del body["datasets"][0]["name"]
        status, made = await curl("POST", "/datasets/", body)
        assert status == 200, made
        status, got = await curl("GET", "/datasets/dataset-1633032323")
        assert got["dataset"]["description"] == "This is the foo dataset"
        assert got["dataset"]["metadata"] == {"lol": "hey"}

    async def test_update_datasets(self, curl):
        await curl("POST", "/datasets", {"datasets": [{"id": "ds", "metadata": {"lol": "hey"}}]})
        update = {
            "datasets": [
                {
                    "id": "ds",
                    "name": "foo",
                    "description": "This is the new foo dataset",
                    "metadata": {"foo": "bar"},
                    "default_filter_id": "YOUR_DATASET_ID_FILTER_HERE",
                }
            ],
            "action": "overwrite",
        }
        self.refused(await curl("PATCH", "/datasets", update), "datasets[0].name")
        del update["datasets"][0]["name"]
        self.refused(
            await curl("PATCH", "/datasets", update),
            "datasets[0].default_filter_id",
            "annotation filters replaced them (default_annotation_filter)",
        )
        _, got = await curl("GET", "/datasets/ds")
        assert got["dataset"]["metadata"] == {"lol": "hey"}
        assert "description" not in got["dataset"]
        # update_datasets.sh sends neither.
        del update["datasets"][0]["default_filter_id"]
        status, body = await curl("PATCH", "/datasets/", update)
        assert status == 200, body
        _, got = await curl("GET", "/datasets/ds")
        assert got["dataset"]["description"] == "This is the new foo dataset"
        assert got["dataset"]["metadata"] == {"foo": "bar"}

    async def test_dataset_versions(self, curl, data):
        await data.input("i1")
        await curl("POST", "/datasets", {"datasets": [{"id": "ds"}]})
        status, body = await curl(
            "POST", "/datasets/ds/inputs", {"dataset_inputs": [{"input": {"id": "i1"}}]}
        )
        assert status == 200, body
        add = {
            "dataset_versions": [
                {"id": "dataset-version-1633032673", "dataset_filter": {"id": "some-filter"}}
            ]
        }
        self.refused(
            await curl("POST", "/datasets/ds/versions", add),
            "dataset_versions[0].dataset_filter",
            "annotation filters replaced them (annotation_filter_config)",
        )
        _, listed = await curl("GET", "/datasets/ds/versions?page=1&per_page=100")
        assert listed.get("dataset_versions", []) == []
        # The camel-case spelling JSON clients may use reads the same.
        add["dataset_versions"][0] = {
            "id": "dataset-version-1633032673",
            "datasetFilterConfig": {"datasetFilter": {"id": "some-filter"}},
        }
        self.refused(
            await curl("POST", "/datasets/ds/versions", add),
            "dataset_versions[0].datasetFilterConfig",
        )
        del add["dataset_versions"][0]["datasetFilterConfig"]
        status, body = await curl("POST", "/datasets/ds/versions", add)
        assert status == 200, body
        change = {
            "dataset_versions": [
                {"id": "dataset-version-1633032673", "name": "dataset version updated name"}
            ],
            "action": "overwrite",
        }
        self.refused(
            await curl("PATCH", "/datasets/ds/versions", change),
            "dataset_versions[0].name",
            "description or metadata",
        )
        status, body = await curl(
            "DELETE",
            "/datasets/ds/versions",
            {"dataset_version_ids": ["dataset-version-1633032673"]},
        )
        assert status == 200, body

    async def test_dataset_filters_are_no_route(self, curl):
        """dataset-filters: routes the API no longer has (annotation filters,
        not implemented here, replaced them)."""
        await curl("POST", "/datasets", {"datasets": [{"id": "ds"}]})
        body = {"dataset_filters": [{"id": "f1", "saved_search": {"id": "s1"}}]}
        status, answer = await curl("POST", "/datasets/ds/filters", body)
        assert status == 404 and answer["status"]["code"] == sc.CONN_DOES_NOT_EXIST, answer
        assert "no API route" in answer["status"]["details"]


class TestUndeclaredFieldsOverGrpc:
    """A client of the whole reference can set fields this server does not
    declare; they arrive as unknown fields and are refused, never dropped."""

    async def test_dataset_bookmark_origin(self, stub, account):
        dataset = r.Dataset(id="ds")
        dataset.MergeFromString(b"\x8a\x01\x00")  # 17: bookmark_origin {}
        res = await stub.PostDatasets(
            s.PostDatasetsRequest(user_app_id=me("main"), datasets=[dataset]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert res.status.details == (
            "datasets[0] carries field number 17, which this server does not implement"
        )
        assert (await get_dataset(stub, account, "ds")).status.code == sc.CONN_DOES_NOT_EXIST
        await post_dataset(stub, account, "ds")
        res = await stub.PatchDatasets(
            s.PatchDatasetsRequest(user_app_id=me("main"), action="merge", datasets=[dataset]),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "datasets[0] carries field number 17" in res.status.details

    async def test_version_model_predict_config(self, stub, account):
        await post_dataset(stub, account, "ds")
        version = r.DatasetVersion(id="v1")
        version.MergeFromString(b"\x92\x01\x00")  # 18: model_predict_config {}
        res = await stub.PostDatasetVersions(
            s.PostDatasetVersionsRequest(
                user_app_id=me("main"), dataset_id="ds", dataset_versions=[version]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "dataset_versions[0] carries field number 18" in res.status.details
        listed = await stub.ListDatasetVersions(
            s.ListDatasetVersionsRequest(user_app_id=me("main"), dataset_id="ds"),
            metadata=account.md(),
        )
        assert list(listed.dataset_versions) == []
