"""The patch actions against the examples of the docs' "Patching" page: each
example patches A (sent) into B (stored) and gives Result."""

from __future__ import annotations

import json

import pytest

from server import patch
from server.patch import ACTIONS, MERGE, OVERWRITE, REMOVE, check_action, merge, remove
from server.status import ApiError, Code

# (rule, A, B, Result), as the docs write them.
MERGE_EXAMPLES = [
    ("different keys", '{"a":[1,2,3]}', '{"blah":true}', '{"blah":true, "a":[1,2,3]}'),
    ("id lists append", '{"a":[{"id": 1}]}', '{"a":[{"id": 2}]}', '{"a":[{"id": 2}, {"id":1}]}'),
    (
        "different types overwrite",
        '{"a":[{"id": "1"}], "blah":1}',
        '{"a":[{"id": "2"}], "blah":"string"}',
        '{"a":[{"id": "2"},{"id": "1"}], "blah":1}',
    ),
    (
        "deep merge of matching ids",
        '{"a":[{"id": "1","hey":true}], "blah":1}',
        '{"a":[{"id": "1","foo":"bar","hey":false},{"id":"2"}], "blah":"string"}',
        '{"a":[{"hey":true,"id": "1","foo":"bar"},{"id":"2"}], "blah":1}',
    ),
    (
        "non-id lists append",
        '{"a":[{"blah": "1"}], "blah":1, "dict":{"a":1,"b":2}}',
        '{"a":[{"blah": "2"}], "blah":"string"}',
        '{"a":[{"blah": "2"}, {"blah":"1"}], "blah":1, "dict":{"a":1,"b":2}}',
    ),
    (
        "overwrite root element",
        '{"key1":true}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":true}',
    ),
    (
        "overwrite a sub element",
        '{"key1":{"key2":true}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key2":true, "key3":"value3"}}',
    ),
    (
        "merge a sub element",
        '{"key1":{"key2":{"key4":"value4"}}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key2":{"key4":"value4"}, "key3":"value3"}}',
    ),
    (
        "merge multiple trees",
        '{"key1":{"key2":{"key9":"value9"}, "key3":{"key4":"value4", "key10":[1,2,3]}},'
        ' "key6":{"key11":"value11"}}',
        '{"key1":{"key2":"value2", "key3":{"key4":{"key5":"value5"}}},'
        ' "key6":{"key7":{"key8":"value8"}}}',
        '{"key1":{"key2":{"key9":"value9"}, "key3":{"key4":"value4", "key10":[1,2,3]}},'
        ' "key6":{"key7":{"key8":"value8"}, "key11":"value11"}}',
    ),
    (
        "{} replaces",
        '{"key1":{"key2":{}}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key2":{}, "key3":"value3"}}',
    ),
    (
        "null does nothing",
        '{"key1":{"key2":null}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
    ),
    (
        "[] replaces a root element",
        '{"key1":[]}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":[]}',
    ),
    (
        "[] replaces a single element",
        '{"key1":{"key2":[]}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key2":[], "key3":"value3"}}',
    ),
    (
        "a list replaces nested objects",
        '{"key1":{"key2":[{"key3":"value3"}]}}',
        '{"key1":{"key2":{"key3":"value3"}}}',
        '{"key1":{"key2":[{"key3":"value3"}]}}',
    ),
    (
        "an object replaces a stored list",
        '{"key1":{"key2":{"key3":[{"key4":"value4"}]}}}',
        '{"key1":{"key2":[]}}',
        '{"key1":{"key2":{"key3":[{"key4":"value4"}]}}}',
    ),
]

REMOVE_EXAMPLES = [
    (
        "remove from an id list; other values overwrite",
        '{"a":[{"id": "1"}], "blah":1}',
        '{"a":[{"id": "2"},{"id": "3"}, {"id":"1"}], "blah":"string"}',
        '{"a":[{"id": "2"},{"id":"3"}], "blah":1}',
    ),
    (
        "non-id lists append",
        '{"a":[{"blah": "1"}], "blah":1}',
        '{"a":[{"blah": "2"}], "blah":"string"}',
        '{"a":[{"blah": "2"}, {"blah":"1"}], "blah":1}',
    ),
    (
        "empty out a nested object",
        '{"key1":{"key2":true}}',
        '{"key1":{"key2":"value2"}}',
        '{"key1":{}}',
    ),
    (
        "remove the root element",
        '{"key1":true}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        "{}",
    ),
    (
        "remove a sub element",
        '{"key1":{"key2":true}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key3":"value3"}}',
    ),
    (
        "remove several sub elements",
        '{"key1":{"key2":{"key3":true}, "key4":true}}',
        '{"key1":{"key2":{"key3":{"key5":"value5"}}, "key4":{"key6":{"key7":"value7"}}}}',
        '{"key1":{"key2":{}}}',
    ),
    (
        "remove one root element of several",
        '{"key1":true}',
        '{"key1":{"key2":"value2", "key3":"value3"}, "key4":["a", "b", "c"]}',
        '{"key4":["a", "b", "c"]}',
    ),
    (
        "false overwrites",
        '{"key1":{"key2":false, "key3":true}, "key4":false}',
        '{"key1":{"key2":"value2", "key3":"value3"},'
        ' "key4":[{"key5":"value5", "key6":"value6"}, {"key7": "value7"}]}',
        '{"key1":{"key2":false}, "key4":false}',
    ),
    (
        "only objects with ids address list items",
        '{"key1":[{"key2":true}]}',
        '{"key1":[{"key2":"value2"}, {"key3":"value3"}]}',
        "{}",
    ),
    (
        "{} does nothing",
        '{"key1":{}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
    ),
    (
        "null does nothing",
        '{"key1":{"key2":null}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
        '{"key1":{"key2":"value2", "key3":"value3"}}',
    ),
]


def _ids(examples):
    return [e[0] for e in examples]


@pytest.mark.parametrize(("rule", "a", "b", "result"), MERGE_EXAMPLES, ids=_ids(MERGE_EXAMPLES))
def test_merge(rule: str, a: str, b: str, result: str) -> None:
    assert merge(json.loads(b), json.loads(a)) == json.loads(result)


@pytest.mark.parametrize(("rule", "a", "b", "result"), REMOVE_EXAMPLES, ids=_ids(REMOVE_EXAMPLES))
def test_remove(rule: str, a: str, b: str, result: str) -> None:
    assert remove(json.loads(b), json.loads(a)) == json.loads(result)


def test_merge_of_matching_id_keeps_fields_not_sent() -> None:
    # The docs' "simple merge within a list" example drops "other" from the
    # matching item; its deep-merge example keeps unsent fields, as here.
    stored = {"a": [{"id": "2"}, {"id": "1", "other": False}]}
    sent = {"a": [{"id": "1", "other": True}], "blah": 1}
    assert merge(stored, sent) == {"a": [{"id": "2"}, {"id": "1", "other": True}], "blah": 1}


def test_merge_null_adds_no_key() -> None:
    assert merge({"a": 1}, {"b": None}) == {"a": 1}


def test_merge_appends_a_repeated_new_id_once_and_merges_the_second() -> None:
    merged = merge([{"id": "x", "v": 1}], [{"id": "y", "v": 1}, {"id": "y", "w": 2}])
    assert merged == [{"id": "x", "v": 1}, {"id": "y", "v": 1, "w": 2}]


def test_the_wire_example_of_patch_inputs_merge() -> None:
    # New concept appended after the stored ones; metadata keys merged.
    stored = {"concepts": [{"id": "tree", "value": 1}], "metadata": {"a": 1, "b": 2}}
    sent = {"concepts": [{"id": "dog", "value": 0}], "metadata": {"b": 3, "c": 4}}
    assert merge(stored, sent) == {
        "concepts": [{"id": "tree", "value": 1}, {"id": "dog", "value": 0}],
        "metadata": {"a": 1, "b": 3, "c": 4},
    }


def test_patches_do_not_modify_their_arguments() -> None:
    stored = {"a": {"b": [{"id": "1", "c": {"d": 1}}]}}
    sent = {"a": {"b": [{"id": "1", "c": {"e": 2}}]}}
    before = json.dumps([stored, sent])
    merge(stored, sent)
    remove(stored, {"a": {"b": [{"id": "1"}]}})
    assert json.dumps([stored, sent]) == before


def test_remove_leaves_non_objects_alone() -> None:
    assert remove({"a": 1}, None) == {"a": 1}
    assert remove(None, {"a": True}) is None


@pytest.mark.parametrize("action", ACTIONS)
def test_check_action_accepts_allowed_actions(action: str) -> None:
    assert check_action(action, ACTIONS, "inputs") == action


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("", ["action is required", "overwrite"]),
        ("upsert", ["'upsert' is unknown", "overwrite"]),
        (MERGE, ["'merge' is not allowed for keys", "overwrite"]),
        (REMOVE, ["'remove' is not allowed for keys"]),
    ],
)
def test_check_action_refuses(action: str, words: list[str]) -> None:
    with pytest.raises(ApiError) as err:
        check_action(action, (OVERWRITE,), "keys")
    assert err.value.code == Code.CONN_INVALID_REQUEST
    for word in words:
        assert word in err.value.details


class TestApply:
    SPEC = patch.Spec(
        "things",
        patch.ACTIONS,
        trees=frozenset({"metadata"}),
        clearable=frozenset({"description"}),
    )
    STORED = {"description": "old", "name": "n", "metadata": {"a": 1, "b": {"c": 2}}}

    def test_merge_merges_trees_and_sets_values(self):
        out = patch.apply(
            "merge", self.STORED, {"name": "m", "metadata": {"b": {"d": 3}}}, self.SPEC
        )
        assert out == {"name": "m", "metadata": {"a": 1, "b": {"c": 2, "d": 3}}}

    def test_overwrite_replaces_what_is_sent_only(self):
        out = patch.apply("overwrite", self.STORED, {"metadata": {"z": 0}}, self.SPEC)
        assert out == {"metadata": {"z": 0}}

    def test_remove_removes_from_trees_and_clears_clearable_values(self):
        sent = {"metadata": {"a": True}, "description": "x", "name": "kept"}
        out = patch.apply("remove", self.STORED, sent, self.SPEC)
        assert out == {"metadata": {"b": {"c": 2}}, "description": ""}

    def test_an_action_the_resource_does_not_allow_is_refused(self):
        spec = patch.Spec("collectors", (patch.OVERWRITE,))
        with pytest.raises(ApiError, match="not allowed for collectors"):
            patch.apply("merge", {}, {}, spec)

    def test_stored_values_are_not_changed(self):
        patch.apply("merge", self.STORED, {"metadata": {"a": 5}}, self.SPEC)
        assert self.STORED["metadata"] == {"a": 1, "b": {"c": 2}}
