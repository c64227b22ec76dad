"""Concepts built in a response's own messages read as the API shows them."""

from __future__ import annotations

from datetime import UTC, datetime

from clarifai.api import service_pb2

from server.wire.concepts import concept_proto, concepts_into
from storage.concepts import Listed
from storage.scoped import AppScope

APP = AppScope(pk=7, id="main", user_id="u1")
AT = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)


def listed(concept_id: str, visibility: int, metadata: dict) -> Listed:
    return Listed(
        concept_id, f"name {concept_id}", "a definition", "en", "v", visibility, metadata, AT
    )


def test_a_page_of_concepts_is_built_in_the_response():
    rows = [listed("a", 0, {}), listed("b", 50, {"k": [1, "x"], "n": {"m": True}})]
    response = service_pb2.MultiConceptResponse()
    concepts_into(response.concepts, rows, APP)
    a, b = response.concepts
    assert (a.id, a.name, a.definition, a.language, a.vocab_id) == (
        "a", "name a", "a definition", "en", "v"
    )  # fmt: skip
    assert (a.app_id, a.user_id, a.value) == ("main", "u1", 1.0)
    assert a.created_at.ToDatetime(tzinfo=UTC) == AT
    # Visibility is answered even when 0; metadata only when there is some.
    assert a.HasField("visibility") and a.visibility.gettable == 0
    assert not a.HasField("metadata")
    assert b.visibility.gettable == 50
    assert dict(b.metadata["n"]) == {"m": True} and list(b.metadata["k"]) == [1, "x"]
    assert [concept_proto(r, APP) for r in rows] == list(response.concepts)
