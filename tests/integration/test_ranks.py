"""Search ranks (server/ranks.py) through PostInputsSearches over gRPC and
REST, on the real models: concept ranks by labels and predicted values,
image, input and vector similarity, text ranks, negation, several ranks,
filters and apps bounding what ranks, and refusals. The inputs, labels
and predictions are made through the API; expected orders are read from
what the API shows (ListAnnotations) or stated by hand."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import struct_pb2
from PIL import Image
from sqlalchemy import delete, text

from server import bootstrap, indexing, vectors
from storage.embeddings import Embedding, EmbeddingStorage
from tests.conftest import Account
from tests.helpers import app_of, app_scope, png
from tests.integration.conftest import Side
from tests.integration.test_indexing import (
    CAT,
    GENERAL_VERSION,
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
Metric = r.Search.Metric


# ---- searching ----


def search_request(
    account: Account,
    app_id: str,
    *ranks: r.Rank,
    filters: Sequence[r.Filter] = (),
    per_page: int = 50,
    **search,
) -> s.PostInputsSearchesRequest:
    query = r.Query(ranks=list(ranks), filters=list(filters))
    return s.PostInputsSearchesRequest(
        user_app_id=app_of(account, app_id),
        searches=[r.Search(query=query, **search)],
        pagination=s.Pagination(per_page=per_page),
    )


async def searched(transport, account: Account, app_id: str, *ranks: r.Rank, **kw):
    """The hits of a search of the app by these ranks, as (input id, score)."""
    res = await transport.call(
        "PostInputsSearches", search_request(account, app_id, *ranks, **kw), account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert {h.app_id for h in res.hits} <= {app_id}, "another app's input"
    return [(h.input.id, h.score) for h in res.hits]


def nearest_calls(monkeypatch) -> list[bool]:
    """Whether each nearest-neighbour query from now on computed every
    distance (True) or asked the HNSW index (False), in order."""
    calls: list[bool] = []
    search = EmbeddingStorage.nearest

    async def recorded(self, *args, exact: bool = False, farthest: bool = False, **kw):
        calls.append(exact)
        return await search(self, *args, exact=exact, farthest=farthest, **kw)

    monkeypatch.setattr(EmbeddingStorage, "nearest", recorded)
    return calls


async def refused(transport, account: Account, app_id: str, *ranks: r.Rank, **kw):
    """The status of a search that fails (no hits, no search id)."""
    res = await transport.call(
        "PostInputsSearches", search_request(account, app_id, *ranks, **kw), account.md()
    )
    assert res.status.code != sc.SUCCESS and not res.hits and not res.id, res
    return res.status


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


def kind_is(value: str) -> r.Filter:
    """A filter on the inputs' metadata `kind`."""
    metadata = struct_pb2.Struct()
    metadata.update({"kind": value})
    return r.Filter(annotation=r.Annotation(data=r.Data(metadata=metadata)))


def near_copy(name: str) -> bytes:
    """The fixture image cropped by a tenth on each side and scaled down."""
    img = Image.open(io.BytesIO(fixture_image(name))).convert("RGB")
    w, h = img.size
    img = img.crop((w // 10, h // 10, w - w // 10, h - h // 10)).resize((160, 160))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


# ---- a gallery: images and texts indexed by Universal ----

IMAGES = ("astronaut", "chelsea", "coffee", "blue")
TEXTS = {
    "cat-text": "a cat sleeps on the mat",
    "stocks": "stock prices fell sharply on the exchange today",
    "recipe": "mix two cups of flour with a spoon of sugar",
}
KINDS = {"astronaut": "photo", "chelsea": "photo", "coffee": "drink"}


@dataclass
class Gallery:
    account: Account
    app_id: str
    # The general model's predicted value of "cat" on each image, as
    # ListAnnotations shows it (0 where it is not among the kept concepts).
    cat: dict[str, float]


@pytest.fixture(scope="module")
async def gallery(server, stub) -> Gallery:
    account = Account(**await bootstrap.create(server.db))
    await new_app(stub, account, "gallery")  # Universal
    images = [image_input(i, fixture_image(f"{i}.jpg")) for i in KINDS]
    for sent in images:
        sent.data.metadata.update({"kind": KINDS[sent.id]})
    blue = image_input("blue", png(5, 7, "blue"))  # the media_server's images
    texts = [text_input(i, raw) for i, raw in TEXTS.items()]
    await post(stub, account, "gallery", *images, blue, *texts)
    await settled(server, await app_scope(server, account, "gallery"))
    res = await stub.ListAnnotations(
        s.ListAnnotationsRequest(user_app_id=app_of(account, "gallery"), list_all_annotations=True),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    cat = dict.fromkeys(IMAGES, 0.0)
    for a in res.annotations:
        if a.model_version_id:
            cat[a.input_id] = next((c.value for c in a.data.concepts if c.id == CAT), 0.0)
    return Gallery(account, "gallery", cat)


class TestSimilarity:
    @pytest.mark.parametrize("metric", [Metric.COSINE_DISTANCE, Metric.EUCLIDEAN_DISTANCE])
    @pytest.mark.parametrize("algorithm", ["nearest_neighbor", "brute_force"])
    async def test_a_near_duplicate_image_comes_first(
        self, transport, gallery: Gallery, metric, algorithm: str
    ) -> None:
        found = await searched(
            transport,
            gallery.account,
            gallery.app_id,
            by_image(near_copy("chelsea.jpg")),
            metric=metric,
            algorithm=algorithm,
        )
        # Images only (texts have no image vector), best first, in [0, 1].
        assert order(found)[0] == "chelsea"
        assert set(order(found)) == set(IMAGES)
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True) and 0.0 <= scores[-1] <= scores[0] <= 1.0

    async def test_an_image_url_is_downloaded(
        self, transport, gallery: Gallery, media_server, loopback_allowed
    ) -> None:
        base, _, hits = media_server
        url = f"{base}/n/{transport.name}.png"
        found = await searched(transport, gallery.account, gallery.app_id, by_image(url=url))
        assert hits == {transport.name: 1}
        assert found[0] == ("blue", pytest.approx(1.0, abs=1e-5))

    async def test_negate_puts_the_farthest_first(self, transport, gallery: Gallery) -> None:
        query = near_copy("chelsea.jpg")
        near = await searched(transport, gallery.account, gallery.app_id, by_image(query))
        far = await searched(
            transport, gallery.account, gallery.app_id, by_image(query, negate=True)
        )
        assert order(far) == order(near)[::-1]
        assert [score for _, score in far] == pytest.approx(
            [1 - v for _, v in near[::-1]], abs=1e-6
        )

    async def test_an_input_ranks_its_own_medium_itself_first(
        self, transport, gallery: Gallery
    ) -> None:
        image = await searched(transport, gallery.account, gallery.app_id, by_input("chelsea"))
        assert image[0] == ("chelsea", pytest.approx(1.0, abs=1e-5))
        assert set(order(image)) == set(IMAGES)
        text = await searched(transport, gallery.account, gallery.app_id, by_input("stocks"))
        assert text[0] == ("stocks", pytest.approx(1.0, abs=1e-5))
        assert set(order(text)) == set(TEXTS)

    async def test_a_vector_ranks_by_its_embedder(self, transport, stub, gallery: Gallery) -> None:
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
        found = await searched(transport, gallery.account, gallery.app_id, by_vector(vector))
        assert found[0] == ("coffee", pytest.approx(1.0, abs=1e-4))

    async def test_the_paraphrase_comes_first_among_texts(
        self, transport, gallery: Gallery
    ) -> None:
        query = by_text("a kitten is napping on the rug")
        found = await searched(transport, gallery.account, gallery.app_id, query)
        texts = [i for i in order(found) if i in TEXTS]
        assert texts[0] == "cat-text" and set(texts) == set(TEXTS)

    async def test_a_text_reaches_images_through_the_concepts_it_names(
        self, transport, gallery: Gallery
    ) -> None:
        found = dict(await searched(transport, gallery.account, gallery.app_id, by_text("a cat")))
        # Each image scores its predicted "cat", the one concept "a cat" names.
        for image, value in gallery.cat.items():
            assert found[image] == pytest.approx(value, abs=1e-6)
        assert gallery.cat["chelsea"] > 0.5 > gallery.cat["coffee"]

    async def test_filters_and_other_apps_bound_what_ranks(
        self, transport, stub, server, gallery: Gallery
    ) -> None:
        query = by_image(near_copy("coffee.jpg"))
        found = await searched(
            transport, gallery.account, gallery.app_id, query, filters=[kind_is("photo")]
        )
        assert set(order(found)) == {"astronaut", "chelsea"}
        # Another app holding the same image is never ranked here.
        twin = f"twin-{transport.name}"
        await new_app(stub, gallery.account, twin)
        await post(
            stub, gallery.account, twin, image_input("coffee-twin", fixture_image("coffee.jpg"))
        )
        await settled(server, await app_scope(server, gallery.account, twin))
        found = await searched(transport, gallery.account, gallery.app_id, query)
        assert set(order(found)) == set(IMAGES)
        concepts = await searched(
            transport, gallery.account, gallery.app_id, by_concepts(r.Concept(id=CAT, value=1))
        )
        assert set(order(concepts)) == {*IMAGES, *TEXTS}
        found = await searched(transport, gallery.account, twin, query)
        assert order(found) == ["coffee-twin"]

    async def test_the_index_ranks_this_apps_vectors_alone(
        self, transport, stub, server, gallery: Gallery, monkeypatch
    ) -> None:
        # Unfiltered, a search names no candidate set: the HNSW index, which
        # holds every app's vectors, must still keep to this app's.
        monkeypatch.setattr(vectors, "EXACT_UP_TO", 1)
        calls = nearest_calls(monkeypatch)
        twin = f"twin-index-{transport.name}"
        await new_app(stub, gallery.account, twin)
        await post(
            stub, gallery.account, twin, image_input("coffee-twin", fixture_image("coffee.jpg"))
        )
        await settled(server, await app_scope(server, gallery.account, twin))
        # The twin's vector is the same and its input newer: it would come
        # first, and leave no hit on this page, were it ranked here.
        query = by_image(fixture_image("coffee.jpg"))
        found = await searched(transport, gallery.account, gallery.app_id, query, per_page=1)
        assert calls == [False], "the index answered"
        assert order(found) == ["coffee"]


class TestConcepts:
    async def test_predicted_values_order_the_inputs(self, transport, gallery: Gallery) -> None:
        expected = {**gallery.cat, **dict.fromkeys(TEXTS, 0.0)}
        for concept in (r.Concept(id=CAT, value=1), r.Concept(name="Cat", value=1)):
            query = by_concepts(concept)
            found = await searched(transport, gallery.account, gallery.app_id, query)
            assert dict(found) == pytest.approx(expected)
            assert order(found)[0] == "chelsea"

    async def test_labels_count_1_and_0_and_several_ranks_average(
        self, transport, stub, account
    ) -> None:
        app_id = f"labels-{transport.name}"
        await new_app(stub, account, app_id, "Empty")
        labels = {"a": {"x": 1, "y": 1}, "b": {"x": 1}, "c": {"x": 0, "y": 1}, "d": {}}
        for input_id, concepts in labels.items():  # posted in this order: d is the newest
            sent = text_input(input_id, input_id)
            sent.data.concepts.extend(r.Concept(id=c, value=v) for c, v in concepts.items())
            await post(stub, account, app_id, sent)
        x, y = r.Concept(id="x", value=1), r.Concept(id="y", value=1)

        found = await searched(transport, account, app_id, by_concepts(x), by_concepts(y))
        # a: (1 + 1) / 2; b: (1 + 0) / 2; c: (0 + 1) / 2; d: 0. Ties newest first.
        assert found == [("a", 1.0), ("c", 0.5), ("b", 0.5), ("d", 0.0)]
        # Two concepts in one rank: their mean.
        assert await searched(transport, account, app_id, by_concepts(x, y)) == found
        # Value 0: inputs without the concept (or labelled without it) first.
        absent = by_concepts(r.Concept(id="x", value=0))
        assert await searched(transport, account, app_id, absent) == [
            ("d", 1.0),
            ("c", 1.0),
            ("b", 0.0),
            ("a", 0.0),
        ]
        negated = await searched(transport, account, app_id, by_concepts(x, negate=True))
        assert negated == [("d", 1.0), ("c", 1.0), ("b", 0.0), ("a", 0.0)]
        # A concept no input has: every input alike.
        unknown = by_concepts(r.Concept(id="zz", value=1))
        assert await searched(transport, account, app_id, unknown) == [
            ("d", 0.0),
            ("c", 0.0),
            ("b", 0.0),
            ("a", 0.0),
        ]
        assert await searched(transport, account, app_id, by_concepts(x), per_page=2) == [
            ("b", 1.0),
            ("a", 1.0),
        ]

    async def test_a_model_version_counts_only_its_annotations(
        self, transport, gallery: Gallery
    ) -> None:
        cat = r.Concept(id=CAT, value=1)
        general = by_concepts(cat, version=GENERAL_VERSION)
        found = dict(await searched(transport, gallery.account, gallery.app_id, general))
        assert found["chelsea"] == pytest.approx(gallery.cat["chelsea"])
        other = by_concepts(cat, version="other")
        found = dict(await searched(transport, gallery.account, gallery.app_id, other))
        assert set(found.values()) == {0.0}

    async def test_filters_match_predictions_only_where_the_model_is_named(
        self, transport, gallery: Gallery
    ) -> None:
        def concept_filter(**annotation) -> r.Filter:
            return r.Filter(
                annotation=r.Annotation(
                    data=r.Data(concepts=[r.Concept(id=CAT, value=1)]), **annotation
                )
            )

        labels = await searched(
            transport, gallery.account, gallery.app_id, filters=[concept_filter()]
        )
        assert labels == []  # the general model predicted "cat"; nobody labelled it
        predicted = await searched(
            transport,
            gallery.account,
            gallery.app_id,
            filters=[concept_filter(model_version_id=GENERAL_VERSION)],
        )
        assert "chelsea" in order(predicted)
        assert {i for i, v in gallery.cat.items() if v > 0} == set(order(predicted))

    async def test_avg_concept_brute_force_ranks_by_the_labelled_inputs_vectors(
        self, transport, stub, gallery: Gallery
    ) -> None:
        label = f"drink-{transport.name}"
        res = await stub.PostAnnotations(
            s.PostAnnotationsRequest(
                user_app_id=app_of(gallery.account, gallery.app_id),
                annotations=[
                    r.Annotation(
                        input_id="coffee", data=r.Data(concepts=[r.Concept(id=label, value=1)])
                    )
                ],
            ),
            metadata=gallery.account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        found = await searched(
            transport,
            gallery.account,
            gallery.app_id,
            by_concepts(r.Concept(id=label, value=1)),
            algorithm="avg_concept_brute_force",
        )
        # One labelled input: its own vector is the query.
        assert found[0] == ("coffee", pytest.approx(1.0, abs=1e-5))
        assert set(order(found)) == set(IMAGES)


class TestRefusals:
    async def test_what_the_base_workflow_lacks_is_named(self, transport, stub, account) -> None:
        app_id = f"bare-{transport.name}"
        await new_app(stub, account, app_id, "Empty")
        await post(stub, account, app_id, text_input("t", "some text"))
        image = await refused(transport, account, app_id, by_image(png()))
        assert image.code == sc.SEARCH_INVALID_REQUEST
        assert image.details.startswith(f"{FIELD}[0].annotation:")
        assert "'Empty'" in image.details and "general-image-embedding" in image.details
        concept = by_concepts(r.Concept(id="x", value=1))
        text = await refused(transport, account, app_id, concept, by_text("hi"))
        assert text.details.startswith(f"{FIELD}[1].annotation:")
        assert "text-embedder" in text.details and "general-image-recognition" in text.details
        by_id = await refused(transport, account, app_id, by_input("t"))
        assert by_id.details.startswith(f"{FIELD}[0].annotation.input_id:")
        assert "text-embedder" in by_id.details

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
            (
                by_concepts(r.Concept(value=1), r.Concept()),
                "[0].annotation.data.concepts[0]",
                "id or name",
            ),
            (
                by_image(b"x", url="http://example.com/a.png"),
                "[0].annotation.data.image",
                "one of",
            ),
        ],
    )
    async def test_invalid_ranks_name_the_field(
        self, transport, account, rank, where, words
    ) -> None:
        status = await refused(transport, account, account.app_id, rank)
        assert status.code == sc.SEARCH_INVALID_REQUEST, status
        assert status.details.startswith(FIELD + where), status.details
        assert words in status.details

    async def test_inputs_unknown_or_not_indexed(
        self, transport, stub, server, gallery: Gallery
    ) -> None:
        missing = await refused(transport, gallery.account, gallery.app_id, by_input("nope"))
        assert missing.code == sc.CONN_DOES_NOT_EXIST and "'nope'" in missing.details
        assert missing.details.startswith(f"{FIELD}[0].annotation.input_id")
        fresh = f"fresh-{transport.name}"
        await post(stub, gallery.account, gallery.app_id, text_input(fresh, "just added"))
        app = await app_scope(server, gallery.account, gallery.app_id)
        await settled(server, app)
        async with server.db.transaction() as session:  # as before its index job ran
            pk = (await pks(server, app))[fresh]
            await session.execute(delete(Embedding).where(Embedding.input_pk == pk))
        unindexed = await refused(transport, gallery.account, gallery.app_id, by_input(fresh))
        assert unindexed.code == sc.SEARCH_BY_NOT_FULLY_INDEXED_INPUT, unindexed
        assert f"'{fresh}'" in unindexed.details

    async def test_query_media_that_cannot_be_read(
        self, transport, gallery: Gallery, media_server, loopback_allowed
    ) -> None:
        base, _, _ = media_server
        bad = await refused(transport, gallery.account, gallery.app_id, by_image(b"not an image"))
        assert bad.code == sc.INPUT_DOWNLOAD_FAILED
        assert bad.details.startswith(f"{FIELD}[0].annotation.data.image.base64")
        page = by_image(url=f"{base}/page")
        status = await refused(transport, gallery.account, gallery.app_id, page)
        assert status.code == sc.INPUT_DOWNLOAD_FAILED
        assert status.details.startswith(f"{FIELD}[0].annotation.data.image.url")


# ---- the HNSW index among filtered vectors: recall against brute force ----


async def test_hnsw_recall_at_20_among_filtered_candidates(
    pgvector_side: Side, monkeypatch
) -> None:
    """Clustered 384-d vectors of which a filter keeps half: the index (not
    an exact scan) answers nearest_neighbor searches and finds what
    brute_force finds (recall@20)."""
    monkeypatch.setattr(vectors, "EXACT_UP_TO", 100)
    side = pgvector_side
    await new_app(side.stub, side.account, "recall", "Empty")
    n, clusters, rng = 1536, 40, np.random.default_rng(7)
    for start in range(0, n, 128):
        batch = [text_input(f"t{i}", f"t{i}") for i in range(start, start + 128)]
        for sent in batch:
            sent.data.metadata.update({"kind": "even" if int(sent.id[1:]) % 2 == 0 else "odd"})
        await post(side.stub, side.account, "recall", *batch)
    app = await app_scope(side.server, side.account, "recall")
    by_id = await pks(side.server, app)
    dims = vectors.DIMS["text-embedding"]
    centres = rng.normal(size=(clusters, dims))
    points = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, dims))
    async with side.server.db.transaction() as session:
        version = await indexing.embedder_version_pk(session, "text-embedding")
        unit = {by_id[f"t{i}"]: (p / np.linalg.norm(p)).tolist() for i, p in enumerate(points)}
        await EmbeddingStorage(session, app).put(version, unit)
    # Language-Understanding embeds texts: every vector is there already.
    await patch_workflow(side.stub, side.account, "recall", "Language-Understanding", True)
    await settled(side.server, app)

    calls = nearest_calls(monkeypatch)

    async def top20(query: np.ndarray, algorithm: str) -> list[str]:
        request = search_request(
            side.account,
            "recall",
            by_vector(query.tolist()),
            filters=[kind_is("even")],
            per_page=20,
            algorithm=algorithm,
        )
        res = await side.stub.PostInputsSearches(request, metadata=side.account.md())
        assert res.status.code == sc.SUCCESS, res.status
        return [h.input.id for h in res.hits]

    queries = centres[rng.integers(0, clusters, 50)] + 0.35 * rng.normal(size=(50, dims))
    found = 0
    for query in queries:
        approx, exact = await top20(query, "nearest_neighbor"), await top20(query, "brute_force")
        assert len(approx) == 20 and all(int(i[1:]) % 2 == 0 for i in approx)
        found += len(set(approx) & set(exact))
    assert calls == [False, True] * 50, "the index answered each nearest_neighbor search"
    assert found / (50 * 20) >= 0.95


async def test_the_index_answers_only_beyond_a_few_vectors(pgvector_side: Side) -> None:
    """Among `more_than` vectors or fewer, a walk of the HNSW index (it
    holds every app's vectors) could pass most of the others: the index
    query answers nothing then (nearest() computes every distance). Its
    settings, sent with it, end with it, in a transaction too."""
    side = pgvector_side
    await new_app(side.stub, side.account, "few", "Empty")
    await post(side.stub, side.account, "few", *[text_input(f"f{i}", f"f{i}") for i in range(5)])
    app = await app_scope(side.server, side.account, "few")
    by_id = await pks(side.server, app)
    dims = vectors.DIMS["text-embedding"]
    points = np.random.default_rng(3).normal(size=(5, dims))
    unit = {by_id[f"f{i}"]: (p / np.linalg.norm(p)).tolist() for i, p in enumerate(points)}
    query = unit[by_id["f0"]]
    async with side.server.db.transaction() as session:
        version = await indexing.embedder_version_pk(session, "text-embedding")
        store = EmbeddingStorage(session, app)
        await store.put(version, unit)
        assert await store.nearest(version, dims, query, 3, more_than=5) == []
        assert await session.scalar(text("SHOW enable_sort")) == "on"
    async with side.server.db.transaction() as session:
        store = EmbeddingStorage(session, app)
        indexed = await store.nearest(version, dims, query, 3, more_than=4)
        exact = await store.nearest(version, dims, query, 3, exact=True)
    assert [pk for pk, *_ in indexed] == [pk for pk, *_ in exact]
    assert indexed[0][0] == by_id["f0"] and indexed[0][1] == pytest.approx(0, abs=1e-6)
