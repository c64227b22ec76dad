"""Model versions: training queued for trainable models, new configurations
of operators, and reading, patching and deleting versions."""

from __future__ import annotations

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format
from sqlalchemy import select

from storage.jobs import Job
from tests.helpers import app_pk, assert_missing, assert_status, me


def concepts_info(*ids: str) -> r.OutputInfo:
    return r.OutputInfo(data=r.Data(concepts=[r.Concept(id=i) for i in ids]))


async def setup(stub, account, model: r.Model, *concepts: str) -> None:
    if concepts:
        res = await stub.PostConcepts(
            s.PostConceptsRequest(
                user_app_id=me("main"), concepts=[r.Concept(id=c) for c in concepts]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
    res = await stub.PostModels(
        s.PostModelsRequest(user_app_id=me("main"), models=[model]), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status


async def post_version(stub, account, model_id: str, *versions: r.ModelVersion, **kw):
    return await stub.PostModelVersions(
        s.PostModelVersionsRequest(
            user_app_id=me("main"), model_id=model_id, model_versions=versions, **kw
        ),
        metadata=account.md(),
    )


async def train_jobs(server, account) -> list[dict]:
    pk = await app_pk(server, account)
    async with server.db.transaction() as session:
        rows = await session.scalars(
            select(Job.payload).where(Job.app_pk == pk, Job.kind == "model.train")
        )
        return list(rows)


async def versions(stub, account, model_id: str, **kw) -> list[r.ModelVersion]:
    res = await stub.ListModelVersions(
        s.ListModelVersionsRequest(user_app_id=me("main"), model_id=model_id, **kw),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.model_versions)


class TestPostModelVersions:
    async def test_trainable_is_queued(self, transport, server, stub, account):
        await setup(
            stub, account, r.Model(id="pets", model_type_id="embedding-classifier"), "dog", "cat"
        )
        sent = r.ModelVersion(output_info=concepts_info("dog", "cat"), description="first")
        sent.output_info.output_config.hyper_params.update({"C": 2, "odd": {"kept": [1, "x"]}})
        sent.train_info.params.update({"max_iter": 50, "template": "logistic-regression"})
        res = await transport.call(
            "PostModelVersions",
            s.PostModelVersionsRequest(
                user_app_id=me("main"), model_id="pets", model_versions=[sent]
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        # The clarifai SDK reads the new version's id here.
        version = res.model.model_version
        assert len(version.id) == 32
        assert version.status.code == sc.MODEL_QUEUED_FOR_TRAINING
        assert version.description == "first"
        assert [c.id for c in version.output_info.data.concepts] == ["dog", "cat"]
        assert json_format.MessageToDict(version.output_info.output_config.hyper_params) == {
            "C": 2,
            "odd": {"kept": [1, "x"]},
        }
        assert version.train_info.params["max_iter"] == 50
        assert version.active_concept_count == 2
        jobs = await train_jobs(server, account)
        assert len(jobs) == 1 and set(jobs[0]) == {"model_version_pk"}
        got = await stub.GetModel(
            s.GetModelRequest(user_app_id=me("main"), model_id="pets"), metadata=account.md()
        )
        assert got.model.model_version.id == version.id
        # The job may have taken it already: queued, training, or past it.
        assert got.model.model_version.status.code // 100 == sc.MODEL_TRAINED // 100

    async def test_concepts_from_the_model(self, stub, account):
        model = r.Model(id="pets", model_type_id="text-classifier")
        model.model_version.output_info.CopyFrom(concepts_info("dog"))
        await setup(stub, account, model, "dog")
        res = await post_version(stub, account, "pets")
        assert res.status.code == sc.SUCCESS, res.status
        assert [c.id for c in res.model.model_version.output_info.data.concepts] == ["dog"]
        # Then from the newest version.
        res = await post_version(stub, account, "pets", r.ModelVersion(description="again"))
        assert [c.id for c in res.model.model_version.output_info.data.concepts] == ["dog"]
        assert res.model.version_count == 2

    async def test_needs_a_concept(self, transport, server, stub, account):
        await setup(stub, account, r.Model(id="pets", model_type_id="embedding-classifier"))
        res = await transport.call(
            "PostModelVersions",
            s.PostModelVersionsRequest(user_app_id=me("main"), model_id="pets"),
            account.md(),
            http_status=400,
        )
        assert_status(res, sc.MODEL_INVALID_REQUEST, "at least one concept")
        assert await versions(stub, account, "pets") == []
        assert await train_jobs(server, account) == []

    async def test_unknown_concept_writes_nothing(self, server, stub, account):
        await setup(stub, account, r.Model(id="pets", model_type_id="embedding-classifier"), "dog")
        res = await post_version(
            stub, account, "pets", r.ModelVersion(output_info=concepts_info("dog", "unicorn"))
        )
        assert_missing(res, "unicorn", "output_info.data.concepts[1].id")
        assert await versions(stub, account, "pets") == []
        assert await train_jobs(server, account) == []

    async def test_operator_version(self, server, stub, account):
        model = r.Model(id="rx", model_type_id="regex-based-classifier")
        model.model_version.output_info.params.update({"regex": "^a"})
        await setup(stub, account, model)
        sent = r.ModelVersion()
        sent.output_info.params.update({"regex": "^b"})
        res = await post_version(stub, account, "rx", sent)
        assert res.status.code == sc.SUCCESS, res.status
        assert res.model.model_version.status.code == sc.MODEL_TRAINED
        assert res.model.model_version.output_info.params["regex"] == "^b"
        listed = await versions(stub, account, "rx")
        assert [v.output_info.params["regex"] for v in listed] == ["^b", "^a"]
        assert await train_jobs(server, account) == []

    async def test_missing_model(self, stub, account):
        res = await post_version(stub, account, "nope")
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "nope")

    async def test_one_version_per_request(self, stub, account):
        await setup(stub, account, r.Model(id="rx", model_type_id="random-sample"))
        res = await post_version(stub, account, "rx", r.ModelVersion(), r.ModelVersion())
        assert_status(res, sc.MODEL_INVALID_REQUEST, "model_versions", "at most 1")


class TestReadVersions:
    async def test_get_list_and_filters(self, transport, stub, account):
        await setup(
            stub, account, r.Model(id="pets", model_type_id="embedding-classifier"), "dog", "cat"
        )
        first = (
            await post_version(
                stub, account, "pets", r.ModelVersion(output_info=concepts_info("dog"))
            )
        ).model.model_version
        second = (
            await post_version(
                stub, account, "pets", r.ModelVersion(output_info=concepts_info("cat"))
            )
        ).model.model_version
        res = await transport.call(
            "GetModelVersion",
            s.GetModelVersionRequest(user_app_id=me("main"), model_id="pets", version_id=first.id),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.model_version.id == first.id
        assert (res.model_version.app_id, res.model_version.user_id) == ("main", account.user_id)
        assert [v.id for v in await versions(stub, account, "pets")] == [second.id, first.id]
        assert [v.id for v in await versions(stub, account, "pets", sort_ascending=True)] == [
            first.id,
            second.id,
        ]
        assert [v.id for v in await versions(stub, account, "pets", concept_ids=["dog"])] == [
            first.id
        ]
        assert await versions(stub, account, "pets", trained_only=True) == []
        assert [v.id for v in await versions(stub, account, "pets", per_page=1, page=2)] == [
            first.id
        ]

    async def test_missing_version(self, transport, stub, account):
        await setup(stub, account, r.Model(id="rx", model_type_id="random-sample"))
        res = await transport.call(
            "GetModelVersion",
            s.GetModelVersionRequest(user_app_id=me("main"), model_id="rx", version_id="nope"),
            account.md(),
            http_status=404,
        )
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "nope")

    async def test_clarifai_main_versions(self, stub, account):
        res = await stub.ListModelVersions(
            s.ListModelVersionsRequest(
                user_app_id=r.UserAppIDSet(user_id="clarifai", app_id="main"),
                model_id="general-image-recognition",
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [v.id for v in res.model_versions] == ["aa7f35c01e0642fda5cf400f543e7c40"]


class TestPatchAndDeleteVersions:
    async def test_patch(self, transport, stub, account):
        model = r.Model(id="thr", model_type_id="concept-thresholder")
        model.model_version.output_info.CopyFrom(concepts_info("dog"))
        await setup(stub, account, model)
        version = (await versions(stub, account, "thr"))[0]
        sent = r.ModelVersion(id=version.id, description="tuned", license="MIT")
        sent.metadata.update({"k": "v"})
        sent.output_info.output_config.min_value = 0.25
        res = await transport.call(
            "PatchModelVersions",
            s.PatchModelVersionsRequest(
                user_app_id=me("main"), model_id="thr", action="merge", model_versions=[sent]
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = (await versions(stub, account, "thr"))[0]
        assert (got.description, got.license) == ("tuned", "MIT")
        assert got.metadata["k"] == "v"
        assert abs(got.output_info.output_config.min_value - 0.25) < 1e-6
        # The concepts it was configured with stay.
        assert [c.id for c in got.output_info.data.concepts] == ["dog"]

    async def test_patch_unknown_version(self, stub, account):
        await setup(stub, account, r.Model(id="rx", model_type_id="random-sample"))
        res = await stub.PatchModelVersions(
            s.PatchModelVersionsRequest(
                user_app_id=me("main"),
                model_id="rx",
                action="merge",
                model_versions=[r.ModelVersion(id="ghost", description="x")],
            ),
            metadata=account.md(),
        )
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "ghost")

    async def test_delete(self, transport, stub, account):
        await setup(stub, account, r.Model(id="rx", model_type_id="random-sample"))
        version = (await versions(stub, account, "rx"))[0]
        res = await transport.call(
            "DeleteModelVersion",
            s.DeleteModelVersionRequest(
                user_app_id=me("main"), model_id="rx", version_id=version.id
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await versions(stub, account, "rx") == []
        got = await stub.GetModel(
            s.GetModelRequest(user_app_id=me("main"), model_id="rx"), metadata=account.md()
        )
        assert not got.model.HasField("model_version")
