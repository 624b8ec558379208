"""Beat clears expired sessions every day, from a django-celery-beat row that admins can see and change."""

from django.db import migrations


TASK_NAME = "Clear expired sessions"


def _every(apps, name, task, period):
    """A beat row running `task` once every `period`, enabled; left alone if it exists (as it stood when this
    migration was written: the schedule now lives in settings.CELERY_BEAT_SCHEDULE, which beat syncs at start)."""
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    every, _ = interval_model.objects.get_or_create(every=1, period=period)
    apps.get_model("django_celery_beat", "PeriodicTask").objects.get_or_create(
        name=name, defaults={"task": task, "interval": every, "enabled": True}
    )


def schedule(apps, schema_editor):
    _every(apps, TASK_NAME, "organisation.clear_expired_sessions", "days")


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
