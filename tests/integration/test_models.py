"""Models: create, read, list, search, patch, rename and delete them; read
clarifai/main's as any caller; their concepts."""

from __future__ import annotations

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from server import main_app
from tests.helpers import app_key, assert_invalid, assert_missing, assert_status, make_key, me, pat

MAIN = r.UserAppIDSet(user_id="clarifai", app_id="main")
GENERAL_VERSION = "aa7f35c01e0642fda5cf400f543e7c40"


def classifier(model_id: str, *concepts: str, **kw) -> r.Model:
    """An embedding-classifier to learn `concepts`."""
    out = r.Model(id=model_id, model_type_id="embedding-classifier", **kw)
    for c in concepts:
        out.model_version.output_info.data.concepts.add(id=c)
    return out


def thresholder(model_id: str) -> r.Model:
    out = r.Model(id=model_id, model_type_id="concept-thresholder")
    out.model_version.output_info.data.concepts.add(id="dog", value=0.7)
    out.model_version.output_info.params.update({"concept_threshold_type": 2})
    return out


async def post(stub, account, *models: r.Model):
    res = await stub.PostModels(
        s.PostModelsRequest(user_app_id=me("main"), models=models), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.model


async def get(stub, account, model_id: str, **kw):
    return await stub.GetModel(
        s.GetModelRequest(user_app_id=me("main"), model_id=model_id, **kw), metadata=account.md()
    )


async def listed_ids(stub, account, **kw) -> list[str]:
    res = await stub.ListModels(
        s.ListModelsRequest(user_app_id=me("main"), **kw), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [m.id for m in res.models]


async def add_concepts(stub, account, *ids: str) -> None:
    res = await stub.PostConcepts(
        s.PostConceptsRequest(
            user_app_id=me("main"), concepts=[r.Concept(id=i, name=i.title()) for i in ids]
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status


class TestPostModels:
    async def test_trainable_starts_without_a_version(self, transport, account):
        sent = classifier("pets", "dog", "cat", name="Pets", description="my pets")
        sent.model_version.output_info.output_config.hyper_params.update({"C": 0.5})
        res = await transport.call(
            "PostModels", s.PostModelsRequest(user_app_id=me("main"), models=[sent]), account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        res = await transport.call(
            "GetModel", s.GetModelRequest(user_app_id=me("main"), model_id="pets"), account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        model = res.model
        assert (model.id, model.name, model.description) == ("pets", "Pets", "my pets")
        assert (model.app_id, model.user_id) == ("main", account.user_id)
        assert model.model_type_id == "embedding-classifier"
        assert model.creator == account.user_id
        assert not model.HasField("model_version")
        assert model.version_count == 0
        # What it was created with is kept for its first version.
        assert [c.id for c in model.output_info.data.concepts] == ["dog", "cat"]
        assert model.output_info.output_config.hyper_params["C"] == 0.5

    async def test_operator_gets_a_trained_version(self, stub, account):
        model = await post(stub, account, thresholder("thr"))
        version = model.model_version
        assert len(version.id) == 32
        assert version.status.code == sc.MODEL_TRAINED
        assert version.output_info.params["concept_threshold_type"] == 2
        assert version.output_info.data.concepts[0].value == pytest.approx(0.7)
        assert model.version_count == 1

    async def test_deprecated_single_model(self, stub, account):
        res = await stub.PostModels(
            s.PostModelsRequest(
                user_app_id=me("main"), model=r.Model(id="old", model_type_id="text-classifier")
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.model.id == "old"
        assert res.model.name == "old"

    async def test_built_in_type_refused(self, transport, stub, account):
        res = await transport.call(
            "PostModels",
            s.PostModelsRequest(
                user_app_id=me("main"),
                models=[r.Model(id="faces", model_type_id="visual-detector")],
            ),
            account.md(),
            http_status=400,
        )
        assert_status(
            res, sc.MODEL_INVALID_REQUEST, "models[0].model_type_id", "visual-detector", "built in"
        )
        assert await listed_ids(stub, account) == []

    async def test_unknown_and_missing_type(self, stub, account):
        for sent, words in (
            (r.Model(id="x", model_type_id="teleporter"), ("unknown model type", "teleporter")),
            (r.Model(id="x"), ("models[0].model_type_id", "required")),
        ):
            res = await stub.PostModels(
                s.PostModelsRequest(user_app_id=me("main"), models=[sent]), metadata=account.md()
            )
            assert_status(res, sc.MODEL_INVALID_REQUEST, *words)

    async def test_batch_is_atomic(self, stub, account):
        await post(stub, account, classifier("taken"))
        res = await stub.PostModels(
            s.PostModelsRequest(
                user_app_id=me("main"), models=[thresholder("fresh"), classifier("taken")]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert "models[1].id" in res.status.details
        assert await listed_ids(stub, account) == ["taken"]

    async def test_generated_id(self, stub, account):
        model = await post(stub, account, r.Model(model_type_id="random-sample"))
        assert len(model.id) == 32


class TestGetModel:
    async def test_missing(self, transport, account):
        res = await transport.call(
            "GetModel",
            s.GetModelRequest(user_app_id=me("main"), model_id="nope"),
            account.md(),
            http_status=404,
        )
        # The clarifai SDK matches this description.
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "model 'nope'")
        assert res.status.description == "Model does not exist"

    async def test_clarifai_main_by_any_pat(self, transport, account):
        for model_id in ("general-image-recognition", "aaa03c23b3724a16a56b629203edc62c"):
            res = await transport.call(
                "GetModel", s.GetModelRequest(user_app_id=MAIN, model_id=model_id), account.md()
            )
            assert res.status.code == sc.SUCCESS, res.status
            assert (res.model.user_id, res.model.app_id) == ("clarifai", "main")
            assert res.model.model_type_id == "visual-classifier"
            assert res.model.model_version.id == GENERAL_VERSION
            assert res.model.model_version.status.code == sc.MODEL_TRAINED

    async def test_version_asked_for(self, stub, account):
        first = (await post(stub, account, thresholder("thr"))).model_version.id
        res = await stub.PostModelVersions(
            s.PostModelVersionsRequest(user_app_id=me("main"), model_id="thr"),
            metadata=account.md(),
        )
        second = res.model.model_version.id
        assert (await get(stub, account, "thr")).model.model_version.id == second
        assert (await get(stub, account, "thr", version_id=first)).model.model_version.id == first
        res = await get(stub, account, "thr", version_id="0" * 32)
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "0" * 32)


class TestListModels:
    async def test_filters_and_sorts(self, stub, account):
        await post(
            stub,
            account,
            classifier("b-pets", name="Pets", toolkits=["kit"]),
            thresholder("a-thr"),
            r.Model(id="c-text", name="Sentiment", model_type_id="text-classifier"),
        )
        # Newest modified first by default.
        assert await listed_ids(stub, account) == ["c-text", "a-thr", "b-pets"]
        assert await listed_ids(stub, account, sort_by_created_at=True, sort_ascending=True) == [
            "b-pets",
            "a-thr",
            "c-text",
        ]
        assert await listed_ids(stub, account, model_type_id="concept-thresholder") == ["a-thr"]
        assert await listed_ids(stub, account, trained_only=True) == ["a-thr"]
        assert await listed_ids(stub, account, toolkits=["kit", "other"]) == ["b-pets"]
        assert await listed_ids(stub, account, input_fields=["text"]) == ["c-text"]
        assert await listed_ids(stub, account, output_fields=["regions"]) == []
        assert await listed_ids(stub, account, search="SENTI") == ["c-text"]
        assert await listed_ids(stub, account, query="pet") == ["b-pets"]
        assert await listed_ids(stub, account, creator=account.user_id, per_page=1, page=3) == [
            "b-pets"
        ]

    async def test_name_sort(self, stub, account):
        await post(
            stub,
            account,
            thresholder("x1"),
            r.Model(id="x2", name="aaa", model_type_id="random-sample"),
        )
        await stub.PatchModels(
            s.PatchModelsRequest(
                user_app_id=me("main"), action="overwrite", models=[r.Model(id="x1", name="zzz")]
            ),
            metadata=account.md(),
        )
        assert await listed_ids(stub, account, sort_by_name=True, sort_ascending=True) == [
            "x2",
            "x1",
        ]

    async def test_own_app_never_lists_clarifai_main(self, stub, account):
        assert await listed_ids(stub, account, dont_fetch_from_main=False) == []

    async def test_clarifai_main(self, transport, account):
        res = await transport.call(
            "ListModels",
            s.ListModelsRequest(user_app_id=MAIN, model_type_id="visual-classifier", per_page=100),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert "general-image-recognition" in [m.id for m in res.models]
        assert all(m.model_version.status.code == sc.MODEL_TRAINED for m in res.models)

    async def test_across_a_users_apps(self, transport, stub, account, new_account):
        await post(stub, account, thresholder("mine"))
        res = await transport.call(
            "ListModels",
            s.ListModelsRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [(m.id, m.app_id) for m in res.models] == [("mine", "main")]
        # Another user's: only its public apps' models.
        other = await new_account()
        await post(stub, other, thresholder("theirs"))
        res = await transport.call(
            "ListModels",
            s.ListModelsRequest(user_app_id=r.UserAppIDSet(user_id=other.user_id)),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert list(res.models) == []
        res = await transport.call(
            "ListModels",
            s.ListModelsRequest(user_app_id=r.UserAppIDSet(user_id="clarifai"), per_page=100),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert "general-image-recognition" in [m.id for m in res.models]
        assert {(m.user_id, m.app_id) for m in res.models} == {("clarifai", "main")}


class TestPostModelsSearches:
    async def test_name_and_type(self, transport, stub, account):
        await post(
            stub,
            account,
            classifier("dog-finder", name="Dog Finder"),
            thresholder("dog-thr"),
            r.Model(id="cats", model_type_id="random-sample"),
        )

        async def found(**query) -> set[str]:
            res = await transport.call(
                "PostModelsSearches",
                s.PostModelsSearchesRequest(
                    user_app_id=me("main"), model_query=r.ModelQuery(**query)
                ),
                account.md(),
            )
            assert res.status.code == sc.SUCCESS, res.status
            return {m.id for m in res.models}

        assert await found(name="DOG") == {"dog-finder", "dog-thr"}
        assert await found(name="dog*finder") == {"dog-finder"}
        assert await found(name="dog", model_type_id="concept-thresholder") == {"dog-thr"}
        assert await found() == {"dog-finder", "dog-thr", "cats"}


class TestPatchModels:
    async def test_actions(self, transport, stub, account):
        await post(stub, account, classifier("m", name="Old", toolkits=["a"], metadata=None))
        sent = r.Model(id="m", name="New", toolkits=["b"])
        sent.metadata.update({"x": 1, "y": {"z": 2}})
        res = await transport.call(
            "PatchModels",
            s.PatchModelsRequest(user_app_id=me("main"), action="merge", models=[sent]),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.models[0].name == "New"
        assert list(res.models[0].toolkits) == ["a", "b"]
        removal = r.Model(id="m", toolkits=["a"])
        removal.metadata.update({"y": True})
        res = await transport.call(
            "PatchModels",
            s.PatchModelsRequest(user_app_id=me("main"), action="remove", models=[removal]),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        model = (await get(stub, account, "m")).model
        assert list(model.toolkits) == ["b"]
        assert json_format.MessageToDict(model.metadata) == {"x": 1}
        res = await stub.PatchModels(
            s.PatchModelsRequest(
                user_app_id=me("main"),
                action="overwrite",
                models=[r.Model(id="m", toolkits=["c"], visibility=r.Visibility(gettable=50))],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        model = (await get(stub, account, "m")).model
        assert (list(model.toolkits), model.visibility.gettable, model.name) == (["c"], 50, "New")

    async def test_unknown_id_writes_nothing(self, stub, account):
        await post(stub, account, classifier("m", name="Kept"))
        res = await stub.PatchModels(
            s.PatchModelsRequest(
                user_app_id=me("main"),
                action="overwrite",
                models=[r.Model(id="m", name="Changed"), r.Model(id="ghost", name="x")],
            ),
            metadata=account.md(),
        )
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "models[1].id", "ghost")
        assert (await get(stub, account, "m")).model.name == "Kept"

    async def test_bad_action(self, stub, account):
        res = await stub.PatchModels(
            s.PatchModelsRequest(user_app_id=me("main"), action="squash", models=[r.Model(id="m")]),
            metadata=account.md(),
        )
        assert_invalid(res, "squash")

    async def test_list_patches(self, transport, stub, account):
        await post(stub, account, classifier("m"))
        for rpc, request, field in (
            ("PatchModelToolkits", s.PatchModelToolkitsRequest, "toolkits"),
            ("PatchModelUseCases", s.PatchModelUseCasesRequest, "usecases"),
            ("PatchModelLanguages", s.PatchModelLanguagesRequest, "languages"),
            ("PatchModelCheckConsents", s.PatchModelCheckConsentsRequest, "check_consents"),
        ):
            results = []
            for action, values in (
                ("overwrite", ["a", "b"]),
                ("merge", ["b", "c"]),
                ("remove", ["a"]),
            ):
                res = await transport.call(
                    rpc,
                    request(user_app_id=me("main"), model_id="m", action=action, **{field: values}),
                    account.md(),
                )
                assert res.status.code == sc.SUCCESS, (rpc, res.status)
                results.append(list(getattr(res, field)))
            assert results == [["a", "b"], ["a", "b", "c"], ["b", "c"]], rpc
        model = (await get(stub, account, "m")).model
        assert list(model.use_cases) == ["b", "c"]
        assert list(model.check_consents) == ["b", "c"]


class TestPatchModelIds:
    async def test_rename_and_swap(self, stub, account):
        await post(stub, account, thresholder("a"), thresholder("b"))
        version_a = (await get(stub, account, "a")).model.model_version.id
        res = await stub.PatchModelIds(
            s.PatchModelIdsRequest(
                user_app_id=me("main"),
                action="overwrite",
                ids=[s.IdUpdateSource(id="a", new_id="b"), s.IdUpdateSource(id="b", new_id="a")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert (await get(stub, account, "b")).model.model_version.id == version_a

    async def test_taken(self, stub, account):
        await post(stub, account, thresholder("a"), thresholder("b"))
        res = await stub.PatchModelIds(
            s.PatchModelIdsRequest(
                user_app_id=me("main"),
                action="overwrite",
                ids=[s.IdUpdateSource(id="a", new_id="b")],
            ),
            metadata=account.md(),
        )
        assert_status(res, sc.MODEL_INVALID_REQUEST, "ids[0].new_id", "'b'")
        assert sorted(await listed_ids(stub, account)) == ["a", "b"]


class TestDeleteModels:
    async def test_delete_one_takes_its_versions(self, transport, stub, account):
        await post(stub, account, thresholder("a"), thresholder("b"))
        version = (await get(stub, account, "a")).model.model_version.id
        res = await transport.call(
            "DeleteModel", s.DeleteModelRequest(user_app_id=me("main"), model_id="a"), account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await listed_ids(stub, account) == ["b"]
        # Created again under the same id, it has none of the old versions.
        await post(stub, account, classifier("a"))
        res = await get(stub, account, "a", version_id=version)
        assert res.status.code == sc.MODEL_DOES_NOT_EXIST

    async def test_missing(self, stub, account):
        res = await stub.DeleteModel(
            s.DeleteModelRequest(user_app_id=me("main"), model_id="nope"), metadata=account.md()
        )
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "nope")

    async def test_many_and_all(self, stub, account):
        await post(stub, account, thresholder("a"), thresholder("b"), thresholder("c"))
        res = await stub.DeleteModels(
            s.DeleteModelsRequest(user_app_id=me("main"), ids=["a", "ghost"]), metadata=account.md()
        )
        assert_status(res, sc.MODEL_DOES_NOT_EXIST, "ids[1]", "ghost")
        res = await stub.DeleteModels(
            s.DeleteModelsRequest(user_app_id=me("main"), ids=["a"]), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert sorted(await listed_ids(stub, account)) == ["b", "c"]
        res = await stub.DeleteModels(
            s.DeleteModelsRequest(user_app_id=me("main"), delete_all=True), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await listed_ids(stub, account) == []


class TestModelConcepts:
    async def test_named_as_the_app_names_them(self, transport, stub, account):
        await add_concepts(stub, account, "dog", "cat", "bird")
        await post(stub, account, thresholder("thr"))
        res = await stub.PostModelVersions(
            s.PostModelVersionsRequest(
                user_app_id=me("main"),
                model_id="thr",
                model_versions=[
                    r.ModelVersion(
                        output_info=r.OutputInfo(
                            data=r.Data(concepts=[r.Concept(id="dog"), r.Concept(id="cat")])
                        )
                    )
                ],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        res = await transport.call(
            "ListModelConcepts",
            s.ListModelConceptsRequest(user_app_id=me("main"), model_id="thr"),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [(c.id, c.name) for c in res.concepts] == [("dog", "Dog"), ("cat", "Cat")]
        res = await transport.call(
            "ListModelConcepts",
            s.ListModelConceptsRequest(user_app_id=me("main"), model_id="thr", search="CA"),
            account.md(),
        )
        assert [c.id for c in res.concepts] == ["cat"]
        res = await transport.call(
            "GetModelOutputInfo",
            s.GetModelRequest(user_app_id=me("main"), model_id="thr"),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [c.name for c in res.model.output_info.data.concepts] == ["Dog", "Cat"]

    async def test_built_in_vocabulary(self, stub, account):
        res = await stub.ListModelConcepts(
            s.ListModelConceptsRequest(user_app_id=MAIN, model_id="moderation-recognition"),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [c.id for c in res.concepts] == ["safe", "explicit"]


class TestPublicApps:
    """clarifai/main is public: any PAT reads it and predicts there, nothing
    more; other users' private apps stay invisible."""

    async def test_private_app_of_another_user_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, thresholder("secret"))
        res = await stub.GetModel(
            s.GetModelRequest(
                user_app_id=r.UserAppIDSet(user_id=other.user_id, app_id="main"),
                model_id="secret",
            ),
            metadata=account.md(),
        )
        assert_missing(res, other.user_id)

    async def test_writes_in_clarifai_main_refused(self, transport, account):
        res = await transport.call(
            "PostModels",
            s.PostModelsRequest(user_app_id=MAIN, models=[thresholder("mine")]),
            account.md(),
            http_status=403,
        )
        assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "Models_Add", "in a public app")
        for rpc, request in (
            ("DeleteModel", s.DeleteModelRequest(user_app_id=MAIN, model_id="face-detection")),
            (
                "PostModelVersions",
                s.PostModelVersionsRequest(user_app_id=MAIN, model_id="face-detection"),
            ),
        ):
            res = await transport.call(rpc, request, account.md())
            assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "in a public app")

    async def test_public_reads_follow_the_pats_scopes(self, stub, account):
        token = await make_key(stub, account, pat(scopes=["Apps_Get"]))
        res = await stub.GetModel(
            s.GetModelRequest(user_app_id=MAIN, model_id="face-detection"),
            metadata=account.md(token),
        )
        assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "Models_Get")

    async def test_app_keys_stay_in_their_app(self, stub, account):
        token = await make_key(stub, account, app_key("main"))
        res = await stub.GetModel(
            s.GetModelRequest(user_app_id=MAIN, model_id="face-detection"),
            metadata=account.md(token),
        )
        assert res.status.code == sc.CONN_KEY_INVALID


class TestClarifaiMainConcepts:
    """The concepts clarifai/main's models output are its concepts."""

    async def test_any_pat_reads_them(self, transport, account):
        espresso = next(i for i, n in main_app.vocabulary().items() if n == "espresso")
        res = await transport.call(
            "GetConcept", s.GetConceptRequest(user_app_id=MAIN, concept_id=espresso), account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert (res.concept.name, res.concept.app_id) == ("espresso", "main")
        res = await transport.call(
            "GetConcept", s.GetConceptRequest(user_app_id=MAIN, concept_id="face"), account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status

    async def test_every_one_once_after_another_start(self, server, stub, account):
        await main_app.ensure(server.db)
        ids: list[str] = []
        for page in range(1, 4):
            res = await stub.ListConcepts(
                s.ListConceptsRequest(user_app_id=MAIN, page=page, per_page=1000),
                metadata=account.md(),
            )
            assert res.status.code == sc.SUCCESS, res.status
            ids += [c.id for c in res.concepts]
        assert sorted(ids) == sorted(main_app.vocabulary())
        assert {"safe", "explicit", "sfw", "nsfw", "face"} <= set(ids)
