"""clarifai/main: the built-in public app every caller can read and predict
with, as the reference's community models. Its models run on this machine's
CPU (server/inference); their ids are the reference's where Clarifai's own
examples name them, so `user_id="clarifai", app_id="main"` examples run
unchanged.

`ensure` writes the user, the app, its models, concepts and workflows at
every start where any is missing (several processes take turns; existing
rows are kept), so a catalog change reaches a database on the next start
without a migration; a start finding them all reads one query's worth."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, ScalarSelect, func, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from server import runtimes
from server.status import Code, description
from storage import apps as app_store
from storage import users as user_store
from storage import workflows as workflow_store
from storage.apps import PUBLIC, AppScope
from storage.concepts import Concept
from storage.db import Database
from storage.models import Model, ModelVersion
from storage.workflows import Workflow, WorkflowVersion

USER_ID = user_store.BUILTIN_USER
APP_ID = app_store.MAIN_APP_ID
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
    """A workflow of clarifai/main, written as a workflow row at start: a
    node per model (each reading the input, the node named after the
    model), its version `version_id` (a new id when its nodes change). Any
    app may name one as its base workflow (PostApps' default_workflow)."""

    id: str
    version_id: str
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
        "608ddef7cee74788a2da6aef6cfd3613",
        ("general-image-recognition", "general-image-embedding", "text-embedder"),
        "Images and texts: concepts and embeddings for search.",
    ),
    BuiltinWorkflow(
        "General",
        "f555a9b5e55b48c29c1a6adfc130a47c",
        ("general-image-recognition", "general-image-embedding"),
        "Images: general concepts and embeddings.",
    ),
    BuiltinWorkflow(
        "Language-Understanding",
        "318b5e25f1f24b00aea734954f4722c9",
        ("text-embedder",),
        "Texts: sentence embeddings.",
    ),
    BuiltinWorkflow("Empty", "bdf180b063cf4021b2f8dbfa5c8c62d0", (), "Indexes nothing."),
)
# An app created without a base workflow gets this one.
DEFAULT_WORKFLOW = "Universal"
# The model whose predicted concepts the base workflow stores as annotations.
GENERAL_MODEL = "general-image-recognition"


def model(model_id: str) -> BuiltinModel | None:
    return next((m for m in MODELS if model_id in m.ids), None)


def model_of_version(version_id: str) -> BuiltinModel | None:
    return next((m for m in MODELS if m.version_id == version_id), None)


async def ensure(db: Database) -> None:
    """Write clarifai/main, its models, concepts and workflows where missing
    (rows there already are kept as they are)."""
    async with db.transaction() as session:
        if await _complete(session):
            return  # every start but the first after a catalog change
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
        await _ensure_workflows(session, app_store.scope_of(app))


async def _complete(session: AsyncSession) -> bool:
    """Whether every row ensure() writes is there already, so that it would
    write nothing: one query, where writing takes several and the lock."""
    app = await app_store.get(session, USER_ID, APP_ID)
    if app is None:
        return False
    # A version's row stands for its model's or workflow's too.
    models = [(i, m.version_id) for m in MODELS for i in m.ids]
    workflows = [(w.id, w.version_id) for w in WORKFLOWS]
    found = await session.execute(
        select(
            _count(
                ModelVersion,
                Model.pk == ModelVersion.model_pk,
                Model.app_pk == app.pk,
                tuple_(Model.id, ModelVersion.id).in_(models),
            ),
            _count(
                WorkflowVersion,
                Workflow.pk == WorkflowVersion.workflow_pk,
                Workflow.app_pk == app.pk,
                tuple_(Workflow.id, WorkflowVersion.id).in_(workflows),
            ),
            _count(Concept, Concept.app_pk == app.pk),
        )
    )
    return tuple(found.one()) == (len(models), len(workflows), len(vocabulary()))


def _count(table: type, *where: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count()).select_from(table).where(*where).scalar_subquery()


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


async def _ensure_workflows(session: AsyncSession, app: AppScope) -> None:
    """WORKFLOWS as workflow rows, each with its version of the catalog's
    version_id (a workflow whose nodes changed gets that new version)."""
    rows = [
        {"app_pk": app.pk, "id": w.id, "description": w.description, "visibility": PUBLIC}
        for w in WORKFLOWS
    ]
    await session.execute(insert(Workflow).values(rows).on_conflict_do_nothing())
    q = select(Workflow.id, Workflow.pk).where(Workflow.app_pk == app.pk)
    pks = dict((await session.execute(q)).all())
    found = await session.execute(
        select(Model, ModelVersion)
        .join(ModelVersion, ModelVersion.model_pk == Model.pk)
        .where(Model.app_pk == app.pk)
    )
    versions = {m.id: (m, v) for m, v in found}
    made = [
        {
            "app_pk": app.pk,
            "workflow_pk": pks[w.id],
            "id": w.version_id,
            "visibility": PUBLIC,
            "user_id": USER_ID,
            "nodes": [workflow_store.node(i, *versions[i], app) for i in w.model_ids],
        }
        for w in WORKFLOWS
    ]
    await session.execute(insert(WorkflowVersion).values(made).on_conflict_do_nothing())


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
