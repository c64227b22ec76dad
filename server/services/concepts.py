"""Concepts: PostConcepts, GetConcept, ListConcepts, PatchConcepts,
PostConceptsSearches, GetConceptCounts; the knowledge graph:
PostConceptRelations, ListConceptRelations, DeleteConceptRelations; and
translations: PostConceptLanguages, PatchConceptLanguages, GetConceptLanguage,
ListConceptLanguages.

All writes are atomic: the first invalid item fails the call and nothing is
written. A concept's own name is in the app's default language at creation;
its translations are ConceptLanguages, listed after that own language.
"""

from __future__ import annotations

from collections.abc import Sequence

import langcodes
from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import patch
from server.convert import from_struct, struct, ts
from server.dispatch import Call
from server.ids import check_id, id_or_new
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code, check_batch_size, not_found
from storage import apps as app_store
from storage import concepts as store
from storage import inputs as input_store
from storage.apps import AppScope
from storage.concepts import Concept, Edge

INVALID = Code.CONCEPTS_INVALID_REQUEST
VISIBILITIES = set(resources_pb2.Visibility.Gettable.values())


def concept_proto(
    concept: Concept, app: AppScope, named: store.Named | None = None
) -> resources_pb2.Concept:
    """The concept, named in its own language or in `named`'s."""
    return resources_pb2.Concept(
        id=concept.id,
        name=named.name if named else concept.name,
        definition=named.definition if named else concept.definition,
        language=named.language if named else concept.language,
        value=1.0,
        created_at=ts(concept.created_at),
        app_id=app.id,
        user_id=app.user_id,
        vocab_id=concept.vocab_id,
        visibility=resources_pb2.Visibility(gettable=concept.visibility),
        metadata=struct(concept.metadata_),
    )


def relation_proto(edge: Edge, app: AppScope) -> resources_pb2.ConceptRelation:
    return resources_pb2.ConceptRelation(
        id=edge.id,
        subject_concept=concept_proto(edge.subject, app),
        predicate=edge.predicate,
        object_concept=concept_proto(edge.object, app),
    )


def _visibility(sent: resources_pb2.Concept, field: str) -> int:
    value = sent.visibility.gettable
    if value not in VISIBILITIES:
        raise ApiError(INVALID, f"{field}.visibility.gettable {value} is not a visibility")
    return value or store.PRIVATE


def _duplicate_of(items: list[str], field: str) -> None:
    """Refuses the first item repeated within the request."""
    seen: dict[str, int] = {}
    for n, item in enumerate(items):
        if item in seen:
            raise ApiError(
                INVALID,
                f"{field}[{n}].id '{item}' is a duplicate of {field}[{seen[item]}].id",
            )
        seen[item] = n


async def _concept(call: Call, concept_id: str, field: str = "concept_id") -> Concept:
    if not concept_id:
        raise ApiError(INVALID, f"{field} is required")
    concept = await call.store.concepts.get(concept_id)
    if concept is None:
        raise not_found("concept", concept_id)
    return concept


async def _default_language(call: Call) -> str:
    app = await app_store.get_by_pk(call.session, call.app.pk)
    return app.default_language if app else "en"


# ---- concepts ----


@rpc
async def PostConcepts(call: Call, request: service_pb2.PostConceptsRequest):
    check_batch_size(request.concepts, "concepts", code=INVALID)
    rows = []
    for n, sent in enumerate(request.concepts):
        field = f"concepts[{n}]"
        concept_id = check_id(sent.id, f"{field}.id", INVALID)
        rows.append(
            {
                "id": concept_id,
                "name": sent.name or concept_id,
                "definition": sent.definition,
                "vocab_id": sent.vocab_id,
                "visibility": _visibility(sent, field),
                "metadata": from_struct(sent.metadata, f"{field}.metadata", INVALID),
            }
        )
    ids = [r["id"] for r in rows]
    _duplicate_of(ids, "concepts")
    # The insert skips ids the app has (whenever they were added); the first
    # one skipped fails the call, which rolls the others back.
    added = await call.store.concepts.insert_new(rows)
    for n, concept_id in enumerate(ids):
        if concept_id not in added:
            raise ApiError(
                INVALID,
                f"concepts[{n}].id '{concept_id}' is a duplicate: the app already has a "
                "concept with this id",
            )
    return service_pb2.MultiConceptResponse(
        concepts=[concept_proto(added[i], call.app) for i in ids]
    )


@rpc
async def GetConcept(call: Call, request: service_pb2.GetConceptRequest):
    concept = await _concept(call, request.concept_id)
    return service_pb2.SingleConceptResponse(concept=concept_proto(concept, call.app))


@rpc
async def ListConcepts(call: Call, request: service_pb2.ListConceptsRequest):
    page = page_of(request)
    rows = await call.store.concepts.list_(
        limit=page.limit, offset=page.offset, id_contains=request.id
    )
    return service_pb2.MultiConceptResponse(concepts=[concept_proto(c, call.app) for c in rows])


@rpc
async def PatchConcepts(call: Call, request: service_pb2.PatchConceptsRequest):
    patch.check_action(request.action, (patch.OVERWRITE,), "concepts")
    check_batch_size(request.concepts, "concepts", code=INVALID)
    ids = [sent.id for sent in request.concepts]
    for n, concept_id in enumerate(ids):
        if not concept_id:
            raise ApiError(INVALID, f"concepts[{n}].id is required")
    _duplicate_of(ids, "concepts")
    stored = await call.store.concepts.get_many(ids)
    for n, sent in enumerate(request.concepts):
        concept = stored.get(sent.id)
        if concept is None:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST,
                f"concepts[{n}].id '{sent.id}': the app has no concept with this id",
            )
        # Overwrite: each field sent replaces the stored one; metadata whole.
        for name in ("name", "definition", "vocab_id"):
            if getattr(sent, name):
                setattr(concept, name, getattr(sent, name))
        if sent.HasField("visibility"):
            concept.visibility = _visibility(sent, f"concepts[{n}]")
        if sent.HasField("metadata"):
            concept.metadata_ = from_struct(sent.metadata, f"concepts[{n}].metadata", INVALID)
    await call.session.flush()
    return service_pb2.MultiConceptResponse(
        concepts=[concept_proto(stored[i], call.app) for i in ids]
    )


def _language(value: str, field: str) -> str:
    if not value:
        raise ApiError(INVALID, f"{field} is required")
    if not langcodes.tag_is_valid(value):
        raise ApiError(INVALID, f"{field} '{value}' is not a language tag (e.g. 'en', 'ja')")
    return value


def name_pattern(name: str) -> str:
    """A LIKE pattern for a name search: the name is a prefix, and `*` stands
    for any run of characters."""
    return store.like_escape(name).replace("*", "%") + "%"


@rpc
async def PostConceptsSearches(call: Call, request: service_pb2.PostConceptsSearchesRequest):
    query = request.concept_query
    page = page_of(request.pagination)
    if query.language:
        language = _language(query.language, "concept_query.language")
    else:
        language = await _default_language(call)
    found = await call.store.concepts.search(
        pattern=name_pattern(query.name),
        language=language,
        limit=page.limit,
        offset=page.offset,
    )
    return service_pb2.MultiConceptResponse(
        concepts=[concept_proto(hit.concept, call.app, hit) for hit in found]
    )


def _type_count(*counts: tuple[int, int]) -> resources_pb2.ConceptTypeCount:
    """Positive and negative input counts, summed over input statuses."""
    return resources_pb2.ConceptTypeCount(
        positive=sum(p for p, _ in counts), negative=sum(n for _, n in counts)
    )


@rpc
async def GetConceptCounts(call: Call, request: service_pb2.GetConceptCountsRequest):
    page = page_of(request)
    concepts = await call.store.concepts.list_(limit=page.limit, offset=page.offset)
    counts = await call.store.concepts.label_counts([c.id for c in concepts])
    by_concept: dict[str, dict[int, tuple[int, int]]] = {}
    for (concept_id, status), pn in counts.items():
        by_concept.setdefault(concept_id, {})[status] = pn
    none = (0, 0)
    out = []
    for concept in concepts:
        mine = by_concept.get(concept.id, {})
        out.append(
            resources_pb2.ConceptCount(
                id=concept.id,
                name=concept.name,
                concept_type_count=_type_count(*mine.values()),
                detail_concept_count=resources_pb2.DetailConceptCount(
                    processed=_type_count(mine.get(input_store.SUCCESS, none)),
                    to_process=_type_count(mine.get(input_store.PENDING, none)),
                    errors=_type_count(mine.get(input_store.FAILED, none)),
                    processing=_type_count(mine.get(input_store.IN_PROGRESS, none)),
                ),
            )
        )
    return service_pb2.MultiConceptCountResponse(concept_counts=out)


# ---- relations ----


def _predicate(value: str, field: str) -> str:
    predicate = value.strip().lower()
    if predicate not in store.PREDICATES:
        raise ApiError(
            INVALID,
            f"{field} '{value}' is not a predicate; use {', '.join(store.PREDICATES)}",
        )
    return predicate


@rpc
async def PostConceptRelations(call: Call, request: service_pb2.PostConceptRelationsRequest):
    subject = await _concept(call, request.concept_id)
    check_batch_size(request.concept_relations, "concept_relations", code=INVALID)
    wanted: list[tuple[str, str, str]] = []  # (relation id, predicate, object id)
    for n, sent in enumerate(request.concept_relations):
        field = f"concept_relations[{n}]"
        predicate = _predicate(sent.predicate, f"{field}.predicate")
        if sent.subject_concept.id and sent.subject_concept.id != subject.id:
            raise ApiError(
                INVALID,
                f"{field}.subject_concept.id '{sent.subject_concept.id}' differs from "
                f"concept_id '{subject.id}'",
            )
        object_id = sent.object_concept.id
        if not object_id:
            raise ApiError(INVALID, f"{field}.object_concept.id is required")
        if object_id == subject.id:
            raise ApiError(
                INVALID,
                f"{field}.object_concept.id '{object_id}': a concept cannot relate to itself",
            )
        wanted.append((id_or_new(sent.id, f"{field}.id", INVALID), predicate, object_id))
    _duplicate_of([rid for rid, _, _ in wanted], "concept_relations")
    pairs: dict[str, int] = {}
    for n, (_, _, object_id) in enumerate(wanted):
        if object_id in pairs:
            raise ApiError(
                INVALID,
                f"concept_relations[{n}] is a duplicate: '{subject.id}' and '{object_id}' "
                f"are already related by concept_relations[{pairs[object_id]}]",
            )
        pairs[object_id] = n
    objects = await call.store.concepts.get_many(list(pairs))
    for n, (_, _, object_id) in enumerate(wanted):
        if object_id not in objects:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST,
                f"concept_relations[{n}].object_concept.id '{object_id}': "
                "the app has no concept with this id",
            )
    existing = await call.store.concepts.relations_between(
        [(subject, objects[o]) for _, _, o in wanted]
    )
    taken_ids = await call.store.concepts.relation_ids_in_app([r for r, _, _ in wanted])
    for n, (rid, _, object_id) in enumerate(wanted):
        pair = frozenset((subject.pk, objects[object_id].pk))
        if pair in existing:
            raise ApiError(
                INVALID,
                f"concept_relations[{n}] is a duplicate: '{subject.id}' and '{object_id}' "
                f"are already related (relation '{existing[pair]}')",
            )
        if rid in taken_ids:
            raise ApiError(
                INVALID, f"concept_relations[{n}].id '{rid}' is a duplicate of another relation"
            )
    edges = [Edge(rid, subject, p, objects[o]) for rid, p, o in wanted]
    inserted = await call.store.concepts.add_relations(
        [(e.id, e.subject, e.predicate, e.object) for e in edges]
    )
    if len(inserted) < len(edges):
        n = next(n for n, e in enumerate(edges) if e.id not in inserted)
        raise ApiError(
            INVALID,
            f"concept_relations[{n}] is a duplicate: another request related "
            f"'{subject.id}' and '{edges[n].object.id}' at the same time",
        )
    return service_pb2.MultiConceptRelationResponse(
        concept_relations=[relation_proto(e, call.app) for e in edges]
    )


@rpc
async def ListConceptRelations(call: Call, request: service_pb2.ListConceptRelationsRequest):
    predicate = _predicate(request.predicate, "predicate") if request.predicate else ""
    concept = await _concept(call, request.concept_id) if request.concept_id else None
    page = page_of(request)
    edges = await call.store.concepts.list_relations(
        concept, predicate, limit=page.limit, offset=page.offset
    )
    return service_pb2.MultiConceptRelationResponse(
        concept_relations=[relation_proto(e, call.app) for e in edges]
    )


@rpc
async def DeleteConceptRelations(call: Call, request: service_pb2.DeleteConceptRelationsRequest):
    concept = await _concept(call, request.concept_id)
    check_batch_size(request.ids, "ids", code=INVALID)
    ids = list(request.ids)
    found = await call.store.concepts.relation_ids_of(concept, ids)
    for n, rid in enumerate(ids):
        if rid not in found:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST,
                f"ids[{n}] '{rid}': concept '{concept.id}' has no relation with this id",
            )
    await call.store.concepts.delete_relations(ids)
    return status_pb2.BaseResponse()


# ---- languages ----


def _language_proto(language: str, name: str, definition: str) -> resources_pb2.ConceptLanguage:
    return resources_pb2.ConceptLanguage(id=language, name=name, definition=definition)


def _own_language(concept: Concept) -> resources_pb2.ConceptLanguage:
    return _language_proto(concept.language, concept.name, concept.definition)


def _languages_sent(
    languages: Sequence[resources_pb2.ConceptLanguage],
) -> list[resources_pb2.ConceptLanguage]:
    """The languages of a Post or Patch, checked, with only the fields kept
    (as the response shows them)."""
    check_batch_size(languages, "concept_languages", code=INVALID)
    for n, sent in enumerate(languages):
        _language(sent.id, f"concept_languages[{n}].id")
        if not sent.name:
            raise ApiError(INVALID, f"concept_languages[{n}].name is required")
    _duplicate_of([sent.id for sent in languages], "concept_languages")
    return [_language_proto(s.id, s.name, s.definition) for s in languages]


@rpc
async def PostConceptLanguages(call: Call, request: service_pb2.PostConceptLanguagesRequest):
    concept = await _concept(call, request.concept_id)
    sent = _languages_sent(request.concept_languages)
    codes = [s.id for s in sent]
    # The concept's own language is in its own row; the insert skips the
    # translations it has.
    taken = {concept.language} & set(codes)
    if not taken:
        rows = [{"language": s.id, "name": s.name, "definition": s.definition} for s in sent]
        taken = set(codes) - await call.store.concepts.add_languages(concept, rows)
    for n, code in enumerate(codes):
        if code in taken:
            raise ApiError(
                INVALID,
                f"concept_languages[{n}].id '{code}' is a duplicate: concept '{concept.id}' "
                "already has a name in this language; use PatchConceptLanguages",
            )
    return service_pb2.MultiConceptLanguageResponse(concept_languages=sent)


@rpc
async def PatchConceptLanguages(call: Call, request: service_pb2.PatchConceptLanguagesRequest):
    patch.check_action(request.action, (patch.OVERWRITE,), "concept languages")
    concept = await _concept(call, request.concept_id)
    sent = _languages_sent(request.concept_languages)
    stored = await call.store.concepts.languages_by_id(concept, [s.id for s in sent])
    for n, item in enumerate(sent):
        # Overwrite: name and definition are replaced by those sent.
        if item.id == concept.language:
            concept.name, concept.definition = item.name, item.definition
        elif item.id in stored:
            row = stored[item.id]
            row.name, row.definition = item.name, item.definition
        else:
            raise ApiError(
                Code.CONN_DOES_NOT_EXIST,
                f"concept_languages[{n}].id '{item.id}': concept '{concept.id}' has no name "
                "in this language; use PostConceptLanguages",
            )
    await call.session.flush()
    return service_pb2.MultiConceptLanguageResponse(concept_languages=sent)


@rpc
async def GetConceptLanguage(call: Call, request: service_pb2.GetConceptLanguageRequest):
    concept = await _concept(call, request.concept_id)
    if not request.language:
        raise ApiError(INVALID, "language is required")
    if request.language == concept.language:
        return service_pb2.SingleConceptLanguageResponse(concept_language=_own_language(concept))
    found = await call.store.concepts.languages_by_id(concept, [request.language])
    row = found.get(request.language)
    if row is None:
        raise ApiError(
            Code.CONN_DOES_NOT_EXIST,
            f"language '{request.language}': concept '{concept.id}' has no name in this language",
        )
    return service_pb2.SingleConceptLanguageResponse(
        concept_language=_language_proto(row.language, row.name, row.definition)
    )


@rpc
async def ListConceptLanguages(call: Call, request: service_pb2.ListConceptLanguagesRequest):
    concept = await _concept(call, request.concept_id)
    page = page_of(request)
    # The concept's own language comes first, then its translations.
    out = [_own_language(concept)] if page.offset == 0 else []
    rows = await call.store.concepts.languages_of(
        concept,
        limit=page.limit - len(out),
        offset=max(page.offset - 1, 0),
    )
    out += [_language_proto(r.language, r.name, r.definition) for r in rows]
    return service_pb2.MultiConceptLanguageResponse(concept_languages=out)
