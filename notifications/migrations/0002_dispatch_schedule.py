"""Beat runs the outbox every minute. The schedule is a django-celery-beat row, so admins can see and change it."""

from django.db import migrations


def schedule(apps, schema_editor):
    from notifications.schedule import ensure_dispatch_schedule

    ensure_dispatch_schedule(
        apps.get_model("django_celery_beat", "IntervalSchedule"), apps.get_model("django_celery_beat", "PeriodicTask")
    )


def unschedule(apps, schema_editor):
    from notifications.schedule import TASK_NAME

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
