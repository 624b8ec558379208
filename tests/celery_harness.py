"""A real Celery worker and beat for the end-to-end e-mail tests, sending to an SMTP server on loopback.

The worker and beat run in their own processes with their clocks moved (tests/notifications/shifted_clock.py);
beat runs the chosen tasks every second onto a queue of the test's own, which only its worker reads.
"""

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from devserver.smtp import LoopbackController
from notifications.tasks import dispatch_outbox

BASE_DIR = Path(__file__).resolve().parent.parent


class Mailbox:
    """aiosmtpd handler: keeps every message the SMTP server accepted."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((tuple(envelope.rcpt_tos), str(message["Subject"]), str(message["X-Outbox-Key"])))
        return "250 Message accepted for delivery"

    def received(self):
        with self._lock:
            return list(self.messages)


@contextmanager
def smtp_mailbox():
    """A Mailbox behind a running SMTP server; its port is `mailbox.port`."""
    handler = Mailbox()
    controller = LoopbackController(handler)
    controller.start()
    handler.port = controller.port
    try:
        yield handler
    finally:
        controller.stop()


class CeleryProcesses:
    """A solo-pool worker and a DatabaseScheduler beat, both with their clocks moved by `shift`."""

    def __init__(self, env, queue, directory):
        self.env, self.queue, self.directory = env, queue, directory
        self.processes = []
        self.runs = 0

    def start(self, shift: timedelta) -> None:
        self.runs += 1
        env = {**self.env, "CLOCK_SHIFT_SECONDS": str(shift.total_seconds())}
        self.worker_log = self.directory / f"worker-{self.runs}.log"
        self.beat_log = self.directory / f"beat-{self.runs}.log"
        celery = [sys.executable, "-m", "tests.notifications.shifted_clock", "celery", "-A", "qa_platform"]
        commands = [
            (
                [
                    *celery,
                    "worker",
                    "--pool=solo",
                    f"--queues={self.queue}",
                    f"--hostname={self.queue}-{self.runs}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                self.worker_log,
            ),
            (
                [
                    *celery,
                    "beat",
                    "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
                    f"--schedule={self.directory / 'beat-schedule'}",
                    f"--pidfile={self.directory / f'beat-{self.runs}.pid'}",
                    "--loglevel=INFO",
                ],
                self.beat_log,
            ),
        ]
        for command, log in commands:
            with log.open("wb") as output:
                self.processes.append(
                    subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
                )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def dispatches_done(self) -> int:
        """How many times the worker has finished the dispatch task since it was started."""
        return len(
            re.findall(rf"Task {re.escape(dispatch_outbox.name)}\[[^\]]+\] succeeded", self.worker_log.read_text())
        )

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in (self.worker_log, self.beat_log))

    def wait_for(self, condition, what: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            for process in self.processes:
                assert process.poll() is None, f"A Celery process stopped while waiting for {what}.\n{self.logs()}"
            assert time.monotonic() < deadline, f"Timed out waiting for {what}.\n{self.logs()}"
            time.sleep(0.2)


@contextmanager
def celery_on_own_queue(name: str, tasks: list[str], mailbox: Mailbox, directory: Path, **settings_env):
    """CeleryProcesses (not yet started) for which beat runs `tasks` every second onto a queue of this test's own,
    sending e-mail to `mailbox`, with extra settings in `settings_env`. The queue is removed afterwards."""
    queue = f"{name}-test-{os.getpid()}"
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    scheduled = list(PeriodicTask.objects.filter(task__in=tasks, enabled=True))
    assert sorted(task.task for task in scheduled) == sorted(tasks), "every task must have its enabled beat row"
    # Beat rewrites the rows named in settings.CELERY_BEAT_SCHEDULE when it starts: each task runs from a copy of its
    # row, every second on this test's queue, and the original is paused (a disabled row stays disabled).
    for row in scheduled:
        PeriodicTask.objects.create(name=f"{row.name} ({queue})", task=row.task, interval=every_second, queue=queue)
        row.enabled = False
        row.save()
    # The worker and beat are other processes: they must use the test database, not the one in DATABASE_URL.
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}")
    env = {
        **os.environ,
        "DATABASE_URL": database_url.geturl(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
        **settings_env,
    }
    processes = CeleryProcesses(env, queue, directory)
    try:
        yield processes
    finally:
        processes.stop()
        # The queue (and what beat sent to it after the worker stopped) and kombu's bindings for it.
        broker = redis.Redis.from_url(settings.REDIS_URL)
        leftovers = list(broker.scan_iter(match=f"*{queue}*"))
        if leftovers:
            broker.delete(*leftovers)
        broker.close()
