"""Counts over a task's work: its assignments and annotations per worker and
status (GetTaskInputCount, GetTaskAnnotationCount), and the progress of its
inputs (ListTasks' metrics). Each count is one aggregate query grouped by
worker (or reviewer), never a loop over inputs.

Workers and reviewers enter a query as a VALUES table, so one statement
counts for all of them: `rules` give each FULL or PARTITIONED worker its
interval of positions (FULL: [0, 1), every input)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Text,
    and_,
    case,
    column,
    exists,
    func,
    or_,
    select,
    true,
    values,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.annotations import Annotation
from storage.base import any_of, id_table
from storage.inputs import Input
from storage.scoped import AppScope
from storage.task_assignments import (
    AWAITING_REVIEW,
    FINAL,
    PENDING,
    REVIEW_DISMISSED,
    REVIEW_PENDING,
    REVIEW_SUCCESS,
    Partition,
    TaskAssignment,
    TaskReview,
    in_interval,
)

# A reviewer's verdicts that count as reviewing (a change request deletes
# the assignment's reviews: the work starts over).
VERDICTS = (REVIEW_SUCCESS, REVIEW_DISMISSED)

# (worker, status code) -> count
Counts = dict[tuple[str, int], int]


@dataclass(frozen=True)
class AnnotationCount:
    """Annotations of one worker in one status: a user (model_version_id
    empty) or a model version."""

    user_id: str
    model_version_id: str
    status_code: int
    count: int


@dataclass(frozen=True)
class Progress:
    """A task's inputs in its source now, those every required labeler
    submitted (`labeled`), and those whose every required assignment is
    final (`reviewed`: approved, rejected, or needing no review)."""

    inputs: int
    labeled: int
    reviewed: int


@dataclass(frozen=True)
class ReviewerProgress:
    """Assignments (a worker's labels of an input: what a reviewer reviews)
    a reviewer approved or rejected (`reviewed`), and those plus the ones
    awaiting review it holds or could take (`reviewable`)."""

    reviewed: int
    reviewable: int


class TaskCountStorage:
    """Counts over the app's tasks."""

    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    # ---- assignments per worker ----

    async def assignments(self, task_pk: int, workers: Sequence[str]) -> Counts:
        """Each worker's assignments of the task by status."""
        if not workers:
            return {}
        a = TaskAssignment
        q = (
            select(a.worker_user_id, a.status_code, func.count())
            .where(a.task_pk == task_pk, a.worker_user_id == any_of(workers))
            .group_by(a.worker_user_id, a.status_code)
        )
        return {(w, code): n for w, code, n in await self.session.execute(q)}

    async def unstarted(
        self,
        task_pk: int,
        source: Sequence[ColumnElement[bool]],
        rules: Mapping[str, Partition],
    ) -> dict[str, int]:
        """For each worker, the inputs of the source its interval gives it
        that it has not started (no assignment yet)."""
        if not rules:
            return {}
        w = values(
            column("worker", Text),
            column("lower", Numeric),
            column("upper", Numeric),
            name="rules",
        ).data([(worker, p.lower, p.upper) for worker, p in rules.items()])
        step = next(iter(rules.values())).step
        started = exists().where(
            TaskAssignment.task_pk == task_pk,
            TaskAssignment.input_pk == Input.pk,
            TaskAssignment.worker_user_id == w.c.worker,
        )
        q = (
            select(w.c.worker, func.count())
            .select_from(Input)
            .join(w, in_interval(Input.pk, w.c.lower, w.c.upper, step))
            .where(*source, ~started)
            .group_by(w.c.worker)
        )
        return {worker: n for worker, n in await self.session.execute(q)}

    # ---- annotations per worker ----

    async def annotations(
        self, task_id: str, user_ids: Sequence[str], model_version_ids: Sequence[str]
    ) -> list[AnnotationCount]:
        """The task's annotations by worker and status; of these users and
        model versions only when any is given (OR-ed)."""
        by_user = Annotation.model_version_id == ""
        # A model's annotation is the model's, whoever ran it.
        worker = case((by_user, Annotation.user_id), else_="")
        q = select(worker, Annotation.model_version_id, Annotation.status_code, func.count())
        q = q.where(Annotation.app_pk == self.app.pk, Annotation.task_id == task_id)
        wanted = []
        if user_ids:
            wanted.append(and_(by_user, Annotation.user_id == any_of(user_ids)))
        if model_version_ids:
            wanted.append(Annotation.model_version_id == any_of(model_version_ids))
        if wanted:
            q = q.where(or_(*wanted))
        q = q.group_by(worker, Annotation.model_version_id, Annotation.status_code)
        rows = await self.session.execute(q.order_by(Annotation.model_version_id, worker))
        return [AnnotationCount(*row) for row in rows]

    # ---- progress ----

    async def progress(
        self, task_pk: int, source: Sequence[ColumnElement[bool]], per_input: int
    ) -> Progress:
        """Inputs of the source, labeled and reviewed as the task requires
        (`per_input` labelers each)."""
        a = TaskAssignment
        inputs = select(func.count()).where(*source).scalar_subquery()
        per = (
            select(
                func.count().filter(a.status_code != PENDING).label("labeled"),
                func.count().filter(a.status_code.in_(FINAL)).label("final"),
            )
            .select_from(a)
            .join(Input, Input.pk == a.input_pk)
            .where(a.task_pk == task_pk, *source)
            .group_by(a.input_pk)
            .subquery()
        )
        q = select(
            inputs,
            func.count().filter(per.c.labeled >= per_input),
            func.count().filter(per.c.final >= per_input),
        ).select_from(per)
        total, labeled, reviewed = (await self.session.execute(q)).one()
        return Progress(int(total or 0), int(labeled or 0), int(reviewed or 0))

    async def reviewers(
        self, task_pk: int, reviewers: Sequence[str], per_assignment: int
    ) -> dict[str, ReviewerProgress]:
        """Each reviewer's reviewed and reviewable inputs of the task."""
        if not reviewers:
            return {}
        a, r = TaskAssignment, TaskReview
        v = id_table("reviewers", reviewers)
        mine = r.assignment_pk == a.pk, r.reviewer_user_id == v.c.id
        done = exists().where(*mine, r.status_code.in_(VERDICTS))
        holding = exists().where(*mine, r.status_code == REVIEW_PENDING)
        places = select(func.count()).where(r.assignment_pk == a.pk).scalar_subquery()
        open_ = and_(
            a.status_code == AWAITING_REVIEW,
            a.worker_user_id != v.c.id,
            ~done,
            or_(holding, places < per_assignment),
        )
        q = (
            select(
                v.c.id,
                func.count().filter(done),
                func.count().filter(or_(done, open_)),
            )
            .select_from(a)
            .join(v, true())
            .where(a.task_pk == task_pk)
            .group_by(v.c.id)
        )
        out = {i: ReviewerProgress(0, 0) for i in reviewers}
        for reviewer, reviewed, reviewable in await self.session.execute(q):
            out[reviewer] = ReviewerProgress(int(reviewed), int(reviewable))
        return out
