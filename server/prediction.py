"""PostModelOutputs' inputs and outputs, between the handler and the
runtimes: each request input resolved to a runtime `Item` (inline bytes or
text, a URL downloaded into memory by the server's fetcher under its rules,
or an app input's stored media), and the output_config applied to what a
model answered."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clarifai.api import resources_pb2
from google.protobuf import json_format

from server import fetch
from server.jobs import JobContext, job
from server.runtimes import Failure, Item
from server.status import ApiError, Code
from storage import blobs
from storage import inputs as input_store
from storage import model_outputs as output_store
from storage import searches as search_store
from storage.inputs import InputStorage

# The reference's default number of concepts per output, and the most
# max_concepts may ask for.
MAX_CONCEPTS = 20
MAX_CONCEPTS_CAP = 200
# A video's frames are sampled this often unless output_config says.
SAMPLE_MS = 1000
MIN_SAMPLE_MS = 100

Resolved = Item | Failure
log = logging.getLogger("clarifai_local.prediction")
EXPIRE = "model_outputs.expire"


@job(EXPIRE, every=lambda settings: settings.model_output_sweep_every_s)
async def expire(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Forget the ids feedback names once older than
    CLARIFAI_LOCAL_MODEL_OUTPUT_DAYS: predictions' output ids, and the ids
    of searches run (saved searches stay)."""
    days = ctx.settings.model_output_days
    async with ctx.db.transaction() as session:
        dropped = await output_store.drop_older(session, days)
        runs = await search_store.drop_runs_older(session, days)
    if dropped or runs:
        log.info("forgot %d model output ids and %d search ids", dropped, runs)


# ---- output_config ----


@dataclass(frozen=True)
class OutputConfig:
    max_concepts: int = MAX_CONCEPTS
    min_value: float = 0.0
    # Concept ids or names: only these, whatever their value.
    select: tuple[str, ...] = ()
    sample_ms: int = SAMPLE_MS


def config_of(sent: resources_pb2.OutputInfo, stored: resources_pb2.OutputInfo) -> OutputConfig:
    """The request's output_config where it sends one, else the version's."""
    oc = sent.output_config if sent.HasField("output_config") else stored.output_config
    if oc.max_concepts > MAX_CONCEPTS_CAP:
        raise ApiError(
            Code.MODEL_INVALID_ARGUMENT,
            f"model.model_version.output_info.output_config.max_concepts: at most "
            f"{MAX_CONCEPTS_CAP}, got {oc.max_concepts}",
        )
    if oc.sample_ms and oc.sample_ms < MIN_SAMPLE_MS:
        raise ApiError(
            Code.MODEL_INVALID_ARGUMENT,
            f"model.model_version.output_info.output_config.sample_ms: at least "
            f"{MIN_SAMPLE_MS}, got {oc.sample_ms}",
        )
    return OutputConfig(
        max_concepts=oc.max_concepts or MAX_CONCEPTS,
        min_value=oc.min_value,
        select=tuple(c.id or c.name for c in oc.select_concepts if c.id or c.name),
        sample_ms=oc.sample_ms or SAMPLE_MS,
    )


def params_of(sent: resources_pb2.OutputInfo, stored: dict[str, Any]) -> dict[str, Any]:
    """The version's output_info.params, with those the request sends over them."""
    params = dict(stored.get("params") or {})
    params.update(json_format.MessageToDict(sent.params))
    return params


def trim(config: OutputConfig, concepts: Sequence[Any]) -> list[Any]:
    """The concepts output_config keeps (any objects with id, name, value)."""
    return _concepts(config, concepts)


def _concepts(config: OutputConfig, concepts: Any) -> list[Any]:
    if config.select:
        wanted = set(config.select)
        return [c for c in concepts if c.id in wanted or c.name in wanted]
    kept = [c for c in concepts if c.value >= config.min_value]
    kept.sort(key=lambda c: c.value, reverse=True)
    return kept[: config.max_concepts]


def apply(config: OutputConfig, data: resources_pb2.Data) -> None:
    """Select concepts, or drop those under min_value and keep the
    max_concepts best, on the output and on each of its frames."""
    for holder in (data, *(f.data for f in data.frames)):
        if holder.concepts:
            kept = _concepts(config, holder.concepts)
            del holder.concepts[:]
            holder.concepts.extend(kept)


def selection_unknown(config: OutputConfig, vocabulary: Sequence[resources_pb2.Concept]) -> bool:
    """True when select_concepts names none of a model's concepts (the
    reference refuses that as an invalid model argument)."""
    if not config.select or not vocabulary:
        return False
    known = {c.id for c in vocabulary} | {c.name for c in vocabulary}
    return not known.intersection(config.select)


# ---- inputs ----


def _media(data: resources_pb2.Data) -> tuple[str, Any] | None:
    """The media a request's data carries: (kind, its message)."""
    for kind in ("image", "video"):
        if data.HasField(kind) and (getattr(data, kind).base64 or getattr(data, kind).url):
            return kind, getattr(data, kind)
    if data.HasField("text") and (data.text.raw or data.text.url):
        return "text", data.text
    return None


async def download(fetcher: fetch.Fetcher | None, kind: str, url: str) -> bytes | Failure:
    """A URL's body (prediction inputs, search ranks' query media), or why not."""
    if fetcher is None:
        return Failure(Code.INPUT_DOWNLOAD_FAILED, "this server does not download URLs")
    try:
        return await fetcher.fetch(kind, url)
    except fetch.FetchError as exc:
        return Failure(Code.INPUT_DOWNLOAD_FAILED, str(exc))


def _decoded(data: bytes, where: str) -> str | Failure:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return Failure(Code.INPUT_DOWNLOAD_FAILED, f"{where} is not UTF-8 text")


async def _inline(
    input_id: str, data: resources_pb2.Data, fetcher: fetch.Fetcher | None
) -> Resolved:
    found = _media(data)
    if found is None:
        return Item(input_id, data)
    kind, media = found
    if kind == "text":
        if media.raw:
            return Item(input_id, data, "text", text=media.raw)
        got = await download(fetcher, "text", media.url)
        text = got if isinstance(got, Failure) else _decoded(got, media.url)
        return text if isinstance(text, Failure) else Item(input_id, data, "text", text=text)
    if media.base64:
        return Item(input_id, data, kind, media=media.base64)
    got = await download(fetcher, kind, media.url)
    return got if isinstance(got, Failure) else Item(input_id, data, kind, media=got)


async def _stored(
    row: input_store.Row | None, input_id: str, sent: resources_pb2.Data, store: blobs.BlobStore
) -> Resolved:
    """An app input's stored media, with the data sent beside its id."""
    if row is None:
        return Failure(Code.CONN_DOES_NOT_EXIST, f"input '{input_id}' not found")
    if row.status_code != input_store.SUCCESS:
        return Failure(
            Code.INPUT_DOWNLOAD_FAILED,
            f"input '{input_id}' is not downloaded (status {row.status_code}): "
            f"{row.status_details or 'wait for it and ask again'}",
        )
    data = json_format.ParseDict(row.data, resources_pb2.Data(), ignore_unknown_fields=True)
    data.MergeFrom(sent)
    raw = data.text.raw if row.media_kind == "text" else ""
    if raw or not row.blob_key:
        return Item(input_id, data, row.media_kind if raw else "", text=raw)
    try:
        media = b"".join([chunk async for chunk in store.read(row.blob_key)])
    except FileNotFoundError:
        return Failure(Code.INPUT_DOWNLOAD_FAILED, f"input '{input_id}': its media is gone")
    if row.media_kind == "text":
        text = _decoded(media, f"input '{input_id}'")
        return text if isinstance(text, Failure) else Item(input_id, data, "text", text=text)
    if row.media_kind not in ("image", "video"):
        return Item(input_id, data)
    return Item(input_id, data, row.media_kind, media=media)


async def resolve(
    inputs: Sequence[resources_pb2.Input],
    stored: InputStorage,
    store: blobs.BlobStore,
    fetcher: fetch.Fetcher | None,
) -> list[Resolved]:
    """Each request input as a runtime Item, or why it cannot be one: data
    with media is used as sent (URLs downloaded together by the server's
    `fetcher`, None where it downloads nothing); an id with no media names
    an input of the app."""
    by_id = [i.id for i in inputs if i.id and _media(i.data) is None]
    rows = await stored.get_many(by_id) if by_id else {}
    return list(
        await asyncio.gather(
            *(
                _stored(rows.get(i.id), i.id, i.data, store)
                if i.id and _media(i.data) is None
                else _inline(i.id, i.data, fetcher)
                for i in inputs
            )
        )
    )


def echoed(sent: resources_pb2.Input) -> resources_pb2.Input:
    """The input as an output shows it: as sent, without its bytes."""
    out = resources_pb2.Input()
    out.CopyFrom(sent)
    for kind in ("image", "video", "audio"):
        if out.data.HasField(kind):
            getattr(out.data, kind).ClearField("base64")
    return out
