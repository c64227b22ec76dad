"""Search ranks (server/ranks.py) on the real server's database and models:
concept ranks by labels and predicted values, image, input and vector
similarity, text ranks, negation, several ranks, and refusals. Each test
ranks an app's inputs as a search does, in a call of that app; the inputs,
labels and predictions are made through the API."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import numpy as np
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image
from sqlalchemy import delete, select

from server import contract, ranks, vectors
from server.auth import Access
from server.dispatch import Call
from server.main import Running
from server.status import ApiError
from storage import apps as app_store
from storage.embeddings import Embedding, EmbeddingStorage
from storage.inputs import Input
from tests.conftest import Account
from tests.helpers import app_of, app_scope, png
from tests.integration.conftest import Side
from tests.integration.test_indexing import (
    fixture_image,
    image_input,
    new_app,
    patch_workflow,
    pks,
    post,
    settled,
    text_input,
)

FIELD = "searches[0].query.ranks"
CAT = "n02121620"  # the general model's "cat"
CAT_TEXT = "a cat sleeps on the mat"


# ---- ranking as a search does ----


@asynccontextmanager
async def app_call(server: Running, account: Account, app_id: str) -> AsyncIterator[Call]:
    """A call of the account's app, as the dispatcher makes it."""
    async with server.db.transaction() as session:
        row = await app_store.get(session, account.user_id, app_id)
        access = Access(caller=None, app=app_store.scope_of(row), app_row=row, is_owner=True)
        method = contract.methods()["ListInputs"]
        yield Call(session, access, method, "ranks", server.dispatcher.settings, server.fetcher)


async def ranked(
    server: Running,
    account: Account,
    app_id: str,
    *sent: r.Rank,
    limit: int = 20,
    metric: str = "cosine",
    algorithm: str = "nearest_neighbor",
    without: Sequence[str] = (),
    any_app: bool = False,
) -> list[tuple[str, float]]:
    """The ranks' answer by input id, among the app's inputs (or every
    app's: `any_app`) except `without`."""
    async with app_call(server, account, app_id) as call:
        where = [Input.id.not_in(list(without))]
        if not any_app:
            where.append(Input.app_pk == call.app.pk)
        found = await ranks.ranked(
            call,
            sent,
            candidates=select(Input.pk).where(*where),
            metric=metric,
            algorithm=algorithm,
            limit=limit,
            field=FIELD,
        )
        session = call.store.embeddings.session
        rows = await session.execute(
            select(Input.pk, Input.id, Input.app_pk).where(Input.pk.in_([pk for pk, _ in found]))
        )
        ids = {pk: (input_id, app_pk) for pk, input_id, app_pk in rows}
    assert all(ids[pk][1] == call.app.pk for pk, _ in found), "another app's input"
    return [(ids[pk][0], score) for pk, score in found]


async def refusal(server: Running, account: Account, app_id: str, *sent: r.Rank, **kw) -> ApiError:
    with pytest.raises(ApiError) as raised:
        await ranked(server, account, app_id, *sent, **kw)
    return raised.value


def order(found: list[tuple[str, float]]) -> list[str]:
    return [input_id for input_id, _ in found]


def by_concepts(*concepts: r.Concept, negate: bool = False, version: str = "") -> r.Rank:
    annotation = r.Annotation(data=r.Data(concepts=list(concepts)), model_version_id=version)
    return r.Rank(annotation=annotation, negate=negate)


def by_image(data: bytes = b"", url: str = "", negate: bool = False) -> r.Rank:
    image = r.Image(base64=data, url=url)
    return r.Rank(annotation=r.Annotation(data=r.Data(image=image)), negate=negate)


def by_text(raw: str) -> r.Rank:
    return r.Rank(annotation=r.Annotation(data=r.Data(text=r.Text(raw=raw))))


def by_input(input_id: str) -> r.Rank:
    return r.Rank(annotation=r.Annotation(input_id=input_id))


def by_vector(vector: Sequence[float]) -> r.Rank:
    embedding = r.Embedding(vector=list(vector), num_dimensions=len(vector))
    return r.Rank(annotation=r.Annotation(data=r.Data(embeddings=[embedding])))


def near_copy(name: str) -> bytes:
    """The fixture image cropped by a tenth on each side and scaled down."""
    img = Image.open(io.BytesIO(fixture_image(name))).convert("RGB")
    w, h = img.size
    img = img.crop((w // 10, h // 10, w - w // 10, h - h // 10)).resize((160, 160))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


# ---- a gallery: images and texts indexed by Universal ----

IMAGES = ("astronaut", "chelsea", "coffee")
TEXTS = {
    "cat-text": CAT_TEXT,
    "stocks": "stock prices fell sharply on the exchange today",
    "recipe": "mix two cups of flour with a spoon of sugar",
}


@dataclass
class Gallery:
    account: Account
    app_id: str
    # The general model's predicted value of "cat" on each image, as
    # ListAnnotations shows it (0 where it is not among the kept concepts).
    cat: dict[str, float]


@pytest.fixture(scope="module")
async def gallery(server: Running, stub) -> Gallery:
    from server import bootstrap  # noqa: PLC0415

    account = Account(**await bootstrap.create(server.db))
    await new_app(stub, account, "gallery")
    blue = image_input("blue", png(5, 7, "blue"))  # the media_server's truck.png
    await post(
        stub,
        account,
        "gallery",
        *(image_input(i, fixture_image(f"{i}.jpg")) for i in IMAGES),
        blue,
        *(text_input(i, raw) for i, raw in TEXTS.items()),
    )
    await settled(server, await app_scope(server, account, "gallery"))
    res = await stub.ListAnnotations(
        s.ListAnnotationsRequest(user_app_id=app_of(account, "gallery"), list_all_annotations=True),
        metadata=account.md(),
    )
    cat = {i: 0.0 for i in (*IMAGES, "blue")}
    for a in res.annotations:
        if a.model_version_id:
            cat[a.input_id] = next((c.value for c in a.data.concepts if c.id == CAT), 0.0)
    return Gallery(account, "gallery", cat)


class TestSimilarity:
    @pytest.mark.parametrize("metric", ["cosine", "euclidean"])
    @pytest.mark.parametrize("algorithm", ["nearest_neighbor", "brute_force"])
    async def test_a_near_duplicate_image_comes_first(
        self, server, gallery: Gallery, metric: str, algorithm: str
    ) -> None:
        found = await ranked(
            server,
            gallery.account,
            gallery.app_id,
            by_image(near_copy("chelsea.jpg")),
            metric=metric,
            algorithm=algorithm,
        )
        # Images only (texts have no image vector), best first, in [0, 1].
        assert order(found)[0] == "chelsea"
        assert set(order(found)) == {*IMAGES, "blue"}
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True) and 0.0 <= scores[-1] <= scores[0] <= 1.0

    async def test_an_image_url_is_downloaded(
        self, server, gallery: Gallery, media_server, loopback_allowed
    ) -> None:
        base, _, hits = media_server
        found = await ranked(
            server, gallery.account, gallery.app_id, by_image(url=f"{base}/n/1.png")
        )
        assert hits == {"1": 1}
        assert found[0][0] == "blue" and found[0][1] == pytest.approx(1.0, abs=1e-5)

    async def test_negate_puts_the_farthest_first(self, server, gallery: Gallery) -> None:
        query = near_copy("chelsea.jpg")
        near = await ranked(server, gallery.account, gallery.app_id, by_image(query))
        far = await ranked(server, gallery.account, gallery.app_id, by_image(query, negate=True))
        assert order(far) == order(near)[::-1]
        assert [score for _, score in far] == pytest.approx([1 - v for _, v in near[::-1]])

    async def test_an_input_ranks_its_own_medium_itself_first(
        self, server, gallery: Gallery
    ) -> None:
        image = await ranked(server, gallery.account, gallery.app_id, by_input("chelsea"))
        assert image[0] == ("chelsea", pytest.approx(1.0, abs=1e-5))
        assert set(order(image)) == {*IMAGES, "blue"}
        text = await ranked(server, gallery.account, gallery.app_id, by_input("stocks"))
        assert text[0] == ("stocks", pytest.approx(1.0, abs=1e-5))
        assert set(order(text)) == set(TEXTS)

    async def test_a_vector_ranks_by_its_embedder(self, server, stub, gallery: Gallery) -> None:
        # The image's embedding as the general-image-embedding model predicts it.
        res = await stub.PostModelOutputs(
            s.PostModelOutputsRequest(
                user_app_id=r.UserAppIDSet(user_id="clarifai", app_id="main"),
                model_id="general-image-embedding",
                inputs=[r.Input(data=r.Data(image=r.Image(base64=fixture_image("coffee.jpg"))))],
            ),
            metadata=gallery.account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        vector = res.outputs[0].data.embeddings[0].vector
        found = await ranked(server, gallery.account, gallery.app_id, by_vector(vector))
        assert found[0] == ("coffee", pytest.approx(1.0, abs=1e-4))

    async def test_the_paraphrase_comes_first_among_texts(self, server, gallery: Gallery) -> None:
        found = await ranked(
            server, gallery.account, gallery.app_id, by_text("a kitten is napping on the rug")
        )
        texts = [i for i in order(found) if i in TEXTS]
        assert texts[0] == "cat-text" and set(texts) == set(TEXTS)

    async def test_a_text_reaches_images_through_the_concepts_it_names(
        self, server, gallery: Gallery
    ) -> None:
        found = dict(await ranked(server, gallery.account, gallery.app_id, by_text("a cat")))
        # Each image scores its predicted "cat", the one concept "a cat" names.
        for image, value in gallery.cat.items():
            assert found[image] == pytest.approx(value, abs=1e-6)
        assert gallery.cat["chelsea"] > 0.5
        assert max(found, key=lambda i: found[i] if i not in TEXTS else -1) == "chelsea"

    async def test_filters_and_other_apps_bound_the_candidates(
        self, server, stub, gallery: Gallery
    ) -> None:
        found = await ranked(
            server, gallery.account, gallery.app_id, by_input("chelsea"), without=["coffee"]
        )
        assert set(order(found)) == {"astronaut", "chelsea", "blue"}
        # Another app holding the same image: never ranked here, whatever the candidates.
        await new_app(stub, gallery.account, "twin")
        await post(
            stub, gallery.account, "twin", image_input("chelsea", fixture_image("chelsea.jpg"))
        )
        await settled(server, await app_scope(server, gallery.account, "twin"))
        everywhere = await ranked(
            server,
            gallery.account,
            gallery.app_id,
            by_image(near_copy("chelsea.jpg")),
            any_app=True,
        )
        assert sorted(order(everywhere)) == sorted({*IMAGES, "blue"})
        concepts = await ranked(
            server,
            gallery.account,
            gallery.app_id,
            by_concepts(r.Concept(id=CAT, value=1)),
            any_app=True,
        )
        assert len(concepts) == len(IMAGES) + 1 + len(TEXTS)


class TestConcepts:
    async def test_predicted_values_order_the_inputs(self, server, gallery: Gallery) -> None:
        for concept in (r.Concept(id=CAT, value=1), r.Concept(name="cat", value=1)):
            found = await ranked(server, gallery.account, gallery.app_id, by_concepts(concept))
            scores = dict(found)
            assert scores == pytest.approx({**gallery.cat, **{t: 0.0 for t in TEXTS}})
            assert order(found)[0] == "chelsea"

    async def test_labels_count_1_and_0_and_several_ranks_average(
        self, server, stub, account
    ) -> None:
        await new_app(stub, account, "labels", "Empty")
        labels = {"a": {"x": 1, "y": 1}, "b": {"x": 1}, "c": {"x": 0, "y": 1}, "d": {}}
        for input_id, concepts in labels.items():  # posted in this order: d is the newest
            sent = text_input(input_id, input_id)
            sent.data.concepts.extend(r.Concept(id=c, value=v) for c, v in concepts.items())
            await post(stub, account, "labels", sent)
        x, y = r.Concept(id="x", value=1), r.Concept(id="y", value=1)

        found = await ranked(server, account, "labels", by_concepts(x), by_concepts(y))
        # a: (1 + 1) / 2; b: (1 + 0) / 2; c: (0 + 1) / 2; d: 0. Ties newest first.
        assert found == [("a", 1.0), ("c", 0.5), ("b", 0.5), ("d", 0.0)]
        # Two concepts in one rank: their mean.
        assert await ranked(server, account, "labels", by_concepts(x, y)) == found
        # Value 0: inputs without the concept (or labelled without it) first.
        absent = await ranked(server, account, "labels", by_concepts(r.Concept(id="x", value=0)))
        assert absent == [("d", 1.0), ("c", 1.0), ("b", 0.0), ("a", 0.0)]
        negated = await ranked(server, account, "labels", by_concepts(x, negate=True))
        assert negated == [("d", 1.0), ("c", 1.0), ("b", 0.0), ("a", 0.0)]
        # A concept no input has: every input alike.
        unknown = await ranked(server, account, "labels", by_concepts(r.Concept(id="zz", value=1)))
        assert unknown == [("d", 0.0), ("c", 0.0), ("b", 0.0), ("a", 0.0)]
        assert await ranked(server, account, "labels", by_concepts(x), limit=2) == [
            ("b", 1.0),
            ("a", 1.0),
        ]

    async def test_a_model_version_counts_only_its_annotations(
        self, server, gallery: Gallery
    ) -> None:
        cat = r.Concept(id=CAT, value=1)
        general = "aa7f35c01e0642fda5cf400f543e7c40"
        found = dict(
            await ranked(server, gallery.account, gallery.app_id, by_concepts(cat, version=general))
        )
        assert found["chelsea"] == pytest.approx(gallery.cat["chelsea"])
        other = dict(
            await ranked(server, gallery.account, gallery.app_id, by_concepts(cat, version="other"))
        )
        assert set(other.values()) == {0.0}

    async def test_avg_concept_brute_force_ranks_by_the_labelled_inputs_vectors(
        self, server, stub, gallery: Gallery
    ) -> None:
        res = await stub.PostAnnotations(
            s.PostAnnotationsRequest(
                user_app_id=app_of(gallery.account, gallery.app_id),
                annotations=[
                    r.Annotation(
                        input_id="coffee", data=r.Data(concepts=[r.Concept(id="drink", value=1)])
                    )
                ],
            ),
            metadata=gallery.account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        found = await ranked(
            server,
            gallery.account,
            gallery.app_id,
            by_concepts(r.Concept(id="drink", value=1)),
            algorithm="avg_concept_brute_force",
        )
        # One labelled input: its own vector is the query.
        assert found[0] == ("coffee", pytest.approx(1.0, abs=1e-5))
        assert set(order(found)) == {*IMAGES, "blue"}


class TestRefusals:
    async def test_what_the_base_workflow_lacks_is_named(self, server, stub, account) -> None:
        await new_app(stub, account, "bare", "Empty")
        await post(stub, account, "bare", text_input("t", "some text"))
        image = await refusal(server, account, "bare", by_image(png()))
        assert image.code == sc.SEARCH_INVALID_REQUEST
        assert f"{FIELD}[0].annotation" in image.details
        assert "'Empty'" in image.details and "general-image-embedding" in image.details
        text = await refusal(
            server, account, "bare", by_concepts(r.Concept(id="x", value=1)), by_text("hi")
        )
        assert f"{FIELD}[1].annotation" in text.details
        assert "text-embedder" in text.details and "general-image-recognition" in text.details
        by_id = await refusal(server, account, "bare", by_input("t"))
        assert (
            f"{FIELD}[0].annotation.input_id" in by_id.details and "text-embedder" in by_id.details
        )

    @pytest.mark.parametrize(
        ("rank", "where", "words"),
        [
            (
                r.Rank(annotation=r.Annotation(input_id="x", data=r.Data(text=r.Text(raw="t")))),
                "[0].annotation",
                "one thing",
            ),
            (
                r.Rank(annotation=r.Annotation(data=r.Data(metadata={"k": "v"}))),
                "[0].annotation.data.metadata",
                "orders by",
            ),
            (
                r.Rank(annotation=r.Annotation(user_id="u", input_id="x")),
                "[0].annotation.user_id",
                "orders by",
            ),
            (by_vector([0.1] * 10), "[0].annotation.data.embeddings[0].vector", "10 dimensions"),
            (
                by_concepts(r.Concept(id="x", value=1.5)),
                "[0].annotation.data.concepts[0].value",
                "[0, 1]",
            ),
            (by_concepts(r.Concept(value=1)), "[0].annotation.data.concepts[0]", "id or name"),
            (by_image(b"x", url="http://example.com/a.png"), "[0].annotation.data.image", "one of"),
            (by_concepts(), "[0].annotation", "nothing"),
        ],
    )
    async def test_invalid_ranks_name_the_field(self, server, account, rank, where, words) -> None:
        refused = await refusal(server, account, account.app_id, rank)
        assert refused.code == sc.SEARCH_INVALID_REQUEST, refused
        assert refused.details.startswith(FIELD + where), refused.details
        assert words in refused.details

    async def test_inputs_unknown_or_not_indexed(self, server, stub, gallery: Gallery) -> None:
        missing = await refusal(server, gallery.account, gallery.app_id, by_input("nope"))
        assert missing.code == sc.CONN_DOES_NOT_EXIST and "'nope'" in missing.details
        assert f"{FIELD}[0].annotation.input_id" in missing.details
        await post(stub, gallery.account, gallery.app_id, text_input("fresh", "just added"))
        app = await app_scope(server, gallery.account, gallery.app_id)
        await settled(server, app)
        async with server.db.transaction() as session:  # as before its index job ran
            fresh = (await pks(server, app))["fresh"]
            await session.execute(delete(Embedding).where(Embedding.input_pk == fresh))
        unindexed = await refusal(server, gallery.account, gallery.app_id, by_input("fresh"))
        assert unindexed.code == sc.SEARCH_BY_NOT_FULLY_INDEXED_INPUT, unindexed
        assert "'fresh'" in unindexed.details

    async def test_query_media_that_cannot_be_read(
        self, server, gallery: Gallery, media_server, loopback_allowed
    ) -> None:
        base, _, _ = media_server
        bad = await refusal(server, gallery.account, gallery.app_id, by_image(b"not an image"))
        assert bad.code == sc.INPUT_DOWNLOAD_FAILED
        assert bad.details.startswith(f"{FIELD}[0].annotation.data.image.base64")
        page = await refusal(server, gallery.account, gallery.app_id, by_image(url=f"{base}/page"))
        assert page.code == sc.INPUT_DOWNLOAD_FAILED
        assert page.details.startswith(f"{FIELD}[0].annotation.data.image.url")


# ---- the HNSW index among filtered vectors: recall against brute force ----


async def test_hnsw_recall_at_20_among_filtered_candidates(
    pgvector_side: Side, monkeypatch
) -> None:
    """Clustered 384-d vectors; half of them are candidates; the index (not
    the exact scan) answers, and finds what brute force finds."""
    monkeypatch.setattr(vectors, "EXACT_UP_TO", 100)
    side = pgvector_side
    await new_app(side.stub, side.account, "recall", "Empty")
    n, rng = 1536, np.random.default_rng(7)
    for start in range(0, n, 128):
        batch = [text_input(f"t{i}", f"t{i}") for i in range(start, start + 128)]
        await post(side.stub, side.account, "recall", *batch)
    app = await app_scope(side.server, side.account, "recall")
    by_id = await pks(side.server, app)
    centres = rng.normal(size=(40, vectors.DIMS["text-embedding"]))
    points = centres[rng.integers(0, 40, n)] + 0.35 * rng.normal(size=(n, centres.shape[1]))
    async with side.server.db.transaction() as session:
        from server import indexing  # noqa: PLC0415

        version = await indexing.embedder_version_pk(session, "text-embedding")
        await EmbeddingStorage(session, app).put(
            version,
            {by_id[f"t{i}"]: (p / np.linalg.norm(p)).tolist() for i, p in enumerate(points)},
        )
    await patch_workflow(side.stub, side.account, "recall", "Language-Understanding", True)
    await settled(side.server, app)

    calls: list[bool] = []
    search = EmbeddingStorage.nearest

    async def recorded(self, *args, exact: bool = False, farthest: bool = False):
        calls.append(exact)
        return await search(self, *args, exact=exact, farthest=farthest)

    monkeypatch.setattr(EmbeddingStorage, "nearest", recorded)
    odd = [f"t{i}" for i in range(1, n, 2)]
    hits = 0
    queries = rng.normal(size=(50, centres.shape[1])) * 0.35 + centres[rng.integers(0, 40, 50)]
    for query in queries:
        approx = await ranked(side.server, side.account, "recall", by_vector(query), without=odd)
        exact = await ranked(
            side.server,
            side.account,
            "recall",
            by_vector(query),
            without=odd,
            algorithm="brute_force",
        )
        assert all(int(i[1:]) % 2 == 0 for i in order(approx)) and len(approx) == 20
        hits += len(set(order(approx)) & set(order(exact)))
    assert calls.count(False) == 50, "the index answered each approximate search"
    assert calls.count(True) == 50, "and only brute_force scanned"
    assert hits / (50 * 20) >= 0.95
