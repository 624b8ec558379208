"""The Celery app talks to the real Redis broker, and a real worker answers on it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from qa_platform.celery import app

BASE_DIR = Path(__file__).resolve().parent.parent


def test_it_uses_json_only_and_the_database_beat_scheduler():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert app.conf.timezone == "Europe/London"


@pytest.fixture
def worker():
    name = f"test-{os.getpid()}@%h"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "qa_platform", "worker", "--pool", "solo", "-n", name, "-l", "WARNING"],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_it_runs_a_real_worker_on_the_redis_broker(worker):
    deadline = time.monotonic() + 30
    replies = []
    while time.monotonic() < deadline and not replies:
        assert worker.poll() is None, worker.stderr.read().decode()
        replies = app.control.ping(timeout=1.0)
    assert any(name.startswith(f"test-{os.getpid()}@") for reply in replies for name in reply)
