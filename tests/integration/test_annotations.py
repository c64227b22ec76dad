"""PostAnnotations, GetAnnotation, ListAnnotations, PatchAnnotations,
PatchAnnotationsStatus, DeleteAnnotation, DeleteAnnotations over gRPC."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format
from sqlalchemy import select

from storage.annotations import Annotation
from storage.concepts import Concept
from storage.inputs import Input
from tests.helpers import app_of, app_pk, assert_missing, rest_call, share

# ---- helpers ----


def req(cls, account, body: dict[str, Any]):
    """A request from its JSON form, naming the account's app."""
    out = json_format.ParseDict(body, cls())
    out.user_app_id.CopyFrom(app_of(account))
    return out


def span(start: int, end: int) -> dict[str, int]:
    return {"char_start": start, "char_end": end}


def bbox(top=0.1, left=0.1, bottom=0.5, right=0.5) -> dict[str, float]:
    return {"top_row": top, "left_col": left, "bottom_row": bottom, "right_col": right}


async def post(stub, account, *annotations: dict, md=None):
    return await stub.PostAnnotations(
        req(s.PostAnnotationsRequest, account, {"annotations": list(annotations)}),
        metadata=md or account.md(),
    )


async def patch(stub, account, action: str, *annotations: dict, md=None, **extra):
    body = {"action": action, "annotations": list(annotations), **extra}
    return await stub.PatchAnnotations(
        req(s.PatchAnnotationsRequest, account, body), metadata=md or account.md()
    )


async def get(stub, account, input_id: str, annotation_id: str, md=None):
    return await stub.GetAnnotation(
        s.GetAnnotationRequest(
            user_app_id=app_of(account), input_id=input_id, annotation_id=annotation_id
        ),
        metadata=md or account.md(),
    )


async def listed(stub, account, md=None, **body) -> list[r.Annotation]:
    res = await stub.ListAnnotations(
        req(s.ListAnnotationsRequest, account, body), metadata=md or account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.annotations)


async def stored(stub, account) -> list[r.Annotation]:
    return await listed(stub, account, list_all_annotations=True)


def as_dict(message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


@pytest.fixture
def rows(server):
    """Writes inputs and annotations straight into the database, for what the
    API does not create itself (inputs, input-level and model annotations)."""

    class Rows:
        async def inputs(self, account, *input_ids: str, text: str | None = None) -> None:
            pk = await app_pk(server, account)
            async with server.db.transaction() as session:
                data = {"text": {"raw": text}} if text is not None else {}
                session.add_all(
                    [Input(app_pk=pk, id=i, data=data, status_code=30000) for i in input_ids]
                )

        async def annotation(self, account, **columns: Any) -> None:
            pk = await app_pk(server, account)
            async with server.db.transaction() as session:
                session.add(Annotation(app_pk=pk, **columns))

        async def concepts(self, account) -> set[str]:
            pk = await app_pk(server, account)
            async with server.db.transaction() as session:
                return set(await session.scalars(select(Concept.id).where(Concept.app_pk == pk)))

    return Rows()


@pytest.fixture
async def app_with_inputs(account, rows):
    await rows.inputs(account, "in1", "in2")
    await rows.inputs(account, "doc", text="the quick brown fox")
    return account


@pytest.fixture
async def team(stub, app_with_inputs, new_account):
    """(owner, collaborator) sharing the owner's app."""
    helper = await new_account()
    await share(stub, app_with_inputs, helper)
    return app_with_inputs, helper


# ---- PostAnnotations ----


class TestPostAnnotations:
    async def test_concepts_and_every_region_kind(self, stub, app_with_inputs, rows):
        account = app_with_inputs
        polygon = {"points": [{"row": 0.1, "col": 0.1}, {"row": 0.2, "col": 0.9}, {"row": 0.8}]}
        res = await post(
            stub,
            account,
            {"input_id": "in1", "data": {"concepts": [{"id": "tree", "value": 1}, {"id": "sky"}]}},
            {
                "input_id": "in1",
                "annotation_info": {"source": "tests"},
                "data": {
                    "regions": [
                        {
                            "region_info": {"bounding_box": bbox(0, 0, 0.5, 0.5)},
                            "data": {"concepts": [{"id": "bike", "name": "Bike", "value": 1}]},
                        },
                        {"id": "poly-1", "region_info": {"polygon": polygon}},
                        {"region_info": {"point": {"row": 0.3, "col": 0.4}}},
                        {"region_info": {"mask": {"image": {"url": "https://x.test/m.png"}}}},
                    ]
                },
            },
            {"input_id": "doc", "data": {"regions": [{"region_info": {"span": span(4, 9)}}]}},
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.status.description == "Ok"
        first, second, third = res.annotations
        assert len(first.id) == 32 and first.input_id == "in1"
        assert first.user_id == account.user_id and first.worker.user.id == account.user_id
        assert first.status.code == sc.ANNOTATION_SUCCESS
        assert first.status.description == "Annotation success"
        assert first.created_at.seconds > 0 and not first.input_level
        assert [(c.id, c.value) for c in first.data.concepts] == [("tree", 1.0), ("sky", 0.0)]
        ids = [g.id for g in second.data.regions]
        assert len(ids[0]) == 32 and ids[1] == "poly-1" and len(set(ids)) == 4
        assert second.data.regions[0].region_info.bounding_box.bottom_row == 0.5
        assert len(second.data.regions[1].region_info.polygon.points) == 3
        assert second.annotation_info["source"] == "tests"
        assert third.data.regions[0].region_info.span.char_end == 9

        got = await get(stub, account, "in1", second.id)
        assert got.status.code == sc.SUCCESS
        assert as_dict(got.annotation) == as_dict(second)
        assert await rows.concepts(account) == {"tree", "sky", "bike"}

    async def test_app_key_and_several_per_input(self, stub, app_with_inputs):
        account = app_with_inputs
        request = s.PostAnnotationsRequest(
            annotations=[
                r.Annotation(input_id="in2", data=r.Data(concepts=[r.Concept(id="a")])),
                r.Annotation(input_id="in2", data=r.Data(concepts=[r.Concept(id="b")])),
            ]
        )
        res = await stub.PostAnnotations(request, metadata=account.key_md)
        assert res.status.code == sc.SUCCESS, res.status
        assert [a.input_id for a in await listed(stub, account, input_ids=["in2"])] == ["in2"] * 2

    async def test_task_status_and_ids_as_sent(self, stub, app_with_inputs):
        account = app_with_inputs
        res = await post(
            stub,
            account,
            {"id": "a-1", "input_id": "in1", "task_id": "t1", "status": {"code": 24151}},
            {"id": "a-2", "input_id": "in1", "annotation_info": {"task_id": "t2"}},
        )
        assert res.status.code == sc.SUCCESS, res.status
        one, two = res.annotations
        assert (one.id, one.task_id, one.status.code) == ("a-1", "t1", sc.ANNOTATION_PENDING)
        assert one.status.description == "Annotation pending"
        assert (two.id, two.task_id, two.status.code) == ("a-2", "t2", sc.ANNOTATION_SUCCESS)

    @pytest.mark.parametrize(
        ("bad", "code", "details"),
        [
            ({"data": {}}, sc.ANNOTATION_INVALID_ARGUMENT, "annotations[1].input_id is required"),
            ({"input_id": "nope"}, sc.CONN_DOES_NOT_EXIST, "annotations[1].input_id: input 'nope'"),
            (
                {
                    "input_id": "in1",
                    "data": {
                        "regions": [{"region_info": {"bounding_box": bbox(left=0.6, right=0.2)}}]
                    },
                },
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].region_info.bounding_box: left_col 0.6",
            ),
            (
                {
                    "input_id": "in1",
                    "data": {"regions": [{"region_info": {"bounding_box": bbox(bottom=1.5)}}]},
                },
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].region_info.bounding_box.bottom_row 1.5",
            ),
            (
                {
                    "input_id": "in1",
                    "data": {
                        "regions": [
                            {
                                "region_info": {
                                    "polygon": {
                                        "points": [
                                            {"row": 0.1, "col": 0.1},
                                            {"row": 0.5, "col": 0.5},
                                        ]
                                    }
                                }
                            }
                        ]
                    },
                },
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].region_info.polygon.points",
            ),
            (
                {
                    "input_id": "in1",
                    "data": {
                        "regions": [
                            {
                                "region_info": {
                                    "polygon": {
                                        "points": [
                                            {"row": 0.1},
                                            {"row": 0.5},
                                            {"row": 0.5, "col": -1},
                                        ]
                                    }
                                }
                            }
                        ]
                    },
                },
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].region_info.polygon.points[2].col",
            ),
            (
                {"input_id": "in1", "data": {"regions": [{"region_info": {"point": {"row": 2}}}]}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].region_info.point.row 2",
            ),
            (
                {"input_id": "in1", "data": {"regions": [{"region_info": {"mask": {}}}]}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].region_info.mask.image",
            ),
            (
                {"input_id": "doc", "data": {"regions": [{"region_info": {"span": span(5, 50)}}]}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].region_info.span.char_end 50",
            ),
            (
                {"input_id": "in1", "data": {"regions": [{"id": "bad id!"}]}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.regions[0].id 'bad id!'",
            ),
            (
                {"input_id": "in1", "data": {"concepts": [{"id": "x"}, {"id": "x"}]}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.concepts[1].id 'x' is repeated",
            ),
            (
                {"input_id": "in1", "data": {"concepts": [{"name": "no id"}]}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.concepts[0].id is required",
            ),
            (
                {"input_id": "in1", "data": {"image": {"url": "https://x.test/a.jpg"}}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].data.image",
            ),
            (
                {"input_id": "in1", "status": {"code": 10000}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].status.code SUCCESS is not an annotation status",
            ),
            (
                {"input_id": "in1", "task_id": "t1", "annotation_info": {"task_id": "t2"}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].task_id 't1' differs",
            ),
            (
                {"input_id": "in1", "id": "first"},
                sc.DATABASE_DUPLICATE_KEY,
                "annotations[1].id 'first' is repeated",
            ),
            (
                {"input_id": "in1", "model_version_id": "mv"},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].model_version_id",
            ),
            (
                {"input_id": "in1", "user_id": "a", "worker": {"user": {"id": "b"}}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[1].user_id and annotations[1].worker.user.id",
            ),
        ],
    )
    async def test_one_bad_annotation_writes_nothing(
        self, stub, app_with_inputs, rows, bad, code, details
    ):
        account = app_with_inputs
        good = {"id": "first", "input_id": "in1", "data": {"concepts": [{"id": "fresh"}]}}
        res = await post(stub, account, good, bad)
        assert res.status.code == code, res.status
        assert details in res.status.details, res.status.details
        assert not res.annotations
        assert await stored(stub, account) == []
        assert await rows.concepts(account) == set()

    @pytest.mark.parametrize("where", ["data.metadata", "annotation_info"])
    async def test_struct_that_is_not_json_writes_nothing(self, stub, app_with_inputs, where):
        account = app_with_inputs
        bad = r.Annotation(input_id="in1")
        target = bad.data.metadata if where == "data.metadata" else bad.annotation_info
        target.fields["score"].number_value = float("inf")
        request = req(s.PostAnnotationsRequest, account, {"annotations": [{"input_id": "in1"}]})
        request.annotations.append(bad)
        res = await stub.PostAnnotations(request, metadata=account.md())
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT, res.status
        assert f"annotations[1].{where}.score" in res.status.details, res.status.details
        assert await stored(stub, account) == []

    async def test_batch_size(self, stub, app_with_inputs):
        account = app_with_inputs
        res = await post(stub, account)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "annotations: at least one is required" in res.status.details
        res = await post(stub, account, *[{"input_id": "in1"}] * 129)
        assert res.status.code == sc.CONN_INVALID_REQUEST and "got 129" in res.status.details
        res = await post(stub, account, *[{"input_id": "in1"}] * 128)
        assert res.status.code == sc.SUCCESS and len(res.annotations) == 128

    async def test_existing_id(self, stub, app_with_inputs):
        account = app_with_inputs
        assert (await post(stub, account, {"id": "a", "input_id": "in1"})).status.code == 10000
        res = await post(
            stub, account, {"id": "b", "input_id": "in1"}, {"id": "a", "input_id": "in2"}
        )
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "annotations[1].id 'a'" in res.status.details
        assert [a.id for a in await stored(stub, account)] == ["a"]

    async def test_existing_concepts_are_reused(self, stub, app_with_inputs, rows):
        account = app_with_inputs
        await post(stub, account, {"input_id": "in1", "data": {"concepts": [{"id": "c"}]}})
        res = await post(stub, account, {"input_id": "in2", "data": {"concepts": [{"id": "c"}]}})
        assert res.status.code == sc.SUCCESS
        assert await rows.concepts(account) == {"c"}

    async def test_input_of_another_app(self, stub, app_with_inputs, new_account, rows):
        other = await new_account()
        await rows.inputs(other, "theirs")
        res = await post(stub, app_with_inputs, {"input_id": "theirs"})
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "annotations[0].input_id: input 'theirs' not found" in res.status.details
        assert res.status.description == "Resource does not exist"


class TestPointVisibility:
    """Each point's visibility is kept, as the clarifai SDK sends polygons
    (every point VISIBLE)."""

    def polygon(self, *visibilities: int) -> r.Annotation:
        points = [
            r.Point(row=row, col=col, visibility=v)
            for (row, col), v in zip(
                ((0.1, 0.1), (0.1, 0.5), (0.6, 0.5)), visibilities, strict=True
            )
        ]
        region = r.Region(region_info=r.RegionInfo(polygon=r.Polygon(points=points)))
        return r.Annotation(input_id="in1", data=r.Data(regions=[region]))

    async def test_kept_and_read_back(self, transport, app_with_inputs):
        account = app_with_inputs
        sent = self.polygon(r.Point.VISIBLE, r.Point.NOT_VISIBLE, r.Point.NOT_SET)
        res = await transport.call(
            "PostAnnotations",
            s.PostAnnotationsRequest(user_app_id=app_of(account), annotations=[sent]),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = await transport.call(
            "GetAnnotation",
            s.GetAnnotationRequest(
                user_app_id=app_of(account), input_id="in1", annotation_id=res.annotations[0].id
            ),
            account.md(),
        )
        points = got.annotation.data.regions[0].region_info.polygon.points
        assert [p.visibility for p in points] == [
            r.Point.VISIBLE,
            r.Point.NOT_VISIBLE,
            r.Point.NOT_SET,
        ]

    async def test_an_unknown_visibility_is_refused(self, stub, app_with_inputs):
        account = app_with_inputs
        res = await stub.PostAnnotations(
            s.PostAnnotationsRequest(
                user_app_id=app_of(account), annotations=[self.polygon(1, 1, 9)]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT, res.status
        assert "region_info.polygon.points[2].visibility 9" in res.status.details
        assert await stored(stub, account) == []


class TestAttribution:
    async def test_owner_posts_pending_work_for_a_collaborator(self, stub, team):
        owner, helper = team
        res = await post(
            stub, owner, {"input_id": "in1", "user_id": helper.user_id, "status": {"code": 24151}}
        )
        assert res.status.code == sc.SUCCESS, res.status
        made = res.annotations[0]
        assert made.user_id == helper.user_id and made.worker.user.id == helper.user_id
        assert made.status.code == sc.ANNOTATION_PENDING

    async def test_worker_field_names_the_user(self, stub, team):
        owner, helper = team
        res = await post(
            stub, owner, {"input_id": "in1", "worker": {"user": {"id": helper.user_id}}}
        )
        assert res.annotations[0].user_id == helper.user_id

    async def test_collaborator_posts_as_themselves(self, stub, team):
        owner, helper = team
        res = await post(stub, owner, {"input_id": "in1"}, md=helper.md())
        assert res.status.code == sc.SUCCESS, res.status
        assert res.annotations[0].user_id == helper.user_id

    async def test_collaborator_cannot_post_for_others(self, stub, team):
        owner, helper = team
        res = await post(
            stub,
            owner,
            {"input_id": "in1"},
            {"input_id": "in1", "user_id": owner.user_id},
            md=helper.md(),
        )
        assert res.status.code == sc.ANNOTATION_PERMISSION_DENIED
        assert res.status.description == "Permission to annotation denied"
        assert f"annotations[1].user_id '{owner.user_id}'" in res.status.details
        assert await stored(stub, owner) == []

    async def test_only_members_of_the_app_can_be_named(self, stub, app_with_inputs, new_account):
        stranger = await new_account()
        res = await post(stub, app_with_inputs, {"input_id": "in1", "user_id": stranger.user_id})
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT
        assert "neither the app owner nor a collaborator" in res.status.details
        assert await stored(stub, app_with_inputs) == []


# ---- GetAnnotation ----


class TestGetAnnotation:
    async def test_not_found(self, transport, stub, app_with_inputs):
        account = app_with_inputs
        made = (await post(stub, account, {"id": "a", "input_id": "in1"})).annotations[0]
        assert made.id == "a"

        async def read(input_id: str, annotation_id: str):
            request = s.GetAnnotationRequest(
                user_app_id=app_of(account), input_id=input_id, annotation_id=annotation_id
            )
            return await transport.call("GetAnnotation", request, account.md(), http_status=404)

        res = await read("in1", "zzz")
        assert_missing(res, "annotation_id: annotation 'zzz'")
        wrong_input = await read("in2", "a")
        assert wrong_input.status.code == sc.CONN_DOES_NOT_EXIST
        assert not wrong_input.HasField("annotation")

    async def test_other_app_invisible(self, stub, app_with_inputs, new_account, rows):
        other = await new_account()
        await rows.inputs(other, "in1")
        await post(stub, other, {"id": "theirs", "input_id": "in1"})
        res = await get(stub, app_with_inputs, "in1", "theirs")
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert await listed(stub, app_with_inputs, list_all_annotations=True) == []


# ---- ListAnnotations ----


@pytest.fixture
async def mixed(stub, team, rows):
    """Owner and collaborator annotations in several states, plus an
    input-level and a model annotation."""
    owner, helper = team
    await rows.annotation(
        owner, id="input-level", input_id="in1", input_level=True, user_id=owner.user_id
    )
    await rows.annotation(owner, id="by-model", input_id="in1", model_version_id="mv1")
    await post(stub, owner, {"id": "own-ok", "input_id": "in1", "task_id": "t1"})
    await post(
        stub,
        owner,
        {"id": "own-pending", "input_id": "in2", "task_id": "t1", "status": {"code": 24151}},
    )
    await post(stub, owner, {"id": "helper-ok", "input_id": "in2", "task_id": "t1"}, md=helper.md())
    await post(
        stub,
        owner,
        {"id": "helper-review", "input_id": "in1", "task_id": "t2", "status": {"code": 24157}},
        md=helper.md(),
    )
    return owner, helper


def names(annotations) -> list[str]:
    return [a.id for a in annotations]


class TestListAnnotations:
    async def test_default_lists_trusted_annotations_oldest_first(self, stub, mixed):
        owner, _ = mixed
        assert names(await listed(stub, owner)) == ["own-ok", "helper-ok"]

    async def test_list_all(self, stub, mixed):
        owner, _ = mixed
        assert names(await listed(stub, owner, list_all_annotations=True)) == [
            "input-level",
            "by-model",
            "own-ok",
            "own-pending",
            "helper-ok",
            "helper-review",
        ]

    async def test_filters(self, stub, mixed):
        """As the reference's ListAnnotationsRequest comments say: user_ids
        and model_version_ids OR'd, each "does also set
        list_all_annotations=True"; input_ids without ids return "all the
        annotations for 'input_ids'"."""
        owner, helper = mixed
        by_status = await listed(stub, owner, statuses=[{"code": 24151}, {"code": 24157}])
        assert names(by_status) == ["own-pending", "helper-review"]
        helpers = ["helper-ok", "helper-review"]
        assert names(await listed(stub, owner, user_ids=[helper.user_id])) == helpers
        mine = ["input-level", "own-ok", "own-pending"]
        assert names(await listed(stub, owner, user_ids=["me"], list_all_annotations=True)) == mine
        assert names(await listed(stub, owner, user_ids=["me"])) == mine
        assert names(await listed(stub, owner, model_version_ids=["mv1"])) == ["by-model"]
        both = await listed(stub, owner, model_version_ids=["mv1"], user_ids=[helper.user_id])
        assert names(both) == ["by-model", *helpers]
        assert names(await listed(stub, owner, task_id="t1", list_all_annotations=True)) == [
            "own-ok",
            "own-pending",
            "helper-ok",
        ]
        assert names(await listed(stub, owner, task_id="t1")) == ["own-ok", "helper-ok"]
        assert names(await listed(stub, owner, input_ids=["in2"])) == ["own-pending", "helper-ok"]
        assert names(await listed(stub, owner, input_ids=["in1"])) == [
            "input-level",
            "by-model",
            "own-ok",
            "helper-review",
        ]
        by_input_and_status = await listed(
            stub, owner, input_ids=["in1"], statuses=[{"code": 24150}]
        )
        assert names(by_input_and_status) == ["input-level", "by-model", "own-ok"]

    async def test_input_ids_list_the_input_level_annotations(self, transport, account):
        """What PostInputs with concepts creates is listed by input_ids
        alone, as the clarifai SDK's Inputs.list_annotations(batch_input=...)
        asks for it (its upload tests expect one annotation per classified
        input); a plain listing keeps to trusted annotations."""
        md = account.key_md
        labelled = [
            r.Input(
                id=f"img{n}",
                data=r.Data(text=r.Text(raw=f"t{n}"), concepts=[r.Concept(id=f"c{n}", value=1)]),
            )
            for n in range(3)
        ]
        await transport.call("PostInputs", s.PostInputsRequest(inputs=labelled), md)
        res = await transport.call(
            "ListAnnotations", s.ListAnnotationsRequest(input_ids=["img0", "img2"]), md
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [(a.input_id, a.input_level) for a in res.annotations] == [
            ("img0", True),
            ("img2", True),
        ]
        assert [[c.id for c in a.data.concepts] for a in res.annotations] == [["c0"], ["c2"]]
        assert [c.value for a in res.annotations for c in a.data.concepts] == [1.0, 1.0]
        plain = await transport.call("ListAnnotations", s.ListAnnotationsRequest(), md)
        assert list(plain.annotations) == []

    async def test_ids_find_any_annotation(self, stub, mixed):
        owner, _ = mixed
        got = await listed(stub, owner, ids=["by-model", "own-pending", "input-level"])
        assert names(got) == ["input-level", "by-model", "own-pending"]
        paired = await listed(stub, owner, ids=["own-ok", "helper-ok"], input_ids=["in1", "in1"])
        assert names(paired) == ["own-ok"]

    async def test_ids_and_input_ids_must_pair(self, stub, mixed):
        owner, _ = mixed
        res = await stub.ListAnnotations(
            req(s.ListAnnotationsRequest, owner, {"ids": ["a", "b"], "input_ids": ["in1"]}),
            metadata=owner.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "ids (2) and input_ids (1)" in res.status.details

    async def test_pagination(self, stub, app_with_inputs):
        account = app_with_inputs
        await post(stub, account, *[{"id": f"a{n}", "input_id": "in1"} for n in range(5)])
        assert names(await listed(stub, account, page=2, per_page=2)) == ["a2", "a3"]
        assert await listed(stub, account, page=4, per_page=2) == []

    async def test_other_app_invisible(self, stub, mixed, new_account):
        other = await new_account()
        assert await listed(stub, other, list_all_annotations=True) == []
        assert await listed(stub, other, ids=["own-ok"]) == []


# ---- PatchAnnotations ----


@pytest.fixture
async def labelled(stub, app_with_inputs):
    account = app_with_inputs
    res = await post(
        stub,
        account,
        {
            "id": "ann",
            "input_id": "in1",
            "annotation_info": {"round": 1},
            "data": {
                "concepts": [{"id": "tree", "value": 1}],
                "metadata": {"k": "v"},
                "regions": [
                    {
                        "id": "r1",
                        "region_info": {"bounding_box": bbox()},
                        "data": {"concepts": [{"id": "bike", "value": 1}]},
                    }
                ],
            },
        },
    )
    assert res.status.code == sc.SUCCESS, res.status
    return account


def concepts(data) -> list[tuple[str, float]]:
    return [(c.id, c.value) for c in data.concepts]


class TestPatchAnnotations:
    async def test_merge_concepts_region_data_info_and_status(self, stub, labelled, rows):
        account = labelled
        res = await patch(
            stub,
            account,
            "merge",
            {
                "id": "ann",
                "input_id": "in1",
                "status": {"code": 24157},
                "annotation_info": {"round": 2},
                "data": {
                    "concepts": [{"id": "tree", "value": 0}, {"id": "water", "value": 1}],
                    "regions": [{"id": "r1", "data": {"concepts": [{"id": "apple"}]}}],
                },
            },
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = (await get(stub, account, "in1", "ann")).annotation
        assert as_dict(got) == as_dict(res.annotations[0])
        assert concepts(got.data) == [("tree", 0.0), ("water", 1.0)]
        region = got.data.regions[0]
        assert concepts(region.data) == [("bike", 1.0), ("apple", 0.0)]
        assert region.region_info.bounding_box.right_col == 0.5
        assert got.status.code == sc.ANNOTATION_AWAITING_REVIEW
        assert got.annotation_info["round"] == 2
        assert got.modified_at.ToDatetime() >= got.created_at.ToDatetime()
        assert {"water", "apple"} <= await rows.concepts(account)

    async def test_overwrite_moves_the_box(self, stub, labelled):
        account = labelled
        moved = {"id": "r1", "region_info": {"bounding_box": bbox(0.5, 0.5, 0.8, 0.8)}}
        res = await patch(
            stub,
            account,
            "overwrite",
            {"id": "ann", "input_id": "in1", "data": {"regions": [moved]}},
        )
        assert res.status.code == sc.SUCCESS, res.status
        data = res.annotations[0].data
        assert not data.concepts and not data.HasField("metadata")
        assert [g.id for g in data.regions] == ["r1"]
        assert round(data.regions[0].region_info.bounding_box.top_row, 3) == 0.5
        assert res.annotations[0].annotation_info["round"] == 1

    async def test_remove(self, stub, labelled):
        account = labelled
        res = await patch(
            stub,
            account,
            "remove",
            {"id": "ann", "data": {"concepts": [{"id": "tree"}], "metadata": {"k": True}}},
        )
        assert res.status.code == sc.SUCCESS, res.status
        data = res.annotations[0].data
        assert not data.concepts and not data.HasField("metadata")
        assert [g.id for g in data.regions] == ["r1"]

    async def test_remove_and_delete_if_empty(self, stub, labelled, rows):
        account = labelled
        await rows.annotation(
            account,
            id="lvl",
            input_id="in1",
            input_level=True,
            user_id=account.user_id,
            data={"concepts": [{"id": "tree", "value": 1.0}]},
        )
        everything = {
            "concepts": [{"id": "tree"}],
            "metadata": {"k": True},
            "regions": [{"id": "r1"}],
        }
        res = await patch(
            stub,
            account,
            "remove",
            {"id": "ann", "data": everything},
            {"id": "lvl", "data": {"concepts": [{"id": "tree"}]}},
            delete_if_empty_data=True,
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert names(res.annotations) == ["lvl"]
        assert names(await stored(stub, account)) == ["lvl"]

    async def test_invalid_result_writes_nothing(self, stub, labelled):
        account = labelled
        res = await patch(
            stub,
            account,
            "merge",
            {"id": "ann", "data": {"concepts": [{"id": "new-one"}]}},
            {"id": "ann2", "data": {}},
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "annotations[1].id: annotation 'ann2'" in res.status.details
        res = await patch(
            stub,
            account,
            "merge",
            {
                "id": "ann",
                "data": {
                    "regions": [
                        {"id": "r1", "region_info": {"bounding_box": bbox(0.6, 0.1, 0.5, 0.5)}}
                    ]
                },
            },
        )
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT
        assert "annotations[0].data.regions[0].region_info.bounding_box: top_row" in (
            res.status.details
        )
        got = (await get(stub, account, "in1", "ann")).annotation
        assert concepts(got.data) == [("tree", 1.0)]
        assert round(got.data.regions[0].region_info.bounding_box.top_row, 3) == 0.1

    @pytest.mark.parametrize(
        ("action", "annotation", "code", "details"),
        [
            ("", {"id": "ann"}, sc.CONN_INVALID_REQUEST, "action is required"),
            ("upsert", {"id": "ann"}, sc.CONN_INVALID_REQUEST, "action 'upsert' is unknown"),
            ("merge", {"input_id": "in1"}, sc.ANNOTATION_INVALID_ARGUMENT, "annotations[0].id"),
            ("merge", {"id": "ann", "input_id": "in2"}, sc.CONN_DOES_NOT_EXIST, "on input 'in2'"),
            (
                "merge",
                {"id": "ann", "user_id": "someone"},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[0].user_id: an annotation's worker cannot change",
            ),
            (
                "merge",
                {"id": "ann", "status": {"code": 24152}},
                sc.ANNOTATION_INVALID_ARGUMENT,
                "annotations[0].status.code ANNOTATION_FAILED",
            ),
        ],
    )
    async def test_refused(self, stub, labelled, action, annotation, code, details):
        res = await patch(stub, labelled, action, annotation)
        assert res.status.code == code, res.status
        assert details in res.status.details

    async def test_batch_size(self, stub, labelled):
        res = await patch(stub, labelled, "merge")
        assert res.status.code == sc.CONN_INVALID_REQUEST
        res = await patch(stub, labelled, "merge", *[{"id": "ann"}] * 129)
        assert res.status.code == sc.CONN_INVALID_REQUEST and "got 129" in res.status.details

    async def test_who_may_edit(self, stub, team):
        owner, helper = team
        await post(stub, owner, {"id": "owners", "input_id": "in1"})
        await post(stub, owner, {"id": "helpers", "input_id": "in1"}, md=helper.md())
        change = {"data": {"concepts": [{"id": "x"}]}}
        denied = await patch(stub, owner, "merge", {"id": "owners", **change}, md=helper.md())
        assert denied.status.code == sc.ANNOTATION_PERMISSION_DENIED
        assert f"annotations[0]: annotation 'owners' belongs to user '{owner.user_id}'" in (
            denied.status.details
        )
        own = await patch(stub, owner, "merge", {"id": "helpers", **change}, md=helper.md())
        assert own.status.code == sc.SUCCESS, own.status
        by_owner = await patch(stub, owner, "merge", {"id": "helpers", "status": {"code": 24158}})
        assert by_owner.status.code == sc.SUCCESS, by_owner.status
        assert by_owner.annotations[0].user_id == helper.user_id
        untouched = (await get(stub, owner, "in1", "owners")).annotation
        assert not untouched.data.concepts

    async def test_other_app_invisible(self, stub, labelled, new_account, rows):
        other = await new_account()
        await rows.inputs(other, "in1")
        res = await patch(stub, other, "merge", {"id": "ann", "data": {}})
        assert res.status.code == sc.CONN_DOES_NOT_EXIST


# ---- PatchAnnotationsStatus ----


async def set_status(stub, account, md=None, **body):
    return await stub.PatchAnnotationsStatus(
        req(s.PatchAnnotationsStatusRequest, account, body), metadata=md or account.md()
    )


class TestPatchAnnotationsStatus:
    async def test_sets_the_status_of_a_tasks_annotations(self, stub, mixed):
        owner, helper = mixed
        res = await set_status(
            stub, owner, task_id="t1", action="overwrite", status_code="ANNOTATION_AWAITING_REVIEW"
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.updated_count == 3
        assert list(res.user_ids) == sorted([owner.user_id, helper.user_id])
        reviewed = await listed(stub, owner, statuses=[{"code": 24157}])
        assert names(reviewed) == ["own-ok", "own-pending", "helper-ok", "helper-review"]

    async def test_filters_by_user_and_status(self, stub, mixed):
        owner, helper = mixed
        res = await set_status(
            stub,
            owner,
            task_id="t1",
            status_code=24158,
            user_ids=[owner.user_id],
            status_codes=["ANNOTATION_PENDING"],
        )
        assert res.updated_count == 1 and list(res.user_ids) == [owner.user_id]
        assert names(await listed(stub, owner, statuses=[{"code": 24158}])) == ["own-pending"]

    async def test_collaborator_only_their_own(self, stub, mixed):
        owner, helper = mixed
        denied = await set_status(
            stub,
            owner,
            task_id="t1",
            status_code=24151,
            user_ids=[owner.user_id],
            md=helper.md(),
        )
        assert denied.status.code == sc.ANNOTATION_PERMISSION_DENIED
        assert "user_ids" in denied.status.details
        own = await set_status(stub, owner, task_id="t1", status_code=24151, md=helper.md())
        assert own.status.code == sc.SUCCESS and own.updated_count == 1
        assert list(own.user_ids) == [helper.user_id]

    async def test_refused(self, stub, mixed):
        owner, _ = mixed
        bad = await set_status(stub, owner, task_id="t1", status_code=10000)
        assert bad.status.code == sc.ANNOTATION_INVALID_ARGUMENT
        assert "status_code SUCCESS is not an annotation status" in bad.status.details
        merge = await set_status(stub, owner, task_id="t1", status_code=24151, action="merge")
        assert merge.status.code == sc.CONN_INVALID_REQUEST
        assert await listed(stub, owner, statuses=[{"code": 24151}]) != []
        assert names(await listed(stub, owner)) == ["own-ok", "helper-ok"]

    async def test_other_app_untouched(self, stub, mixed, new_account):
        owner, _ = mixed
        other = await new_account()
        res = await set_status(stub, other, task_id="t1", status_code=24158)
        assert res.status.code == sc.SUCCESS and res.updated_count == 0
        assert names(await listed(stub, owner)) == ["own-ok", "helper-ok"]


# ---- DeleteAnnotation(s) ----


class TestDeleteAnnotation:
    async def test_deletes(self, stub, labelled):
        res = await stub.DeleteAnnotation(
            s.DeleteAnnotationRequest(
                user_app_id=app_of(labelled), input_id="in1", annotation_id="ann"
            ),
            metadata=labelled.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await stored(stub, labelled) == []

    async def test_refusals(self, stub, team, rows):
        owner, helper = team
        await rows.annotation(
            owner, id="lvl", input_id="in1", input_level=True, user_id=owner.user_id
        )
        await post(stub, owner, {"id": "owners", "input_id": "in1"})

        async def delete(annotation_id, input_id="in1", md=None):
            return await stub.DeleteAnnotation(
                s.DeleteAnnotationRequest(
                    user_app_id=app_of(owner), input_id=input_id, annotation_id=annotation_id
                ),
                metadata=md or owner.md(),
            )

        level = await delete("lvl")
        assert level.status.code == sc.ANNOTATION_INVALID_ARGUMENT
        assert "input-level annotation" in level.status.details
        missing = await delete("owners", input_id="in2")
        assert missing.status.code == sc.CONN_DOES_NOT_EXIST
        denied = await delete("owners", md=helper.md())
        assert denied.status.code == sc.ANNOTATION_PERMISSION_DENIED
        assert names(await stored(stub, owner)) == ["lvl", "owners"]


class TestDeleteAnnotations:
    async def _delete(self, stub, account, md=None, **body):
        return await stub.DeleteAnnotations(
            req(s.DeleteAnnotationsRequest, account, body), metadata=md or account.md()
        )

    async def test_by_ids_and_pairs(self, stub, mixed):
        owner, _ = mixed
        res = await self._delete(stub, owner, ids=["own-ok", "by-model"])
        assert res.status.code == sc.SUCCESS, res.status
        res = await self._delete(stub, owner, ids=["helper-ok"], input_ids=["in2"])
        assert res.status.code == sc.SUCCESS, res.status
        assert names(await stored(stub, owner)) == ["input-level", "own-pending", "helper-review"]

    async def test_by_inputs_keeps_input_level(self, stub, mixed):
        owner, _ = mixed
        res = await self._delete(stub, owner, input_ids=["in1"])
        assert res.status.code == sc.SUCCESS, res.status
        assert names(await stored(stub, owner)) == ["input-level", "own-pending", "helper-ok"]

    async def test_one_missing_deletes_nothing(self, stub, mixed):
        owner, _ = mixed
        before = names(await stored(stub, owner))
        res = await self._delete(stub, owner, ids=["own-ok", "nope"])
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "ids[1]: annotation 'nope'" in res.status.details
        res = await self._delete(stub, owner, ids=["own-ok"], input_ids=["in2"])
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        res = await self._delete(stub, owner, input_ids=["in1", "ghost"])
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "input_ids[1]: input 'ghost' not found" in res.status.details
        res = await self._delete(stub, owner, ids=["own-ok", "input-level"])
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT
        assert "ids[1]" in res.status.details
        res = await self._delete(stub, owner)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert names(await stored(stub, owner)) == before

    async def test_collaborator_only_their_own(self, stub, mixed):
        owner, helper = mixed
        denied = await self._delete(stub, owner, input_ids=["in2"], md=helper.md())
        assert denied.status.code == sc.ANNOTATION_PERMISSION_DENIED
        assert "input_ids[0]: annotation 'own-pending'" in denied.status.details
        own = await self._delete(stub, owner, ids=["helper-ok"], md=helper.md())
        assert own.status.code == sc.SUCCESS

    async def test_other_app_invisible(self, stub, mixed, new_account):
        owner, _ = mixed
        other = await new_account()
        res = await self._delete(stub, other, ids=["own-ok"])
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "own-ok" in names(await stored(stub, owner))


# ---- REST, as the docs' cURL samples send it ----


class TestRest:
    async def test_docs_samples(self, rest, team):
        owner, helper = team
        base = f"{rest}/v2/users/{owner.user_id}/apps/{owner.app_id}"

        async def call(verb: str, path: str, body: dict | None = None) -> tuple[int, dict]:
            async with aiohttp.ClientSession() as http:
                return await rest_call(http, verb, base + path, owner.pat, json=body)

        status, body = await call(
            "POST",
            "/annotations",
            {
                "annotations": [
                    {
                        "input_id": "in1",
                        "data": {"concepts": [{"id": "tree"}, {"id": "water", "value": 0}]},
                    },
                    {
                        "input_id": "in1",
                        "user_id": helper.user_id,
                        "task_id": "t1",
                        "status": {"code": "ANNOTATION_PENDING"},
                    },
                ]
            },
        )
        assert status == 200, body
        labels, pending = body["annotations"]
        # A concept sent without a value is a positive label.
        assert [(c["id"], c["value"]) for c in labels["data"]["concepts"]] == [
            ("tree", 1),
            ("water", 0),
        ]
        assert pending["status"]["code"] == sc.ANNOTATION_PENDING

        status, body = await call(
            "PATCH",
            "/task/t1/annotations/status",
            {"action": "overwrite", "status_code": "ANNOTATION_AWAITING_REVIEW"},
        )
        assert (status, body["updated_count"], body["user_ids"]) == (200, 1, [helper.user_id])

        status, body = await call("GET", f"/inputs/in1/annotations/{pending['id']}")
        assert body["annotation"]["status"]["code"] == sc.ANNOTATION_AWAITING_REVIEW

        status, body = await call("DELETE", "/annotations", {"input_ids": ["in1"]})
        assert status == 200, body
        status, body = await call("GET", "/annotations?list_all_annotations=true")
        assert (status, body["annotations"]) == (200, [])


# ---- on inputs posted through the API ----


class TestOnPostedInputs:
    async def test_labels_beside_the_input_level_annotation(self, stub, account):
        posted = await stub.PostInputs(
            s.PostInputsRequest(
                user_app_id=app_of(account),
                inputs=[
                    r.Input(
                        id="note",
                        data=r.Data(
                            text=r.Text(raw="hello world"), concepts=[r.Concept(id="en", value=1)]
                        ),
                    )
                ],
            ),
            metadata=account.md(),
        )
        assert posted.status.code == sc.SUCCESS, posted.status
        too_far = {
            "input_id": "note",
            "data": {"regions": [{"region_info": {"span": span(6, 12)}}]},
        }
        res = await post(stub, account, too_far)
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT
        assert "span.char_end 12 is past the end of the input's text (11)" in res.status.details
        res = await post(
            stub,
            account,
            {
                "id": "word",
                "input_id": "note",
                "data": {
                    "regions": [
                        {
                            "region_info": {"span": span(6, 11)},
                            "data": {"concepts": [{"id": "noun"}]},
                        }
                    ]
                },
            },
        )
        assert res.status.code == sc.SUCCESS, res.status

        everything = await stored(stub, account)
        level = [a for a in everything if a.input_level]
        assert len(level) == 1 and concepts(level[0].data) == [("en", 1.0)]
        assert names(await listed(stub, account)) == ["word"]
        res = await stub.DeleteAnnotations(
            s.DeleteAnnotationsRequest(user_app_id=app_of(account), input_ids=["note"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [a.id for a in await stored(stub, account)] == [level[0].id]
