"""Searches: every search run or saved, and the queries that find its hits.

Each search a client runs is recorded under its id (what it asked, who,
when, of inputs or of annotations), so feedback can name it
(PostSearchFeedback); a run's record is forgotten after
CLARIFAI_LOCAL_MODEL_OUTPUT_DAYS like a prediction's output id. A saved
search is kept until deleted, and runs again as of its `as_of`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    bindparam,
    delete,
    exists,
    false,
    func,
    insert,
    select,
    text,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.util import LRUCache

from storage import annotations as annotation_store
from storage import inputs as input_store
from storage import listing
from storage.annotations import Annotation
from storage.base import Base, Timestamps, any_of, any_param
from storage.cancellation import to_the_end
from storage.concepts import Concept, ConceptLanguage
from storage.dataset_inputs import DatasetInput
from storage.inputs import Input
from storage.listing import Order, Page
from storage.prepared import Fill, Prepared, built_rows
from storage.scoped import AppScoped
from storage.search_filters import (
    Concepts,
    Filter,
    Selection,
    annotation_conditions,
    input_conditions,
    names,
    shaped,
    with_concepts,
)

INPUTS, ANNOTATIONS = "inputs", "annotations"


class SearchRecord(Timestamps, Base):
    __tablename__ = "searches"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # ListSearches: the saved ones, newest first.
        Index("ix_searches_app_saved_order", "app_pk", "saved", "created_at", "pk"),
        # The sweep of runs older than the retention.
        Index("ix_searches_runs_created_at", "created_at", postgresql_where=text("NOT saved")),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    # What it finds: inputs or annotations.
    kind: Mapped[str]
    saved: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(default="")
    # Who ran or saved it.
    user_id: Mapped[str] = mapped_column(default="")
    # The Search as sent (json_format, snake_case) without the fields the
    # columns hold (id, name, as_of, times, save).
    search: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # A saved search's results are those of this time.
    as_of: Mapped[datetime | None] = mapped_column(default=None)


# ListSearches, newest first.
LIST_SAVED = Order(
    "ListSearches",
    scope=[SearchRecord.app_pk, SearchRecord.saved],
    columns=[SearchRecord.created_at, SearchRecord.pk],
    descending=True,
)
# PostAnnotationsSearches without ranks: newest annotations first, on
# ix_annotations_app_order read backwards.
ANNOTATION_HITS = Order(
    "PostAnnotationsSearches",
    scope=[Annotation.app_pk],
    columns=[Annotation.created_at, Annotation.pk],
    descending=True,
)


async def drop_runs_older(session: AsyncSession, days: float) -> int:
    """Forget the ids of searches run (not saved) more than `days` ago
    (feedback can no longer name them); how many went."""
    result = await session.execute(
        delete(SearchRecord).where(
            SearchRecord.saved == false(),
            SearchRecord.created_at < func.now() - timedelta(days=days),
        )
    )
    return result.rowcount or 0


# A run's record, written on its own (storage/prepared.py).
_RUN = Prepared(
    insert(SearchRecord.__table__)
    .inline()  # no RETURNING of the new pk: nothing reads it
    .values(
        saved=false(),
        **{
            name: bindparam(name)
            for name in ("app_pk", "id", "kind", "name", "user_id", "search", "as_of")
        },
    )
)

_FORGET_RUN = Prepared(
    delete(SearchRecord.__table__).where(
        SearchRecord.app_pk == bindparam("app_pk"),
        SearchRecord.id == bindparam("id"),
        SearchRecord.saved == false(),
    )
)


class SearchStorage(AppScoped[SearchRecord]):
    """The app's recorded and saved searches, and its hits."""

    model = SearchRecord

    # ---- records ----

    async def record(self, values: dict[str, Any]) -> SearchRecord | None:
        """A new search (its columns by name, id included; a saved one
        without as_of is as of now); None when the app already has a search
        of that id."""
        if values.get("saved") and values.get("as_of") is None:
            values = {**values, "as_of": func.now()}
        made = await self.create([values])
        return made.get(values["id"])

    @asynccontextmanager
    async def recording_run(self, values: dict[str, Any]) -> AsyncIterator[None]:
        """Record a search run (its columns by name, id included: a new one)
        if the block, which runs it, succeeds: every search writes one,
        committed on its own (storage/prepared.py). Where it has a
        connection of its own, the record is written while the block runs
        (the search's answer waits for one round trip, not two) and removed
        again if the block fails: a failed call leaves nothing."""
        params = {**values, "app_pk": self.app.pk}
        if not _RUN.apart(self.session):
            yield
            await _RUN.record(self.session, **params)
            return
        writing = asyncio.ensure_future(_RUN.record(self.session, **params))
        try:
            yield
        except BaseException:
            _, cancelled = await to_the_end(self._unwrite(writing, params))
            if cancelled:
                raise asyncio.CancelledError from None
            raise
        await writing

    async def _unwrite(self, writing: asyncio.Future[None], params: dict[str, Any]) -> None:
        """Remove the record `writing` writes, once written (if it was)."""
        try:
            await writing
        except Exception:
            return  # not written
        # Failing too (the database lost), it leaves a record no answer
        # named, forgotten with the other runs' (drop_runs_older).
        with contextlib.suppress(Exception):
            await _FORGET_RUN.record(self.session, app_pk=params["app_pk"], id=params["id"])

    async def overwrite(
        self, row: SearchRecord, changes: dict[str, Any], as_of: datetime | None
    ) -> SearchRecord:
        """A saved search saved anew with `changes`, as of `as_of` (now when None)."""
        return await self.update(row, {**changes, "as_of": func.now() if as_of is None else as_of})

    async def saved(self, ids: Sequence[str]) -> dict[str, SearchRecord]:
        """The saved searches of these ids, by id."""
        found = await self.get_many(ids)
        return {i: row for i, row in found.items() if row.saved}

    async def page_saved(self, at: Page) -> list[SearchRecord]:
        q = select(SearchRecord).where(
            SearchRecord.app_pk == self.app.pk, SearchRecord.saved == true()
        )
        return await listing.page(self.session, q, LIST_SAVED, at)

    async def delete(self, row: SearchRecord) -> None:
        await self.session.execute(
            delete(SearchRecord).where(
                SearchRecord.app_pk == self.app.pk, SearchRecord.pk == row.pk
            )
        )

    async def issued(self, search_id: str) -> bool:
        """Whether the app ran or saved a search of this id (still kept)."""
        return bool(await self.existing_ids([search_id]))

    # ---- hits ----

    async def _resolved(self, filters: Sequence[Filter], language: str) -> list[Filter]:
        """The filters with concept names turned into the ids of the app's
        concepts of that name (their own, or a translation in `language`,
        any when none is given), case-insensitively."""
        wanted = names(filters)
        if not wanted:
            return list(filters)
        by_name = await self._concept_ids([n.lower() for n in wanted], language)

        def resolve(c: Concepts) -> Concepts:
            ids = {i for n in c.names for i in by_name.get(n.lower(), ())}
            return Concepts(tuple(sorted({*c.ids, *ids})), (), c.positive)

        return list(with_concepts(filters, resolve))

    async def _concept_ids(self, lowered: list[str], language: str) -> dict[str, set[str]]:
        own = select(func.lower(Concept.name), Concept.id).where(
            Concept.app_pk == self.app.pk, func.lower(Concept.name) == any_of(lowered)
        )
        translated = (
            select(func.lower(ConceptLanguage.name), Concept.id)
            .join(Concept, Concept.pk == ConceptLanguage.concept_pk)
            .where(
                ConceptLanguage.app_pk == self.app.pk,
                func.lower(ConceptLanguage.name) == any_of(lowered),
            )
        )
        if language:
            own = own.where(Concept.language == language)
            translated = translated.where(ConceptLanguage.language == language)
        found: dict[str, set[str]] = {}
        for name, concept_id in await built_rows(self.session, own.union(translated)):
            found.setdefault(name, set()).add(concept_id)
        return found

    async def _inputs(self, query: Select, sel: Selection) -> Select:
        resolved = await self._resolved(sel.filters, sel.language)
        return self._inputs_of(query, resolved, sel.as_of)

    def _inputs_of(
        self, query: Select, resolved: Sequence[Filter], as_of: datetime | None
    ) -> Select:
        q = query.where(Input.app_pk == self.app.pk, *input_conditions(resolved, as_of))
        return q if as_of is None else q.where(Input.created_at <= as_of)

    async def _annotations(self, query: Select, sel: Selection) -> Select:
        resolved = await self._resolved(sel.filters, sel.language)
        return self._annotations_of(query, resolved, sel.as_of)

    def _annotations_of(
        self, query: Select, resolved: Sequence[Filter], as_of: datetime | None
    ) -> Select:
        q = query.join(
            Input, (Input.app_pk == Annotation.app_pk) & (Input.id == Annotation.input_id)
        ).where(Annotation.app_pk == self.app.pk, *annotation_conditions(resolved, as_of))
        if as_of is None:
            return q
        return q.where(Annotation.created_at <= as_of, Input.created_at <= as_of)

    async def input_page(self, sel: Selection, at: Page, inline_text: int) -> list[input_store.Row]:
        """The page of inputs selected, newest first."""
        q, fill = await self.input_page_query(sel, at, inline_text)
        return input_store.rows(await built_rows(self.session, q, fill))

    async def input_page_query(
        self, sel: Selection, at: Page, inline_text: int
    ) -> tuple[Select, Fill]:
        """Its statement and the values to fill in (bench/bench_search.py
        runs it beside hand SQL)."""
        shapes, fill = shaped(await self._resolved(sel.filters, sel.language))

        def build() -> Select:
            q = self._inputs_of(input_store.selected(inline_text), shapes, sel.as_of)
            return listing.page_query(q, input_store.LIST, at)

        key = ("input page", self.app.pk, inline_text, at, sel.as_of, shapes)
        return _kept(key, build), fill

    async def annotation_page(self, sel: Selection, at: Page) -> list[annotation_store.Row]:
        """The page of annotations selected, newest first."""
        shapes, fill = shaped(await self._resolved(sel.filters, sel.language))

        def build() -> Select:
            q = self._annotations_of(annotation_store.selected(), shapes, sel.as_of)
            return listing.page_query(q, ANNOTATION_HITS, at)

        page = _kept(("annotation page", self.app.pk, at, sel.as_of, shapes), build)
        return annotation_store.rows(await built_rows(self.session, page, fill))

    async def count(self, kind: str, sel: Selection) -> int:
        """How many inputs (or annotations) are selected."""
        if kind == INPUTS:
            q = await self._inputs(select(func.count()), sel)
        else:
            q = await self._annotations(select(func.count()).select_from(Annotation), sel)
        ((found,),) = await built_rows(self.session, q)
        return int(found or 0)

    async def candidates(self, kind: str, sel: Selection) -> Select:
        """The pks of the inputs selected (with an annotation selected, for
        an annotation search): what ranks order."""
        if kind == INPUTS:
            return await self._inputs(select(Input.pk), sel)
        q = await self._annotations(select(Input.pk).select_from(Annotation), sel)
        return q.distinct()

    async def annotation_candidates(self, sel: Selection) -> Select:
        """The pks of the annotations selected."""
        return await self._annotations(select(Annotation.pk), sel)

    async def dataset_annotation_pks(
        self, sel: Selection, dataset_pk: int, *, status: int | None, not_by: str | None
    ) -> list[int]:
        """The annotations selected among those of the dataset's inputs (an
        annotation filter's choice for a version); only of `status` and not
        of the model version `not_by`, when given."""
        q = await self._annotations(select(Annotation.pk).select_from(Annotation), sel)
        q = q.where(
            exists(
                select(DatasetInput.pk).where(
                    DatasetInput.app_pk == Annotation.app_pk,
                    DatasetInput.dataset_pk == dataset_pk,
                    DatasetInput.input_id == Annotation.input_id,
                )
            )
        )
        if status is not None:
            q = q.where(Annotation.status_code == status)
        if not_by is not None:
            q = q.where(Annotation.model_version_id != not_by)
        return list(await self.session.scalars(q))

    async def inputs_by_pk(
        self, pks: Sequence[int], inline_text: int
    ) -> dict[int, input_store.Row]:
        if not pks:
            return {}
        found = await _INPUTS_BY_PK.rows(
            self.session, app_pk=self.app.pk, pks=sorted(set(pks)), inline_text=inline_text
        )
        return {r.pk: r for r in input_store.rows(found)}

    async def annotations_of(
        self, pks: Sequence[int], sel: Selection
    ) -> list[tuple[int, annotation_store.Row]]:
        """The annotations selected of the inputs of these pks, each with
        its input's pk, newest first."""
        q = await self._annotations(annotation_store.selected().add_columns(Input.pk), sel)
        q = q.where(Input.pk.in_(set(pks))).order_by(
            Annotation.created_at.desc(), Annotation.pk.desc()
        )
        return [
            (row[-1], annotation_store.Row(*row[:-1])) for row in await built_rows(self.session, q)
        ]


# A ranked search's hits, by pk (compiled once: storage/prepared.py).
_INPUTS_BY_PK = Prepared(
    input_store.selected(bindparam("inline_text")).where(
        Input.app_pk == bindparam("app_pk"),
        Input.pk == any_param("pks", BigInteger),
    )
)

# The statements of the pages searched last, by what they depend on (_kept).
_KEPT: LRUCache[str, Select] = LRUCache(128)
# Longer keys (a filter of many ids, say) are built each time, not kept.
_KEPT_KEY_CHARS = 4096


def _kept(key: tuple[Any, ...], build: Callable[[], Select]) -> Select:
    """The statement `build` makes, made once per key: a search asked again
    (a client polling, one filter from many callers) skips building its
    expression and, since a statement keeps its own, its cache key (a fifth
    of a filter search's server CPU). The key is the repr of everything the
    statement depends on (the app, the filters with their concept ids and
    metadata as placeholders, storage/search_filters.py `shaped`, the
    page): a repr tells 1, 1.0 and True apart, which equality does not,
    and JSON containment does."""
    text_key = repr(key)
    if len(text_key) > _KEPT_KEY_CHARS:
        return build()
    found = _KEPT.get(text_key)
    if found is None:
        found = _KEPT[text_key] = build()
    return found
