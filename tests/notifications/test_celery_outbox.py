"""Rule 5 end to end: a real Celery worker and beat, on real Redis and PostgreSQL, sending to a real SMTP server.

IQAs are recorded (and committed) here; the worker and beat run in their own processes with their clocks moved
forward (tests/notifications/shifted_clock.py). Ten minutes short of 24 hours nothing arrives; just past 24 hours
each IQA's assessed person and assessor get exactly one e-mail each, and the outbox rows are marked sent.
"""

import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from assessments import feedback_emails
from notifications.models import Message
from notifications.schedule import TASK
from tests.factories import AssessmentFactory, PersonFactory

pytestmark = pytest.mark.celery

BASE_DIR = Path(__file__).resolve().parent.parent.parent
NOT_YET = timedelta(hours=23, minutes=50)
PAST_DUE = timedelta(hours=24, minutes=5)
RECORDED = "An assessment of your work has been recorded"
FOLLOW_UP = "An assessment of your work needs follow-up"
REMINDER = "Reminder: give feedback on an assessment you recorded"


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


class LoopbackController(Controller):
    """An SMTP server on 127.0.0.1 on a port the kernel chose (bound before starting: no race for the port)."""

    def __init__(self, handler):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        super().__init__(handler, hostname="127.0.0.1", port=self._socket.getsockname()[1])

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._socket)


@pytest.fixture
def mailbox():
    handler = Mailbox()
    controller = LoopbackController(handler)
    controller.start()
    handler.port = controller.port
    yield handler
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
        return len(re.findall(rf"Task {re.escape(TASK)}\[[^\]]+\] succeeded", self.worker_log.read_text()))

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in (self.worker_log, self.beat_log))

    def wait_for(self, condition, what: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            for process in self.processes:
                assert process.poll() is None, f"A Celery process stopped while waiting for {what}.\n{self.logs()}"
            assert time.monotonic() < deadline, f"Timed out waiting for {what}.\n{self.logs()}"
            time.sleep(0.2)


@pytest.fixture
def celery(transactional_db, mailbox, tmp_path):
    """Beat runs the dispatch every second onto a queue of this test's own, which only this worker reads."""
    queue = f"outbox-test-{os.getpid()}"
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    dispatch = PeriodicTask.objects.get(task=TASK)
    dispatch.interval, dispatch.queue = every_second, queue
    dispatch.save()
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
        "FEEDBACK_EMAIL_POLICY": "all",
    }
    processes = CeleryProcesses(env, queue, tmp_path)
    yield processes
    processes.stop()
    # The queue (and what beat sent to it after the worker stopped) and kombu's bindings for it.
    broker = redis.Redis.from_url(settings.REDIS_URL)
    leftovers = list(broker.scan_iter(match=f"*{queue}*"))
    if leftovers:
        broker.delete(*leftovers)
    broker.close()


def record_iqa(**fields):
    """Record an IQA as assessments.services does: the IQA and its e-mails committed in one transaction."""
    with transaction.atomic():
        assessment = AssessmentFactory(**fields)
        feedback_emails.queue_for_recorded(assessment)
    return assessment


def test_the_24_hour_emails_go_out_once_each_from_a_real_worker_and_beat(celery, mailbox):
    assessor = PersonFactory(email="dana.assessor@example.org")
    first = record_iqa(assessor=assessor, assessed=PersonFactory(email="alex.assessed@example.org"))
    second = record_iqa(
        assessor=assessor,
        assessed=PersonFactory(email="casey.colleague@example.org"),
        action_required=True,
        action_description="Review the charging decision.",
    )
    # Recorded an hour later than the others: its e-mails are not due yet when theirs are.
    later = record_iqa(recorded_at=timezone.now() + timedelta(hours=1))

    celery.start(shift=NOT_YET)
    celery.wait_for(lambda: celery.dispatches_done() >= 2, "two dispatches 23 h 50 m on")
    assert mailbox.received() == []
    assert not Message.objects.filter(sent_at__isnull=False).exists()
    celery.stop()

    celery.start(shift=PAST_DUE)
    celery.wait_for(lambda: len(mailbox.received()) >= 4, "four e-mails 24 h 5 m on")
    dispatches = celery.dispatches_done()
    celery.wait_for(lambda: celery.dispatches_done() >= dispatches + 2, "two more dispatches (no duplicates)")

    assert sorted(mailbox.received()) == sorted(
        [
            (("alex.assessed@example.org",), RECORDED, f"iqa:{first.pk}:assessed-notice"),
            (("dana.assessor@example.org",), REMINDER, f"iqa:{first.pk}:feedback-reminder"),
            (("casey.colleague@example.org",), FOLLOW_UP, f"iqa:{second.pk}:assessed-notice"),
            (("dana.assessor@example.org",), REMINDER, f"iqa:{second.pk}:feedback-reminder"),
        ]
    )
    sent = Message.objects.filter(sent_at__isnull=False)
    assert sorted(sent.values_list("dedupe_key", "attempts")) == sorted(
        [(f"iqa:{iqa.pk}:{kind}", 1) for iqa in (first, second) for kind in ("assessed-notice", "feedback-reminder")]
    )
    # Sent on the worker's clock, a day on from when they were recorded.
    assert all(message.sent_at >= message.due_at for message in sent)
    assert {f"iqa:{later.pk}:assessed-notice", f"iqa:{later.pk}:feedback-reminder"} <= set(
        Message.objects.pending().values_list("dedupe_key", flat=True)
    )
