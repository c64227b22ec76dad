"""Tasks: labeling work over an app's inputs. The task is kept as the Task
message (JSON, snake_case) as the user sent it; the users, input source and
status are copied into columns so that list filters use indexes. A task
made by a label order names it (label_order_id) and goes with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    bindparam,
    delete,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.prepared import Prepared
from storage.scoped import AppScoped


class Task(Timestamps, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index("ix_tasks_app_order", "app_pk", "created_at", "pk"),
        Index("ix_tasks_worker_user_ids", "worker_user_ids", postgresql_using="gin"),
        Index("ix_tasks_reviewer_user_ids", "reviewer_user_ids", postgresql_using="gin"),
        Index("ix_tasks_app_input_source", "app_pk", "input_source_type", "input_source_id"),
        # An order owns one task, which goes with it; the order's id is kept
        # (not its pk) so that a task reads back without a join.
        UniqueConstraint("app_pk", "label_order_id"),
        ForeignKeyConstraint(
            ["app_pk", "label_order_id"],
            ["label_orders.app_pk", "label_orders.id"],
            ondelete="CASCADE",
        ),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    # The Task message without id, timestamps, app/user ids and status, which
    # live in columns.
    task: Mapped[dict[str, Any]] = mapped_column(default=dict)
    worker_user_ids: Mapped[list[str]] = mapped_column(default=list)
    reviewer_user_ids: Mapped[list[str]] = mapped_column(default=list)
    input_source_type: Mapped[int] = mapped_column(default=0)
    input_source_id: Mapped[str] = mapped_column(default="")
    status_code: Mapped[int] = mapped_column(default=54001)
    label_order_id: Mapped[str | None] = mapped_column(default=None)
    # What the server says of the status it set (an auto-annotating task's
    # skipped inputs); a status the user sets clears it.
    status_details: Mapped[str] = mapped_column(default="", server_default="")


IN_PROGRESS = 54001
# A task whose worker is a model or a workflow (its stored message says so:
# task_rules.stored_form sets the type).
IS_AUTO = Task.task["worker"]["type"].astext == "2"  # WORKER_AUTO (enums stored as numbers)

LIST_TASKS = Order("ListTasks", scope=[Task.app_pk], columns=[Task.created_at, Task.pk])


@dataclass(frozen=True)
class Filters:
    """ListTasks filters; each given one narrows the list (ANY of its values)."""

    ids: list[str] = field(default_factory=list)
    worker_user_ids: list[str] = field(default_factory=list)
    reviewer_user_ids: list[str] = field(default_factory=list)
    input_source_type: int = 0
    input_source_ids: list[str] = field(default_factory=list)
    # Tasks owned by a label order: those of these orders only, else all
    # (including_label_order_tasks) or none.
    label_order_ids: list[str] = field(default_factory=list)
    including_label_order_tasks: bool = False


def _filtered(q: Select, f: Filters) -> Select:
    if f.label_order_ids:
        q = q.where(Task.label_order_id == any_of(f.label_order_ids))
    elif not f.including_label_order_tasks:
        q = q.where(Task.label_order_id.is_(None))
    if f.ids:
        q = q.where(Task.id == any_of(f.ids))
    if f.worker_user_ids:
        q = q.where(Task.worker_user_ids.overlap(f.worker_user_ids))
    if f.reviewer_user_ids:
        q = q.where(Task.reviewer_user_ids.overlap(f.reviewer_user_ids))
    if f.input_source_type:
        q = q.where(Task.input_source_type == f.input_source_type)
    if f.input_source_ids:
        q = q.where(Task.input_source_id == any_of(f.input_source_ids))
    return q


@dataclass(frozen=True)
class Shown:
    """A task's columns GetTask shows (plain values, no ORM identity)."""

    id: str
    task: dict[str, Any]
    created_at: datetime
    modified_at: datetime
    status_code: int
    status_details: str
    label_order_id: str | None


# GetTask's read, compiled once (storage/prepared.py).
_SHOWN = Prepared(
    select(
        Task.id,
        Task.task,
        Task.created_at,
        Task.modified_at,
        Task.status_code,
        Task.status_details,
        Task.label_order_id,
    ).where(Task.app_pk == bindparam("app_pk"), Task.id == bindparam("id"))
)


class TaskStorage(AppScoped[Task]):
    """The app's labeling tasks. Values are the columns of `Task` by name:
    id, task (the message as JSON), worker_user_ids, reviewer_user_ids,
    input_source_type, input_source_id, status_code and label_order_id."""

    model = Task

    async def page(self, filters: Filters, at: Page) -> list[Task]:
        q = _filtered(select(Task).where(Task.app_pk == self.app.pk), filters)
        return await listing.page(self.session, q, LIST_TASKS, at)

    async def update(self, changes: Mapping[str, Mapping[str, Any]]) -> dict[str, Task]:
        """Sets the changed values of each task (by id) and answers the tasks
        as stored. Each UPDATE sets modified_at (the column's onupdate), even
        when the values are those already stored."""
        out: dict[str, Task] = {}
        for task_id, values in changes.items():
            q = (
                update(Task)
                .where(Task.app_pk == self.app.pk, Task.id == task_id)
                .values(**values)
                .returning(Task)
            )
            out[task_id] = (await self.session.scalars(q)).one()
        return out

    async def shown(self, task_id: str) -> Shown | None:
        """The task with this id, as GetTask shows it."""
        found = await _SHOWN.rows(self.session, app_pk=self.app.pk, id=task_id)
        return Shown(*found[0]) if found else None

    async def by_pk(self, pk: int) -> Task | None:
        q = select(Task).where(Task.app_pk == self.app.pk, Task.pk == pk)
        return (await self.session.scalars(q)).one_or_none()

    async def auto(self, statuses: Sequence[int]) -> list[Task]:
        """The app's auto-annotating tasks in these statuses."""
        q = select(Task).where(
            Task.app_pk == self.app.pk, IS_AUTO, Task.status_code.in_(list(statuses))
        )
        return list(await self.session.scalars(q.order_by(Task.pk)))

    async def locked_status(self, pk: int) -> int | None:
        """The task's status, its row locked until the call ends: NO KEY
        UPDATE, which the key-share locks of the call's own assignment writes
        (their foreign key to the task) do not block; FOR UPDATE would, and
        two such calls would deadlock."""
        q = (
            select(Task.status_code)
            .where(Task.app_pk == self.app.pk, Task.pk == pk)
            .with_for_update(key_share=True)
        )
        return await self.session.scalar(q)

    async def finish(self, pk: int, code: int, details: str = "") -> None:
        """An IN_PROGRESS task has nothing left to do: DONE, or IDLE for an
        auto-annotating one (a status the user set stays as it is)."""
        await self.session.execute(
            update(Task)
            .where(Task.app_pk == self.app.pk, Task.pk == pk, Task.status_code == IN_PROGRESS)
            .values(status_code=code, status_details=details)
        )

    async def delete(self, ids: Sequence[str]) -> None:
        await self.session.execute(
            delete(Task).where(Task.app_pk == self.app.pk, Task.id == any_of(ids))
        )
