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

from urllib.parse import urlsplit

from clarifai.api import resources_pb2, service_pb2

from server import extraction
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
    if creds == "s3_creds" and parts.scheme != S3_SCHEME:
        raise check.invalid(f"{where}.url.credentials.s3_creds: given for a URL that is not s3://")
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


async def _check_datasets(call: Call, wanted: dict[str, list[str]]) -> None:
    """Every dataset a template names exists."""
    ids = sorted({d for ds in wanted.values() for d in ds})
    if ids:
        found = await call.store.dataset_inputs.keep_datasets(ids)
        for at, names in wanted.items():
            check.all_known(names, found, "dataset", f"{at}.input_template.dataset_ids[{{n}}]")


async def _open_add_job(call: Call, where: str, job_id: str) -> tuple[int, str]:
    job_id = check.id(job_id, f"{where}.inputs_add_job_id") if job_id else new_id()
    pk, cancelled = await call.store.inputs_add_jobs.open(job_id)
    if cancelled:
        raise ApiError(
            Code.JOB_CONFLICT,
            f"{where}.inputs_add_job_id '{job_id}' names a cancelled inputs add job: "
            "it takes no more inputs",
        )
    return pk, job_id


async def new_extraction(
    call: Call,
    where: str,
    add_job_id: str,
    url: str,
    source: dict[str, object],
    how: int,
    template: resources_pb2.Input | None,
) -> str:
    """An extraction job of one source, queued, counted in its inputs add
    job (made when new); the add job's id. For PostInputsUploads too."""
    check.one_of(how, RESOLUTIONS, f"{where}.input_id_conflict_resolution")
    add_pk, add_id = await _open_add_job(call, where, add_job_id)
    pk = await call.store.inputs_extraction_jobs.add(
        id=new_id(),
        add_job_pk=add_pk,
        user_id=call.user_id,
        url=url,
        source=source,
        conflict_resolution=how,
        template=template.SerializeToString() if template is not None else b"",
    )
    await call.enqueue(extraction.EXTRACT, [{"extraction_pk": pk}])
    return add_id


async def add_jobs_answer(call: Call, add_ids: list[str]) -> service_pb2.MultiInputsAddJobResponse:
    """The inputs add jobs named, once each in order, with their extraction jobs."""
    rows = [await call.store.inputs_add_jobs.shown(i) for i in dict.fromkeys(add_ids)]
    shown = [r for r in rows if r is not None]
    return service_pb2.MultiInputsAddJobResponse(
        inputs_add_jobs=await extraction.add_jobs_shown(call.store, shown)
    )


@rpc
async def PostInputsDataSources(call: Call, request: service_pb2.PostInputsDataSourcesRequest):
    # call_back_url and app_pat are not served: refused, not ignored.
    check.implemented(request, "the request")
    check.batch(request.data_sources, "data_sources")
    checked = []
    datasets: dict[str, list[str]] = {}
    for n, sent in enumerate(request.data_sources):
        where = f"data_sources[{n}]"
        url = _check_url(where, sent.url)
        if sent.HasField("input_template"):
            datasets[where] = _check_template(where, sent.input_template)
        source: dict[str, object] = {"url": url}
        if urlsplit(url).scheme == S3_SCHEME:
            source["s3"] = _credentials(sent.url)
        checked.append((where, sent, url, source))
    await _check_datasets(call, datasets)
    add_ids = []
    for where, sent, url, source in checked:
        template = sent.input_template if sent.HasField("input_template") else None
        add_ids.append(
            await new_extraction(
                call,
                where,
                sent.inputs_add_job_id,
                url,
                source,
                sent.input_id_conflict_resolution,
                template,
            )
        )
    return await add_jobs_answer(call, add_ids)


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
    checked = []
    datasets: dict[str, list[str]] = {}
    for n, sent in enumerate(request.inputs_uploads):
        where = f"inputs_uploads[{n}]"
        source = await _upload(call, where, sent.upload)
        if sent.HasField("input_template"):
            datasets[where] = _check_template(where, sent.input_template)
        checked.append((where, sent, source))
    await _check_datasets(call, datasets)
    add_ids = []
    for where, sent, source in checked:
        template = sent.input_template if sent.HasField("input_template") else None
        add_ids.append(
            await new_extraction(
                call,
                where,
                sent.inputs_add_job_id,
                "",
                source,
                sent.input_id_conflict_resolution,
                template,
            )
        )
    return await add_jobs_answer(call, add_ids)


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
