"""The national-scale demo loader, run small on the test organisation: the rows it writes are sound."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from assessments.models import Acknowledgement, Answer, AnswerReason, AnswerValue, Assessment, Feedback
from demo import reporting as reporting_demo
from demo.management.commands.seed_demo import _scale
from demo.national import (
    DEMO_URN_MARK,
    URN_MARK,
    generated_iqas,
    load_iqas,
    national_demo_present,
    seed_national_iqas,
)
from dipsampling.models import DipSample, ReMark
from organisation.models import PurviewLevel, Role, TeamMembership
from qa_platform.periods import business_year
from qa_platform.working_days import is_working_day
from tests.factories import AssessmentFactory, RoleGrantFactory, TeamMembershipFactory

TODAY = date(2026, 11, 20)


@pytest.fixture
def loaded(org, assessor, assessed, colleague, neighbour, outsider, dip_sampler):
    for person in (assessed, colleague, neighbour, outsider, assessor):
        TeamMembership.objects.filter(person=person).update(starts_on=date(2020, 1, 1))
    TeamMembershipFactory(team=org.team_a1a, starts_on=date(2025, 6, 1), ends_on=date(2026, 1, 31))
    # Every team has a DCP and every unit a Senior DCP, as the demo organisation does.
    for team in (org.team_a1b, org.team_b1a):
        dcp = TeamMembershipFactory(team=team, starts_on=date(2020, 1, 1)).person
        RoleGrantFactory(person=dcp, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=team)
    senior = TeamMembershipFactory(team=org.team_b1a, starts_on=date(2020, 1, 1)).person
    RoleGrantFactory(person=senior, role=Role.DIP_SAMPLER, level=PurviewLevel.UNIT, team=None, unit=org.unit_b1)
    return seed_national_iqas(today=TODAY, iqas=600, years=2)


def test_it_loads_about_the_number_of_iqas_asked_for_with_their_answers(loaded):
    iqas = Assessment.objects.count()
    assert 450 <= iqas <= 750
    assert loaded["assessments_assessment"] == iqas
    assert loaded["assessments_answer"] == Answer.objects.count() > 5 * iqas
    assert national_demo_present()


def test_it_answers_every_question_of_each_iqas_question_sets(loaded):
    iqas = Assessment.objects.annotate(
        answered=Count("answers", distinct=True),
        expected=Count("question_set__questions", distinct=True) + Count("disclosure_set__questions", distinct=True),
    )
    assert all(iqa.answered == iqa.expected for iqa in iqas)
    assert Assessment.objects.filter(disclosure_set__isnull=False).exists()


def test_it_gives_every_not_met_a_reason_and_a_comment_as_rule_1_requires(loaded):
    not_met = Answer.objects.filter(value=AnswerValue.NOT_MET)
    assert not_met.exists()
    assert not not_met.filter(comment="").exists()
    assert not not_met.annotate(n=Count("answerreason")).filter(n=0).exists()
    assert not Answer.objects.filter(value=AnswerValue.NOT_MET_OTHER, comment="").exists()
    assert AnswerReason.objects.filter(reason__is_other=True).exists()


def test_it_records_work_on_working_days_in_the_window_by_people_in_post(loaded, assessor):
    first_day = business_year(2025).start
    rows = Assessment.objects.values_list("work_date", "assessor_id", "assessed_id", "team_id")
    for work_date, assessor_id, assessed_id, team_id in rows:
        assert first_day <= work_date < TODAY and is_working_day(work_date)
        assert assessor_id != assessed_id
        assert TeamMembership.objects.active_on(work_date).filter(person_id=assessed_id, team_id=team_id).exists()
    assert Assessment.objects.filter(assessor=assessor).exists()


def test_it_bunches_iqas_towards_the_end_of_the_month_as_annex_c_shows(loaded):
    thirds = Counter(min(day.day - 1, 29) // 10 for day in Assessment.objects.values_list("work_date", flat=True))
    assert thirds[2] > thirds[1] > thirds[0]


def test_it_dip_samples_about_one_in_eight_with_re_marks_on_some(loaded, dip_sampler):
    share = DipSample.objects.count() / Assessment.objects.count()
    assert 0.06 <= share <= 0.2
    recorded = DipSample.objects.filter(recorded_at__isnull=False)
    assert recorded.exists()
    assert not recorded.filter(Q(iqa_comment="") | Q(casework_comment="") | Q(outcome="")).exists()
    assert ReMark.objects.exists()
    assert not DipSample.objects.filter(assessment__assessor=dip_sampler).exists()  # never their own IQAs


def test_it_records_feedback_for_most_iqas(loaded):
    assert 0.7 <= Feedback.objects.count() / Assessment.objects.count() <= 0.95


def test_it_has_most_iqas_acknowledged_after_their_feedback_and_the_newest_waiting(loaded):
    acknowledged = Acknowledgement.objects.select_related("assessment__feedback")
    assert 0.5 <= acknowledged.count() / Assessment.objects.count() <= 0.9
    assert all(
        ack.acknowledged_at >= ack.assessment.recorded_at
        and (not hasattr(ack.assessment, "feedback") or ack.acknowledged_at.date() >= ack.assessment.feedback.given_on)
        for ack in acknowledged
    )
    assert not acknowledged.filter(acknowledged_at__date__gte=TODAY - timedelta(days=14)).exists()
    assert Assessment.objects.filter(work_date__gte=TODAY - timedelta(days=30), acknowledgement__isnull=True).exists()


def test_it_writes_no_audit_history_for_the_load_and_leaves_the_triggers_on(loaded, assessor, assessed):
    # Rows other tests left behind may have history of their own: only the loaded rows must have none.
    loaded_iqas = Assessment.objects.filter(case__urn__contains="ND").values("pk")
    loaded_answers = Answer.objects.filter(assessment__in=loaded_iqas).values("pk")
    assessment_events = apps.get_model("assessments", "AssessmentEvent")
    assert loaded_iqas.exists()
    assert not assessment_events.objects.filter(pgh_obj_id__in=loaded_iqas).exists()
    assert not apps.get_model("assessments", "AnswerEvent").objects.filter(pgh_obj_id__in=loaded_answers).exists()
    iqa = AssessmentFactory(assessor=assessor, assessed=assessed)  # the sequences were moved past the loaded ids
    assert assessment_events.objects.filter(pgh_obj=iqa).exists()


def test_it_does_nothing_when_the_national_demo_is_there(loaded):
    before = Assessment.objects.count()
    assert seed_national_iqas(today=TODAY, iqas=600, years=2) == {}
    assert Assessment.objects.count() == before


def test_the_default_demo_adds_nothing_where_the_national_demo_is(loaded, org, monkeypatch):
    monkeypatch.setattr(reporting_demo, "AREA_CODE", org.area_a.code)
    before = Assessment.objects.count()

    assert reporting_demo.seed_demo_area(TODAY) == {}
    assert Assessment.objects.count() == before


def test_it_reads_scale_as_a_number_or_the_word_national():
    assert (_scale("national"), _scale("1.2"), _scale("0.3")) == ("national", 1.2, 0.3)


def test_it_refuses_a_scale_that_is_neither_a_number_nor_national(db):
    with pytest.raises(CommandError, match="national"):
        call_command("seed_demo", "--scale", "huge")


def test_it_leaves_the_teams_the_default_demo_filled_and_loads_the_rest(loaded_small_demo, org):
    # The default demo (`make run`) loaded team A1a from last business year; the national load does the others.
    counts = seed_national_iqas(today=TODAY, iqas=600, years=2)

    assert counts["assessments_assessment"] > 0
    in_a1a = Assessment.objects.filter(team=org.team_a1a)
    assert in_a1a.exists() and not in_a1a.filter(case__urn__contains=URN_MARK).exists()
    assert generated_iqas(URN_MARK).exclude(team=org.team_a1a).exists()


@pytest.fixture
def loaded_small_demo(org, assessor, assessed, colleague, neighbour, dip_sampler):
    for person in (assessed, colleague, neighbour, assessor):
        TeamMembership.objects.filter(person=person).update(starts_on=date(2020, 1, 1))
    counts = load_iqas(
        today=TODAY,
        first_day=business_year(2025).start,
        urn_mark=DEMO_URN_MARK,
        per_person_year=12,
        team_ids=[org.team_a1a.pk],
        demo_logins_in_post=True,
    )
    assert counts["assessments_assessment"] > 0
    assert not Assessment.objects.exclude(team=org.team_a1a).exists()
    return counts
