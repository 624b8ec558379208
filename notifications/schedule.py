"""The beat schedule row for the outbox dispatch, made by migration 0002 (and by tests after a flush)."""

TASK_NAME = "Send due e-mails from the outbox"
TASK = "notifications.dispatch_outbox"


def ensure_interval_task(name, task, period, interval_model=None, periodic_task_model=None):
    """A beat row running `task` once every `period` ("minutes", "hours"…), enabled; left alone if it exists.
    Models are passed by a migration (historical) or default to the live ones."""
    if interval_model is None:
        from django_celery_beat.models import IntervalSchedule as interval_model
        from django_celery_beat.models import PeriodicTask as periodic_task_model
    every, _ = interval_model.objects.get_or_create(every=1, period=period)
    periodic_task_model.objects.get_or_create(name=name, defaults={"task": task, "interval": every, "enabled": True})


def ensure_dispatch_schedule(interval_model=None, periodic_task_model=None):
    """Every minute."""
    ensure_interval_task(TASK_NAME, TASK, "minutes", interval_model, periodic_task_model)
