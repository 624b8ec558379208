"""Planned IQAs: week arithmetic, the home card, linking a recorded IQA to its plan, and the plan list views.

Every test runs on Wednesday 11 June 2025 (the week starting Monday 9 June).
"""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import Activity, Assessment, Case, CaseStage, Court, HalfDay, PlannedAssessment, QuestionSet
from assessments.plan_forms import WEEK_FUTURE_MESSAGE, WEEK_PAST_MESSAGE, PlanForm
from assessments.planning import plan_link, plans_for_home, week_start
from organisation.models import PurviewLevel, Role
from tests.factories import PersonFactory, RoleGrantFactory, TeamMembershipFactory
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = date(2025, 6, 11)
LAST_WEEK, THIS_WEEK, NEXT_WEEK = date(2025, 6, 2), date(2025, 6, 9), date(2025, 6, 16)
_urns = itertools.count(1)


@pytest.fixture(autouse=True)
def wednesday():
    with time_machine.travel(datetime(2025, 6, 11, 12, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def other_assessor(org):
    person = PersonFactory(full_name="Olu Otherassessor")
    TeamMembershipFactory(person=person, team=org.team_a1a)
    RoleGrantFactory(person=person, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1a)
    return person


def make_plan(assessor, assessed, week, activity=Activity.CASE_PROGRESSION, **fields):
    return PlannedAssessment.objects.create(
        assessor=assessor, assessed=assessed, activity=activity, week_starting=week, **fields
    )


def record_iqa(assessor, assessed, team, activity=Activity.CASE_PROGRESSION, recorded_at=None):
    """A recorded IQA with just enough around it (question set, case, half-day) to be saved."""
    question_set, _ = QuestionSet.objects.get_or_create(
        code=activity, version=1, defaults={"name": activity, "activity": activity, "applies_from": date(2020, 4, 1)}
    )
    case = Case.objects.create(
        urn=f"42AB{next(_urns):07d}",
        unit=team.unit,
        court=Court.MAGISTRATES,
        stage=CaseStage.BEFORE_TRIAL,
        registered_by=assessor,
    )
    half_day, _ = HalfDay.objects.get_or_create(
        assessor=assessor, assessed=assessed, activity=activity, work_date=TODAY
    )
    fields = {"recorded_at": recorded_at} if recorded_at else {}
    return Assessment.objects.create(
        assessor=assessor,
        assessed=assessed,
        team=team,
        activity=activity,
        question_set=question_set,
        case=case,
        half_day=half_day,
        work_date=TODAY,
        recorded_on_time=True,
        **fields,
    )


# --- week_start ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2025, 6, 9), date(2025, 6, 9)),  # a Monday is its own week's start
        (date(2025, 6, 11), date(2025, 6, 9)),
        (date(2025, 6, 15), date(2025, 6, 9)),  # Sunday ends the week
        (date(2025, 1, 1), date(2024, 12, 30)),  # across a year end
    ],
)
def test_it_finds_the_monday_of_the_week(day, monday):
    assert week_start(day) == monday


# --- plans_for_home -----------------------------------------------------------------------------------------


def test_it_splits_open_plans_into_overdue_this_week_and_upcoming(
    assessor, assessed, colleague, other_assessor, org, django_assert_num_queries
):
    overdue = make_plan(assessor, assessed, LAST_WEEK)
    due = make_plan(assessor, colleague, THIS_WEEK)
    make_plan(assessor, assessed, NEXT_WEEK)
    make_plan(assessor, colleague, date(2025, 9, 1))
    done = make_plan(assessor, colleague, LAST_WEEK)
    done.assessment = record_iqa(assessor, colleague, org.team_a1a)
    done.save()
    make_plan(other_assessor, assessed, THIS_WEEK)

    # this week's and overdue plans with their people; the count of later ones
    with django_assert_num_queries(2):
        plans = plans_for_home(assessor, TODAY)
        names = [plan.assessed.full_name for plan in plans["due"] + plans["overdue"]]

    assert plans["overdue"] == [overdue]
    assert plans["due"] == [due]
    assert plans["upcoming_count"] == 2
    assert names == ["Casey Colleague", "Alex Assessed"]


def test_it_counts_a_plan_overdue_only_once_its_week_has_ended(assessor, assessed):
    plan = make_plan(assessor, assessed, THIS_WEEK)
    assert plans_for_home(assessor, date(2025, 6, 15))["due"] == [plan]
    assert plans_for_home(assessor, date(2025, 6, 16))["overdue"] == [plan]


def test_it_renders_the_home_card(assessor, assessed, colleague):
    make_plan(assessor, assessed, LAST_WEEK, activity=Activity.ADVICE)
    make_plan(assessor, colleague, THIS_WEEK)
    make_plan(assessor, colleague, NEXT_WEEK)
    body = render_to_string("assessments/_home_plans.html", {"plans": plans_for_home(assessor, TODAY)})
    assert "Overdue</span> Alex Assessed, Advice" in body
    assert "This week</span> Casey Colleague, Case progression" in body
    assert "week of 2 Jun 2025" in body
    assert "1 more planned for later weeks" in body
    assert f'href="{reverse("plan_list")}"' in body


def test_it_renders_the_home_card_when_nothing_is_due(assessor):
    body = render_to_string("assessments/_home_plans.html", {"plans": plans_for_home(assessor, TODAY)})
    assert "Nothing planned for this week and nothing overdue." in body
    assert "more planned" not in body


# --- plan_link ----------------------------------------------------------------------------------------------


def test_it_links_an_iqa_to_the_earliest_open_plan_up_to_its_week(assessor, assessed, org):
    earliest = make_plan(assessor, assessed, LAST_WEEK)
    this_week = make_plan(assessor, assessed, THIS_WEEK)
    iqa = record_iqa(assessor, assessed, org.team_a1a)

    assert plan_link(assessment=iqa) == earliest
    earliest.refresh_from_db()
    assert earliest.assessment == iqa
    # the next IQA settles the next plan
    assert plan_link(assessment=record_iqa(assessor, assessed, org.team_a1a)) == this_week


def test_it_links_only_a_plan_of_the_same_assessor_person_and_activity(
    assessor, assessed, colleague, other_assessor, org
):
    make_plan(other_assessor, assessed, THIS_WEEK)
    make_plan(assessor, colleague, THIS_WEEK)
    make_plan(assessor, assessed, THIS_WEEK, activity=Activity.ADVICE)
    make_plan(assessor, assessed, NEXT_WEEK)  # a later week is not fulfilled early

    assert plan_link(assessment=record_iqa(assessor, assessed, org.team_a1a)) is None
    assert not PlannedAssessment.objects.filter(assessment__isnull=False).exists()


def test_it_takes_the_week_from_when_the_iqa_was_recorded(assessor, assessed, org):
    plan = make_plan(assessor, assessed, NEXT_WEEK)
    # 23:30 on Sunday 15 June in UTC is already Monday 16 June in London (BST)
    late_on_sunday = datetime(2025, 6, 15, 23, 30, tzinfo=ZoneInfo("UTC"))
    iqa = record_iqa(assessor, assessed, org.team_a1a, recorded_at=late_on_sunday)
    assert plan_link(assessment=iqa) == plan


def test_it_never_relinks_a_done_plan(assessor, assessed, org):
    plan = make_plan(assessor, assessed, THIS_WEEK)
    first = record_iqa(assessor, assessed, org.team_a1a)
    assert plan_link(assessment=first) == plan
    assert plan_link(assessment=record_iqa(assessor, assessed, org.team_a1a)) is None
    plan.refresh_from_db()
    assert plan.assessment == first


# --- PlanForm -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("week", "error"),
    [
        ("2025-06-02", None),  # last week's Monday
        ("2025-06-01", WEEK_PAST_MESSAGE),  # the Sunday before it
        ("2026-06-10", None),  # a Wednesday whose Monday is within the year
        ("2026-06-15", WEEK_FUTURE_MESSAGE),
        ("12/06/2025", None),  # typed the British way
        ("junk", "Enter a valid date."),
    ],
)
def test_it_checks_the_planned_week(assessor, assessed, week, error):
    form = PlanForm({"assessed": assessed.pk, "activity": Activity.ADVICE, "week": week}, user=assessor, today=TODAY)
    assert form.is_valid() is (error is None)
    if error:
        assert form.errors["week"] == [error]
    else:
        assert form.cleaned_data["week"].weekday() == 0


# --- Plan list views ----------------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_log_in(client, assessor, assessed):
    plan = make_plan(assessor, assessed, THIS_WEEK)
    for response in (client.get(reverse("plan_list")), client.post(reverse("plan_cancel", args=[plan.pk]))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert PlannedAssessment.objects.exists()


def test_it_is_only_for_assessors(client, assessor, assessed, dip_sampler):
    plan = make_plan(assessor, assessed, THIS_WEEK)
    for person in (assessed, dip_sampler):
        client.force_login(person)
        assert client.get(reverse("plan_list")).status_code == 404
        post = {"assessed": assessed.pk, "activity": Activity.ADVICE, "week": "2025-06-16"}
        assert client.post(reverse("plan_list"), post).status_code == 404
        assert client.post(reverse("plan_cancel", args=[plan.pk])).status_code == 404
    assert PlannedAssessment.objects.get() == plan


def test_it_plans_an_iqa_for_the_monday_of_the_chosen_week(client, assessor, assessed):
    client.force_login(assessor)
    data = {"assessed": assessed.pk, "activity": Activity.CHARGING_REVIEW, "week": "2025-06-19"}
    data["note"] = "Burglary file"
    response = client.post(reverse("plan_list"), with_token(data), follow=True)

    assert response.redirect_chain == [(reverse("plan_list"), 302)]
    plan = PlannedAssessment.objects.get()
    assert (plan.assessor, plan.assessed, plan.activity, plan.week_starting, plan.note) == (
        assessor,
        assessed,
        Activity.CHARGING_REVIEW,
        NEXT_WEEK,
        "Burglary file",
    )
    body = response.content.decode()
    assert "Planned: Charging and review IQA of Alex Assessed, week of 16 Jun 2025." in body
    assert "Burglary file" in body


def test_a_double_submitted_plan_is_made_once(client, assessor, assessed):
    client.force_login(assessor)
    data = with_token({"assessed": assessed.pk, "activity": Activity.ADVICE, "week": "2025-06-19"})
    first = client.post(reverse("plan_list"), data)
    second = client.post(reverse("plan_list"), data, follow=True)
    assert first["Location"] == reverse("plan_list")
    assert second.redirect_chain == [(reverse("plan_list"), 302)]
    assert "Planned: Advice IQA of Alex Assessed, week of 16 Jun 2025." in second.content.decode()
    assert PlannedAssessment.objects.count() == 1


def test_a_plan_posted_without_its_form_token_is_not_made_and_the_form_is_kept(client, assessor, assessed):
    client.force_login(assessor)
    data = {"assessed": assessed.pk, "activity": Activity.ADVICE, "week": "2025-06-19", "note": "Keep me"}
    response = client.post(reverse("plan_list"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This form had expired, so nothing was saved." in body
    assert 'value="Keep me"' in body and 'name="form_token"' in body
    assert not PlannedAssessment.objects.exists()


def test_it_keeps_what_was_typed_when_the_plan_is_refused(client, assessor, assessed):
    client.force_login(assessor)
    data = {"assessed": assessed.pk, "activity": Activity.ADVICE, "week": "2025-05-01", "note": "Keep this note"}
    response = client.post(reverse("plan_list"), data)

    assert response.status_code == 200
    assert not PlannedAssessment.objects.exists()
    body = response.content.decode()
    assert WEEK_PAST_MESSAGE in body
    assert 'value="Keep this note"' in body
    assert 'value="2025-05-01"' in body
    assert f'<option value="{assessed.pk}" selected>' in body
    assert '<option value="advice" selected>' in body


def test_it_refuses_to_plan_someone_outside_the_assessors_scope(client, assessor, assessed, neighbour, outsider):
    client.force_login(assessor)
    for person in (neighbour, outsider, assessor):
        data = {"assessed": person.pk, "activity": Activity.ADVICE, "week": "2025-06-16"}
        response = client.post(reverse("plan_list"), data)
        assert response.status_code == 200
        assert response.context["form"].errors["assessed"] == ["Choose someone in your assessor purview."]
    assert not PlannedAssessment.objects.exists()
    # and only people in scope are offered
    choices = [person for person in response.context["form"].fields["assessed"].queryset]
    assert choices == [assessed]


def test_it_lists_only_the_users_own_plans_with_their_status(client, assessor, other_assessor, assessed, org):
    done = make_plan(assessor, assessed, LAST_WEEK)
    done.assessment = record_iqa(assessor, assessed, org.team_a1a)
    done.save()
    overdue = make_plan(assessor, assessed, LAST_WEEK, note="Overdue one")
    this_week = make_plan(assessor, assessed, THIS_WEEK)
    planned = make_plan(assessor, assessed, NEXT_WEEK)
    make_plan(other_assessor, assessed, THIS_WEEK, note="Not yours")
    client.force_login(assessor)

    response = client.get(reverse("plan_list"), {"show": "all"})
    rows = [(plan, plan.status) for plan in response.context["page"]]
    assert rows == [(overdue, "Overdue"), (this_week, "This week"), (planned, "Planned"), (done, "Done")]
    assert "Not yours" not in response.content.decode()

    assert list(client.get(reverse("plan_list")).context["page"]) == [overdue, this_week, planned]
    assert list(client.get(reverse("plan_list"), {"show": "done"}).context["page"]) == [done]
    assert client.get(reverse("plan_list"), {"show": "junk"}).context["show"] == "open"


def test_it_says_so_when_there_are_no_plans(client, assessor):
    client.force_login(assessor)
    assert "You have no open plans" in client.get(reverse("plan_list")).content.decode()


def test_it_paginates_plans(client, assessor, assessed):
    for _ in range(30):
        make_plan(assessor, assessed, NEXT_WEEK)
    client.force_login(assessor)
    assert len(client.get(reverse("plan_list")).context["page"]) == 25
    second = client.get(reverse("plan_list"), {"show": "open", "page": 2})
    assert len(second.context["page"]) == 5
    assert "?show=open&amp;page=1" in second.content.decode()  # the link keeps the list's filter


def test_it_lists_plans_in_constant_queries(client, assessor, assessed, colleague, django_assert_num_queries):
    client.force_login(assessor)
    url = reverse("plan_list")

    def plans_page_queries(count):
        PlannedAssessment.objects.all().delete()
        for number in range(count):
            make_plan(assessor, assessed if number % 2 else colleague, NEXT_WEEK)
        # session, user, roles held, assessor purviews for the form, plan count, plans with their people,
        # people offered in the form, session save (savepoint, update, release)
        with django_assert_num_queries(10):
            response = client.get(url)
        return len(response.context["page"])

    assert plans_page_queries(3) == 3
    assert plans_page_queries(30) == 25


def test_it_cancels_the_users_own_open_plan(client, assessor, assessed):
    plan = make_plan(assessor, assessed, THIS_WEEK)
    client.force_login(assessor)
    response = client.post(reverse("plan_cancel", args=[plan.pk]), follow=True)
    assert response.redirect_chain == [(reverse("plan_list"), 302)]
    assert "Cancelled: Case progression IQA of Alex Assessed" in response.content.decode()
    assert not PlannedAssessment.objects.exists()


def test_it_checks_ownership_when_cancelling(client, assessor, other_assessor, assessed, org):
    theirs = make_plan(other_assessor, assessed, THIS_WEEK)
    done = make_plan(assessor, assessed, LAST_WEEK)
    done.assessment = record_iqa(assessor, assessed, org.team_a1a)
    done.save()
    client.force_login(assessor)
    assert client.post(reverse("plan_cancel", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("plan_cancel", args=[done.pk])).status_code == 404
    assert client.post(reverse("plan_cancel", args=[999999])).status_code == 404
    assert PlannedAssessment.objects.count() == 2


def test_it_cancels_only_by_post(client, assessor, assessed):
    plan = make_plan(assessor, assessed, THIS_WEEK)
    client.force_login(assessor)
    assert client.get(reverse("plan_cancel", args=[plan.pk])).status_code == 405
    assert PlannedAssessment.objects.exists()
