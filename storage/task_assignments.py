"""Task assignments: which worker labels which input of a task, and which
reviewer reviews which assignment.

An assignment row exists once a worker has started an input (LABEL_START):
FULL and PARTITIONED tasks decide each input's workers by a rule of the
input alone (server/domain/assignment.py), so rows are written as workers
ask for work and inputs added later are assigned like the first ones.
DYNAMIC tasks hand an input to whoever asks first, up to a number of
workers per input; `slot` numbers those, and the unique (task, input, slot)
is what keeps two workers asking at once from both taking the last place.
Reviews work the same way over assignments (`TaskReview.slot`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    Select,
    Text,
    UniqueConstraint,
    all_,
    cast,
    delete,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.annotations import Annotation
from storage.base import Base, Timestamps, any_of
from storage.dataset_inputs import DatasetInput
from storage.datasets import Dataset
from storage.inputs import SUCCESS as INPUT_READY
from storage.inputs import Input
from storage.scoped import AppScoped

# TaskInputSource types naming one object.
DATASET_SOURCE, INPUT_SOURCE = 3, 4

# TASK_ASSIGNMENT_* codes.
SUCCESS = 54200
PENDING = 54201
AWAITING_REVIEW = 54202
AWAITING_CONSENSUS_REVIEW = 54203
REJECTED = 54204
# A labeler's work is over once approved or rejected.
FINAL = (SUCCESS, REJECTED)
OPEN = (PENDING, AWAITING_REVIEW, AWAITING_CONSENSUS_REVIEW)

# TASK_ASSIGNMENT_REVIEW_* codes: a reviewer's verdict on one assignment.
REVIEW_SUCCESS = 54300
REVIEW_PENDING = 54301
REVIEW_DISMISSED = 54302


class TaskAssignment(Timestamps, Base):
    __tablename__ = "task_assignments"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # A worker labels an input of a task once.
        UniqueConstraint("task_pk", "input_pk", "worker_user_id"),
        # A DYNAMIC task's places per input (NULL for the other strategies).
        UniqueConstraint("task_pk", "input_pk", "slot"),
        # A worker's assignments by status (LABEL_START's pending ones, counts).
        Index("ix_task_assignments_worker", "task_pk", "worker_user_id", "status_code", "input_pk"),
        # The last input a worker, or a DYNAMIC place, was given (claim's cursors).
        Index("ix_task_assignments_worker_input", "task_pk", "worker_user_id", "input_pk"),
        Index("ix_task_assignments_slot_input", "task_pk", "slot", "input_pk"),
        # Assignments awaiting review, oldest first (REVIEW_START).
        Index("ix_task_assignments_status", "task_pk", "status_code", "pk"),
        Index("ix_task_assignments_input", "input_pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.pk", ondelete="CASCADE"))
    id: Mapped[str]
    input_pk: Mapped[int] = mapped_column(ForeignKey("inputs.pk", ondelete="CASCADE"))
    worker_user_id: Mapped[str]
    slot: Mapped[int | None] = mapped_column(default=None)
    status_code: Mapped[int] = mapped_column(default=PENDING)


class TaskReview(Timestamps, Base):
    __tablename__ = "task_reviews"
    __table_args__ = (
        # A reviewer reviews an assignment once; `slot` counts the reviewers
        # an assignment needs (approval_threshold_reviewers).
        UniqueConstraint("assignment_pk", "reviewer_user_id"),
        UniqueConstraint("assignment_pk", "slot"),
        Index("ix_task_reviews_reviewer", "task_pk", "reviewer_user_id", "status_code"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    task_pk: Mapped[int] = mapped_column(ForeignKey("tasks.pk", ondelete="CASCADE"))
    assignment_pk: Mapped[int] = mapped_column(
        ForeignKey("task_assignments.pk", ondelete="CASCADE")
    )
    reviewer_user_id: Mapped[str]
    slot: Mapped[int]
    status_code: Mapped[int] = mapped_column(default=REVIEW_PENDING)


@dataclass(frozen=True)
class Row:
    pk: int
    id: str
    input_pk: int
    worker_user_id: str
    status_code: int
    created_at: datetime
    modified_at: datetime


@dataclass(frozen=True)
class Partition:
    """A PARTITIONED worker's interval of [0, workers_per_input), and the
    step placing inputs in [0, 1) (server/domain/assignment.py)."""

    lower: Decimal
    upper: Decimal
    step: Decimal


@dataclass(frozen=True)
class Places:
    """A DYNAMIC task's inputs go to this many workers, first come."""

    per_input: int


# Who may take an input: any worker (FULL), a worker whose interval holds the
# input's position (PARTITIONED), or anyone while places are left (DYNAMIC).
Rule = Partition | Places | None

_COLUMNS = (
    TaskAssignment.pk,
    TaskAssignment.id,
    TaskAssignment.input_pk,
    TaskAssignment.worker_user_id,
    TaskAssignment.status_code,
    TaskAssignment.created_at,
    TaskAssignment.modified_at,
)
_NEW_ID = func.replace(func.cast(func.gen_random_uuid(), Text), "-", "")


def partition_member(pk: Any, part: Partition) -> ColumnElement[bool]:
    """Whether the input of this pk falls in the worker's interval."""
    return in_interval(pk, literal(part.lower, Numeric), literal(part.upper, Numeric), part.step)


def in_interval(pk: Any, lower: Any, upper: Any, step: Decimal) -> ColumnElement[bool]:
    """Whether the input of this pk falls in [lower, upper) (SQL numeric
    expressions: literals, or columns of a table of workers). In numeric:
    exact, so SQL and server/domain/assignment.py agree."""
    x = cast(pk, Numeric) * literal(step, Numeric)
    u = x - func.floor(x)
    return (func.ceil(upper - u) - func.ceil(lower - u)) == 1


def _past_cursor(task_pk: int, worker: str, lane: int | None) -> ColumnElement[bool]:
    """A condition on `Input`: past the last input the worker was given
    (lane None), or that the DYNAMIC place `lane` was given."""
    mark = TaskAssignment.worker_user_id == worker if lane is None else TaskAssignment.slot == lane
    cursor = select(func.max(TaskAssignment.input_pk)).where(
        TaskAssignment.task_pk == task_pk, mark
    )
    return Input.pk > func.coalesce(cursor.scalar_subquery(), 0)


def _per_input(*where: ColumnElement[bool]) -> Any:
    """How many rows of the outer query's input (or assignment) match: a count,
    not EXISTS, so the planner looks each input up by the index (a subplan
    per input) rather than joining on estimates, which for a task's young
    assignments table are far too low and once made a claim scan every
    assignment for every input."""
    return select(func.count()).where(*where).scalar_subquery()


def _rows(result: Any) -> list[Row]:
    return [Row(*r) for r in result]


class TaskAssignmentStorage(AppScoped[TaskAssignment]):
    """The assignments and reviews of the app's tasks."""

    model = TaskAssignment

    # ---- the inputs of a task ----

    def source(self, kind: int, source_id: str) -> list[ColumnElement[bool]]:
        """Conditions on `Input` selecting a task's inputs from an
        ALL_INPUTS, DATASET or INPUT source: the app's inputs that are ready
        (their media stored)."""
        where = [Input.app_pk == self.app.pk, Input.status_code == INPUT_READY]
        if kind == DATASET_SOURCE:
            dataset = select(Dataset.pk).where(
                Dataset.app_pk == self.app.pk, Dataset.id == source_id
            )
            where.append(
                exists().where(
                    DatasetInput.dataset_pk == dataset.scalar_subquery(),
                    DatasetInput.app_pk == Input.app_pk,
                    DatasetInput.input_id == Input.id,
                )
            )
        elif kind == INPUT_SOURCE:
            where.append(Input.id == source_id)
        return where

    def among(self, pks: Select) -> ColumnElement[bool]:
        """A condition on `Input`: one of these (a search's candidates)."""
        return Input.pk.in_(pks)

    async def count_inputs(self, source: Sequence[ColumnElement[bool]]) -> int:
        return int(await self.session.scalar(select(func.count()).where(*source)) or 0)

    # ---- labeling ----

    async def of_worker(self, task_pk: int, worker: str, status: int, limit: int) -> list[Row]:
        q = (
            select(*_COLUMNS)
            .where(
                TaskAssignment.task_pk == task_pk,
                TaskAssignment.worker_user_id == worker,
                TaskAssignment.status_code == status,
            )
            .order_by(TaskAssignment.input_pk)
        )
        return _rows(await self.session.execute(listing.take(q, limit)))

    async def claim(
        self,
        task_pk: int,
        worker: str,
        source: Sequence[ColumnElement[bool]],
        rule: Rule,
        limit: int,
    ) -> list[Row]:
        """Up to `limit` new assignments of the task's inputs to the worker,
        oldest inputs first: inputs the rule gives the worker and the worker
        has not had. A DYNAMIC input's places are taken in order (its place
        n only once place n-1 is), later places first, so started inputs
        get finished; rows other callers are claiming are skipped, and the
        unique (task, input, slot) turns away a place taken meanwhile.

        Inputs are handed out in pk order, so each looks first past a cursor
        (the last input the worker, or the place, was given) and scans the
        whole source only when that finds too few: inputs added to a dataset
        after later ones were handed out, places a worker could not take
        (every place past its cursor first: the whole source is scanned
        only near the end of the task)."""
        got: list[Row] = []
        lanes = range(rule.per_input - 1, -1, -1) if isinstance(rule, Places) else [None]
        for past_cursor in (True, False):
            for lane in lanes:
                need = limit - len(got)
                if need > 0:
                    got += await self._claim(task_pk, worker, source, rule, lane, need, past_cursor)
        return sorted(got, key=lambda r: r.input_pk)

    async def _claim(
        self,
        task_pk: int,
        worker: str,
        source: Sequence[ColumnElement[bool]],
        rule: Rule,
        lane: int | None,
        limit: int,
        past_cursor: bool,
    ) -> list[Row]:
        mine = _per_input(
            TaskAssignment.task_pk == task_pk,
            TaskAssignment.input_pk == Input.pk,
            TaskAssignment.worker_user_id == worker,
        )
        q = select(Input.pk).where(*source, mine == 0)
        if isinstance(rule, Partition):
            q = q.where(partition_member(Input.pk, rule))
        if lane is not None:
            q = q.where(self._place(task_pk, lane) == 0)
            if lane:
                q = q.where(self._place(task_pk, lane - 1) == 1)
            q = q.with_for_update(of=Input, skip_locked=True, key_share=True)  # NO KEY UPDATE
        if past_cursor:
            q = q.where(_past_cursor(task_pk, worker, lane))
        candidates = listing.take(q.order_by(Input.pk), limit).cte("candidates")
        chosen = select(
            literal(self.app.pk),
            literal(task_pk),
            _NEW_ID,
            candidates.c.pk,
            literal(worker),
            literal(lane, Integer),
            literal(PENDING),
        )
        stmt = (
            insert(TaskAssignment)
            .from_select(
                ["app_pk", "task_pk", "id", "input_pk", "worker_user_id", "slot", "status_code"],
                chosen,
            )
            .on_conflict_do_nothing()
            .returning(*_COLUMNS)
        )
        return _rows(await self.session.execute(stmt))

    @staticmethod
    def _place(task_pk: int, slot: int) -> Any:
        return _per_input(
            TaskAssignment.task_pk == task_pk,
            TaskAssignment.input_pk == Input.pk,
            TaskAssignment.slot == slot,
        )

    async def by_ids(
        self, task_pk: int, ids: Sequence[str], *, lock: bool = True
    ) -> dict[str, Row]:
        """The task's assignments of these ids, locked until the call ends
        (in pk order) unless `lock` is False."""
        q = (
            select(*_COLUMNS)
            .where(TaskAssignment.task_pk == task_pk, TaskAssignment.id == any_of(ids))
            .order_by(TaskAssignment.pk)
        )
        if lock:
            q = q.with_for_update(of=TaskAssignment)
        return {r.id: r for r in _rows(await self.session.execute(q))}

    async def of_input_ids(self, task_pk: int, worker: str, input_ids: Sequence[str]) -> list[Row]:
        """The worker's assignments of these inputs (by input id), not
        locked (LABEL_SUBMIT locks what it moves)."""
        q = (
            select(*_COLUMNS)
            .join(Input, Input.pk == TaskAssignment.input_pk)
            .where(
                TaskAssignment.task_pk == task_pk,
                TaskAssignment.worker_user_id == worker,
                Input.id == any_of(input_ids),
            )
        )
        return _rows(await self.session.execute(q))

    async def of_workers(self, task_pk: int, workers: Sequence[str], status: int) -> list[Row]:
        """The task's assignments of these workers in this status, locked."""
        q = (
            select(*_COLUMNS)
            .where(
                TaskAssignment.task_pk == task_pk,
                TaskAssignment.worker_user_id == any_of(workers),
                TaskAssignment.status_code == status,
            )
            .order_by(TaskAssignment.pk)
            .with_for_update(of=TaskAssignment)
        )
        return _rows(await self.session.execute(q))

    async def of_inputs(self, task_pk: int, input_pks: Sequence[int]) -> list[Row]:
        """Every assignment of these inputs in the task, locked in pk order
        (consensus decides over an input's labelers together; one order for
        every caller, taken before any of them is changed, so that two
        labelers of one input submitting at once wait, not deadlock)."""
        q = (
            select(*_COLUMNS)
            .where(TaskAssignment.task_pk == task_pk, TaskAssignment.input_pk.in_(input_pks))
            .order_by(TaskAssignment.pk)
            .with_for_update(of=TaskAssignment)
        )
        return _rows(await self.session.execute(q))

    async def release_removed(
        self, task_pk: int, workers: Sequence[str], reviewers: Sequence[str]
    ) -> None:
        """Hands back what people no longer in the task held: inputs a
        removed worker started and did not submit go back to the others
        (their rule, or the first to ask), assignments a removed reviewer
        took and did not decide go back to the reviewers."""
        await self.session.execute(
            delete(TaskAssignment).where(
                TaskAssignment.task_pk == task_pk,
                TaskAssignment.status_code == PENDING,
                TaskAssignment.worker_user_id != all_(literal(list(workers), ARRAY(Text))),
            )
        )
        await self.session.execute(
            delete(TaskReview).where(
                TaskReview.task_pk == task_pk,
                TaskReview.status_code == REVIEW_PENDING,
                TaskReview.reviewer_user_id != all_(literal(list(reviewers), ARRAY(Text))),
            )
        )

    async def set_status(self, pks: Sequence[int], code: int) -> None:
        if pks:
            await self.session.execute(
                update(TaskAssignment)
                .where(TaskAssignment.pk.in_(pks))
                .values(status_code=code, modified_at=func.now())
            )

    async def open_work(self, task_pk: int) -> bool:
        """Whether an assignment of the task is not yet final."""
        q = select(
            exists().where(TaskAssignment.task_pk == task_pk, TaskAssignment.status_code.in_(OPEN))
        )
        return bool(await self.session.scalar(q))

    async def left_past_cursors(
        self, task_pk: int, source: Sequence[ColumnElement[bool]], rules: Mapping[str, Rule]
    ) -> bool:
        """Whether an input lies past a worker's cursor (or a DYNAMIC task's
        first place's) that the worker could be given: the cheap sign that a
        task is not done. One small statement per worker, in the order of
        `rules`, until one finds an input (one statement for all would be
        planned anew each time, ~0.3 ms per worker)."""
        for worker, rule in rules.items():
            lane = 0 if isinstance(rule, Places) else None
            q = select(Input.pk).where(*source, _past_cursor(task_pk, worker, lane))
            if isinstance(rule, Partition):
                q = q.where(partition_member(Input.pk, rule))
            # The next input in pk order, not EXISTS: that plan walks the pk
            # index from the cursor instead of another index from the start.
            if await self.session.scalar(listing.take(q.order_by(Input.pk), 1)) is not None:
                return True
            if isinstance(rule, Places):
                break
        return False

    async def final_count(self, task_pk: int, source: Sequence[ColumnElement[bool]]) -> int:
        """Final assignments of the task's inputs still in its source."""
        q = (
            select(func.count())
            .select_from(TaskAssignment)
            .join(Input, Input.pk == TaskAssignment.input_pk)
            .where(TaskAssignment.task_pk == task_pk, TaskAssignment.status_code.in_(FINAL))
            .where(*source)
        )
        return int(await self.session.scalar(q) or 0)

    # ---- reviews ----

    async def reviewing(self, task_pk: int, reviewer: str, limit: int) -> list[Row]:
        """Assignments the reviewer took and has not decided yet."""
        q = (
            select(*_COLUMNS)
            .join(TaskReview, TaskReview.assignment_pk == TaskAssignment.pk)
            .where(
                TaskReview.task_pk == task_pk,
                TaskReview.reviewer_user_id == reviewer,
                TaskReview.status_code == REVIEW_PENDING,
                TaskAssignment.status_code == AWAITING_REVIEW,
            )
            .order_by(TaskAssignment.pk)
        )
        return _rows(await self.session.execute(listing.take(q, limit)))

    async def claim_reviews(
        self, task_pk: int, reviewer: str, workers: Sequence[str], per_assignment: int, limit: int
    ) -> list[Row]:
        """Up to `limit` assignments awaiting review (of these workers, when
        given) for the reviewer to review: not the reviewer's own work, not
        reviewed by them yet, and with fewer than `per_assignment` reviewers."""
        reviews = select(func.count()).where(TaskReview.assignment_pk == TaskAssignment.pk)
        mine = _per_input(
            TaskReview.assignment_pk == TaskAssignment.pk, TaskReview.reviewer_user_id == reviewer
        )
        taken = reviews.scalar_subquery()
        q = select(TaskAssignment.pk, taken.label("slot")).where(
            TaskAssignment.task_pk == task_pk,
            TaskAssignment.status_code == AWAITING_REVIEW,
            TaskAssignment.worker_user_id != reviewer,
            taken < per_assignment,
            mine == 0,
        )
        if workers:
            q = q.where(TaskAssignment.worker_user_id == any_of(workers))
        q = listing.take(q.order_by(TaskAssignment.pk), limit)
        candidates = q.with_for_update(of=TaskAssignment, skip_locked=True).cte("candidates")
        chosen = select(literal(task_pk), candidates.c.pk, literal(reviewer), candidates.c.slot)
        stmt = (
            insert(TaskReview)
            .from_select(["task_pk", "assignment_pk", "reviewer_user_id", "slot"], chosen)
            .on_conflict_do_nothing()
            .returning(TaskReview.assignment_pk)
        )
        pks = list(await self.session.scalars(stmt))
        if not pks:
            return []
        q2 = select(*_COLUMNS).where(TaskAssignment.pk.in_(pks)).order_by(TaskAssignment.pk)
        return _rows(await self.session.execute(q2))

    async def verdict(self, assignment_pks: Sequence[int], reviewer: str, code: int) -> None:
        """The reviewer's verdict on these assignments, in one statement; a
        reviewer who had not taken one takes the next place."""
        if not assignment_pks:
            return
        place = (
            select(func.count())
            .where(TaskReview.assignment_pk == TaskAssignment.pk)
            .scalar_subquery()
        )
        chosen = select(
            TaskAssignment.task_pk, TaskAssignment.pk, literal(reviewer), place, literal(code)
        ).where(TaskAssignment.pk.in_(assignment_pks))
        stmt = (
            insert(TaskReview)
            .from_select(
                ["task_pk", "assignment_pk", "reviewer_user_id", "slot", "status_code"], chosen
            )
            .on_conflict_do_update(
                index_elements=["assignment_pk", "reviewer_user_id"],
                set_={"status_code": code, "modified_at": func.now()},
            )
        )
        await self.session.execute(stmt)

    async def approvals(self, assignment_pks: Sequence[int]) -> dict[int, int]:
        q = (
            select(TaskReview.assignment_pk, func.count())
            .where(
                TaskReview.assignment_pk.in_(assignment_pks),
                TaskReview.status_code == REVIEW_SUCCESS,
            )
            .group_by(TaskReview.assignment_pk)
        )
        return {pk: n for pk, n in await self.session.execute(q)}

    async def clear_reviews(self, assignment_pks: Sequence[int]) -> None:
        if assignment_pks:
            await self.session.execute(
                delete(TaskReview).where(TaskReview.assignment_pk.in_(assignment_pks))
            )

    # ---- the labels of assignments: the worker's annotations of the input in the task ----

    def _labels_of(self, task_id: str, assignment_pks: Sequence[int]) -> ColumnElement[bool]:
        return exists().where(
            TaskAssignment.pk.in_(assignment_pks),
            Input.pk == TaskAssignment.input_pk,
            Annotation.input_id == Input.id,
            Annotation.user_id == TaskAssignment.worker_user_id,
            Annotation.app_pk == self.app.pk,
            Annotation.task_id == task_id,
        )

    async def label_status(self, task_id: str, assignment_pks: Sequence[int], code: int) -> None:
        """Sets the status of the annotations these assignments made."""
        if assignment_pks:
            await self.session.execute(
                update(Annotation)
                .where(Annotation.app_pk == self.app.pk, self._labels_of(task_id, assignment_pks))
                .values(status_code=code, modified_at=func.now())
            )

    async def labels(self, task_id: str, assignment_pks: Sequence[int]) -> dict[int, list[dict]]:
        """The data of the annotations each assignment made."""
        q = (
            select(TaskAssignment.pk, Annotation.data)
            .join(Input, Input.pk == TaskAssignment.input_pk)
            .join(
                Annotation,
                (Annotation.app_pk == Input.app_pk)
                & (Annotation.input_id == Input.id)
                & (Annotation.user_id == TaskAssignment.worker_user_id),
            )
            .where(TaskAssignment.pk.in_(assignment_pks), Annotation.task_id == task_id)
            .order_by(Annotation.pk)
        )
        out: dict[int, list[dict]] = {pk: [] for pk in assignment_pks}
        for pk, data in await self.session.execute(q):
            out[pk].append(data)
        return out

    async def drop_earlier_labels(self, task_id: str, assignment_pks: Sequence[int]) -> None:
        """Deletes the workers' annotations of these inputs made outside the
        task (delete_previous_annotations)."""
        if assignment_pks:
            await self.session.execute(
                delete(Annotation).where(
                    Annotation.app_pk == self.app.pk,
                    Annotation.task_id != task_id,
                    exists().where(
                        TaskAssignment.pk.in_(assignment_pks),
                        Input.pk == TaskAssignment.input_pk,
                        Annotation.input_id == Input.id,
                        Annotation.user_id == TaskAssignment.worker_user_id,
                    ),
                )
            )
