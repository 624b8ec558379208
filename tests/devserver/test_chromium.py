"""`make test` installs the browser tests' Chromium where it may, and otherwise stops with the one command to run."""

import subprocess

import pytest

from devserver import chromium


@pytest.fixture
def missing(tmp_path, monkeypatch):
    """The default Chromium path points at a file that is not there; apt-get is on the PATH."""
    path = tmp_path / "chromium"
    monkeypatch.setattr(chromium, "DEFAULT_PATH", str(path))
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(chromium.shutil, "which", lambda name: f"/usr/bin/{name}")
    return path


class FakeApt:
    def __init__(self, installs_to=None, fails=False):
        self.commands, self.installs_to, self.fails = [], installs_to, fails

    def __call__(self, command, **kwargs):
        self.commands.append(command)
        if command[:2] == ["apt-get", "install"] and self.installs_to:
            self.installs_to.write_text("#!/bin/sh\n")
            self.installs_to.chmod(0o755)
        return subprocess.CompletedProcess(command, 1 if self.fails else 0)


def test_a_present_chromium_needs_nothing(missing):
    missing.write_text("#!/bin/sh\n")
    missing.chmod(0o755)
    apt = FakeApt()
    assert chromium.ensure_chromium(is_root=True, run=apt) == 0
    assert apt.commands == []


def test_as_root_it_is_installed_with_apt_get(missing):
    apt = FakeApt(installs_to=missing)
    assert chromium.ensure_chromium(is_root=True, run=apt) == 0
    assert apt.commands == [["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]]


def test_without_root_it_stops_at_once_naming_the_command(missing, capsys):
    apt = FakeApt(installs_to=missing)
    assert chromium.ensure_chromium(is_root=False, run=apt) == 1
    assert apt.commands == []
    assert chromium.INSTALL_COMMAND in capsys.readouterr().err


def test_a_failed_install_stops_with_a_message(missing, capsys):
    assert chromium.ensure_chromium(is_root=True, run=FakeApt(fails=True)) == 1
    assert "apt-get update` failed" in capsys.readouterr().err


def test_a_chromium_path_of_ones_own_is_never_installed_over(missing, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "elsewhere"))
    apt = FakeApt()
    assert chromium.ensure_chromium(is_root=True, run=apt) == 1
    assert apt.commands == []
    assert "CHROMIUM_PATH=" in capsys.readouterr().err
