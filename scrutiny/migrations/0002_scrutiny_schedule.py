"""Beat runs scrutiny reminders and the monthly closed-case draw every hour, from a django-celery-beat row that
admins can see and change."""

from django.db import migrations


def schedule(apps, schema_editor):
    from scrutiny.schedule import ensure_scrutiny_schedule

    ensure_scrutiny_schedule(
        apps.get_model("django_celery_beat", "IntervalSchedule"), apps.get_model("django_celery_beat", "PeriodicTask")
    )


def unschedule(apps, schema_editor):
    from scrutiny.schedule import TASK_NAME

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scrutiny", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
