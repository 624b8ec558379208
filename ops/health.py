"""Is the platform working? One function per dependency, each answering quickly and never raising.

Served at /healthz (ops/middleware.py), printed by `manage.py health` for cron, and used by the container health
checks. Each check says what it found in a few words; nothing secret (no URLs, no error text from the servers).
"""

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure to reach PostgreSQL means unhealthy
        return Check("database", False, f"PostgreSQL unreachable ({type(error).__name__})")
    return Check("database", True, "PostgreSQL answers")


def check_redis() -> Check:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    timeout = settings.HEALTH_TIMEOUT_SECONDS
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )
    try:
        client.ping()
    except Exception as error:  # any failure to reach Redis means unhealthy
        return Check("redis", False, f"Redis unreachable ({type(error).__name__})")
    finally:
        client.close()
    return Check("redis", True, "Redis answers")


def check_worker() -> Check:
    from qa_platform.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTH_WORKER_TIMEOUT_SECONDS, limit=1)
    except Exception as error:  # the broker itself is down
        return Check("worker", False, f"cannot ask the workers ({type(error).__name__})")
    if not replies:
        return Check("worker", False, "no Celery worker answered")
    return Check("worker", True, "a Celery worker answered")


def check_beat(now=None) -> Check:
    """Beat records each run of a task in its django-celery-beat row (saved every few minutes); the outbox dispatch
    runs every minute, so the newest run says whether beat is alive."""
    from django_celery_beat.models import PeriodicTask

    now = now or timezone.now()
    try:
        last_run = PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"]
    except Exception as error:
        return Check("beat", False, f"cannot read beat's schedule ({type(error).__name__})")
    if last_run is None:
        return Check("beat", False, "beat has never run a task")
    age = now - last_run
    minutes = int(age.total_seconds() // 60)
    if age > timedelta(minutes=settings.HEALTH_BEAT_MAX_AGE_MINUTES):
        return Check("beat", False, f"beat last ran a task {minutes} min ago")
    return Check("beat", True, f"beat last ran a task {minutes} min ago")


def check_outbox(now=None) -> Check:
    """E-mails due more than HEALTH_OUTBOX_MAX_DELAY_MINUTES ago and still unsent: the worker, beat or SMTP is
    failing (a message retried with back-off counts too)."""
    from notifications.models import Message

    now = now or timezone.now()
    limit = settings.HEALTH_OUTBOX_MAX_DELAY_MINUTES
    try:
        late = Message.objects.pending().filter(due_at__lte=now - timedelta(minutes=limit)).count()
    except Exception as error:
        return Check("outbox", False, f"cannot read the outbox ({type(error).__name__})")
    if late:
        return Check("outbox", False, f"{late} e-mail(s) due more than {limit} min ago and unsent")
    return Check("outbox", True, f"no e-mail due more than {limit} min ago is unsent")


CHECKS = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
    "beat": check_beat,
    "outbox": check_outbox,
}


def run_checks(only=None) -> list[Check]:
    """Every check, or those named in `only` (unknown names are refused by the caller)."""
    return [CHECKS[name]() for name in (only or CHECKS)]


def report(checks: list[Check]) -> dict:
    return {"status": "ok" if all(check.ok for check in checks) else "failing", "checks": [asdict(c) for c in checks]}
