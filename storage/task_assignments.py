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

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps

# TASK_ASSIGNMENT_* codes.
SUCCESS = 54200
PENDING = 54201
AWAITING_REVIEW = 54202
AWAITING_CONSENSUS_REVIEW = 54203
REJECTED = 54204
# A labeler's work is over once approved or rejected.
FINAL = (SUCCESS, REJECTED)

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
