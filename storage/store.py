"""`Store`: every family's storage for one call, bound to its session, its
app and its user. The dispatcher gives each call one (`call.store`); the
app and the user are resolved when a family first needs them, so a call
that names no app can still reach user-level storage."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession

from storage import apps as app_store
from storage import collectors as collector_store
from storage.annotation_filters import AnnotationFilterStorage
from storage.annotations import AnnotationStorage, WrittenOnce
from storage.app_duplications import AppDuplicationStorage
from storage.apps import App, AppScope, AppStorage, main_scope
from storage.auto_annotations import AutoAnnotationStorage
from storage.blobs import BlobStore
from storage.bulk_operations import BulkOperationStorage
from storage.collaborators import CollaborationStorage, CollaboratorStorage
from storage.collectors import CollectorStorage
from storage.concepts import ConceptStorage
from storage.dataset_inputs import DatasetInputStorage
from storage.dataset_versions import DatasetVersionStorage
from storage.datasets import DatasetStorage
from storage.embeddings import EmbeddingStorage
from storage.evaluations import EvaluationStorage
from storage.feedback import FeedbackStorage
from storage.inputs import InputStorage
from storage.inputs_add_jobs import InputsAddJobStorage
from storage.inputs_extraction_jobs import InputsExtractionJobStorage
from storage.keys import KeyStorage
from storage.label_orders import LabelOrderStorage
from storage.model_outputs import ModelOutputStorage
from storage.models import ModelStorage, ModelVersionStorage, UserModelStorage
from storage.resource_counts import ResourceCountStorage
from storage.search_ranks import RankStorage
from storage.searches import SearchStorage
from storage.stat_values import StatValueStorage
from storage.task_assignments import TaskAssignmentStorage
from storage.task_counts import TaskCountStorage
from storage.tasks import TaskStorage
from storage.uploads import UploadStorage
from storage.users import UserStorage
from storage.workflows import WorkflowStorage, WorkflowVersionStorage


class Store:
    def __init__(
        self,
        session: AsyncSession,
        app: Callable[[], AppScope],
        user_id: Callable[[], str],
        *,
        blobs: BlobStore | None = None,
    ) -> None:
        self._session = session
        self._app = app
        self._user_id = user_id
        # The blob store, for families whose rows name files (uploads).
        self._blobs = blobs
        self._main: Store | None = None

    # ---- app-level: the rows of the app the call acts on ----

    @cached_property
    def annotation_filters(self) -> AnnotationFilterStorage:
        return AnnotationFilterStorage(self._session, self._app())

    @cached_property
    def annotations(self) -> AnnotationStorage:
        return AnnotationStorage(self._session, self._app())

    @cached_property
    def auto_annotations(self) -> AutoAnnotationStorage:
        return AutoAnnotationStorage(self._session, self._app())

    @cached_property
    def bulk_operations(self) -> BulkOperationStorage:
        return BulkOperationStorage(self._session, self._app())

    @cached_property
    def collaborators(self) -> CollaboratorStorage:
        return CollaboratorStorage(self._session, self._app())

    @cached_property
    def collectors(self) -> CollectorStorage:
        return CollectorStorage(self._session, self._app())

    @cached_property
    def concepts(self) -> ConceptStorage:
        return ConceptStorage(self._session, self._app())

    @cached_property
    def datasets(self) -> DatasetStorage:
        return DatasetStorage(self._session, self._app())

    @cached_property
    def embeddings(self) -> EmbeddingStorage:
        return EmbeddingStorage(self._session, self._app())

    @cached_property
    def search_ranks(self) -> RankStorage:
        return RankStorage(self._session, self._app())

    @cached_property
    def evaluations(self) -> EvaluationStorage:
        return EvaluationStorage(self._session, self._app())

    @cached_property
    def dataset_inputs(self) -> DatasetInputStorage:
        return DatasetInputStorage(self._session, self._app())

    @cached_property
    def dataset_versions(self) -> DatasetVersionStorage:
        return DatasetVersionStorage(self._session, self._app())

    @cached_property
    def feedback(self) -> FeedbackStorage:
        return FeedbackStorage(self._session, self._app())

    @cached_property
    def inputs(self) -> InputStorage:
        return InputStorage(self._session, self._app())

    @cached_property
    def inputs_add_jobs(self) -> InputsAddJobStorage:
        return InputsAddJobStorage(self._session, self._app())

    @cached_property
    def inputs_extraction_jobs(self) -> InputsExtractionJobStorage:
        return InputsExtractionJobStorage(self._session, self._app())

    @cached_property
    def label_orders(self) -> LabelOrderStorage:
        return LabelOrderStorage(self._session, self._app())

    @cached_property
    def model_outputs(self) -> ModelOutputStorage:
        return ModelOutputStorage(self._session, self._app(), self._user_id)

    @cached_property
    def models(self) -> ModelStorage:
        return ModelStorage(self._session, self._app())

    @cached_property
    def model_versions(self) -> ModelVersionStorage:
        return ModelVersionStorage(self._session, self._app())

    @cached_property
    def resource_counts(self) -> ResourceCountStorage:
        return ResourceCountStorage(self._session, self._app())

    @cached_property
    def stat_values(self) -> StatValueStorage:
        return StatValueStorage(self._session, self._app())

    @cached_property
    def searches(self) -> SearchStorage:
        return SearchStorage(self._session, self._app())

    @cached_property
    def tasks(self) -> TaskStorage:
        return TaskStorage(self._session, self._app())

    @cached_property
    def task_assignments(self) -> TaskAssignmentStorage:
        return TaskAssignmentStorage(self._session, self._app())

    @cached_property
    def task_counts(self) -> TaskCountStorage:
        return TaskCountStorage(self._session, self._app())

    @cached_property
    def uploads(self) -> UploadStorage:
        return UploadStorage(self._session, self._app(), self._blobs)

    @cached_property
    def workflows(self) -> WorkflowStorage:
        return WorkflowStorage(self._session, self._app())

    @cached_property
    def workflow_versions(self) -> WorkflowVersionStorage:
        return WorkflowVersionStorage(self._session, self._app())

    # ---- clarifai/main: the public app whose models and workflows others use ----

    async def main(self) -> Store:
        """The same call's storage, bound to clarifai/main (a workflow's
        nodes name its models; handlers only read through it)."""
        if self._main is None:
            self._main = self.of(await main_scope(self._session))
        return self._main

    @classmethod
    def owner_of(cls, session: AsyncSession, app: App, *, blobs: BlobStore | None = None) -> Self:
        """An app's storage outside a request (a background job's), acting
        as the app's owner."""
        scope = app_store.scope_of(app)
        return cls(session, lambda: scope, lambda: app.user_id, blobs=blobs)

    def of(self, app: AppScope) -> Store:
        """The same call's storage, bound to another app of the caller's (one
        AppStorage found: PatchApps checks the base workflow it names)."""
        return Store(self._session, lambda: app, self._user_id, blobs=self._blobs)

    async def collectors_watching(self, model_pk: int, version_pk: int) -> list[tuple[int, int]]:
        """The (app pk, collector pk) of every app's collectors that collect
        this caller's predictions with this model version."""
        return await collector_store.watching(self._session, model_pk, version_pk, self._user_id())

    async def named_app(self, user_id: str, app_id: str) -> App | None:
        """Any user's app by its ids, for a call that names another app
        (a collector's source model); the caller decides what it may see."""
        return await app_store.get(self._session, user_id, app_id)

    # ---- user-level: the calling user's rows ----

    @cached_property
    def app_duplications(self) -> AppDuplicationStorage:
        return AppDuplicationStorage(self._session, self._user_id())

    @cached_property
    def apps(self) -> AppStorage:
        return AppStorage(self._session, self._user_id())

    @cached_property
    def collaborations(self) -> CollaborationStorage:
        return CollaborationStorage(self._session, self._user_id())

    @cached_property
    def keys(self) -> KeyStorage:
        return KeyStorage(self._session, self._user_id())

    @cached_property
    def user_models(self) -> UserModelStorage:
        return UserModelStorage(self._session, self._user_id())

    @cached_property
    def users(self) -> UserStorage:
        return UserStorage(self._session, self._user_id())


class JobStore(Store):
    """A background job's storage of one app: what a model version
    annotates is written once per input (`WrittenOnce`)."""

    @cached_property
    def annotation_filters(self) -> AnnotationFilterStorage:
        return AnnotationFilterStorage(self._session, self._app())

    @cached_property
    def annotations(self) -> AnnotationStorage:
        return WrittenOnce(self._session, self._app())
