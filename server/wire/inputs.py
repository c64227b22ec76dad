"""Inputs as the API shows them: a stored input row, with the concepts of its
input-level annotation, as an Input message."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

from clarifai.api import resources_pb2
from clarifai.api.status import status_pb2
from google.protobuf import struct_pb2

from server import http_extra, media
from server.config import Settings
from server.convert import fill_struct, kept_text, set_ts
from server.status import make_status
from storage.inputs import Row
from storage.scoped import AppScope


def inline(raw: str, inline_text: int) -> bool:
    """Whether a text's raw is answered inline: always when `inline_text` is
    0, else when it holds at most `inline_text` bytes (UTF-8)."""
    if not inline_text or len(raw) * 4 <= inline_text:
        return True
    return len(raw) <= inline_text and len(raw.encode("utf-8")) <= inline_text


def fill_stored(
    data: resources_pb2.Data,
    stored: dict[str, Any],
    inline_text: int = 0,
    metadata: struct_pb2.Struct | None = None,
) -> None:
    """Fill `data` from an input's stored JSON (the shape PostInputs writes)
    field by field: json_format's generic walk would cost more than the rest
    of a 128-input page. A text's raw longer than `inline_text` bytes is
    left out (its url serves it). `metadata` is the stored metadata as a
    Struct, when at hand: copied, not rebuilt from JSON."""
    for kind in media.KINDS:
        sent = stored.get(kind)
        if sent is None:
            continue
        target = getattr(data, kind)
        target.SetInParent()
        if url := sent.get("url"):
            target.url = url
        if kind == "text" and (raw := sent.get("raw")) and inline(raw, inline_text):
            target.raw = raw
        if kind == "image" and (info := sent.get("image_info")):
            for name, value in info.items():
                setattr(target.image_info, name, value)
    if stored_metadata := stored.get("metadata"):
        if metadata is not None:
            data.metadata.CopyFrom(metadata)
        else:
            fill_struct(data.metadata, stored_metadata)
    if geo := stored.get("geo"):
        point = geo.get("geo_point", {})
        data.geo.geo_point.longitude = point.get("longitude", 0.0)
        data.geo.geo_point.latitude = point.get("latitude", 0.0)


def input_proto(
    row: Row,
    concepts: Sequence[dict[str, Any]],
    app: AppScope,
    settings: Settings,
    inline_text: int = 0,
    *,
    into: resources_pb2.Input | None = None,
    metadata: struct_pb2.Struct | None = None,
) -> resources_pb2.Input:
    """The input as GetInput shows it; `concepts` are its input-level ones;
    a text's raw longer than `inline_text` bytes left out (lists and batch
    answers: Settings.inline_text_bytes). Built in place (a message passed
    to a constructor or appended is copied): in `into` when given, a
    response's own; `metadata` as fill_stored takes it."""
    out = into if into is not None else resources_pb2.Input()
    out.id = row.id
    set_ts(out.created_at, row.created_at)
    set_ts(out.modified_at, row.modified_at)
    out.status.CopyFrom(make_status(row.status_code, row.status_details))
    data = out.data
    fill_stored(data, row.data, inline_text, metadata)
    for c in concepts:
        data.concepts.add(
            id=c["id"], name=c.get("name") or c["id"], value=c.get("value", 1.0), app_id=app.id
        )
    media.show_hosted(data, settings, app, row.media_kind, row.blob_key)
    return out


def input_protos(
    rows: Sequence[Row],
    concepts: Mapping[str, Sequence[dict[str, Any]]],
    app: AppScope,
    settings: Settings,
    inline_text: int = 0,
    into: Sequence[resources_pb2.Input] | None = None,
) -> list[resources_pb2.Input]:
    """Inputs as GetInput shows them; `concepts` holds each one's input-level
    concepts by input id (AnnotationStorage.input_concepts). Built in the
    messages `into` (one per row: a response's own, so that nothing is
    copied) when given; each parsed from its kept bytes when it was shown
    before as it is now (_kept)."""
    targets = into if into is not None else [resources_pb2.Input() for _ in rows]
    shown_as = (app.id, app.user_id, inline_text, settings.data_dir, http_extra.base_url(settings))
    expiry = http_extra.url_expiry(settings)
    for row, target in zip(rows, targets, strict=True):
        its = concepts.get(row.id, ())
        key = _key(row, its, shown_as, expiry)
        if key is None or not _seen_before(hashed := hash(key)):
            input_proto(row, its, app, settings, inline_text, into=target)
            continue
        build = partial(input_proto, row, its, app, settings, inline_text, into=target)
        shown = _Shown(key, hashed, build)
        kept = _kept(shown)
        if shown.build is not None:  # kept before: this call built nothing
            target.MergeFromString(kept)
    return list(targets)


# The same inputs are shown over and over (a list's first page, a search's
# newest hits, a worker's assignments), and building an Input field by field
# costs about eight times parsing its bytes. So each one built is kept per
# process as its bytes, by everything it is built from: the row's shown
# fields, its stored JSON and concepts (as text), the app, the text limit,
# where media URLs point and their signature's expiry. A changed input is
# another key. At most _KEPT_INPUTS, of up to _KEPT_INPUT_JSON bytes of
# JSON each (a longer one is built each time): under 20 MB a process.
# Only an input shown a second time is kept: a walk over many inputs, each
# shown once (every page of a list, a stream), would otherwise pay for
# keeping each (half again what building it costs) and push out the ones
# shown often. _seen holds the last _SEEN keys' hashes (a collision only
# keeps an input early).
_KEPT_INPUTS = 4096
_KEPT_INPUT_JSON = 2048
_SEEN = 4 * _KEPT_INPUTS
_seen: OrderedDict[int, None] = OrderedDict()


def _seen_before(hashed: int) -> bool:
    """Whether a key of this hash was met lately; it is recorded if not."""
    if hashed in _seen:
        return True
    _seen[hashed] = None
    if len(_seen) > _SEEN:
        _seen.popitem(last=False)  # the oldest (a dict would scan past the deleted)
    return False


def _key(
    row: Row, concepts: Sequence[dict[str, Any]], shown_as: tuple[Hashable, ...], expiry: int
) -> tuple[Hashable, ...] | None:
    """What the row's Input is built from, or None when it is not kept."""
    if (stored := kept_text((row.data, concepts), _KEPT_INPUT_JSON)) is None:
        return None
    # Only a hosted copy's URL is signed: other inputs keep one key for good.
    signed = expiry if row.blob_key else 0
    return (row.id, row.created_at, row.modified_at, row.status_code, row.status_details,
            row.media_kind, row.blob_key, stored, shown_as, signed)  # fmt: skip


class _Shown:
    """A kept Input's key, with how to build the Input (in the response's
    message) on a miss; dropped once built, so the cache keeps the key, not
    the row, and the caller knows the message is built already."""

    __slots__ = ("_hash", "build", "key")

    def __init__(
        self, key: tuple[Hashable, ...], hashed: int, build: Callable[[], resources_pb2.Input]
    ):
        self.key = key
        self._hash = hashed
        self.build: Callable[[], resources_pb2.Input] | None = build

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Shown) and self.key == other.key


@lru_cache(maxsize=_KEPT_INPUTS)
def _kept(shown: _Shown) -> bytes:
    assert shown.build is not None  # a key is built once, when first met
    built = shown.build()
    shown.build = None
    return built.SerializeToString()


def failed_input(
    sent: resources_pb2.Input, input_id: str, failure: status_pb2.Status, inline_text: int = 0
) -> resources_pb2.Input:
    """An input PostInputs could not add: as sent (without its bytes, nor
    its text when longer than `inline_text` bytes), with the id it was
    given and its status."""
    out = resources_pb2.Input()
    out.CopyFrom(sent)
    out.id = input_id
    if not inline(out.data.text.raw, inline_text):
        out.data.text.ClearField("raw")
    for kind in media.KINDS:
        if out.data.HasField(kind) and kind != "text":
            getattr(out.data, kind).ClearField("base64")
    out.status.CopyFrom(failure)
    return out
