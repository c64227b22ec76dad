// The official Node.js client (clarifai-nodejs-grpc), unchanged, against a
// local server: the V2 client of its generated service_grpc_pb.js on an
// insecure channel. Prints what the client parsed as one JSON line; the
// Python test (tests/clients/test_node_client.py) asserts it.
//
// usage: node scenario.js HOST:PORT USER_ID PAT PHOTO
"use strict";

const grpc = require("@grpc/grpc-js");
const { V2Client } = require("clarifai-nodejs-grpc/proto/clarifai/api/service_grpc_pb");
const s = require("clarifai-nodejs-grpc/proto/clarifai/api/service_pb");
const r = require("clarifai-nodejs-grpc/proto/clarifai/api/resources_pb");

const [address, userId, pat, photo] = process.argv.slice(2);
const client = new V2Client(address, grpc.credentials.createInsecure());

function auth(token) {
  const md = new grpc.Metadata();
  md.set("authorization", "Key " + token);
  return md;
}

// One unary call; a transport error becomes {grpc_error} so the test names it.
function call(method, request, token) {
  return new Promise((resolve) => {
    const deadline = new Date(Date.now() + 20000);
    client[method](request, auth(token), { deadline }, (err, res) => {
      resolve(err ? { grpcError: { code: err.code, details: err.details } } : { res });
    });
  });
}

const seen = {};

// Runs one step: `summarize` turns the response into what the test checks.
async function step(name, method, request, token, summarize) {
  const { res, grpcError } = await call(method, request, token);
  if (grpcError) {
    seen[name] = { grpc_error: grpcError };
    return null;
  }
  const status = res.getStatus();
  seen[name] = {
    code: status.getCode(),
    description: status.getDescription(),
    details: status.getDetails(),
    ...summarize(res),
  };
  return res;
}

function user(id) {
  return new r.User().setId(id);
}

async function main() {
  const appId = "node-app";
  const mine = new r.UserAppIDSet().setUserId("me");

  await step(
    "PostApps",
    "postApps",
    new s.PostAppsRequest()
      .setUserAppId(mine)
      .setAppsList([new r.App().setId(appId).setName("Node").setDescription("via node")]),
    pat,
    (res) => ({ ids: res.getAppsList().map((a) => a.getId()) }),
  );

  const keys = await step(
    "PostKeys",
    "postKeys",
    new s.PostKeysRequest()
      .setUserAppId(mine)
      .setKeysList([
        new r.Key()
          .setDescription("node key")
          .setScopesList(["All"])
          .setAppsList([new r.App().setId(appId)]),
      ]),
    pat,
    (res) => {
      const key = res.getKeysList()[0];
      return key ? { type: key.getType(), apps: key.getAppsList().map((a) => a.getId()) } : {};
    },
  );
  const key = keys && keys.getKeysList().length ? keys.getKeysList()[0].getId() : "";

  await step("MyScopes", "myScopes", new s.MyScopesRequest(), key, (res) => ({
    app: res.getApp() ? res.getApp().getId() : "",
    user: res.getApp() ? res.getApp().getUserId() : "",
    scopes: res.getScopesList().length,
  }));

  await step(
    "PostConcepts",
    "postConcepts",
    new s.PostConceptsRequest().setConceptsList([
      new r.Concept().setId("cat").setName("Cat"),
      new r.Concept().setId("dog").setName("Dog"),
    ]),
    key,
    (res) => ({
      ids: res.getConceptsList().map((c) => c.getId()),
      names: res.getConceptsList().map((c) => c.getName()),
    }),
  );

  await step(
    "PostInputs",
    "postInputs",
    new s.PostInputsRequest().setInputsList([
      new r.Input()
        .setId("node-input")
        .setData(new r.Data().setText(new r.Text().setRaw("a cat sleeps on the mat"))),
    ]),
    key,
    (res) => ({
      ids: res.getInputsList().map((i) => i.getId()),
      raw: res.getInputsList().map((i) => i.getData().getText().getRaw()),
    }),
  );

  await step(
    "PostAnnotations",
    "postAnnotations",
    new s.PostAnnotationsRequest().setAnnotationsList([
      new r.Annotation()
        .setId("node-annotation")
        .setInputId("node-input")
        .setData(new r.Data().setConceptsList([new r.Concept().setId("cat").setValue(1)])),
    ]),
    key,
    (res) => ({
      ids: res.getAnnotationsList().map((a) => a.getId()),
      inputs: res.getAnnotationsList().map((a) => a.getInputId()),
      concepts: res
        .getAnnotationsList()
        .flatMap((a) => a.getData().getConceptsList().map((c) => c.getId())),
    }),
  );

  await step(
    "PostDatasets",
    "postDatasets",
    new s.PostDatasetsRequest().setDatasetsList([
      new r.Dataset().setId("node-dataset").setDescription("via node"),
    ]),
    key,
    (res) => ({ ids: res.getDatasetsList().map((d) => d.getId()) }),
  );

  await step(
    "PostDatasetInputs",
    "postDatasetInputs",
    new s.PostDatasetInputsRequest()
      .setDatasetId("node-dataset")
      .setDatasetInputsList([new r.DatasetInput().setInput(new r.Input().setId("node-input"))]),
    key,
    (res) => ({
      inputs: res.getDatasetInputsList().map((d) => d.getInput().getId()),
      codes: res.getDatasetInputsList().map((d) => d.getInput().getStatus().getCode()),
    }),
  );

  const source = new r.APIPostModelOutputsCollectorSource()
    .setModelUserId("clarifai")
    .setModelAppId("main")
    .setModelId("general-image-recognition")
    .setPostInputsKeyId(key);
  await step(
    "PostCollectors",
    "postCollectors",
    new s.PostCollectorsRequest().setCollectorsList([
      new r.Collector()
        .setId("node-collector")
        .setDescription("via node")
        .setPreQueueWorkflowId("Universal")
        .setCollectorSource(new r.CollectorSource().setApiPostModelOutputsCollectorSource(source)),
    ]),
    key,
    (res) => ({
      ids: res.getCollectorsList().map((c) => c.getId()),
      models: res
        .getCollectorsList()
        .map((c) => c.getCollectorSource().getApiPostModelOutputsCollectorSource().getModelId()),
      key_ids: res
        .getCollectorsList()
        .map((c) =>
          c.getCollectorSource().getApiPostModelOutputsCollectorSource().getPostInputsKeyId(),
        ),
    }),
  );

  await step(
    "PostTasks",
    "postTasks",
    new s.PostTasksRequest().setTasksList([
      new r.Task()
        .setId("node-task")
        .setName("label cats")
        .setType(r.Task.TaskType.CONCEPTS_CLASSIFICATION)
        .setWorker(
          new r.TaskWorker()
            .setStrategy(r.TaskWorker.TaskWorkerStrategy.FULL)
            .setWorkersList([new r.Worker().setUser(user(userId))]),
        )
        .setConceptsList([new r.TaskConcept().setConcept(new r.Concept().setId("cat"))])
        .setInputSource(
          new r.TaskInputSource()
            .setType(r.TaskInputSource.TaskInputSourceType.DATASET)
            .setId("node-dataset"),
        )
        .setReview(new r.TaskReview().setStrategy(r.TaskReview.TaskReviewStrategy.NONE)),
    ]),
    key,
    (res) => ({
      ids: res.getTasksList().map((t) => t.getId()),
      workers: res
        .getTasksList()
        .flatMap((t) => t.getWorker().getWorkersList().map((w) => w.getUser().getId())),
      app: res.getTasksList().map((t) => t.getAppId()),
    }),
  );

  // The docs' search by concept: the annotation above made node-input a cat.
  const byConcept = new r.Filter().setAnnotation(
    new r.Annotation().setData(
      new r.Data().setConceptsList([new r.Concept().setId("cat").setValue(1)]),
    ),
  );
  await step(
    "PostInputsSearches",
    "postInputsSearches",
    new s.PostInputsSearchesRequest().setSearchesList([
      new r.Search().setQuery(new r.Query().setFiltersList([byConcept])),
    ]),
    key,
    (res) => ({
      id: res.getId(),
      hits: res.getHitsList().map((h) => [h.getInput().getId(), h.getScore()]),
    }),
  );

  await step("ListTasks", "listTasks", new s.ListTasksRequest(), key, (res) => ({
    ids: res.getTasksList().map((t) => t.getId()),
  }));

  // Clarifai's documented prediction: the general model of clarifai/main.
  const image = new r.Image().setBase64(require("fs").readFileSync(photo));
  await step(
    "PostModelOutputs",
    "postModelOutputs",
    new s.PostModelOutputsRequest()
      .setUserAppId(new r.UserAppIDSet().setUserId("clarifai").setAppId("main"))
      .setModelId("aaa03c23b3724a16a56b629203edc62c")
      .setInputsList([new r.Input().setData(new r.Data().setImage(image))]),
    pat,
    (res) => ({
      outputs: res.getOutputsList().map((o) => ({
        id: o.getId(),
        code: o.getStatus().getCode(),
        concepts: o.getData().getConceptsList().map((c) => [c.getName(), c.getValue()]),
      })),
    }),
  );

  await step("bad_key", "myScopes", new s.MyScopesRequest(), "not-a-key", (res) => ({
    req_id: res.getStatus().getReqId(),
  }));
}

main()
  .then(() => {
    client.close();
    console.log(JSON.stringify(seen));
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
