"""The group giving question set administrators their Django permissions, everyone holding the role put in it, and
the daily beat row that keeps admin access in step with grants' dates (organisation/admin_access.py)."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations


# As organisation/admin_access.py and the beat schedule stood when this migration was written.
ROLE, GROUP_NAME = "question_set_admin", "Question set administrators"
MODELS = {"assessments": ("questionset", "question", "reason")}
ACTIONS = ("view", "add", "change", "delete")
ADMIN_ACCESS_TASK_NAME = "Admin access follows role grants' dates"


def make_group(apps, schema_editor):
    from django.db.models import Q
    from django.utils import timezone

    # Permissions are normally made after all migrations (post_migrate); the group needs them now.
    for app_label in MODELS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
    group_model, permission_model = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group, created = group_model.objects.get_or_create(name=GROUP_NAME)
    if created:
        for app_label, models in MODELS.items():
            codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
            group.permissions.add(
                *permission_model.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
    Person, RoleGrant = apps.get_model("organisation", "Person"), apps.get_model("organisation", "RoleGrant")
    today = timezone.localdate()
    in_force = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    holders = RoleGrant.objects.filter(in_force, role=ROLE).values("person")
    group.user_set.add(*Person.objects.filter(pk__in=holders))
    Person.objects.filter(pk__in=holders).update(is_staff=True)
    every, _ = apps.get_model("django_celery_beat", "IntervalSchedule").objects.get_or_create(every=1, period="days")
    apps.get_model("django_celery_beat", "PeriodicTask").objects.get_or_create(
        name=ADMIN_ACCESS_TASK_NAME,
        defaults={"task": "organisation.sync_admin_access", "interval": every, "enabled": True},
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()
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
