import logging

from celery import shared_task

from notifications import outbox

logger = logging.getLogger(__name__)


@shared_task(name="notifications.dispatch_outbox", ignore_result=True)
def dispatch_outbox():
    """Run by beat every minute (its schedule is in django-celery-beat, so admins see and change it)."""
    counts = outbox.dispatch_due()
    logger.info("Outbox dispatch: %(sent)s sent, %(failed)s failed, %(cancelled)s cancelled", counts, extra=counts)
    return counts
