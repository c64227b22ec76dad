"""Feedback on predictions and searches, kept as sent and indexed for the
filters and counts of ListFeedback and GetFeedbackSummary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Identity, Index, Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base
from storage.listing import Order, Page
from storage.scoped import AppScoped


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_app_order", "app_pk", "created_at", "pk"),
        Index("ix_feedback_app_model", "app_pk", "model_id"),
        Index(
            "ix_feedback_concepts", "positive_concepts", "negative_concepts", postgresql_using="gin"
        ),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    user_id: Mapped[str]
    model_id: Mapped[str] = mapped_column(default="")
    model_version_id: Mapped[str] = mapped_column(default="")
    input_id: Mapped[str] = mapped_column(default="")
    event_type: Mapped[str]
    output_id: Mapped[str] = mapped_column(default="")
    search_id: Mapped[str] = mapped_column(default="")
    end_user_id: Mapped[str] = mapped_column(default="")
    session_id: Mapped[str] = mapped_column(default="")
    # Concept ids judged present / absent, on the input or on its regions.
    positive_concepts: Mapped[list[str]] = mapped_column(default=list)
    negative_concepts: Mapped[list[str]] = mapped_column(default=list)
    # One entry per region: accurate, misplaced, not_detected, false_positive.
    region_feedback: Mapped[list[str]] = mapped_column(default=list)
    # The Input as sent (json_format, snake_case).
    input: Mapped[dict[str, Any]]


# Newest first.
LIST_FEEDBACK = Order(
    "ListFeedback",
    scope=[Feedback.app_pk],
    columns=[Feedback.created_at, Feedback.pk],
    descending=True,
)


@dataclass(frozen=True)
class Filter:
    model_id: str = ""
    model_version_id: str = ""
    concept_id: str = ""
    event_type: str = ""
    end_user_id: str = ""
    session_id: str = ""
    input_id: str = ""


def _matching(q: Select, f: Filter) -> Select:
    for column in (
        "model_id",
        "model_version_id",
        "event_type",
        "end_user_id",
        "session_id",
        "input_id",
    ):
        if value := getattr(f, column):
            q = q.where(getattr(Feedback, column) == value)
    if f.concept_id:
        q = q.where(
            Feedback.positive_concepts.contains([f.concept_id])
            | Feedback.negative_concepts.contains([f.concept_id])
        )
    return q


class FeedbackStorage(AppScoped[Feedback]):
    """The app's feedback records."""

    model = Feedback

    def _of_app(self, f: Filter) -> Select:
        return _matching(select(Feedback).where(Feedback.app_pk == self.app.pk), f)

    async def add(self, values: dict[str, Any]) -> None:
        """One feedback record (the columns of `Feedback` by name)."""
        await self.session.execute(insert(Feedback).values(app_pk=self.app.pk, **values))

    async def page(self, f: Filter, at: Page) -> list[Feedback]:
        return await listing.page(self.session, self._of_app(f), LIST_FEEDBACK, at)

    async def counts(self, f: Filter) -> dict[str, Any]:
        """Totals by model, concept (with true/false), event type, end user and
        region judgement, each computed in the database."""
        base = self._of_app(f).subquery()

        async def grouped(column: Any) -> list[tuple[str, int]]:
            q = select(column, func.count()).select_from(base).group_by(column).order_by(column)
            return [(k, n) for k, n in (await self.session.execute(q)).all() if k]

        async def unnested(column: Any) -> list[tuple[str, int]]:
            items = select(func.unnest(column).label("item")).select_from(base).subquery()
            q = select(items.c.item, func.count()).group_by(items.c.item).order_by(items.c.item)
            return [(k, n) for k, n in (await self.session.execute(q)).all()]

        total = await self.session.scalar(select(func.count()).select_from(base))
        return {
            "total": total or 0,
            "by_model": await grouped(base.c.model_id),
            "by_event_type": await grouped(base.c.event_type),
            "by_end_user": await grouped(base.c.end_user_id),
            "positive": dict(await unnested(base.c.positive_concepts)),
            "negative": dict(await unnested(base.c.negative_concepts)),
            "by_region_feedback": await unnested(base.c.region_feedback),
        }
