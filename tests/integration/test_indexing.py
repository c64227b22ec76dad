"""The base workflow indexes inputs: image inputs get image-embedding
vectors, texts text-embedding vectors, in the background; a changed base
workflow reindexes the app; nearest() ranks by these vectors, with pgvector
(the embedded PostgreSQL has it) and with the exact scan (a PostgreSQL
without it). A base workflow with annotation writers (the docs'
auto-annotation walkthrough) runs whole on added inputs, once."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import numpy as np
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image, ImageDraw
from sqlalchemy import func, select, text

from server import indexing, jobs, vectors
from server.main import Running
from storage import jobs as job_store
from storage.embeddings import Embedding, EmbeddingStorage
from storage.inputs import Input
from storage.scoped import AppScope
from storage.workflow_runs import WorkflowInputRun
from tests.helpers import app_of, app_scope, struct
from tests.integration import test_workflow_results as workflow_results
from tests.integration.conftest import Side

# How long a test waits for the background to index (a bound, not a timing).
WAIT_SECONDS = 120.0
IMAGE_DIMS, TEXT_DIMS = 1280, 384


# ---- media ----


def drawn(shape: str, color: str, at: tuple[int, int] = (40, 40), size: int = 120) -> bytes:
    img = Image.new("RGB", (224, 224), "white")
    box = (at[0], at[1], at[0] + size, at[1] + size)
    draw = ImageDraw.Draw(img)
    (draw.rectangle if shape == "square" else draw.ellipse)(box, fill=color)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def image_input(input_id: str, data: bytes) -> r.Input:
    return r.Input(id=input_id, data=r.Data(image=r.Image(base64=data)))


def text_input(input_id: str, raw: str) -> r.Input:
    return r.Input(id=input_id, data=r.Data(text=r.Text(raw=raw)))


# ---- apps, inputs, vectors ----


async def new_app(stub, account, app_id: str, workflow: str = "") -> None:
    """An app of the account's with that base workflow (none: the default)."""
    res = await stub.PostApps(
        s.PostAppsRequest(
            user_app_id=r.UserAppIDSet(user_id=account.user_id),
            apps=[r.App(id=app_id, default_workflow_id=workflow)],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status


async def post(stub, account, app_id: str, *inputs: r.Input) -> None:
    res = await stub.PostInputs(
        s.PostInputsRequest(user_app_id=app_of(account, app_id), inputs=list(inputs)),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status


async def pks(server: Running, app: AppScope) -> dict[str, int]:
    async with server.db.transaction() as session:
        rows = await session.execute(select(Input.id, Input.pk).where(Input.app_pk == app.pk))
        return dict(rows.all())


async def stored(server: Running, app: AppScope) -> dict[tuple[int, str], int]:
    """The app's vectors: their length by (input pk, embedder runtime)."""
    async with server.db.transaction() as session:
        versions = await vectors.embedder_versions(session)
        rows = await session.execute(
            select(
                Embedding.input_pk, Embedding.model_version_pk, func.cardinality(Embedding.vector)
            ).where(Embedding.app_pk == app.pk)
        )
        return {(pk, versions[mv]): n for pk, mv, n in rows}


async def queued(server: Running, app: AppScope) -> int:
    """The app's index and reindex jobs not finished yet."""
    async with server.db.transaction() as session:
        return int(
            await session.scalar(
                select(func.count()).where(
                    job_store.Job.app_pk == app.pk,
                    job_store.Job.kind.in_([indexing.INDEX, indexing.REINDEX]),
                )
            )
            or 0
        )


async def settled(server: Running, app: AppScope) -> dict[tuple[int, str], int]:
    """The app's vectors once its index jobs have all run."""
    for _ in range(int(WAIT_SECONDS / 0.2)):
        if not await queued(server, app):
            return await stored(server, app)
        await asyncio.sleep(0.2)
    raise AssertionError(f"index jobs of app {app.id} still queued after {WAIT_SECONDS:g} s")


# ---- nearest() on both paths ----


@pytest.fixture(params=["pgvector", "exact"])
async def side(request, pgvector_side, server, stub, account, monkeypatch) -> Side:
    """Where nearest() ranks with pgvector, or by the exact scan: the
    session's server when its database lacks the extension, else the same
    with the extension ignored."""
    if request.param == "pgvector":
        async with pgvector_side.server.db.transaction() as session:
            assert await vectors.has_extension(session)
        return pgvector_side
    async with server.db.transaction() as session:
        if await vectors.has_extension(session):
            monkeypatch.setitem(vectors._present, vectors._key(session), False)
    return Side(server, stub, account)


def unit(*xs: float) -> np.ndarray:
    v = np.zeros(TEXT_DIMS, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


async def synthetic(side: Side, app_id: str, given: dict[str, np.ndarray]) -> tuple[AppScope, int]:
    """An app (indexing nothing) whose text inputs have these vectors as
    their text-embedding vectors; the app and the version's pk."""
    await new_app(side.stub, side.account, app_id, "Empty")
    await post(side.stub, side.account, app_id, *(text_input(i, i) for i in given))
    app = await app_scope(side.server, side.account, app_id)
    by_id = await pks(side.server, app)
    async with side.server.db.transaction() as session:
        version = await indexing.embedder_version_pk(session, "text-embedding")
        await EmbeddingStorage(session, app).put(
            version, {by_id[i]: v.tolist() for i, v in given.items()}
        )
    return app, version


async def ranked(side: Side, app: AppScope, version: int, query: np.ndarray, k: int, **kw):
    """nearest()'s answer, by input id."""
    names = {pk: input_id for input_id, pk in (await pks(side.server, app)).items()}
    async with side.server.db.transaction() as session:
        found = await vectors.nearest(session, app, version, query, k, **kw)
    return [(names[pk], score) for pk, score in found]


VECTORS = {
    "same": unit(1.0),
    "near": unit(1.0, 0.5),
    "orthogonal": unit(0.0, 1.0),
    "opposite": unit(-1.0),
}


class TestNearest:
    async def test_ranks_by_cosine_with_scores_in_0_1(self, side: Side) -> None:
        app, version = await synthetic(side, "rank", VECTORS)
        got = await ranked(side, app, version, unit(1.0) * 3.0, 10)
        assert [i for i, _ in got] == ["same", "near", "orthogonal", "opposite"]
        cos_near = float(unit(1.0) @ VECTORS["near"])
        expected = [1.0, (1 + cos_near) / 2, 0.5, 0.0]
        assert [score for _, score in got] == pytest.approx(expected, abs=1e-4)

    async def test_euclidean_scores_unit_vectors_alike(self, side: Side) -> None:
        app, version = await synthetic(side, "euclid", VECTORS)
        got = await ranked(side, app, version, unit(1.0), 10, metric="euclidean")
        assert [i for i, _ in got] == ["same", "near", "orthogonal", "opposite"]
        d2 = float(np.sum((unit(1.0) - VECTORS["near"]) ** 2))
        assert [score for _, score in got] == pytest.approx([1.0, 1 - d2 / 4, 0.5, 0.0], abs=1e-4)

    async def test_k_and_within_bound_the_answer(self, side: Side) -> None:
        app, version = await synthetic(side, "within", VECTORS)
        assert [i for i, _ in await ranked(side, app, version, unit(1.0), 2)] == ["same", "near"]
        some = select(Input.pk).where(Input.app_pk == app.pk, Input.id.in_(["near", "opposite"]))
        got = await ranked(side, app, version, unit(1.0), 10, within=some)
        assert [i for i, _ in got] == ["near", "opposite"]

    async def test_equal_vectors_rank_newest_first(self, side: Side) -> None:
        app, version = await synthetic(side, "ties", {"older": unit(1.0), "newer": unit(1.0)})
        assert [i for i, _ in await ranked(side, app, version, unit(1.0), 10)] == [
            "newer",
            "older",
        ]
        far = await ranked(side, app, version, unit(1.0), 10, farthest=True)
        assert [i for i, _ in far] == ["newer", "older"]

    async def test_other_apps_vectors_are_not_ranked(self, side: Side) -> None:
        await synthetic(side, "others", {"theirs": unit(1.0)})
        app, version = await synthetic(side, "mine", {"mine": unit(0.0, 1.0)})
        assert [i for i, _ in await ranked(side, app, version, unit(1.0), 10)] == ["mine"]


class TestPgvector:
    async def test_each_embedder_version_has_an_hnsw_index(self, pgvector_side: Side) -> None:
        async with pgvector_side.server.db.transaction() as session:
            versions = await vectors.embedder_versions(session)
            rows = await session.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'embeddings'")
            )
            defs = dict(rows.all())
        assert set(versions.values()) == {"image-embedding", "text-embedding"}
        for pk, runtime in versions.items():
            made = defs[f"ix_embeddings_hnsw_{pk}"]
            assert "hnsw" in made and "vector_cosine_ops" in made, made
            assert f"vector({vectors.DIMS[runtime]})" in made and f"= {pk}" in made, made

    async def test_a_start_does_not_wait_for_vectors_being_written(
        self, pgvector_side: Side
    ) -> None:
        db = pgvector_side.server.db
        async with db.engine.connect() as writer:
            # The lock an INSERT into embeddings holds until it commits.
            await writer.execute(text("LOCK TABLE embeddings IN ROW EXCLUSIVE MODE"))
            assert await asyncio.wait_for(vectors.ensure(db), timeout=30)
            await writer.rollback()

    async def test_a_database_without_it_is_said_once_at_start(
        self, server, caplog, monkeypatch
    ) -> None:
        # Whichever database the session has: one that cannot load the extension.
        async def cannot(session) -> str:
            return "PostgreSQL has no pgvector extension ('vector') installed"

        monkeypatch.setattr(vectors, "_create_extension", cannot)
        monkeypatch.setattr(vectors, "_present", dict(vectors._present))
        with caplog.at_level(logging.INFO, logger="clarifai_local.vectors"):
            assert not await vectors.ensure(server.db)
        lines = [rec.getMessage() for rec in caplog.records if rec.name.endswith("vectors")]
        assert len(lines) == 1 and "pgvector" in lines[0] and "exact scan" in lines[0], lines


# ---- the base workflow, run on inputs (real models) ----


async def patch_workflow(stub, account, app_id: str, workflow: str, as_message: bool) -> None:
    sent = r.App(id=app_id)
    if as_message:
        sent.default_workflow.id = workflow
    else:
        sent.default_workflow_id = workflow
    res = await stub.PatchApps(
        s.PatchAppsRequest(
            user_app_id=r.UserAppIDSet(user_id=account.user_id), apps=[sent], action="overwrite"
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status


class TestIndexing:
    async def test_images_and_texts_get_their_embedders_vectors(
        self, stub, account, server
    ) -> None:
        await new_app(stub, account, "both")  # no base workflow: Universal
        await post(
            stub,
            account,
            "both",
            image_input("red", drawn("square", "red")),
            image_input("blue", drawn("circle", "blue")),
            text_input("cat", "a cat sleeps on the mat"),
            text_input("stocks", "stock prices fell sharply"),
        )
        app = await app_scope(server, account, "both")
        ids = await pks(server, app)
        assert await settled(server, app) == {
            (ids["red"], "image-embedding"): IMAGE_DIMS,
            (ids["blue"], "image-embedding"): IMAGE_DIMS,
            (ids["cat"], "text-embedding"): TEXT_DIMS,
            (ids["stocks"], "text-embedding"): TEXT_DIMS,
        }

    async def test_indexing_again_computes_nothing_new(self, stub, account, server) -> None:
        await new_app(stub, account, "again")
        await post(stub, account, "again", image_input("red", drawn("square", "red")))
        await post(stub, account, "again", text_input("cat", "a cat"))
        app = await app_scope(server, account, "again")
        first = await settled(server, app)
        before = await rows_of(server, app)
        async with server.db.transaction() as session:
            payload = {"input_pks": list((await pks(server, app)).values())}
            await jobs.enqueue_many(session, app, indexing.INDEX, [payload])
        assert await settled(server, app) == first
        assert await rows_of(server, app) == before  # the same vectors, not written again

    async def test_an_empty_base_workflow_indexes_nothing_and_a_change_reindexes(
        self, stub, account, server
    ) -> None:
        await new_app(stub, account, "later", "Empty")
        await post(
            stub,
            account,
            "later",
            image_input("red", drawn("square", "red")),
            text_input("cat", "a cat"),
        )
        app = await app_scope(server, account, "later")
        ids = await pks(server, app)
        assert await queued(server, app) == 0 and await stored(server, app) == {}

        await patch_workflow(stub, account, "later", "Universal", as_message=False)
        assert await settled(server, app) == {
            (ids["red"], "image-embedding"): IMAGE_DIMS,
            (ids["cat"], "text-embedding"): TEXT_DIMS,
        }
        # General embeds images only: the texts' vectors go.
        await patch_workflow(stub, account, "later", "General", as_message=True)
        assert await settled(server, app) == {(ids["red"], "image-embedding"): IMAGE_DIMS}
        await patch_workflow(stub, account, "later", "Empty", as_message=True)
        assert await settled(server, app) == {}

    async def test_a_downloaded_input_is_indexed(
        self, stub, account, server, media_server, loopback_allowed
    ) -> None:
        base, _, _ = media_server
        await new_app(stub, account, "urls")
        sent = r.Input(id="truck", data=r.Data(image=r.Image(url=f"{base}/truck.png")))
        await post(stub, account, "urls", sent, text_input("note", "a blue truck"))
        app = await app_scope(server, account, "urls")
        ids = await pks(server, app)
        assert await settled(server, app) == {
            (ids["truck"], "image-embedding"): IMAGE_DIMS,
            (ids["note"], "text-embedding"): TEXT_DIMS,
        }

    async def test_deleted_inputs_lose_their_vectors(self, stub, account, server) -> None:
        await new_app(stub, account, "gone")
        await post(stub, account, "gone", text_input("a", "one"), text_input("b", "two"))
        app = await app_scope(server, account, "gone")
        ids = await pks(server, app)
        assert len(await settled(server, app)) == 2
        res = await stub.DeleteInputs(
            s.DeleteInputsRequest(user_app_id=app_of(account, "gone"), ids=["a"]),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await stored(server, app) == {(ids["b"], "text-embedding"): TEXT_DIMS}

    async def test_nearest_ranks_a_shifted_red_square_above_a_blue_circle(self, side: Side) -> None:
        from server import inference

        await new_app(side.stub, side.account, "shapes")
        await post(
            side.stub,
            side.account,
            "shapes",
            image_input("circle", drawn("circle", "blue")),
            image_input("shifted", drawn("square", "red", at=(70, 60))),
        )
        app = await app_scope(side.server, side.account, "shapes")
        assert len(await settled(side.server, app)) == 2
        query = (await inference.run(inference.embed_images, [drawn("square", "red")]))[0]
        async with side.server.db.transaction() as session:
            version = await indexing.embedder_version_pk(session, "image-embedding")
        got = await ranked(side, app, version, query, 2)
        assert [i for i, _ in got] == ["shifted", "circle"]
        assert 1.0 >= got[0][1] > got[1][1] >= 0.0


async def rows_of(server: Running, app: AppScope) -> set[tuple]:
    async with server.db.transaction() as session:
        rows = await session.execute(
            select(
                Embedding.input_pk,
                Embedding.model_version_pk,
                Embedding.vector,
                Embedding.created_at,
            ).where(Embedding.app_pk == app.pk)
        )
        return {(pk, mv, tuple(v), at) for pk, mv, v, at in rows}


# ---- the general model's predicted concepts, stored as annotations ----

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "images"
GENERAL_VERSION = "aa7f35c01e0642fda5cf400f543e7c40"  # general-image-recognition's
CAT = "n02121620"  # its "cat"


def fixture_image(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


async def predictions(transport, account, app_id: str) -> dict[str, r.Annotation]:
    """The app's annotations by the general model, by input id, as ListAnnotations shows them."""
    res = await transport.call(
        "ListAnnotations",
        s.ListAnnotationsRequest(
            user_app_id=app_of(account, app_id), list_all_annotations=True, per_page=100
        ),
        account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    found = [a for a in res.annotations if a.model_version_id]
    assert len({a.input_id for a in found}) == len(found), "one per input"
    return {a.input_id: a for a in found}


async def general_top20(stub, account, input_id: str) -> list[tuple[str, float]]:
    """What PostModelOutputs answers for the input with the general model (top 20)."""
    res = await stub.PostModelOutputs(
        s.PostModelOutputsRequest(
            user_app_id=r.UserAppIDSet(user_id="clarifai", app_id="main"),
            model_id="general-image-recognition",
            inputs=[r.Input(data=r.Data(image=r.Image(base64=fixture_image(input_id + ".jpg"))))],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [(c.id, c.value) for c in res.outputs[0].data.concepts]


class TestPredictedConcepts:
    async def test_each_image_gets_the_general_models_concepts_as_one_annotation(
        self, transport, stub, account, server
    ) -> None:
        await new_app(stub, account, "predicted")  # Universal
        cat = image_input("chelsea", fixture_image("chelsea.jpg"))
        cat.data.concepts.add(id="mine", value=1)
        coffee = image_input("coffee", fixture_image("coffee.jpg"))
        coffee.data.concepts.add(id=CAT, value=1)  # a user's label with the model's cat id
        await post(
            stub, account, "predicted", cat, coffee, text_input("note", "a cat sleeps on the mat")
        )
        await settled(server, await app_scope(server, account, "predicted"))
        found = await predictions(transport, account, "predicted")
        assert set(found) == {"chelsea", "coffee"}  # images only
        for input_id, annotation in found.items():
            assert annotation.model_version_id == GENERAL_VERSION
            assert annotation.worker.model.id == "general-image-recognition"
            assert annotation.worker.model.model_version.id == GENERAL_VERSION
            assert annotation.input_level and annotation.status.code == sc.ANNOTATION_SUCCESS
            # The model's own top 20 (as a prediction shows them), those worth 0.01 or more.
            top20 = await general_top20(stub, account, input_id)
            expected = [(i, v) for i, v in top20 if v >= 0.01]
            got = [(c.id, c.value) for c in annotation.data.concepts]
            assert [i for i, _ in got] == [i for i, _ in expected]
            assert [v for _, v in got] == pytest.approx([v for _, v in expected], abs=1e-5)
        assert CAT in {c.id for c in found["chelsea"].data.concepts}
        # The input's own concepts stay the user's.
        got = await transport.call(
            "GetInput",
            s.GetInputRequest(user_app_id=app_of(account, "predicted"), input_id="chelsea"),
            account.md(),
        )
        assert [c.id for c in got.input.data.concepts] == ["mine"]
        # Predictions are no labels: the cat label is coffee's alone.
        counts = await transport.call(
            "GetConceptCounts",
            s.GetConceptCountsRequest(user_app_id=app_of(account, "predicted")),
            account.md(),
        )
        cat_count = next(c for c in counts.concept_counts if c.id == CAT)
        assert cat_count.concept_type_count.positive == 1

    async def test_none_for_empty_apps_and_a_reindex_drops_or_adds_them(
        self, transport, stub, account, server
    ) -> None:
        await new_app(stub, account, "bare", "Empty")
        await post(stub, account, "bare", image_input("coffee", fixture_image("coffee.jpg")))
        app = await app_scope(server, account, "bare")
        assert await queued(server, app) == 0
        assert await predictions(transport, account, "bare") == {}

        await patch_workflow(stub, account, "bare", "General", as_message=True)
        await settled(server, app)
        first = await predictions(transport, account, "bare")
        assert set(first) == {"coffee"}
        # Indexing again stores nothing new: the same annotation, unchanged.
        async with server.db.transaction() as session:
            payload = {"input_pks": list((await pks(server, app)).values())}
            await jobs.enqueue_many(session, app, indexing.INDEX, [payload])
        await settled(server, app)
        assert await predictions(transport, account, "bare") == first

        # Language-Understanding has no general model: its predictions go.
        await patch_workflow(stub, account, "bare", "Language-Understanding", as_message=False)
        await settled(server, app)
        assert await predictions(transport, account, "bare") == {}

    async def test_annotations_cannot_be_sent_as_a_models(self, transport, stub, account) -> None:
        await post(stub, account, "", image_input("img", drawn("square", "red")))
        sent = r.Annotation(input_id="img", data=r.Data(concepts=[r.Concept(id="x", value=1)]))
        sent.worker.model.id = "general-image-recognition"
        res = await transport.call(
            "PostAnnotations",
            s.PostAnnotationsRequest(user_app_id=app_of(account), annotations=[sent]),
            account.md(),
        )
        assert res.status.code == sc.ANNOTATION_INVALID_ARGUMENT, res.status
        assert "annotations[0].worker.model" in res.status.details


class TestAnAppsOwnWorkflow:
    """A base workflow of the app's own: its embedding and general-model
    nodes index the inputs; a new version of it reindexes them."""

    async def _workflow(self, stub, account, app_id: str, *model_ids: str) -> r.Workflow:
        nodes = [r.WorkflowNode(id=m, model=r.Model(id=m)) for m in model_ids]
        res = await stub.PostWorkflows(
            s.PostWorkflowsRequest(
                user_app_id=app_of(account, app_id),
                workflows=[r.Workflow(id="mine", nodes=nodes)],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        return res.workflows[0]

    async def test_its_nodes_index_and_a_new_version_reindexes(
        self, transport, stub, account, server
    ) -> None:
        await new_app(stub, account, "own", "Empty")
        await self._workflow(stub, account, "own", "text-embedder")
        await patch_workflow(stub, account, "own", "mine", as_message=True)
        await post(
            stub,
            account,
            "own",
            image_input("coffee", fixture_image("coffee.jpg")),
            text_input("note", "a cup of coffee"),
        )
        app = await app_scope(server, account, "own")
        ids = await pks(server, app)
        assert await settled(server, app) == {(ids["note"], "text-embedding"): TEXT_DIMS}
        assert await predictions(transport, account, "own") == {}

        nodes = [
            r.WorkflowNode(id="general", model=r.Model(id="general-image-recognition")),
            r.WorkflowNode(id="embed", model=r.Model(id="general-image-embedding")),
        ]
        res = await stub.PatchWorkflows(
            s.PatchWorkflowsRequest(
                user_app_id=app_of(account, "own"),
                workflows=[r.Workflow(id="mine", nodes=nodes)],
                action="overwrite",
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert await settled(server, app) == {(ids["coffee"], "image-embedding"): IMAGE_DIMS}
        assert set(await predictions(transport, account, "own")) == {"coffee"}

    async def test_a_base_workflow_must_exist(self, transport, stub, account) -> None:
        res = await transport.call(
            "PostApps",
            s.PostAppsRequest(
                user_app_id=r.UserAppIDSet(user_id=account.user_id),
                apps=[r.App(id="typo", default_workflow_id="Generel")],
            ),
            account.md(),
        )
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST, res.status
        assert "apps[0].default_workflow_id" in res.status.details
        await new_app(stub, account, "kept", "General")
        sent = r.App(id="kept", default_workflow=r.Workflow(id="nope"))
        res = await transport.call(
            "PatchApps",
            s.PatchAppsRequest(
                user_app_id=r.UserAppIDSet(user_id=account.user_id), apps=[sent], action="overwrite"
            ),
            account.md(),
        )
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST, res.status
        assert "apps[0].default_workflow.id" in res.status.details
        got = await transport.call(
            "GetApp", s.GetAppRequest(user_app_id=app_of(account, "kept")), account.md()
        )
        assert got.app.default_workflow_id == "General"


# ---- a base workflow that writes annotations: run whole on inputs ----


async def written_by(transport, account, version_id: str) -> list[tuple[str, int, list[str]]]:
    """The annotations of a writer's model version: (input id, status, concept ids)."""
    res = await transport.call(
        "ListAnnotations",
        s.ListAnnotationsRequest(user_app_id=app_of(account), model_version_ids=[version_id]),
        account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return sorted(
        (a.input_id, a.status.code, [c.id for c in a.data.concepts]) for a in res.annotations
    )


async def graph_runs(server: Running, app: AppScope) -> int:
    """The app's (input, workflow version) pairs its base workflow's graph ran on."""
    async with server.db.transaction() as session:
        q = select(func.count()).where(WorkflowInputRun.app_pk == app.pk)
        return int(await session.scalar(q) or 0)


async def index_again(server: Running, app: AppScope) -> None:
    """The app's index job and a reindex, queued again (a retry, a second reindex)."""
    async with server.db.transaction() as session:
        payload = {"input_pks": list((await pks(server, app)).values())}
        await jobs.enqueue_many(session, app, indexing.INDEX, [payload])
        await jobs.enqueue_many(session, app, indexing.REINDEX, [{}])
    await settled(server, app)


async def walkthrough_as_base(stub, account, versions: dict[str, str]) -> None:
    """The docs' auto-annotation workflow made in the account's app and set as its base."""
    nodes = workflow_results.walkthrough_nodes(versions)
    await workflow_results.make_workflow(stub, account, "auto-annotation", *nodes)
    await patch_workflow(stub, account, account.app_id, "auto-annotation", as_message=True)


def cat_input() -> r.Input:
    return image_input("cat", fixture_image("chelsea.jpg"))


class TestABaseWorkflowThatWrites:
    """The walkthrough's thresholds: pet (a synonym of the general model's
    cat) above 0.5 is written SUCCESS, drink (beverage's synonym) below 0.9
    PENDING; chelsea.jpg is a cat (about 0.97), coffee.jpg a beverage
    (about 0.73), so the cat is a SUCCESS pet and the cup a PENDING drink."""

    async def _setup(self, stub, account) -> dict[str, str]:
        await workflow_results.walkthrough_concepts(stub, account)
        versions = await workflow_results.walkthrough_models(stub, account)
        await walkthrough_as_base(stub, account, versions)
        return versions

    async def test_posted_inputs_are_annotated_once(self, transport, stub, account, server):
        versions = await self._setup(stub, account)
        sent = [cat_input(), image_input("cup", fixture_image("coffee.jpg"))]
        res = await transport.call(
            "PostInputs",
            s.PostInputsRequest(user_app_id=app_of(account), inputs=sent),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        app = await app_scope(server, account)
        await settled(server, app)
        success, pending = versions["write-success-model-id"], versions["write-pending-model-id"]
        expected = {
            success: [("cat", sc.ANNOTATION_SUCCESS, ["petID"])],
            pending: [("cup", sc.ANNOTATION_PENDING, ["drinkID"])],
        }
        assert {v: await written_by(transport, account, v) for v in expected} == expected
        assert await graph_runs(server, app) == 2
        before = await self._ids(stub, account, versions)

        await index_again(server, app)
        assert await self._ids(stub, account, versions) == before
        assert await graph_runs(server, app) == 2

        # A new version keeping the writers runs on both inputs, writing nothing twice.
        nodes = workflow_results.walkthrough_nodes(versions)[1:]  # no general-embed
        res = await stub.PatchWorkflows(
            s.PatchWorkflowsRequest(
                user_app_id=app_of(account),
                workflows=[r.Workflow(id="auto-annotation", nodes=nodes)],
                action="overwrite",
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        await settled(server, app)
        assert await graph_runs(server, app) == 4
        assert await self._ids(stub, account, versions) == before

    async def _ids(self, stub, account, versions: dict[str, str]) -> dict[str, list[str]]:
        """The ids of each writer's annotations."""
        writers = ("write-success-model-id", "write-pending-model-id")
        return {
            w: [a.id for a in await workflow_results.annotations(stub, account, versions[w])]
            for w in writers
        }

    async def test_a_graph_runs_once_per_input(self, stub, account, server):
        """An annotation the user deleted is not written again by a job run
        again: the graph does not rerun on the input."""
        versions = await self._setup(stub, account)
        await post(stub, account, "", cat_input())
        app = await app_scope(server, account)
        await settled(server, app)
        [written] = await workflow_results.annotations(
            stub, account, versions["write-success-model-id"]
        )
        res = await stub.DeleteAnnotation(
            s.DeleteAnnotationRequest(
                user_app_id=app_of(account), input_id="cat", annotation_id=written.id
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        await index_again(server, app)
        assert (
            await workflow_results.annotations(stub, account, versions["write-success-model-id"])
            == []
        )

    async def test_a_new_base_workflow_runs_on_existing_inputs(
        self, transport, stub, account, server
    ):
        await patch_workflow(stub, account, account.app_id, "Empty", as_message=True)
        await post(stub, account, "", cat_input())
        app = await app_scope(server, account)
        await settled(server, app)
        versions = await self._setup(stub, account)
        await settled(server, app)
        assert await written_by(transport, account, versions["write-success-model-id"]) == [
            ("cat", sc.ANNOTATION_SUCCESS, ["petID"])
        ]

    @pytest.mark.parametrize("base", ["Universal", "no writer"])
    async def test_without_writers_nothing_is_written(self, base, transport, stub, account, server):
        """Universal and a graph of operators without a writer: inputs get
        the general model's predictions, nothing else."""
        if base == "no writer":
            await workflow_results.walkthrough_concepts(stub, account)
            versions = await workflow_results.walkthrough_models(stub, account)
            nodes = workflow_results.walkthrough_nodes(versions)
            kept = [n for n in nodes if not n.id.startswith("write-")]
            await workflow_results.make_workflow(stub, account, "no-writer", *kept)
            base = "no-writer"
        await patch_workflow(stub, account, account.app_id, base, as_message=True)
        await post(stub, account, "", cat_input())
        app = await app_scope(server, account)
        await settled(server, app)
        res = await transport.call(
            "ListAnnotations",
            s.ListAnnotationsRequest(user_app_id=app_of(account), list_all_annotations=True),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        found = [(a.input_id, a.model_version_id) for a in res.annotations if a.model_version_id]
        assert found == [("cat", GENERAL_VERSION)]
        assert await graph_runs(server, app) == 0

    async def test_a_graph_that_cannot_run_leaves_the_indexing_done(
        self, transport, stub, account, server
    ):
        """A writer whose annotation_status is none of the four: the graph is
        refused (logged), the input still gets the general model's predictions."""
        await workflow_results.post_model(stub, account, "writer", "annotation-writer")
        bad = r.OutputInfo(params=struct(annotation_status=12345))
        nodes = [
            workflow_results.main_node("general", workflow_results.GENERAL),
            workflow_results.node("write", "writer", "general", output_info_override=bad),
        ]
        await workflow_results.make_workflow(stub, account, "bad-writer", *nodes)
        await patch_workflow(stub, account, account.app_id, "bad-writer", as_message=True)
        await post(stub, account, "", cat_input())
        app = await app_scope(server, account)
        await settled(server, app)
        found = await predictions(transport, account, account.app_id)
        assert list(found) == ["cat"] and found["cat"].model_version_id == GENERAL_VERSION
        assert await graph_runs(server, app) == 0
