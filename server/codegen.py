"""Compile protos/ into generated/ with grpcio-tools.

`make protos` runs this; the staleness test compiles into a temporary folder
and compares byte for byte, so generated/ is never edited by hand.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
GENERATED = ROOT / "generated"


def proto_files() -> list[str]:
    return sorted(p.relative_to(PROTOS).as_posix() for p in PROTOS.rglob("*.proto"))


def _include_dirs() -> list[str]:
    from grpc_tools import protoc

    well_known = resources.files(protoc.__package__) / "_proto"
    # google/api/annotations.proto ships with googleapis-common-protos.
    import google.api

    googleapis = Path(google.api.__path__[0]).parent.parent
    return [str(PROTOS), str(well_known), str(googleapis)]


def compile_protos(out_dir: Path) -> None:
    from grpc_tools import protoc

    out_dir.mkdir(parents=True, exist_ok=True)
    args = ["protoc", *(f"-I{d}" for d in _include_dirs())]
    args += [f"--python_out={out_dir}", f"--pyi_out={out_dir}", f"--grpc_python_out={out_dir}"]
    args += proto_files()
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    # Every folder becomes a regular package so setuptools installs it.
    for folder in [out_dir, *(p for p in out_dir.rglob("*") if p.is_dir())]:
        if folder != out_dir:
            (folder / "__init__.py").touch()


def main() -> None:
    import shutil
    import tempfile

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else GENERATED
    # Compile aside, then swap in: generated/ is never seen half-written.
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        fresh = Path(scratch) / "out"
        compile_protos(fresh)
        old = Path(scratch) / "old"
        if (target / "clarifai").exists():
            (target / "clarifai").rename(old)
        (fresh / "clarifai").rename(target / "clarifai")
        shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    main()
