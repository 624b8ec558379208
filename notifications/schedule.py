"""The beat schedule row for the outbox dispatch, made by migration 0002 (and by tests after a flush)."""

TASK_NAME = "Send due e-mails from the outbox"
TASK = "notifications.dispatch_outbox"


def ensure_dispatch_schedule(interval_model=None, periodic_task_model=None):
    """Every minute, enabled. Models are passed by the migration (historical) or default to the live ones."""
    if interval_model is None:
        from django_celery_beat.models import IntervalSchedule as interval_model
        from django_celery_beat.models import PeriodicTask as periodic_task_model
    every_minute, _ = interval_model.objects.get_or_create(every=1, period="minutes")
    periodic_task_model.objects.get_or_create(
        name=TASK_NAME, defaults={"task": TASK, "interval": every_minute, "enabled": True}
    )
