"""Concepts of an app, their names in other languages, and the knowledge
graph's relations between them.

A concept's own name is in the language it was created in (the app's default
language then); other languages live in concept_languages. A relation is
stored once, as posted, and read from either end: the object's side sees the
inverse predicate (hyponym <-> hypernym; synonym stays synonym). Two concepts
have at most one relation between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Identity,
    Index,
    UniqueConstraint,
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, aliased, mapped_column

from storage import annotations
from storage.apps import App, AppScope
from storage.base import Base, Timestamps, ids_in, rows_by_id
from storage.scoped import AppScoped

PRIVATE = 10  # Visibility.PRIVATE

HYPONYM, HYPERNYM, SYNONYM = "hyponym", "hypernym", "synonym"
PREDICATES = (HYPONYM, HYPERNYM, SYNONYM)
INVERSE = {HYPONYM: HYPERNYM, HYPERNYM: HYPONYM, SYNONYM: SYNONYM}


def _name_search_index(name: str) -> Index:
    """Name searches (in own names and translations alike) are prefix
    matches on the lower-cased name within one language."""
    return Index(
        name,
        "app_pk",
        "language",
        func.lower(text("name")).label("lower_name"),
        postgresql_ops={"lower_name": "text_pattern_ops"},
    )


class Concept(Timestamps, Base):
    # Read back on INSERT only: a PatchConcepts flush then sends its UPDATEs
    # as one executemany instead of an UPDATE ... RETURNING per row (no
    # answer shows a concept's modified_at).
    __mapper_args__ = {"eager_defaults": "auto"}
    __tablename__ = "concepts"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index("ix_concepts_app_order", "app_pk", "created_at", "pk"),
        _name_search_index("ix_concepts_app_language_name"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    name: Mapped[str]
    # The language `name` and `definition` are in.
    language: Mapped[str]
    definition: Mapped[str] = mapped_column(default="")
    vocab_id: Mapped[str] = mapped_column(default="")
    visibility: Mapped[int] = mapped_column(default=PRIVATE)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)


class ConceptLanguage(Timestamps, Base):
    __mapper_args__ = {"eager_defaults": "auto"}  # as Concept's
    __tablename__ = "concept_languages"
    __table_args__ = (
        UniqueConstraint("concept_pk", "language"),
        _name_search_index("ix_concept_languages_app_language_name"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    concept_pk: Mapped[int] = mapped_column(ForeignKey("concepts.pk", ondelete="CASCADE"))
    language: Mapped[str]
    name: Mapped[str]
    definition: Mapped[str] = mapped_column(default="")


class ConceptRelation(Timestamps, Base):
    __tablename__ = "concept_relations"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        # One relation per pair of concepts, whichever end it was posted from.
        Index(
            "uq_concept_relations_pair",
            "app_pk",
            func.least(text("subject_pk"), text("object_pk")),
            func.greatest(text("subject_pk"), text("object_pk")),
            unique=True,
        ),
        Index("ix_concept_relations_subject", "subject_pk"),
        Index("ix_concept_relations_object", "object_pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]
    subject_pk: Mapped[int] = mapped_column(ForeignKey("concepts.pk", ondelete="CASCADE"))
    object_pk: Mapped[int] = mapped_column(ForeignKey("concepts.pk", ondelete="CASCADE"))
    predicate: Mapped[str]


# ---- concepts ----


def _default_language(app: AppScope) -> Any:
    return select(App.default_language).where(App.pk == app.pk).scalar_subquery()


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Named:
    """A concept with its name and definition in one language."""

    concept: Concept
    name: str
    definition: str
    language: str


# Per concept and input status: how many inputs carry the concept as a
# positive (value > 0) and as a negative (value 0, which json_format leaves
# out) label, input-level or inside a region, in annotations that succeeded.
_COUNTS = text(
    """
    SELECT x.concept_id, i.status_code,
           count(DISTINCT a.input_id) FILTER (WHERE x.value > 0) AS positive,
           count(DISTINCT a.input_id) FILTER (WHERE x.value = 0) AS negative
    FROM annotations a
    JOIN inputs i ON i.app_pk = a.app_pk AND i.id = a.input_id
    CROSS JOIN LATERAL (
        SELECT c ->> 'id' AS concept_id, COALESCE((c ->> 'value')::float8, 0) AS value
        FROM jsonb_path_query(a.data, 'lax $.concepts[*]') AS c
        UNION ALL
        SELECT c ->> 'id', COALESCE((c ->> 'value')::float8, 0)
        FROM jsonb_path_query(a.data, 'lax $.regions[*].data.concepts[*]') AS c
    ) AS x
    WHERE a.app_pk = :app_pk AND a.status_code = :success AND x.concept_id = ANY(:ids)
    GROUP BY x.concept_id, i.status_code
    """
)


# ---- languages ----


# ---- relations ----


@dataclass(frozen=True)
class Edge:
    """A relation as seen from its subject."""

    id: str
    subject: Concept
    predicate: str
    object: Concept


def _edges(app: AppScope, concept: Concept | None, predicate: str) -> Any:
    """Relations as (id, subject_pk, predicate, object_pk, created_at, pk):
    from `concept`'s side when given (both directions, the inverse predicate
    for those it is the object of), otherwise app-wide in the direction
    posted, where a predicate filter also finds the reversed inverse
    relations (stored hyponyms listed as hypernyms)."""
    rel = ConceptRelation
    inverse = case(
        (rel.predicate == HYPONYM, literal(HYPERNYM)),
        (rel.predicate == HYPERNYM, literal(HYPONYM)),
        else_=rel.predicate,
    )
    forward = select(
        rel.id,
        rel.subject_pk,
        rel.predicate.label("predicate"),
        rel.object_pk,
        rel.created_at,
        rel.pk,
    ).where(rel.app_pk == app.pk)
    backward = select(
        rel.id,
        rel.object_pk.label("subject_pk"),
        inverse.label("predicate"),
        rel.subject_pk.label("object_pk"),
        rel.created_at,
        rel.pk,
    ).where(rel.app_pk == app.pk)
    if concept is not None:
        forward = forward.where(rel.subject_pk == concept.pk)
        backward = backward.where(rel.object_pk == concept.pk)
    elif predicate in (HYPONYM, HYPERNYM):
        backward = backward.where(rel.predicate == INVERSE[predicate])
    else:
        return forward.where(rel.predicate == predicate) if predicate else forward
    if predicate:
        forward = forward.where(rel.predicate == predicate)
        backward = backward.where(inverse == predicate)
    return union_all(forward, backward)


class ConceptStorage(AppScoped[Concept]):
    """The app's concepts, their translations and relations."""

    model = Concept

    async def existing_ids(self, ids: list[str]) -> set[str]:
        return await ids_in(self.session, Concept, self.app, ids)

    async def ensure(self, concepts: Iterable[tuple[str, str]]) -> dict[str, str]:
        """The stored name of each concept that labels name as (id, name),
        creating those the app lacks in its default language (the name defaults
        to the id). A label never renames a concept that exists."""
        named: dict[str, str] = {}
        for concept_id, name in concepts:
            named.setdefault(concept_id, name or concept_id)
        if not named:
            return {}
        names = await self._names(list(named))
        lacking = [c for c in named if c not in names]
        if not lacking:
            return names
        language = _default_language(self.app)
        added = await self.session.execute(
            insert(Concept)
            .values(
                [
                    {
                        "app_pk": self.app.pk,
                        "id": concept_id,
                        "name": named[concept_id],
                        "language": language,
                        "definition": "",
                        "vocab_id": "",
                        "visibility": PRIVATE,
                        "metadata": {},
                    }
                    for concept_id in lacking
                ]
            )
            .on_conflict_do_nothing()
            .returning(Concept.id, Concept.name)
        )
        names.update((concept_id, name) for concept_id, name in added)
        if len(names) < len(named):
            # Skipped: a concurrent request added them since we looked.
            names |= await self._names([c for c in lacking if c not in names])
        return names

    async def _names(self, ids: list[str]) -> dict[str, str]:
        rows = await self.session.execute(
            select(Concept.id, Concept.name).where(
                Concept.app_pk == self.app.pk, Concept.id.in_(ids)
            )
        )
        return {concept_id: name for concept_id, name in rows}

    async def insert_new(self, rows: list[dict[str, Any]]) -> dict[str, Concept]:
        """Insert concepts (dicts of column values, without app_pk and language)
        in one statement; returns those inserted, by id. An id that already
        exists, even one added by a concurrent request, is skipped."""
        language = _default_language(self.app)
        result = await self.session.scalars(
            insert(Concept)
            .values([{**row, "app_pk": self.app.pk, "language": language} for row in rows])
            .on_conflict_do_nothing()
            .returning(Concept)
        )
        return {c.id: c for c in result}

    async def get(self, concept_id: str) -> Concept | None:
        return await self.session.scalar(
            select(Concept).where(Concept.app_pk == self.app.pk, Concept.id == concept_id)
        )

    async def get_many(self, ids: list[str]) -> dict[str, Concept]:
        return await rows_by_id(self.session, Concept, self.app, ids)

    async def list_(self, *, limit: int, offset: int, id_contains: str = "") -> list[Concept]:
        q = select(Concept).where(Concept.app_pk == self.app.pk)
        if id_contains:
            q = q.where(Concept.id.ilike(f"%{like_escape(id_contains)}%", escape="\\"))
        q = q.order_by(Concept.created_at, Concept.pk).limit(limit).offset(offset)
        return list(await self.session.scalars(q))

    async def search(
        self,
        *,
        pattern: str,
        language: str,
        limit: int,
        offset: int,
    ) -> list[Named]:
        """Concepts whose name in `language` matches `pattern`, a LIKE pattern
        (escaped with backslash) matched case-insensitively, ordered by that name."""
        own = select(
            Concept.pk.label("concept_pk"),
            Concept.name.label("name"),
            Concept.definition.label("definition"),
        ).where(
            Concept.app_pk == self.app.pk,
            Concept.language == language,
            func.lower(Concept.name).like(func.lower(pattern), escape="\\"),
        )
        translated = select(
            ConceptLanguage.concept_pk,
            ConceptLanguage.name,
            ConceptLanguage.definition,
        ).where(
            ConceptLanguage.app_pk == self.app.pk,
            ConceptLanguage.language == language,
            func.lower(ConceptLanguage.name).like(func.lower(pattern), escape="\\"),
        )
        hits = union_all(own, translated).subquery()
        rows = await self.session.execute(
            select(Concept, hits.c.name, hits.c.definition)
            .join(hits, hits.c.concept_pk == Concept.pk)
            .order_by(func.lower(hits.c.name), Concept.id)
            .limit(limit)
            .offset(offset)
        )
        return [Named(c, name, definition, language) for c, name, definition in rows]

    async def label_counts(self, concept_ids: list[str]) -> dict[tuple[str, int], tuple[int, int]]:
        """(concept id, input status) -> (positive, negative) input counts."""
        if not concept_ids:
            return {}
        rows = await self.session.execute(
            _COUNTS, {"app_pk": self.app.pk, "success": annotations.SUCCESS, "ids": concept_ids}
        )
        return {(cid, status): (pos, neg) for cid, status, pos, neg in rows}

    async def languages_of(
        self, concept: Concept, *, limit: int, offset: int
    ) -> list[ConceptLanguage]:
        rows = await self.session.scalars(
            select(ConceptLanguage)
            .where(ConceptLanguage.app_pk == self.app.pk, ConceptLanguage.concept_pk == concept.pk)
            .order_by(ConceptLanguage.language)
            .limit(limit)
            .offset(offset)
        )
        return list(rows)

    async def languages_by_id(
        self, concept: Concept, languages: list[str]
    ) -> dict[str, ConceptLanguage]:
        rows = await self.session.scalars(
            select(ConceptLanguage).where(
                ConceptLanguage.app_pk == self.app.pk,
                ConceptLanguage.concept_pk == concept.pk,
                ConceptLanguage.language.in_(languages),
            )
        )
        return {row.language: row for row in rows}

    async def add_languages(self, concept: Concept, rows: list[dict[str, str]]) -> set[str]:
        """Insert translations (language, name, definition) in one statement;
        returns the languages inserted (one already there is skipped)."""
        result = await self.session.scalars(
            insert(ConceptLanguage)
            .values([{**row, "app_pk": self.app.pk, "concept_pk": concept.pk} for row in rows])
            .on_conflict_do_nothing()
            .returning(ConceptLanguage.language)
        )
        return set(result)

    async def add_relations(self, rows: list[tuple[str, Concept, str, Concept]]) -> set[str]:
        """Insert relations (id, subject, predicate, object) in one statement;
        returns the ids inserted. A pair of concepts already related, or an id
        already used, is skipped."""
        result = await self.session.scalars(
            insert(ConceptRelation)
            .values(
                [
                    {
                        "app_pk": self.app.pk,
                        "id": rid,
                        "subject_pk": subject.pk,
                        "predicate": predicate,
                        "object_pk": obj.pk,
                    }
                    for rid, subject, predicate, obj in rows
                ]
            )
            .on_conflict_do_nothing()
            .returning(ConceptRelation.id)
        )
        return set(result)

    async def relations_between(
        self, pairs: list[tuple[Concept, Concept]]
    ) -> dict[frozenset[int], str]:
        """The ids of existing relations between any of these pairs, by pair."""
        if not pairs:
            return {}
        rel = ConceptRelation
        wanted = [
            or_(
                and_(rel.subject_pk == a.pk, rel.object_pk == b.pk),
                and_(rel.subject_pk == b.pk, rel.object_pk == a.pk),
            )
            for a, b in pairs
        ]
        rows = await self.session.execute(
            select(rel.subject_pk, rel.object_pk, rel.id).where(
                rel.app_pk == self.app.pk, or_(*wanted)
            )
        )
        return {frozenset((s, o)): rid for s, o, rid in rows}

    async def list_relations(
        self,
        concept: Concept | None,
        predicate: str,
        *,
        limit: int,
        offset: int,
    ) -> list[Edge]:
        edges = _edges(self.app, concept, predicate).subquery()
        subject, obj = aliased(Concept), aliased(Concept)
        rows = await self.session.execute(
            select(edges.c.id, subject, edges.c.predicate, obj)
            .join(subject, subject.pk == edges.c.subject_pk)
            .join(obj, obj.pk == edges.c.object_pk)
            .order_by(edges.c.created_at, edges.c.pk, edges.c.subject_pk)
            .limit(limit)
            .offset(offset)
        )
        return [Edge(rid, s, p, o) for rid, s, p, o in rows]

    async def relation_ids_in_app(self, ids: list[str]) -> set[str]:
        rows = await self.session.scalars(
            select(ConceptRelation.id).where(
                ConceptRelation.app_pk == self.app.pk, ConceptRelation.id.in_(ids)
            )
        )
        return set(rows)

    async def relation_ids_of(self, concept: Concept, ids: list[str]) -> set[str]:
        """Which of `ids` are relations `concept` takes part in."""
        rel = ConceptRelation
        rows = await self.session.scalars(
            select(rel.id).where(
                rel.app_pk == self.app.pk,
                rel.id.in_(ids),
                or_(rel.subject_pk == concept.pk, rel.object_pk == concept.pk),
            )
        )
        return set(rows)

    async def delete_relations(self, ids: list[str]) -> None:
        await self.session.execute(
            delete(ConceptRelation).where(
                ConceptRelation.app_pk == self.app.pk, ConceptRelation.id.in_(ids)
            )
        )
