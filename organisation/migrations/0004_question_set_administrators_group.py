"""The group giving question set administrators their Django permissions, everyone holding the role put in it, and
the daily beat row that keeps admin access in step with grants' dates (organisation/admin_access.py)."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations


def make_group(apps, schema_editor):
    from organisation.admin_access import ADMIN_GROUPS, ensure_group
    from organisation.models import in_force_on
    from organisation.schedule import ensure_admin_access_schedule

    # Permissions are normally made after all migrations (post_migrate); the group needs them now.
    for app_label in {label for spec in ADMIN_GROUPS.values() for label in spec.models}:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
    group_model, permission_model = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    Person, RoleGrant = apps.get_model("organisation", "Person"), apps.get_model("organisation", "RoleGrant")
    from django.utils import timezone

    today = timezone.localdate()
    for role in ADMIN_GROUPS:
        group = ensure_group(role, group_model, permission_model)
        holders = RoleGrant.objects.filter(in_force_on(today), role=role).values("person")
        group.user_set.add(*Person.objects.filter(pk__in=holders))
        Person.objects.filter(pk__in=holders).update(is_staff=True)
    ensure_admin_access_schedule(
        apps.get_model("django_celery_beat", "IntervalSchedule"), apps.get_model("django_celery_beat", "PeriodicTask")
    )


def remove_group(apps, schema_editor):
    from organisation.admin_access import ADMIN_GROUPS
    from organisation.schedule import ADMIN_ACCESS_TASK_NAME

    apps.get_model("auth", "Group").objects.filter(name__in=[s.name for s in ADMIN_GROUPS.values()]).delete()
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=ADMIN_ACCESS_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0003_form_submission_tokens"),
        ("assessments", "0006_challenge_originals"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make_group, remove_group)]
