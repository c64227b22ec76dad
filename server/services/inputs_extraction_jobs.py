"""PostInputsDataSources, PostInputsUploads, GetInputsExtractionJob,
ListInputsExtractionJobs, CancelInputsExtractionJobs.

Each data source (or upload, once UPLOAD_DONE: its assembled content is
read as a downloaded file is, its content_name telling a CSV) becomes one
extraction job (server/extraction.py), run
in the background, whose inputs are counted in an inputs add job: the one
`inputs_add_job_id` names (made when new, added to when it exists; a
cancelled one takes no more) or a new one with a random id. The request is
checked whole before anything is written: a source of another scheme than
http(s):// or s3://, credentials of another cloud, a template carrying an
id or media, an unknown dataset in the template fail the call, naming the
field. The answer lists the inputs add jobs, each with its extraction jobs.

Cancelling stops a queued or running job (a chunk being committed ends
first: no input is added after the answer); cancelling a cancelled job
answers it as it is, a finished one is refused (JOB_CONFLICT).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from clarifai.api import resources_pb2, service_pb2

from server import add_jobs, extraction
from server.checks import Checks
from server.convert import from_struct
from server.data_sources import HTTP_SCHEMES, S3_SCHEME
from server.dispatch import Call
from server.ids import new_id
from server.limits import URL
from server.pagination import page_of
from server.services import rpc
from server.status import ApiError, Code
from server.wire.inputs_extraction_jobs import job_proto
from storage import inputs_extraction_jobs as store

check = Checks(Code.INPUT_INVALID_REQUEST)
MAX_URL_LENGTH = URL
RESOLUTIONS = tuple(resources_pb2.InputIDConflictResolution.values())


def _check_url(where: str, sent: resources_pb2.DataSourceURL) -> str:
    url = check.required(sent.url, f"{where}.url.url")
    parts = urlsplit(url)
    if len(url.encode()) > MAX_URL_LENGTH:
        raise check.invalid(f"{where}.url.url is longer than {MAX_URL_LENGTH} bytes")
    if parts.scheme not in (*HTTP_SCHEMES, S3_SCHEME):
        raise ApiError(
            Code.INPUT_INVALID_URL,
            f"{where}.url.url '{url[:200]}': sources are http://, https:// or s3:// URLs"
            + (f"; {parts.scheme}:// is not supported" if parts.scheme else ""),
        )
    if not parts.netloc:
        raise ApiError(Code.INPUT_INVALID_URL, f"{where}.url.url '{url[:200]}' names no host")
    creds = sent.credentials.WhichOneof("credentials") if sent.HasField("credentials") else None
    if creds in ("gcp_creds", "azure_blob_creds"):
        raise check.invalid(
            f"{where}.url.credentials.{creds}: only s3_creds are supported (for s3:// URLs)"
        )
    if creds == "s3_creds":
        s3 = sent.credentials.s3_creds
        if parts.scheme != S3_SCHEME:
            raise check.invalid(
                f"{where}.url.credentials.s3_creds: given for a URL that is not s3://"
            )
        if bool(s3.id) != bool(s3.secret):
            raise check.invalid(
                f"{where}.url.credentials.s3_creds: give both id and secret (or neither, "
                "for a public bucket)"
            )
    return url


def _check_template(where: str, template: resources_pb2.Input) -> list[str]:
    """The template adds metadata, concepts, geo and dataset ids to each
    input; the dataset ids it names, to check."""
    at = f"{where}.input_template"
    if template.id:
        raise check.invalid(f"{at}.id: each input gets its own id; a template has none")
    data = template.data
    for kind in ("image", "video", "audio", "text"):
        if data.HasField(kind):
            raise check.invalid(
                f"{at}.data.{kind}: the source gives the media; a template has none"
            )
    if data.regions:
        raise check.invalid(f"{at}.data.regions: add regions with PostAnnotations")
    if data.HasField("metadata"):
        from_struct(data.metadata, f"{at}.data.metadata", check.invalid_code)
    extraction.check_template_labels(at, data)
    return [check.id(d, f"{at}.dataset_ids[{k}]") for k, d in enumerate(template.dataset_ids)]


def _credentials(sent: resources_pb2.DataSourceURL) -> dict[str, str]:
    s3 = sent.credentials.s3_creds
    return {
        k: v
        for k, v in (
            ("region", s3.region),
            ("id", s3.id),
            ("secret", s3.secret),
            ("token", s3.token),
        )
        if v
    }


@dataclass(frozen=True)
class Source:
    """One checked source of a request (an InputsDataSource or an
    InputsUpload: both carry the add job id, the resolution and the template)."""

    where: str
    sent: resources_pb2.InputsDataSource | resources_pb2.InputsUpload
    url: str
    source: dict[str, object]

    @property
    def template(self) -> resources_pb2.Input | None:
        return self.sent.input_template if self.sent.HasField("input_template") else None

    def datasets(self) -> list[str]:
        """The dataset ids its template names (the template checked)."""
        template = self.template
        return [] if template is None else _check_template(self.where, template)


async def _queued(call: Call, sources: list[Source]) -> service_pb2.MultiInputsAddJobResponse:
    """Queue an extraction job per source, every template's datasets known
    first (nothing is written otherwise); the answer: their add jobs."""
    wanted = {src.where: src.datasets() for src in sources}
    ids = sorted({d for names in wanted.values() for d in names})
    if ids:
        found = await call.store.dataset_inputs.keep_datasets(ids)
        for at, names in wanted.items():
            check.all_known(names, found, "dataset", f"{at}.input_template.dataset_ids[{{n}}]")
    add_ids = [await _new_extraction(call, src) for src in sources]
    shown = await call.store.inputs_add_jobs.shown_many(list(dict.fromkeys(add_ids)))
    return service_pb2.MultiInputsAddJobResponse(
        inputs_add_jobs=await extraction.add_jobs_shown(call.store, shown)
    )


async def _open_add_job(call: Call, where: str, job_id: str) -> tuple[int, str]:
    job_id = check.id(job_id, f"{where}.inputs_add_job_id") if job_id else new_id()
    return await add_jobs.open_add_job(call, job_id, f"{where}.inputs_add_job_id"), job_id


async def _new_extraction(call: Call, src: Source) -> str:
    """An extraction job of one source, queued, counted in its inputs add
    job (made when new); the add job's id."""
    how = src.sent.input_id_conflict_resolution
    check.one_of(how, RESOLUTIONS, f"{src.where}.input_id_conflict_resolution")
    add_pk, add_id = await _open_add_job(call, src.where, src.sent.inputs_add_job_id)
    template = src.template
    pk = await call.store.inputs_extraction_jobs.add(
        id=new_id(),
        add_job_pk=add_pk,
        user_id=call.user_id,
        url=src.url,
        source=src.source,
        conflict_resolution=how,
        template=template.SerializeToString() if template is not None else b"",
    )
    await call.enqueue(extraction.EXTRACT, [{"extraction_pk": pk}])
    return add_id


@rpc
async def PostInputsDataSources(call: Call, request: service_pb2.PostInputsDataSourcesRequest):
    # call_back_url and app_pat are not served: refused, not ignored.
    check.implemented(request, "the request")
    check.batch(request.data_sources, "data_sources")
    sources = []
    for n, sent in enumerate(request.data_sources):
        where = f"data_sources[{n}]"
        url = _check_url(where, sent.url)
        source: dict[str, object] = {"url": url}
        if urlsplit(url).scheme == S3_SCHEME:
            source["s3"] = _credentials(sent.url)
        sources.append(Source(where, sent, url, source))
    return await _queued(call, sources)


async def _upload(call: Call, where: str, sent: resources_pb2.Upload) -> dict[str, object]:
    """The source of an upload: its assembled content, which must be there."""
    upload_id = check.id(sent.id, f"{where}.upload.id")
    content = await call.store.uploads.done(upload_id)
    if content is None:
        row = await call.store.uploads.get(upload_id)
        if row is None:
            raise check.missing("upload", upload_id, f"{where}.upload.id")
        raise check.invalid(
            f"{where}.upload.id: upload '{upload_id}' is {Code.Name(row.shown_code())}; "
            "only an upload whose every part arrived (UPLOAD_DONE) can be read"
        )
    return {"path": str(content.path), "name": content.name, "upload_id": content.id}


@rpc
async def PostInputsUploads(call: Call, request: service_pb2.PostInputsUploadsRequest):
    # app_pat (deprecated in the reference) is not served: refused, not ignored.
    check.implemented(request, "the request")
    check.batch(request.inputs_uploads, "inputs_uploads")
    sources = []
    for n, sent in enumerate(request.inputs_uploads):
        where = f"inputs_uploads[{n}]"
        sources.append(Source(where, sent, "", await _upload(call, where, sent.upload)))
    return await _queued(call, sources)


@rpc
async def GetInputsExtractionJob(call: Call, request: service_pb2.GetInputsExtractionJobRequest):
    job_id = check.id(request.inputs_extraction_job_id, "inputs_extraction_job_id")
    row = await call.store.inputs_extraction_jobs.get(job_id)
    row = check.found(row, "inputs extraction job", job_id)
    return service_pb2.SingleInputsExtractionJobResponse(inputs_extraction_job=job_proto(row))


@rpc
async def ListInputsExtractionJobs(
    call: Call, request: service_pb2.ListInputsExtractionJobsRequest
):
    rows = await call.store.inputs_extraction_jobs.page(page_of(request))
    return service_pb2.MultiInputsExtractionJobResponse(
        inputs_extraction_jobs=[job_proto(r) for r in rows]
    )


@rpc
async def CancelInputsExtractionJobs(
    call: Call, request: service_pb2.CancelInputsExtractionJobsRequest
):
    check.batch(request.ids, "ids")
    ids = check.ids(list(request.ids), "ids[{n}]")
    check.each_once(ids, "ids")
    # Held until the call ends: a chunk being committed finishes first, and
    # none commits after.
    rows = await call.store.inputs_extraction_jobs.get_many(ids, lock=True)
    for n, job_id in enumerate(ids):
        row = rows.get(job_id)
        if row is None:
            raise check.missing("inputs extraction job", job_id, f"ids[{n}]")
        if row.status_code in (store.COMPLETED, store.FAILED):
            raise ApiError(
                Code.JOB_CONFLICT,
                f"ids[{n}]: inputs extraction job '{job_id}' has finished; it cannot be cancelled",
            )
    await call.store.inputs_extraction_jobs.cancel(list(rows.values()))
    return service_pb2.MultiInputsExtractionJobResponse(
        inputs_extraction_jobs=[job_proto(rows[i]) for i in ids]
    )
