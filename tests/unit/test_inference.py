"""server.inference: the real models on real images (fixtures) and Pillow-drawn ones."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from server import inference
from server.inference import Box, Concept, MediaError

IMAGES = Path(__file__).parent.parent / "fixtures" / "images"


def fixture(name: str) -> bytes:
    return (IMAGES / f"{name}.jpg").read_bytes()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def red_square(offset: int) -> bytes:
    image = Image.new("RGB", (256, 256), "white")
    ImageDraw.Draw(image).rectangle((40 + offset, 40 + offset, 160 + offset, 160 + offset), "red")
    return png(image)


def blue_circle() -> bytes:
    image = Image.new("RGB", (256, 256), "white")
    ImageDraw.Draw(image).ellipse((60, 60, 200, 200), "blue")
    return png(image)


def overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    rows = max(0.0, min(a.bottom_row, b.bottom_row) - max(a.top_row, b.top_row))
    cols = max(0.0, min(a.right_col, b.right_col) - max(a.left_col, b.left_col))
    inter = rows * cols
    area = (a.bottom_row - a.top_row) * (a.right_col - a.left_col)
    area_b = (b.bottom_row - b.top_row) * (b.right_col - b.left_col)
    return inter / (area + area_b - inter)


@pytest.fixture(scope="module")
def photos() -> dict[str, inference.ImageAnalysis]:
    names = ["coffee", "chelsea", "astronaut"]
    return dict(zip(names, inference.analyse_images([fixture(n) for n in names]), strict=True))


def test_coffee_is_espresso(photos: dict[str, inference.ImageAnalysis]) -> None:
    leaves = {c.id for c in inference.general_vocabulary()[:1000]}
    top_leaf = next(c for c in photos["coffee"].concepts if c.id in leaves)
    assert top_leaf.name in {"espresso", "cup", "coffee mug"}


def test_cat_has_cat_classes_and_broad_concepts(
    photos: dict[str, inference.ImageAnalysis],
) -> None:
    concepts = photos["chelsea"].concepts
    leaves = {c.id for c in inference.general_vocabulary()[:1000]}
    top3 = [c.name for c in concepts if c.id in leaves][:3]
    assert any("cat" in name or name == "Egyptian Mau" for name in top3), top3
    by_name = {c.name: c.value for c in concepts}
    assert by_name["cat"] >= 0.5
    assert by_name["animal"] >= 0.9
    assert [c.value for c in concepts] == sorted((c.value for c in concepts), reverse=True)


def test_every_vocabulary_concept_is_output_once() -> None:
    vocabulary = inference.general_vocabulary()
    ids = [c.id for c in vocabulary]
    assert len(ids) == len(set(ids)) > 1000
    assert {c.value for c in vocabulary} == {0.0}
    assert vocabulary[281] == Concept("n02123045", "tabby cat", 0.0)
    names = {c.name for c in vocabulary}
    assert {"dog", "cat", "animal", "vehicle", "food"} <= names
    assert not {"entity", "physical entity", "object", "whole", "artifact"} & names
    (concepts,) = inference.classify_images([red_square(0)])
    assert sorted(c.id for c in concepts) == sorted(ids)


def test_shapes_differ_and_embeddings_rank_by_likeness() -> None:
    images = [red_square(0), red_square(30), blue_circle()]
    concepts = inference.classify_images(images)
    assert concepts[0][0].id != concepts[2][0].id
    vectors = inference.embed_images(images)
    assert vectors.shape == (3, 1280) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_text_embeddings() -> None:
    vectors = inference.embed_texts(["man eating food", "eating bread", "woman playing violin"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    long_text = " ".join(["word"] * 2000)  # beyond the model's length: cut, not an error
    assert inference.embed_texts([long_text]).shape == (1, 384)
    assert inference.embed_texts([]).shape == (0, 384)


def test_face_on_the_astronaut_only() -> None:
    astronaut, cat = inference.detect_faces([fixture("astronaut"), fixture("chelsea")])
    # Eileen Collins' face in the 256 px fixture: about rows 0.12-0.33, cols 0.34-0.55.
    face = Box(0.12, 0.34, 0.33, 0.55)
    assert any(overlap(region.box, face) > 0.5 for region in astronaut)
    region = astronaut[0]
    assert region.concepts[0].id == "face" and 0.5 < region.value <= 1.0
    assert cat == []


def test_text_in_an_image() -> None:
    image = Image.new("RGB", (640, 160), "white")
    font = ImageFont.load_default(size=48)
    ImageDraw.Draw(image).text((30, 50), "Hello Clarifai 2024", fill="black", font=font)
    (regions,) = inference.recognize_text([png(image)])
    text = " ".join(region.text for region in regions)
    assert "Clarifai" in text
    assert all(0.0 <= r.box.top_row < r.box.bottom_row <= 1.0 for r in regions)
    assert all(0.0 < r.value <= 1.0 for r in regions)


def test_languages() -> None:
    found = inference.identify_languages(
        [
            "The weather is lovely today and we are going to the park.",
            "Das Wetter ist heute schön und wir gehen in den Park.",
            "Il fait beau aujourd'hui et nous allons au parc.",
        ]
    )
    assert [(c[0].id, c[0].name) for c in found] == [
        ("en", "English"),
        ("de", "German"),
        ("fr", "French"),
    ]
    assert all(len(c) <= 3 for c in found)


def test_moderation() -> None:
    (cat,) = inference.moderate_images([fixture("chelsea")])
    values = {c.id: c.value for c in cat}
    assert values["safe"] > 0.9 and values["explicit"] < 0.1
    (same,) = inference.nsfw_images([fixture("chelsea")])
    assert [c.id for c in same] == ["sfw", "nsfw"]


def test_video_frames_every_second(tmp_path: Path) -> None:
    import cv2

    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (64, 48))
    for index in range(30):  # 3 s at 10 frames a second
        writer.write(np.full((48, 64, 3), index * 8, dtype=np.uint8))
    writer.release()
    frames = inference.sample_video(path.read_bytes(), 1000)
    assert [frame.time_ms for frame in frames] == [0, 1000, 2000]
    assert Image.open(io.BytesIO(frames[1].image)).size == (64, 48)


@pytest.mark.parametrize(
    "call",
    [
        inference.classify_images,
        inference.embed_images,
        inference.detect_faces,
        inference.recognize_text,
        inference.moderate_images,
    ],
)
def test_undecodable_image(call) -> None:
    with pytest.raises(MediaError, match="not a decodable image"):
        call([fixture("coffee"), b"not an image"])


def test_undecodable_video() -> None:
    with pytest.raises(MediaError, match="not a decodable video"):
        inference.sample_video(b"not a video at all", 1000)


async def test_run_keeps_the_loop_free() -> None:
    languages, concepts = await asyncio.gather(
        inference.run(inference.identify_languages, ["Bonjour tout le monde"]),
        inference.run(inference.classify_images, [fixture("coffee")]),
    )
    assert languages[0][0].id == "fr"
    assert len(concepts) == 1


def test_warm_loads_every_engine() -> None:
    seconds = inference.engines.warm()
    assert set(seconds) == set(inference.engines.ALL)
    assert all(engine.loaded for engine in inference.engines.ALL.values())
