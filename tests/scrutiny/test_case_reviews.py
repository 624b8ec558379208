"""Case reviews opened, changed, closed and reopened in the app: the services (keyword-only, refusing with
ValidationError), the forms and who may use them (the case's CRM and group leader, case scrutiny holders over it;
everyone else a 404), the CRM's way in (navigation, no query per page), and "Add another action"."""

from datetime import date

import pghistory.models
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import PurviewLevel, Role
from scrutiny import services
from scrutiny.forms import MAX_ACTIONS, TOO_MANY_ACTIONS
from scrutiny.models import CaseReview, CaseReviewStatus, MilestoneKind, MilestoneStatus
from tests.conftest import _person_in
from tests.factories import RoleGrantFactory
from tests.form_tokens import with_token

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)  # a Friday


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def case(make_case):
    """Allocated 28 January 2026: 10 months on is Saturday 28 November."""
    return make_case(date(2026, 1, 28), reference="CCRC/00042/2026", applicant_name="Jordan Applicant")


def details(org, crm, leader, **changes):
    return {
        "reference": "CCRC/00100/2026",
        "applicant_name": "Robin Applicant",
        "offence_summary": "Robbery (2019), conviction",
        "allocated_on": date(2026, 1, 28),
        "team": org.team_a1a,
        "case_review_manager": crm,
        "group_leader": leader,
        **changes,
    }


def form_data(org, crm, leader, **changes):
    data = {
        "reference": "CCRC/00100/2026",
        "applicant_name": "Robin Applicant",
        "offence_summary": "Robbery (2019), conviction",
        "allocated_on": "2026-01-28",
        "team": org.team_a1a.pk,
        "case_review_manager": crm.pk,
        "group_leader": leader.pk,
    }
    return {**data, **changes}


# --- The services -----------------------------------------------------------------------------------------------


def test_opening_a_case_gives_it_its_three_milestones_on_working_days(org, group_leader, case_review_manager):
    case = services.case_review_open(user=group_leader, **details(org, case_review_manager, group_leader))
    due = {m.kind: (m.due_on, m.status) for m in case.milestones.all()}
    assert due == {
        MilestoneKind.MOT: (date(2026, 3, 11), MilestoneStatus.PENDING),
        MilestoneKind.TEN_MONTH: (date(2026, 11, 30), MilestoneStatus.PENDING),  # not Saturday 28 November
        MilestoneKind.LRCC: (date(2028, 1, 28), MilestoneStatus.PENDING),
    }
    events = pghistory.models.Events.objects.tracks(case)
    assert [event.pgh_label for event in events] == ["insert"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reference": "CCRC/00042/2026"}, "reference", "Another case review has this reference"),
        ({"reference": "  "}, "reference", "Enter the CCRC case reference"),
        ({"allocated_on": date(2026, 11, 21)}, "allocated_on", "in the future"),
        ({"group_leader": "case_review_manager"}, "group_leader", "choose someone else"),
        ({"team": "team_b1a"}, "team", "Choose a team you oversee"),
        ({"case_review_manager": "outsider"}, "case_review_manager", "Choose someone in post"),
    ],
)
def test_opening_refuses_what_does_not_add_up(
    request, org, case, group_leader, case_review_manager, change, field, message
):
    for name, value in change.items():
        if isinstance(value, str) and name != "reference":
            change[name] = getattr(org, value) if value.startswith("team") else request.getfixturevalue(value)
    with pytest.raises(ValidationError) as error:
        services.case_review_open(user=group_leader, **details(org, case_review_manager, group_leader, **change))
    assert message in " ".join(error.value.message_dict[field])
    assert CaseReview.objects.count() == 1


def test_a_crm_opens_a_case_in_their_team_naming_themselves_but_not_one_they_would_not_see(
    org, case, group_leader, case_review_manager, colleague
):
    opened = services.case_review_open(user=case_review_manager, **details(org, case_review_manager, group_leader))
    assert opened.case_review_manager == case_review_manager
    with pytest.raises(ValidationError) as error:
        services.case_review_open(
            user=case_review_manager,
            **details(org, colleague, group_leader, reference="CCRC/00101/2026"),
        )
    assert "You would no longer see this case" in error.value.messages[0]


def test_someone_named_on_no_case_and_without_the_role_opens_none(org, colleague, group_leader):
    with pytest.raises(ValidationError) as error:
        services.case_review_open(user=colleague, **details(org, colleague, group_leader))
    assert "team" in error.value.message_dict


def test_updating_moves_pending_milestones_and_records_a_provisional_decision(case, group_leader):
    services.case_review_update(
        user=group_leader,
        case_review=case,
        status=CaseReviewStatus.PROVISIONAL_DECISION,
        allocated_on=date(2026, 1, 30),
        offence_summary="  Murder (2009), conviction  ",
    )
    case.refresh_from_db()
    assert (case.status, case.offence_summary) == (CaseReviewStatus.PROVISIONAL_DECISION, "Murder (2009), conviction")
    assert case.milestones.get(kind=MilestoneKind.TEN_MONTH).due_on == date(2026, 11, 30)
    assert case.milestones.get(kind=MilestoneKind.MOT).due_on == date(2026, 3, 13)
    with pytest.raises(ValidationError):
        services.case_review_update(user=group_leader, case_review=case, status=CaseReviewStatus.CLOSED)


def test_closing_and_reopening_refuse_a_case_already_there(case):
    with pytest.raises(ValidationError):
        services.case_review_reopen(case_review=case, user=case.group_leader)
    services.case_review_close(
        case_review=case,
        user=case.group_leader,
        decision="non_referral",
        decided_by="single",
        heard_by_lrcc=False,
        closed_on=TODAY,
    )
    with pytest.raises(ValidationError):
        services.case_review_close(
            case_review=case,
            user=case.group_leader,
            decision="referral",
            decided_by="committee",
            heard_by_lrcc=False,
            closed_on=TODAY,
        )
    with pytest.raises(ValidationError):
        services.case_review_update(user=None, case_review=case, status=CaseReviewStatus.UNDER_REVIEW)
    services.case_review_reopen(case_review=case, user=case.group_leader)
    case.refresh_from_db()
    assert case.status == CaseReviewStatus.UNDER_REVIEW and case.decision == ""


# --- The forms: who may use them ---------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["group_leader", "case_review_manager", "scrutiny_manager"])
def test_the_case_is_changed_closed_and_reopened_by_those_it_names_and_those_over_it(client, request, case, viewer):
    client.force_login(request.getfixturevalue(viewer))
    detail = client.get(reverse("scrutiny_case_detail", args=[case.pk])).content.decode()
    assert reverse("scrutiny_case_edit", args=[case.pk]) in detail
    assert reverse("scrutiny_case_close", args=[case.pk]) in detail
    assert client.get(reverse("scrutiny_case_edit", args=[case.pk])).status_code == 200
    data = {"decision": "non_referral", "decided_by": "single", "closed_on": "2026-11-19"}
    assert client.post(reverse("scrutiny_case_close", args=[case.pk]), data).status_code == 302
    assert client.post(reverse("scrutiny_case_reopen", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseReviewStatus.UNDER_REVIEW


@pytest.mark.parametrize("viewer", ["outsider", "colleague", "assessor", "national_viewer"])
def test_nobody_else_opens_changes_closes_or_reopens_a_case(client, request, case, viewer):
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(reverse("scrutiny_case_open")).status_code == 404
    assert client.get(reverse("scrutiny_case_edit", args=[case.pk])).status_code == 404
    assert client.get(reverse("scrutiny_case_close", args=[case.pk])).status_code == 404
    data = {"decision": "non_referral", "decided_by": "single", "closed_on": "2026-11-19"}
    assert client.post(reverse("scrutiny_case_close", args=[case.pk]), data).status_code == 404
    assert client.post(reverse("scrutiny_case_reopen", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseReviewStatus.UNDER_REVIEW


def test_the_group_leader_opens_a_case_from_the_list_and_bad_input_is_kept(
    client, org, case, group_leader, case_review_manager
):
    client.force_login(group_leader)
    assert reverse("scrutiny_case_open") in client.get(reverse("scrutiny_case_list")).content.decode()
    data = form_data(org, case_review_manager, group_leader, reference="CCRC/00042/2026", allocated_on="2026-02-31")
    data = with_token(data)  # refused posts claim nothing: the same form is sent again below
    response = client.post(reverse("scrutiny_case_open"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["allocated_on"] == ["Enter a real date, for example 27/11/2026."]
    assert 'value="Robin Applicant"' in response.content.decode()
    data["allocated_on"] = "2026-01-28"
    response = client.post(reverse("scrutiny_case_open"), data)  # the service's refusal, next to the field
    assert response.context["form"].errors["reference"] == ["Another case review has this reference: check it."]
    data["reference"] = "CCRC/00100/2026"
    response = client.post(reverse("scrutiny_case_open"), data)
    opened = CaseReview.objects.get(reference="CCRC/00100/2026")
    assert response["Location"] == reverse("scrutiny_case_detail", args=[opened.pk])
    assert opened.milestones.count() == 3
    # The same form sent again (a double click, a resend) opens nothing more: it leads to the case the first opened.
    again = client.post(reverse("scrutiny_case_open"), data)
    assert again["Location"] == reverse("scrutiny_case_detail", args=[opened.pk])
    assert CaseReview.objects.filter(reference="CCRC/00100/2026").count() == 1
    # A post without the form's token saves nothing and says why.
    data.pop("form_token")
    data["reference"] = "CCRC/00101/2026"
    response = client.post(reverse("scrutiny_case_open"), data)
    assert "This form had expired, so nothing was saved" in response.content.decode()
    assert not CaseReview.objects.filter(reference="CCRC/00101/2026").exists()


def test_a_crm_who_would_lose_sight_of_a_case_is_told_so_above_the_form(
    client, org, case, group_leader, case_review_manager, colleague
):
    client.force_login(case_review_manager)
    data = form_data(org, case_review_manager, group_leader, case_review_manager=colleague.pk, status="under_review")
    data["reference"] = case.reference
    response = client.post(reverse("scrutiny_case_edit", args=[case.pk]), data)
    assert response.status_code == 200
    assert "You would no longer see this case" in " ".join(response.context["form"].non_field_errors())
    case.refresh_from_db()
    assert case.case_review_manager == case_review_manager


def test_closing_without_a_decision_is_refused_next_to_the_field(client, case, group_leader):
    client.force_login(group_leader)
    url = reverse("scrutiny_case_close", args=[case.pk])
    response = client.post(url, {"decided_by": "single", "closed_on": "2026-11-21"})
    errors = response.context["form"].errors
    assert errors["decision"] == ["Choose the decision the case was closed with."]
    assert errors["closed_on"] == ["This date is in the future."]
    assert client.get(reverse("scrutiny_case_reopen", args=[case.pk])).status_code == 405
    case.refresh_from_db()
    assert case.status == CaseReviewStatus.UNDER_REVIEW
    assert set(case.milestones.values_list("status", flat=True)) == {MilestoneStatus.PENDING}


def test_a_closed_case_is_reopened_before_it_is_changed(client, case, group_leader):
    services.case_review_close(
        case_review=case,
        user=case.group_leader,
        decision="non_referral",
        decided_by="single",
        heard_by_lrcc=False,
        closed_on=TODAY,
    )
    client.force_login(group_leader)
    response = client.get(reverse("scrutiny_case_edit", args=[case.pk]))
    assert response["Location"] == reverse("scrutiny_case_detail", args=[case.pk])
    detail = client.get(reverse("scrutiny_case_detail", args=[case.pk])).content.decode()
    assert reverse("scrutiny_case_reopen", args=[case.pk]) in detail
    assert reverse("scrutiny_case_close", args=[case.pk]) not in detail


def test_the_open_form_runs_in_constant_queries(client, make_case, group_leader, django_assert_num_queries):
    client.force_login(group_leader)
    for number in range(5):
        make_case(date(2026, 1, 1 + number))
    # session, user, grants (roles and purviews), whether any team may be chosen, the teams, the people for each
    # of the two people lists; the session saved (3)
    with django_assert_num_queries(10):
        assert client.get(reverse("scrutiny_case_open")).status_code == 200


# --- The case review manager's way in -----------------------------------------------------------------------------


def nav_keys(response):
    return [item.key for item in response.context["navigation"]]


def test_a_crm_sees_case_reviews_in_the_navigation_and_a_group_leader_keeps_case_scrutiny(
    client, case, case_review_manager, group_leader, colleague
):
    client.force_login(case_review_manager)
    response = client.get(reverse("own_iqas"))
    assert "case_reviews" in nav_keys(response)
    assert 'href="/scrutiny/"' in response.content.decode()
    client.force_login(group_leader)
    keys = nav_keys(client.get(reverse("own_iqas")))
    assert Role.CASE_SCRUTINY in keys and "case_reviews" not in keys
    client.force_login(colleague)
    assert "case_reviews" not in nav_keys(client.get(reverse("own_iqas")))


def test_the_crms_link_costs_no_query_per_page(client, case, case_review_manager, colleague):
    def queries(person):
        client.force_login(person)
        client.get(reverse("own_iqas"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("own_iqas"))
        return len(captured)

    assert queries(case_review_manager) == queries(colleague)


def test_a_group_leader_named_on_cases_without_the_role_finds_them_too(client, org, case, case_review_manager):
    leader = _person_in(org.team_a1a, full_name="Lee Leader")
    services.case_review_update(user=case_review_manager, case_review=case, status="under_review", group_leader=leader)
    client.force_login(leader)
    assert "case_reviews" in nav_keys(client.get("/"))
    assert client.get(reverse("scrutiny_case_detail", args=[case.pk])).status_code == 200


def test_a_scrutiny_holder_over_another_area_opens_nothing_here(client, org, case, group_leader):
    other = _person_in(org.team_b1a, full_name="Bea Elsewhere")
    RoleGrantFactory(person=other, role=Role.CASE_SCRUTINY, level=PurviewLevel.AREA, team=None, area=org.area_b)
    client.force_login(other)
    response = client.get(reverse("scrutiny_case_open"))
    assert [team.pk for team in response.context["form"].fields["team"].queryset] == [org.team_b1a.pk]
    assert client.get(reverse("scrutiny_case_edit", args=[case.pk])).status_code == 404


# --- Add another action --------------------------------------------------------------------------------------------


def record_data(**extra):
    return {
        "done_on": "2026-11-20",
        "case_plan_fit_for_purpose": "no",
        "causes_of_delay": "Transcript awaited.",
        "outcome": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "2",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": str(MAX_ACTIONS),
        "actions-0-description": "Chase the transcript",
        "actions-0-owner": "",
        "actions-0-due_on": "2026-11-28",
        "actions-1-description": "Brief the commissioner",
        "actions-1-owner": "",
        "actions-1-due_on": "",
        **extra,
    }


def test_add_another_action_shows_one_more_row_keeping_everything_typed_and_saving_nothing(
    client, case, group_leader, case_review_manager
):
    ten_month = case.milestones.get(kind=MilestoneKind.TEN_MONTH)
    url = reverse("scrutiny_milestone_record", args=[ten_month.pk])
    client.force_login(group_leader)
    assert len(client.get(url).context["actions"].forms) == 2
    data = record_data(**{"actions-0-owner": str(case_review_manager.pk), "add_action": "1"})
    response = client.post(url, data)
    assert response.status_code == 200
    actions = response.context["actions"]
    assert len(actions.forms) == 3
    assert actions.forms[0].initial == {
        "description": "Chase the transcript",
        "owner": str(case_review_manager.pk),
        "due_on": "2026-11-28",
    }
    assert actions.forms[2].fields["description"].widget.attrs.get("autofocus")
    content = response.content.decode()
    assert "Write what the scrutiny found" not in content  # not checked yet: nothing was submitted to be recorded
    assert 'value="Brief the commissioner"' in content and "Transcript awaited." in content
    ten_month.refresh_from_db()
    assert ten_month.status == MilestoneStatus.PENDING

    # Three actions recorded, the one due on Saturday 28 November due on Monday 30th.
    data = record_data(
        **{
            "outcome": "Plan revised.",
            "actions-TOTAL_FORMS": "3",
            "actions-0-owner": str(case_review_manager.pk),
            "actions-1-owner": str(group_leader.pk),
            "actions-1-due_on": "2026-12-01",
            "actions-2-description": "Ask the police for the log",
            "actions-2-owner": str(case_review_manager.pk),
            "actions-2-due_on": "2026-12-04",
        }
    )
    assert client.post(url, data).status_code == 302
    assert list(ten_month.actions.order_by("due_on").values_list("description", "due_on")) == [
        ("Chase the transcript", date(2026, 11, 30)),
        ("Brief the commissioner", date(2026, 12, 1)),
        ("Ask the police for the log", date(2026, 12, 4)),
    ]


def test_add_another_action_stops_at_the_maximum_with_a_clear_message(client, case, group_leader):
    url = reverse("scrutiny_milestone_record", args=[case.milestones.get(kind=MilestoneKind.TEN_MONTH).pk])
    client.force_login(group_leader)
    data = record_data(**{"actions-TOTAL_FORMS": str(MAX_ACTIONS), "add_action": "1"})
    response = client.post(url, data)
    assert len(response.context["actions"].forms) == MAX_ACTIONS
    assert TOO_MANY_ACTIONS in response.content.decode()
    assert "Add another action" not in response.content.decode()
    data = record_data(**{"actions-TOTAL_FORMS": str(MAX_ACTIONS + 5), "outcome": "x"})
    response = client.post(url, data)  # a forged count: refused with the same words, nothing saved
    assert response.status_code == 200
    assert TOO_MANY_ACTIONS in response.content.decode()
