"""Role grants whose work is in Django admin bring the Django permissions for it, through a group."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from assessments.models import QuestionSet
from demo.organisation import DEMO_DOMAIN, DEMO_PASSWORD, build_demo_logins, build_structure
from organisation.admin_access import ADMIN_GROUPS, sync_everyone
from organisation.models import Person, PurviewLevel, Role
from tests.factories import PersonFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db

GROUP = ADMIN_GROUPS[Role.QUESTION_SET_ADMIN].name


def _grant(person, **dates):
    return RoleGrantFactory(
        person=person, role=Role.QUESTION_SET_ADMIN, level=PurviewLevel.NATIONAL, team=None, **dates
    )


def test_the_migration_makes_the_group_with_the_question_set_permissions():
    codenames = set(Group.objects.get(name=GROUP).permissions.values_list("codename", flat=True))
    for model in ("questionset", "question", "reason"):
        assert {f"view_{model}", f"add_{model}", f"change_{model}", f"delete_{model}"} <= codenames
    assert not any("person" in codename or "assessment" in codename for codename in codenames)


def test_the_demo_question_set_admin_can_use_the_question_set_pages_and_nothing_else(client):
    build_structure()
    build_demo_logins(timezone.localdate())
    login = {"username": f"question.sets@{DEMO_DOMAIN}", "password": DEMO_PASSWORD}
    assert client.post(reverse("login"), login).status_code == 302
    question_set = QuestionSet.objects.first()

    assert client.get(reverse("admin:assessments_questionset_changelist")).status_code == 200
    change = client.get(reverse("admin:assessments_questionset_change", args=[question_set.pk]))
    assert change.status_code == 200
    assert question_set.name in change.content.decode()
    assert client.get(reverse("admin:assessments_questionset_import")).status_code == 200
    assert client.get(reverse("admin:organisation_person_changelist")).status_code == 403
    assert client.get(reverse("admin:assessments_assessment_changelist")).status_code == 403


def test_a_grant_makes_staff_and_its_end_takes_the_access_away():
    person = PersonFactory(is_staff=False)
    grant = _grant(person)
    person.refresh_from_db()
    assert person.is_staff and person.has_perm("assessments.change_questionset")

    grant.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    grant.starts_on = grant.ends_on - datetime.timedelta(days=10)
    grant.save()
    person = Person.objects.get(pk=person.pk)  # a fresh object: permissions are cached on the instance
    assert not person.is_staff
    assert not person.groups.filter(name=GROUP).exists()
    assert not person.has_perm("assessments.change_questionset")


def test_a_deleted_grant_takes_the_access_away_but_leaves_a_superuser_staff():
    person = PersonFactory(is_staff=True, is_superuser=True)
    _grant(person).delete()
    person.refresh_from_db()
    assert person.is_staff
    assert not person.groups.filter(name=GROUP).exists()


def test_a_grant_starting_later_gives_access_from_its_first_day():
    today = timezone.localdate()
    person = PersonFactory(is_staff=False)
    _grant(person, starts_on=today + datetime.timedelta(days=3))
    person.refresh_from_db()
    assert not person.is_staff
    assert not person.groups.filter(name=GROUP).exists()

    sync_everyone(today + datetime.timedelta(days=3))
    person.refresh_from_db()
    assert person.is_staff
    assert person.groups.filter(name=GROUP).exists()


def test_beat_runs_the_sync_every_day():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from organisation import tasks
    from organisation.tasks import sync_admin_access

    entry = PeriodicTask.objects.get(task=sync_admin_access.name)
    assert entry.enabled
    assert (entry.interval.every, entry.interval.period) == (1, IntervalSchedule.DAYS)
    person = PersonFactory(is_staff=False)
    grant = _grant(person, starts_on=timezone.localdate() + datetime.timedelta(days=1))
    type(grant).objects.filter(pk=grant.pk).update(starts_on=timezone.localdate())  # as if that day has come
    tasks.sync_admin_access()
    person.refresh_from_db()
    assert person.is_staff and person.groups.filter(name=GROUP).exists()
