"""Every cURL example of the user's documents (../shared/seeds, copied under
tests/seeds) run with the real curl against our REST port: the host
replaced, placeholders filled, and each must answer status code 10000."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from clarifai.api import resources_pb2 as r
from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc

from tests.clients.system import apt_install, unavailable
from tests.helpers import add_model, output_id, share

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACEHOLDER = re.compile(r"\{\{?\s*([A-Za-z0-9_]+)\s*[\]}]\}?|YOUR_API_KEY")

pytestmark = pytest.mark.clients
# curl comes from Debian's packages when missing and this user may install it.
if shutil.which("curl") is None and (why := apt_install(["curl"])) is not None:
    unavailable("curl is not installed", why)


def curl_commands(text: str) -> list[str]:
    """Each shell command that starts with `curl`, up to its unescaped end of
    line (quotes may span lines; a trailing backslash continues it)."""
    commands = []
    for start in (m.start() for m in re.finditer(r"\bcurl ", text)):
        quote, i = "", start
        while i < len(text):
            ch = text[i]
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "\\" and text[i + 1 : i + 2] == "\n":
                i += 1
            elif ch == "\n":
                break
            i += 1
        commands.append(text[start:i])
    return commands


def seed_commands() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for n, command in enumerate(curl_commands(path.read_text())):
            out.append((path.stem, n, command))
    return out


def argv(command: str, base: str, fill) -> list[str]:
    """The command as curl's arguments: continuations joined, placeholders
    filled, the API host replaced by ours (URLs inside bodies stay)."""
    words = shlex.split(command.replace("\\\n", " "))
    out = []
    for word in words[1:]:
        word = PLACEHOLDER.sub(fill, word)
        if re.match(r"https?://", word) and (not out or out[-1] not in ("-d", "--data-raw")):
            word = re.sub(r"^https?://[^/]+", base, word)
            # The API reference writes its path parameters as empty segments.
            word = word.replace("/users//apps//", f"/users/{fill.ids['user']}/apps/main/")
        out.append(word)
    if not any(w.lower().startswith("authorization:") for w in out):
        # The API reference's sample leaves the key to the reader's setup.
        out = ["-H", f"Authorization: Key {fill.values['YOUR_API_KEY']}", *out]
    return ["curl", "--silent", "--show-error", "--max-time", "20", *out]


# The models the Feedback guide's examples name, and how its URLs name them.
FEEDBACK_MODELS = ("aaa03c23b3724a16a56b629203edc62c", "c443119bf2ed4da98487520d01a0b1e3")
FEEDBACK_URL = re.compile(r"/v2/models/(\w+)/feedback")
SEARCH_FEEDBACK_URL = "/v2/searches/feedback"


class Filler:
    """Values for the documents' placeholders; task ids come from answers."""

    def __init__(self, account, users: dict[str, str]) -> None:
        self.ids = {"user": account.user_id}
        self.values = {
            "YOUR_API_KEY": account.api_key,
            "YOUR_COLLECTOR_ID": "seed-collector",
            "YOUR_COLLECTOR_DESCRIPTION": "collects the general model's inputs",
            "A_NEW_DESCRIPTION": "a new description",
            "A_NEW_WORKFLOW_ID": "General",
            "YOUR_PRE_QUEUE_WORKFLOW_ID": "Universal",
            "YOUR_POST_QUEUE_WORKFLOW_ID": "General",
            "YOUR_MODEL_USER_ID": "clarifai",
            "YOUR_MODEL_APP_ID": "main",
            "YOUR_MODEL_ID": "general-image-recognition",
            "YOUR_MODEL_VERSION_ID": "aa7f35c01e0642fda5cf400f543e7c40",
            "concept_id": "seed-concept",
            "input_id": "seed-input",
            "output_id": "seed-output",
            "search_id": "seed-search",
            "end_user_id": "end-user-1",
            "session_id": "session-1",
            "model_id": "general-image-recognition",
            **users,
        }

    def __call__(self, match: re.Match) -> str:
        name = match.group(1) or "YOUR_API_KEY"
        if name not in self.values:
            raise AssertionError(f"no value for the placeholder {match.group(0)}")
        return self.values[name]


@pytest.fixture
async def seeded(server, stub, account, new_account):
    """The app the examples act on: the concept they name, collaborators
    for every worker and reviewer placeholder, and the models the feedback
    examples name (sampling operators that pass their input's data on), so
    the outputs they name can be produced first, as a user predicts first,
    and the search the search feedback example names."""
    for model_id in FEEDBACK_MODELS:
        await add_model(server, account, model_id, "random-sample")
    users = {}
    for name in (
        "worker_user_id",
        "reviewer_user_id",
        "user_id",
        "user_id1",
        "user_id2",
        "user_id3",
        "user_id4",
    ):
        other = await new_account()
        await share(stub, account, other)
        users[name] = other.user_id
    res = await stub.PostConcepts(
        s.PostConceptsRequest(concepts=[r.Concept(id="seed-concept", name="Seed")]),
        metadata=account.key_md,
    )
    assert res.status.code == sc.SUCCESS, res.status
    # The search the search feedback example names, saved as a user would.
    res = await stub.PostInputsSearches(
        s.PostInputsSearchesRequest(searches=[r.Search(id="seed-search", save=True)]),
        metadata=account.key_md,
    )
    assert res.status.code == sc.SUCCESS, res.status
    return Filler(account, users)


def test_every_seed_has_its_curl_examples():
    counts = {}
    for stem, _, _ in seed_commands():
        counts[stem[:3]] = counts.get(stem[:3], 0) + 1
    assert counts == {"000": 4, "001": 1, "002": 10, "003": 3}


async def test_seed_curl_examples(server, stub, account, seeded):
    base = f"http://127.0.0.1:{server.rest_port}"
    failures = []
    for stem, n, command in seed_commands():
        if named := FEEDBACK_URL.search(command):
            seeded.values["output_id"] = await output_id(stub, account, named[1])
        elif SEARCH_FEEDBACK_URL in command:
            # The guide's search feedback example sends {output_id} as its search_id.
            seeded.values["output_id"] = seeded.values["search_id"]
        args = argv(command, base, seeded)
        proc = await _run(args)
        try:
            body = json.loads(proc)
        except json.JSONDecodeError:
            failures.append(f"{stem} #{n}: not JSON: {proc[:200]}")
            continue
        code = body.get("status", {}).get("code")
        if code != sc.SUCCESS:
            failures.append(f"{stem} #{n} {args[-1]}: {body.get('status')}")
            continue
        tasks = body.get("tasks")
        if tasks and "task_id" not in seeded.values:
            seeded.values["task_id"] = tasks[0]["id"]
    assert not failures, "\n".join(failures)


async def _run(args: list[str]) -> str:
    import asyncio

    proc = await asyncio.create_subprocess_exec(
        *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode()
