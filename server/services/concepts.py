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
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import main_app, model_concepts, patch, runtimes, workflows
from server.checks import Checks
from server.convert import from_struct
from server.dispatch import Call
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.wire import concepts as wire
from storage.concepts import PREDICATES, Edge, name_matches
from storage.listing import Page

check = Checks(Code.CONCEPTS_INVALID_REQUEST)
# Overwrite only: each field sent replaces the stored one, metadata whole.
CONCEPT_SPEC = patch.Spec("concepts", (patch.OVERWRITE,), trees=frozenset({"metadata"}))
LANGUAGE_SPEC = patch.Spec("concept languages", (patch.OVERWRITE,))
# A concept source's owner: (user id, app id).
Owner = tuple[str, str]
MAIN: Owner = (main_app.USER_ID, main_app.APP_ID)


async def _concept(call: Call, concept_id: str, field: str = "concept_id") -> Any:
    """The concept a request names (a stored row, for the wire and for the
    storage calls that take it)."""
    concept = await call.store.concepts.get(check.required(concept_id, field))
    if concept is None:
        raise check.missing("concept", concept_id)
    return concept


# ---- concepts ----


def _concept_sent(sent: resources_pb2.Concept, field: str) -> dict[str, Any]:
    """A new concept's values; the name defaults to the id."""
    concept_id = check.id(sent.id, f"{field}.id")
    return {
        "id": concept_id,
        "name": sent.name or concept_id,
        "definition": sent.definition,
        "vocab_id": sent.vocab_id,
        "visibility": check.visibility(sent.visibility.gettable, f"{field}.visibility.gettable"),
        "metadata": from_struct(sent.metadata, f"{field}.metadata", check.invalid_code),
    }


@rpc
async def PostConcepts(call: Call, request: service_pb2.PostConceptsRequest):
    check.batch(request.concepts, "concepts")
    values = [_concept_sent(sent, f"concepts[{n}]") for n, sent in enumerate(request.concepts)]
    ids = [v["id"] for v in values]
    check.each_once(ids, "concepts[{n}].id")
    # The insert skips ids the app has (whenever they were added); the first
    # one skipped fails the call, which rolls the others back.
    added = await call.store.concepts.add_new(values)
    for n, concept_id in enumerate(ids):
        if concept_id not in added:
            raise check.invalid(
                f"concepts[{n}].id '{concept_id}' is a duplicate: the app already has a "
                "concept with this id"
            )
    response = service_pb2.MultiConceptResponse()
    wire.concepts_into(response.concepts, (added[i] for i in ids), call.app)
    return response


@rpc
async def GetConcept(call: Call, request: service_pb2.GetConceptRequest):
    concept = await _concept(call, request.concept_id)
    response = service_pb2.SingleConceptResponse()
    wire.concept_proto(concept, call.app, into=response.concept)
    return response


@rpc
async def ListConcepts(call: Call, request: service_pb2.ListConceptsRequest):
    rows = await call.store.concepts.page(page_of(request), id_contains=request.id)
    response = service_pb2.MultiConceptResponse()
    wire.concepts_into(response.concepts, rows, call.app)
    return response


def _concept_patch(action: str, stored: Any, sent: resources_pb2.Concept, field: str) -> dict:
    """The changed values of one stored concept. A string left empty is not
    sent (proto3 strings have no presence); visibility and metadata are sent
    when set."""
    values = {
        name: getattr(sent, name)
        for name in ("name", "definition", "vocab_id")
        if getattr(sent, name)
    }
    if sent.HasField("visibility"):
        values["visibility"] = check.visibility(
            sent.visibility.gettable, f"{field}.visibility.gettable"
        )
    if sent.HasField("metadata"):
        values["metadata"] = from_struct(sent.metadata, f"{field}.metadata", check.invalid_code)
    return patch.apply(action, wire.concept_values(stored), values, CONCEPT_SPEC)


@rpc
async def PatchConcepts(call: Call, request: service_pb2.PatchConceptsRequest):
    CONCEPT_SPEC.check(request.action)
    check.batch(request.concepts, "concepts")
    ids = check.ids([sent.id for sent in request.concepts], "concepts[{n}].id")
    stored = await call.store.concepts.get_many(ids)
    changes = []
    for n, sent in enumerate(request.concepts):
        # Item by item: an unknown id is reported before a later item's values.
        if sent.id not in stored:
            raise check.missing("concept", sent.id, f"concepts[{n}].id")
        row = stored[sent.id]
        changes.append((row, _concept_patch(request.action, row, sent, f"concepts[{n}]")))
    await call.store.concepts.update(changes)
    response = service_pb2.MultiConceptResponse()
    wire.concepts_into(response.concepts, (stored[i] for i in ids), call.app)
    return response


def _language(value: str, field: str) -> str:
    check.required(value, field)
    import langcodes  # noqa: PLC0415  (its tables take ~30 ms to load: when first needed)

    if not langcodes.tag_is_valid(value):
        raise check.invalid(f"{field} '{value}' is not a language tag (e.g. 'en', 'ja')")
    return value


@rpc
async def PostConceptsSearches(call: Call, request: service_pb2.PostConceptsSearchesRequest):
    query = request.concept_query
    at = page_of(request.pagination)
    if query.language:
        language = _language(query.language, "concept_query.language")
    else:
        language = call.app_row.default_language
    source = await _source(call, query)
    if source is None:
        found = await call.store.concepts.search(query.name, language, at)
        return service_pb2.MultiConceptResponse(
            concepts=[wire.concept_proto(hit.concept, call.app, hit) for hit in found]
        )
    # The app's matches (as many as the page could need) merged with the
    # source's, in one order: lower-cased name, then id.
    own: list[resources_pb2.Concept] = []
    if not query.ignore_app_concepts:
        first = Page(limit=at.offset + at.limit, offset=0)
        found = await call.store.concepts.search(query.name, language, first)
        own = [wire.concept_proto(hit.concept, call.app, hit) for hit in found]
    (user_id, app_id), named = source
    theirs = [
        resources_pb2.Concept(
            id=i, name=n, language="en", value=1.0, app_id=app_id, user_id=user_id
        )
        for i, n in named
        if language == "en" and name_matches(query.name, n)
    ]
    merged = {(c.user_id, c.app_id, c.id): c for c in theirs + own}.values()
    ordered = sorted(merged, key=lambda c: (c.name.lower(), c.id))
    return service_pb2.MultiConceptResponse(concepts=ordered[at.offset : at.offset + at.limit])


async def _source(
    call: Call, query: resources_pb2.ConceptQuery
) -> tuple[Owner, list[tuple[str, str]]] | None:
    """The owner and the (id, name) concepts of the query's source: a model of
    the app or of clarifai/main, or a workflow of either (its nodes' models'
    concepts). None without a source."""
    kind = query.WhichOneof("source")
    if kind == "model":
        return await _model_source(call, query.model, "concept_query.model")
    workflow_id = query.workflow.id if kind == "workflow" else query.workflow_id
    if not workflow_id:
        return None
    field = "concept_query.workflow.id" if kind == "workflow" else "concept_query.workflow_id"
    row = await workflows.find(call.store, call.app_row, workflow_id, field)
    graph = await workflows.latest(call.store, row)
    named: dict[str, str] = {}
    for node in graph.nodes:
        if node.found is not None:
            version = node.found.version
            named.update(await model_concepts.of_version(call, version, version.output_info))
    return (graph.app.user_id, graph.app.id), list(named.items())


async def _model_source(
    call: Call, model: resources_pb2.Model, field: str
) -> tuple[Owner, list[tuple[str, str]]]:
    model_id = check.required(model.id, f"{field}.id")
    version_id = model.model_version.id
    owner = (model.user_id, model.app_id)
    own = owner in {("", ""), (call.app.user_id, call.app.id)}
    row = await call.store.models.get(model_id) if own else None
    if row is not None:
        named = await model_concepts.of_model(call, row, version_id, f"{field}.model_version.id")
        return (call.app.user_id, call.app.id), named
    builtin = main_app.model(model_id)
    if builtin is None or owner not in {("", ""), MAIN}:
        raise ApiError(
            Code.MODEL_DOES_NOT_EXIST,
            f"{field}.id: model '{model_id}' is not a model of this app or of clarifai/main",
        )
    if version_id and version_id != builtin.version_id:
        raise ApiError(
            Code.MODEL_DOES_NOT_EXIST,
            f"{field}.model_version.id: model '{model_id}' has no version '{version_id}'",
        )
    return MAIN, runtimes.builtin_concepts(builtin.runtime)


@rpc
async def GetConceptCounts(call: Call, request: service_pb2.GetConceptCountsRequest):
    counted = await call.store.concepts.label_counts_page(page_of(request))
    return service_pb2.MultiConceptCountResponse(
        concept_counts=[wire.concept_count(c) for c in counted]
    )


# ---- relations ----


def _predicate(value: str, field: str) -> str:
    return check.one_of(value.strip().lower(), PREDICATES, field)


def _relation_sent(
    sent: resources_pb2.ConceptRelation, field: str, subject_id: str
) -> tuple[str, str, str]:
    """One relation posted from the subject `subject_id`: (relation id,
    predicate, object id)."""
    predicate = _predicate(sent.predicate, f"{field}.predicate")
    if sent.subject_concept.id and sent.subject_concept.id != subject_id:
        raise check.invalid(
            f"{field}.subject_concept.id '{sent.subject_concept.id}' differs from "
            f"concept_id '{subject_id}'"
        )
    object_id = check.required(sent.object_concept.id, f"{field}.object_concept.id")
    if object_id == subject_id:
        raise check.invalid(
            f"{field}.object_concept.id '{object_id}': a concept cannot relate to itself"
        )
    relation_id = check.id(sent.id, f"{field}.id") if sent.id else new_id()
    return relation_id, predicate, object_id


def _relations_sent(
    relations: Sequence[resources_pb2.ConceptRelation], subject_id: str
) -> list[tuple[str, str, str]]:
    """The relations posted, checked: each id once, each object once (two
    concepts have at most one relation between them)."""
    check.batch(relations, "concept_relations")
    wanted = [
        _relation_sent(sent, f"concept_relations[{n}]", subject_id)
        for n, sent in enumerate(relations)
    ]
    check.each_once([rid for rid, _, _ in wanted], "concept_relations[{n}].id")
    check.each_once([o for _, _, o in wanted], "concept_relations[{n}].object_concept.id")
    return wanted


async def _refuse_stored(call: Call, edges: list[Edge]) -> None:
    """Refuses the first relation whose pair of concepts is related already
    (posted from either end) or whose id the app uses."""
    subject = edges[0].subject
    related = await call.store.concepts.related_to(subject, [e.object for e in edges])
    taken = await call.store.concepts.taken_relation_ids([e.id for e in edges])
    for n, edge in enumerate(edges):
        if edge.object.id in related:
            raise check.invalid(
                f"concept_relations[{n}] is a duplicate: '{subject.id}' and '{edge.object.id}' "
                f"are already related (relation '{related[edge.object.id]}')"
            )
        if edge.id in taken:
            raise check.invalid(
                f"concept_relations[{n}].id '{edge.id}' is a duplicate of another relation"
            )


@rpc
async def PostConceptRelations(call: Call, request: service_pb2.PostConceptRelationsRequest):
    subject = await _concept(call, request.concept_id)
    wanted = _relations_sent(request.concept_relations, subject.id)
    object_ids = [o for _, _, o in wanted]
    objects = await call.store.concepts.get_many(object_ids)
    check.all_known(object_ids, objects, "concept", "concept_relations[{n}].object_concept.id")
    edges = [Edge(rid, subject, p, objects[o]) for rid, p, o in wanted]
    await _refuse_stored(call, edges)
    inserted = await call.store.concepts.add_relations(edges)
    # One skipped by the insert: a concurrent call related the pair since.
    if len(inserted) < len(edges):
        n = next(n for n, e in enumerate(edges) if e.id not in inserted)
        raise check.invalid(
            f"concept_relations[{n}] is a duplicate: another request related "
            f"'{subject.id}' and '{edges[n].object.id}' at the same time"
        )
    return service_pb2.MultiConceptRelationResponse(
        concept_relations=[wire.relation_proto(e, call.app) for e in edges]
    )


@rpc
async def ListConceptRelations(call: Call, request: service_pb2.ListConceptRelationsRequest):
    predicate = _predicate(request.predicate, "predicate") if request.predicate else ""
    concept = await _concept(call, request.concept_id) if request.concept_id else None
    edges = await call.store.concepts.relations_page(concept, predicate, page_of(request))
    return service_pb2.MultiConceptRelationResponse(
        concept_relations=[wire.relation_proto(e, call.app) for e in edges]
    )


@rpc
async def DeleteConceptRelations(call: Call, request: service_pb2.DeleteConceptRelationsRequest):
    concept = await _concept(call, request.concept_id)
    check.batch(request.ids, "ids")
    ids = list(request.ids)
    found = await call.store.concepts.relation_ids_of(concept, ids)
    check.all_known(ids, found, f"relation of concept '{concept.id}' with id", "ids[{n}]")
    await call.store.concepts.delete_relations(ids)
    return status_pb2.BaseResponse()


# ---- languages ----


def _languages_sent(
    languages: Sequence[resources_pb2.ConceptLanguage],
) -> list[resources_pb2.ConceptLanguage]:
    """The languages of a Post or Patch, checked, with only the fields kept
    (as the response shows them)."""
    check.batch(languages, "concept_languages")
    for n, sent in enumerate(languages):
        _language(sent.id, f"concept_languages[{n}].id")
        check.required(sent.name, f"concept_languages[{n}].name")
    check.each_once([sent.id for sent in languages], "concept_languages[{n}].id")
    return [wire.language_proto(s.id, s.name, s.definition) for s in languages]


def _refuse_taken(concept: Any, codes: list[str], taken: set[str]) -> None:
    for n, code in enumerate(codes):
        if code in taken:
            raise check.invalid(
                f"concept_languages[{n}].id '{code}' is a duplicate: concept '{concept.id}' "
                "already has a name in this language; use PatchConceptLanguages"
            )


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
    _refuse_taken(concept, codes, taken)
    return service_pb2.MultiConceptLanguageResponse(concept_languages=sent)


@rpc
async def PatchConceptLanguages(call: Call, request: service_pb2.PatchConceptLanguagesRequest):
    LANGUAGE_SPEC.check(request.action)
    concept = await _concept(call, request.concept_id)
    sent = _languages_sent(request.concept_languages)
    # Overwrite: name and definition are replaced by those sent (no
    # definition sent clears it), so the stored ones play no part; the own
    # language's are in the concept's row.
    names = {
        s.id: patch.apply(
            request.action, {}, {"name": s.name, "definition": s.definition}, LANGUAGE_SPEC
        )
        for s in sent
    }
    renamed = await call.store.concepts.rename(concept, names)
    # A language the concept has no name in fails the call, which rolls the
    # others back.
    check.all_known(
        list(names),
        renamed,
        f"concept '{concept.id}' name in language",
        "concept_languages[{n}].id",
    )
    return service_pb2.MultiConceptLanguageResponse(concept_languages=sent)


@rpc
async def GetConceptLanguage(call: Call, request: service_pb2.GetConceptLanguageRequest):
    concept = await _concept(call, request.concept_id)
    language = check.required(request.language, "language")
    found = await call.store.concepts.names_in(concept, [language])
    if language not in found:
        raise check.missing(f"concept '{concept.id}' name in language", language, "language")
    return service_pb2.SingleConceptLanguageResponse(
        concept_language=wire.named_language(found[language])
    )


@rpc
async def ListConceptLanguages(call: Call, request: service_pb2.ListConceptLanguagesRequest):
    concept = await _concept(call, request.concept_id)
    names = await call.store.concepts.languages_page(concept, page_of(request))
    return service_pb2.MultiConceptLanguageResponse(
        concept_languages=[wire.named_language(n) for n in names]
    )
