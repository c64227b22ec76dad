"""Inputs add jobs: made and added to by PostInputs (inputs_add_job_id),
counting the inputs as they are stored, downloaded or fail; read with
GetInputsAddJob and ListInputsAddJobs, stopped with CancelInputsAddJob.
Over gRPC and REST (the `transport` fixture) where the edge matters."""

from __future__ import annotations

import asyncio

from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc
from clarifai.api.status import status_pb2

from tests.helpers import assert_missing, assert_status, png


def text(raw: str, input_id: str = "") -> r.Input:
    return r.Input(id=input_id, data=r.Data(text=r.Text(raw=raw)))


def image_url(url: str) -> r.Input:
    return r.Input(data=r.Data(image=r.Image(url=url, allow_duplicate_url=True)))


def progress(job: r.InputsAddJob) -> tuple[int, int, int, int]:
    """(pending, in progress, success, failed)."""
    p = job.progress
    return p.pending_count, p.in_progress_count, p.success_count, p.failed_count


async def post(transport, account, *inputs: r.Input, job: str = "", **kw):
    request = s.PostInputsRequest(inputs=inputs, inputs_add_job_id=job, **kw)
    return await transport.call("PostInputs", request, account.key_md)


async def get_job(transport, account, job_id: str):
    return await transport.call(
        "GetInputsAddJob", s.GetInputsAddJobRequest(id=job_id), account.key_md
    )


async def cancel(transport, account, job_id: str):
    return await transport.call(
        "CancelInputsAddJob", s.CancelInputsAddJobRequest(id=job_id), account.key_md
    )


async def listed(transport, account, **kw) -> list[str]:
    res = await transport.call(
        "ListInputsAddJobs", s.ListInputsAddJobsRequest(**kw), account.key_md
    )
    assert res.status.code == sc.SUCCESS, res.status
    return [j.id for j in res.inputs_add_jobs]


async def finished(transport, account, job_id: str, timeout: float = 15.0) -> r.InputsAddJob:
    """The job once nothing waits or downloads, polled as clients poll it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        res = await get_job(transport, account, job_id)
        assert res.status.code == sc.SUCCESS, res.status
        job = res.inputs_add_job
        if not job.progress.pending_count and not job.progress.in_progress_count:
            return job
        assert asyncio.get_running_loop().time() < deadline, job
        await asyncio.sleep(0.05)


class TestPostInputsWithAJob:
    async def test_made_then_added_to(self, transport, account):
        res = await post(transport, account, text("a", "a"), text("b", "b"), job="job-1")
        assert res.status.code == sc.SUCCESS, res.status
        job = res.inputs_add_job
        assert job.id == "job-1"
        assert progress(job) == (0, 0, 2, 0)
        assert job.status.code == sc.JOB_COMPLETED
        assert job.created_at.seconds > 0

        # The same id again: the statistics merge. An input that fails in
        # the request (its id is taken) was not created: it counts as failed.
        res = await post(
            transport,
            account,
            text("c", "c"),
            text("again", "a"),
            r.Input(id="d", data=r.Data(image=r.Image(base64=png()))),
            job="job-1",
        )
        assert res.status.code == sc.MIXED_STATUS, res.status
        assert progress(res.inputs_add_job) == (0, 0, 4, 1)

        got = await get_job(transport, account, "job-1")
        assert_status(got, sc.SUCCESS)
        assert got.inputs_add_job == res.inputs_add_job
        assert got.inputs_add_job.modified_at.ToNanoseconds() >= job.modified_at.ToNanoseconds()
        assert await listed(transport, account) == ["job-1"]

    async def test_no_id_no_job(self, transport, account):
        res = await post(transport, account, text("a"))
        assert res.status.code == sc.SUCCESS, res.status
        assert not res.HasField("inputs_add_job")
        assert await listed(transport, account) == []

    async def test_a_bad_id_writes_nothing(self, transport, account):
        res = await post(transport, account, text("a", "kept-out"), job="not an id!")
        assert res.status.code == sc.INPUT_INVALID_REQUEST, res.status
        assert "inputs_add_job_id" in res.status.details
        assert await listed(transport, account) == []
        got = await transport.call(
            "GetInput", s.GetInputRequest(input_id="kept-out"), account.key_md
        )
        assert got.status.code == sc.CONN_DOES_NOT_EXIST

    async def test_every_input_failing_is_counted_in_its_job(self, transport, account):
        # As the clarifai SDK polls the job it named, whatever its inputs did.
        await post(transport, account, text("first", "taken"))
        broken = r.Input(id="broken", data=r.Data(image=r.Image(base64=b"no picture")))
        res = await post(transport, account, text("again", "taken"), broken, job="job-x")
        assert res.status.code == sc.FAILURE, res.status
        assert [i.status.code for i in res.inputs] == [sc.DATABASE_DUPLICATE_KEY, sc.INPUT_FAILED]
        assert "not an image" in res.inputs[1].status.details
        assert progress(res.inputs_add_job) == (0, 0, 0, 2)
        got = await get_job(transport, account, "job-x")
        assert_status(got, sc.SUCCESS)
        assert progress(got.inputs_add_job) == (0, 0, 0, 2)
        assert got.inputs_add_job.status.code == sc.JOB_COMPLETED
        # Nothing else was written: the taken input is as it was.
        kept = await transport.call("GetInput", s.GetInputRequest(input_id="taken"), account.key_md)
        assert kept.input.data.text.raw == "first"
        missing = await transport.call(
            "GetInput", s.GetInputRequest(input_id="broken"), account.key_md
        )
        assert_missing(missing, "broken")

    async def test_a_broken_picture_among_good_inputs(self, transport, account):
        broken = r.Input(id="broken", data=r.Data(image=r.Image(base64=b"no picture")))
        res = await post(transport, account, text("fine", "fine"), broken, job="job-y")
        assert res.status.code == sc.MIXED_STATUS, res.status
        assert progress((await get_job(transport, account, "job-y")).inputs_add_job) == (
            0,
            0,
            1,
            1,
        )

    async def test_a_failed_call_without_a_job_writes_nothing(self, transport, account):
        broken = r.Input(id="broken", data=r.Data(image=r.Image(base64=b"no picture")))
        res = await post(transport, account, broken)
        assert res.status.code == sc.FAILURE, res.status
        assert await listed(transport, account) == []


class TestGetAndList:
    async def test_unknown_and_malformed(self, transport, account):
        assert_missing(await get_job(transport, account, "nope"), "inputs add job", "nope")
        res = await get_job(transport, account, "no way")
        assert res.status.code == sc.INPUT_INVALID_REQUEST, res.status
        assert res.status.description == "Invalid input request"
        assert "id 'no way'" in res.status.details

    async def test_pages_newest_first(self, transport, account):
        for name in ("first", "second", "third"):
            await post(transport, account, text(name), job=name)
        assert await listed(transport, account) == ["third", "second", "first"]
        assert await listed(transport, account, per_page=2) == ["third", "second"]
        assert await listed(transport, account, page=2, per_page=2) == ["first"]
        assert await listed(transport, account, page=3, per_page=2) == []

    async def test_other_app_invisible(self, transport, account, new_account):
        other = await new_account()
        await post(transport, other, text("theirs"), job="theirs")
        assert_missing(await get_job(transport, account, "theirs"), "theirs")
        assert await listed(transport, account) == []
        # The same id in another app is another job.
        res = await post(transport, account, text("mine"), job="theirs")
        assert progress(res.inputs_add_job) == (0, 0, 1, 0)
        assert progress((await get_job(transport, other, "theirs")).inputs_add_job) == (0, 0, 1, 0)


class TestDownloads:
    async def test_counts_move_as_downloads_finish(
        self, transport, account, media_server, loopback_allowed
    ):
        base, _, _ = media_server
        res = await post(
            transport,
            account,
            image_url(f"{base}/truck.png"),
            image_url(f"{base}/moved"),
            image_url(f"{base}/missing.png"),
            text("stored at once"),
            job="urls",
        )
        assert res.status.code == sc.SUCCESS, res.status
        posted = res.inputs_add_job
        pending, in_progress, success, failed = progress(posted)
        assert (pending + in_progress, success, failed) == (3, 1, 0)
        assert posted.status.code == sc.JOB_RUNNING

        job = await finished(transport, account, "urls")
        assert progress(job) == (0, 0, 3, 1)
        assert job.status.code == sc.JOB_COMPLETED

        # Outcomes stay counted when the inputs go.
        missing = res.inputs[2].id
        gone = await transport.call(
            "DeleteInputs", s.DeleteInputsRequest(ids=[missing]), account.key_md
        )
        assert gone.status.code == sc.SUCCESS, gone.status
        assert progress((await get_job(transport, account, "urls")).inputs_add_job) == (0, 0, 3, 1)

    async def test_a_waiting_input_deleted_stops_waiting(self, transport, account, server):
        await server.fetcher.stop()
        try:
            res = await post(transport, account, image_url("http://127.0.0.1:9/x.png"), job="w")
            assert progress(res.inputs_add_job) == (1, 0, 0, 0)
            await transport.call(
                "DeleteInputs", s.DeleteInputsRequest(ids=[res.inputs[0].id]), account.key_md
            )
            job = (await get_job(transport, account, "w")).inputs_add_job
        finally:
            await server.fetcher.start()
        assert progress(job) == (0, 0, 0, 0)
        assert job.status.code == sc.JOB_COMPLETED


class TestCancel:
    async def test_fails_what_waits(self, transport, account, server):
        await server.fetcher.stop()
        try:
            urls = [image_url(f"http://127.0.0.1:9/{k}.png") for k in range(2)]
            res = await post(transport, account, *urls, text("done"), job="stop-me")
            assert progress(res.inputs_add_job) == (2, 0, 1, 0)

            res = await cancel(transport, account, "stop-me")
            assert_status(res, sc.SUCCESS)
            job = res.inputs_add_job
            assert progress(job) == (0, 0, 1, 2)
            assert job.status.code == sc.JOB_CANCELLED
            assert job.status.description == "Job cancelled"
        finally:
            await server.fetcher.start()

        failed = await transport.call(
            "ListInputs",
            s.ListInputsRequest(status=status_pb2.Status(code=sc.INPUT_FAILED)),
            account.key_md,
        )
        assert sorted(i.data.image.url for i in failed.inputs) == sorted(
            u.data.image.url for u in urls
        )
        for i in failed.inputs:
            assert i.status.details == (
                "the inputs add job was cancelled before this input was downloaded"
            )
        # The downloads queued for them find nothing to do once they run.
        await asyncio.sleep(0.3)
        assert progress((await get_job(transport, account, "stop-me")).inputs_add_job) == (
            0,
            0,
            1,
            2,
        )

        # Cancelling again answers the job; it takes no more inputs.
        again = await cancel(transport, account, "stop-me")
        assert again.status.code == sc.SUCCESS and again.inputs_add_job == job
        res = await post(transport, account, text("late", "late"), job="stop-me")
        assert res.status.code == sc.JOB_CONFLICT, res.status
        assert "cancelled" in res.status.details
        got = await transport.call("GetInput", s.GetInputRequest(input_id="late"), account.key_md)
        assert got.status.code == sc.CONN_DOES_NOT_EXIST

    async def test_finished_or_unknown(self, transport, account):
        await post(transport, account, text("a"), job="done")
        res = await cancel(transport, account, "done")
        assert res.status.code == sc.JOB_CONFLICT, res.status
        assert "'done' has finished" in res.status.details
        assert (await get_job(transport, account, "done")).inputs_add_job.status.code == (
            sc.JOB_COMPLETED
        )
        assert_missing(await cancel(transport, account, "nope"), "nope")
