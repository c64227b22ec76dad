"""ListModelTypes and GetModelType: the catalog, the same under every app,
shaped as the clarifai SDK reads it."""

from __future__ import annotations

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import assert_missing, me

MAIN = r.UserAppIDSet(user_id="clarifai", app_id="main")
FieldType = r.ModelTypeField.ModelTypeFieldType


async def listed(transport, account, **kw) -> list[r.ModelType]:
    res = await transport.call(
        "ListModelTypes", s.ListModelTypesRequest(user_app_id=me("main"), **kw), account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.model_types)


class TestListModelTypes:
    async def test_catalog(self, transport, account):
        types = {t.id: t for t in await listed(transport, account)}
        assert {
            "embedding-classifier",
            "visual-classifier",
            "text-classifier",
            "visual-detector",
            "visual-embedder",
            "text-embedder",
            "optical-character-recognizer",
            "concept-thresholder",
            "random-sample",
            "annotation-writer",
            "concept-synonym-mapper",
            "image-crop",
            "regex-based-classifier",
            "language-id-operator",
            "object-counter",
        } <= set(types)
        assert types["text-classifier"].input_fields == ["text"]
        assert types["visual-detector"].output_fields == ["regions"]
        assert not types["visual-detector"].creatable
        assert types["concept-thresholder"].creatable
        assert not types["concept-thresholder"].trainable

    async def test_trainable_types_as_the_sdk_reads_them(self, transport, account):
        trainable = [t for t in await listed(transport, account) if t.trainable]
        assert {t.id for t in trainable} == {
            "embedding-classifier",
            "visual-classifier",
            "text-classifier",
        }
        for t in trainable:
            assert t.model_type_fields, t.id
            paths = {f.path: f for f in t.model_type_fields}
            assert all(len(p.split(".")) >= 2 for p in paths), t.id
            assert all(f.placeholder for f in t.model_type_fields), t.id
            assert paths["output_info.data"].field_type == FieldType.ARRAY_OF_CONCEPTS
            if t.id == "embedding-classifier":
                # The SDK refuses a template for this type: it has one way to train.
                assert "train_info.params.template" not in paths
            else:
                template = paths["train_info.params.template"]
                assert [o.id for o in template.model_type_enum_options] == ["logistic-regression"]
            c = paths["train_info.params.C"]
            assert c.default_value.number_value == 1.0
            assert c.model_type_range_info.max > c.model_type_range_info.min > 0
        visual = next(t for t in trainable if t.id == "visual-classifier")
        assert "embeddings" in visual.description

    async def test_pages(self, transport, account):
        everything = await listed(transport, account)
        first = await listed(transport, account, page=1, per_page=4)
        second = await listed(transport, account, page=2, per_page=4)
        assert [t.id for t in first + second] == [t.id for t in everything[:8]]


class TestGetModelType:
    async def test_under_clarifai_main(self, transport, account):
        res = await transport.call(
            "GetModelType",
            s.GetModelTypeRequest(user_app_id=MAIN, model_type_id="concept-thresholder"),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        paths = [f.path for f in res.model_type.model_type_fields]
        assert "output_info.params.concept_threshold_type" in paths
        assert res.model_type.input_fields == ["concepts"]

    async def test_under_own_app_with_an_app_key(self, stub, account):
        res = await stub.GetModelType(
            s.GetModelTypeRequest(model_type_id="text-classifier"), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.model_type.trainable

    async def test_unknown(self, transport, account):
        res = await transport.call(
            "GetModelType",
            s.GetModelTypeRequest(user_app_id=me("main"), model_type_id="nope"),
            account.md(),
            http_status=404,
        )
        assert_missing(res, "model type 'nope'")
