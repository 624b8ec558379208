"""A second checkout never uses the first one's PostgreSQL or Redis: devserver refuses a port it does not own.

The servers of this test run are left alone: the refusals are checked on other ports, against a dummy listener
and a Redis of the test's own.
"""

import os
import socket
import subprocess
import time
from urllib.parse import urlsplit

import pytest
import redis

from devserver import services


@pytest.fixture
def dummy_listener():
    """Something listening on a free port that is neither our PostgreSQL nor our Redis (it never answers)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def stray_pid_files(monkeypatch, tmp_path):
    # Our own ./var stays untouched whatever start_* would do if the check let it through.
    monkeypatch.setattr(services, "VAR_DIR", tmp_path)
    monkeypatch.setattr(services, "PG_DIR", tmp_path / "postgres")
    monkeypatch.setattr(services, "REDIS_DIR", tmp_path / "redis")


def test_postgres_refuses_a_port_taken_by_something_else(dummy_listener, monkeypatch):
    monkeypatch.setattr(services, "PG_PORT", dummy_listener)
    with pytest.raises(services.NotOurs) as refusal:
        services.start_postgres()
    message = str(refusal.value)
    assert f"Port {dummy_listener} is taken" in message
    assert "QA_PG_PORT" in message


def test_redis_refuses_a_port_taken_by_something_else(dummy_listener, monkeypatch):
    monkeypatch.setattr(services, "REDIS_PORT", dummy_listener)
    with pytest.raises(services.NotOurs) as refusal:
        services.start_redis()
    assert "QA_REDIS_PORT" in str(refusal.value)


@pytest.fixture
def other_checkouts_redis(tmp_path):
    """A real Redis, as another checkout's devserver starts it, but with its files in another directory."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    directory = tmp_path / "other-checkout" / "var" / "redis"
    directory.mkdir(parents=True)
    server = subprocess.Popen(
        [services._redis_bin("redis-server"), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory)],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "the other checkout's Redis did not start"
                time.sleep(0.05)
        client.close()
        yield port, directory
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_another_checkouts_redis_is_refused_and_named(other_checkouts_redis, monkeypatch, stray_pid_files):
    port, directory = other_checkouts_redis
    monkeypatch.setattr(services, "REDIS_PORT", port)
    with pytest.raises(services.NotOurs) as refusal:
        services.start_services({"DATABASE_URL": "postgres://elsewhere/x"})
    assert str(directory) in str(refusal.value)


def test_the_same_redis_is_used_when_it_is_ours(other_checkouts_redis, monkeypatch):
    port, directory = other_checkouts_redis
    monkeypatch.setattr(services, "REDIS_PORT", port)
    monkeypatch.setattr(services, "REDIS_DIR", directory)
    assert services.start_redis() == (f"redis://127.0.0.1:{port}/0", False)


def _started_by_devserver(url: str, port: int) -> bool:
    return urlsplit(url).port == port and urlsplit(url).hostname == "127.0.0.1"


def test_this_checkouts_running_servers_are_recognised_as_its_own():
    if not _started_by_devserver(os.environ.get("DATABASE_URL", ""), services.PG_PORT):
        pytest.skip("the tests run against a PostgreSQL that devserver did not start")
    if not _started_by_devserver(os.environ.get("REDIS_URL", ""), services.REDIS_PORT):
        pytest.skip("the tests run against a Redis that devserver did not start")
    services.check_postgres_is_ours(services.PG_PORT)
    services.check_redis_is_ours(services.REDIS_PORT)
