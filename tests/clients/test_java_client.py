"""A Java user's client in a JVM of its own against the in-process server:
stubs generated from OUR protos/ by protoc with Debian's grpc-java plugin,
compiled with the machine's JDK against Debian's grpc-java jars, running
java/Scenario.java (a blocking V2 stub, the key in the authorization header).

The build (generated sources and classes) is cached under .cache/java-build,
keyed on protos/, the scenario, and the tool and jar versions; a changed
contract rebuilds it. What is missing of the JDK, protoc, the plugin and
the jars is installed from Debian's packages when the tests run as root (as
in CI) or with passwordless sudo (tests/clients/system.py); the suite
skips, saying what is missing and why, only when that cannot be done."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from server import bootstrap
from server.codegen import PROTOS, _include_dirs, proto_files
from server.main import Running

from .scenario_checks import ScenarioChecks
from .system import apt_install, missing_commands, unavailable

pytestmark = pytest.mark.clients

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = Path(__file__).resolve().parent / "java" / "Scenario.java"
BUILD = ROOT / ".cache" / "java-build"
PLUGIN = Path("/usr/bin/grpc_java_plugin")
JARS_DIR = Path("/usr/share/java")
# What a blocking stub over grpc-netty needs at compile and run time. Debian
# splits netty into these jars (its netty-all.jar is an empty shell); its
# guava bundles failureaccess; geronimo-annotation gives javax.annotation.Generated.
JARS = [
    "grpc-api", "grpc-core", "grpc-netty", "grpc-protobuf", "grpc-protobuf-lite", "grpc-stub",
    "grpc-context", "protobuf", "guava", "perfmark-api", "geronimo-annotation-1.3-spec",
    *(f"netty-{n}" for n in (
        "buffer", "codec", "codec-http", "codec-http2", "codec-socks", "common", "handler",
        "handler-proxy", "resolver", "transport",
    )),
]  # fmt: skip
# google.api.http options: the stubs need their Java classes too (no Debian jar has them).
GOOGLE_API = ["google/api/annotations.proto", "google/api/http.proto"]


# Debian's packages holding the tools and jars above, and a JDK when java or
# javac is missing.
PACKAGES = [
    "protobuf-compiler", "protobuf-compiler-grpc-java-plugin", "libgrpc-java",
    "libprotobuf-java", "libnetty-java", "libperfmark-java", "libguava-java",
    "libgeronimo-annotation-1.3-spec-java",
]  # fmt: skip
JDK = "default-jdk-headless"


def missing_tools() -> list[str]:
    missing = missing_commands("java", "javac", "protoc")
    if not PLUGIN.exists():
        missing.append(f"{PLUGIN} (protobuf-compiler-grpc-java-plugin)")
    missing += [f"{JARS_DIR}/{j}.jar" for j in JARS if not (JARS_DIR / f"{j}.jar").exists()]
    return missing


def classpath(*extra: Path) -> str:
    return ":".join([*map(str, extra), *(str(JARS_DIR / f"{j}.jar") for j in JARS)])


def version(*cmd: str) -> bytes:
    proc = subprocess.run(cmd, capture_output=True, check=True)
    return proc.stdout + proc.stderr


def build_key() -> str:
    digest = hashlib.sha256()
    for name in proto_files():
        digest.update(name.encode() + b"\0" + (PROTOS / name).read_bytes())
    digest.update(SCENARIO.read_bytes())
    digest.update(version("protoc", "--version") + version("javac", "-version"))
    for jar in JARS:
        digest.update(str((JARS_DIR / f"{jar}.jar").resolve()).encode())
    return digest.hexdigest()


def build_step(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise AssertionError(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")


def compiled() -> Path:
    """The classes of the stubs and the scenario, built on first use."""
    key = build_key()
    classes, stamp = BUILD / "classes", BUILD / "key"
    if stamp.exists() and stamp.read_text() == key and classes.is_dir():
        return classes
    shutil.rmtree(BUILD, ignore_errors=True)
    src, out = BUILD / "src", BUILD / "classes.partial"
    src.mkdir(parents=True)
    out.mkdir()
    build_step(
        [
            "protoc",
            *(f"-I{d}" for d in _include_dirs()),
            f"--java_out={src}",
            f"--plugin=protoc-gen-grpc-java={PLUGIN}",
            f"--grpc-java_out={src}",
            *proto_files(),
            *GOOGLE_API,
        ]
    )
    sources = [str(p) for p in sorted(src.rglob("*.java"))] + [str(SCENARIO)]
    # Short-lived compiler JVM: tiered level 1 starts faster than it loses.
    build_step(
        ["javac", "-nowarn", "-proc:none", "-J-XX:TieredStopAtLevel=1", "-encoding", "UTF-8",
         "-cp", classpath(), "-d", str(out), *sources]
    )  # fmt: skip
    out.rename(classes)
    stamp.write_text(key)
    return classes


def run_scenario(port: int, user_id: str, pat: str) -> dict:
    proc = subprocess.run(
        ["java", "-XX:TieredStopAtLevel=1", "-cp", classpath(compiled()), "Scenario",
         "127.0.0.1", str(port), user_id, pat],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    if proc.returncode != 0:
        raise AssertionError(f"Scenario.java failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


if missing_tools():
    packages = [*PACKAGES, *([JDK] if missing_commands("java", "javac") else [])]
    why = apt_install(packages)
    if missing := missing_tools():
        said = f"the Java client cannot be built: missing {', '.join(missing)}"
        if why is None:  # installed, yet missing: the packages changed
            raise RuntimeError(f"{said}, after installing {' '.join(packages)}")
        unavailable(said, why)


@pytest.fixture(scope="module")
async def java_run(server: Running) -> tuple[dict, str]:
    info = await bootstrap.create(server.db, user_id="java-user", app_id="main")
    # The server runs on this test's event loop: the client waits in a thread.
    seen = await asyncio.to_thread(run_scenario, server.grpc_port, info["user_id"], info["pat"])
    return seen, info["user_id"]


class TestJavaScenario(ScenarioChecks):
    prefix = "java"

    @pytest.fixture
    def scenario(self, java_run) -> tuple[dict, str]:
        return java_run
