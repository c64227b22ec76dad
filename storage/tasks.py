"""Tasks: labeling work over an app's inputs. The task is kept as the Task
message (JSON, snake_case) as the user sent it; the users, input source and
status are copied into columns so that list filters use indexes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, Timestamps, ids_in, rows_by_id
from storage.scoped import AppScoped


class Task(Timestamps, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index("ix_tasks_app_order", "app_pk", "created_at", "pk"),
        Index("ix_tasks_worker_user_ids", "worker_user_ids", postgresql_using="gin"),
        Index("ix_tasks_reviewer_user_ids", "reviewer_user_ids", postgresql_using="gin"),
        Index("ix_tasks_app_input_source", "app_pk", "input_source_type", "input_source_id"),
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


@dataclass(frozen=True)
class Filters:
    """ListTasks filters; each given one narrows the list (ANY of its values)."""

    ids: list[str] = field(default_factory=list)
    worker_user_ids: list[str] = field(default_factory=list)
    reviewer_user_ids: list[str] = field(default_factory=list)
    input_source_type: int = 0
    input_source_ids: list[str] = field(default_factory=list)


class TaskStorage(AppScoped[Task]):
    """The app's labeling tasks."""

    model = Task

    async def get(self, task_id: str) -> Task | None:
        return await self.session.scalar(
            select(Task).where(Task.app_pk == self.app.pk, Task.id == task_id)
        )

    async def get_many(self, ids: list[str], *, lock: bool = False) -> dict[str, Task]:
        return await rows_by_id(self.session, Task, self.app, ids, lock=lock)

    async def existing_ids(self, ids: list[str]) -> set[str]:
        return await ids_in(self.session, Task, self.app, ids)

    async def add(self, rows: list[Task]) -> None:
        for row in rows:
            row.app_pk = self.app.pk
        self.session.add_all(rows)
        await self.session.flush()

    async def list_(self, filters: Filters, *, limit: int, offset: int) -> list[Task]:
        q = select(Task).where(Task.app_pk == self.app.pk)
        if filters.ids:
            q = q.where(Task.id.in_(filters.ids))
        if filters.worker_user_ids:
            q = q.where(Task.worker_user_ids.overlap(filters.worker_user_ids))
        if filters.reviewer_user_ids:
            q = q.where(Task.reviewer_user_ids.overlap(filters.reviewer_user_ids))
        if filters.input_source_type:
            q = q.where(Task.input_source_type == filters.input_source_type)
        if filters.input_source_ids:
            q = q.where(Task.input_source_id.in_(filters.input_source_ids))
        q = q.order_by(Task.created_at, Task.pk).limit(limit).offset(offset)
        return list(await self.session.scalars(q))

    async def delete_(self, ids: list[str]) -> None:
        await self.session.execute(delete(Task).where(Task.app_pk == self.app.pk, Task.id.in_(ids)))
