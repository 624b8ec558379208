"""The beat schedule row for scrutiny reminders and the monthly closed-case draw, made by migration 0002 (and by
tests after a flush)."""

TASK_NAME = "Queue scrutiny reminders and draw the monthly closed-case dip sample"
TASK = "scrutiny.hourly"


def ensure_scrutiny_schedule(interval_model=None, periodic_task_model=None):
    """Every hour, enabled. Models are passed by the migration (historical) or default to the live ones."""
    if interval_model is None:
        from django_celery_beat.models import IntervalSchedule as interval_model
        from django_celery_beat.models import PeriodicTask as periodic_task_model
    every_hour, _ = interval_model.objects.get_or_create(every=1, period="hours")
    periodic_task_model.objects.get_or_create(
        name=TASK_NAME, defaults={"task": TASK, "interval": every_hour, "enabled": True}
    )
