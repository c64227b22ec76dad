"""Collectors, as seed 000 (the Collectors guide) shows them, over gRPC."""

from __future__ import annotations

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from google.protobuf import json_format

from storage import keys as key_store
from tests.helpers import app_of, share


def seed_add_body(key: str) -> dict:
    """The Add Collector request of the guide, placeholders filled."""
    return {
        "collectors": [
            {
                "id": "my-collector",
                "description": "collects what the general model sees",
                "pre_queue_workflow_id": "Universal",
                "post_queue_workflow_id": "General",
                "collector_source": {
                    "api_post_model_outputs_collector_source": {
                        "model_user_id": "clarifai",
                        "model_app_id": "main",
                        "model_id": "general-image-recognition",
                        "model_version_id": "aa7f35c01e0642fda5cf400f543e7c40",
                        "post_inputs_key_id": key,
                    }
                },
            }
        ]
    }


async def add(stub, account, body: dict):
    request = json_format.ParseDict(body, s.PostCollectorsRequest())
    return await stub.PostCollectors(request, metadata=account.key_md)


async def listed(stub, account) -> list[r.Collector]:
    res = await stub.ListCollectors(s.ListCollectorsRequest(), metadata=account.key_md)
    assert res.status.code == sc.SUCCESS
    return list(res.collectors)


class TestPostCollectors:
    async def test_seed_add(self, stub, account):
        body = seed_add_body(account.api_key)
        res = await add(stub, account, body)
        assert res.status.code == sc.SUCCESS, res.status
        got = await stub.GetCollector(
            s.GetCollectorRequest(collector_id="my-collector"), metadata=account.key_md
        )
        assert got.status.code == sc.SUCCESS
        assert got.collector.status.code == sc.COLLECTOR_ACTIVE
        sent = json_format.ParseDict(body, s.PostCollectorsRequest()).collectors[0]
        stored = got.collector
        # Everything reads back as sent; the key is shown masked, never echoed.
        source = stored.collector_source.api_post_model_outputs_collector_source
        assert source.post_inputs_key_id == key_store.masked(account.api_key[:4])
        source.post_inputs_key_id = account.api_key
        stored.ClearField("created_at")
        stored.ClearField("status")
        assert stored == sent

    async def test_needs_a_workflow(self, stub, account):
        body = seed_add_body(account.api_key)
        del body["collectors"][0]["pre_queue_workflow_id"]
        del body["collectors"][0]["post_queue_workflow_id"]
        res = await add(stub, account, body)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "pre_queue_workflow_id" in res.status.details
        assert not res.collectors and await listed(stub, account) == []

    async def test_unknown_key(self, stub, account):
        res = await add(stub, account, seed_add_body("0" * 32))
        assert res.status.code == sc.CONN_KEY_INVALID
        assert "post_inputs_key_id" in res.status.details
        assert await listed(stub, account) == []

    async def test_other_users_key(self, stub, account, new_account):
        other = await new_account()
        res = await add(stub, account, seed_add_body(other.pat))
        assert res.status.code == sc.CONN_KEY_INVALID
        assert await listed(stub, account) == []

    async def test_key_without_post_inputs_scope(self, stub, account):
        made = await stub.PostKeys(
            s.PostKeysRequest(
                keys=[
                    r.Key(
                        type="app_specific_key",
                        scopes=["Inputs_Get"],
                        apps=[r.App(id=account.app_id)],
                    )
                ]
            ),
            metadata=account.md(),
        )
        assert made.status.code == sc.SUCCESS
        res = await add(stub, account, seed_add_body(made.keys[0].id))
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "PostInputs" in res.status.details
        assert await listed(stub, account) == []

    async def test_caller_needs_post_inputs_scopes(self, stub, account):
        made = await stub.PostKeys(
            s.PostKeysRequest(
                keys=[
                    r.Key(
                        type="app_specific_key",
                        scopes=["Collectors_Add", "Collectors_Get", "Apps_Get"],
                        apps=[r.App(id=account.app_id)],
                    )
                ]
            ),
            metadata=account.md(),
        )
        request = json_format.ParseDict(seed_add_body(account.api_key), s.PostCollectorsRequest())
        res = await stub.PostCollectors(request, metadata=account.md(made.keys[0].id))
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "Inputs_Add" in res.status.details
        assert await listed(stub, account) == []

    async def test_atomic(self, stub, account):
        body = seed_add_body(account.api_key)
        bad = dict(body["collectors"][0], id="second", pre_queue_random_sample=2.0)
        body["collectors"].append(bad)
        res = await add(stub, account, body)
        assert res.status.code == sc.CONN_INVALID_REQUEST
        assert "collectors[1].pre_queue_random_sample" in res.status.details
        assert await listed(stub, account) == []

    async def test_duplicate_id(self, stub, account):
        assert (await add(stub, account, seed_add_body(account.api_key))).status.code == sc.SUCCESS
        res = await add(stub, account, seed_add_body(account.api_key))
        assert res.status.code == sc.DATABASE_DUPLICATE_KEY
        assert len(await listed(stub, account)) == 1

    async def test_only_in_apps_the_caller_owns(self, stub, account, new_account):
        helper = await new_account()
        shared = await stub.PostCollaborators(
            s.PostCollaboratorsRequest(
                user_app_id=r.UserAppIDSet(user_id=account.user_id, app_id=account.app_id),
                collaborators=[r.Collaborator(user=r.User(id=helper.user_id), scopes=["All"])],
            ),
            metadata=account.md(),
        )
        assert shared.status.code == sc.SUCCESS, shared.status
        request = json_format.ParseDict(seed_add_body(helper.pat), s.PostCollectorsRequest())
        request.user_app_id.user_id, request.user_app_id.app_id = account.user_id, account.app_id
        res = await stub.PostCollectors(request, metadata=helper.md())
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES
        assert "owns" in res.status.details
        assert await listed(stub, account) == []


class TestPatchCollectors:
    async def test_seed_update(self, stub, account):
        await add(stub, account, seed_add_body(account.api_key))
        body = {
            "action": "overwrite",
            "collectors": [
                {
                    "id": "my-collector",
                    "description": "new words",
                    "pre_queue_workflow_id": "General",
                }
            ],
        }
        res = await stub.PatchCollectors(
            json_format.ParseDict(body, s.PatchCollectorsRequest()), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        got = (
            await stub.GetCollector(
                s.GetCollectorRequest(collector_id="my-collector"), metadata=account.key_md
            )
        ).collector
        assert got.description == "new words"
        assert got.pre_queue_workflow_id == "General"
        assert got.post_queue_workflow_id == ""  # overwrite: not sent, so gone
        source = got.collector_source.api_post_model_outputs_collector_source
        assert source.model_id == "general-image-recognition"  # source kept when not sent

    async def test_merge_refused(self, stub, account):
        await add(stub, account, seed_add_body(account.api_key))
        res = await stub.PatchCollectors(
            s.PatchCollectorsRequest(action="merge", collectors=[r.Collector(id="my-collector")]),
            metadata=account.key_md,
        )
        assert res.status.code == sc.CONN_INVALID_REQUEST and "merge" in res.status.details

    async def test_missing_collector_patches_nothing(self, stub, account):
        await add(stub, account, seed_add_body(account.api_key))
        res = await stub.PatchCollectors(
            s.PatchCollectorsRequest(
                action="overwrite",
                collectors=[
                    r.Collector(
                        id="my-collector", description="x", pre_queue_workflow_id="General"
                    ),
                    r.Collector(id="ghost", pre_queue_workflow_id="General"),
                ],
            ),
            metadata=account.key_md,
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST and "ghost" in res.status.details
        stored = await listed(stub, account)
        assert stored[0].description == "collects what the general model sees"


class TestListAndGetCollectors:
    async def test_seed_list_and_get(self, stub, account):
        body = seed_add_body(account.api_key)
        body["collectors"].append(dict(body["collectors"][0], id="second"))
        await add(stub, account, body)
        assert [c.id for c in await listed(stub, account)] == ["my-collector", "second"]
        page = await stub.ListCollectors(
            s.ListCollectorsRequest(page=2, per_page=1), metadata=account.key_md
        )
        assert [c.id for c in page.collectors] == ["second"]
        missing = await stub.GetCollector(
            s.GetCollectorRequest(collector_id="nope"), metadata=account.key_md
        )
        assert missing.status.code == sc.CONN_DOES_NOT_EXIST

    async def test_other_apps_collectors_invisible(self, stub, account, new_account):
        await add(stub, account, seed_add_body(account.api_key))
        other = await new_account()
        assert await listed(stub, other) == []
        got = await stub.GetCollector(
            s.GetCollectorRequest(collector_id="my-collector"), metadata=other.key_md
        )
        assert got.status.code == sc.CONN_DOES_NOT_EXIST


class TestDeleteCollectors:
    async def test_seed_delete(self, stub, account):
        await add(stub, account, seed_add_body(account.api_key))
        res = await stub.DeleteCollectors(
            s.DeleteCollectorsRequest(ids=["my-collector"]), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS
        assert await listed(stub, account) == []

    async def test_missing_id_deletes_nothing(self, stub, account):
        await add(stub, account, seed_add_body(account.api_key))
        res = await stub.DeleteCollectors(
            s.DeleteCollectorsRequest(ids=["my-collector", "nope"]), metadata=account.key_md
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert len(await listed(stub, account)) == 1

    async def test_delete_all(self, stub, account):
        body = seed_add_body(account.api_key)
        body["collectors"].append(dict(body["collectors"][0], id="second"))
        await add(stub, account, body)
        res = await stub.DeleteCollectors(
            s.DeleteCollectorsRequest(delete_all=True), metadata=account.key_md
        )
        assert res.status.code == sc.SUCCESS and await listed(stub, account) == []


def _source(body: dict) -> dict:
    return body["collectors"][0]["collector_source"]["api_post_model_outputs_collector_source"]


class TestReferencesChecked:
    async def test_unknown_model(self, transport, account):
        body = seed_add_body(account.api_key)
        _source(body)["model_id"] = "nope"
        res = await transport.call(
            "PostCollectors", json_format.ParseDict(body, s.PostCollectorsRequest()), account.key_md
        )
        assert res.status.code == sc.MODEL_DOES_NOT_EXIST
        assert (
            "collectors[0].collector_source.api_post_model_outputs_collector_source.model_id"
            in (res.status.details)
        )

    async def test_unknown_version(self, transport, account):
        body = seed_add_body(account.api_key)
        _source(body)["model_version_id"] = "v9"
        res = await transport.call(
            "PostCollectors", json_format.ParseDict(body, s.PostCollectorsRequest()), account.key_md
        )
        assert res.status.code == sc.MODEL_DOES_NOT_EXIST
        assert "model_version_id: model 'general-image-recognition' has no version 'v9'" in (
            res.status.details
        )

    async def test_unknown_workflow(self, transport, account):
        body = seed_add_body(account.api_key)
        body["collectors"][0]["post_queue_workflow_id"] = "nowhere"
        res = await transport.call(
            "PostCollectors", json_format.ParseDict(body, s.PostCollectorsRequest()), account.key_md
        )
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST
        assert "collectors[0].post_queue_workflow_id" in res.status.details

    async def test_builtin_model_without_app_is_clarifai_main(self, stub, transport, account):
        body = seed_add_body(account.api_key)
        del _source(body)["model_user_id"], _source(body)["model_app_id"]
        res = await transport.call(
            "PostCollectors", json_format.ParseDict(body, s.PostCollectorsRequest()), account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        [stored] = await listed(stub, account)
        source = stored.collector_source.api_post_model_outputs_collector_source
        assert (source.model_user_id, source.model_app_id) == ("clarifai", "main")

    async def test_another_users_private_app(self, transport, account, new_account):
        other = await new_account()
        body = seed_add_body(account.api_key)
        _source(body).update(model_user_id=other.user_id, model_app_id=other.app_id)
        res = await transport.call(
            "PostCollectors", json_format.ParseDict(body, s.PostCollectorsRequest()), account.key_md
        )
        assert res.status.code == sc.MODEL_DOES_NOT_EXIST
        assert f"'{other.user_id}/{other.app_id}' is not one of the caller's" in res.status.details


class TestDeleteOwnerOnly:
    async def test_collaborator_cannot_delete(self, stub, transport, account, new_account):
        await add(stub, account, seed_add_body(account.api_key))
        helper = await new_account()
        await share(stub, account, helper)
        res = await transport.call(
            "DeleteCollectors",
            s.DeleteCollectorsRequest(user_app_id=app_of(account), ids=["my-collector"]),
            helper.md(),
        )
        assert res.status.code == sc.CONN_INSUFFICIENT_SCOPES and "owns" in res.status.details
        assert len(await listed(stub, account)) == 1
