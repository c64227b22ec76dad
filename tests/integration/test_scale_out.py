"""Two `clarifai-local serve` processes on one database, as a scaled-out
deployment runs them behind a load balancer (sharing the data directory, as
they would a volume): ids stay unique whichever process writes them, each
background job runs once on either process, and what one process writes the
other sees at once. Both stop cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import grpc
import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api import service_pb2_grpc
from clarifai.api.status import status_code_pb2 as sc

from tests.helpers import md, me, png
from tests.processes import Serving, bootstrap, new_database, query, serve

ME = me("main")
INTERNAL = sc.INTERNAL_UNCATEGORIZED


@dataclass
class Deployment:
    database_url: str
    data_dir: Path
    a: Serving
    b: Serving

    def log_entries(self) -> list[dict]:
        return [
            json.loads(line)
            for served in (self.a, self.b)
            for line in served.log.read_text().splitlines()
            if line.startswith("{")
        ]

    def query(self, sql: str, *params: object) -> list[tuple]:
        return query(self.database_url, sql, *params)

    def count(self, sql: str, *params: object) -> int:
        return self.query(sql, *params)[0][0]

    def input_blobs(self) -> tuple[set[str], set[str]]:
        """The blob keys inputs name, and the input blobs on disk."""
        named = {key for (key,) in self.query("SELECT blob_key FROM inputs WHERE blob_key <> ''")}
        root = self.data_dir / "blobs"
        stored = {
            p.relative_to(root).as_posix()
            for p in root.glob("*/*")
            if p.is_file() and not p.name.startswith(".")
        }
        return named, stored


@pytest.fixture(scope="module")
def deployment(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    data_dir = tmp_path_factory.mktemp("scale-out")
    # Both start at once on an empty database: they migrate and bootstrap it
    # together.
    with (
        new_database(database_url, "clarifai_scale") as url,
        serve(url, data_dir, "a") as a,
        serve(url, data_dir, "b") as b,
    ):
        a.wait_serving()
        b.wait_serving()
        deployment = Deployment(url, data_dir, a, b)
        yield deployment
        assert (a.stop(), b.stop()) == (0, 0), a.log.read_text() + b.log.read_text()
        # Nothing either process did in the whole module was an internal error.
        entries = deployment.log_entries()
        assert not [e for e in entries if e["level"] in ("ERROR", "CRITICAL")]
        assert not [e for e in entries if e.get("code") == INTERNAL]


@pytest.fixture(scope="module")
async def account(deployment: Deployment) -> dict[str, str]:
    return await bootstrap(deployment.database_url, deployment.data_dir)


@pytest.fixture(scope="module")
async def stubs(deployment: Deployment) -> AsyncIterator[tuple[service_pb2_grpc.V2Stub, ...]]:
    async with (
        grpc.aio.insecure_channel(f"127.0.0.1:{deployment.a.grpc_port}") as a,
        grpc.aio.insecure_channel(f"127.0.0.1:{deployment.b.grpc_port}") as b,
    ):
        yield service_pb2_grpc.V2Stub(a), service_pb2_grpc.V2Stub(b)


def codes(responses) -> Counter[int]:
    return Counter(res.status.code for res in responses)


def test_the_first_start_bootstraps_once(deployment: Deployment, account) -> None:
    # Each process found the database empty; one of them made the first user
    # (the other user is the account `clarifai-local bootstrap` made; the
    # built-in `clarifai` owns clarifai/main).
    saved = json.loads((deployment.data_dir / "bootstrap.json").read_text())
    users = deployment.query("SELECT id FROM users WHERE id <> 'clarifai'")
    assert sorted(users) == sorted([(saved["user_id"],), (account["user_id"],)])
    # The start that made them printed them; the other points at the file.
    printed = [saved["pat"] in served.stdout for served in (deployment.a, deployment.b)]
    assert printed.count(True) == 1, (deployment.a.stdout, deployment.b.stdout)
    for served in (deployment.a, deployment.b):
        assert "bootstrap.json" in served.stdout, served.stdout


class TestSameIdsThroughBothProcesses:
    async def test_apps(self, stubs, account) -> None:
        request = s.PostAppsRequest(apps=[r.App(id="shared-app")])
        replies = await asyncio.gather(
            *(stubs[n % 2].PostApps(request, metadata=md(account["pat"])) for n in range(20))
        )
        assert codes(replies) == {sc.SUCCESS: 1, sc.DATABASE_DUPLICATE_KEY: 19}
        for res in replies:
            if res.status.code != sc.SUCCESS:
                assert "shared-app" in res.status.details and not res.apps
        for stub in stubs:
            listed = await stub.ListApps(
                s.ListAppsRequest(id="shared-app"), metadata=md(account["pat"])
            )
            assert [a.id for a in listed.apps] == ["shared-app"]

    async def test_concepts(self, stubs, account) -> None:
        request = s.PostConceptsRequest(user_app_id=ME, concepts=[r.Concept(id="shared-concept")])
        replies = await asyncio.gather(
            *(stubs[n % 2].PostConcepts(request, metadata=md(account["pat"])) for n in range(20))
        )
        assert codes(replies) == {sc.SUCCESS: 1, sc.CONCEPTS_INVALID_REQUEST: 19}
        for res in replies:
            if res.status.code != sc.SUCCESS:
                assert "'shared-concept' is a duplicate" in res.status.details
        listed = await stubs[1].ListConcepts(
            s.ListConceptsRequest(user_app_id=ME, id="shared-concept"), metadata=md(account["pat"])
        )
        assert [c.id for c in listed.concepts] == ["shared-concept"]

    async def test_inputs_in_overlapping_batches(self, deployment, stubs, account) -> None:
        # Windows of 5 over 14 ids, half of them sent in reverse order; every
        # input names the same new concept.
        ids = [f"in-{k:02}" for k in range(14)]
        batches = [ids[k : k + 5] for k in range(10)]
        batches = [b if n % 2 else b[::-1] for n, b in enumerate(batches)]
        requests = [
            s.PostInputsRequest(
                user_app_id=ME,
                inputs=[
                    r.Input(
                        id=i,
                        data=r.Data(image=r.Image(base64=png()), concepts=[r.Concept(id="tag")]),
                    )
                    for i in batch
                ],
            )
            for batch in batches
        ]
        replies = await asyncio.gather(
            *(
                stubs[n % 2].PostInputs(request, metadata=md(account["pat"]))
                for n, request in enumerate(requests + requests)
            )
        )
        assert set(codes(replies)) <= {sc.SUCCESS, sc.MIXED_STATUS, sc.FAILURE}, codes(replies)
        added: Counter[str] = Counter()
        for res in replies:
            for item in res.inputs:
                if item.status.code == sc.INPUT_SUCCESS:
                    added[item.id] += 1
                else:
                    assert item.status.code == sc.DATABASE_DUPLICATE_KEY, item.status
                    assert item.status.details == "Input has a duplicate ID.", item.status
                    assert f"'{item.id}' is already used" in item.status.developer_notes
        assert added == dict.fromkeys(ids, 1)

        listed = await stubs[0].ListInputs(
            s.ListInputsRequest(user_app_id=ME, per_page=100), metadata=md(account["pat"])
        )
        assert sorted(i.id for i in listed.inputs if i.id.startswith("in-")) == ids
        # One input-level annotation each, and the concept once.
        for input_id in ids:
            sql = "SELECT count(*) FROM annotations WHERE input_id = %s"
            assert deployment.count(sql, input_id) == 1
        concepts = await stubs[1].ListConcepts(
            s.ListConceptsRequest(user_app_id=ME, id="tag"), metadata=md(account["pat"])
        )
        assert [c.id for c in concepts.concepts] == ["tag"]
        # The bytes of the inputs refused go again (once their call is over).
        for _ in range(100):
            named, stored = deployment.input_blobs()
            if named == stored:
                break
            await asyncio.sleep(0.05)
        assert named == stored and len(named) >= len(ids)


PENDING = (sc.DATASET_VERSION_PENDING, sc.DATASET_VERSION_IN_PROGRESS)
EXPORTING = (sc.DATASET_VERSION_EXPORT_PENDING, sc.DATASET_VERSION_EXPORT_IN_PROGRESS)


async def version_of(stub, pat, version_id: str, *, until) -> r.DatasetVersion:
    """The version once `until(version)` holds (a few seconds at most)."""
    for _ in range(200):
        res = await stub.GetDatasetVersion(
            s.GetDatasetVersionRequest(
                user_app_id=ME, dataset_id="ds", dataset_version_id=version_id
            ),
            metadata=pat,
        )
        assert res.status.code == sc.SUCCESS, res.status
        if until(res.dataset_version):
            return res.dataset_version
        await asyncio.sleep(0.05)
    raise AssertionError(f"version {version_id}: {res.dataset_version}")


class TestBackgroundJobs:
    async def test_versions_build_once_and_exports_download_from_either(
        self, deployment, stubs, account
    ) -> None:
        a, b = stubs
        pat = md(account["pat"])
        made = await a.PostDatasets(
            s.PostDatasetsRequest(user_app_id=ME, datasets=[r.Dataset(id="ds")]), metadata=pat
        )
        assert made.status.code == sc.SUCCESS, made.status
        ids = [f"ds-{k}" for k in range(6)]
        posted = await b.PostInputs(
            s.PostInputsRequest(
                user_app_id=ME,
                inputs=[
                    r.Input(id=i, data=r.Data(text=r.Text(raw=i)), dataset_ids=["ds"]) for i in ids
                ],
            ),
            metadata=pat,
        )
        assert posted.status.code == sc.SUCCESS, posted.status

        versions = [f"v{k}" for k in range(4)]
        replies = await asyncio.gather(
            *(
                a.PostDatasetVersions(
                    s.PostDatasetVersionsRequest(
                        user_app_id=ME, dataset_id="ds", dataset_versions=[r.DatasetVersion(id=v)]
                    ),
                    metadata=pat,
                )
                for v in versions
            )
        )
        assert codes(replies) == {sc.SUCCESS: len(versions)}
        for v in versions:
            version = await version_of(b, pat, v, until=lambda v: v.status.code not in PENDING)
            assert version.status.code == sc.DATASET_VERSION_READY, version.status
            assert version.metrics["/"].inputs_count.value == len(ids)

        put = await b.PutDatasetVersionExports(
            s.PutDatasetVersionExportsRequest(
                user_app_id=ME,
                dataset_id="ds",
                dataset_version_id="v0",
                exports=[r.DatasetVersionExport(format=r.CLARIFAI_DATA_PROTOBUF)],
            ),
            metadata=pat,
        )
        assert put.status.code == sc.SUCCESS, put.status
        version = await version_of(
            a,
            pat,
            "v0",
            until=lambda v: v.export_info.clarifai_data_protobuf.status.code not in EXPORTING,
        )
        export = version.export_info.clarifai_data_protobuf
        assert export.status.code == sc.DATASET_VERSION_EXPORT_SUCCESS, export.status
        path = urlsplit(export.url).path
        async with (
            aiohttp.ClientSession() as http,
            http.get(
                deployment.a.rest + path, headers={"Authorization": f"Key {account['pat']}"}
            ) as res,
        ):
            assert res.status == 200, await res.text()
            body = await res.read()
        assert len(body) == export.size
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            batch = r.InputBatch.FromString(archive.read(f"all/batch_0_n{len(ids)}"))
        assert sorted(i.id for i in batch.inputs) == ids

        # A URL one process presigned downloads from the other, without
        # credentials: they sign with the key in the data directory they share.
        from_b = await version_of(b, pat, "v0", until=lambda v: True)
        signed = urlsplit(from_b.export_info.clarifai_data_protobuf.url)
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{deployment.a.rest}{signed.path}?{signed.query}") as res,
        ):
            assert res.status == 200, await res.text()
            assert await res.read() == body

        # Each job ran once, on one process or the other.
        ran = Counter(
            e["msg"].split()[1] for e in deployment.log_entries() if e["msg"].startswith("job ")
        )
        # The periodic sweeps (orphan blobs, expired output ids, list marks,
        # expired uploads)
        # run at each worker's start, at most once a start.
        starts = deployment.a.workers + deployment.b.workers
        assert ran.pop("blobs.sweep", 0) <= starts
        assert ran.pop("model_outputs.expire", 0) <= starts
        assert ran.pop("input_marks.forget", 0) <= starts
        assert ran.pop("uploads.expire", 0) <= starts
        # The inputs' base workflow runs too (tests/integration/test_indexing.py).
        ran.pop("input.index", 0)
        assert ran == {"dataset_version.build": len(versions), "dataset_version.export": 1}


class TestWritesSeenAtOnce:
    # ListConcepts needs both.
    SCOPES = ["Apps_Get", "Concepts_Get"]

    async def test_keys_made_changed_and_deleted(self, stubs, account) -> None:
        a, b = stubs
        pat = md(account["pat"])
        # Each process caches what authorization read (storage/auth_cache.py).
        for n in range(10):
            made = await a.PostKeys(
                s.PostKeysRequest(
                    keys=[r.Key(description=f"k{n}", scopes=self.SCOPES, apps=[r.App(id="main")])]
                ),
                metadata=pat,
            )
            assert made.status.code == sc.SUCCESS, made.status
            token = made.keys[0].id
            concepts = s.ListConceptsRequest(user_app_id=ME)
            mine = await b.MyScopes(s.MyScopesRequest(), metadata=md(token))
            assert mine.status.code == sc.SUCCESS, mine.status
            assert sorted(mine.scopes) == self.SCOPES
            listed = await b.ListConcepts(concepts, metadata=md(token))
            assert listed.status.code == sc.SUCCESS, listed.status

            patched = await a.PatchKeys(
                s.PatchKeysRequest(action="overwrite", keys=[r.Key(id=token, scopes=["Apps_Get"])]),
                metadata=pat,
            )
            assert patched.status.code == sc.SUCCESS, patched.status
            refused = await b.ListConcepts(concepts, metadata=md(token))
            assert refused.status.code == sc.CONN_INSUFFICIENT_SCOPES, refused.status

            deleted = await a.DeleteKey(s.DeleteKeyRequest(key_id=token), metadata=pat)
            assert deleted.status.code == sc.SUCCESS, deleted.status
            gone = await b.MyScopes(s.MyScopesRequest(), metadata=md(token))
            assert gone.status.code == sc.CONN_KEY_INVALID, gone.status

    async def test_apps_and_what_they_hold(self, stubs, account) -> None:
        a, b = stubs
        pat = md(account["pat"])
        fleeting = r.UserAppIDSet(user_id="me", app_id="fleeting")
        for _ in range(3):
            made = await a.PostApps(s.PostAppsRequest(apps=[r.App(id="fleeting")]), metadata=pat)
            assert made.status.code == sc.SUCCESS, made.status
            concept = s.PostConceptsRequest(user_app_id=fleeting, concepts=[r.Concept(id="c")])
            added = await b.PostConcepts(concept, metadata=pat)
            assert added.status.code == sc.SUCCESS, added.status
            got = await a.GetConcept(
                s.GetConceptRequest(user_app_id=fleeting, concept_id="c"), metadata=pat
            )
            assert got.status.code == sc.SUCCESS and got.concept.id == "c", got.status

            gone = await a.DeleteApp(s.DeleteAppRequest(user_app_id=fleeting), metadata=pat)
            assert gone.status.code == sc.SUCCESS, gone.status
            app = await b.GetApp(s.GetAppRequest(user_app_id=fleeting), metadata=pat)
            assert app.status.code == sc.CONN_DOES_NOT_EXIST, app.status
            late = await b.PostConcepts(concept, metadata=pat)
            assert late.status.code == sc.CONN_DOES_NOT_EXIST, late.status

    async def test_deep_pages_after_the_other_s_writes(self, deployment, stubs, account) -> None:
        """ListInputs' marks (storage/input_marks.py), built by one process,
        serve both as the other adds and removes inputs: every page is the
        one OFFSET gives."""
        a, b = stubs
        pat = md(account["pat"])
        made = await a.PostApps(s.PostAppsRequest(apps=[r.App(id="deep")]), metadata=pat)
        assert made.status.code == sc.SUCCESS, made.status
        deep = r.UserAppIDSet(user_id="me", app_id="deep")
        ((pk,),) = deployment.query(
            "SELECT pk FROM apps WHERE user_id = %s AND id = 'deep'", account["user_id"]
        )
        seeded = deployment.count(
            "WITH made AS (INSERT INTO inputs (app_pk, id, data, media_kind, source_url, "
            "blob_key, status_code, status_details, created_at) "
            "SELECT %s, 'd' || n, '{\"text\": {\"raw\": \"x\"}}', 'text', '', '', 30000, '', "
            "timestamptz '2026-01-01' + (n / 7) * interval '1 ms' FROM generate_series(0, 4999) n "
            "RETURNING 1) SELECT count(*) FROM made",
            pk,
        )
        assert seeded == 5000

        async def pages(stub, *numbers: int) -> None:
            for page in numbers:
                res = await stub.ListInputs(
                    s.ListInputsRequest(user_app_id=deep, page=page, per_page=100), metadata=pat
                )
                assert res.status.code == sc.SUCCESS, res.status
                offset = deployment.query(
                    "SELECT id FROM inputs WHERE app_pk = %s ORDER BY created_at DESC, pk DESC "
                    "OFFSET %s LIMIT 100",
                    pk,
                    (page - 1) * 100,
                )
                assert [i.id for i in res.inputs] == [i for (i,) in offset], page

        await pages(a, 30)
        assert deployment.count("SELECT count(*) FROM input_marks WHERE app_pk = %s", pk)
        added = await b.PostInputs(
            s.PostInputsRequest(
                user_app_id=deep,
                inputs=[r.Input(data=r.Data(text=r.Text(raw=f"new {n}"))) for n in range(3)],
            ),
            metadata=pat,
        )
        assert added.status.code == sc.SUCCESS, added.status
        gone = [f"d{n}" for n in range(0, 5000, 97)]
        removed = await b.DeleteInputs(
            s.DeleteInputsRequest(user_app_id=deep, ids=gone), metadata=pat
        )
        assert removed.status.code == sc.SUCCESS, removed.status
        await pages(a, 21, 30, 45)
        await pages(b, 21, 30, 45)
