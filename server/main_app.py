"""clarifai/main: the built-in public app every caller can read and predict
with, as the reference's community models. Its models run on this machine's
CPU (server/inference); their ids are the reference's where Clarifai's own
examples name them, so `user_id="clarifai", app_id="main"` examples run
unchanged.

`ensure` writes the user, the app and its models at every start (several
processes take turns; existing rows are kept), so a catalog change reaches a
database on the next start without a migration."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server import runtimes
from server.status import Code, description
from storage import apps as app_store
from storage import users as user_store
from storage.apps import PUBLIC
from storage.concepts import Concept
from storage.db import Database
from storage.models import Model, ModelVersion

USER_ID = user_store.BUILTIN_USER
APP_ID = "main"
# Held while a start writes the catalog (the migrations hold 727274, the
# first run 727275).
SEED_LOCK = 727276


@dataclass(frozen=True)
class BuiltinModel:
    """One model of clarifai/main: `runtime` names what runs it (a key of
    server/runtimes.py); each id in `ids` is a model row of its own (the
    reference's hex id and its readable one), sharing `version_id`."""

    ids: tuple[str, ...]
    name: str
    model_type_id: str
    runtime: str
    version_id: str
    description: str
    use_cases: tuple[str, ...] = ()
    toolkits: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class BuiltinWorkflow:
    """A base workflow an app can name (PostApps' default_workflow_id): the
    models whose outputs are indexed for each input, by runtime."""

    id: str
    model_ids: tuple[str, ...] = field(default=())
    description: str = ""


MODELS: tuple[BuiltinModel, ...] = (
    BuiltinModel(
        ids=("general-image-recognition", "aaa03c23b3724a16a56b629203edc62c"),
        name="general-image-recognition",
        model_type_id="visual-classifier",
        runtime="general-image",
        version_id="aa7f35c01e0642fda5cf400f543e7c40",
        description="Recognizes objects, animals, food and scenes (EfficientNet-Lite0 on "
        "ImageNet-1k with WordNet's broader concepts).",
        use_cases=("classification",),
    ),
    BuiltinModel(
        ids=("general-image-embedding", "bbb5f41425b8468d9b7a554ff10f8581"),
        name="general-image-embedding",
        model_type_id="visual-embedder",
        runtime="image-embedding",
        version_id="bb186755eda04f9cbb6fe32e816be104",
        description="1280-dimensional image embeddings (EfficientNet-Lite0 pooled features).",
    ),
    BuiltinModel(
        ids=("text-embedder", "multilingual-text-embedding"),
        name="text-embedder",
        model_type_id="text-embedder",
        runtime="text-embedding",
        version_id="9d5f8dbf5e4d4d8e9c3c3f6b1e3a7a21",
        description="384-dimensional sentence embeddings (all-MiniLM-L6-v2, int8).",
    ),
    BuiltinModel(
        ids=("moderation-recognition", "d16f390eb32cad478c7ae150069bd2c6"),
        name="moderation-recognition",
        model_type_id="visual-classifier",
        runtime="moderation",
        version_id="aa8be956dbaa4b7a858826a84253cab9",
        description="Rates how safe an image is: concepts safe and explicit (open_nsfw).",
        use_cases=("moderation",),
    ),
    BuiltinModel(
        ids=("nsfw-recognition", "e9576d86d2004ed1a38ba0cf39ecb4b1"),
        name="nsfw-recognition",
        model_type_id="visual-classifier",
        runtime="nsfw",
        version_id="aa47919c9a8d4d94bfa283121281bcc4",
        description="Concepts sfw and nsfw (open_nsfw).",
        use_cases=("moderation",),
    ),
    BuiltinModel(
        ids=("face-detection", "a403429f2ddf4b49b307e318f00e528b"),
        name="face-detection",
        model_type_id="visual-detector",
        runtime="face-detection",
        version_id="34ce21a40cc24b6b96ffee54aabff139",
        description="Finds faces: a region with the concept face per face (OpenCV Haar cascade).",
        use_cases=("detection",),
    ),
    BuiltinModel(
        ids=("ocr-scene-english-paddleocr",),
        name="ocr-scene-english-paddleocr",
        model_type_id="optical-character-recognizer",
        runtime="ocr",
        version_id="46e99516c2d94f58baf2bcaf5a6a53a9",
        description="Reads text in images: a region per line with its text (RapidOCR, "
        "PP-OCR models).",
        use_cases=("ocr",),
    ),
    BuiltinModel(
        ids=("language-identification",),
        name="language-identification",
        model_type_id="text-classifier",
        runtime="language-id",
        version_id="6f1d6f3c2b4a4f0e9d7c8b5a4e3d2c1b",
        description="The language of a text: concepts are ISO 639-1 codes (fastText lid.176).",
        languages=(),
    ),
)

WORKFLOWS: tuple[BuiltinWorkflow, ...] = (
    BuiltinWorkflow(
        "Universal",
        ("general-image-recognition", "general-image-embedding", "text-embedder"),
        "Images and texts: concepts and embeddings for search.",
    ),
    BuiltinWorkflow(
        "General",
        ("general-image-recognition", "general-image-embedding"),
        "Images: general concepts and embeddings.",
    ),
    BuiltinWorkflow("Language-Understanding", ("text-embedder",), "Texts: sentence embeddings."),
    BuiltinWorkflow("Empty", (), "Indexes nothing."),
)
# An app created without a base workflow gets this one.
DEFAULT_WORKFLOW = "Universal"
# The model whose predicted concepts the base workflow stores as annotations.
GENERAL_MODEL = "general-image-recognition"


def model(model_id: str) -> BuiltinModel | None:
    return next((m for m in MODELS if model_id in m.ids), None)


def model_of_version(version_id: str) -> BuiltinModel | None:
    return next((m for m in MODELS if m.version_id == version_id), None)


def workflow(workflow_id: str) -> BuiltinWorkflow | None:
    return next((w for w in WORKFLOWS if w.id == workflow_id), None)


async def ensure(db: Database) -> None:
    """Write clarifai/main and its models where missing."""
    async with db.transaction() as session:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEED_LOCK})
        if await user_store.get(session, USER_ID) is None:
            await user_store.create(session, USER_ID)
        app = await app_store.get(session, USER_ID, APP_ID)
        if app is None:
            app = app_store.App(
                id=APP_ID,
                user_id=USER_ID,
                name=APP_ID,
                visibility=PUBLIC,
                description="Clarifai's public models, running on this server's CPU.",
                default_workflow_id="Empty",
            )
            await app_store.add(session, [app])
        await _ensure_models(session, app.pk)
        await _ensure_concepts(session, app.pk)


async def _ensure_models(session: AsyncSession, app_pk: int) -> None:
    rows = [
        {
            "app_pk": app_pk,
            "id": model_id,
            "name": m.name,
            "model_type_id": m.model_type_id,
            "description": m.description,
            "visibility": PUBLIC,
            "use_cases": list(m.use_cases),
            "toolkits": list(m.toolkits),
            "languages": list(m.languages),
            "creator": USER_ID,
        }
        for m in MODELS
        for model_id in m.ids
    ]
    await session.execute(insert(Model).values(rows).on_conflict_do_nothing())
    pks = dict(
        (await session.execute(select(Model.id, Model.pk).where(Model.app_pk == app_pk))).all()
    )
    versions = [
        {
            "app_pk": app_pk,
            "model_pk": pks[model_id],
            "id": m.version_id,
            "status_code": Code.MODEL_TRAINED,
            "status_description": description(Code.MODEL_TRAINED),
            "visibility": PUBLIC,
            "runtime": m.runtime,
            "user_id": USER_ID,
        }
        for m in MODELS
        for model_id in m.ids
    ]
    await session.execute(insert(ModelVersion).values(versions).on_conflict_do_nothing())


def vocabulary() -> dict[str, str]:
    """Every concept a model of clarifai/main outputs, id -> name: its
    concepts table, so ListConcepts and PostConceptsSearches find them."""
    return {i: n for m in MODELS for i, n in runtimes.builtin_concepts(m.runtime)}


async def _ensure_concepts(session: AsyncSession, app_pk: int) -> None:
    wanted = vocabulary()
    have = await session.scalar(select(func.count()).where(Concept.app_pk == app_pk))
    if have == len(wanted):
        return
    rows = [
        {"app_pk": app_pk, "id": i, "name": n, "language": "en", "visibility": PUBLIC}
        for i, n in wanted.items()
    ]
    await session.execute(insert(Concept).values(rows).on_conflict_do_nothing())
