"""The scrutiny screens: who sees what (outsiders get a 404), the applicant's name kept to those who may see it,
recording a scrutiny with its actions, the MOT selection, the overview, the closed-case review, and pinned
query counts that do not grow with the data."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import PurviewLevel, Role
from scrutiny import closed_sample, services
from scrutiny.models import (
    ClosedCaseDipSample,
    DecidedBy,
    Decision,
    MilestoneAction,
    MilestoneKind,
    MilestoneStatus,
    OneToOneNote,
)
from tests.conftest import _person_in
from tests.factories import RoleGrantFactory
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
APPLICANT = "Jordan Applicant"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def overdue_case(make_case):
    """Allocated 11 months ago: the 10-month scrutiny is overdue."""
    return make_case(date(2025, 12, 20), applicant_name=APPLICANT, reference="CCRC/00042/2025")


def milestone(case, kind):
    return case.milestones.get(kind=kind)


def urls_of(case):
    ten_month = milestone(case, MilestoneKind.TEN_MONTH)
    return [
        reverse("scrutiny_case_detail", args=[case.pk]),
        reverse("scrutiny_milestone_record", args=[ten_month.pk]),
    ]


# --- Who sees what --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["group_leader", "case_review_manager", "scrutiny_manager"])
def test_the_people_named_on_a_case_and_scrutiny_holders_over_it_see_it_and_its_applicant(
    client, request, overdue_case, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(reverse("scrutiny_case_detail", args=[overdue_case.pk]))
    assert response.status_code == 200
    assert response.context["show_applicant"] is True
    assert APPLICANT in response.content.decode()


@pytest.mark.parametrize("viewer", ["outsider", "assessor", "dip_sampler", "national_viewer", "colleague"])
def test_nobody_else_sees_a_case_or_can_record_its_scrutiny(client, request, overdue_case, viewer):
    client.force_login(request.getfixturevalue(viewer))
    for url in urls_of(overdue_case):
        assert client.get(url).status_code == 404
    assert client.post(reverse("scrutiny_one_to_one", args=[overdue_case.pk])).status_code == 404
    response = client.get(reverse("scrutiny_case_list"))
    assert list(response.context["page"]) == []


def test_a_scrutiny_holder_over_another_area_gets_a_404(client, org, overdue_case):
    other = _person_in(org.team_b1a, full_name="Bea Elsewhere")
    RoleGrantFactory(person=other, role=Role.CASE_SCRUTINY, level=PurviewLevel.AREA, team=None, area=org.area_b)
    client.force_login(other)
    assert client.get(reverse("scrutiny_case_detail", args=[overdue_case.pk])).status_code == 404
    assert client.get(reverse("scrutiny_overview")).context["overview"].open_total == 0


def test_the_case_review_manager_sees_the_case_but_does_not_record_its_scrutiny(
    client, overdue_case, case_review_manager
):
    client.force_login(case_review_manager)
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    assert client.get(reverse("scrutiny_milestone_record", args=[ten_month.pk])).status_code == 404
    response = client.get(reverse("scrutiny_case_detail", args=[overdue_case.pk]))
    assert response.context["may_scrutinise"] is False
    assert response.context["one_to_one_form"] is not None


def test_only_case_scrutiny_holders_open_the_mot_selection_and_the_overview(client, case_review_manager, outsider):
    for person in (case_review_manager, outsider):  # named on no case yet
        client.force_login(person)
        assert client.get(reverse("scrutiny_mot_selection")).status_code == 404
        assert client.get(reverse("scrutiny_overview")).status_code == 404


def test_a_case_review_manager_sent_to_the_overview_lands_on_their_cases_not_a_404(
    client, overdue_case, case_review_manager, outsider
):
    client.force_login(case_review_manager)
    for name in ("scrutiny_overview", "scrutiny_mot_selection"):
        response = client.get(reverse(name), follow=True)
        assert response.redirect_chain == [(reverse("scrutiny_case_list"), 302)]
        assert [case.pk for case in response.context["page"]] == [overdue_case.pk]
        assert "for group leaders and managers with case scrutiny" in response.content.decode()
    client.force_login(outsider)
    assert client.get(reverse("scrutiny_overview")).status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in(client, overdue_case):
    urls = [
        *urls_of(overdue_case),
        reverse("scrutiny_case_list"),
        reverse("scrutiny_overview"),
        reverse("scrutiny_mot_selection"),
        reverse("scrutiny_closed_list"),
        reverse("scrutiny_closed_review", args=[1]),
        reverse("scrutiny_action_follow_up", args=[1]),
        reverse("scrutiny_case_open"),
        reverse("scrutiny_case_edit", args=[overdue_case.pk]),
        reverse("scrutiny_case_close", args=[overdue_case.pk]),
    ]
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/"), url
    for url in (reverse("scrutiny_one_to_one", args=[overdue_case.pk]), reverse("scrutiny_case_reopen", args=[1])):
        assert client.post(url)["Location"].startswith("/accounts/login/"), url


def test_the_overview_shows_counts_and_never_an_applicants_name(client, scrutiny_manager, overdue_case):
    client.force_login(scrutiny_manager)
    content = client.get(reverse("scrutiny_overview")).content.decode()
    assert APPLICANT not in content
    assert overdue_case.reference not in content


# --- The case list ---------------------------------------------------------------------------------------------


def test_the_list_shows_each_case_with_its_next_milestone_and_how_it_stands(client, make_case, group_leader):
    overdue = make_case(date(2025, 12, 20))
    soon = make_case(date(2026, 10, 12))  # MOT due 23 November: due soon
    new = make_case(date(2026, 11, 19))
    for case in (overdue, soon, new):
        mot = milestone(case, MilestoneKind.MOT)
        if case is overdue:
            mot.status = MilestoneStatus.NOT_SELECTED
            mot.save()
    client.force_login(group_leader)
    rows = {case.pk: case for case in client.get(reverse("scrutiny_case_list")).context["page"]}
    assert (rows[overdue.pk].next_kind, rows[overdue.pk].next_timing) == ("ten_month", "overdue")
    assert (rows[soon.pk].next_kind, rows[soon.pk].next_timing) == ("mot", "due_soon")
    assert (rows[new.pk].next_kind, rows[new.pk].next_timing) == ("mot", "upcoming")

    filtered = client.get(reverse("scrutiny_case_list"), {"timing": "overdue"}).context["page"]
    assert [case.pk for case in filtered] == [overdue.pk]
    by_kind = client.get(reverse("scrutiny_case_list"), {"next_kind": "mot"}).context["page"]
    assert {case.pk for case in by_kind} == {soon.pk, new.pk}


def test_the_list_leaves_closed_cases_out_unless_asked(client, make_case, group_leader):
    case = make_case(date(2026, 1, 5))
    services.case_review_close(
        case_review=case,
        user=case.group_leader,
        decision=Decision.REFERRAL,
        decided_by=DecidedBy.COMMITTEE,
        heard_by_lrcc=False,
        closed_on=TODAY,
    )
    client.force_login(group_leader)
    assert list(client.get(reverse("scrutiny_case_list")).context["page"]) == []
    closed = client.get(reverse("scrutiny_case_list"), {"status": "closed"}).context["page"]
    assert [c.pk for c in closed] == [case.pk]


def test_a_bad_filter_value_is_refused_without_an_error_page(client, group_leader):
    client.force_login(group_leader)
    response = client.get(reverse("scrutiny_case_list"), {"timing": "whenever", "status": "nonsense"})
    assert response.status_code == 200
    assert "timing" in response.context["filter"].form.errors


# --- Recording a scrutiny --------------------------------------------------------------------------------------


def record_post(owner, **overrides):
    data = {
        "done_on": "2026-11-19",
        "case_plan_fit_for_purpose": "no",
        "causes_of_delay": "Waiting for the trial papers.",
        "outcome": "Plan revised; expert instructed.",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Chase the Crown Court for the trial papers",
        "actions-0-owner": str(owner.pk),
        "actions-0-due_on": "2026-12-04",
        "actions-1-description": "",
        "actions-1-owner": "",
        "actions-1-due_on": "",
    }
    return {**data, **overrides}


def test_the_group_leader_records_an_overdue_10_month_scrutiny_with_an_action(
    client, overdue_case, group_leader, case_review_manager
):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    client.force_login(group_leader)
    response = client.post(reverse("scrutiny_milestone_record", args=[ten_month.pk]), record_post(case_review_manager))
    assert response.status_code == 302
    ten_month.refresh_from_db()
    assert (ten_month.status, ten_month.done_on, ten_month.done_by) == (
        MilestoneStatus.DONE,
        date(2026, 11, 19),
        group_leader,
    )
    action = MilestoneAction.objects.get()
    assert (action.owner, action.due_on) == (case_review_manager, date(2026, 12, 4))
    page = client.get(reverse("scrutiny_case_detail", args=[overdue_case.pk])).content.decode()
    assert "Chase the Crown Court for the trial papers" in page


def test_bad_input_is_refused_next_to_the_field_and_keeps_what_was_typed(
    client, overdue_case, group_leader, case_review_manager
):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    client.force_login(group_leader)
    data = record_post(
        case_review_manager,
        done_on="2026-12-25",
        outcome="",
        **{"actions-0-owner": "", "actions-0-due_on": "not a date"},
    )
    response = client.post(reverse("scrutiny_milestone_record", args=[ten_month.pk]), data)
    assert response.status_code == 200
    form, actions = response.context["form"], response.context["actions"]
    assert form.errors["done_on"] == ["This date is in the future."]
    assert form.errors["outcome"] == ["Write what the scrutiny found and decided."]
    assert actions[0].errors["owner"] == ["Choose who owns the action."]
    assert "due_on" in actions[0].errors
    content = response.content.decode()
    assert "Waiting for the trial papers." in content and "Chase the Crown Court for the trial papers" in content
    ten_month.refresh_from_db()
    assert ten_month.status == MilestoneStatus.PENDING


def test_an_action_owner_from_outside_the_unit_is_refused(client, overdue_case, group_leader, outsider):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    client.force_login(group_leader)
    response = client.post(reverse("scrutiny_milestone_record", args=[ten_month.pk]), record_post(outsider))
    assert response.status_code == 200
    assert "owner" in response.context["actions"][0].errors


def test_a_done_milestone_cannot_be_recorded_again(client, overdue_case, group_leader, case_review_manager):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    client.force_login(group_leader)
    url = reverse("scrutiny_milestone_record", args=[ten_month.pk])
    client.post(url, record_post(case_review_manager))
    response = client.post(url, record_post(case_review_manager))
    assert response.status_code == 302
    assert MilestoneAction.objects.count() == 1


def test_the_group_leader_follows_up_an_action(client, overdue_case, group_leader, case_review_manager):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    client.force_login(group_leader)
    client.post(reverse("scrutiny_milestone_record", args=[ten_month.pk]), record_post(case_review_manager))
    action = MilestoneAction.objects.get()
    url = reverse("scrutiny_action_follow_up", args=[action.pk])
    assert client.post(url, {"completed_on": "", "follow_up": ""}).status_code == 200
    client.post(url, {"completed_on": "2026-11-20", "follow_up": "Papers received."})
    action.refresh_from_db()
    assert (action.completed_on, action.follow_up) == (TODAY, "Papers received.")


def test_the_case_review_manager_follows_up_an_action_they_own(client, overdue_case, group_leader, case_review_manager):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    actions = [
        services.ActionInput("Chase the transcript", case_review_manager.pk, TODAY),
        services.ActionInput("Brief the commissioner", group_leader.pk, TODAY),
    ]
    services.milestone_record(
        milestone=ten_month,
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="x",
        actions=actions,
    )
    own, not_own = ten_month.actions.order_by("pk")
    client.force_login(case_review_manager)
    page = client.get(reverse("scrutiny_case_detail", args=[overdue_case.pk])).content.decode()
    assert reverse("scrutiny_action_follow_up", args=[own.pk]) in page
    assert reverse("scrutiny_action_follow_up", args=[not_own.pk]) not in page
    url = reverse("scrutiny_action_follow_up", args=[own.pk])
    response = client.post(url, {"completed_on": "2026-11-19", "follow_up": "Transcript received."})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.completed_on, own.follow_up) == (date(2026, 11, 19), "Transcript received.")
    assert client.get(reverse("scrutiny_action_follow_up", args=[not_own.pk])).status_code == 404


@pytest.mark.parametrize("viewer", ["outsider", "case_review_manager"])
def test_only_those_who_scrutinise_or_own_it_follow_up_an_action(client, request, overdue_case, group_leader, viewer):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    action = services.milestone_record(
        milestone=ten_month,
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="x",
        actions=[services.ActionInput("Chase", group_leader.pk, TODAY)],
    ).actions.get()
    client.force_login(request.getfixturevalue(viewer))
    url = reverse("scrutiny_action_follow_up", args=[action.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"completed_on": "2026-11-20", "follow_up": "Done."}).status_code == 404
    action.refresh_from_db()
    assert action.follow_up == ""


def test_the_case_review_manager_records_a_1_to_1_and_bad_input_is_kept(client, overdue_case, case_review_manager):
    client.force_login(case_review_manager)
    url = reverse("scrutiny_one_to_one", args=[overdue_case.pk])
    response = client.post(url, {"met_on": "2026-11-18", "note": ""})
    assert response.status_code == 200
    assert response.context["one_to_one_form"].errors["note"] == ["Write what was discussed and agreed."]
    client.post(url, with_token({"met_on": "2026-11-18", "note": "Expert report chased; next 1:1 in December."}))
    assert OneToOneNote.objects.get().recorded_by == case_review_manager


def test_a_double_submitted_1_to_1_note_is_recorded_once(client, overdue_case, case_review_manager):
    client.force_login(case_review_manager)
    url = reverse("scrutiny_one_to_one", args=[overdue_case.pk])
    page = reverse("scrutiny_case_detail", args=[overdue_case.pk])
    token = re.search(r'name="form_token" value="([^"]+)"', client.get(page).content.decode()).group(1)
    data = {"met_on": "2026-11-18", "note": "Expert report chased.", "form_token": token}
    responses = [client.post(url, data) for _ in range(2)]
    assert [response["Location"] for response in responses] == [f"{page}#one-to-ones"] * 2
    assert OneToOneNote.objects.count() == 1


def test_a_1_to_1_note_posted_without_its_form_token_is_not_recorded(client, overdue_case, case_review_manager):
    client.force_login(case_review_manager)
    url = reverse("scrutiny_one_to_one", args=[overdue_case.pk])
    response = client.post(url, {"met_on": "2026-11-18", "note": "Kept as typed."})
    body = response.content.decode()
    assert "This form had expired, so nothing was saved." in body and "Kept as typed.</textarea>" in body
    assert not OneToOneNote.objects.exists()


# --- MOT selection --------------------------------------------------------------------------------------------


def test_the_group_leader_selects_cases_past_6_weeks_for_the_mot(client, make_case, group_leader):
    chosen, passed = make_case(date(2026, 9, 1)), make_case(date(2026, 9, 2))
    make_case(date(2026, 11, 1))  # not yet 6 weeks
    client.force_login(group_leader)
    proposals = list(client.get(reverse("scrutiny_mot_selection")).context["page"])
    assert [m.case_review for m in proposals] == [chosen, passed]
    mots = {m.case_review_id: m.pk for m in proposals}
    response = client.post(
        reverse("scrutiny_mot_selection"),
        {"proposed": [mots[chosen.pk], mots[passed.pk]], "selected": [mots[chosen.pk]]},
    )
    assert response.status_code == 302
    assert milestone(chosen, MilestoneKind.MOT).selected_by == group_leader
    assert milestone(passed, MilestoneKind.MOT).status == MilestoneStatus.NOT_SELECTED
    assert list(client.get(reverse("scrutiny_mot_selection")).context["page"]) == []


def test_the_mot_selection_ignores_ids_outside_the_users_purview(client, make_case, org, group_leader, outsider):
    theirs = make_case(date(2026, 9, 1))
    other = _person_in(org.team_b1a, full_name="Bea Elsewhere")
    RoleGrantFactory(person=other, role=Role.CASE_SCRUTINY, level=PurviewLevel.AREA, team=None, area=org.area_b)
    mot = milestone(theirs, MilestoneKind.MOT)
    client.force_login(other)
    client.post(reverse("scrutiny_mot_selection"), {"proposed": [mot.pk], "selected": []})
    assert milestone(theirs, MilestoneKind.MOT).status == MilestoneStatus.PENDING


# --- The overview ---------------------------------------------------------------------------------------------


def test_the_overview_counts_open_cases_by_age_overdue_milestones_and_mot_coverage(
    client, make_case, scrutiny_manager, group_leader
):
    make_case(date(2026, 11, 1))  # under 6 weeks
    done_mot = make_case(date(2026, 9, 1))  # 6 weeks - 10 months, MOT overdue until done
    services.milestone_record(
        milestone=milestone(done_mot, MilestoneKind.MOT),
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="Fine",
    )
    make_case(date(2025, 12, 20))  # 10 months - 2 years: MOT and 10-month overdue
    make_case(date(2024, 11, 20))  # exactly 2 years today: over 2 years, LRCC due today (not overdue)
    client.force_login(scrutiny_manager)
    overview = client.get(reverse("scrutiny_overview")).context["overview"]
    assert [count for _, count in overview.bands] == [1, 1, 1, 1]
    assert overview.overdue == {
        "6-week case-plan MOT": 2,
        "10-month scrutiny": 2,
        "Long-Running Cases Review Committee (2 years)": 0,
    }
    assert (overview.mot_past_6_weeks, overview.mot_done, overview.mot_coverage_percent) == (3, 1, Decimal("33.3"))
    assert overview.mot_selected == 0  # the done one is counted as done, not as still to do


# --- The closed-case review -----------------------------------------------------------------------------------


@pytest.fixture
def drawn(make_case, org):
    case = make_case(date(2025, 3, 1), applicant_name=APPLICANT)
    services.case_review_close(
        case_review=case,
        user=case.group_leader,
        decision=Decision.NON_REFERRAL,
        decided_by=DecidedBy.SINGLE,
        heard_by_lrcc=False,
        closed_on=date(2026, 10, 5),
    )
    reviewer = _person_in(org.team_a1b, full_name="Rita Reviewer")
    RoleGrantFactory(person=reviewer, role=Role.CASE_SCRUTINY, level=PurviewLevel.UNIT, team=None, unit=org.unit_a1)
    sample = closed_sample.closed_case_sample_draw(today=date(2026, 11, 2))
    return sample.items.get()


def review_post(**overrides):
    data = {
        "factually_correct": "yes",
        "logically_and_legally_sound": "yes",
        "clearly_reasoned": "no",
        "accurate": "yes",
        "timely": "yes",
        "in_the_interests_of_justice": "yes",
        "comments": "",
        "should_reopen": "no",
        "reopen_reasons": "",
    }
    return {**data, **overrides}


def test_the_reviewer_records_the_closed_case_review(client, drawn):
    client.force_login(drawn.reviewer)
    url = reverse("scrutiny_closed_review", args=[drawn.pk])
    response = client.post(url, review_post())
    assert response.status_code == 200
    assert response.context["form"].errors["comments"] == [
        "Say why the decision falls short where a quality is not met."
    ]
    response = client.post(url, review_post(comments="The reasons do not address the fresh evidence."))
    assert response.status_code == 302
    drawn.refresh_from_db()
    assert (drawn.clearly_reasoned, drawn.factually_correct, drawn.should_reopen, drawn.reviewed_on) == (
        False,
        True,
        False,
        TODAY,
    )


def test_only_its_reviewer_records_a_closed_case_review(drawn, group_leader):
    with pytest.raises(ValidationError, match="Only the reviewer"):
        closed_sample.closed_case_review_record(item=drawn, user=group_leader, comments="x")
    drawn.refresh_from_db()
    assert drawn.reviewed_on is None


def test_the_closed_case_review_is_not_for_outsiders(client, drawn, outsider, case_review_manager):
    for person in (outsider, case_review_manager):
        client.force_login(person)
        assert client.get(reverse("scrutiny_closed_review", args=[drawn.pk])).status_code == 404
        assert list(client.get(reverse("scrutiny_closed_list")).context["page"]) == []


# --- Query counts ---------------------------------------------------------------------------------------------


def test_the_case_list_runs_in_constant_queries(client, make_case, group_leader, django_assert_num_queries):
    client.force_login(group_leader)

    def queries_for(count):
        for number in range(count):
            make_case(date(2025, 1, 1) + timedelta(days=number * 20))
        # session, user, grants (roles and purviews), whether they may open a case, count, page rows with their next
        # milestone; the session saved (savepoint, update, release)
        with django_assert_num_queries(9):
            response = client.get(reverse("scrutiny_case_list"))
        return len(response.context["page"])

    assert queries_for(2) == 2
    assert queries_for(28) == 25


def test_the_case_page_runs_in_constant_queries(
    client, overdue_case, group_leader, case_review_manager, django_assert_num_queries
):
    client.force_login(group_leader)
    url = reverse("scrutiny_case_detail", args=[overdue_case.pk])

    def page_queries():
        # session, user, grants (roles and purviews), the case, milestones, their actions, 1:1 notes, the case's
        # team among the purviews (permissions); the session saved (3)
        with django_assert_num_queries(11):
            client.get(url)

    page_queries()
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    actions = [services.ActionInput(f"Action {n}", case_review_manager.pk, TODAY) for n in range(5)]
    services.milestone_record(
        milestone=ten_month,
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="x",
        actions=actions,
    )
    for n in range(5):
        services.one_to_one_record(case_review=overdue_case, user=group_leader, met_on=TODAY, note=f"Note {n}")
    page_queries()


def test_the_overview_runs_in_constant_queries(client, make_case, scrutiny_manager, django_assert_num_queries):
    client.force_login(scrutiny_manager)

    def page_queries(count):
        for number in range(count):
            make_case(date(2024, 1, 1) + timedelta(days=number * 30))
        # session, user, grants (roles and purviews), age bands, milestones; the session saved (3)
        with django_assert_num_queries(8):
            client.get(reverse("scrutiny_overview"))

    page_queries(1)
    page_queries(20)


def test_the_mot_selection_runs_in_constant_queries(client, make_case, group_leader, django_assert_num_queries):
    client.force_login(group_leader)

    def page_queries(count):
        for number in range(count):
            make_case(date(2026, 1, 1) + timedelta(days=number))
        # session, user, grants (roles and purviews), count, proposals with their cases; the session saved (3)
        with django_assert_num_queries(8):
            client.get(reverse("scrutiny_mot_selection"))

    page_queries(1)
    page_queries(30)


def test_the_closed_case_pages_run_in_constant_queries(client, drawn, make_case, django_assert_num_queries):
    client.force_login(drawn.reviewer)

    def page_queries():
        # session, user, grants (roles and purviews), count, the items with their cases; the session saved (3)
        with django_assert_num_queries(8):
            client.get(reverse("scrutiny_closed_list"))
        # session, user, grants (roles and purviews), the item with its case, permissions (the case's team among
        # the purviews); saved (3)
        with django_assert_num_queries(8):
            client.get(reverse("scrutiny_closed_review", args=[drawn.pk]))

    page_queries()
    for _ in range(5):
        case = make_case(date(2025, 3, 1))
        services.case_review_close(
            case_review=case,
            user=case.group_leader,
            decision=Decision.NON_REFERRAL,
            decided_by=DecidedBy.SINGLE,
            heard_by_lrcc=False,
            closed_on=TODAY,
        )
        ClosedCaseDipSample.objects.create(sample=drawn.sample, case_review=case, reviewer=drawn.reviewer)
    page_queries()


def test_the_record_page_runs_in_constant_queries(client, overdue_case, group_leader, django_assert_num_queries):
    client.force_login(group_leader)
    url = reverse("scrutiny_milestone_record", args=[milestone(overdue_case, MilestoneKind.TEN_MONTH).pk])
    # session, user, grants (roles and purviews), the milestone with its case, permissions (the case's team among
    # the purviews), the action owners for each of the two action rows; the session saved (3)
    with django_assert_num_queries(10):
        client.get(url)


# --- The home page card ---------------------------------------------------------------------------------------


def test_the_home_page_tells_a_group_leader_of_milestones_due_and_overdue(
    client, make_case, group_leader, case_review_manager
):
    make_case(date(2025, 12, 20))  # MOT and 10-month overdue
    make_case(date(2026, 10, 12))  # MOT due on 23 November
    make_case(date(2026, 11, 19))  # nothing due yet
    client.force_login(group_leader)
    assert client.get("/").context["scrutiny_card"] == {"overdue": 2, "due": 1}
    client.force_login(case_review_manager)  # named on the three: sees the card for their own cases
    assert client.get("/").context["scrutiny_card"] == {"overdue": 2, "due": 1}


def test_the_home_card_costs_two_queries_whatever_the_data(client, make_case, group_leader):
    client.force_login(group_leader)

    def home_queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/")
        return len(captured)

    make_case(date(2025, 12, 20))
    few = home_queries()
    for number in range(20):
        make_case(date(2025, 1, 1) + timedelta(days=number * 15))
    assert home_queries() == few


def test_the_follow_up_page_runs_in_constant_queries(
    client, overdue_case, group_leader, case_review_manager, django_assert_num_queries
):
    ten_month = milestone(overdue_case, MilestoneKind.TEN_MONTH)
    actions = [services.ActionInput(f"Action {n}", case_review_manager.pk, TODAY) for n in range(6)]
    recorded = services.milestone_record(
        milestone=ten_month,
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="x",
        actions=actions,
    )
    client.force_login(group_leader)
    for action in recorded.actions.all()[:2]:
        # session, user, grants (roles and purviews), the action with its milestone, case and owner, permissions
        # (the case's team among the purviews); the session saved (3)
        with django_assert_num_queries(8):
            client.get(reverse("scrutiny_action_follow_up", args=[action.pk]))
