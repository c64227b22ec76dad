"""tests/clients/system.py: what a client suite runs to install its missing
Debian packages, as root or with passwordless sudo, and what it says when
it cannot."""

from __future__ import annotations

import subprocess

import pytest

from tests.clients import system


class Recorder:
    """subprocess.run stand-in: records commands; `sudo -n true` answers
    `sudo_ok`, apt-get install fails `install_failures` times."""

    def __init__(self, sudo_ok: bool = True, install_failures: int = 0) -> None:
        self.commands: list[list[str]] = []
        self.sudo_ok = sudo_ok
        self.install_failures = install_failures

    def __call__(self, cmd, **_kwargs) -> subprocess.CompletedProcess:
        self.commands.append(list(cmd))
        code = 0
        if cmd[:3] == ["sudo", "-n", "true"]:
            code = 0 if self.sudo_ok else 1
        elif "install" in cmd and self.install_failures:
            self.install_failures -= 1
            code = 100
        return subprocess.CompletedProcess(cmd, code, "", "E: Unable to locate package x\n")


@pytest.fixture
def machine(monkeypatch):
    def make(euid: int, commands: set[str], **recorder) -> Recorder:
        system.root_prefix.cache_clear()
        monkeypatch.setattr(system.os, "geteuid", lambda: euid)
        monkeypatch.setattr(
            system.shutil, "which", lambda name: f"/usr/bin/{name}" if name in commands else None
        )
        run = Recorder(**recorder)
        monkeypatch.setattr(system.subprocess, "run", run)
        return run

    yield make
    system.root_prefix.cache_clear()


def test_root_runs_apt_get_itself(machine) -> None:
    run = machine(0, {"apt-get"})
    assert system.apt_install(["curl"]) is None
    [install] = run.commands
    assert install[:2] == ["env", "DEBIAN_FRONTEND=noninteractive"]
    assert install[2] == "apt-get" and install[-2:] == ["--no-install-recommends", "curl"]


def test_passwordless_sudo_runs_apt_get_through_sudo(machine) -> None:
    run = machine(1000, {"apt-get", "sudo"})
    assert system.apt_install(["nodejs", "npm"]) is None
    probe, install = run.commands
    assert probe == ["sudo", "-n", "true"]
    assert install[:3] == ["sudo", "-n", "env"] and install[-2:] == ["nodejs", "npm"]


def test_a_failed_install_updates_the_lists_and_tries_again(machine) -> None:
    run = machine(0, {"apt-get"}, install_failures=1)
    assert system.apt_install(["curl"]) is None
    assert ["install" in c for c in run.commands] == [True, False, True]
    assert "update" in run.commands[1]


def test_what_it_says_when_it_cannot_install(machine) -> None:
    machine(1000, {"apt-get", "sudo"}, sudo_ok=False)
    assert system.apt_install(["curl"]) == "installing needs root or passwordless sudo"
    machine(1000, {"apt-get"})
    assert system.apt_install(["curl"]) == "installing needs root or passwordless sudo"
    machine(0, set())
    assert system.apt_install(["curl"]) == "apt-get is not on this machine"
    machine(0, {"apt-get"}, install_failures=2)
    said = system.apt_install(["curl"])
    assert said == "apt-get install curl failed: E: Unable to locate package x"


class TestUnavailable:
    def test_a_missing_client_fails_its_suite(self, monkeypatch):
        with pytest.raises(pytest.fail.Exception, match="curl is not installed: no apt-get"):
            system.unavailable("curl is not installed", "no apt-get")
