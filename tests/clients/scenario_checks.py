"""What the Node and Java scenarios (node/scenario.js, java/Scenario.java)
must have seen. Each scenario prints one JSON object, a step per call; a
test module subclasses ScenarioChecks, names its `prefix` and provides a
`scenario` fixture returning (what it saw, the user id it ran as)."""

from __future__ import annotations


def ok(step: dict) -> bool:
    return step.get("code") == 10000 and step.get("description") == "Ok"


class ScenarioChecks:
    prefix: str

    def test_apps_and_keys(self, scenario):
        seen, _ = scenario
        assert ok(seen["PostApps"]), seen["PostApps"]
        assert seen["PostApps"]["ids"] == [f"{self.prefix}-app"]
        assert ok(seen["PostKeys"]), seen["PostKeys"]
        assert seen["PostKeys"]["type"] == "app_specific_key"
        assert seen["PostKeys"]["apps"] == [f"{self.prefix}-app"]

    def test_my_scopes_with_the_app_key(self, scenario):
        seen, user_id = scenario
        assert ok(seen["MyScopes"]), seen["MyScopes"]
        assert seen["MyScopes"]["app"] == f"{self.prefix}-app"
        assert seen["MyScopes"]["user"] == user_id
        assert seen["MyScopes"]["scopes"] > 0

    def test_concepts(self, scenario):
        seen, _ = scenario
        assert ok(seen["PostConcepts"]), seen["PostConcepts"]
        assert seen["PostConcepts"]["ids"] == ["cat", "dog"]
        assert seen["PostConcepts"]["names"] == ["Cat", "Dog"]

    def test_inputs(self, scenario):
        seen, _ = scenario
        assert ok(seen["PostInputs"]), seen["PostInputs"]
        assert seen["PostInputs"]["ids"] == [f"{self.prefix}-input"]
        assert seen["PostInputs"]["raw"] == ["a cat sleeps on the mat"]

    def test_annotations(self, scenario):
        seen, _ = scenario
        assert ok(seen["PostAnnotations"]), seen["PostAnnotations"]
        assert seen["PostAnnotations"]["ids"] == [f"{self.prefix}-annotation"]
        assert seen["PostAnnotations"]["inputs"] == [f"{self.prefix}-input"]
        assert seen["PostAnnotations"]["concepts"] == ["cat"]

    def test_datasets(self, scenario):
        seen, _ = scenario
        assert ok(seen["PostDatasets"]), seen["PostDatasets"]
        assert seen["PostDatasets"]["ids"] == [f"{self.prefix}-dataset"]
        assert ok(seen["PostDatasetInputs"]), seen["PostDatasetInputs"]
        assert seen["PostDatasetInputs"]["inputs"] == [f"{self.prefix}-input"]
        assert seen["PostDatasetInputs"]["codes"] == [64100]  # DATASET_INPUT_SUCCESS

    def test_collectors(self, scenario):
        seen, _ = scenario
        assert ok(seen["PostCollectors"]), seen["PostCollectors"]
        assert seen["PostCollectors"]["ids"] == [f"{self.prefix}-collector"]
        assert seen["PostCollectors"]["models"] == ["general-image-recognition"]
        # The post-inputs key is shown masked, like ListKeys shows keys.
        (shown,) = seen["PostCollectors"]["key_ids"]
        assert shown.endswith("*") and len(shown) == 32

    def test_tasks(self, scenario):
        seen, user_id = scenario
        assert ok(seen["PostTasks"]), seen["PostTasks"]
        assert seen["PostTasks"]["ids"] == [f"{self.prefix}-task"]
        assert seen["PostTasks"]["workers"] == [user_id]
        assert seen["PostTasks"]["app"] == [f"{self.prefix}-app"]
        assert ok(seen["ListTasks"]), seen["ListTasks"]
        assert seen["ListTasks"]["ids"] == [f"{self.prefix}-task"]

    def test_bad_key(self, scenario):
        bad = scenario[0]["bad_key"]
        assert bad["code"] == 11008  # CONN_KEY_INVALID
        assert bad["description"] == "Invalid API key or Invalid API key/application pair"
        assert len(bad["req_id"]) == 32
