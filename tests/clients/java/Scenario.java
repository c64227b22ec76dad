// A Java user's client against a local server: stubs that protoc and
// Debian's grpc-java plugin generate from protos/, a blocking V2 stub on a
// plaintext channel, the key in the authorization header (MetadataUtils).
// Prints what the client parsed as one JSON line; the Python test
// (tests/clients/test_java_client.py) asserts it.
//
// usage: java Scenario HOST PORT USER_ID PAT

import com.clarifai.grpc.api.*;
import com.clarifai.grpc.api.status.Status;
import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

public final class Scenario {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel channel;
  private final Map<String, Object> seen = new LinkedHashMap<>();

  private Scenario(ManagedChannel channel) {
    this.channel = channel;
  }

  private V2Grpc.V2BlockingStub stub(String token) {
    Metadata md = new Metadata();
    md.put(AUTHORIZATION, "Key " + token);
    return V2Grpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** Runs one call; `summarize` turns the response into what the test checks. */
  private <T extends Message> T step(
      String name, Function<V2Grpc.V2BlockingStub, T> rpc, String token,
      Function<T, Map<String, Object>> summarize) {
    T res;
    try {
      res = rpc.apply(stub(token));
    } catch (StatusRuntimeException e) {
      seen.put(name, Map.of("grpc_error", Map.of(
          "code", e.getStatus().getCode().value(),
          "details", String.valueOf(e.getStatus().getDescription()))));
      return null;
    }
    Status status = (Status) res.getField(res.getDescriptorForType().findFieldByName("status"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", status.getCodeValue());
    out.put("description", status.getDescription());
    out.put("details", status.getDetails());
    out.putAll(summarize.apply(res));
    seen.put(name, out);
    return res;
  }

  private static <E> List<Object> map(List<E> items, Function<E, Object> f) {
    return items.stream().map(f).collect(Collectors.toList());
  }

  private void run(String userId, String pat) {
    String appId = "java-app";
    UserAppIDSet mine = UserAppIDSet.newBuilder().setUserId("me").build();

    step("PostApps", s -> s.postApps(PostAppsRequest.newBuilder()
            .setUserAppId(mine)
            .addApps(App.newBuilder().setId(appId).setName("Java").setDescription("via java"))
            .build()),
        pat, res -> Map.of("ids", map(res.getAppsList(), App::getId)));

    MultiKeyResponse keys = step("PostKeys", s -> s.postKeys(PostKeysRequest.newBuilder()
            .setUserAppId(mine)
            .addKeys(Key.newBuilder()
                .setDescription("java key")
                .addScopes("All")
                .addApps(App.newBuilder().setId(appId)))
            .build()),
        pat, res -> res.getKeysCount() == 0 ? Map.of() : Map.of(
            "type", res.getKeys(0).getType(),
            "apps", map(res.getKeys(0).getAppsList(), App::getId)));
    String key = keys != null && keys.getKeysCount() > 0 ? keys.getKeys(0).getId() : "";

    step("MyScopes", s -> s.myScopes(MyScopesRequest.getDefaultInstance()), key,
        res -> Map.of(
            "app", res.getApp().getId(),
            "user", res.getApp().getUserId(),
            "scopes", res.getScopesCount()));

    step("PostConcepts", s -> s.postConcepts(PostConceptsRequest.newBuilder()
            .addConcepts(Concept.newBuilder().setId("cat").setName("Cat"))
            .addConcepts(Concept.newBuilder().setId("dog").setName("Dog"))
            .build()),
        key, res -> Map.of(
            "ids", map(res.getConceptsList(), Concept::getId),
            "names", map(res.getConceptsList(), Concept::getName)));

    step("PostInputs", s -> s.postInputs(PostInputsRequest.newBuilder()
            .addInputs(Input.newBuilder()
                .setId("java-input")
                .setData(Data.newBuilder()
                    .setText(Text.newBuilder().setRaw("a cat sleeps on the mat"))))
            .build()),
        key, res -> Map.of(
            "ids", map(res.getInputsList(), Input::getId),
            "raw", map(res.getInputsList(), i -> i.getData().getText().getRaw())));

    step("PostAnnotations", s -> s.postAnnotations(PostAnnotationsRequest.newBuilder()
            .addAnnotations(Annotation.newBuilder()
                .setId("java-annotation")
                .setInputId("java-input")
                .setData(Data.newBuilder()
                    .addConcepts(Concept.newBuilder().setId("cat").setValue(1f))))
            .build()),
        key, res -> {
          List<Object> concepts = new ArrayList<>();
          res.getAnnotationsList().forEach(
              a -> concepts.addAll(map(a.getData().getConceptsList(), Concept::getId)));
          return Map.of(
              "ids", map(res.getAnnotationsList(), Annotation::getId),
              "inputs", map(res.getAnnotationsList(), Annotation::getInputId),
              "concepts", concepts);
        });

    step("PostDatasets", s -> s.postDatasets(PostDatasetsRequest.newBuilder()
            .addDatasets(Dataset.newBuilder().setId("java-dataset").setDescription("via java"))
            .build()),
        key, res -> Map.of("ids", map(res.getDatasetsList(), Dataset::getId)));

    step("PostDatasetInputs", s -> s.postDatasetInputs(PostDatasetInputsRequest.newBuilder()
            .setDatasetId("java-dataset")
            .addDatasetInputs(DatasetInput.newBuilder()
                .setInput(Input.newBuilder().setId("java-input")))
            .build()),
        key, res -> Map.of(
            "inputs", map(res.getDatasetInputsList(), d -> d.getInput().getId()),
            "codes", map(res.getDatasetInputsList(),
                d -> d.getInput().getStatus().getCodeValue())));

    step("PostCollectors", s -> s.postCollectors(PostCollectorsRequest.newBuilder()
            .addCollectors(Collector.newBuilder()
                .setId("java-collector")
                .setDescription("via java")
                .setPreQueueWorkflowId("Universal")
                .setCollectorSource(CollectorSource.newBuilder()
                    .setApiPostModelOutputsCollectorSource(
                        APIPostModelOutputsCollectorSource.newBuilder()
                            .setModelUserId("clarifai")
                            .setModelAppId("main")
                            .setModelId("general-image-recognition")
                            .setPostInputsKeyId(key))))
            .build()),
        key, res -> Map.of(
            "ids", map(res.getCollectorsList(), Collector::getId),
            "models", map(res.getCollectorsList(),
                c -> c.getCollectorSource().getApiPostModelOutputsCollectorSource().getModelId()),
            "key_ids", map(res.getCollectorsList(),
                c -> c.getCollectorSource().getApiPostModelOutputsCollectorSource()
                    .getPostInputsKeyId())));

    step("PostTasks", s -> s.postTasks(PostTasksRequest.newBuilder()
            .addTasks(Task.newBuilder()
                .setId("java-task")
                .setName("label cats")
                .setType(Task.TaskType.CONCEPTS_CLASSIFICATION)
                .setWorker(TaskWorker.newBuilder()
                    .setStrategy(TaskWorker.TaskWorkerStrategy.FULL)
                    .addWorkers(Worker.newBuilder().setUser(User.newBuilder().setId(userId))))
                .addConcepts(TaskConcept.newBuilder().setConcept(Concept.newBuilder().setId("cat")))
                .setInputSource(TaskInputSource.newBuilder()
                    .setType(TaskInputSource.TaskInputSourceType.DATASET)
                    .setId("java-dataset"))
                .setReview(TaskReview.newBuilder()
                    .setStrategy(TaskReview.TaskReviewStrategy.NONE)))
            .build()),
        key, res -> {
          List<Object> workers = new ArrayList<>();
          res.getTasksList().forEach(t -> workers.addAll(
              map(t.getWorker().getWorkersList(), w -> w.getUser().getId())));
          return Map.of(
              "ids", map(res.getTasksList(), Task::getId),
              "workers", workers,
              "app", map(res.getTasksList(), Task::getAppId));
        });

    step("ListTasks", s -> s.listTasks(ListTasksRequest.getDefaultInstance()), key,
        res -> Map.of("ids", map(res.getTasksList(), Task::getId)));

    step("bad_key", s -> s.myScopes(MyScopesRequest.getDefaultInstance()), "not-a-key",
        res -> Map.of("req_id", res.getStatus().getReqId()));
  }

  // ---- a minimal JSON writer for maps, lists, strings and numbers ----

  private static String json(Object value) {
    if (value instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .map(e -> json(String.valueOf(e.getKey())) + ":" + json(e.getValue()))
          .collect(Collectors.joining(",", "{", "}"));
    }
    if (value instanceof List<?> l) {
      return l.stream().map(Scenario::json).collect(Collectors.joining(",", "[", "]"));
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    StringBuilder out = new StringBuilder("\"");
    for (char c : String.valueOf(value).toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  public static void main(String[] args) throws InterruptedException {
    ManagedChannel channel = ManagedChannelBuilder
        .forAddress(args[0], Integer.parseInt(args[1]))
        .usePlaintext()
        .build();
    try {
      Scenario scenario = new Scenario(channel);
      scenario.run(args[2], args[3]);
      System.out.println(json(scenario.seen));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
