from celery import shared_task

from notifications import outbox


@shared_task(name="notifications.dispatch_outbox", ignore_result=True)
def dispatch_outbox():
    """Run by beat every minute (its schedule is in django-celery-beat, so admins see and change it)."""
    return outbox.dispatch_due()
