"""factory-boy factories for every model."""

import datetime

import factory
from django.utils import timezone

from assessments.models import (
    Activity,
    Answer,
    AnswerValue,
    Assessment,
    Case,
    CaseStage,
    Court,
    HalfDay,
    QuestionSet,
)
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


# --- Assessments ----------------------------------------------------------------------------------------------


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    urn = factory.Sequence(lambda n: f"42AB{n:05d}26")
    unit = factory.SubFactory(UnitFactory)
    court = Court.MAGISTRATES
    stage = CaseStage.BEFORE_TRIAL
    registered_by = factory.SubFactory(PersonFactory)


class HalfDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HalfDay
        django_get_or_create = ("assessor", "assessed", "activity", "work_date")  # one half-day per work

    assessor = factory.SubFactory(PersonFactory)
    assessed = factory.SubFactory(PersonFactory)
    activity = Activity.CASE_PROGRESSION
    work_date = factory.LazyFunction(timezone.localdate)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A recorded IQA on the question set in force, every question answered `answer` (fully met by default)."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    assessor = factory.SubFactory(PersonFactory)
    assessed = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    activity = Activity.CASE_PROGRESSION
    work_date = factory.LazyFunction(timezone.localdate)
    question_set = factory.LazyAttribute(lambda o: QuestionSet.objects.current(o.activity, o.work_date))
    case = factory.SubFactory(CaseFactory, unit=factory.SelfAttribute("..team.unit"))
    # The case as the IQA judged it: the case's own values unless given.
    case_status = factory.SelfAttribute("case.status")
    case_stage = factory.SelfAttribute("case.stage")
    case_court = factory.SelfAttribute("case.court")
    case_sensitive_categories = factory.SelfAttribute("case.sensitive_categories")
    half_day = factory.SubFactory(
        HalfDayFactory,
        assessor=factory.SelfAttribute("..assessor"),
        assessed=factory.SelfAttribute("..assessed"),
        activity=factory.SelfAttribute("..activity"),
        work_date=factory.SelfAttribute("..work_date"),
    )
    recorded_on_time = True

    @factory.post_generation
    def answer(obj, create, extracted, **kwargs):
        if create:
            Answer.objects.bulk_create(
                Answer(assessment=obj, question=question, value=extracted or AnswerValue.FULLY_MET)
                for question in obj.question_set.questions.all()
            )
