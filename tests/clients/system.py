"""What a client suite needs from Debian's packages (a JDK, protoc, Node.js,
curl), installed when it is missing and this user may install: as root (as
in CI) or through passwordless sudo. A client that still cannot be had
fails its suite (`unavailable`): on this project's machines every client
runs."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from typing import NoReturn

import pytest

APT_TIMEOUT = 900
# Set to 1 on a machine meant to run without some client runtimes: their
# suites then skip, saying why, instead of failing.


def unavailable(what: str, why: object) -> NoReturn:
    """A client whose runtime cannot be installed or run here: its suite
    fails, saying why (every client runs on this project's machines; the
    setup installs what each needs)."""
    pytest.fail(f"{what}: {why}", pytrace=False)


@functools.cache
def root_prefix() -> tuple[str, ...] | None:
    """What runs a command as root: nothing as root, `sudo -n` with
    passwordless sudo; None when this user cannot."""
    if os.geteuid() == 0:
        return ()
    if shutil.which("sudo") is None:
        return None
    try:
        probe = subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return ("sudo", "-n") if probe.returncode == 0 else None


def apt_install(packages: list[str]) -> str | None:
    """Install Debian `packages`; None when done, else why not."""
    if shutil.which("apt-get") is None:
        return "apt-get is not on this machine"
    prefix = root_prefix()
    if prefix is None:
        return "installing needs root or passwordless sudo"
    # env: sudo may reset the environment; the lock timeout waits for
    # another apt-get (a suite beside this one) instead of failing.
    env = ["env", "DEBIAN_FRONTEND=noninteractive"]
    apt = [*prefix, *env, "apt-get", "-o", "DPkg::Lock::Timeout=300"]
    install = [*apt, "install", "-y", "-qq", "--no-install-recommends", *packages]
    try:
        proc = subprocess.run(install, capture_output=True, text=True, timeout=APT_TIMEOUT)
        if proc.returncode != 0:  # the package lists may be missing or stale
            subprocess.run([*apt, "update", "-qq"], capture_output=True, timeout=APT_TIMEOUT)
            proc = subprocess.run(install, capture_output=True, text=True, timeout=APT_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as error:
        return f"apt-get failed: {error}"
    if proc.returncode != 0:
        last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or ["no output"]
        return f"apt-get install {' '.join(packages)} failed: {last[0]}"
    return None


def missing_commands(*commands: str) -> list[str]:
    return [c for c in commands if shutil.which(c) is None]
