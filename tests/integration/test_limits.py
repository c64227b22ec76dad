"""Request limits (server/limits.py) as a user meets them: one item over any
batch's limit, or a string over its length, is refused as an invalid request
naming the field, and nothing is written; at the limit the call works."""

from __future__ import annotations

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from sqlalchemy import func, select

import storage.store  # noqa: F401
from server import contract, limits
from storage.base import Base
from storage.jobs import Job
from tests.helpers import me

INVALID = {
    sc.CONN_INVALID_REQUEST,
    sc.CONCEPTS_INVALID_REQUEST,
    sc.INPUT_INVALID_REQUEST,
    sc.MODEL_INVALID_REQUEST,
    sc.PREDICT_INVALID_REQUEST,
    sc.WORKFLOW_INVALID_REQUEST,
    sc.SEARCH_INVALID_REQUEST,
    sc.APP_DUPLICATION_INVALID_REQUEST,
    sc.STATS_INVALID_REQUEST,
    sc.BULK_OPERATION_INVALID_REQUEST,
}


def _batches() -> list[tuple[str, str, int]]:
    """Every RPC's top-level lists, with their limits."""
    out = []
    for name, method in sorted(contract.methods().items()):
        d = method.descriptor.input_type
        for f in d.fields:
            if (d.full_name, f.name) in limits.ITEMS:
                out.append((name, f.name, limits.ITEMS[(d.full_name, f.name)]))
    return out


def _item(f: FieldDescriptor, n: int):
    if f.type == FieldDescriptor.TYPE_STRING:
        return f"x{n}"
    if f.type == FieldDescriptor.TYPE_ENUM:
        return f.enum_type.values[-1].number
    if f.message_type is not None:
        item = f.message_type._concrete_class()
        if "id" in f.message_type.fields_by_name:
            item.id = f"x{n}"
        return item
    return n


def _over(rpc: str, field: str, most: int) -> Message:
    method = contract.methods()[rpc]
    request = method.request_type()
    if method.names_app:
        request.user_app_id.CopyFrom(me("" if rpc == "PostApps" else "main"))
    f = method.descriptor.input_type.fields_by_name[field]
    getattr(request, field).extend(_item(f, n) for n in range(most + 1))
    return request


async def _newest_job(server) -> int:
    async with server.db.transaction() as session:
        return (await session.execute(select(func.coalesce(func.max(Job.pk), 0)))).scalar_one()


async def _rows(server, since: int) -> dict[str, int]:
    """Rows per table. Of jobs, the apps' jobs queued after job `since`: an
    earlier test's may finish meanwhile, and the server's periodic ones are
    queued whenever they fall due."""
    async with server.db.transaction() as session:
        counts = {}
        for t in Base.metadata.sorted_tables:
            query = select(func.count()).select_from(t)
            if t.name == "jobs":
                query = query.where(t.c.app_pk.is_not(None), t.c.pk > since)
            counts[t.name] = (await session.execute(query)).scalar_one()
        return counts


@pytest.mark.parametrize(("rpc", "field", "most"), _batches(), ids=lambda v: str(v))
async def test_one_item_over_a_batch_limit_is_refused_and_writes_nothing(
    server, stub, account, rpc, field, most
):
    since = await _newest_job(server)
    before = await _rows(server, since)
    res = await getattr(stub, rpc)(_over(rpc, field, most), metadata=account.md())
    assert res.status.code in INVALID, res.status
    assert res.status.details == f"{field}: at most {most} per request, got {most + 1}"
    assert await _rows(server, since) == before


def test_the_reference_s_documented_limits():
    items = {(m.removeprefix("clarifai.api."), f): n for (m, f), n in limits.ITEMS.items()}
    assert items["PostInputsRequest", "inputs"] == 128
    assert items["PostAnnotationsRequest", "annotations"] == 128
    assert items["PatchAnnotationsRequest", "annotations"] == 128
    assert items["ListAnnotationsRequest", "ids"] == 1000
    assert items["PostWorkflowResultsRequest", "inputs"] == 32
    assert items["Workflow", "nodes"] == 20


async def test_a_long_concept_name_is_refused(transport, account):
    request = s.PostConceptsRequest(
        user_app_id=me("main"), concepts=[r.Concept(id="long", name="n" * 2701)]
    )
    res = await transport.call("PostConcepts", request, account.md())
    assert res.status.code == sc.CONCEPTS_INVALID_REQUEST
    assert res.status.details == "concepts[0].name: at most 256 characters, got 2701"
    got = await transport.call(
        "GetConcept", s.GetConceptRequest(user_app_id=me("main"), concept_id="long"), account.md()
    )
    assert got.status.code == sc.CONN_DOES_NOT_EXIST


async def test_names_at_their_limit_fit_the_indexes_in_any_script(stub, account):
    # 256 four-byte characters: 1 KB in the (app, language, lower(name)) index.
    name = "\U0001f600" * 256
    res = await stub.PostConcepts(
        s.PostConceptsRequest(user_app_id=me("main"), concepts=[r.Concept(id="c" * 48, name=name)]),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert res.concepts[0].name == name


async def test_a_long_concept_id_in_feedback_is_refused(server, stub, account):
    body = {"input": {"id": "in-1", "data": {"concepts": [{"id": "c" * 8192, "value": True}]}}}
    request = json_format.ParseDict(body, s.PostModelFeedbackRequest())
    request.model_id = "aaa03c23b3724a16a56b629203edc62c"
    since = await _newest_job(server)
    before = await _rows(server, since)
    res = await stub.PostModelFeedback(request, metadata=account.key_md)
    assert res.status.code == sc.CONN_INVALID_REQUEST
    assert res.status.details == "input.data.concepts[0].id: at most 48 characters, got 8192"
    assert await _rows(server, since) == before


async def test_a_long_saved_search_id_in_a_task_source_is_refused(transport, account):
    task = r.Task(
        id="t1",
        type=r.Task.CONCEPTS_CLASSIFICATION,
        input_source=r.TaskInputSource(type=r.TaskInputSource.SAVED_SEARCH, id="s" * 8192),
    )
    res = await transport.call(
        "PostTasks", s.PostTasksRequest(user_app_id=me("main"), tasks=[task]), account.md()
    )
    assert res.status.code == sc.CONN_INVALID_REQUEST
    assert res.status.details == "tasks[0].input_source.id: at most 48 characters, got 8192"


async def test_ids_filtered_on_are_bounded_in_length_and_number(stub, account):
    res = await stub.ListAnnotations(
        s.ListAnnotationsRequest(user_app_id=me("main"), input_ids=["i" * 49]),
        metadata=account.md(),
    )
    assert res.status.code == sc.CONN_INVALID_REQUEST
    assert res.status.details == "input_ids[0]: at most 48 characters, got 49"
    res = await stub.ListAnnotations(
        s.ListAnnotationsRequest(user_app_id=me("main"), ids=[f"a{n}" for n in range(1000)]),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status


async def test_a_full_batch_of_inputs_with_full_label_lists_is_written(stub, account):
    concepts = [r.Concept(id=f"c{n}", value=1) for n in range(128)]
    inputs = [
        r.Input(id=f"in{n}", data=r.Data(text=r.Text(raw=f"t{n}"), concepts=concepts))
        for n in range(128)
    ]
    res = await stub.PostInputs(
        s.PostInputsRequest(user_app_id=me("main"), inputs=inputs), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    assert len(res.inputs) == 128


async def test_a_full_id_filter_fits_a_rest_query_string(transport, account):
    # 1000 ids of 48 characters: about 53 KB of query string.
    ids = [f"{n:048d}" for n in range(1000)]
    res = await transport.call(
        "ListAnnotations", s.ListAnnotationsRequest(user_app_id=me("main"), ids=ids), account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status
    over = s.ListAnnotationsRequest(user_app_id=me("main"), ids=[*ids, "x"])
    res = await transport.call("ListAnnotations", over, account.md())
    assert res.status.code == sc.CONN_INVALID_REQUEST
    assert res.status.details == "ids: at most 1000 per request, got 1001"


async def test_every_id_filter_full_fits_one_rest_query_string(transport, account):
    full = [f"{n:048d}" for n in range(1000)]
    request = s.ListTasksRequest(
        user_app_id=me("main"),
        worker_user_ids=full,
        review_user_ids=full,
        ids=full,
        input_source_ids=full,
    )
    res = await transport.call("ListTasks", request, account.md())
    assert res.status.code == sc.SUCCESS, res.status
