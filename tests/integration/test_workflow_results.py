"""PostWorkflowResults: clarifai/main's General workflow on the committed
images, operators chained as their params say, suppressed outputs, the
docs' auto-annotation walkthrough end to end, the 32-input limit and
per-input statuses."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from PIL import Image

from server import main_app
from tests.helpers import app_of, png, struct

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "images"
MAIN = r.UserAppIDSet(user_id=main_app.USER_ID, app_id=main_app.APP_ID)
GENERAL = ("general-image-recognition", "aa7f35c01e0642fda5cf400f543e7c40")
EMBED = ("general-image-embedding", "bb186755eda04f9cbb6fe32e816be104")
FACES = ("face-detection", "34ce21a40cc24b6b96ffee54aabff139")
# clarifai/main's general concepts on the fixtures (WordNet ids): chelsea.jpg
# is a cat (about 0.97), coffee.jpg a beverage (about 0.73).
CAT, BEVERAGE = "n02121620", "n07881800"


def image(name: str, input_id: str = "") -> r.Input:
    return r.Input(id=input_id, data=r.Data(image=r.Image(base64=(FIXTURES / name).read_bytes())))


def node(node_id: str, model_id: str, *inputs: str, version: str = "", **kw: Any) -> r.WorkflowNode:
    return r.WorkflowNode(
        id=node_id,
        model=r.Model(id=model_id, model_version=r.ModelVersion(id=version)),
        node_inputs=[r.NodeInput(node_id=i) for i in inputs],
        **kw,
    )


def main_node(node_id: str, builtin: tuple[str, str], *inputs: str, **kw: Any) -> r.WorkflowNode:
    return node(node_id, builtin[0], *inputs, version=builtin[1], **kw)


async def make_workflow(stub, account, workflow_id: str, *nodes: r.WorkflowNode) -> r.Workflow:
    res = await stub.PostWorkflows(
        s.PostWorkflowsRequest(
            user_app_id=app_of(account), workflows=[r.Workflow(id=workflow_id, nodes=nodes)]
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.workflows[0]


def results_request(app: r.UserAppIDSet, workflow_id: str, *inputs: r.Input, **kw: Any):
    return s.PostWorkflowResultsRequest(
        user_app_id=app, workflow_id=workflow_id, inputs=inputs, **kw
    )


async def run(transport, account, workflow_id: str, *inputs: r.Input, **kw: Any):
    return await transport.call(
        "PostWorkflowResults",
        results_request(app_of(account), workflow_id, *inputs, **kw),
        account.md(),
    )


async def run_grpc(stub, account, workflow_id: str, *inputs: r.Input, **kw: Any):
    return await stub.PostWorkflowResults(
        results_request(app_of(account), workflow_id, *inputs, **kw), metadata=account.md()
    )


def names(output: r.Output) -> set[str]:
    return {c.name for c in output.data.concepts}


def values(output: r.Output) -> dict[str, float]:
    return {c.id: round(c.value, 3) for c in output.data.concepts}


class TestGeneral:
    async def test_on_the_fixtures(self, transport, account):
        res = await transport.call(
            "PostWorkflowResults",
            results_request(MAIN, "General", image("chelsea.jpg"), image("coffee.jpg")),
            account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.workflow.id == "General" and res.workflow.app_id == "main"
        cat, coffee = res.results
        for result in res.results:
            assert result.status.code == sc.SUCCESS and len(result.id) == 32
            assert [o.model.id for o in result.outputs] == [GENERAL[0], EMBED[0]]
            assert not result.input.data.image.base64
        assert "cat" in names(cat.outputs[0]) and len(cat.outputs[0].data.concepts) == 20
        assert {"espresso", "coffee"} <= names(coffee.outputs[0])
        [embedding] = cat.outputs[1].data.embeddings
        assert embedding.num_dimensions == 1280 and len(embedding.vector) == 1280

    async def test_from_the_callers_app_with_output_config(self, transport, account):
        """A workflow id the app lacks is clarifai/main's; output_config applies to every node."""
        res = await run(
            transport,
            account,
            "General",
            image("chelsea.jpg"),
            output_config=r.OutputConfig(max_concepts=3),
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert len(res.results[0].outputs[0].data.concepts) == 3

    async def test_a_bad_image_among_good_ones(self, transport, account):
        junk = r.Input(data=r.Data(image=r.Image(base64=b"not an image")))
        res = await run(transport, account, "General", image("chelsea.jpg"), junk)
        assert res.status.code == sc.MIXED_STATUS, res.status
        good, bad = res.results
        assert good.status.code == sc.SUCCESS
        assert bad.status.code == sc.INPUT_DOWNLOAD_FAILED and bad.status.details
        assert [o.status.code for o in bad.outputs] == [sc.INPUT_DOWNLOAD_FAILED] * 2
        res = await run(transport, account, "General", junk, junk)
        assert res.status.code == sc.FAILURE

    async def test_thirty_three_inputs_refused(self, transport, account):
        many = [r.Input(data=r.Data(image=r.Image(base64=png())))] * 33
        res = await run(transport, account, "General", *many)
        assert res.status.code == sc.WORKFLOW_INVALID_REQUEST, res.status
        assert "inputs: at most 32" in res.status.details
        res = await run(transport, account, "General")
        assert res.status.code == sc.WORKFLOW_INVALID_REQUEST and "inputs" in res.status.details

    async def test_outputs_named_by_feedback(self, stub, account):
        res = await run_grpc(stub, account, "General", image("chelsea.jpg"))
        concepts = res.results[0].outputs[0]
        feedback = s.PostModelFeedbackRequest(
            user_app_id=app_of(account),
            model_id=GENERAL[0],
            input=r.Input(
                data=r.Data(concepts=[r.Concept(id=concepts.data.concepts[0].id, value=1)]),
                feedback_info=r.FeedbackInfo(event_type=r.annotation, output_id=concepts.id),
            ),
        )
        res = await stub.PostModelFeedback(feedback, metadata=account.md())
        assert res.status.code == sc.SUCCESS, res.status

    async def test_unknown_workflow_and_version(self, transport, account):
        res = await run(transport, account, "nothing", image("chelsea.jpg"))
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST and "'nothing'" in res.status.details
        res = await run(transport, account, "General", image("chelsea.jpg"), version_id="v9")
        assert res.status.code == sc.WORKFLOW_DOES_NOT_EXIST and "'v9'" in res.status.details

    async def test_universal_skips_models_of_another_medium(self, transport, account):
        text = r.Input(data=r.Data(text=r.Text(raw="a cat on a sofa")))
        res = await run(transport, account, "Universal", image("chelsea.jpg"), text)
        assert res.status.code == sc.SUCCESS, res.status
        on_image, on_text = ([bool(o.data.ListFields()) for o in x.outputs] for x in res.results)
        assert on_image == [True, True, False] and on_text == [False, False, True]


async def post_model(stub, account, model_id: str, type_id: str, **output_info: Any) -> str:
    """An operator made as the docs make them (PostModels); its version id."""
    info = r.OutputInfo(
        data=output_info.get("data"), params=struct(**output_info.get("params", {}))
    )
    res = await stub.PostModels(
        s.PostModelsRequest(
            user_app_id=app_of(account),
            models=[r.Model(id=model_id, model_type_id=type_id, output_info=info)],
        ),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.model.model_version.id


def thresholds(**by_id: float) -> r.Data:
    return r.Data(concepts=[r.Concept(id=i, value=v) for i, v in by_id.items()])


async def add_inputs(stub, account, *inputs: r.Input) -> None:
    res = await stub.PostInputs(
        s.PostInputsRequest(user_app_id=app_of(account), inputs=inputs), metadata=account.md()
    )
    assert res.status.code == sc.SUCCESS, res.status


async def annotations(stub, account, version_id: str) -> list[r.Annotation]:
    res = await stub.ListAnnotations(
        s.ListAnnotationsRequest(user_app_id=app_of(account), model_version_ids=[version_id]),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.annotations)


class TestOperators:
    async def test_thresholder_with_a_node_override(self, stub, transport, account):
        await post_model(stub, account, "keep", "concept-thresholder", data=thresholds(other=0.1))
        override = r.OutputInfo(
            data=thresholds(**{CAT: 0.9, BEVERAGE: 0.9}),
            params=struct(concept_threshold_type="GREATER_THAN"),
        )
        await make_workflow(
            stub,
            account,
            "w",
            main_node("general", GENERAL, suppress_output=True),
            node("keep", "keep", "general", output_info_override=override),
        )
        res = await run(transport, account, "w", image("chelsea.jpg"), image("coffee.jpg"))
        assert res.status.code == sc.SUCCESS, res.status
        cat, coffee = res.results
        assert [o.model.id for o in cat.outputs] == ["keep"]
        assert list(values(cat.outputs[0])) == [CAT] and values(cat.outputs[0])[CAT] > 0.9
        assert values(coffee.outputs[0]) == {}

    async def test_random_sample_keeps_or_drops_a_branch(self, stub, transport, account):
        await post_model(stub, account, "none", "random-sample", params={"keep_fraction": 0})
        await post_model(stub, account, "all", "random-sample", params={"keep_fraction": 1})
        await post_model(
            stub, account, "keep", "concept-thresholder", data=thresholds(**{CAT: 0.5})
        )
        await make_workflow(
            stub,
            account,
            "w",
            main_node("general", GENERAL),
            node("dropped", "none", "general"),
            node("after-dropped", "keep", "dropped"),
            node("kept", "all", "general"),
            node("after-kept", "keep", "kept"),
        )
        res = await run(transport, account, "w", image("chelsea.jpg"))
        assert res.status.code == sc.SUCCESS, res.status
        outputs = list(res.results[0].outputs)
        assert [o.model.id for o in outputs] == [
            "general-image-recognition",
            "none",
            "keep",
            "all",
            "keep",
        ]
        assert not outputs[1].data.concepts and not outputs[2].data.concepts
        assert len(outputs[3].data.concepts) == 20 and list(values(outputs[4])) == [CAT]

    async def test_faces_cropped_and_counted(self, stub, transport, account):
        await post_model(stub, account, "crop", "image-crop", params={"margin": 0.5})
        await post_model(stub, account, "count", "object-counter")
        await make_workflow(
            stub,
            account,
            "w",
            main_node("faces", FACES),
            node("crop", "crop", "faces"),
            node("count", "count", "faces"),
        )
        res = await run(transport, account, "w", image("astronaut.jpg"))
        assert res.status.code == sc.SUCCESS, res.status
        faces, crops, count = res.results[0].outputs
        assert faces.data.regions and len(crops.data.regions) == len(faces.data.regions)
        assert count.data.metadata["object_count"] == len(faces.data.regions)
        with Image.open(FIXTURES / "astronaut.jpg") as whole:
            width, height = whole.size
        box = crops.data.regions[0].region_info.bounding_box
        with Image.open(io.BytesIO(crops.data.regions[0].data.image.base64)) as cropped:
            expected = (box.right_col - box.left_col) * width * 2  # margin 0.5 each side
            assert abs(cropped.size[0] - min(expected, width)) <= 2

    async def test_synonyms_mapped(self, stub, transport, account):
        res = await stub.PostConcepts(
            s.PostConceptsRequest(
                user_app_id=app_of(account),
                concepts=[r.Concept(id="pet", name="pet"), r.Concept(id=CAT, name="cat")],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        res = await stub.PostConceptRelations(
            s.PostConceptRelationsRequest(
                user_app_id=app_of(account),
                concept_id="pet",
                concept_relations=[
                    r.ConceptRelation(object_concept=r.Concept(id=CAT), predicate="synonym")
                ],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status
        await post_model(stub, account, "mapper", "concept-synonym-mapper")
        await make_workflow(
            stub, account, "w", main_node("general", GENERAL), node("map", "mapper", "general")
        )
        res = await run(transport, account, "w", image("chelsea.jpg"), image("coffee.jpg"))
        cat_result, coffee_result = res.results
        general, mapped = cat_result.outputs
        assert values(mapped) == {"pet": round(values(general)[CAT], 3)}
        assert mapped.data.concepts[0].name == "pet"
        assert values(coffee_result.outputs[1]) == {}

    async def test_annotation_writer(self, stub, transport, account):
        await add_inputs(stub, account, image("chelsea.jpg", "cat1"))
        version = await post_model(
            stub,
            account,
            "writer",
            "annotation-writer",
            params={
                "annotation_status": sc.ANNOTATION_AWAITING_REVIEW,
                "annotation_user_id": account.user_id,
                "task_id": "task-7",
                "annotation_info": {"source": "workflow"},
            },
        )
        await post_model(
            stub, account, "keep", "concept-thresholder", data=thresholds(**{CAT: 0.5})
        )
        await make_workflow(
            stub,
            account,
            "w",
            main_node("general", GENERAL),
            node("keep", "keep", "general"),
            node("write", "writer", "keep", suppress_output=True),
        )
        inline = image("chelsea.jpg")
        res = await run(transport, account, "w", r.Input(id="cat1"), inline)
        assert res.status.code == sc.MIXED_STATUS, res.status
        stored, sent = res.results
        assert stored.status.code == sc.SUCCESS and len(stored.outputs) == 2
        assert (
            sent.status.code == sc.INPUT_INVALID_ARGUMENT and "node 'write'" in sent.status.details
        )
        [written] = await annotations(stub, account, version)
        assert written.input_id == "cat1" and written.user_id == account.user_id
        assert written.status.code == sc.ANNOTATION_AWAITING_REVIEW
        assert written.task_id == "task-7" and written.annotation_info["source"] == "workflow"
        assert [c.id for c in written.data.concepts] == [CAT]


async def test_run_outside_a_request(server, settings, stub, account):
    """The runner takes any app's Store (a background job's, in its own
    transaction), as collectors' workflows will run."""
    from server import workflow_runs, workflows  # noqa: PLC0415  (the runner itself)
    from storage import apps as app_store  # noqa: PLC0415
    from storage import blobs  # noqa: PLC0415
    from storage.store import Store  # noqa: PLC0415

    await add_inputs(stub, account, image("coffee.jpg", "cup"))
    version = await post_model(stub, account, "writer", "annotation-writer")
    await make_workflow(
        stub, account, "w", main_node("general", GENERAL), node("write", "writer", "general")
    )
    async with server.db.transaction() as session:
        app = await app_store.get(session, account.user_id, account.app_id)
        scope = app_store.scope_of(app)
        store = Store(session, lambda: scope, lambda: account.user_id)
        graph = await workflows.latest(store, await workflows.find(store, app, "w"))
        runner = workflow_runs.Runner(
            store, blobs.store_for(settings.data_dir), None, account.user_id
        )
        [result] = await workflow_runs.run(runner, graph, [r.Input(id="cup")])
    assert result.status.code == sc.SUCCESS, result.status
    [written] = await annotations(stub, account, version)
    assert written.input_id == "cup" and written.status.code == sc.ANNOTATION_SUCCESS
    assert [c.id for c in written.data.concepts] == [c.id for c in result.outputs[0].data.concepts]


class TestTextOperators:
    async def test_regex_and_language(self, stub, transport, account):
        await post_model(
            stub,
            account,
            "greeting",
            "regex-based-classifier",
            data=r.Data(concepts=[r.Concept(id="hello", name="hello")]),
            params={"regex": "(?i)hello|hallo"},
        )
        await post_model(stub, account, "lang", "language-id-operator", params={"topk": 1})
        await make_workflow(stub, account, "w", node("greet", "greeting"), node("language", "lang"))
        texts = [
            r.Input(data=r.Data(text=r.Text(raw=t)))
            for t in ("Hello there, how are you today?", "Das Wetter ist heute schön")
        ]
        res = await run(transport, account, "w", *texts)
        assert res.status.code == sc.SUCCESS, res.status
        english, german = ([values(o) for o in x.outputs] for x in res.results)
        assert english[0] == {"hello": 1.0} and list(english[1]) == ["en"]
        assert german[0] == {} and list(german[1]) == ["de"]


async def walkthrough_concepts(stub, account) -> None:
    """The app's concepts pet and drink, synonyms of the general model's cat and beverage."""
    mine = [r.Concept(id="petID", name="pet"), r.Concept(id="drinkID", name="drink")]
    general = [r.Concept(id=CAT, name="cat"), r.Concept(id=BEVERAGE, name="beverage")]
    res = await stub.PostConcepts(
        s.PostConceptsRequest(user_app_id=app_of(account), concepts=mine + general),
        metadata=account.md(),
    )
    assert res.status.code == sc.SUCCESS, res.status
    for subject, other in (("petID", CAT), ("drinkID", BEVERAGE)):
        res = await stub.PostConceptRelations(
            s.PostConceptRelationsRequest(
                user_app_id=app_of(account),
                concept_id=subject,
                concept_relations=[
                    r.ConceptRelation(object_concept=r.Concept(id=other), predicate="synonym")
                ],
            ),
            metadata=account.md(),
        )
        assert res.status.code == sc.SUCCESS, res.status


async def walkthrough_models(stub, account) -> dict[str, str]:
    """The walkthrough's operators (thresholds pet 0.5, drink 0.9); their version ids."""
    limits = thresholds(petID=0.5, drinkID=0.9)
    made = {
        "synonym-model-id": await post_model(
            stub,
            account,
            "synonym-model-id",
            "concept-synonym-mapper",
            params={"knowledge_graph_id": ""},
        ),
        "greater-than-model-id": await post_model(
            stub,
            account,
            "greater-than-model-id",
            "concept-thresholder",
            data=limits,
            params={"concept_threshold_type": "GREATER_THAN"},
        ),
        "less-than-model-id": await post_model(
            stub,
            account,
            "less-than-model-id",
            "concept-thresholder",
            data=limits,
            params={"concept_threshold_type": 3},
        ),
    }
    for model_id, status in (
        ("write-success-model-id", sc.ANNOTATION_SUCCESS),
        ("write-pending-model-id", sc.ANNOTATION_PENDING),
    ):
        made[model_id] = await post_model(
            stub,
            account,
            model_id,
            "annotation-writer",
            params={"annotation_status": status, "annotation_user_id": account.user_id},
        )
    return made


def walkthrough_nodes(versions: dict[str, str]) -> list[r.WorkflowNode]:
    """The walkthrough's graph without its clusterer, on the models `walkthrough_models` made."""
    return [
        node("general-embed", "bbb5f41425b8468d9b7a554ff10f8581", version=EMBED[1]),
        node("general-concept", "aaa03c23b3724a16a56b629203edc62c", version=GENERAL[1]),
        node(
            "mapper",
            "synonym-model-id",
            "general-concept",
            version=versions["synonym-model-id"],
        ),
        node("greater-than", "greater-than-model-id", "mapper"),
        node("write-success", "write-success-model-id", "greater-than"),
        node("less-than", "less-than-model-id", "mapper"),
        node("write-pending", "write-pending-model-id", "less-than"),
    ]


class TestAutoAnnotation:
    """The docs' auto-annotation walkthrough (api-guide/workflows/common-workflows/
    auto-annotation-walkthrough), with the requests it sends: the general
    model's concepts mapped to the app's by synonym, then written as SUCCESS
    annotations above a threshold and as PENDING ones below it. Its
    general-cluster node (a clusterer) is left out: no clusterer runs here.
    The app's concepts are linked to the general model's concept ids, which
    PostConceptRelations takes as concepts of the app."""

    async def test_end_to_end(self, stub, transport, account):
        await walkthrough_concepts(stub, account)
        versions = await walkthrough_models(stub, account)
        await make_workflow(
            stub, account, "auto-annotation-workflow-id", *walkthrough_nodes(versions)
        )
        await add_inputs(stub, account, image("chelsea.jpg", "cat"), image("coffee.jpg", "cup"))
        res = await run(
            transport, account, "auto-annotation-workflow-id", r.Input(id="cat"), r.Input(id="cup")
        )
        assert res.status.code == sc.SUCCESS, res.status
        cat, cup = ({o.model.id: values(o) for o in x.outputs} for x in res.results)
        assert cat["greater-than-model-id"].keys() == {"petID"} and not cat["less-than-model-id"]
        assert cup["less-than-model-id"].keys() == {"drinkID"} and not cup["greater-than-model-id"]
        success = await annotations(stub, account, versions["write-success-model-id"])
        pending = await annotations(stub, account, versions["write-pending-model-id"])
        assert [(a.input_id, a.status.code, [c.id for c in a.data.concepts]) for a in success] == [
            ("cat", sc.ANNOTATION_SUCCESS, ["petID"])
        ]
        assert [(a.input_id, a.status.code, [c.id for c in a.data.concepts]) for a in pending] == [
            ("cup", sc.ANNOTATION_PENDING, ["drinkID"])
        ]
        assert all(a.user_id == account.user_id for a in success + pending)
