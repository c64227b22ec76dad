"""App duplications (server/duplication.py): PostAppDuplications copies an
app's inputs (images and texts, media shared), concepts, annotations,
datasets, models and workflows into a new app or an existing one as the
filter says; the caller polls GetAppDuplication. The copies are checked
through the ordinary RPCs of the destination, over gRPC and REST."""

from __future__ import annotations

import asyncio

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from sqlalchemy import select, text

from server import duplication
from server.jobs import JobContext
from storage import app_duplications as dup_store
from storage import blobs
from storage.embeddings import Embedding
from tests.conftest import Account
from tests.helpers import (
    add_model,
    app_of,
    app_scope,
    assert_status,
    auth_header,
    make_key,
    pat,
    share,
)
from tests.integration.test_indexing import (
    fixture_image,
    image_input,
    new_app,
    settled,
    text_input,
)
from tests.integration.test_media import fetch

ALL = r.AppDuplicationFilters(
    copy_inputs=True,
    copy_concepts=True,
    copy_annotations=True,
    copy_models=True,
    copy_workflows=True,
)
WAIT_SECONDS = 60.0


async def ok(transport, rpc: str, request, account: Account):
    res = await transport.call(rpc, request, account.md())
    assert res.status.code == sc.SUCCESS, (rpc, res.status)
    return res


async def source_app(server, transport, account: Account) -> None:
    """The account's app "main": two images (one labelled cat, with a
    region), two texts (one labelled dog), metadata, a dataset of two of
    them, an operator model and a workflow running it; indexed."""
    at = app_of(account)
    await ok(
        transport,
        "PostConcepts",
        s.PostConceptsRequest(
            user_app_id=at, concepts=[r.Concept(id="cat", name="Cat"), r.Concept(id="dog")]
        ),
        account,
    )
    await ok(
        transport,
        "PostConceptLanguages",
        s.PostConceptLanguagesRequest(
            user_app_id=at,
            concept_id="cat",
            concept_languages=[r.ConceptLanguage(id="fr", name="chat")],
        ),
        account,
    )
    await ok(
        transport,
        "PostConceptRelations",
        s.PostConceptRelationsRequest(
            user_app_id=at,
            concept_id="cat",
            concept_relations=[
                r.ConceptRelation(object_concept=r.Concept(id="dog"), predicate="hyponym")
            ],
        ),
        account,
    )
    cat = image_input("img1", fixture_image("chelsea.jpg"))
    cat.data.concepts.append(r.Concept(id="cat", value=1))
    cat.data.metadata.update({"shelf": 3})
    words = text_input("t1", "a dog barks at the postman")
    words.data.concepts.append(r.Concept(id="dog", value=1))
    inputs = [cat, image_input("img2", fixture_image("coffee.jpg")), words]
    inputs.append(text_input("t2", "coffee in the morning"))
    await ok(transport, "PostInputs", s.PostInputsRequest(user_app_id=at, inputs=inputs), account)
    box = r.Annotation(
        id="box1",
        input_id="img1",
        data=r.Data(
            regions=[
                r.Region(
                    region_info=r.RegionInfo(
                        bounding_box=r.BoundingBox(
                            top_row=0.1, left_col=0.1, bottom_row=0.5, right_col=0.5
                        )
                    ),
                    data=r.Data(concepts=[r.Concept(id="cat", value=1)]),
                )
            ]
        ),
    )
    await ok(
        transport,
        "PostAnnotations",
        s.PostAnnotationsRequest(user_app_id=at, annotations=[box]),
        account,
    )
    cats = r.Search(query=cats_query())
    await ok(
        transport,
        "PostAnnotationFilters",
        s.PostAnnotationFiltersRequest(
            user_app_id=at, annotation_filters=[r.AnnotationFilter(id="cats", search=cats)]
        ),
        account,
    )
    pets = r.Dataset(
        id="ds", description="pets", default_annotation_filter=r.AnnotationFilter(id="cats")
    )
    await ok(
        transport,
        "PostDatasets",
        s.PostDatasetsRequest(user_app_id=at, datasets=[pets]),
        account,
    )
    await ok(
        transport,
        "PostDatasetInputs",
        s.PostDatasetInputsRequest(
            user_app_id=at,
            dataset_id="ds",
            dataset_inputs=[r.DatasetInput(input=r.Input(id=i)) for i in ("img1", "t1")],
        ),
        account,
    )
    version = await add_model(server, account, "gate", "concept-thresholder")
    node = r.WorkflowNode(
        id="gate", model=r.Model(id="gate", model_version=r.ModelVersion(id=version))
    )
    await ok(
        transport,
        "PostWorkflows",
        s.PostWorkflowsRequest(user_app_id=at, workflows=[r.Workflow(id="wf", nodes=[node])]),
        account,
    )
    await settled(server, await app_scope(server, account))


async def duplicate(transport, account: Account, *dups: r.AppDuplication):
    req = s.PostAppDuplicationsRequest(user_app_id=app_of(account), app_duplications=dups)
    return await transport.call("PostAppDuplications", req, account.md())


async def finished(transport, account: Account, dup_id: str) -> r.AppDuplication:
    """The duplication once it has ended, polled as a client polls it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    seen = set()
    while True:
        res = await transport.call(
            "GetAppDuplication",
            s.GetAppDuplicationRequest(
                user_app_id=r.UserAppIDSet(user_id="me"), app_duplication_id=dup_id
            ),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        dup = res.app_duplication
        seen.add(dup.status.code)
        assert seen <= {
            sc.APP_DUPLICATION_PENDING,
            sc.APP_DUPLICATION_IN_PROGRESS,
            sc.APP_DUPLICATION_SUCCESS,
        }, dup
        if dup.status.code == sc.APP_DUPLICATION_SUCCESS:
            return dup
        assert loop.time() < deadline, dup
        await asyncio.sleep(0.1)


async def input_ids(transport, account: Account, app_id: str) -> list[str]:
    res = await ok(
        transport, "ListInputs", s.ListInputsRequest(user_app_id=app_of(account, app_id)), account
    )
    return sorted(i.id for i in res.inputs)


async def annotations(transport, account: Account, app_id: str) -> dict[str, r.Annotation]:
    res = await ok(
        transport,
        "ListAnnotations",
        s.ListAnnotationsRequest(user_app_id=app_of(account, app_id), list_all_annotations=True),
        account,
    )
    return {a.id: a for a in res.annotations}


async def labelled(transport, account: Account, app_id: str) -> dict[str, list[str]]:
    """Input-level labels (no model's predictions): input id -> concept ids."""
    out: dict[str, list[str]] = {}
    for a in (await annotations(transport, account, app_id)).values():
        if a.input_level and not a.model_version_id and a.data.concepts:
            out[a.input_id] = sorted(c.id for c in a.data.concepts)
    return out


def cats_query() -> r.Query:
    concept = r.Concept(id="cat", value=1)
    return r.Query(filters=[r.Filter(annotation=r.Annotation(data=r.Data(concepts=[concept])))])


def progress(dup: r.AppDuplication) -> dict[str, int]:
    return {p.field: p.value for p in dup.progress}


class TestToANewApp:
    async def test_everything_copied_and_served(self, server, transport, account, rest):
        await source_app(server, transport, account)
        res = await duplicate(
            transport,
            account,
            r.AppDuplication(
                id="dup1", destination_app=r.App(id="copy", description="a copy"), filter=ALL
            ),
        )
        assert res.status.code == sc.SUCCESS, res.status
        (made,) = res.app_duplications
        assert made.id == "dup1"
        assert made.status.code in (sc.APP_DUPLICATION_PENDING, sc.APP_DUPLICATION_IN_PROGRESS)
        assert (made.destination_app.id, made.destination_app.user_id) == ("copy", account.user_id)
        dup = await finished(transport, account, "dup1")
        assert progress(dup) == {
            "inputs": 4,
            "concepts": 2,
            "annotations": len(await annotations(transport, account, "main")),
            "models": 1,
            "workflows": 1,
        }
        assert dup.filter == ALL and dup.destination_app.description == "a copy"

        # Inputs with their ids, metadata, labels and media.
        assert await input_ids(transport, account, "copy") == ["img1", "img2", "t1", "t2"]
        got = await ok(
            transport,
            "GetInput",
            s.GetInputRequest(user_app_id=app_of(account, "copy"), input_id="img1"),
            account,
        )
        assert got.input.data.metadata["shelf"] == 3
        hosted = got.input.data.image.hosted
        assert "/apps/copy/" in hosted.suffix
        status, _, body = await fetch(
            rest, f"{hosted.prefix}/orig/{hosted.suffix}", auth_header(account.pat)
        )
        assert status == 200 and body == fixture_image("chelsea.jpg")
        said = await ok(
            transport,
            "GetInput",
            s.GetInputRequest(user_app_id=app_of(account, "copy"), input_id="t1"),
            account,
        )
        assert said.input.data.text.raw == "a dog barks at the postman"
        words = said.input.data.text.hosted  # the copy's text, served from its row
        assert "/apps/copy/" in words.suffix
        status, _, body = await fetch(
            rest, f"{words.prefix}/orig/{words.suffix}", auth_header(account.pat)
        )
        assert status == 200 and body == b"a dog barks at the postman"
        assert await labelled(transport, account, "copy") == {"img1": ["cat"], "t1": ["dog"]}
        copied = await annotations(transport, account, "copy")
        assert copied.keys() == (await annotations(transport, account, "main")).keys()
        region = copied["box1"].data.regions[0]
        assert region.region_info.bounding_box.bottom_row == 0.5
        assert [c.id for c in region.data.concepts] == ["cat"]

        # Concepts, the dataset and its inputs, the model, the workflow.
        concepts = await ok(
            transport,
            "ListConcepts",
            s.ListConceptsRequest(user_app_id=app_of(account, "copy")),
            account,
        )
        assert {(c.id, c.name) for c in concepts.concepts} == {("cat", "Cat"), ("dog", "dog")}
        languages = await ok(
            transport,
            "ListConceptLanguages",
            s.ListConceptLanguagesRequest(user_app_id=app_of(account, "copy"), concept_id="cat"),
            account,
        )
        assert ("fr", "chat") in {(c.id, c.name) for c in languages.concept_languages}
        relations = await ok(
            transport,
            "ListConceptRelations",
            s.ListConceptRelationsRequest(user_app_id=app_of(account, "copy"), concept_id="cat"),
            account,
        )
        assert [
            (x.subject_concept.id, x.object_concept.id, x.predicate)
            for x in relations.concept_relations
        ] == [("cat", "dog", "hyponym")]
        copied_ds = await ok(
            transport,
            "GetDataset",
            s.GetDatasetRequest(user_app_id=app_of(account, "copy"), dataset_id="ds"),
            account,
        )
        assert copied_ds.dataset.description == "pets"
        assert copied_ds.dataset.default_annotation_filter.id == "cats"
        got_filter = await ok(
            transport,
            "GetAnnotationFilter",
            s.GetAnnotationFilterRequest(
                user_app_id=app_of(account, "copy"), annotation_filter_id="cats"
            ),
            account,
        )
        assert got_filter.annotation_filter.search.query == cats_query()
        async with server.db.transaction() as session:
            # The copy's dataset names the copy's filter, not the source's.
            owner = await session.scalar(
                text(
                    "SELECT f.app_pk FROM datasets d JOIN annotation_filters f "
                    "ON f.pk = d.default_filter_pk WHERE d.app_pk = :app AND d.id = 'ds'"
                ),
                {"app": (await app_scope(server, account, "copy")).pk},
            )
        assert owner == (await app_scope(server, account, "copy")).pk
        members = await ok(
            transport,
            "ListDatasetInputs",
            s.ListDatasetInputsRequest(user_app_id=app_of(account, "copy"), dataset_id="ds"),
            account,
        )
        assert sorted(d.input.id for d in members.dataset_inputs) == ["img1", "t1"]
        models = await ok(
            transport,
            "ListModels",
            s.ListModelsRequest(user_app_id=app_of(account, "copy")),
            account,
        )
        assert [m.id for m in models.models] == ["gate"]
        workflows = await ok(
            transport,
            "ListWorkflows",
            s.ListWorkflowsRequest(user_app_id=app_of(account, "copy")),
            account,
        )
        assert [w.id for w in workflows.workflows] == ["wf"]
        node = workflows.workflows[0].nodes[0]
        assert (node.model.id, node.model.app_id) == ("gate", "copy")
        source_wf = await ok(
            transport,
            "GetWorkflow",
            s.GetWorkflowRequest(user_app_id=app_of(account), workflow_id="wf"),
            account,
        )
        version = source_wf.workflow.nodes[0].model.model_version.id
        assert node.model.model_version.id == version
        model = await ok(
            transport,
            "GetModel",
            s.GetModelRequest(user_app_id=app_of(account, "copy"), model_id="gate"),
            account,
        )
        assert model.model.model_version.id == version
        assert model.model.model_version.status.code == sc.MODEL_TRAINED

        # The vectors came along (no model ran for them): the copy is
        # searchable by similarity at once.
        source, copy = await app_scope(server, account), await app_scope(server, account, "copy")
        async with server.db.transaction() as session:
            rows = await session.execute(
                select(Embedding.app_pk, Embedding.model_version_pk, Embedding.vector).where(
                    Embedding.app_pk.in_([source.pk, copy.pk])
                )
            )
            by_app: dict[int, list] = {source.pk: [], copy.pk: []}
            for app_pk, version_pk, vector in rows:
                by_app[app_pk].append((version_pk, list(vector)))
        assert by_app[source.pk] and sorted(by_app[copy.pk]) == sorted(by_app[source.pk])
        hits = await ok(
            transport,
            "PostInputsSearches",
            s.PostInputsSearchesRequest(
                user_app_id=app_of(account, "copy"),
                searches=[
                    r.Search(
                        query=r.Query(
                            ranks=[r.Rank(annotation=r.Annotation(input_id="img1"))],
                            filters=[r.Filter(input=r.Input(data=r.Data(image=r.Image())))],
                        )
                    )
                ],
            ),
            account,
        )
        assert [h.input.id for h in hits.hits][:1] == ["img1"]
        assert {h.app_id for h in hits.hits} == {"copy"}

        # The source is as it was; deleting its inputs leaves the copy's
        # media readable.
        assert await input_ids(transport, account, "main") == ["img1", "img2", "t1", "t2"]
        await ok(
            transport,
            "DeleteInputs",
            s.DeleteInputsRequest(user_app_id=app_of(account), ids=["img1", "img2"]),
            account,
        )
        status, _, body = await fetch(
            rest, f"{hosted.prefix}/orig/{hosted.suffix}", auth_header(account.pat)
        )
        assert status == 200 and body == fixture_image("chelsea.jpg")
        status, _, _ = await fetch(
            rest, f"{hosted.prefix}/small/{hosted.suffix}", auth_header(account.pat)
        )
        assert status == 200

    async def test_new_app_id_taken_refused(self, transport, account, stub):
        res = await duplicate(transport, account, r.AppDuplication(new_app_id="main2", filter=ALL))
        assert res.status.code == sc.SUCCESS, res.status
        again = await duplicate(transport, account, r.AppDuplication(new_app_id="main2"))
        assert_status(again, sc.APP_DUPLICATION_INVALID_REQUEST, "new_app_id", "already exists")

    async def test_duplication_id_taken_refused(self, transport, account):
        res = await duplicate(transport, account, r.AppDuplication(id="once", new_app_id="n1"))
        assert res.status.code == sc.SUCCESS, res.status
        again = await duplicate(transport, account, r.AppDuplication(id="once", new_app_id="n2"))
        assert_status(again, sc.DATABASE_DUPLICATE_KEY, "app_duplications[0].id", "once")
        apps = await ok(
            transport,
            "ListApps",
            s.ListAppsRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            account,
        )
        assert sorted(a.id for a in apps.apps) == ["main", "n1"]

    async def test_generated_id_and_name(self, transport, account):
        res = await duplicate(
            transport,
            account,
            r.AppDuplication(
                new_app_name="Second", filter=r.AppDuplicationFilters(copy_concepts=True)
            ),
        )
        assert res.status.code == sc.SUCCESS, res.status
        dup = res.app_duplications[0]
        assert len(dup.id) == 32 and len(dup.destination_app.id) == 32
        assert dup.destination_app.name == "Second" and dup.new_app_name == "Second"
        assert progress(dup) == {"concepts": 0}
        await finished(transport, account, dup.id)


class TestToAnExistingApp:
    async def test_filter_and_kept_rows(self, server, settings, transport, account):
        await source_app(server, transport, account)
        await ok(
            transport,
            "PostApps",
            s.PostAppsRequest(
                user_app_id=r.UserAppIDSet(user_id=account.user_id), apps=[r.App(id="there")]
            ),
            account,
        )
        # The destination already holds a concept "cat" and an input "t1".
        there = app_of(account, "there")
        await ok(
            transport,
            "PostConcepts",
            s.PostConceptsRequest(user_app_id=there, concepts=[r.Concept(id="cat", name="Mine")]),
            account,
        )
        await ok(
            transport,
            "PostInputs",
            s.PostInputsRequest(user_app_id=there, inputs=[text_input("t1", "my own text")]),
            account,
        )
        # Concepts and inputs only: input-level labels come with the inputs,
        # the region, models and workflows stay.
        only = r.AppDuplicationFilters(copy_inputs=True, copy_concepts=True)
        res = await duplicate(
            transport,
            account,
            r.AppDuplication(id="into", destination_app=r.App(id="there"), filter=only),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.app_duplications[0].existing_app_id == "there"
        dup = await finished(transport, account, "into")
        assert progress(dup) == {"inputs": 3, "concepts": 1}
        assert await input_ids(transport, account, "there") == ["img1", "img2", "t1", "t2"]
        mine = await ok(
            transport, "GetInput", s.GetInputRequest(user_app_id=there, input_id="t1"), account
        )
        assert mine.input.data.text.raw == "my own text"
        assert await labelled(transport, account, "there") == {"img1": ["cat"]}
        assert "box1" not in await annotations(transport, account, "there")
        concepts = await ok(
            transport, "ListConcepts", s.ListConceptsRequest(user_app_id=there), account
        )
        assert {(c.id, c.name) for c in concepts.concepts} == {("cat", "Mine"), ("dog", "dog")}
        models = await ok(transport, "ListModels", s.ListModelsRequest(user_app_id=there), account)
        assert [m.id for m in models.models] == []

        # Run again from the start (as after a crash): nothing is copied twice.
        async with server.db.transaction() as session:
            row = await session.scalar(
                select(dup_store.AppDuplication).where(dup_store.AppDuplication.id == "into")
            )
            row.stage, row.cursor, row.status_code = "concepts", 0, dup_store.IN_PROGRESS
            pk = row.pk
        ctx = JobContext(server.db, settings, None)
        await duplication.duplicate(ctx, {"duplication_pk": pk})
        again = await finished(transport, account, "into")
        assert progress(again) == {"inputs": 3, "concepts": 1}
        assert await input_ids(transport, account, "there") == ["img1", "img2", "t1", "t2"]
        assert await labelled(transport, account, "there") == {"img1": ["cat"]}


class TestRefusals:
    async def test_bad_filters_name_the_field(self, transport, account):
        bad = [
            (
                r.AppDuplicationFilters(copy_inputs=True),
                "filter.copy_inputs requires",
                "copy_concepts",
            ),
            (
                r.AppDuplicationFilters(copy_annotations=True, copy_concepts=True),
                "filter.copy_annotations requires",
                "copy_inputs",
            ),
            (
                r.AppDuplicationFilters(copy_models=True),
                "filter.copy_models requires",
                "copy_concepts",
            ),
        ]
        for flags, *words in bad:
            res = await duplicate(
                transport, account, r.AppDuplication(new_app_id="nope", filter=flags)
            )
            assert_status(res, sc.APP_DUPLICATION_INVALID_REQUEST, "app_duplications[0]", *words)
        await self._nothing_written(transport, account)

    async def test_destinations(self, transport, account, new_account, stub):
        cases = [
            (
                r.AppDuplication(existing_app_id="missing"),
                sc.CONN_DOES_NOT_EXIST,
                "existing_app_id",
            ),
            (
                r.AppDuplication(existing_app_id="main", new_app_id="x"),
                sc.APP_DUPLICATION_INVALID_REQUEST,
                "existing_app_id",
            ),
            (
                r.AppDuplication(destination_app=r.App(id="main")),
                sc.APP_DUPLICATION_INVALID_REQUEST,
                "source app itself",
            ),
        ]
        other = await new_account()
        cases.append(
            (
                r.AppDuplication(destination_app=r.App(id="main", user_id=other.user_id)),
                sc.CONN_DOES_NOT_EXIST,
                "destination_app",
            )
        )
        cases.append(
            (
                r.AppDuplication(destination_app=r.App(id="a" * 33)),
                sc.APP_DUPLICATION_INVALID_REQUEST,
                "longer than 32",
            )
        )
        for sent, code, word in cases:
            res = await duplicate(transport, account, sent)
            assert_status(res, code, word)
        # A second duplication that fails leaves the first unwritten too.
        res = await duplicate(
            transport,
            account,
            r.AppDuplication(new_app_id="fine"),
            r.AppDuplication(existing_app_id="missing"),
        )
        assert_status(res, sc.CONN_DOES_NOT_EXIST, "app_duplications[1].existing_app_id")
        await self._nothing_written(transport, account)

    async def test_scopes_to_read_and_write(self, transport, account, stub):
        token = await make_key(stub, account, pat(scopes=["Apps_Get", "Apps_Add", "Concepts_Get"]))
        req = s.PostAppDuplicationsRequest(
            user_app_id=app_of(account),
            app_duplications=[r.AppDuplication(new_app_id="k", filter=ALL)],
        )
        res = await transport.call("PostAppDuplications", req, account.md(token))
        assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "Inputs_Get", "in the source app")
        only = r.AppDuplicationFilters(copy_concepts=True)
        req.app_duplications[0].filter.CopyFrom(only)
        res = await transport.call("PostAppDuplications", req, account.md(token))
        assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "Concepts_Add", "new app")
        await self._nothing_written(transport, account)

    async def test_app_key_refused(self, transport, account):
        req = s.PostAppDuplicationsRequest(
            user_app_id=app_of(account), app_duplications=[r.AppDuplication(new_app_id="k")]
        )
        res = await transport.call("PostAppDuplications", req, account.key_md)
        assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "Personal Access Token")

    async def _nothing_written(self, transport, account) -> None:
        listed = await ok(
            transport,
            "ListAppDuplications",
            s.ListAppDuplicationsRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            account,
        )
        assert list(listed.app_duplications) == []
        apps = await ok(
            transport,
            "ListApps",
            s.ListAppsRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            account,
        )
        assert [a.id for a in apps.apps] == ["main"]


class TestVisibility:
    async def test_another_users_duplications_invisible(self, transport, account, new_account):
        res = await duplicate(transport, account, r.AppDuplication(id="mine", new_app_id="b"))
        assert res.status.code == sc.SUCCESS, res.status
        await finished(transport, account, "mine")
        other = await new_account()
        got = await transport.call(
            "GetAppDuplication",
            s.GetAppDuplicationRequest(
                user_app_id=r.UserAppIDSet(user_id="me"), app_duplication_id="mine"
            ),
            other.md(),
        )
        assert_status(got, sc.CONN_DOES_NOT_EXIST, "mine")
        listed = await ok(
            transport,
            "ListAppDuplications",
            s.ListAppDuplicationsRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            other,
        )
        assert list(listed.app_duplications) == []
        mine = await ok(
            transport,
            "ListAppDuplications",
            s.ListAppDuplicationsRequest(user_app_id=r.UserAppIDSet(user_id="me")),
            account,
        )
        assert [d.id for d in mine.app_duplications] == ["mine"]
        assert mine.app_duplications[0].status.code == sc.APP_DUPLICATION_SUCCESS


class TestResume:
    async def test_a_failed_chunk_resumes_where_the_last_commit_left(
        self, server, transport, account, monkeypatch
    ):
        """One input per transaction; the third transaction fails once (as a
        process dying mid-chunk would lose it): the job's next attempt
        resumes after the inputs committed, and each input is copied once."""
        inputs = [text_input(f"t{n}", f"text {n}") for n in range(5)]
        await ok(
            transport,
            "PostInputs",
            s.PostInputsRequest(user_app_id=app_of(account), inputs=inputs),
            account,
        )
        monkeypatch.setattr(duplication, "CHUNK", 1)
        real = dup_store.copy_input_children
        calls = []

        async def flaky(*args, **kw):
            calls.append(args[3][0][2])
            if len(calls) == 3:
                raise RuntimeError("the process died here")
            return await real(*args, **kw)

        monkeypatch.setattr(dup_store, "copy_input_children", flaky)
        only = r.AppDuplicationFilters(copy_inputs=True, copy_concepts=True)
        res = await duplicate(
            transport, account, r.AppDuplication(id="flaky", new_app_id="resumed", filter=only)
        )
        assert res.status.code == sc.SUCCESS, res.status
        dup = await finished(transport, account, "flaky")
        assert progress(dup) == {"inputs": 5, "concepts": 0}
        assert await input_ids(transport, account, "resumed") == [f"t{n}" for n in range(5)]
        # The failed input's chunk ran twice; the committed ones once each.
        assert calls == ["t0", "t1", "t2", "t2", "t3", "t4"]

    async def test_a_deleted_destination_fails_the_duplication(self, transport, account):
        res = await duplicate(transport, account, r.AppDuplication(id="gone", new_app_id="gone"))
        assert res.status.code == sc.SUCCESS, res.status
        await ok(
            transport,
            "DeleteApp",
            s.DeleteAppRequest(user_app_id=app_of(account, "gone")),
            account,
        )
        got = await ok(
            transport,
            "GetAppDuplication",
            s.GetAppDuplicationRequest(
                user_app_id=r.UserAppIDSet(user_id="me"), app_duplication_id="gone"
            ),
            account,
        )
        dup = got.app_duplication
        assert not dup.HasField("destination_app")
        assert dup.status.code in (sc.APP_DUPLICATION_SUCCESS, sc.APP_DUPLICATION_FAILED)


class TestSharedDestination:
    async def test_into_an_app_shared_with_the_caller(self, transport, account, new_account, stub):
        owner = await new_account()
        await share(stub, owner, account, scopes=["Apps_Get", "Concepts_Get", "Concepts_Add"])
        await ok(
            transport,
            "PostConcepts",
            s.PostConceptsRequest(user_app_id=app_of(account), concepts=[r.Concept(id="cat")]),
            account,
        )
        theirs = r.App(id=owner.app_id, user_id=owner.user_id)
        both = r.AppDuplicationFilters(copy_inputs=True, copy_concepts=True)
        res = await duplicate(
            transport, account, r.AppDuplication(destination_app=theirs, filter=both)
        )
        assert_status(res, sc.CONN_INSUFFICIENT_SCOPES, "Inputs_Add", "shared with you")
        only = r.AppDuplicationFilters(copy_concepts=True)
        res = await duplicate(
            transport, account, r.AppDuplication(id="shared", destination_app=theirs, filter=only)
        )
        assert res.status.code == sc.SUCCESS, res.status
        await finished(transport, account, "shared")
        listed = await ok(
            transport, "ListConcepts", s.ListConceptsRequest(user_app_id=app_of(owner)), owner
        )
        assert [c.id for c in listed.concepts] == ["cat"]


class TestSharedMedia:
    async def test_the_sweep_keeps_what_rows_name(
        self, server, settings, stub, transport, account, rest
    ):
        """Both apps' keys of a shared image stay through orphan sweeps (no
        grace) while their rows name them; each goes with its own row."""
        await new_app(stub, account, "src", "Empty")
        data = fixture_image("coffee.jpg")
        await ok(
            transport,
            "PostInputs",
            s.PostInputsRequest(
                user_app_id=app_of(account, "src"), inputs=[image_input("pic", data)]
            ),
            account,
        )
        only = r.AppDuplicationFilters(copy_inputs=True, copy_concepts=True)
        req = s.PostAppDuplicationsRequest(
            user_app_id=app_of(account, "src"),
            app_duplications=[r.AppDuplication(id="m", new_app_id="dst", filter=only)],
        )
        await ok(transport, "PostAppDuplications", req, account)
        await finished(transport, account, "m")
        store = blobs.store_for(settings.data_dir)

        async def media(app_id: str) -> bytes | None:
            got = await transport.call(
                "GetInput",
                s.GetInputRequest(user_app_id=app_of(account, app_id), input_id="pic"),
                account.md(),
            )
            if got.status.code != sc.SUCCESS:
                return None
            h = got.input.data.image.hosted
            status, _, body = await fetch(
                rest, f"{h.prefix}/orig/{h.suffix}", auth_header(account.pat)
            )
            return body if status == 200 else None

        assert await media("src") == data and await media("dst") == data
        await blobs.sweep(server.db, store, 0)
        assert await media("src") == data and await media("dst") == data
        await ok(
            transport,
            "DeleteInputs",
            s.DeleteInputsRequest(user_app_id=app_of(account, "src"), ids=["pic"]),
            account,
        )
        await blobs.sweep(server.db, store, 0)
        assert await media("src") is None and await media("dst") == data
