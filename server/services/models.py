"""Models: PostModels, GetModel, GetModelOutputInfo, ListModels,
PostModelsSearches, PatchModels, PatchModelIds, DeleteModel, DeleteModels,
PatchModelToolkits, PatchModelUseCases, PatchModelLanguages,
PatchModelCheckConsents, ListModelConcepts.

A model answers with its newest version (or the one asked for) in
model_version. Operators get their first version, trained, on creation;
trainable models have none until PostModelVersions, and keep the
output_info they were created with for it. Writes are atomic: the first
invalid item fails the call and nothing is written.

ListModels lists one app's models; without an app (/v2/users/{user_id}/models)
it lists the user's models across its apps, or another user's public apps'
models. It never mixes in clarifai/main's (dont_fetch_from_main is accepted
and changes nothing): name that app to list them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import model_concepts, model_rows, model_types, patch, renames
from server.checks import Checks
from server.convert import from_struct, request_json
from server.dispatch import Call
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.status import Code, description
from server.wire import models as wire
from storage.models import ModelFilter
from storage.scoped import AppScope

check = Checks(Code.MODEL_INVALID_REQUEST, Code.MODEL_DOES_NOT_EXIST)
SPEC = patch.Spec(
    "models",
    (patch.MERGE, patch.OVERWRITE, patch.REMOVE),
    trees=frozenset({"metadata", "presets"}),
    clearable=frozenset({"name", "description", "notes", "workflow_recommended"}),
    clear_to={"workflow_recommended": None},
)
LISTS = ("toolkits", "use_cases", "languages", "check_consents")
IDS_SPEC = patch.Spec("model ids", (patch.OVERWRITE,))
SORTS = {"sort_by_name": "name", "sort_by_created_at": "created_at"}


async def _protos(call: Call, rows: Sequence[Any]) -> list[resources_pb2.Model]:
    """The models with their newest versions and version counts."""
    latest = await call.store.models.latest_versions(rows)
    counts = await call.store.models.version_counts(rows)
    return [wire.model(r, latest.get(r.pk), call.app, counts.get(r.pk, 0)) for r in rows]


# ---- PostModels ----


def _type(type_id: str, field: str) -> model_types.ModelTypeSpec:
    check.required(type_id, field)
    spec = model_types.get(type_id)
    if spec is None:
        raise check.invalid(f"{field} '{type_id}' is an unknown model type (see ListModelTypes)")
    if not spec.creatable:
        raise check.invalid(
            f"{field} '{type_id}' cannot be created: models of this type are built in only "
            "(clarifai/main); create a trainable type (e.g. embedding-classifier) or an operator"
        )
    return spec


def _sent_output_info(sent: resources_pb2.Model, field: str) -> dict[str, Any]:
    """The output_info a new model was sent with: its model_version's, or the
    deprecated model.output_info."""
    if sent.model_version.HasField("output_info"):
        return request_json(
            sent.model_version.output_info, f"{field}.model_version.output_info", check.invalid_code
        )
    if sent.HasField("output_info"):
        return request_json(sent.output_info, f"{field}.output_info", check.invalid_code)
    return {}


def _settings(sent: resources_pb2.Model, field: str) -> dict[str, Any]:
    """The values of a model's own fields that were sent (strings when not empty)."""
    out: dict[str, Any] = {
        n: getattr(sent, n) for n in ("name", "description", "notes") if getattr(sent, n)
    }
    out.update({n: list(getattr(sent, n)) for n in LISTS if getattr(sent, n)})
    for name in ("metadata", "presets"):
        if sent.HasField(name):
            out[name] = from_struct(getattr(sent, name), f"{field}.{name}", check.invalid_code)
    if sent.HasField("visibility"):
        out["visibility"] = check.visibility(sent.visibility.gettable, f"{field}.visibility")
    if sent.HasField("workflow_recommended"):
        out["workflow_recommended"] = sent.workflow_recommended.value
    if not out.get("name") and sent.display_name:
        out["name"] = sent.display_name
    return out


def _new_model(call: Call, sent: resources_pb2.Model, model_id: str, field: str) -> dict:
    spec = _type(sent.model_type_id, f"{field}.model_type_id")
    values = _settings(sent, field)
    return {
        "name": model_id,
        **values,
        "id": model_id,
        "model_type_id": spec.id,
        "creator": call.user_id,
        "output_info": _sent_output_info(sent, field),
    }


async def _operator_version(call: Call, row: Any) -> None:
    """An operator's first version: trained at once, configured by the
    output_info the model was sent with."""
    await call.store.model_versions.add(
        row,
        {
            "id": new_id(),
            "status_code": Code.MODEL_TRAINED,
            "status_description": description(Code.MODEL_TRAINED),
            "runtime": model_types.TYPES[row.model_type_id].runtime,
            "output_info": row.output_info,
            "user_id": call.user_id,
        },
    )


@rpc
async def PostModels(call: Call, request: service_pb2.PostModelsRequest):
    sent = list(request.models) or ([request.model] if request.HasField("model") else [])
    check.batch(sent, "models")
    ids = check.new_ids((m.id for m in sent), "models")
    values = [
        _new_model(call, m, i, f"models[{n}]")
        for n, (m, i) in enumerate(zip(sent, ids, strict=True))
    ]
    made = await call.store.models.create(values)
    check.none_taken(ids, made, "model", "models[{n}].id")
    for row in made.values():
        if model_types.TYPES[row.model_type_id].operator:
            await _operator_version(call, row)
    first = (await _protos(call, [made[ids[0]]]))[0]
    return service_pb2.SingleModelResponse(model=first)


# ---- reading ----


async def _version(call: Call, row: Any, request: service_pb2.GetModelRequest) -> Any:
    """The version asked for, else the newest (trained, with trained_before)."""
    if request.version_id:
        return await model_rows.version(call, row, request.version_id)
    latest = await call.store.models.latest_versions([row], trained=request.trained_before)
    return latest.get(row.pk)


@rpc
async def GetModel(call: Call, request: service_pb2.GetModelRequest):
    row = await model_rows.model(call, request.model_id)
    version = await _version(call, row, request)
    counts = await call.store.models.version_counts([row])
    return service_pb2.SingleModelResponse(
        model=wire.model(row, version, call.app, counts.get(row.pk, 0))
    )


@rpc
async def GetModelOutputInfo(call: Call, request: service_pb2.GetModelRequest):
    """The model with its version's output_info, each concept named."""
    row = await model_rows.model(call, request.model_id)
    version = await _version(call, row, request)
    counts = await call.store.models.version_counts([row])
    out = wire.model(row, version, call.app, counts.get(row.pk, 0))
    info = version.output_info if version is not None else row.output_info
    named = await model_concepts.of_version(call, version, info)
    del out.output_info.data.concepts[:]
    out.output_info.data.concepts.extend(
        resources_pb2.Concept(id=i, name=n, value=1.0, app_id=call.app.id) for i, n in named
    )
    return service_pb2.SingleModelResponse(model=out)


@rpc
async def ListModelConcepts(call: Call, request: service_pb2.ListModelConceptsRequest):
    row = await model_rows.model(call, request.model_id)
    named = await model_concepts.of_model(call, row, request.version_id)
    if request.search:
        term = request.search.lower()
        named = [(i, n) for i, n in named if term in i.lower() or term in n.lower()]
    at = page_of(request)
    return service_pb2.MultiConceptResponse(
        concepts=[
            resources_pb2.Concept(
                id=i, name=n, value=1.0, app_id=call.app.id, user_id=call.app.user_id
            )
            for i, n in named[at.offset : at.offset + at.limit]
        ]
    )


def _type_ids(request: service_pb2.ListModelsRequest) -> list[str] | None:
    """The types a list keeps: model_type_id, and those whose catalog entry
    takes every input_fields and gives every output_fields."""
    if not (request.model_type_id or request.input_fields or request.output_fields):
        return None
    return [
        t.id
        for t in model_types.TYPES.values()
        if (not request.model_type_id or t.id == request.model_type_id)
        and set(request.input_fields) <= set(t.input_fields)
        and set(request.output_fields) <= set(t.output_fields)
    ]


def _filter(request: service_pb2.ListModelsRequest) -> ModelFilter:
    return ModelFilter(
        type_ids=_type_ids(request),
        trained_only=request.trained_only,
        toolkits=list(request.toolkits),
        use_cases=list(request.use_cases),
        languages=list(request.languages),
        creator=request.creator,
        visibility=check.visibility(request.visibility.gettable, "visibility.gettable")
        if request.visibility.gettable
        else 0,
        search=request.search or request.query or request.name,
        version_ids=list(request.model_version_ids),
    )


async def _user_models(call: Call, owner: str, request: service_pb2.ListModelsRequest, sort: str):
    """ListModels without an app: the owner's models across its apps."""
    store = call.store.user_models
    pairs = await store.page(
        owner, page_of(request), _filter(request), sort, not request.sort_ascending
    )
    rows = [m for m, _ in pairs]
    latest = await store.latest_versions(rows)
    counts = await store.version_counts(rows)
    return [
        wire.model(m, latest.get(m.pk), AppScope(m.app_pk, app_id, owner), counts.get(m.pk, 0))
        for m, app_id in pairs
    ]


@rpc
async def ListModels(call: Call, request: service_pb2.ListModelsRequest):
    sort = SORTS.get(request.WhichOneof("sort_by") or "", "modified_at")
    if call.access.app is None:
        owner = call.access.named_user or call.user_id
        return service_pb2.MultiModelResponse(models=await _user_models(call, owner, request, sort))
    rows = await call.store.models.page(
        page_of(request), _filter(request), sort, not request.sort_ascending
    )
    return service_pb2.MultiModelResponse(models=await _protos(call, rows))


@rpc
async def PostModelsSearches(call: Call, request: service_pb2.PostModelsSearchesRequest):
    query = request.model_query
    found = ModelFilter(
        type_ids=[query.model_type_id] if query.model_type_id else None, search=query.name
    )
    rows = await call.store.models.page(page_of(request.pagination), found)
    return service_pb2.MultiModelResponse(models=await _protos(call, rows))


# ---- patching ----


def _changes(action: str, row: Any, sent: resources_pb2.Model, field: str) -> dict[str, Any]:
    values = _settings(sent, field)
    lists = {n: values.pop(n) for n in LISTS if n in values}
    stored = wire.values(row)
    out = patch.apply(action, stored, values, SPEC)
    out.update({n: patch.list_values(action, stored[n], v) for n, v in lists.items()})
    return out


@rpc
async def PatchModels(call: Call, request: service_pb2.PatchModelsRequest):
    SPEC.check(request.action)
    check.batch(request.models, "models")
    ids = check.ids([m.id for m in request.models], "models[{n}].id")
    stored = await call.store.models.get_many(ids)
    check.all_known(ids, stored, "model", "models[{n}].id")
    rows = [
        await call.store.models.update(
            stored[m.id], _changes(request.action, stored[m.id], m, f"models[{n}]")
        )
        for n, m in enumerate(request.models)
    ]
    return service_pb2.MultiModelResponse(models=await _protos(call, rows))


@rpc
async def PatchModelIds(call: Call, request: service_pb2.PatchModelIdsRequest):
    IDS_SPEC.check(request.action)
    store = call.store.models
    olds, news, stored = await renames.checked(check, request.ids, store, "model")
    rows = await renames.renamed(store, [stored[o] for o in olds], news)
    return service_pb2.MultiModelResponse(models=await _protos(call, rows))


async def _patch_list(call: Call, request: Any, name: str, sent: Sequence[str]) -> list[str]:
    SPEC.check(request.action)
    row = await model_rows.model(call, request.model_id)
    for n, value in enumerate(sent):
        check.required(value, f"{name}[{n}]")
    values = patch.list_values(request.action, getattr(row, name), sent)
    row = await call.store.models.update(row, {name: values})
    return list(getattr(row, name))


@rpc
async def PatchModelToolkits(call: Call, request: service_pb2.PatchModelToolkitsRequest):
    values = await _patch_list(call, request, "toolkits", request.toolkits)
    return service_pb2.MultiModelToolkitResponse(toolkits=values)


@rpc
async def PatchModelUseCases(call: Call, request: service_pb2.PatchModelUseCasesRequest):
    values = await _patch_list(call, request, "use_cases", request.usecases)
    return service_pb2.MultiModelUseCaseResponse(usecases=values)


@rpc
async def PatchModelLanguages(call: Call, request: service_pb2.PatchModelLanguagesRequest):
    values = await _patch_list(call, request, "languages", request.languages)
    return service_pb2.MultiModelLanguageResponse(languages=values)


@rpc
async def PatchModelCheckConsents(call: Call, request: service_pb2.PatchModelCheckConsentsRequest):
    values = await _patch_list(call, request, "check_consents", request.check_consents)
    return service_pb2.MultiModelCheckConsentResponse(check_consents=values)


# ---- deleting ----


@rpc
async def DeleteModel(call: Call, request: service_pb2.DeleteModelRequest):
    row = await model_rows.model(call, request.model_id)
    await call.store.models.delete([row.id])
    return status_pb2.BaseResponse()


@rpc
async def DeleteModels(call: Call, request: service_pb2.DeleteModelsRequest):
    sent = check.ids_or_all(request.ids, request.delete_all)
    if sent is None:
        await call.store.models.delete(None)
        return status_pb2.BaseResponse()
    ids = check.ids(sent, "ids[{n}]")
    found = await call.store.models.existing_ids(ids)
    check.all_known(ids, found, "model", "ids[{n}]")
    await call.store.models.delete(ids)
    return status_pb2.BaseResponse()
