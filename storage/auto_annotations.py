"""Which inputs an auto-annotating task has annotated (server/auto_annotation.py).

A row is written when the task's job takes an input, in the transaction
that writes the input's annotations: an input taken is annotated once,
however often the task's jobs run (a retry, a second job for the same new
inputs, two at once: the second waits on the first's rows and skips
them). An input the model failed on keeps its row, marked failed with the
reason, and is not tried again. Rows go with their task and their input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import ColumnElement, ForeignKey, Index, delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base
from storage.inputs import Input
from storage.scoped import AppScope


class AutoAnnotatedInput(Base):
    __tablename__ = "task_auto_inputs"
    __table_args__ = (
        # Deleting an input deletes its rows.
        Index("ix_task_auto_inputs_input", "input_pk"),
    )

    task_pk: Mapped[int] = mapped_column(
        ForeignKey("tasks.pk", ondelete="CASCADE"), primary_key=True
    )
    input_pk: Mapped[int] = mapped_column(
        ForeignKey("inputs.pk", ondelete="CASCADE"), primary_key=True
    )
    # The model (or workflow) failed on the input: it was skipped.
    failed: Mapped[bool] = mapped_column(default=False)
    details: Mapped[str] = mapped_column(default="")


class AutoAnnotationStorage:
    """The app's inputs its auto-annotating tasks have taken."""

    def __init__(self, session: AsyncSession, app: AppScope) -> None:
        self.session = session
        self.app = app

    def _untaken(self, task_pk: int) -> ColumnElement[bool]:
        return ~exists().where(
            AutoAnnotatedInput.task_pk == task_pk, AutoAnnotatedInput.input_pk == Input.pk
        )

    async def take(
        self,
        task_pk: int,
        source: Sequence[ColumnElement[bool]],
        after: int,
        limit: int,
        among: Sequence[int] | None = None,
    ) -> tuple[list[tuple[int, str]], int | None]:
        """The task's next inputs not taken yet (by pk after `after`, of
        `among` when given, at most `limit`), taken now: their (pk, id), and
        the pk to go on after (None: no input is left after `after`). An
        input another job is taking is skipped (it waits for that job's
        transaction, then finds it taken)."""
        q = select(Input.pk, Input.id).where(*source, Input.pk > after, self._untaken(task_pk))
        if among is not None:
            q = q.where(Input.pk.in_(list(among)))
        found = list(await self.session.execute(listing.take(q.order_by(Input.pk), limit)))
        if not found:
            return [], None
        stmt = (
            insert(AutoAnnotatedInput)
            .values([{"task_pk": task_pk, "input_pk": pk} for pk, _ in found])
            .on_conflict_do_nothing()
            .returning(AutoAnnotatedInput.input_pk)
        )
        taken = set(await self.session.scalars(stmt))
        return [(pk, i) for pk, i in found if pk in taken], found[-1][0]

    async def failed(self, task_pk: int, reasons: Mapping[int, str]) -> None:
        """These inputs (by pk) were skipped: the model failed on them."""
        for input_pk, details in reasons.items():
            await self.session.execute(
                update(AutoAnnotatedInput)
                .where(
                    AutoAnnotatedInput.task_pk == task_pk,
                    AutoAnnotatedInput.input_pk == input_pk,
                )
                .values(failed=True, details=details)
            )

    async def left(self, task_pk: int, source: Sequence[ColumnElement[bool]]) -> bool:
        """Whether an input of the task's source is not taken yet."""
        q = select(exists().where(*source, self._untaken(task_pk)))
        return bool(await self.session.scalar(q))

    async def failures(self, task_pk: int) -> tuple[int, str]:
        """How many inputs the task skipped, and one of their reasons."""
        q = select(func.count(), func.min(AutoAnnotatedInput.details)).where(
            AutoAnnotatedInput.task_pk == task_pk, AutoAnnotatedInput.failed
        )
        count, details = (await self.session.execute(q)).one()
        return int(count or 0), details or ""

    async def forget(self, task_pks: Sequence[int]) -> None:
        """The tasks start over: no input is taken."""
        if task_pks:
            await self.session.execute(
                delete(AutoAnnotatedInput).where(AutoAnnotatedInput.task_pk.in_(list(task_pks)))
            )
