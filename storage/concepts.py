"""Concepts of an app, their names in other languages, and the knowledge
graph's relations between them.

A concept's own name is in the language it was created in (the app's default
language then); other languages live in concept_languages. A relation is
stored once, as posted, and read from either end: the object's side sees the
inverse predicate (hyponym <-> hypernym; synonym stays synonym). Two concepts
have at most one relation between them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ForeignKey,
    Identity,
    Index,
    Select,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    column,
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

from storage import annotations, listing
from storage.apps import App, AppScope
from storage.base import Base, Timestamps, any_of, any_param
from storage.listing import Order, Page
from storage.prepared import Prepared
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


# ---- the lists' orders ----

LIST_CONCEPTS = Order(
    "ListConcepts", scope=[Concept.app_pk], columns=[Concept.created_at, Concept.pk]
)
GET_CONCEPT_COUNTS = Order(
    "GetConceptCounts", scope=[Concept.app_pk], columns=[Concept.created_at, Concept.pk]
)
# A concept's translations by language tag (its own language, kept in the
# concept's row, is listed before them); unique per concept.
LIST_CONCEPT_LANGUAGES = Order(
    "ListConceptLanguages",
    scope=[ConceptLanguage.concept_pk],
    columns=[ConceptLanguage.language],
)
# The two orders below are over the output columns of a union built per call
# (named by label: `_hits` and `_edges` give them these names).
POST_CONCEPTS_SEARCHES = Order(
    "PostConceptsSearches",
    scope=[Concept.app_pk],
    columns=[func.lower(column("hit_name")), Concept.id],
    indexed=False,
    why="a union of own names and translations ordered by the lower-cased name: "
    "each table's (app_pk, language, lower(name)) index finds its half's prefix "
    "matches, no one index holds the merged order",
)
LIST_CONCEPT_RELATIONS = Order(
    "ListConceptRelations",
    scope=[ConceptRelation.app_pk],
    columns=[column("related_at"), column("relation_pk"), column("subject_pk")],
    indexed=False,
    why="relations are read from either end, a union of the subject's side and "
    "the object's (with the inverse predicate): no one index holds the merged order",
)


class Listed(NamedTuple):
    """A concept as a list shows it (read without the ORM)."""

    id: str
    name: str
    definition: str
    language: str
    vocab_id: str
    visibility: int
    metadata_: dict[str, Any]
    created_at: datetime


# ListConcepts' first page, compiled once (storage/prepared.py).
_FIRST_PAGE = Prepared(
    listing.first_page_query(
        select(*(getattr(Concept, name) for name in Listed._fields)).where(
            Concept.app_pk == bindparam("app_pk")
        ),
        LIST_CONCEPTS,
    )
)
# The names of some of the app's concepts (PostInputs and PatchInputs name
# each concept they label with).
_NAMES = Prepared(
    select(Concept.id, Concept.name).where(
        Concept.app_pk == bindparam("app_pk"), Concept.id == any_param("ids")
    )
)


# ---- read values ----


@dataclass(frozen=True)
class Named:
    """A concept with its name and definition in one language."""

    concept: Concept
    name: str
    definition: str
    language: str


def own_name(concept: Concept) -> Named:
    return Named(concept, concept.name, concept.definition, concept.language)


@dataclass(frozen=True)
class LabelCounts:
    """A concept and, per input status, how many inputs carry it as a
    positive and as a negative label."""

    concept: Concept
    by_status: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    """A relation as seen from its subject."""

    id: str
    subject: Concept
    predicate: str
    object: Concept


# ---- statements ----


def _default_language(app: AppScope) -> Any:
    return select(App.default_language).where(App.pk == app.pk).scalar_subquery()


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_pattern(name: str) -> str:
    """A LIKE pattern for a name search: the name is a prefix, and `*` stands
    for any run of characters."""
    return like_escape(name).replace("*", "%") + "%"


def name_matches(query: str, name: str) -> bool:
    """Whether a name search for `query` finds `name`, as _name_pattern's
    LIKE does: a case-insensitive prefix, `*` standing for any run."""
    parts = (re.escape(part) for part in query.lower().split("*"))
    return re.match(".*".join(parts), name.lower(), re.DOTALL) is not None


def _hits(app: AppScope, name: str, language: str) -> Any:
    """Concepts whose name in `language` (their own or a translation) starts
    like `name`, case-insensitively, as (concept_pk, hit_name, hit_definition)."""
    pattern = func.lower(_name_pattern(name))
    own = select(
        Concept.pk.label("concept_pk"),
        Concept.name.label("hit_name"),
        Concept.definition.label("hit_definition"),
    ).where(
        Concept.app_pk == app.pk,
        Concept.language == language,
        func.lower(Concept.name).like(pattern, escape="\\"),
    )
    translated = select(
        ConceptLanguage.concept_pk,
        ConceptLanguage.name,
        ConceptLanguage.definition,
    ).where(
        ConceptLanguage.app_pk == app.pk,
        ConceptLanguage.language == language,
        func.lower(ConceptLanguage.name).like(pattern, escape="\\"),
    )
    return union_all(own, translated).subquery()


# Per concept and input status: how many inputs carry the concept as a
# positive (value > 0) and as a negative (value 0, which json_format leaves
# out) label, input-level or inside a region, in annotations that succeeded
# (the base workflow's predictions, a model's input-level ones, are no labels).
_COUNTS = text(
    f"""
    SELECT x.concept_id, i.status_code,
           count(DISTINCT a.input_id) FILTER (WHERE x.value > 0) AS positive,
           count(DISTINCT a.input_id) FILTER (WHERE x.value = 0) AS negative
    FROM annotations a
    JOIN inputs i ON i.app_pk = a.app_pk AND i.id = a.input_id
    {annotations.LABELS_OF_A}
    WHERE a.app_pk = :app_pk AND a.status_code = :success AND x.concept_id = ANY(:ids)
      AND NOT (a.input_level AND a.model_version_id <> '')
    GROUP BY x.concept_id, i.status_code
    """
)


def _edges(app: AppScope, concept: Concept | None, predicate: str) -> Any:
    """Relations as (id, subject_pk, predicate, object_pk, related_at,
    relation_pk): from `concept`'s side when given (both directions, the
    inverse predicate for those it is the object of), otherwise app-wide in
    the direction posted, where a predicate filter also finds the reversed
    inverse relations (stored hyponyms listed as hypernyms)."""
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
        rel.created_at.label("related_at"),
        rel.pk.label("relation_pk"),
    ).where(rel.app_pk == app.pk)
    backward = select(
        rel.id,
        rel.object_pk.label("subject_pk"),
        inverse.label("predicate"),
        rel.subject_pk.label("object_pk"),
        rel.created_at.label("related_at"),
        rel.pk.label("relation_pk"),
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


# Request values named as the API names them, stored in attributes of
# another name.
_ATTRIBUTES = {"metadata": "metadata_"}


class ConceptStorage(AppScoped[Concept]):
    """The app's concepts, their translations and relations."""

    model = Concept

    # ---- concepts ----

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
        added = await self.session.execute(
            insert(Concept)
            .values([self._new({"id": c, "name": named[c]}) for c in lacking])
            .on_conflict_do_nothing()
            .returning(Concept.id, Concept.name)
        )
        names.update((concept_id, name) for concept_id, name in added)
        if len(names) < len(named):
            # Skipped: a concurrent request added them since we looked.
            names |= await self._names([c for c in lacking if c not in names])
        return names

    async def ids_named(self, names: Iterable[str]) -> dict[str, list[str]]:
        """The ids of the app's concepts called by these names (in any case,
        in their own language), by lower-cased name."""
        lowered = sorted({n.lower() for n in names})
        if not lowered:
            return {}
        rows = await self.session.execute(
            select(func.lower(Concept.name), Concept.id).where(
                Concept.app_pk == self.app.pk, func.lower(Concept.name) == any_of(lowered)
            )
        )
        out: dict[str, list[str]] = {}
        for name, concept_id in rows:
            out.setdefault(name, []).append(concept_id)
        return out

    async def _names(self, ids: list[str]) -> dict[str, str]:
        rows = await _NAMES.rows(self.session, app_pk=self.app.pk, ids=sorted(set(ids)))
        return {concept_id: name for concept_id, name in rows}

    def _new(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """A new concept's column values: those given over the defaults, in
        the app's default language."""
        return {
            "definition": "",
            "vocab_id": "",
            "visibility": PRIVATE,
            "metadata": {},
            **values,
            "app_pk": self.app.pk,
            "language": _default_language(self.app),
        }

    async def add_new(self, concepts: list[dict[str, Any]]) -> dict[str, Concept]:
        """Insert concepts (their values by column name) in one statement;
        returns those inserted, by id. An id that already exists, even one
        added by a concurrent request, is skipped."""
        result = await self.session.scalars(
            insert(Concept)
            .values([self._new(values) for values in concepts])
            .on_conflict_do_nothing()
            .returning(Concept)
        )
        return {c.id: c for c in result}

    async def update(self, changes: Iterable[tuple[Concept, Mapping[str, Any]]]) -> None:
        """Set the changed values (by column name) of concepts read in this
        call; one flush writes them all."""
        for concept, values in changes:
            for name, value in values.items():
                setattr(concept, _ATTRIBUTES.get(name, name), value)
        await self.session.flush()

    def _all(self) -> Select:
        return select(Concept).where(Concept.app_pk == self.app.pk)

    async def page(self, at: Page, *, id_contains: str = "") -> list[Concept] | list[Listed]:
        """The app's concepts in creation order; `id_contains` keeps those
        whose id holds it, case-insensitively."""
        if at.offset == 0 and not id_contains:
            found = await _FIRST_PAGE.rows(self.session, app_pk=self.app.pk, limit=at.limit)
            return [Listed(*row) for row in found]
        q = self._all()
        if id_contains:
            q = q.where(Concept.id.ilike(f"%{like_escape(id_contains)}%", escape="\\"))
        return await listing.page(self.session, q, LIST_CONCEPTS, at)

    async def search(self, name: str, language: str, at: Page) -> list[Named]:
        """Concepts whose name in `language` starts like `name` (`*` standing
        for any run of characters), case-insensitively, ordered by that name."""
        hits = _hits(self.app, name, language)
        q = select(Concept, hits.c.hit_name, hits.c.hit_definition).join(
            hits, hits.c.concept_pk == Concept.pk
        )
        rows = await listing.page(self.session, q, POST_CONCEPTS_SEARCHES, at)
        return [Named(c, hit, definition, language) for c, hit, definition in rows]

    async def label_counts_page(self, at: Page) -> list[LabelCounts]:
        """The app's concepts in creation order, each with its label counts."""
        concepts = await listing.page(self.session, self._all(), GET_CONCEPT_COUNTS, at)
        if not concepts:
            return []
        rows = await self.session.execute(
            _COUNTS,
            {
                "app_pk": self.app.pk,
                "success": annotations.SUCCESS,
                "ids": [c.id for c in concepts],
            },
        )
        counted = {c.id: LabelCounts(c) for c in concepts}
        for concept_id, status, positive, negative in rows:
            counted[concept_id].by_status[status] = (positive, negative)
        return list(counted.values())

    # ---- languages ----

    def _translations(self, concept: Concept) -> Select:
        return select(ConceptLanguage).where(
            ConceptLanguage.app_pk == self.app.pk, ConceptLanguage.concept_pk == concept.pk
        )

    async def languages_page(self, concept: Concept, at: Page) -> list[Named]:
        """The concept's names: its own language first, then its translations
        by language tag."""
        own = [own_name(concept)] if at.offset == 0 else []
        rest = Page(limit=at.limit - len(own), offset=max(at.offset - 1, 0))
        if not rest.limit:
            return own
        rows = await listing.page(
            self.session, self._translations(concept), LIST_CONCEPT_LANGUAGES, rest
        )
        return own + [Named(concept, r.name, r.definition, r.language) for r in rows]

    async def names_in(self, concept: Concept, languages: list[str]) -> dict[str, Named]:
        """The concept's names in those of `languages` it has, by language."""
        found = {concept.language: own_name(concept)} if concept.language in languages else {}
        others = [x for x in languages if x not in found]
        if others:
            for row in await self._translations_in(concept, others):
                found[row.language] = Named(concept, row.name, row.definition, row.language)
        return found

    async def _translations_in(
        self, concept: Concept, languages: list[str]
    ) -> list[ConceptLanguage]:
        q = self._translations(concept).where(ConceptLanguage.language == any_of(languages))
        return list(await self.session.scalars(q))

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

    async def rename(self, concept: Concept, names: Mapping[str, Mapping[str, str]]) -> set[str]:
        """Set the concept's name and definition in each language of `names`
        (its own language's in its own row); returns the languages it has,
        and so were renamed."""
        rows: list[Any] = [concept] if concept.language in names else []
        others = [x for x in names if x != concept.language]
        if others:
            rows += await self._translations_in(concept, others)
        for row in rows:
            for name, value in names[row.language].items():
                setattr(row, name, value)
        await self.session.flush()
        return {row.language for row in rows}

    # ---- relations ----

    async def add_relations(self, edges: list[Edge]) -> set[str]:
        """Insert relations in one statement; returns the ids inserted. A pair
        of concepts already related, or an id already used, is skipped."""
        result = await self.session.scalars(
            insert(ConceptRelation)
            .values(
                [
                    {
                        "app_pk": self.app.pk,
                        "id": e.id,
                        "subject_pk": e.subject.pk,
                        "predicate": e.predicate,
                        "object_pk": e.object.pk,
                    }
                    for e in edges
                ]
            )
            .on_conflict_do_nothing()
            .returning(ConceptRelation.id)
        )
        return set(result)

    async def related_to(self, concept: Concept, others: list[Concept]) -> dict[str, str]:
        """The id of the relation between `concept` and each of `others`
        related to it (either way round), by the other's id."""
        if not others:
            return {}
        rel = ConceptRelation
        ids = {c.pk: c.id for c in others}
        pks = list(ids)
        rows = await self.session.execute(
            select(rel.subject_pk, rel.object_pk, rel.id).where(
                rel.app_pk == self.app.pk,
                or_(
                    and_(rel.subject_pk == concept.pk, rel.object_pk.in_(pks)),
                    and_(rel.object_pk == concept.pk, rel.subject_pk.in_(pks)),
                ),
            )
        )
        return {
            ids[object_pk if subject_pk == concept.pk else subject_pk]: rid
            for subject_pk, object_pk, rid in rows
        }

    async def relations_page(self, concept: Concept | None, predicate: str, at: Page) -> list[Edge]:
        """Relations from `concept`'s side (app-wide when None) with
        `predicate` (any when empty), in the order posted."""
        edges = _edges(self.app, concept, predicate).subquery()
        subject, obj = aliased(Concept), aliased(Concept)
        q = (
            select(edges.c.id, subject, edges.c.predicate, obj)
            .join(subject, subject.pk == edges.c.subject_pk)
            .join(obj, obj.pk == edges.c.object_pk)
        )
        rows = await listing.page(self.session, q, LIST_CONCEPT_RELATIONS, at)
        return [Edge(rid, s, p, o) for rid, s, p, o in rows]

    async def taken_relation_ids(self, ids: list[str]) -> set[str]:
        """Which of `ids` name a relation in the app."""
        rows = await self.session.scalars(
            select(ConceptRelation.id).where(
                ConceptRelation.app_pk == self.app.pk, ConceptRelation.id == any_of(ids)
            )
        )
        return set(rows)

    async def relation_ids_of(self, concept: Concept, ids: list[str]) -> set[str]:
        """Which of `ids` are relations `concept` takes part in."""
        rel = ConceptRelation
        rows = await self.session.scalars(
            select(rel.id).where(
                rel.app_pk == self.app.pk,
                rel.id == any_of(ids),
                or_(rel.subject_pk == concept.pk, rel.object_pk == concept.pk),
            )
        )
        return set(rows)

    async def delete_relations(self, ids: list[str]) -> None:
        await self.session.execute(
            delete(ConceptRelation).where(
                ConceptRelation.app_pk == self.app.pk, ConceptRelation.id == any_of(ids)
            )
        )
