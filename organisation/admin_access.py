"""Role grants whose work is done in Django admin, and the Django permissions that work needs, kept in a group.

A person holding such a role today is in its group and is staff; when the grant ends (or is deleted) they leave the
group. Grants are saved one at a time (admin, demo), so a signal keeps this in step (organisation/signals.py); grants
that start or end on a later day are caught by the daily task (organisation/tasks.py).
"""

from dataclasses import dataclass

from django.utils import timezone

from organisation.models import Person, Role, RoleGrant


@dataclass(frozen=True)
class AdminGroup:
    name: str
    # app label -> model names; each gets view, add, change and delete.
    models: dict


ADMIN_GROUPS = {
    # The question set pages, their inlines, the import (add) and the JSON export (view).
    Role.QUESTION_SET_ADMIN: AdminGroup(
        "Question set administrators", {"assessments": ("questionset", "question", "reason")}
    ),
}
ACTIONS = ("view", "add", "change", "delete")


def ensure_group(role, group_model=None, permission_model=None):
    """The role's group, made with its permissions if missing; an existing group is left as admins have set it.
    Models are passed by a migration (historical) or default to the live ones."""
    if group_model is None:
        from django.contrib.auth.models import Group as group_model
        from django.contrib.auth.models import Permission as permission_model
    spec = ADMIN_GROUPS[role]
    group, created = group_model.objects.get_or_create(name=spec.name)
    if created:
        for app_label, models in spec.models.items():
            codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
            group.permissions.add(
                *permission_model.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
    return group


def sync_admin_access(person: Person, today=None) -> None:
    """Put the person in the group of each admin role they hold today, and out of the others. Joining makes them
    staff; leaving the last group makes them not staff, unless Django access was given to them some other way."""
    today = today or timezone.localdate()
    held = set(RoleGrant.objects.active_on(today).filter(person=person).values_list("role", flat=True))
    in_groups = set(person.groups.values_list("name", flat=True))
    left_one = False
    for role, spec in ADMIN_GROUPS.items():
        if role in held and spec.name not in in_groups:
            person.groups.add(ensure_group(role))
        elif role not in held and spec.name in in_groups:
            person.groups.remove(*person.groups.filter(name=spec.name))
            left_one = True
    wanted_staff = bool(held & ADMIN_GROUPS.keys())
    if wanted_staff and not person.is_staff:
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    elif (
        left_one
        and not wanted_staff
        and person.is_staff
        and not person.is_superuser
        and not person.groups.exists()
        and not person.user_permissions.exists()
    ):
        person.is_staff = False
        person.save(update_fields=["is_staff"])


def sync_everyone(today=None) -> int:
    """Everyone who holds an admin role or is in an admin role's group: for grants starting or ending today."""
    names = [spec.name for spec in ADMIN_GROUPS.values()]
    people = Person.objects.filter(
        pk__in=RoleGrant.objects.filter(role__in=ADMIN_GROUPS.keys()).values("person")
    ) | Person.objects.filter(groups__name__in=names)
    people = people.distinct()
    for person in people:
        sync_admin_access(person, today)
    return len(people)
