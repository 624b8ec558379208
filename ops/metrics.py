"""Prometheus metrics at /metrics: request latency (recorded by ops/request_id.py's middleware) and the outbox.

The outbox figures are read from the database when Prometheus scrapes (one query), so they are right whichever
worker sent what. Under gunicorn, PROMETHEUS_MULTIPROC_DIR (set by the image) makes the workers share their
request metrics through files; gunicorn.conf.py clears the directory at start and drops a dead worker's files.
"""

import logging
import os

from django.db import DatabaseError
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "qa_http_request_duration_seconds",
    "Time to answer a request, by method, URL name and status.",
    ["method", "route", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)


class OutboxCollector:
    """Sent and given-up totals, the backlog (due and unsent now) and the age of the oldest due message."""

    def collect(self):
        from django.db.models import Count, Min, Q
        from django.utils import timezone

        from notifications.models import Message

        now = timezone.now()
        pending = Q(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True)
        due = pending & Q(due_at__lte=now)
        try:
            figures = Message.objects.aggregate(
                sent=Count("pk", filter=Q(sent_at__isnull=False)),
                failed=Count("pk", filter=Q(failed_at__isnull=False)),
                retrying=Count("pk", filter=pending & Q(attempts__gt=0)),
                backlog=Count("pk", filter=due),
                oldest_due=Min("due_at", filter=due),
            )
        except DatabaseError:
            # The request metrics are still worth a scrape; the absent outbox series and this say why.
            logger.warning("The outbox figures could not be read for /metrics", exc_info=True)
            yield GaugeMetricFamily("qa_outbox_readable", "1 when the outbox figures could be read.", value=0)
            return
        yield GaugeMetricFamily("qa_outbox_readable", "1 when the outbox figures could be read.", value=1)
        yield CounterMetricFamily("qa_outbox_sent", "E-mails sent by the outbox.", value=figures["sent"])
        yield CounterMetricFamily("qa_outbox_failed", "E-mails the outbox gave up on.", value=figures["failed"])
        yield GaugeMetricFamily("qa_outbox_retrying", "Unsent e-mails that failed at least once.", figures["retrying"])
        yield GaugeMetricFamily("qa_outbox_backlog", "E-mails due now and not yet sent.", value=figures["backlog"])
        oldest = (now - figures["oldest_due"]).total_seconds() if figures["oldest_due"] else 0
        yield GaugeMetricFamily(
            "qa_outbox_oldest_due_seconds", "How long the oldest unsent due e-mail has been due (0: none).", oldest
        )


def exposition() -> tuple[bytes, str]:
    """The metrics text for one scrape."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(OutboxCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
