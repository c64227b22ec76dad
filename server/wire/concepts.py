"""Concepts, their names in other languages, relations and label counts as
the API shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clarifai.api import resources_pb2
from google.protobuf.internal.containers import RepeatedCompositeFieldContainer

from server.convert import fill_struct, set_ts
from storage import inputs
from storage.concepts import Concept, Edge, LabelCounts, Listed, Named
from storage.scoped import AppScope


def concept_proto(
    concept: Concept | Listed,
    app: AppScope,
    named: Named | None = None,
    *,
    into: resources_pb2.Concept | None = None,
) -> resources_pb2.Concept:
    """The concept, named in its own language or in `named`'s. Built in
    place: in `into` when given, a response's own (a message passed to a
    constructor or appended is copied)."""
    out = into if into is not None else resources_pb2.Concept()
    out.id = concept.id
    out.name = named.name if named else concept.name
    out.definition = named.definition if named else concept.definition
    out.language = named.language if named else concept.language
    out.value = 1.0
    set_ts(out.created_at, concept.created_at)
    out.app_id = app.id
    out.user_id = app.user_id
    out.vocab_id = concept.vocab_id
    out.visibility.gettable = concept.visibility  # present even when 0, as sent before
    if concept.metadata_:
        fill_struct(out.metadata, concept.metadata_)
    return out


def concepts_into(
    target: RepeatedCompositeFieldContainer[resources_pb2.Concept],
    concepts: Iterable[Concept | Listed],
    app: AppScope,
) -> None:
    """The concepts appended to a response's list, each built in place."""
    for concept in concepts:
        concept_proto(concept, app, into=target.add())


def concept_values(concept: Concept) -> dict[str, Any]:
    """The stored values a PatchConcepts may change, named as the request
    names them."""
    return {
        "name": concept.name,
        "definition": concept.definition,
        "vocab_id": concept.vocab_id,
        "visibility": concept.visibility,
        "metadata": concept.metadata_,
    }


def relation_proto(edge: Edge, app: AppScope) -> resources_pb2.ConceptRelation:
    return resources_pb2.ConceptRelation(
        id=edge.id,
        subject_concept=concept_proto(edge.subject, app),
        predicate=edge.predicate,
        object_concept=concept_proto(edge.object, app),
    )


def language_proto(language: str, name: str, definition: str) -> resources_pb2.ConceptLanguage:
    return resources_pb2.ConceptLanguage(id=language, name=name, definition=definition)


def named_language(named: Named) -> resources_pb2.ConceptLanguage:
    return language_proto(named.language, named.name, named.definition)


def _type_count(*counts: tuple[int, int]) -> resources_pb2.ConceptTypeCount:
    """Positive and negative input counts, summed over input statuses."""
    return resources_pb2.ConceptTypeCount(
        positive=sum(p for p, _ in counts), negative=sum(n for _, n in counts)
    )


_NONE = (0, 0)


def concept_count(counted: LabelCounts) -> resources_pb2.ConceptCount:
    by_status = counted.by_status
    return resources_pb2.ConceptCount(
        id=counted.concept.id,
        name=counted.concept.name,
        concept_type_count=_type_count(*by_status.values()),
        detail_concept_count=resources_pb2.DetailConceptCount(
            processed=_type_count(by_status.get(inputs.SUCCESS, _NONE)),
            to_process=_type_count(by_status.get(inputs.PENDING, _NONE)),
            errors=_type_count(by_status.get(inputs.FAILED, _NONE)),
            processing=_type_count(by_status.get(inputs.IN_PROGRESS, _NONE)),
        ),
    )
