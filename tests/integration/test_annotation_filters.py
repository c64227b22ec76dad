"""Annotation filters (PostAnnotationFilters, GetAnnotationFilter,
ListAnnotationFilters, PatchAnnotationFilters, DeleteAnnotationFilters),
datasets' default_annotation_filter, and the versions they build, over
gRPC and REST."""

from __future__ import annotations

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from storage.dataset_versions import DatasetVersionStorage
from storage.datasets import DatasetStorage
from tests.helpers import app_scope, assert_invalid, assert_missing, assert_status, me
from tests.integration.test_datasets import Data, add_to, box, post_dataset, ready_version


def search(body: dict) -> r.Search:
    return json_format.ParseDict(body, r.Search())


def concept_search(concept: str, value: float = 1.0) -> r.Search:
    return search(
        {
            "query": {
                "filters": [
                    {"annotation": {"data": {"concepts": [{"id": concept, "value": value}]}}}
                ]
            }
        }
    )


DOG, CAT = concept_search("dog"), concept_search("cat")


async def post_filters(transport, account, *filters: r.AnnotationFilter):
    return await transport.call(
        "PostAnnotationFilters",
        s.PostAnnotationFiltersRequest(user_app_id=me("main"), annotation_filters=filters),
        account.md(),
    )


async def made(transport, account, *filters: r.AnnotationFilter):
    res = await post_filters(transport, account, *filters)
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.annotation_filters)


async def get_filter(transport, account, filter_id: str):
    return await transport.call(
        "GetAnnotationFilter",
        s.GetAnnotationFilterRequest(user_app_id=me("main"), annotation_filter_id=filter_id),
        account.md(),
    )


async def listed(transport, account, **page) -> list[str]:
    res = await transport.call(
        "ListAnnotationFilters",
        s.ListAnnotationFiltersRequest(user_app_id=me("main"), **page),
        account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [f.id for f in res.annotation_filters]


async def patch_filters(transport, account, action: str, *filters: r.AnnotationFilter):
    return await transport.call(
        "PatchAnnotationFilters",
        s.PatchAnnotationFiltersRequest(
            user_app_id=me("main"), action=action, annotation_filters=filters
        ),
        account.md(),
    )


async def delete_filters(transport, account, *ids: str):
    return await transport.call(
        "DeleteAnnotationFilters",
        s.DeleteAnnotationFiltersRequest(user_app_id=me("main"), annotation_filter_ids=ids),
        account.md(),
    )


class TestCrud:
    async def test_post_get_list_patch_delete(self, transport, account):
        first, second = await made(
            transport,
            account,
            r.AnnotationFilter(id="dogs", search=DOG),
            r.AnnotationFilter(search=CAT),
        )
        assert first.id == "dogs" and second.id
        assert (first.user_id, first.app_id) == (account.user_id, "main")
        assert first.search.query == DOG.query and first.created_at.seconds
        got = await get_filter(transport, account, "dogs")
        assert got.status.code == sc.SUCCESS
        assert got.annotation_filter.search.query == DOG.query
        assert await listed(transport, account) == [second.id, "dogs"]  # newest first

        res = await patch_filters(
            transport, account, "overwrite", r.AnnotationFilter(id="dogs", search=CAT)
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.annotation_filters[0].search.query == CAT.query
        got = await get_filter(transport, account, "dogs")
        assert got.annotation_filter.search.query == CAT.query
        assert got.annotation_filter.modified_at.ToDatetime() >= first.modified_at.ToDatetime()

        res = await delete_filters(transport, account, "dogs")
        assert res.status.code == sc.SUCCESS, res.status
        assert_missing(await get_filter(transport, account, "dogs"), "dogs")
        assert await listed(transport, account) == [second.id]

    async def test_pages(self, transport, account):
        for n in range(5):
            await made(transport, account, r.AnnotationFilter(id=f"f{n}", search=DOG))
        assert await listed(transport, account, page=1, per_page=2) == ["f4", "f3"]
        assert await listed(transport, account, page=3, per_page=2) == ["f0"]
        assert await listed(transport, account, page=4, per_page=2) == []

    async def test_existing_id_writes_nothing(self, transport, account):
        await made(transport, account, r.AnnotationFilter(id="dogs", search=DOG))
        res = await post_filters(
            transport,
            account,
            r.AnnotationFilter(id="new", search=CAT),
            r.AnnotationFilter(id="dogs", search=CAT),
        )
        assert_status(res, sc.DATABASE_DUPLICATE_KEY, "annotation_filters[1].id", "dogs")
        assert await listed(transport, account) == ["dogs"]

    async def test_names_a_saved_search(self, stub, transport, account):
        saved = await stub.PostAnnotationsSearches(
            s.PostAnnotationsSearchesRequest(
                user_app_id=me("main"), searches=[search({"id": "s1", "save": True, **_q(DOG)})]
            ),
            metadata=account.md(),
        )
        assert saved.status.code == sc.SUCCESS, saved.status
        [f] = await made(transport, account, r.AnnotationFilter(id="f", search=r.Search(id="s1")))
        assert f.search.id == "s1" and f.search.query == DOG.query
        res = await post_filters(
            transport, account, r.AnnotationFilter(id="g", search=r.Search(id="nope"))
        )
        assert_missing(res, "annotation_filters[0].search.id", "nope")
        assert await listed(transport, account) == ["f"]


def _q(sent: r.Search) -> dict:
    return json_format.MessageToDict(sent, preserving_proto_field_name=True)


class TestPatchActions:
    async def test_overwrite_only(self, transport, account):
        await made(transport, account, r.AnnotationFilter(id="f", search=DOG))
        for action in ("merge", "remove"):
            res = await patch_filters(
                transport, account, action, r.AnnotationFilter(id="f", search=CAT)
            )
            assert_invalid(res, "overwrite", action)
        res = await patch_filters(transport, account, "", r.AnnotationFilter(id="f", search=CAT))
        assert_invalid(res, "action is required")
        got = await get_filter(transport, account, "f")
        assert got.annotation_filter.search.query == DOG.query

    async def test_all_or_nothing(self, transport, account):
        await made(transport, account, r.AnnotationFilter(id="f", search=DOG))
        res = await patch_filters(
            transport,
            account,
            "overwrite",
            r.AnnotationFilter(id="f", search=CAT),
            r.AnnotationFilter(id="gone", search=CAT),
        )
        assert_missing(res, "annotation_filters[1].id", "gone")
        res = await patch_filters(
            transport,
            account,
            "overwrite",
            r.AnnotationFilter(id="f", search=CAT),
            r.AnnotationFilter(id="f", search=DOG),
        )
        assert_invalid(res, "annotation_filters[1].id", "repeated")
        got = await get_filter(transport, account, "f")
        assert got.annotation_filter.search.query == DOG.query


BAD = [
    (
        {
            "query": {
                "filters": [{"annotation": {"data": {"concepts": [{"id": "dog", "value": 2}]}}}]
            }
        },
        "annotation_filters[1].search.query.filters[0].annotation.data.concepts[0].value",
    ),
    (
        {
            "query": {
                "filters": [{"annotation": {"data": {"geo": {"geo_point": {"longitude": 1}}}}}]
            }
        },
        "annotation_filters[1].search.query.filters[0].annotation.data.geo.geo_limit",
    ),
    (
        {"query": {"ranks": [{"annotation": {"data": {"concepts": [{"id": "dog"}]}}}]}},
        "annotation_filters[1].search.query.ranks",
    ),
    ({"query": {}, "metric": 7}, "annotation_filters[1].search.metric"),
]


class TestBadInput:
    @pytest.mark.parametrize(("body", "where"), BAD)
    async def test_bad_search_writes_nothing(self, transport, account, body, where):
        res = await post_filters(
            transport,
            account,
            r.AnnotationFilter(id="ok", search=DOG),
            r.AnnotationFilter(id="bad", search=search(body)),
        )
        assert_status(res, sc.SEARCH_INVALID_REQUEST, where)
        assert await listed(transport, account) == []
        await made(transport, account, r.AnnotationFilter(id="ok", search=DOG))
        res = await patch_filters(
            transport,
            account,
            "overwrite",
            r.AnnotationFilter(id="ok", search=CAT),
            r.AnnotationFilter(id="ok2", search=search(body)),
        )
        assert res.status.code != sc.SUCCESS
        got = await get_filter(transport, account, "ok")
        assert got.annotation_filter.search.query == DOG.query

    async def test_search_required(self, transport, account):
        res = await post_filters(transport, account, r.AnnotationFilter(id="f"))
        assert_status(res, sc.SEARCH_INVALID_REQUEST, "annotation_filters[0].search is required")
        res = await post_filters(transport, account, r.AnnotationFilter(id="bad id!", search=DOG))
        assert_invalid(res, "annotation_filters[0].id")
        assert await listed(transport, account) == []

    async def test_delete_unknown_writes_nothing(self, transport, account):
        await made(transport, account, r.AnnotationFilter(id="f", search=DOG))
        res = await delete_filters(transport, account, "f", "gone")
        assert_missing(res, "annotation_filter_ids[1]", "gone")
        res = await delete_filters(transport, account)
        assert res.status.code != sc.SUCCESS
        assert await listed(transport, account) == ["f"]


class TestOtherApps:
    async def test_invisible(self, transport, account, new_account):
        other = await new_account()
        await made(transport, other, r.AnnotationFilter(id="theirs", search=DOG))
        assert await listed(transport, account) == []
        assert_missing(await get_filter(transport, account, "theirs"), "theirs")
        assert_missing(await delete_filters(transport, account, "theirs"), "theirs")
        res = await patch_filters(
            transport, account, "overwrite", r.AnnotationFilter(id="theirs", search=CAT)
        )
        assert_missing(res, "theirs")
        res = await post_datasets(transport, account, named("ds", "theirs"))
        assert_missing(res, "datasets[0].default_annotation_filter.id", "theirs")
        assert await listed(transport, other) == ["theirs"]


def named(dataset_id: str, filter_id: str) -> r.Dataset:
    """A dataset naming a default filter."""
    return r.Dataset(id=dataset_id, default_annotation_filter=r.AnnotationFilter(id=filter_id))


async def post_datasets(transport, account, *datasets: r.Dataset):
    return await transport.call(
        "PostDatasets",
        s.PostDatasetsRequest(user_app_id=me("main"), datasets=datasets),
        account.md(),
    )


async def get_dataset(transport, account, dataset_id="ds"):
    return await transport.call(
        "GetDataset",
        s.GetDatasetRequest(user_app_id=me("main"), dataset_id=dataset_id),
        account.md(),
    )


async def patch_dataset(transport, account, action, dataset: r.Dataset):
    return await transport.call(
        "PatchDatasets",
        s.PatchDatasetsRequest(user_app_id=me("main"), action=action, datasets=[dataset]),
        account.md(),
    )


class TestDatasetDefault:
    async def test_round_trip(self, transport, account):
        await made(
            transport,
            account,
            r.AnnotationFilter(id="dogs", search=DOG),
            r.AnnotationFilter(id="cats", search=CAT),
        )
        res = await post_datasets(transport, account, named("ds", "dogs"))
        assert res.status.code == sc.SUCCESS, res.status
        assert res.datasets[0].default_annotation_filter.id == "dogs"
        shown = (await get_dataset(transport, account)).dataset.default_annotation_filter
        assert shown.id == "dogs" and shown.search.query == DOG.query
        listed_ds = await transport.call(
            "ListDatasets", s.ListDatasetsRequest(user_app_id=me("main")), account.md()
        )
        assert listed_ds.datasets[0].default_annotation_filter.id == "dogs"

        # A filter a dataset names is not deleted; the dataset is named.
        res = await delete_filters(transport, account, "cats", "dogs")
        assert res.status.code == sc.SAVED_SEARCH_MODIFY_FAILED, res.status
        assert res.status.details == (
            "annotation_filter_ids[1]: annotation filter 'dogs' is the default_annotation_filter "
            "of dataset 'ds'; patch the dataset first"
        )
        assert await listed(transport, account) == ["cats", "dogs"]

        res = await patch_dataset(
            transport,
            account,
            "merge",
            named("ds", "cats"),
        )
        assert res.datasets[0].default_annotation_filter.id == "cats"
        # remove clears it only when the stored one is named.
        await patch_dataset(
            transport,
            account,
            "remove",
            named("ds", "dogs"),
        )
        assert (
            await get_dataset(transport, account)
        ).dataset.default_annotation_filter.id == "cats"
        res = await patch_dataset(
            transport,
            account,
            "remove",
            named("ds", "cats"),
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = (await get_dataset(transport, account)).dataset
        assert not got.HasField("default_annotation_filter")
        assert (await delete_filters(transport, account, "cats", "dogs")).status.code == sc.SUCCESS

    async def test_bad_default_writes_nothing(self, transport, account):
        await made(transport, account, r.AnnotationFilter(id="dogs", search=DOG))
        res = await post_datasets(transport, account, r.Dataset(id="a"), named("b", "nope"))
        assert_missing(res, "datasets[1].default_annotation_filter.id", "nope")
        assert (await get_dataset(transport, account, "a")).status.code == sc.CONN_DOES_NOT_EXIST
        for sent, words in [
            (
                r.AnnotationFilter(search=DOG),
                "datasets[0].default_annotation_filter.id is required",
            ),
            (
                r.AnnotationFilter(id="dogs", search=DOG),
                "datasets[0].default_annotation_filter.search",
            ),
        ]:
            res = await post_datasets(
                transport, account, r.Dataset(id="c", default_annotation_filter=sent)
            )
            assert_invalid(res, words)
        assert (
            await post_datasets(transport, account, r.Dataset(id="d"))
        ).status.code == sc.SUCCESS
        res = await patch_dataset(
            transport,
            account,
            "merge",
            r.Dataset(
                id="d", description="x", default_annotation_filter=r.AnnotationFilter(id="nope")
            ),
        )
        assert_missing(res, "datasets[0].default_annotation_filter.id")
        got = (await get_dataset(transport, account, "d")).dataset
        assert got.description == "" and not got.HasField("default_annotation_filter")


# ---- versions built with a filter ----


@pytest.fixture
def data(server, account) -> Data:
    return Data(server, account)


async def world(stub, account, data: Data) -> None:
    """Dataset "ds" of i1 (dog), i2 (cat, and a box of dog), i3 (no label)
    and i4 (dog, and a dog awaiting review); i5 (dog) is not in it."""
    await data.input("i1", concepts=["dog"])
    await data.input("i2", concepts=["cat"])
    await data.annotate("i2", "i2-box", box(0.1, 0.1, 0.5, 0.5, concept="dog"))
    await data.input("i3")
    await data.input("i4", concepts=["dog"])
    await data.annotate(
        "i4",
        "i4-pending",
        {"concepts": [{"id": "dog", "value": 1}]},
        status=sc.ANNOTATION_AWAITING_REVIEW,
    )
    await data.input("i5", concepts=["dog"])
    await post_dataset(stub, account, "ds")
    await add_to(stub, account, "ds", "i1", "i2", "i3", "i4")


async def contents(server, account, version_id: str) -> dict[str, set[str]]:
    """The version's inputs, each with the ids of its annotations."""
    app = await app_scope(server, account)
    async with server.db.transaction() as session:
        dataset = await DatasetStorage(session, app).get("ds")
        versions = DatasetVersionStorage(session, app)
        version = await versions.get_version(dataset.pk, version_id)
        return {
            row.input_id: {a["id"] for a in row.annotations}
            async for row in versions.frozen_inputs(version.pk)
        }


async def post_version(transport, account, version: r.DatasetVersion):
    return await transport.call(
        "PostDatasetVersions",
        s.PostDatasetVersionsRequest(
            user_app_id=me("main"), dataset_id="ds", dataset_versions=[version]
        ),
        account.md(),
    )


class TestVersions:
    async def test_filter_selects_annotations_and_inputs(
        self, server, stub, transport, account, data
    ):
        await world(stub, account, data)
        await made(transport, account, r.AnnotationFilter(id="dogs", search=DOG))
        config = r.AnnotationFilterConfig(annotation_filter=r.AnnotationFilter(id="dogs"))
        res = await post_version(
            transport, account, r.DatasetVersion(id="all", annotation_filter_config=config)
        )
        assert res.status.code == sc.SUCCESS, res.status
        shown = res.dataset_versions[0].annotation_filter_config
        assert shown.annotation_filter.id == "dogs"
        assert shown.annotation_filter.search.query == DOG.query
        config.ignore_empty_inputs = True
        await post_version(
            transport, account, r.DatasetVersion(id="some", annotation_filter_config=config)
        )
        plain = await post_version(transport, account, r.DatasetVersion(id="plain"))
        assert not plain.dataset_versions[0].HasField("annotation_filter_config")

        assert await contents(server, account, "all") == {
            "i1": {"i1-label"},
            "i2": {"i2-box"},
            "i3": set(),
            "i4": {"i4-label"},
        }
        assert await contents(server, account, "some") == {
            "i1": {"i1-label"},
            "i2": {"i2-box"},
            "i4": {"i4-label"},
        }
        assert await contents(server, account, "plain") == {
            "i1": {"i1-label"},
            "i2": {"i2-label", "i2-box"},
            "i3": {"i3-label"},
            "i4": {"i4-label"},
        }
        # What users see: the metrics count the filtered content.
        some = (await ready_version(stub, account, version_id="some")).metrics["/"]
        assert some.inputs_count.value == 3
        assert some.positive_input_tags_count.value == 2
        assert some.positive_region_tags_count.value == 1
        assert some.bounding_boxes_count.value == 1
        assert some.unlabeled_inputs_count.value == 0
        plain_metrics = (await ready_version(stub, account, version_id="plain")).metrics["/"]
        assert plain_metrics.inputs_count.value == 4
        assert plain_metrics.positive_input_tags_count.value == 3
        listed_versions = await transport.call(
            "ListDatasetVersions",
            s.ListDatasetVersionsRequest(user_app_id=me("main"), dataset_id="ds"),
            account.md(),
        )
        by_id = {v.id: v for v in listed_versions.dataset_versions}
        assert by_id["some"].annotation_filter_config.ignore_empty_inputs
        assert by_id["some"].metrics["/"].inputs_count.value == 3

    async def test_status_and_own_search(self, server, stub, transport, account, data):
        await world(stub, account, data)
        pending = search(
            {
                "query": {
                    "filters": [{"annotation": {"status": {"code": sc.ANNOTATION_AWAITING_REVIEW}}}]
                }
            }
        )
        config = r.AnnotationFilterConfig(
            annotation_filter=r.AnnotationFilter(search=pending), ignore_empty_inputs=True
        )
        res = await post_version(
            transport, account, r.DatasetVersion(id="v", annotation_filter_config=config)
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert (
            res.dataset_versions[0].annotation_filter_config.annotation_filter.search.query
            == pending.query
        )
        assert await contents(server, account, "v") == {"i4": {"i4-pending"}}

    async def test_dataset_default_applies(self, server, stub, transport, account, data):
        await world(stub, account, data)
        await made(transport, account, r.AnnotationFilter(id="cats", search=CAT))
        await patch_dataset(
            transport,
            account,
            "merge",
            named("ds", "cats"),
        )
        res = await post_version(transport, account, r.DatasetVersion(id="v"))
        assert res.dataset_versions[0].annotation_filter_config.annotation_filter.id == "cats"
        # ignore_empty_inputs alone takes the default filter too.
        only = r.AnnotationFilterConfig(ignore_empty_inputs=True)
        await post_version(
            transport, account, r.DatasetVersion(id="w", annotation_filter_config=only)
        )
        assert await contents(server, account, "v") == {
            "i1": set(),
            "i2": {"i2-label"},
            "i3": set(),
            "i4": set(),
        }
        assert await contents(server, account, "w") == {"i2": {"i2-label"}}
        # The metrics count what the version holds: the cat label alone.
        metrics = (await ready_version(stub, account, version_id="v")).metrics["/"]
        assert metrics.inputs_count.value == 4
        assert metrics.positive_input_tags_count.value == 1
        assert metrics.unlabeled_inputs_count.value == 3
        assert metrics.regions_count.value == 0
        # Changing the filter afterwards leaves the versions as they are.
        await patch_filters(
            transport, account, "overwrite", r.AnnotationFilter(id="cats", search=DOG)
        )
        got = await transport.call(
            "GetDatasetVersion",
            s.GetDatasetVersionRequest(
                user_app_id=me("main"), dataset_id="ds", dataset_version_id="v"
            ),
            account.md(),
        )
        assert (
            got.dataset_version.annotation_filter_config.annotation_filter.search.query == CAT.query
        )
        assert await contents(server, account, "v") == {
            "i1": set(),
            "i2": {"i2-label"},
            "i3": set(),
            "i4": set(),
        }

    async def test_bad_config_writes_nothing(self, stub, transport, account, data):
        await world(stub, account, data)
        for config, where in [
            (
                r.AnnotationFilterConfig(annotation_filter=r.AnnotationFilter(id="nope")),
                "dataset_versions[0].annotation_filter_config.annotation_filter.id",
            ),
            (
                r.AnnotationFilterConfig(
                    annotation_filter=r.AnnotationFilter(search=search(BAD[0][0]))
                ),
                "dataset_versions[0].annotation_filter_config.annotation_filter.search.query.filters[0]",
            ),
        ]:
            res = await post_version(
                transport, account, r.DatasetVersion(id="v", annotation_filter_config=config)
            )
            assert res.status.code != sc.SUCCESS
            assert where in res.status.details, res.status
        listed_versions = await transport.call(
            "ListDatasetVersions",
            s.ListDatasetVersionsRequest(user_app_id=me("main"), dataset_id="ds"),
            account.md(),
        )
        assert list(listed_versions.dataset_versions) == []
        await post_version(transport, account, r.DatasetVersion(id="v"))
        config = r.AnnotationFilterConfig(ignore_empty_inputs=True)
        res = await transport.call(
            "PatchDatasetVersions",
            s.PatchDatasetVersionsRequest(
                user_app_id=me("main"),
                dataset_id="ds",
                action="overwrite",
                dataset_versions=[r.DatasetVersion(id="v", annotation_filter_config=config)],
            ),
            account.md(),
        )
        assert_invalid(res, "dataset_versions[0].annotation_filter_config")
