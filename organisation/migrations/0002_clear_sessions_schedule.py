"""Beat clears expired sessions every day, from a django-celery-beat row that admins can see and change."""

from django.db import migrations


def schedule(apps, schema_editor):
    from organisation.schedule import ensure_session_clearing_schedule

    ensure_session_clearing_schedule(
        apps.get_model("django_celery_beat", "IntervalSchedule"), apps.get_model("django_celery_beat", "PeriodicTask")
    )


def unschedule(apps, schema_editor):
    from organisation.schedule import TASK_NAME

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
