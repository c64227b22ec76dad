"""Concepts, their relations and languages over gRPC; the storage helpers
other families use (existing_ids, ensure)."""

from __future__ import annotations

from functools import partial

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from storage import apps as app_store
from storage.annotations import Annotation
from storage.concepts import ConceptStorage
from storage.inputs import Input
from tests import helpers
from tests.helpers import app_pk, assert_missing, assert_status, me, struct

# Concepts refuse an invalid request with the family's own code.
assert_invalid = partial(helpers.assert_invalid, code=sc.CONCEPTS_INVALID_REQUEST)


async def post(stub, account, *concepts: r.Concept):
    res = await stub.PostConcepts(
        s.PostConceptsRequest(user_app_id=me("main"), concepts=list(concepts)),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res


async def listed_ids(stub, account) -> list[str]:
    res = await stub.ListConcepts(
        s.ListConceptsRequest(user_app_id=me("main")), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [c.id for c in res.concepts]


async def get(stub, account, concept_id: str):
    return await stub.GetConcept(
        s.GetConceptRequest(user_app_id=me("main"), concept_id=concept_id),
        metadata=account.md(),
    )


async def relate(stub, account, subject: str, *rels: tuple[str, str]):
    return await stub.PostConceptRelations(
        s.PostConceptRelationsRequest(
            user_app_id=me("main"),
            concept_id=subject,
            concept_relations=[
                r.ConceptRelation(object_concept=r.Concept(id=o), predicate=p) for p, o in rels
            ],
        ),
        metadata=account.md(),
    )


async def relations(stub, account, concept_id: str = "", predicate: str = "", **page):
    res = await stub.ListConceptRelations(
        s.ListConceptRelationsRequest(
            user_app_id=me("main"), concept_id=concept_id, predicate=predicate, **page
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [(x.subject_concept.id, x.predicate, x.object_concept.id) for x in res.concept_relations]


class TestPostConcepts:
    async def test_creates_and_reads_back(self, stub, account):
        res = await post(
            stub,
            account,
            r.Concept(id="dog", name="Dog", definition="a pet", metadata=struct(legs=4)),
            r.Concept(id="cat"),
        )
        assert res.status.description == "Ok"
        assert [c.id for c in res.concepts] == ["dog", "cat"]
        got = await get(stub, account, "dog")
        c = got.concept
        assert (c.id, c.name, c.definition, c.language) == ("dog", "Dog", "a pet", "en")
        assert (c.app_id, c.user_id, c.value) == ("main", account.user_id, 1.0)
        assert c.visibility.gettable == r.Visibility.PRIVATE
        assert json_format.MessageToDict(c.metadata) == {"legs": 4}
        assert c.created_at.seconds > 0
        assert (await get(stub, account, "cat")).concept.name == "cat"  # name defaults to id

    async def test_app_key(self, stub, account):
        res = await stub.PostConcepts(
            s.PostConceptsRequest(concepts=[r.Concept(id="k1")]), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await listed_ids(stub, account) == ["k1"]

    async def test_duplicate_in_request_writes_nothing(self, transport, stub, account):
        res = await transport.call(
            "PostConcepts",
            s.PostConceptsRequest(
                user_app_id=me("main"),
                concepts=[r.Concept(id="a"), r.Concept(id="b"), r.Concept(id="a")],
            ),
            account.md(),
            http_status=400,
        )
        assert_invalid(res, "duplicate", "concepts[2].id", "'a'")
        assert not res.concepts
        assert await listed_ids(stub, account) == []

    async def test_duplicate_of_stored_writes_nothing(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="Dog"))
        res = await stub.PostConcepts(
            s.PostConceptsRequest(
                user_app_id=me("main"),
                concepts=[r.Concept(id="new"), r.Concept(id="dog", name="Other")],
            ),
            metadata=account.md(),
        )
        assert_invalid(res, "duplicate", "concepts[1].id", "'dog'")
        assert await listed_ids(stub, account) == ["dog"]
        assert (await get(stub, account, "dog")).concept.name == "Dog"

    async def test_invalid_id_writes_nothing(self, stub, account):
        res = await stub.PostConcepts(
            s.PostConceptsRequest(
                user_app_id=me("main"), concepts=[r.Concept(id="ok"), r.Concept(id="no way")]
            ),
            metadata=account.md(),
        )
        assert_invalid(res, "concepts[1].id", "'no way'")
        assert await listed_ids(stub, account) == []

    async def test_metadata_that_is_not_json_writes_nothing(self, stub, account):
        bad = struct()
        bad.fields["weight"].number_value = float("nan")
        res = await stub.PostConcepts(
            s.PostConceptsRequest(
                user_app_id=me("main"),
                concepts=[r.Concept(id="ok"), r.Concept(id="n", metadata=bad)],
            ),
            metadata=account.md(),
        )
        assert_invalid(res, "concepts[1].metadata.weight")
        assert await listed_ids(stub, account) == []

    async def test_id_required(self, stub, account):
        res = await stub.PostConcepts(
            s.PostConceptsRequest(user_app_id=me("main"), concepts=[r.Concept(name="x")]),
            metadata=account.md(),
        )
        assert_invalid(res, "concepts[0].id is required")

    async def test_bad_visibility(self, stub, account):
        res = await stub.PostConcepts(
            s.PostConceptsRequest(
                user_app_id=me("main"),
                concepts=[r.Concept(id="v", visibility=r.Visibility(gettable=7))],
            ),
            metadata=account.md(),
        )
        assert_invalid(res, "concepts[0].visibility")
        assert await listed_ids(stub, account) == []

    async def test_empty_request(self, stub, account):
        res = await stub.PostConcepts(
            s.PostConceptsRequest(user_app_id=me("main")), metadata=account.md()
        )
        assert_invalid(res, "concepts")

    async def test_ids_are_per_app(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="dog", name="Theirs"))
        await post(stub, account, r.Concept(id="dog", name="Mine"))
        assert (await get(stub, account, "dog")).concept.name == "Mine"
        assert (await get(stub, other, "dog")).concept.name == "Theirs"


class TestGetConcept:
    async def test_missing(self, transport, account):
        res = await transport.call(
            "GetConcept",
            s.GetConceptRequest(user_app_id=me("main"), concept_id="nope"),
            account.md(),
            http_status=404,
        )
        assert_missing(res, "nope")
        assert not res.HasField("concept")

    async def test_other_apps_concept_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="secret"))
        res = await get(stub, account, "secret")
        assert_missing(res, "secret")
        assert not res.HasField("concept")


class TestListConcepts:
    async def test_pagination_in_creation_order(self, stub, account):
        for n in range(5):
            await post(stub, account, r.Concept(id=f"c{n}"))
        page = await stub.ListConcepts(
            s.ListConceptsRequest(user_app_id=me("main"), page=2, per_page=2),
            metadata=account.md(),
        )
        assert [c.id for c in page.concepts] == ["c2", "c3"]
        past = await stub.ListConcepts(
            s.ListConceptsRequest(user_app_id=me("main"), page=9, per_page=2),
            metadata=account.md(),
        )
        assert past.status.code == sc.SUCCESS and not past.concepts

    async def test_fuzzy_id_filter(self, stub, account):
        await post(
            stub, account, r.Concept(id="hot_dog"), r.Concept(id="Dogma"), r.Concept(id="hotXdog")
        )
        res = await stub.ListConcepts(
            s.ListConceptsRequest(user_app_id=me("main"), id="DOG"), metadata=account.md()
        )
        assert [c.id for c in res.concepts] == ["hot_dog", "Dogma", "hotXdog"]
        res = await stub.ListConcepts(
            s.ListConceptsRequest(user_app_id=me("main"), id="t_d"), metadata=account.md()
        )
        assert [c.id for c in res.concepts] == ["hot_dog"]  # '_' is literal

    async def test_per_page_above_limit(self, stub, account):
        res = await stub.ListConcepts(
            s.ListConceptsRequest(user_app_id=me("main"), per_page=5000),
            metadata=account.md(),
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "per_page" in res.status.details

    async def test_other_apps_concepts_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="theirs"))
        await post(stub, account, r.Concept(id="mine"))
        assert await listed_ids(stub, account) == ["mine"]


class TestPatchConcepts:
    async def patch(self, stub, account, *concepts: r.Concept, action: str = "overwrite"):
        return await stub.PatchConcepts(
            s.PatchConceptsRequest(user_app_id=me("main"), concepts=list(concepts), action=action),
            metadata=account.md(),
        )

    async def test_overwrite(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="Dog", metadata=struct(a=1, b=2)))
        res = await self.patch(
            stub,
            account,
            r.Concept(id="dog", name="Hound", definition="d", vocab_id="v", metadata=struct(c=3)),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.concepts[0].name == "Hound"
        c = (await get(stub, account, "dog")).concept
        assert (c.name, c.definition, c.vocab_id) == ("Hound", "d", "v")
        assert json_format.MessageToDict(c.metadata) == {"c": 3}

    async def test_unsent_fields_kept(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="Dog", definition="pet"))
        res = await self.patch(stub, account, r.Concept(id="dog", vocab_id="animals"))
        assert res.status.code == sc.SUCCESS, res.status
        c = (await get(stub, account, "dog")).concept
        assert (c.name, c.definition, c.vocab_id) == ("Dog", "pet", "animals")

    async def test_missing_concept_writes_nothing(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="Dog"))
        res = await self.patch(
            stub, account, r.Concept(id="dog", name="Changed"), r.Concept(id="ghost", name="x")
        )
        assert_missing(res, "concepts[1].id", "ghost")
        assert (await get(stub, account, "dog")).concept.name == "Dog"

    async def test_only_overwrite(self, stub, account):
        await post(stub, account, r.Concept(id="dog"))
        res = await self.patch(stub, account, r.Concept(id="dog", name="x"), action="merge")
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "action" in res.status.details and "merge" in res.status.details
        assert (await get(stub, account, "dog")).concept.name == "dog"

    async def test_id_required(self, stub, account):
        assert_invalid(await self.patch(stub, account, r.Concept(name="x")), "concepts[0].id")

    async def test_other_apps_concept_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="theirs", name="Theirs"))
        assert_missing(await self.patch(stub, account, r.Concept(id="theirs", name="x")), "theirs")
        assert (await get(stub, other, "theirs")).concept.name == "Theirs"


async def add_languages(stub, account, concept_id: str, *langs: r.ConceptLanguage):
    return await stub.PostConceptLanguages(
        s.PostConceptLanguagesRequest(
            user_app_id=me("main"), concept_id=concept_id, concept_languages=list(langs)
        ),
        metadata=account.md(),
    )


class TestPostConceptsSearches:
    async def search(self, stub, account, name: str, language: str = "", **page):
        res = await stub.PostConceptsSearches(
            s.PostConceptsSearchesRequest(
                user_app_id=me("main"),
                concept_query=r.ConceptQuery(name=name, language=language),
                pagination=s.Pagination(**page),
            ),
            metadata=account.md(),
        )
        return res

    async def names(self, stub, account, name: str, language: str = "", **page) -> list[str]:
        res = await self.search(stub, account, name, language, **page)
        assert res.status.code == sc.SUCCESS, res.status
        return [c.name for c in res.concepts]

    async def test_prefix_wildcard_and_case(self, stub, account):
        await post(
            stub,
            account,
            r.Concept(id="c1", name="Dog"),
            r.Concept(id="c2", name="doghouse"),
            r.Concept(id="c3", name="hot_dog"),
            r.Concept(id="c4", name="cat"),
            r.Concept(id="c5", name="hotXdog"),
        )
        assert await self.names(stub, account, "dog") == ["Dog", "doghouse"]
        assert await self.names(stub, account, "DOG") == ["Dog", "doghouse"]
        assert await self.names(stub, account, "*dog") == ["Dog", "doghouse", "hot_dog", "hotXdog"]
        assert await self.names(stub, account, "hot_*") == ["hot_dog"]  # '_' is literal
        assert await self.names(stub, account, "h*G") == ["hot_dog", "hotXdog"]
        assert await self.names(stub, account, "") == [
            "cat",
            "Dog",
            "doghouse",
            "hot_dog",
            "hotXdog",
        ]

    async def sourced(self, transport, account, query: r.ConceptQuery, **page):
        res = await transport.call(
            "PostConceptsSearches",
            s.PostConceptsSearchesRequest(
                user_app_id=me("main"), concept_query=query, pagination=s.Pagination(**page)
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        return [(c.name, c.app_id) for c in res.concepts]

    async def test_with_the_general_model_of_clarifai_main(self, transport, stub, account):
        await post(stub, account, r.Concept(id="mine", name="Espresso cup"))
        general = r.Model(id="general-image-recognition")
        both = r.ConceptQuery(name="espresso", model=general)
        assert await self.sourced(transport, account, both) == [
            ("espresso", "main"),
            ("Espresso cup", "main"),
            ("espresso machine", "main"),
        ]
        got = await transport.call(
            "PostConceptsSearches",
            s.PostConceptsSearchesRequest(user_app_id=me("main"), concept_query=both),
            account.md(),
        )
        assert {c.user_id for c in got.concepts} == {"clarifai", account.user_id}
        only = r.ConceptQuery(name="ESPRESSO*", model=general, ignore_app_concepts=True)
        assert [n for n, _ in await self.sourced(transport, account, only)] == [
            "espresso",
            "espresso machine",
        ]
        # Pages run over the merged order.
        assert await self.sourced(transport, account, both, page=2, per_page=2) == [
            ("espresso machine", "main")
        ]
        # Without a source: the app's own concepts only.
        plain = r.ConceptQuery(name="espresso")
        assert await self.sourced(transport, account, plain) == [("Espresso cup", "main")]

    async def test_with_a_workflow_of_clarifai_main(self, transport, account):
        query = r.ConceptQuery(name="tabby", workflow=r.Workflow(id="General"))
        assert await self.sourced(transport, account, query) == [("tabby cat", "main")]
        # An embedding-only workflow has no concepts.
        query = r.ConceptQuery(name="", workflow=r.Workflow(id="Language-Understanding"))
        assert await self.sourced(transport, account, query) == []

    async def test_with_a_workflow_of_the_app(self, transport, stub, account):
        """An app's workflow: its nodes' models' concepts (an operator's
        output_info concepts, a built-in's vocabulary)."""
        await post(stub, account, r.Concept(id="t1", name="tabby pet"))
        keep = r.Model(id="keep", model_type_id="concept-thresholder")
        keep.model_version.output_info.data.concepts.add(id="t1", value=0.5)
        res = await stub.PostModels(
            s.PostModelsRequest(user_app_id=me("main"), models=[keep]), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        nodes = [
            r.WorkflowNode(id="g", model=r.Model(id="general-image-recognition")),
            r.WorkflowNode(
                id="k", model=r.Model(id="keep"), node_inputs=[r.NodeInput(node_id="g")]
            ),
        ]
        res = await stub.PostWorkflows(
            s.PostWorkflowsRequest(
                user_app_id=me("main"), workflows=[r.Workflow(id="mine", nodes=nodes)]
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        query = r.ConceptQuery(name="tabby*", workflow=r.Workflow(id="mine"))
        assert await self.sourced(transport, account, query) == [
            ("tabby cat", "main"),
            ("tabby pet", "main"),
        ]

    async def test_with_a_model_of_the_app(self, transport, stub, account):
        await post(stub, account, r.Concept(id="d1", name="dogfood"))
        model = r.Model(id="pets", model_type_id="embedding-classifier")
        model.model_version.output_info.data.concepts.add(id="d1")
        res = await stub.PostModels(
            s.PostModelsRequest(user_app_id=me("main"), models=[model]), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        query = r.ConceptQuery(name="dog", model=r.Model(id="pets"), ignore_app_concepts=True)
        assert await self.sourced(transport, account, query) == [("dogfood", "main")]

    async def test_unknown_sources(self, transport, account):
        for query, code, field in (
            (r.ConceptQuery(model=r.Model(id="nope")), sc.MODEL_DOES_NOT_EXIST, "model.id"),
            (
                r.ConceptQuery(
                    model=r.Model(id="general-image-recognition", user_id="x", app_id="y")
                ),
                sc.MODEL_DOES_NOT_EXIST,
                "model.id",
            ),
            (
                r.ConceptQuery(
                    model=r.Model(
                        id="general-image-recognition", model_version=r.ModelVersion(id="v0")
                    )
                ),
                sc.MODEL_DOES_NOT_EXIST,
                "model.model_version.id",
            ),
            (
                r.ConceptQuery(workflow=r.Workflow(id="nope")),
                sc.WORKFLOW_DOES_NOT_EXIST,
                "workflow.id",
            ),
        ):
            res = await transport.call(
                "PostConceptsSearches",
                s.PostConceptsSearchesRequest(user_app_id=me("main"), concept_query=query),
                account.md(),
                http_status=404,
            )
            assert_status(res, code, f"concept_query.{field}")

    async def test_pagination(self, stub, account):
        await post(stub, account, *(r.Concept(id=f"n{i}", name=f"name{i}") for i in range(5)))
        assert await self.names(stub, account, "name", page=2, per_page=2) == ["name2", "name3"]

    async def test_by_language(self, stub, account):
        await post(stub, account, r.Concept(id="person", name="person"))
        res = await add_languages(
            stub, account, "person", r.ConceptLanguage(id="ja", name="人", definition="ひと")
        )
        assert res.status.code == sc.SUCCESS, res.status
        res = await self.search(stub, account, "人", "ja")
        assert res.status.code == sc.SUCCESS, res.status
        c = res.concepts[0]
        assert (c.id, c.name, c.definition, c.language) == ("person", "人", "ひと", "ja")
        assert await self.names(stub, account, "人") == []  # the app's language is en
        assert await self.names(stub, account, "pers", "en") == ["person"]
        assert await self.names(stub, account, "pers", "ja") == []

    async def test_bad_language(self, stub, account):
        res = await self.search(stub, account, "x", "not a language")
        assert_invalid(res, "concept_query.language")

    async def test_other_apps_concepts_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="dog"))
        assert await self.names(stub, account, "dog") == []


class TestGetConceptCounts:
    async def label(self, server, account, rows: list[tuple[str, int, dict, int]]) -> None:
        """Inputs (id, input status) each with one annotation (data, status)."""
        pk = await app_pk(server, account)
        async with server.db.transaction() as session:
            for input_id, input_status, data, status in rows:
                session.add(Input(app_pk=pk, id=input_id, status_code=input_status))
                await session.flush()
                session.add(
                    Annotation(
                        app_pk=pk,
                        id=f"a-{input_id}",
                        input_id=input_id,
                        data=data,
                        status_code=status,
                    )
                )

    async def test_counts(self, stub, server, account):
        await post(stub, account, r.Concept(id="dog"), r.Concept(id="cat"), r.Concept(id="owl"))
        ok, pending = 24150, 24151
        dog, not_dog = {"id": "dog", "value": 1.0}, {"id": "dog"}  # json_format drops 0.0
        await self.label(
            server,
            account,
            [
                ("i1", 30000, {"concepts": [dog, {"id": "cat", "value": 1.0}]}, ok),
                ("i2", 30000, {"concepts": [not_dog]}, ok),
                ("i3", 30001, {"regions": [{"data": {"concepts": [dog]}}]}, ok),
                ("i4", 30002, {"concepts": [dog], "regions": [{"data": {"concepts": [dog]}}]}, ok),
                ("i5", 30000, {"concepts": [dog]}, pending),  # not a trusted label
            ],
        )
        res = await stub.GetConceptCounts(
            s.GetConceptCountsRequest(user_app_id=me("main")), metadata=account.md()
        )
        assert res.status.code == sc.SUCCESS, res.status
        counts = {c.id: c for c in res.concept_counts}
        assert [c.id for c in res.concept_counts] == ["dog", "cat", "owl"]
        d = counts["dog"]
        assert (d.concept_type_count.positive, d.concept_type_count.negative) == (3, 1)
        detail = d.detail_concept_count
        assert (detail.processed.positive, detail.processed.negative) == (1, 1)
        assert detail.to_process.positive == 1 and detail.errors.positive == 1
        assert detail.processing.positive == 0
        assert counts["cat"].concept_type_count.positive == 1
        assert counts["owl"].concept_type_count.positive == 0

    async def test_other_apps_labels_not_counted(self, stub, server, account, new_account):
        other = await new_account()
        await post(stub, account, r.Concept(id="dog"))
        await post(stub, other, r.Concept(id="dog"))
        await self.label(server, other, [("i1", 30000, {"concepts": [{"id": "dog"}]}, 24150)])
        res = await stub.GetConceptCounts(
            s.GetConceptCountsRequest(user_app_id=me("main")), metadata=account.md()
        )
        assert [c.id for c in res.concept_counts] == ["dog"]
        assert res.concept_counts[0].concept_type_count.negative == 0


class TestPostConceptRelations:
    async def test_creates(self, stub, account):
        await post(
            stub, account, r.Concept(id="honey"), r.Concept(id="food"), r.Concept(id="nectar")
        )
        res = await relate(stub, account, "honey", ("hyponym", "food"), ("Synonym", "nectar"))
        assert res.status.code == sc.SUCCESS, res.status
        got = [
            (x.subject_concept.id, x.predicate, x.object_concept.id) for x in res.concept_relations
        ]
        assert got == [("honey", "hyponym", "food"), ("honey", "synonym", "nectar")]
        assert all(len(x.id) == 32 for x in res.concept_relations)
        assert res.concept_relations[0].object_concept.app_id == "main"

    async def test_self_relation(self, stub, account):
        await post(stub, account, r.Concept(id="a"))
        assert_invalid(await relate(stub, account, "a", ("synonym", "a")), "itself")

    async def test_bad_predicate(self, stub, account):
        await post(stub, account, r.Concept(id="a"), r.Concept(id="b"))
        res = await relate(stub, account, "a", ("is_a", "b"))
        assert_invalid(res, "concept_relations[0].predicate", "is_a")
        assert await relations(stub, account, "a") == []

    async def test_missing_concepts(self, stub, account):
        await post(stub, account, r.Concept(id="a"), r.Concept(id="b"))
        assert_missing(await relate(stub, account, "ghost", ("synonym", "a")), "ghost")
        res = await relate(stub, account, "a", ("synonym", "b"), ("synonym", "ghost"))
        assert_missing(res, "concept_relations[1].object_concept.id", "ghost")
        assert await relations(stub, account) == []

    async def test_duplicates_write_nothing(self, stub, account):
        await post(stub, account, *(r.Concept(id=i) for i in "abc"))
        assert (await relate(stub, account, "a", ("hyponym", "b"))).status.code == sc.SUCCESS
        # the same pair from the other end, in another wording
        res = await relate(stub, account, "b", ("synonym", "c"), ("hypernym", "a"))
        assert_invalid(res, "duplicate", "concept_relations[1]")
        res = await relate(stub, account, "c", ("synonym", "a"), ("hyponym", "a"))
        assert_invalid(res, "duplicate", "concept_relations[1]")
        assert await relations(stub, account) == [("a", "hyponym", "b")]

    async def test_needs_a_pat(self, stub, account):
        await post(stub, account, r.Concept(id="a"), r.Concept(id="b"))
        res = await stub.PostConceptRelations(
            s.PostConceptRelationsRequest(
                concept_id="a",
                concept_relations=[r.ConceptRelation(object_concept=r.Concept(id="b"))],
            ),
            metadata=account.key_md,
        )
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES

    async def test_other_apps_concept_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="theirs"))
        await post(stub, account, r.Concept(id="mine"))
        assert_missing(await relate(stub, account, "mine", ("synonym", "theirs")), "theirs")
        assert_missing(await relate(stub, account, "theirs", ("synonym", "mine")), "theirs")


class TestListConceptRelations:
    async def setup_graph(self, stub, account):
        await post(stub, account, *(r.Concept(id=i) for i in ("honey", "food", "nectar", "jam")))
        for subject, rel in (
            ("honey", ("hyponym", "food")),
            ("honey", ("synonym", "nectar")),
            ("food", ("hypernym", "jam")),
        ):
            assert (await relate(stub, account, subject, rel)).status.code == sc.SUCCESS

    async def test_from_either_end(self, stub, account):
        await self.setup_graph(stub, account)
        assert await relations(stub, account, "honey") == [
            ("honey", "hyponym", "food"),
            ("honey", "synonym", "nectar"),
        ]
        assert await relations(stub, account, "food") == [
            ("food", "hypernym", "honey"),
            ("food", "hypernym", "jam"),
        ]
        assert await relations(stub, account, "nectar") == [("nectar", "synonym", "honey")]
        assert await relations(stub, account, "jam", "hyponym") == [("jam", "hyponym", "food")]
        assert await relations(stub, account, "jam", "hypernym") == []

    async def test_app_wide(self, stub, account):
        await self.setup_graph(stub, account)
        assert await relations(stub, account) == [
            ("honey", "hyponym", "food"),
            ("honey", "synonym", "nectar"),
            ("food", "hypernym", "jam"),
        ]
        assert await relations(stub, account, predicate="hypernym") == [
            ("food", "hypernym", "honey"),
            ("food", "hypernym", "jam"),
        ]
        assert await relations(stub, account, predicate="synonym") == [
            ("honey", "synonym", "nectar")
        ]
        assert await relations(stub, account, page=2, per_page=2) == [("food", "hypernym", "jam")]

    async def test_bad_predicate_and_missing_concept(self, stub, account):
        res = await stub.ListConceptRelations(
            s.ListConceptRelationsRequest(user_app_id=me("main"), predicate="likes"),
            metadata=account.md(),
        )
        assert_invalid(res, "predicate", "likes")
        res = await stub.ListConceptRelations(
            s.ListConceptRelationsRequest(user_app_id=me("main"), concept_id="ghost"),
            metadata=account.md(),
        )
        assert_missing(res, "ghost")

    async def test_other_apps_relations_invisible(self, stub, account, new_account):
        other = await new_account()
        await self.setup_graph(stub, other)
        assert await relations(stub, account) == []


class TestDeleteConceptRelations:
    async def delete(self, stub, account, concept_id: str, *ids: str):
        return await stub.DeleteConceptRelations(
            s.DeleteConceptRelationsRequest(
                user_app_id=me("main"), concept_id=concept_id, ids=list(ids)
            ),
            metadata=account.md(),
        )

    async def test_from_the_object_side(self, stub, account):
        await post(stub, account, *(r.Concept(id=i) for i in "abc"))
        res = await relate(stub, account, "a", ("hyponym", "b"), ("synonym", "c"))
        first = res.concept_relations[0].id
        res = await self.delete(stub, account, "b", first)
        assert res.status.code == sc.SUCCESS, res.status
        assert await relations(stub, account) == [("a", "synonym", "c")]

    async def test_unknown_or_foreign_id_deletes_nothing(self, stub, account):
        await post(stub, account, *(r.Concept(id=i) for i in "abc"))
        res = await relate(stub, account, "a", ("hyponym", "b"), ("synonym", "c"))
        ab, ac = (x.id for x in res.concept_relations)
        assert_missing(await self.delete(stub, account, "b", ab, ac), "ids[1]", ac)
        assert_missing(await self.delete(stub, account, "a", ab, "nope"), "ids[1]", "nope")
        assert len(await relations(stub, account)) == 2

    async def test_needs_ids_and_concept(self, stub, account):
        await post(stub, account, r.Concept(id="a"))
        assert_invalid(await self.delete(stub, account, "a"), "ids")
        assert_missing(await self.delete(stub, account, "ghost", "x"), "ghost")

    async def test_other_apps_relation_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="a"), r.Concept(id="b"))
        rid = (await relate(stub, other, "a", ("synonym", "b"))).concept_relations[0].id
        await post(stub, account, r.Concept(id="a"))
        assert_missing(await self.delete(stub, account, "a", rid), rid)
        assert len(await relations(stub, other)) == 1


class TestPostConceptLanguages:
    async def test_adds(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="dog"))
        res = await add_languages(
            stub,
            account,
            "dog",
            r.ConceptLanguage(id="ja", name="犬", definition="いぬ"),
            r.ConceptLanguage(id="zh-TW", name="狗"),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert [(x.id, x.name) for x in res.concept_languages] == [("ja", "犬"), ("zh-TW", "狗")]

    async def test_duplicates_write_nothing(self, stub, account):
        await post(stub, account, r.Concept(id="dog"))
        await add_languages(stub, account, "dog", r.ConceptLanguage(id="ja", name="犬"))
        for langs, field in (
            (["fr", "en"], "concept_languages[1].id"),  # the concept's own language
            (["fr", "ja"], "concept_languages[1].id"),
            (["fr", "de", "fr"], "concept_languages[2].id"),
        ):
            res = await add_languages(
                stub, account, "dog", *(r.ConceptLanguage(id=x, name="n") for x in langs)
            )
            assert_invalid(res, "duplicate", field)
        assert await language_ids(stub, account, "dog") == ["en", "ja"]

    async def test_validation(self, stub, account):
        await post(stub, account, r.Concept(id="dog"))
        res = await add_languages(stub, account, "dog", r.ConceptLanguage(id="klingon!", name="x"))
        assert_invalid(res, "concept_languages[0].id", "klingon!")
        res = await add_languages(stub, account, "dog", r.ConceptLanguage(id="fr"))
        assert_invalid(res, "concept_languages[0].name")
        res = await add_languages(stub, account, "ghost", r.ConceptLanguage(id="fr", name="x"))
        assert_missing(res, "ghost")
        assert await language_ids(stub, account, "dog") == ["en"]

    async def test_other_apps_concept_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="theirs"))
        res = await add_languages(stub, account, "theirs", r.ConceptLanguage(id="fr", name="x"))
        assert_missing(res, "theirs")


async def language_ids(stub, account, concept_id: str, **page) -> list[str]:
    res = await stub.ListConceptLanguages(
        s.ListConceptLanguagesRequest(user_app_id=me("main"), concept_id=concept_id, **page),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [x.id for x in res.concept_languages]


async def get_language(stub, account, concept_id: str, language: str):
    return await stub.GetConceptLanguage(
        s.GetConceptLanguageRequest(
            user_app_id=me("main"), concept_id=concept_id, language=language
        ),
        metadata=account.md(),
    )


class TestPatchConceptLanguages:
    async def patch(self, stub, account, *langs: r.ConceptLanguage, action: str = "overwrite"):
        return await stub.PatchConceptLanguages(
            s.PatchConceptLanguagesRequest(
                user_app_id=me("main"),
                concept_id="dog",
                concept_languages=list(langs),
                action=action,
            ),
            metadata=account.md(),
        )

    async def test_overwrites_translation_and_own_name(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="dog", definition="pet"))
        await add_languages(
            stub, account, "dog", r.ConceptLanguage(id="ja", name="犬", definition="d")
        )
        res = await self.patch(
            stub,
            account,
            r.ConceptLanguage(id="ja", name="いぬ"),
            r.ConceptLanguage(id="en", name="Hound"),
        )
        assert res.status.code == sc.SUCCESS, res.status
        ja = (await get_language(stub, account, "dog", "ja")).concept_language
        assert (ja.name, ja.definition) == ("いぬ", "")
        c = (await get(stub, account, "dog")).concept
        assert (c.name, c.definition) == ("Hound", "")

    async def test_missing_language_writes_nothing(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="dog"))
        res = await self.patch(
            stub,
            account,
            r.ConceptLanguage(id="en", name="Hound"),
            r.ConceptLanguage(id="fr", name="chien"),
        )
        assert_missing(res, "concept_languages[1].id", "fr")
        assert (await get(stub, account, "dog")).concept.name == "dog"

    async def test_only_overwrite(self, stub, account):
        await post(stub, account, r.Concept(id="dog"))
        res = await self.patch(stub, account, r.ConceptLanguage(id="en", name="x"), action="merge")
        assert res.status.code == sc.CONN_INVALID_REQUEST and "action" in res.status.details

    async def test_validation(self, stub, account):
        await post(stub, account, r.Concept(id="dog"))
        assert_invalid(
            await self.patch(stub, account, r.ConceptLanguage(id="en")), "concept_languages[0].name"
        )
        res = await self.patch(
            stub,
            account,
            r.ConceptLanguage(id="en", name="a"),
            r.ConceptLanguage(id="en", name="b"),
        )
        assert_invalid(res, "duplicate", "concept_languages[1].id")
        assert (await get(stub, account, "dog")).concept.name == "dog"


class TestGetConceptLanguage:
    async def test_own_and_translated(self, stub, account):
        await post(stub, account, r.Concept(id="dog", name="Dog", definition="pet"))
        await add_languages(stub, account, "dog", r.ConceptLanguage(id="ja", name="犬"))
        own = (await get_language(stub, account, "dog", "en")).concept_language
        assert (own.id, own.name, own.definition) == ("en", "Dog", "pet")
        ja = (await get_language(stub, account, "dog", "ja")).concept_language
        assert (ja.id, ja.name) == ("ja", "犬")

    async def test_missing(self, stub, account):
        await post(stub, account, r.Concept(id="dog"))
        assert_missing(await get_language(stub, account, "dog", "fr"), "fr")
        assert_missing(await get_language(stub, account, "ghost", "en"), "ghost")

    async def test_other_apps_concept_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="theirs"))
        assert_missing(await get_language(stub, account, "theirs", "en"), "theirs")


class TestListConceptLanguages:
    async def test_own_first_then_paginated(self, stub, account):
        await post(stub, account, r.Concept(id="dog"))
        await add_languages(
            stub, account, "dog", *(r.ConceptLanguage(id=x, name=x) for x in ("ja", "de", "fr"))
        )
        assert await language_ids(stub, account, "dog") == ["en", "de", "fr", "ja"]
        assert await language_ids(stub, account, "dog", page=1, per_page=2) == ["en", "de"]
        assert await language_ids(stub, account, "dog", page=2, per_page=2) == ["fr", "ja"]
        assert await language_ids(stub, account, "dog", page=3, per_page=2) == []

    async def test_other_apps_concept_invisible(self, stub, account, new_account):
        other = await new_account()
        await post(stub, other, r.Concept(id="theirs"))
        res = await stub.ListConceptLanguages(
            s.ListConceptLanguagesRequest(user_app_id=me("main"), concept_id="theirs"),
            metadata=account.md(),
        )
        assert_missing(res, "theirs")


class TestStorageHelpers:
    async def test_existing_ids_and_ensure(self, stub, server, account, new_account):
        other = await new_account()
        await post(stub, account, r.Concept(id="dog", name="Dog"))
        await post(stub, other, r.Concept(id="cat"))
        async with server.db.transaction() as session:
            app = app_store.scope_of(await app_store.get(session, account.user_id, "main"))
            assert await ConceptStorage(session, app).existing_ids(["dog", "cat"]) == {"dog"}
            names = await ConceptStorage(session, app).ensure(
                [("dog", "ignored"), ("cat", ""), ("owl", "Owl"), ("owl", "dup")]
            )
            assert names == {"dog": "Dog", "cat": "cat", "owl": "Owl"}
            assert await ConceptStorage(session, app).ensure([]) == {}
        assert (await get(stub, account, "dog")).concept.name == "Dog"
        cat = (await get(stub, account, "cat")).concept
        assert (cat.name, cat.language) == ("cat", "en")
        assert (await get(stub, account, "owl")).concept.name == "Owl"
        assert await listed_ids(stub, other) == ["cat"]
