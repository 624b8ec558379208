"""The lock files pin a version inside every range pyproject.toml gives, the same version in both, and Bootstrap
is the maintained 5.3.8 served from our own static files."""

import re
import tomllib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]


def pins(lock: str) -> dict[str, str]:
    found = {}
    for line in (BASE_DIR / lock).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def ranges(extras: list[str]) -> list[Requirement]:
    requirements = [Requirement(text) for text in PROJECT["dependencies"]]
    for extra in extras:
        requirements += [Requirement(text) for text in PROJECT["optional-dependencies"][extra]]
    return [requirement for requirement in requirements if canonicalize_name(requirement.name) != PROJECT["name"]]


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", []), ("requirements-dev.lock", ["local", "dev"])])
def test_every_range_in_pyproject_is_pinned_inside_it(lock, extras):
    pinned = pins(lock)
    for requirement in ranges(extras):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {requirement.name}=={pinned[name]}, outside {requirement.specifier}: run `make lock`"
        )


def test_the_dev_lock_installs_the_versions_the_image_does():
    image, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in image} == image


def test_bootstrap_is_5_3_8_from_our_own_static_files():
    for path in ("bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js"):
        found = finders.find(path)
        assert found, f"{path} is not among the static files"
        assert re.search(r"Bootstrap +v5\.3\.8 ", Path(found).read_text()[:200])
