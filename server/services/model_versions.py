"""Model versions: PostModelVersions, GetModelVersion, ListModelVersions,
PatchModelVersions, DeleteModelVersion.

PostModelVersions on a trainable model queues its training: the version
starts MODEL_QUEUED_FOR_TRAINING with output_info as sent (hyper_params kept
verbatim), the concepts to learn being the request's, else those of the
model's newest version or of its creation; the job "model.train"
(server/training.py) fits it. On an operator it makes a new version, trained
at once, configured by the output_info sent. Built-in types (clarifai/main's)
take no new versions. Writes need Models_Add in the model's app: another
user's public app (clarifai/main) is read-only (server/auth.py).
"""

from __future__ import annotations

from typing import Any

from clarifai.api import resources_pb2, service_pb2
from clarifai.api.status import status_pb2

from server import model_rows, model_types, patch
from server.checks import Checks
from server.convert import from_struct, request_json
from server.dispatch import Call
from server.ids import new_id
from server.pagination import page_of
from server.services import rpc
from server.status import Code, description, not_found
from server.wire import models as wire

check = Checks(Code.MODEL_INVALID_REQUEST, Code.MODEL_DOES_NOT_EXIST)
# description, metadata, license, visibility and output_info.output_config.
SPEC = patch.Spec(
    "model versions",
    (patch.MERGE, patch.OVERWRITE, patch.REMOVE),
    trees=frozenset({"metadata", "output_info"}),
    clearable=frozenset({"description", "license"}),
)
SORTS = {
    "sort_by_status_code": "status_code",
    "sort_by_num_inputs": "total_input_count",
    "sort_by_description": "description",
}


async def _version(call: Call, model: Any, version_id: str) -> Any:
    return await model_rows.version(call, model, check.required(version_id, "version_id"))


def _json(message: Any, field: str) -> dict[str, Any]:
    return request_json(message, field, check.invalid_code)


# ---- PostModelVersions ----


async def _base_info(call: Call, model: Any) -> dict[str, Any]:
    """What a new version inherits: the newest version's output_info, else
    the one the model was created with."""
    latest = (await call.store.models.latest_versions([model])).get(model.pk)
    return dict(latest.output_info) if latest is not None else dict(model.output_info)


async def _output_info(call: Call, model: Any, sent: resources_pb2.ModelVersion) -> dict:
    base = await _base_info(call, model)
    if not sent.HasField("output_info"):
        return base
    info = _json(sent.output_info, "model_versions[0].output_info")
    if not (info.get("data") or {}).get("concepts") and (base.get("data") or {}).get("concepts"):
        info.setdefault("data", {})["concepts"] = base["data"]["concepts"]
    return info


async def _check_concepts(call: Call, model: Any, info: dict[str, Any]) -> None:
    """The concepts a trainable version learns: at least one, each the app's."""
    listed = (info.get("data") or {}).get("concepts") or []
    ids = [c.get("id", "") for c in listed]
    if not ids:
        raise check.invalid(
            f"model '{model.id}' needs at least one concept to learn: send them in "
            "model_versions[0].output_info.data.concepts (or create the model with them)"
        )
    known = await call.store.concepts.get_many([i for i in ids if i])
    for n, concept_id in enumerate(ids):
        if concept_id not in known:
            raise not_found(
                "concept", concept_id, f"model_versions[0].output_info.data.concepts[{n}].id"
            )


def _settings(sent: resources_pb2.ModelVersion, field: str) -> dict[str, Any]:
    """A version's own fields that were sent."""
    out: dict[str, Any] = {
        n: getattr(sent, n) for n in ("description", "license") if getattr(sent, n)
    }
    if sent.HasField("metadata"):
        out["metadata"] = from_struct(sent.metadata, f"{field}.metadata", check.invalid_code)
    if sent.HasField("visibility"):
        out["visibility"] = check.visibility(sent.visibility.gettable, f"{field}.visibility")
    return out


def _state(spec: model_types.ModelTypeSpec) -> dict[str, Any]:
    """How a new version starts: an operator's trained, a classifier queued."""
    code = Code.MODEL_TRAINED if spec.operator else Code.MODEL_QUEUED_FOR_TRAINING
    return {"status_code": code, "status_description": description(code), "runtime": spec.runtime}


def _versionable(model: Any) -> model_types.ModelTypeSpec:
    spec = model_types.get(model.model_type_id)
    if spec is None or not (spec.trainable or spec.operator):
        raise check.invalid(
            f"model '{model.id}' of type '{model.model_type_id}' is built in: it takes no new "
            "versions"
        )
    return spec


@rpc
async def PostModelVersions(call: Call, request: service_pb2.PostModelVersionsRequest):
    model = await model_rows.model(call, request.model_id)
    spec = _versionable(model)
    check.at_most(request.model_versions, "model_versions", 1)
    sent = request.model_versions[0] if request.model_versions else resources_pb2.ModelVersion()
    info = await _output_info(call, model, sent)
    if spec.trainable:
        await _check_concepts(call, model, info)
    values = {
        "id": check.id(sent.id, "model_versions[0].id") if sent.id else new_id(),
        **_settings(sent, "model_versions[0]"),
        **_state(spec),
        "output_info": info,
        "input_info": _json(sent.input_info, "model_versions[0].input_info"),
        "train_info": _json(sent.train_info, "model_versions[0].train_info"),
        "user_id": call.user_id,
    }
    if request.description:
        values["description"] = request.description
    if await call.store.model_versions.of(model, values["id"]) is not None:
        raise check.invalid(f"model_versions[0].id '{values['id']}': the model has this version")
    row = await call.store.model_versions.add(model, values)
    if spec.trainable:
        await call.enqueue("model.train", [{"model_version_pk": row.pk}])
    counts = await call.store.models.version_counts([model])
    return service_pb2.SingleModelResponse(
        model=wire.model(model, row, call.app, counts.get(model.pk, 0))
    )


# ---- reading ----


@rpc
async def GetModelVersion(call: Call, request: service_pb2.GetModelVersionRequest):
    model = await model_rows.model(call, request.model_id)
    row = await _version(call, model, request.version_id)
    return service_pb2.SingleModelVersionResponse(model_version=wire.version(row, call.app))


@rpc
async def ListModelVersions(call: Call, request: service_pb2.ListModelVersionsRequest):
    model = await model_rows.model(call, request.model_id)
    rows = await call.store.model_versions.page(
        model,
        page_of(request),
        concept_ids=list(request.concept_ids),
        trained_only=request.trained_only,
        sort=SORTS.get(request.WhichOneof("sort_by") or "", "created_at"),
        descending=not request.sort_ascending,
    )
    return service_pb2.MultiModelVersionResponse(
        model_versions=[wire.version(r, call.app) for r in rows]
    )


# ---- patching and deleting ----


def _patched(action: str, row: Any, sent: resources_pb2.ModelVersion, field: str) -> dict:
    """The changes of one version: its own fields, and output_config (its
    thresholds and the like); the rest of output_info (the concepts learned)
    is the training's."""
    values = _settings(sent, field)
    if sent.output_info.HasField("output_config"):
        config = _json(sent.output_info.output_config, f"{field}.output_info.output_config")
        values["output_info"] = {"output_config": config}
    stored = {
        "description": row.description,
        "license": row.license,
        "metadata": row.metadata_,
        "visibility": row.visibility,
        "output_info": row.output_info,
    }
    return patch.apply(action, stored, values, SPEC)


@rpc
async def PatchModelVersions(call: Call, request: service_pb2.PatchModelVersionsRequest):
    SPEC.check(request.action)
    model = await model_rows.model(call, request.model_id)
    check.batch(request.model_versions, "model_versions")
    ids = check.ids([v.id for v in request.model_versions], "model_versions[{n}].id")
    rows = []
    for n, sent in enumerate(request.model_versions):
        row = await _version(call, model, ids[n])
        changes = _patched(request.action, row, sent, f"model_versions[{n}]")
        if request.action == patch.OVERWRITE and "output_info" in changes:
            changes["output_info"] = {**row.output_info, **changes["output_info"]}
        rows.append(await call.store.model_versions.update(row, changes))
    return service_pb2.MultiModelVersionResponse(
        model_versions=[wire.version(r, call.app) for r in rows]
    )


@rpc
async def DeleteModelVersion(call: Call, request: service_pb2.DeleteModelVersionRequest):
    model = await model_rows.model(call, request.model_id)
    row = await _version(call, model, request.version_id)
    await call.store.model_versions.delete(row)
    return status_pb2.BaseResponse()
