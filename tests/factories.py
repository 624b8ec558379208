"""factory-boy factories for every model."""

import datetime

import factory
from django.utils import timezone

from organisation.models import (
    AccessLogEntry,
    Area,
    Person,
    PurviewLevel,
    Role,
    RoleGrant,
    Team,
    TeamMembership,
    Unit,
    UnitType,
)

PASSWORD = "a-long-test-password"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Area {n}")
    code = factory.Sequence(lambda n: f"area-{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")
    unit_type = UnitType.MAGISTRATES_COURTS


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Crown Prosecutor"
    password = factory.django.Password(PASSWORD)


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    ends_on = None


class RoleGrantFactory(factory.django.DjangoModelFactory):
    """A grant over a team by default; pass unit=, area= with the matching level, or level=national."""

    class Meta:
        model = RoleGrant

    person = factory.SubFactory(PersonFactory)
    role = Role.ASSESSOR
    level = PurviewLevel.TEAM
    team = factory.Maybe(
        factory.LazyAttribute(lambda grant: grant.level == PurviewLevel.TEAM),
        factory.SubFactory(TeamFactory),
        None,
    )
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class AccessLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLogEntry

    viewer = factory.SubFactory(PersonFactory)
    subject = factory.SubFactory(PersonFactory)
    what = "/people/1/"
