"""PostModelOutputs: operators over the data sent with each input, app
inputs by id, per-input statuses, output_config, output ids that feedback
can name; and clarifai/main's built-in models on the committed images."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image

from server import bootstrap, main_app
from server.ids import new_id
from storage import model_outputs as output_store
from tests.helpers import add_model, app_of, png

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "images"


def concepts_input(*pairs: tuple[str, float], **data: Any) -> r.Input:
    return r.Input(
        data=r.Data(concepts=[r.Concept(id=i, name=i, value=v) for i, v in pairs], **data)
    )


def predict_request(
    account, model_id: str, *inputs: r.Input, **kw: Any
) -> s.PostModelOutputsRequest:
    return s.PostModelOutputsRequest(
        user_app_id=app_of(account), model_id=model_id, inputs=inputs, **kw
    )


def output_config(**config: Any) -> r.Model:
    return r.Model(
        model_version=r.ModelVersion(
            output_info=r.OutputInfo(output_config=r.OutputConfig(**config))
        )
    )


def values(output: r.Output) -> dict[str, float]:
    return {c.id: round(c.value, 4) for c in output.data.concepts}


THRESHOLDS = {
    "data": {"concepts": [{"id": "cat", "value": 0.5}, {"id": "dog", "value": 0.5}]},
}


class TestConceptThresholder:
    @pytest.mark.parametrize(
        ("kind", "kept"),
        [(1, {"cat"}), (2, {"cat", "dog"}), (3, set()), (4, {"dog"}), (5, {"dog"})],
    )
    async def test_comparisons(self, server, stub, account, kind, kept):
        info = dict(THRESHOLDS, params={"concept_threshold_type": kind})
        await add_model(server, account, "threshold", "concept-thresholder", output_info=info)
        inp = concepts_input(("cat", 0.9), ("dog", 0.5), ("bird", 0.99))
        res = await stub.PostModelOutputs(
            predict_request(account, "threshold", inp), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert set(values(res.outputs[0])) == kept

    async def test_over_both_edges(self, server, transport, account):
        info = dict(THRESHOLDS, params={"concept_threshold_type": "GREATER_THAN"})
        await add_model(server, account, "threshold", "concept-thresholder", output_info=info)
        inp = concepts_input(("cat", 0.9), ("dog", 0.2))
        res = await transport.call(
            "PostModelOutputs", predict_request(account, "threshold", inp), account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        [out] = res.outputs
        assert values(out) == {"cat": 0.9}
        assert out.status.code == sc.SUCCESS and len(out.id) == 32
        assert out.model.id == "threshold" and out.model.app_id == account.app_id

    async def test_bad_threshold_type(self, server, stub, account):
        info = dict(THRESHOLDS, params={"concept_threshold_type": 9})
        await add_model(server, account, "threshold", "concept-thresholder", output_info=info)
        res = await stub.PostModelOutputs(
            predict_request(account, "threshold", concepts_input(("cat", 1))),
            metadata=account.key_md,
        )
        assert res.status.code == sc.MODEL_INVALID_ARGUMENT
        assert "concept_threshold_type" in res.status.details


class TestOutputConfig:
    async def _predict(self, server, stub, account, **config):
        model_id = f"s{new_id()[:8]}"
        await add_model(
            server, account, model_id, "random-sample", output_info={"params": {"keep_fraction": 1}}
        )
        inp = concepts_input(*((f"c{n}", n / 100) for n in range(1, 41)))
        model = output_config(**config) if config else r.Model()
        res = await stub.PostModelOutputs(
            predict_request(account, model_id, inp, model=model), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        return list(res.outputs[0].data.concepts)

    async def test_default_twenty_best(self, server, stub, account):
        got = await self._predict(server, stub, account)
        assert [c.id for c in got] == [f"c{n}" for n in range(40, 20, -1)]

    async def test_max_concepts_and_min_value(self, server, stub, account):
        got = await self._predict(server, stub, account, max_concepts=3, min_value=0.05)
        assert [c.id for c in got] == ["c40", "c39", "c38"]
        got = await self._predict(server, stub, account, max_concepts=30, min_value=0.35)
        assert [c.id for c in got] == ["c40", "c39", "c38", "c37", "c36", "c35"]

    async def test_select_concepts_by_id_or_name(self, server, stub, account):
        select = [r.Concept(id="c2"), r.Concept(name="c7")]
        got = await self._predict(server, stub, account, select_concepts=select, min_value=0.5)
        assert sorted(c.id for c in got) == ["c2", "c7"]

    async def test_max_concepts_capped(self, server, stub, account):
        await add_model(server, account, "sample", "random-sample")
        res = await stub.PostModelOutputs(
            predict_request(
                account, "sample", concepts_input(("a", 1)), model=output_config(max_concepts=500)
            ),
            metadata=account.key_md,
        )
        assert res.status.code == sc.MODEL_INVALID_ARGUMENT and "max_concepts" in res.status.details


class TestOperators:
    async def test_random_sample(self, server, stub, account):
        await add_model(
            server, account, "none", "random-sample", output_info={"params": {"keep_fraction": 0}}
        )
        res = await stub.PostModelOutputs(
            predict_request(account, "none", concepts_input(("a", 1))), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS and not res.outputs[0].data.concepts

    async def test_regex_classifier(self, server, stub, account):
        info = {
            "params": {"regex": r"\bdogs?\b"},
            "data": {"concepts": [{"id": "dog", "name": "Dog"}]},
        }
        await add_model(server, account, "regex", "regex-based-classifier", output_info=info)
        texts = [r.Input(data=r.Data(text=r.Text(raw=t))) for t in ("two dogs", "a cat")]
        res = await stub.PostModelOutputs(
            predict_request(account, "regex", *texts), metadata=account.key_md
        )
        assert [values(o) for o in res.outputs] == [{"dog": 1.0}, {}]
        assert res.outputs[0].data.concepts[0].name == "Dog"

    async def test_object_counter(self, server, stub, account):
        await add_model(server, account, "count", "object-counter")
        regions = [
            r.Region(
                region_info=r.RegionInfo(
                    bounding_box=r.BoundingBox(
                        top_row=0.1, left_col=0.1, bottom_row=0.5, right_col=0.5
                    )
                )
            )
        ] * 3
        res = await stub.PostModelOutputs(
            predict_request(account, "count", r.Input(data=r.Data(regions=regions))),
            metadata=account.key_md,
        )
        assert res.outputs[0].data.metadata["object_count"] == 3

    async def test_synonym_mapper(self, server, stub, account):
        md = account.md()
        concepts = [r.Concept(id=i) for i in ("puppy", "dog", "hound")]
        await stub.PostConcepts(
            s.PostConceptsRequest(user_app_id=app_of(account), concepts=concepts), metadata=md
        )
        rels = [
            r.ConceptRelation(object_concept=r.Concept(id=o), predicate="synonym")
            for o in ("dog", "hound")
        ]
        res = await stub.PostConceptRelations(
            s.PostConceptRelationsRequest(
                user_app_id=app_of(account), concept_id="puppy", concept_relations=rels
            ),
            metadata=md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        await add_model(server, account, "mapper", "concept-synonym-mapper")
        res = await stub.PostModelOutputs(
            predict_request(
                account, "mapper", concepts_input(("dog", 0.8)), concepts_input(("puppy", 0.6))
            ),
            metadata=md,
        )
        assert [values(o) for o in res.outputs] == [{"puppy": 0.8}, {"dog": 0.6, "hound": 0.6}]

    async def test_image_crop_and_a_bad_url(
        self, server, stub, account, media_server, loopback_allowed
    ):
        base, _, _ = media_server
        await add_model(server, account, "crop", "image-crop")
        box = r.BoundingBox(top_row=0.0, left_col=0.0, bottom_row=0.5, right_col=1.0)
        region = r.Region(id="r1", region_info=r.RegionInfo(bounding_box=box))
        good = r.Input(data=r.Data(image=r.Image(url=f"{base}/truck.png"), regions=[region]))
        inline = r.Input(data=r.Data(image=r.Image(base64=png(10, 20, "red")), regions=[region]))
        bad = r.Input(data=r.Data(image=r.Image(url=f"{base}/missing.png"), regions=[region]))
        res = await stub.PostModelOutputs(
            predict_request(account, "crop", good, inline, bad), metadata=account.key_md
        )
        assert res.status.code == sc.MIXED_STATUS, res.status
        first, second, third = res.outputs
        assert first.status.code == second.status.code == sc.SUCCESS
        with Image.open(io.BytesIO(second.data.regions[0].data.image.base64)) as cropped:
            assert cropped.size == (10, 10) and cropped.getpixel((5, 5))[:3] == (255, 0, 0)
        assert first.data.regions[0].id == "r1" and first.input.data.image.url.endswith("truck.png")
        assert third.status.code == sc.INPUT_DOWNLOAD_FAILED
        assert "404" in third.status.details and third.id

    async def test_all_inputs_failing(
        self, server, transport, account, media_server, loopback_allowed
    ):
        base, _, _ = media_server
        await add_model(server, account, "crop", "image-crop")
        bad = r.Input(data=r.Data(image=r.Image(url=f"{base}/missing.png")))
        res = await transport.call(
            "PostModelOutputs", predict_request(account, "crop", bad, bad), account.key_md
        )
        assert res.status.code == sc.FAILURE
        assert [o.status.code for o in res.outputs] == [sc.INPUT_DOWNLOAD_FAILED] * 2

    async def test_annotation_writer(self, server, stub, account):
        md = account.key_md
        posted = await stub.PostInputs(
            s.PostInputsRequest(
                user_app_id=app_of(account),
                inputs=[r.Input(id="t1", data=r.Data(text=r.Text(raw="hi")))],
            ),
            metadata=md,
        )
        assert posted.status.code == sc.SUCCESS, posted.status
        info = {"params": {"annotation_status": sc.ANNOTATION_PENDING}}
        version = await add_model(server, account, "writer", "annotation-writer", output_info=info)
        app_input = r.Input(id="t1", data=r.Data(concepts=[r.Concept(id="greeting", value=1)]))
        res = await stub.PostModelOutputs(
            predict_request(account, "writer", app_input, concepts_input(("x", 1))), metadata=md
        )
        assert res.status.code == sc.MIXED_STATUS
        assert res.outputs[1].status.code == sc.INPUT_INVALID_ARGUMENT
        listed = await stub.ListAnnotations(
            s.ListAnnotationsRequest(
                user_app_id=app_of(account), input_ids=["t1"], list_all_annotations=True
            ),
            metadata=md,
        )
        written = [
            a for a in listed.annotations if a.model_version_id == version or a.data.concepts
        ]
        assert any(
            a.status.code == sc.ANNOTATION_PENDING and a.data.concepts[0].id == "greeting"
            for a in written
        ), listed

    async def test_app_input_by_id(self, server, stub, account):
        md = account.key_md
        await stub.PostInputs(
            s.PostInputsRequest(
                user_app_id=app_of(account),
                inputs=[r.Input(id="t2", data=r.Data(text=r.Text(raw="big dog")))],
            ),
            metadata=md,
        )
        info = {"params": {"regex": "dog"}, "data": {"concepts": [{"id": "dog"}]}}
        await add_model(server, account, "regex", "regex-based-classifier", output_info=info)
        res = await stub.PostModelOutputs(
            predict_request(account, "regex", r.Input(id="t2"), r.Input(id="nope")), metadata=md
        )
        assert res.status.code == sc.MIXED_STATUS
        assert values(res.outputs[0]) == {"dog": 1.0} and res.outputs[0].input.id == "t2"
        assert res.outputs[1].status.code == sc.CONN_DOES_NOT_EXIST


class TestModels:
    async def test_unknown_model(self, transport, account):
        res = await transport.call(
            "PostModelOutputs",
            predict_request(account, "nothing", concepts_input(("a", 1))),
            account.key_md,
            http_status=404,
        )
        assert res.status.code == sc.MODEL_DOES_NOT_EXIST
        assert res.status.description == "Model does not exist" and "nothing" in res.status.details

    async def test_unknown_version(self, server, stub, account):
        await add_model(server, account, "sample", "random-sample")
        res = await stub.PostModelOutputs(
            predict_request(account, "sample", concepts_input(("a", 1)), version_id="v9"),
            metadata=account.key_md,
        )
        assert res.status.code == sc.MODEL_DOES_NOT_EXIST and "v9" in res.status.details

    async def test_untrained(self, server, stub, account):
        await add_model(
            server,
            account,
            "queued",
            "embedding-classifier",
            runtime="x",
            status=sc.MODEL_QUEUED_FOR_TRAINING,
        )
        res = await stub.PostModelOutputs(
            predict_request(account, "queued", concepts_input(("a", 1))), metadata=account.key_md
        )
        assert res.status.code == sc.MODEL_QUEUED_FOR_TRAINING
        assert res.status.description == "Model is currently in queue for training"

    async def test_inputs_required_and_limited(self, stub, account):
        res = await stub.PostModelOutputs(predict_request(account, "m"), metadata=account.key_md)
        assert res.status.code == sc.PREDICT_INVALID_REQUEST and "inputs" in res.status.details
        many = [concepts_input(("a", 1))] * 129
        res = await stub.PostModelOutputs(
            predict_request(account, "m", *many), metadata=account.key_md
        )
        assert res.status.code != sc.SUCCESS and "128" in res.status.details


class TestOutputIdsForFeedback:
    async def _feedback(self, stub, account, model_id: str, output_id: str, version_id: str = ""):
        request = s.PostModelFeedbackRequest(
            user_app_id=app_of(account),
            model_id=model_id,
            version_id=version_id,
            input=r.Input(
                data=r.Data(concepts=[r.Concept(id="cat", value=1)]),
                feedback_info=r.FeedbackInfo(event_type=r.annotation, output_id=output_id),
            ),
        )
        return await stub.PostModelFeedback(request, metadata=account.key_md)

    async def test_feedback_names_produced_outputs_only(self, server, stub, account):
        version = await add_model(server, account, "sample", "random-sample")
        await add_model(server, account, "other", "random-sample")
        res = await stub.PostModelOutputs(
            predict_request(account, "sample", concepts_input(("cat", 1))), metadata=account.key_md
        )
        output_id = res.outputs[0].id
        assert (await self._feedback(stub, account, "sample", output_id)).status.code == sc.SUCCESS
        ok = await self._feedback(stub, account, "sample", output_id, version)
        assert ok.status.code == sc.SUCCESS
        for model_id, oid, vid in (
            ("other", output_id, ""),
            ("sample", new_id(), ""),
            ("sample", output_id, "v2"),
        ):
            res = await self._feedback(stub, account, model_id, oid, vid)
            assert res.status.code == sc.CONN_DOES_NOT_EXIST, res.status
            assert (
                "input.feedback_info.output_id" in res.status.details and oid in res.status.details
            )

    async def test_expired_outputs_are_forgotten(self, server, stub, account):
        await add_model(server, account, "sample", "random-sample")
        res = await stub.PostModelOutputs(
            predict_request(account, "sample", concepts_input(("cat", 1))), metadata=account.key_md
        )
        async with server.db.transaction() as session:
            assert await output_store.drop_older(session, 1) == 0
            assert await output_store.drop_older(session, -1) >= 1
        res = await self._feedback(stub, account, "sample", res.outputs[0].id)
        assert res.status.code == sc.CONN_DOES_NOT_EXIST


# ---- clarifai/main's built-in models (the inference package) ----


@pytest.fixture
async def main_account(server):
    """Credentials of clarifai/main's owner (until every caller may read it)."""
    info = await bootstrap.create(server.db, user_id=main_app.USER_ID, app_id=main_app.APP_ID)
    return info


def _main(info, model_id: str, *inputs: r.Input, **kw: Any) -> s.PostModelOutputsRequest:
    return s.PostModelOutputsRequest(
        user_app_id=r.UserAppIDSet(user_id=info["user_id"], app_id=info["app_id"]),
        model_id=model_id,
        inputs=inputs,
        **kw,
    )


def _image(name: str) -> r.Input:
    return r.Input(data=r.Data(image=r.Image(base64=(FIXTURES / name).read_bytes())))


def _drawn(shape: str, color: str) -> r.Input:
    from PIL import ImageDraw

    img = Image.new("RGB", (224, 224), "white")
    draw = ImageDraw.Draw(img)
    (draw.rectangle if shape == "square" else draw.ellipse)((40, 40, 184, 184), fill=color)
    buffer = io.BytesIO()
    img.save(buffer, "PNG")
    return r.Input(data=r.Data(image=r.Image(base64=buffer.getvalue())))


class TestBuiltins:
    async def test_general_model_on_fixtures(self, stub, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        request = _main(
            main_account, "general-image-recognition", _image("chelsea.jpg"), _image("coffee.jpg")
        )
        res = await stub.PostModelOutputs(request, metadata=md)
        assert res.status.code == sc.SUCCESS, res.status
        cat, coffee = ({c.name for c in o.data.concepts} for o in res.outputs)
        assert "cat" in cat and len(res.outputs[0].data.concepts) == 20
        assert {"espresso", "cup", "coffee mug"} & coffee, coffee

    async def test_red_square_differs_from_blue_circle(self, stub, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        request = _main(
            main_account,
            "aaa03c23b3724a16a56b629203edc62c",
            _drawn("square", "red"),
            _drawn("circle", "blue"),
            model=output_config(max_concepts=3),
        )
        res = await stub.PostModelOutputs(request, metadata=md)
        square, circle = ([c.id for c in o.data.concepts] for o in res.outputs)
        assert len(square) == 3 and square != circle

    async def test_bad_bytes_among_good(self, stub, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        junk = r.Input(data=r.Data(image=r.Image(base64=b"not an image")))
        res = await stub.PostModelOutputs(
            _main(main_account, "general-image-recognition", _image("chelsea.jpg"), junk),
            metadata=md,
        )
        assert res.status.code == sc.MIXED_STATUS
        assert res.outputs[1].status.code == sc.INPUT_DOWNLOAD_FAILED

    async def test_select_concepts_unknown(self, stub, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        request = _main(
            main_account,
            "general-image-recognition",
            _image("chelsea.jpg"),
            model=output_config(select_concepts=[r.Concept(name="no-such-concept")]),
        )
        res = await stub.PostModelOutputs(request, metadata=md)
        assert res.status.code == sc.MODEL_INVALID_ARGUMENT

    async def test_text_embedder(self, transport, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        text = r.Input(data=r.Data(text=r.Text(raw="a man eating food")))
        res = await transport.call(
            "PostModelOutputs", _main(main_account, "text-embedder", text), md
        )
        assert res.status.code == sc.SUCCESS, res.status
        [embedding] = res.outputs[0].data.embeddings
        assert embedding.num_dimensions == 384 and len(embedding.vector) == 384

    async def test_faces_on_the_astronaut(self, stub, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        res = await stub.PostModelOutputs(
            _main(main_account, "face-detection", _image("astronaut.jpg")), metadata=md
        )
        assert res.status.code == sc.SUCCESS, res.status
        regions = res.outputs[0].data.regions
        assert regions and all(g.data.concepts[0].name == "face" for g in regions)
        box = regions[0].region_info.bounding_box
        assert 0 <= box.top_row < box.bottom_row <= 1 and 0 <= box.left_col < box.right_col <= 1

    async def test_video_frames(self, stub, main_account, tmp_path):
        import cv2  # noqa: PLC0415  (only this test writes a video)
        import numpy  # noqa: PLC0415

        path = str(tmp_path / "clip.avi")
        writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 64))
        for n in range(30):
            frame = numpy.zeros((64, 64, 3), numpy.uint8)
            frame[:, :, 2 if n < 15 else 0] = 255
            writer.write(frame)
        writer.release()
        video = r.Input(data=r.Data(video=r.Video(base64=Path(path).read_bytes())))
        md = (("authorization", f"Key {main_account['pat']}"),)
        request = _main(
            main_account,
            "general-image-recognition",
            video,
            model=output_config(sample_ms=1000, max_concepts=5),
        )
        res = await stub.PostModelOutputs(request, metadata=md)
        assert res.status.code == sc.SUCCESS, res.status
        frames = res.outputs[0].data.frames
        assert [f.frame_info.time for f in frames] == [0, 1000, 2000]
        assert all(len(f.data.concepts) == 5 for f in frames)

    async def test_ocr_reads_drawn_text(self, stub, main_account):
        from PIL import ImageDraw, ImageFont

        img = Image.new("RGB", (480, 120), "white")
        ImageDraw.Draw(img).text(
            (20, 30), "Hello Clarifai", fill="black", font=ImageFont.load_default(size=48)
        )
        buffer = io.BytesIO()
        img.save(buffer, "PNG")
        md = (("authorization", f"Key {main_account['pat']}"),)
        drawn = r.Input(data=r.Data(image=r.Image(base64=buffer.getvalue())))
        res = await stub.PostModelOutputs(
            _main(main_account, "ocr-scene-english-paddleocr", drawn), metadata=md
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert "Clarifai" in " ".join(g.data.text.raw for g in res.outputs[0].data.regions)

    async def test_language_and_moderation(self, stub, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        texts = [
            r.Input(data=r.Data(text=r.Text(raw=t)))
            for t in ("the weather is lovely today", "das Wetter ist heute schön")
        ]
        res = await stub.PostModelOutputs(
            _main(main_account, "language-identification", *texts), metadata=md
        )
        assert [o.data.concepts[0].id for o in res.outputs] == ["en", "de"]
        res = await stub.PostModelOutputs(
            _main(main_account, "nsfw-recognition", _image("chelsea.jpg")), metadata=md
        )
        assert values(res.outputs[0])["sfw"] > 0.9

    async def test_image_to_a_text_model(self, stub, main_account):
        md = (("authorization", f"Key {main_account['pat']}"),)
        res = await stub.PostModelOutputs(
            _main(main_account, "text-embedder", _image("chelsea.jpg")), metadata=md
        )
        assert res.status.code == sc.FAILURE
        assert (
            res.outputs[0].status.code == sc.INPUT_INVALID_ARGUMENT
            and "text" in res.outputs[0].status.details
        )


async def test_trained_text_classifier(server, stub, account):
    """A version trained by server/classifiers predicts over its embedder's vectors."""
    import numpy

    from server import classifiers, inference

    texts = [
        "I love it",
        "what a wonderful day",
        "great food",
        "terrible service",
        "awful weather",
        "I hate it",
    ]
    data = classifiers.Data(
        input_ids=[str(n) for n in range(6)],
        vectors=inference.embed_texts(texts),
        labels=numpy.array([[True, False]] * 3 + [[False, True]] * 3),
        concept_ids=["pos", "neg"],
        concept_names=["positive", "negative"],
    )
    head = classifiers.fit(data, classifiers.params({}, {}), "text-embedding")
    await add_model(
        server, account, "sentiment", "text-classifier", artifact=classifiers.dumps(head)
    )
    new = [
        r.Input(data=r.Data(text=r.Text(raw=t)))
        for t in ("lovely, I love this", "horrible, I hate this")
    ]
    res = await stub.PostModelOutputs(
        predict_request(account, "sentiment", *new), metadata=account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert [o.data.concepts[0].id for o in res.outputs] == ["pos", "neg"]
    assert {c.name for c in res.outputs[0].data.concepts} == {"positive", "negative"}


async def test_any_caller_predicts_with_clarifai_main_and_names_the_output(stub, account):
    """clarifai/main is public: a user's PAT predicts with it, and feedback in
    the user's own app names the output it got."""
    request = s.PostModelOutputsRequest(
        user_app_id=r.UserAppIDSet(user_id=main_app.USER_ID, app_id=main_app.APP_ID),
        model_id="general-image-recognition",
        inputs=[_image("chelsea.jpg")],
    )
    res = await stub.PostModelOutputs(request, metadata=account.md())
    assert res.status.code == sc.SUCCESS, res.status
    assert res.outputs[0].model.app_id == "main" and res.outputs[0].model.user_id == "clarifai"
    feedback = s.PostModelFeedbackRequest(
        user_app_id=app_of(account),
        model_id="general-image-recognition",
        input=r.Input(
            data=r.Data(concepts=[r.Concept(id=res.outputs[0].data.concepts[0].id, value=1)]),
            feedback_info=r.FeedbackInfo(event_type=r.annotation, output_id=res.outputs[0].id),
        ),
    )
    assert (await stub.PostModelFeedback(feedback, metadata=account.md())).status.code == sc.SUCCESS
