"""The settings module refuses configurations it cannot run safely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
GOOD = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60,
    "DATABASE_URL": "postgres://qa@db.invalid/qa",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "ALLOWED_HOSTS": "qa.example.org",
}


def _load(**overrides):
    # Only what a fresh deployment would have: none of the test run's own settings leak in.
    env = {"PATH": os.environ["PATH"], **GOOD}
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = "import qa_platform.settings as s; print(s.TIME_ZONE, s.SESSION_COOKIE_SECURE)"
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True)


def test_it_loads_a_complete_production_configuration():
    result = _load()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Europe/London", "True"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "DATABASE_URL must point at PostgreSQL"),
        ({"DATABASE_URL": None}, "Set DATABASE_URL"),
        ({"SECRET_KEY": None}, "Set SECRET_KEY"),
        ({"REDIS_URL": None}, "Set REDIS_URL"),
    ],
)
def test_it_refuses_incomplete_configurations(overrides, message):
    result = _load(**overrides)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_takes_the_time_zone_from_the_environment():
    assert _load(TIME_ZONE="UTC").stdout.split()[0] == "UTC"


@pytest.mark.parametrize("demo, installed", [(None, True), ("0", False)])
def test_a_deployment_leaves_the_demo_app_out_with_demo_0(demo, installed):
    env = {"PATH": os.environ["PATH"], **GOOD, **({"DEMO": demo} if demo else {})}
    # The URL map loads every view module: nothing outside the demo app may need it.
    code = (
        "import django; django.setup(); from django.apps import apps; from django.urls import reverse; "
        "import qa_platform.urls; print(apps.is_installed('demo'), reverse('home'))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "qa_platform.settings"
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=BASE_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(installed), "/"]
