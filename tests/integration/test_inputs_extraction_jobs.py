"""Data sources turned into inputs: PostInputsDataSources queues one
extraction job per source (an http URL of an image, an archive or a CSV;
an s3:// object or prefix read from a local S3 server), counted in an
inputs add job; GetInputsExtractionJob, ListInputsExtractionJobs and
CancelInputsExtractionJobs read and stop them. Over gRPC and REST.

This module runs its own server on its own database: its downloads may
reach this machine (CLARIFAI_LOCAL_FETCH_ALLOW_LOOPBACK) and its S3
endpoint is moto's server on loopback."""

from __future__ import annotations

import asyncio
import io
import tarfile
import zipfile
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import aiohttp
import boto3
import grpc
import pytest
from aiohttp import web
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc
from moto.server import ThreadedMotoServer

from server.main import Running
from tests.helpers import Metadata, png, struct
from tests.own_server import files_server, own_server
from tests.processes import accounts, free_port, query, serve
from tests.transport import GrpcTransport, RestTransport

# ---- this module's server, files and S3 ----


@pytest.fixture(scope="module")
def s3_url() -> Iterator[str]:
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    yield f"http://127.0.0.1:{port}"
    moto.stop()


@pytest.fixture(scope="module")
async def server(database_url, tmp_path_factory, s3_url) -> AsyncIterator[Running]:
    data_dir = tmp_path_factory.mktemp("extract-data")
    async with own_server(
        database_url,
        data_dir,
        "clarifai_extract",
        fetch_allow_loopback=True,
        s3_endpoint_url=s3_url,
    ) as running:
        yield running


@pytest.fixture(scope="module")
async def stub(server) -> AsyncIterator[service_pb2_grpc.V2Stub]:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{server.grpc_port}") as channel:
        yield service_pb2_grpc.V2Stub(channel)


@pytest.fixture(scope="module")
def rest(server) -> str:
    return f"http://127.0.0.1:{server.rest_port}"


@pytest.fixture(params=["grpc", "rest"])
async def transport(request, stub, rest):
    if request.param == "grpc":
        yield GrpcTransport(stub)
    else:
        async with aiohttp.ClientSession() as http:
            yield RestTransport(rest, http)


FILES: dict[str, bytes] = {}


@pytest.fixture(scope="module")
async def files() -> AsyncIterator[str]:
    """A local web server of FILES, by name."""
    async with files_server(FILES) as url:
        yield url


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def tarred(members: dict[str, bytes], mode: str = "w") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return out.getvalue()


# Three good members (an image in a folder, a text, a PNG at the top), a
# broken image, a file of no medium, and what is skipped: macOS metadata,
# a hidden file.
MIXED = {
    "photos/cats/a.png": png(4, 3, "red"),
    "notes/b.txt": b"a note",
    "c.png": png(2, 2, "blue"),
    "photos/broken.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
    "data.bin": bytes(range(256)) * 4,
    "__MACOSX/photos/._a.png": b"\x00\x05\x16\x07 resource fork",
    ".DS_Store": b"\x00\x00\x00\x01Bud1",
}


# ---- calls ----


def source(url: str, **kw) -> r.InputsDataSource:
    return r.InputsDataSource(url=r.DataSourceURL(url=url), **kw)


async def post_sources(transport, account, *sources: r.InputsDataSource):
    return await transport.call(
        "PostInputsDataSources",
        s.PostInputsDataSourcesRequest(data_sources=sources),
        account.key_md,
    )


async def get_extraction(transport, account, job_id: str):
    return await transport.call(
        "GetInputsExtractionJob",
        s.GetInputsExtractionJobRequest(inputs_extraction_job_id=job_id),
        account.key_md,
    )


async def finished(transport, account, job_id: str, timeout: float = 60) -> r.InputsExtractionJob:
    """The extraction job once it ended, polled as clients poll it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        res = await get_extraction(transport, account, job_id)
        assert res.status.code == sc.SUCCESS, res.status
        job = res.inputs_extraction_job
        if job.status.code not in (sc.JOB_QUEUED, sc.JOB_RUNNING):
            return job
        assert asyncio.get_running_loop().time() < deadline, job
        await asyncio.sleep(0.1)


async def extracted(transport, account, *sources) -> tuple[r.InputsAddJob, list]:
    """Post the sources; their add job (of the first) and ended jobs."""
    res = await post_sources(transport, account, *sources)
    assert res.status.code == sc.SUCCESS, res.status
    add_job = res.inputs_add_jobs[0]
    jobs = [await finished(transport, account, e.id) for e in add_job.extraction_jobs]
    return add_job, jobs


async def inputs_of(transport, account) -> list[r.Input]:
    res = await transport.call("ListInputs", s.ListInputsRequest(per_page=1000), account.key_md)
    assert res.status.code == sc.SUCCESS, res.status
    return list(res.inputs)


async def add_job(transport, account, job_id: str) -> r.InputsAddJob:
    res = await transport.call(
        "GetInputsAddJob", s.GetInputsAddJobRequest(id=job_id), account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    return res.inputs_add_job


def counts(job: r.InputsExtractionJob) -> dict[str, int]:
    p = job.progress
    return {
        k: v
        for k, v in {
            "image": p.image_inputs_count,
            "text": p.text_inputs_count,
            "video": p.video_inputs_count,
            "audio": p.audio_inputs_count,
            "pending": p.pending_archives_count,
            "in_progress": p.in_progress_archives_count,
            "completed": p.completed_archives_count,
            "failed": p.failed_archives_count,
        }.items()
        if v
    }


# ---- sources ----


class TestUrlSources:
    async def test_an_image_url(self, transport, account, files):
        FILES["one.png"] = png(6, 4, "green")
        added, (job,) = await extracted(
            transport, account, source(f"{files}/one.png", inputs_add_job_id="one-image")
        )
        assert added.id == "one-image"
        assert job.status.code == sc.JOB_COMPLETED, job.status
        assert job.url == f"{files}/one.png"
        assert counts(job) == {"image": 1}
        (shown,) = await inputs_of(transport, account)
        assert shown.data.image.image_info.width == 6
        assert shown.status.code == sc.INPUT_DOWNLOAD_SUCCESS
        done = await add_job(transport, account, "one-image")
        assert done.status.code == sc.JOB_COMPLETED
        assert done.progress.success_count == 1
        assert [e.id for e in done.extraction_jobs] == [job.id]
        assert done.extraction_jobs[0].status.code == sc.JOB_COMPLETED

    @pytest.mark.parametrize("kind", ["zip", "tar", "tar.gz"])
    async def test_archives_of_good_and_bad_members(self, transport, account, files, kind):
        name = f"mixed-{transport.__class__.__name__}.{kind}"
        FILES[name] = (
            zipped(MIXED) if kind == "zip" else tarred(MIXED, "w:gz" if kind == "tar.gz" else "w")
        )
        added, (job,) = await extracted(transport, account, source(f"{files}/{name}"))
        assert job.status.code == sc.JOB_COMPLETED, job.status
        assert counts(job) == {"image": 2, "text": 1, "completed": 1}
        assert "2 members failed" in job.status.details
        shown = await inputs_of(transport, account)
        assert sorted(i.data.image.image_info.width for i in shown if i.data.image.url) == [2, 4]
        assert [i for i in shown if i.data.text.url]  # the note, hosted
        done = await add_job(transport, account, added.id)
        assert (done.progress.success_count, done.progress.failed_count) == (3, 2)
        assert done.status.code == sc.JOB_COMPLETED

    async def test_a_csv_of_texts_and_urls(self, transport, account, files):
        FILES["row.png"] = png(3, 3, "white")
        FILES["rows.csv"] = (
            "inputid,input,concepts,metadata,geopoints\n"
            'first,hello there,"cat,dog","{\'k\': 1}","-30.5,40.25"\n'
            f",{files}/row.png,,,\n"
            "bad,some text,,{not json},\n"
            ",,,,\n"
        ).encode()
        added, (job,) = await extracted(transport, account, source(f"{files}/rows.csv"))
        assert job.status.code == sc.JOB_COMPLETED, job.status
        assert counts(job) == {"text": 1, "image": 1}
        res = await transport.call("GetInput", s.GetInputRequest(input_id="first"), account.key_md)
        first = res.input
        assert first.data.text.raw == "hello there"
        assert sorted(c.id for c in first.data.concepts) == ["cat", "dog"]
        assert first.data.metadata["k"] == 1
        assert first.data.geo.geo_point.longitude == pytest.approx(-30.5)
        done = await add_job(transport, account, added.id)
        # The URL row downloads after the extraction; the two bad rows failed.
        assert done.progress.failed_count == 2
        assert (await finished_add(transport, account, added.id)).progress.success_count == 2

    async def test_a_csv_of_other_columns_fails_the_job(self, transport, account, files):
        FILES["other.csv"] = b"url,label\nhttp://h/x.png,cat\n"
        _, (job,) = await extracted(transport, account, source(f"{files}/other.csv"))
        assert job.status.code == sc.JOB_FAILED
        assert "column 'url' is not one of inputid, input" in job.status.details

    async def test_a_missing_file_fails_the_job(self, transport, account, files):
        _, (job,) = await extracted(transport, account, source(f"{files}/nothing-here.zip"))
        assert job.status.code == sc.JOB_FAILED
        assert "404" in job.status.details
        assert counts(job) == {"failed": 1}

    async def test_a_corrupt_archive_fails_the_job(self, transport, account, files):
        FILES["corrupt.zip"] = zipped(MIXED)[:-60]
        _, (job,) = await extracted(transport, account, source(f"{files}/corrupt.zip"))
        assert job.status.code == sc.JOB_FAILED
        assert "zip" in job.status.details
        assert await inputs_of(transport, account) == []


async def finished_add(transport, account, job_id: str) -> r.InputsAddJob:
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        job = await add_job(transport, account, job_id)
        if job.status.code != sc.JOB_RUNNING:
            return job
        assert asyncio.get_running_loop().time() < deadline, job
        await asyncio.sleep(0.1)


class TestTemplates:
    async def test_the_template_goes_on_every_input(self, transport, account, files):
        res = await transport.call(
            "PostDatasets", s.PostDatasetsRequest(datasets=[r.Dataset(id="ds")]), account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        FILES["two.zip"] = zipped({"a.png": png(), "b.txt": b"text"})
        template = r.Input(
            data=r.Data(
                metadata=struct(batch="first"),
                concepts=[r.Concept(id="animal", value=1)],
            ),
            dataset_ids=["ds"],
        )
        _, (job,) = await extracted(
            transport, account, source(f"{files}/two.zip", input_template=template)
        )
        assert job.status.code == sc.JOB_COMPLETED, job.status
        assert job.input_template.data.metadata["batch"] == "first"
        shown = await inputs_of(transport, account)
        assert len(shown) == 2
        for i in shown:
            assert i.data.metadata["batch"] == "first"
            assert [c.id for c in i.data.concepts] == ["animal"]
        res = await transport.call(
            "ListDatasetInputs", s.ListDatasetInputsRequest(dataset_id="ds"), account.key_md
        )
        assert len(res.dataset_inputs) == 2


class TestConflicts:
    async def test_a_member_refused_after_others_leaves_their_bytes(
        self, transport, account, files, rest
    ):
        # The bad id makes PostInputs refuse the chunk, posted again one
        # input at a time: the refusal of the second rolls back its own
        # writes alone, the first's stored text is kept.
        name = f"refused-{transport.__class__.__name__}.csv"
        FILES[name] = b"inputid,input\nkept-a,alpha text\nbad id!,beta\nkept-c,gamma text\n"
        added, (job,) = await extracted(transport, account, source(f"{files}/{name}"))
        assert counts(job) == {"text": 2}
        assert (await add_job(transport, account, added.id)).progress.failed_count == 1
        for input_id, text in (("kept-a", b"alpha text"), ("kept-c", b"gamma text")):
            res = await transport.call(
                "GetInput", s.GetInputRequest(input_id=input_id), account.key_md
            )
            assert res.status.code == sc.SUCCESS, res.status
            url = urlsplit(res.input.data.text.url)
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"{rest}{url.path}", headers=dict(account.key_md)) as got,
            ):
                assert (got.status, await got.read()) == (200, text), input_id

    async def test_skip_then_suffix(self, transport, account, files):
        FILES["same.zip"] = zipped({"a.txt": b"one", "b.txt": b"two"})
        FILES["rows-ids.csv"] = b"inputid,input\nx,first\ny,second\n"
        _, (job,) = await extracted(transport, account, source(f"{files}/rows-ids.csv"))
        assert counts(job) == {"text": 2}
        # The same ids again: SKIP (the default) fails them, SUFFIX renames.
        added, (job,) = await extracted(transport, account, source(f"{files}/rows-ids.csv"))
        assert counts(job) == {}
        assert job.status.code == sc.JOB_COMPLETED
        assert (await add_job(transport, account, added.id)).progress.failed_count == 2
        _, (job,) = await extracted(
            transport,
            account,
            source(f"{files}/rows-ids.csv", input_id_conflict_resolution=r.SUFFIX),
        )
        assert job.input_id_conflict_resolution == r.SUFFIX
        assert counts(job) == {"text": 2}
        ids = sorted(i.id for i in await inputs_of(transport, account))
        assert ids == ["x", "x-1", "y", "y-1"]


class TestS3:
    @pytest.fixture
    def bucket(self, s3_url) -> str:
        client = boto3.client(
            "s3",
            endpoint_url=s3_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        name = f"bucket-{free_port()}"
        client.create_bucket(Bucket=name)
        client.put_object(Bucket=name, Key="one/a.png", Body=png(5, 5))
        client.put_object(Bucket=name, Key="one/deeper/b.txt", Body=b"from s3")
        client.put_object(Bucket=name, Key="pack.zip", Body=zipped({"x.png": png(), "y.txt": b"y"}))
        return name

    def creds(self) -> r.DataSourceCredentials:
        return r.DataSourceCredentials(
            s3_creds=r.AWSCreds(id="testing", secret="testing", region="us-east-1")
        )

    async def test_an_object_and_a_prefix(self, transport, account, bucket):
        sources = [
            r.InputsDataSource(
                inputs_add_job_id="s3",
                url=r.DataSourceURL(url=f"s3://{bucket}/{key}", credentials=self.creds()),
            )
            for key in ("pack.zip", "one")
        ]
        added, (packed, prefix) = await extracted(transport, account, *sources)
        assert counts(packed) == {"image": 1, "text": 1, "completed": 1}
        assert counts(prefix) == {"image": 1, "text": 1}
        assert prefix.status.code == sc.JOB_COMPLETED
        assert len(await inputs_of(transport, account)) == 4
        assert (await add_job(transport, account, "s3")).progress.success_count == 4

    async def test_without_credentials_requests_go_unsigned(
        self, transport, account, bucket, monkeypatch
    ):
        """Unsigned (for public buckets): never with the server's own
        credentials, which a private bucket would otherwise accept."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        _, (job,) = await extracted(transport, account, source(f"s3://{bucket}/pack.zip"))
        assert job.status.code == sc.JOB_FAILED
        assert "403" in job.status.details

    async def test_a_missing_key(self, transport, account, bucket):
        _, (job,) = await extracted(
            transport,
            account,
            r.InputsDataSource(
                url=r.DataSourceURL(url=f"s3://{bucket}/nothing", credentials=self.creds())
            ),
        )
        assert job.status.code == sc.JOB_FAILED
        assert "no object" in job.status.details


class TestUploads:
    async def uploaded(self, transport, account, name: str, content: bytes) -> str:
        """An upload of `content` in two parts, done."""
        res = await transport.call(
            "PostUploads",
            s.PostUploadsRequest(
                uploads=[r.Upload(content_name=name, content_length=len(content))]
            ),
            account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        upload_id = res.uploads[0].id
        half = len(content) // 2
        app = r.UserAppIDSet(user_id=account.user_id, app_id=account.app_id)
        res = await transport.call(
            "PutUploadContentParts",
            s.PutUploadContentPartsRequest(
                user_app_id=app,
                upload_id=upload_id,
                content_parts=[
                    r.UploadContentPart(part_number=2, range_start=half, data=content[half:]),
                    r.UploadContentPart(part_number=1, range_start=0, data=content[:half]),
                ],
            ),
            account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        return upload_id

    async def post_uploads(self, transport, account, *sent: r.InputsUpload):
        return await transport.call(
            "PostInputsUploads", s.PostInputsUploadsRequest(inputs_uploads=sent), account.key_md
        )

    async def test_an_archive_and_a_csv(self, transport, account):
        archive = await self.uploaded(transport, account, "pics.tar.gz", tarred(MIXED, "w:gz"))
        table = await self.uploaded(
            transport, account, "rows.csv", b"input,concepts\nfirst text,a\nsecond text,b\n"
        )
        res = await self.post_uploads(
            transport,
            account,
            *[
                r.InputsUpload(
                    inputs_add_job_id="from-uploads",
                    upload=r.Upload(id=upload_id),
                    input_template=r.Input(data=r.Data(metadata=struct(via="upload"))),
                )
                for upload_id in (archive, table)
            ],
        )
        assert res.status.code == sc.SUCCESS, res.status
        (added,) = res.inputs_add_jobs
        assert added.id == "from-uploads"
        assert [u.id for u in added.uploads] == [archive, table]
        assert added.uploads[0].status.code == sc.UPLOAD_DONE
        packed, rows = [await finished(transport, account, e.id) for e in added.extraction_jobs]
        assert counts(packed) == {"image": 2, "text": 1, "completed": 1}
        assert counts(rows) == {"text": 2}
        shown = await inputs_of(transport, account)
        assert len(shown) == 5
        assert {i.data.metadata["via"] for i in shown} == {"upload"}
        done = await add_job(transport, account, "from-uploads")
        assert (done.progress.success_count, done.progress.failed_count) == (5, 2)
        assert [u.id for u in done.uploads] == [archive, table]

    async def test_unknown_or_unfinished_uploads_are_refused(self, transport, account):
        res = await self.post_uploads(
            transport, account, r.InputsUpload(upload=r.Upload(id="nope"))
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "inputs_uploads[0].upload.id" in res.status.details
        res = await transport.call(
            "PostUploads",
            s.PostUploadsRequest(uploads=[r.Upload(content_name="x.zip", content_length=100)]),
            account.key_md,
        )
        waiting = res.uploads[0].id
        res = await self.post_uploads(
            transport, account, r.InputsUpload(upload=r.Upload(id=waiting))
        )
        assert res.status.code == sc.INPUT_INVALID_REQUEST
        assert "UPLOAD_IN_PROGRESS" in res.status.details
        listed = await transport.call(
            "ListInputsExtractionJobs", s.ListInputsExtractionJobsRequest(), account.key_md
        )
        assert list(listed.inputs_extraction_jobs) == []


# ---- refused requests ----


class TestRefused:
    @pytest.mark.parametrize(
        ("sent", "code", "named"),
        [
            (source(""), sc.INPUT_INVALID_REQUEST, "data_sources[0].url.url"),
            (source("gs://bucket/x.zip"), sc.INPUT_INVALID_URL, "gs://"),
            (source("ftp://host/x.zip"), sc.INPUT_INVALID_URL, "data_sources[0].url.url"),
            (
                r.InputsDataSource(
                    url=r.DataSourceURL(
                        url="s3://b/k", credentials=r.DataSourceCredentials(gcp_creds=b"{}")
                    )
                ),
                sc.INPUT_INVALID_REQUEST,
                "credentials.gcp_creds",
            ),
            (
                r.InputsDataSource(
                    url=r.DataSourceURL(
                        url="s3://b/k",
                        credentials=r.DataSourceCredentials(s3_creds=r.AWSCreds(id="only-id")),
                    )
                ),
                sc.INPUT_INVALID_REQUEST,
                "credentials.s3_creds: give both id and secret",
            ),
            (
                source("http://h/x.zip", input_template=r.Input(id="fixed")),
                sc.INPUT_INVALID_REQUEST,
                "input_template.id",
            ),
            (
                source(
                    "http://h/x.zip",
                    input_template=r.Input(data=r.Data(image=r.Image(url="http://h/y.png"))),
                ),
                sc.INPUT_INVALID_REQUEST,
                "input_template.data.image",
            ),
            (
                source("http://h/x.zip", input_template=r.Input(dataset_ids=["nope"])),
                sc.CONN_DOES_NOT_EXIST,
                "input_template.dataset_ids[0]",
            ),
            (
                source("http://h/x.zip", inputs_add_job_id="bad id!"),
                sc.INPUT_INVALID_REQUEST,
                "inputs_add_job_id",
            ),
        ],
    )
    async def test_nothing_is_written(self, transport, account, sent, code, named):
        good = source("http://h/fine.zip", inputs_add_job_id="never")
        res = await post_sources(transport, account, good, sent)
        assert res.status.code == code, res.status
        assert named in res.status.details.replace("data_sources[1]", "data_sources[0]")
        listed = await transport.call(
            "ListInputsExtractionJobs", s.ListInputsExtractionJobsRequest(), account.key_md
        )
        assert list(listed.inputs_extraction_jobs) == []
        res = await transport.call(
            "GetInputsAddJob", s.GetInputsAddJobRequest(id="never"), account.key_md
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST

    async def test_no_sources(self, transport, account):
        res = await post_sources(transport, account)
        assert res.status.code == sc.INPUT_INVALID_REQUEST
        assert "data_sources" in res.status.details


# ---- reading, listing, cancelling ----


class TestJobs:
    async def test_list_pages_newest_first_and_other_apps_see_none(
        self, transport, account, new_account, files
    ):
        FILES["t1.txt"] = b"one"
        posted = []
        for _ in range(3):
            res = await post_sources(transport, account, source(f"{files}/t1.txt"))
            posted.append(res.inputs_add_jobs[0].extraction_jobs[0].id)
        res = await transport.call(
            "ListInputsExtractionJobs",
            s.ListInputsExtractionJobsRequest(per_page=2),
            account.key_md,
        )
        assert [j.id for j in res.inputs_extraction_jobs] == posted[::-1][:2]
        res = await transport.call(
            "ListInputsExtractionJobs",
            s.ListInputsExtractionJobsRequest(per_page=2, page=2),
            account.key_md,
        )
        assert [j.id for j in res.inputs_extraction_jobs] == posted[:1]
        other = await new_account()
        res = await transport.call(
            "ListInputsExtractionJobs", s.ListInputsExtractionJobsRequest(), other.key_md
        )
        assert list(res.inputs_extraction_jobs) == []
        res = await get_extraction(transport, other, posted[0])
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        res = await transport.call(
            "CancelInputsExtractionJobs",
            s.CancelInputsExtractionJobsRequest(ids=[posted[0]]),
            other.key_md,
        )
        assert res.status.code == sc.CONN_DOES_NOT_EXIST
        assert "ids[0]" in res.status.details

    async def test_cancel_stops_adding(self, transport, account, files):
        FILES["many.zip"] = zipped({f"t/{n}.txt": f"text {n}".encode() for n in range(3000)})
        res = await post_sources(transport, account, source(f"{files}/many.zip"))
        job_id = res.inputs_add_jobs[0].extraction_jobs[0].id
        while True:  # until some inputs are in
            job = (await get_extraction(transport, account, job_id)).inputs_extraction_job
            if job.progress.text_inputs_count:
                break
            assert job.status.code in (sc.JOB_QUEUED, sc.JOB_RUNNING), job.status
            await asyncio.sleep(0.05)
        res = await transport.call(
            "CancelInputsExtractionJobs",
            s.CancelInputsExtractionJobsRequest(ids=[job_id]),
            account.key_md,
        )
        assert res.status.code == sc.SUCCESS, res.status
        (cancelled,) = res.inputs_extraction_jobs
        assert cancelled.status.code == sc.JOB_CANCELLED
        count = await input_count(transport, account)
        assert count == cancelled.progress.text_inputs_count < 3000
        await asyncio.sleep(1.5)
        assert await input_count(transport, account) == count
        again = await get_extraction(transport, account, job_id)
        assert again.inputs_extraction_job.progress.text_inputs_count == count
        assert again.inputs_extraction_job.status.code == sc.JOB_CANCELLED
        # Cancelled twice: as it is. A finished job cannot be cancelled.
        res = await transport.call(
            "CancelInputsExtractionJobs",
            s.CancelInputsExtractionJobsRequest(ids=[job_id]),
            account.key_md,
        )
        assert res.inputs_extraction_jobs[0].status.code == sc.JOB_CANCELLED
        FILES["small.txt"] = b"small"
        _, (done,) = await extracted(transport, account, source(f"{files}/small.txt"))
        res = await transport.call(
            "CancelInputsExtractionJobs",
            s.CancelInputsExtractionJobsRequest(ids=[done.id]),
            account.key_md,
        )
        assert res.status.code == sc.JOB_CONFLICT
        assert "ids[0]" in res.status.details

    async def test_cancel_stops_a_download_under_way(self, transport, account):
        """A source that trickles in: cancelled while it downloads, the
        download is dropped (the sender sees the connection close)."""
        closed = asyncio.Event()

        async def trickle(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Length": str(10**6)})
            await response.prepare(request)
            try:
                for _ in range(1200):
                    await response.write(b"x" * 100)
                    await asyncio.sleep(0.05)
            except (ConnectionResetError, asyncio.CancelledError):
                closed.set()
                raise
            return response

        app = web.Application()
        app.router.add_get("/slow.zip", trickle)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        try:
            url = f"http://127.0.0.1:{runner.addresses[0][1]}/slow.zip"
            res = await post_sources(transport, account, source(url))
            job_id = res.inputs_add_jobs[0].extraction_jobs[0].id
            while (
                await get_extraction(transport, account, job_id)
            ).inputs_extraction_job.status.code != sc.JOB_RUNNING:
                await asyncio.sleep(0.05)
            res = await transport.call(
                "CancelInputsExtractionJobs",
                s.CancelInputsExtractionJobsRequest(ids=[job_id]),
                account.key_md,
            )
            assert res.inputs_extraction_jobs[0].status.code == sc.JOB_CANCELLED
            await asyncio.wait_for(closed.wait(), 30)
            job = (await get_extraction(transport, account, job_id)).inputs_extraction_job
            assert job.status.code == sc.JOB_CANCELLED
        finally:
            await runner.cleanup()

    async def test_cancelling_the_inputs_add_job_stops_its_extraction(
        self, transport, account, files
    ):
        FILES["many-more.zip"] = zipped({f"m/{n}.txt": f"more {n}".encode() for n in range(3000)})
        res = await post_sources(
            transport, account, source(f"{files}/many-more.zip", inputs_add_job_id="stop-me")
        )
        job_id = res.inputs_add_jobs[0].extraction_jobs[0].id
        assert res.inputs_add_jobs[0].status.code == sc.JOB_RUNNING
        while not (
            await get_extraction(transport, account, job_id)
        ).inputs_extraction_job.progress.text_inputs_count:
            await asyncio.sleep(0.05)
        res = await transport.call(
            "CancelInputsAddJob", s.CancelInputsAddJobRequest(id="stop-me"), account.key_md
        )
        assert res.status.code == sc.SUCCESS, res.status
        assert res.inputs_add_job.status.code == sc.JOB_CANCELLED
        job = await finished(transport, account, job_id)
        assert job.status.code == sc.JOB_CANCELLED
        assert "inputs add job was cancelled" in job.status.details
        assert job.progress.text_inputs_count < 3000
        assert await input_count(transport, account) == job.progress.text_inputs_count


async def input_count(transport, account) -> int:
    res = await transport.call("GetInputCount", s.GetInputCountRequest(), account.key_md)
    c = res.counts
    return c.processed + c.to_process + c.processing + c.errors


# ---- a server killed mid-way ----

RESUMED = 3000


async def test_a_server_killed_mid_way_resumes_with_no_input_twice_or_lost(
    fresh_database, tmp_path, files
):
    """kill -9 while a job adds inputs; the next server picks the job up once
    its lease lapses (made to lapse at once here) and ends it with every
    member added exactly once."""
    FILES["resume.zip"] = zipped({f"r/{n:04}.txt": f"resumed {n}".encode() for n in range(RESUMED)})
    loopback = {"CLARIFAI_LOCAL_FETCH_ALLOW_LOOPBACK": "true"}

    async def progress(stub, job_id: str, key: Metadata) -> r.InputsExtractionJob:
        res = await stub.GetInputsExtractionJob(
            s.GetInputsExtractionJobRequest(inputs_extraction_job_id=job_id), metadata=key
        )
        assert res.status.code == sc.SUCCESS, res.status
        return res.inputs_extraction_job

    with serve(fresh_database, tmp_path, "first", workers=1, settings=loopback) as first:
        await asyncio.to_thread(first.wait_serving)
        (info,) = await accounts(fresh_database, 1)  # on the database the server migrated
        key = (("authorization", f"Key {info['api_key']}"),)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{first.grpc_port}") as channel:
            stub = service_pb2_grpc.V2Stub(channel)
            res = await stub.PostInputsDataSources(
                s.PostInputsDataSourcesRequest(
                    data_sources=[source(f"{files}/resume.zip", inputs_add_job_id="resumed")]
                ),
                metadata=key,
            )
            assert res.status.code == sc.SUCCESS, res.status
            job_id = res.inputs_add_jobs[0].extraction_jobs[0].id
            while not (await progress(stub, job_id, key)).progress.text_inputs_count:
                await asyncio.sleep(0.02)
        first.proc.kill()
        first.proc.wait()
    at_kill = query(fresh_database, "SELECT count(*) FROM inputs")[0][0]
    assert 0 < at_kill < RESUMED  # killed mid-way
    # The dead runner's lease lapses (after a minute); made to lapse now.
    query(
        fresh_database,
        "UPDATE jobs SET leased_until = now() - interval '1 second' "
        "WHERE kind = 'inputs.extract' RETURNING pk",
    )

    with serve(fresh_database, tmp_path, "second", workers=1, settings=loopback) as second:
        await asyncio.to_thread(second.wait_serving)
        async with grpc.aio.insecure_channel(f"127.0.0.1:{second.grpc_port}") as channel:
            stub = service_pb2_grpc.V2Stub(channel)
            deadline = asyncio.get_running_loop().time() + 120
            while (job := await progress(stub, job_id, key)).status.code != sc.JOB_COMPLETED:
                assert job.status.code in (sc.JOB_QUEUED, sc.JOB_RUNNING), job.status
                assert asyncio.get_running_loop().time() < deadline, job
                await asyncio.sleep(0.2)
            assert job.progress.text_inputs_count == RESUMED
            added = await stub.GetInputsAddJob(s.GetInputsAddJobRequest(id="resumed"), metadata=key)
            assert added.inputs_add_job.progress.success_count == RESUMED
            assert added.inputs_add_job.progress.failed_count == 0
    rows = query(fresh_database, "SELECT count(*), count(DISTINCT data->'text') FROM inputs")
    assert rows == [(RESUMED, RESUMED)]
