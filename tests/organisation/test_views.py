"""Home, role pages, people list and person page: scoped, with an outsider on every view."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import challenges, services
from organisation.models import AccessLogEntry, PurviewLevel, Role
from qa_platform.pagination import PAGE_SIZE
from tests.factories import AssessmentFactory, PersonFactory, RoleGrantFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/people/", "/people/1/", "/roles/assessor/"])
def test_it_sends_anonymous_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Home ---------------------------------------------------------------------------------------------------


def test_it_shows_the_assessor_their_team_roles_and_people_to_assess(client, assessor, assessed, colleague):
    client.force_login(assessor)
    response = client.get("/")
    body = response.content.decode()
    assert "Team A1a" in body
    assert "Assessor</a> over Team A1a" in body
    assert response.context["assessable_count"] == 2
    assert "2 people are in post within your assessor purview" in body


def test_it_shows_a_person_without_roles_only_their_own_things(client, assessed):
    client.force_login(assessed)
    response = client.get("/")
    assert "assessable_count" not in response.context  # no assessing card
    assert "You hold no management roles" in response.content.decode()
    assert [item.key for item in response.context["navigation"]] == ["home", "own_iqas"]


def test_it_says_so_when_someone_has_no_team(client, national_viewer):
    client.force_login(national_viewer)
    assert "not recorded in post in any team" in client.get("/").content.decode()


def test_it_renders_home_in_constant_queries(client, assessor, org, django_assert_num_queries):
    client.force_login(assessor)
    client.get("/")
    for _ in range(10):
        person = TeamMembershipFactory(team=org.team_a1a).person
        services.draft_start(owner=assessor, assessed=person, activity="advice", work_date=timezone.localdate())
        AssessmentFactory(assessed=assessor, team=org.team_a1a)
    # session, user, grants (the roles held and their purviews), the grants with their places for the page,
    # assessable count, IQAs of own work, drafts, plans due and to come, overdue feedback and open actions (each one
    # query, its total a window count), memberships, consistency exercises waiting for answers, and the session save
    # (savepoint, update, release), and the IQAs of own work waiting for acknowledgement (one query, a window count)
    with django_assert_num_queries(17):
        client.get("/")


def test_it_lists_the_iqas_waiting_for_the_assessed_persons_acknowledgement(
    client, assessed, assessor, org, django_assert_num_queries
):
    acknowledged = AssessmentFactory(assessed=assessed, assessor=assessor, team=org.team_a1a)
    challenges.iqa_acknowledge(assessment=acknowledged, assessed=assessed, response="")
    waiting = AssessmentFactory(assessed=assessed, assessor=assessor, team=org.team_a1a)
    client.force_login(assessed)
    body = client.get("/").content.decode()
    assert "Waiting for your acknowledgement" in body
    assert f'<a href="/iqas/{waiting.pk}/#response-heading">IQA {waiting.pk}</a>' in body
    assert f"/iqas/{acknowledged.pk}/" not in body

    for _ in range(12):
        AssessmentFactory(assessed=assessed, assessor=assessor, team=org.team_a1a)
    # session, user, grants (roles held), grants for the page, IQAs of own work, awaiting acknowledgement (the first
    # ten and the total in one query), memberships, and the session save (savepoint, update, release); no drafts for
    # someone who does not assess
    with django_assert_num_queries(10):
        response = client.get("/")
    body = response.content.decode()
    assert body.count('#response-heading">IQA ') == 10
    assert "and 3 more." in body
    assert f'href="{reverse("own_iqas")}"' in body


def test_it_lists_nothing_to_acknowledge_once_all_are_acknowledged(client, assessed, assessor, org):
    challenges.iqa_acknowledge(
        assessment=AssessmentFactory(assessed=assessed, assessor=assessor, team=org.team_a1a),
        assessed=assessed,
        response="",
    )
    client.force_login(assessed)
    assert "Waiting for your acknowledgement" not in client.get("/").content.decode()


# --- Role pages ---------------------------------------------------------------------------------------------


def test_it_lists_the_teams_in_a_dip_samplers_unit_with_staff_in_post(
    client, dip_sampler, assessed, colleague, outsider
):
    client.force_login(dip_sampler)
    response = client.get(reverse("role_page", args=[Role.DIP_SAMPLER]))
    assert response.status_code == 200
    teams = {team.name: team.staff_in_post for team in response.context["page"]}
    # Team A1b holds the dip sampler themselves.
    assert teams == {"Team A1a": 2, "Team A1b": 1}


def test_it_checks_the_role_on_role_pages(client, assessor, assessed):
    client.force_login(assessed)
    assert client.get(reverse("role_page", args=[Role.ASSESSOR])).status_code == 404
    client.force_login(assessor)
    assert client.get(reverse("role_page", args=[Role.DIP_SAMPLER])).status_code == 404
    assert client.get("/roles/not-a-role/").status_code == 404


def test_it_renders_role_pages_in_constant_queries(client, national_viewer, org, django_assert_num_queries):
    client.force_login(national_viewer)
    url = reverse("role_page", args=[Role.NATIONAL_VIEWER])
    client.get(url)
    # session, user, grants (roles and purviews), the role's grants with their places, count, teams, session save
    # (savepoint, update, release)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.context["page"].paginator.count == 3


# --- People -------------------------------------------------------------------------------------------------


def test_it_lists_only_people_in_scope(client, assessor, assessed, colleague, neighbour, outsider):
    client.force_login(assessor)
    response = client.get(reverse("people_list"))
    names = {person.full_name for person in response.context["page"]}
    assert names == {"Dana Assessor", "Alex Assessed", "Casey Colleague"}


def test_it_filters_people_by_purview_and_search(client, org, dip_sampler, assessed, colleague, neighbour):
    client.force_login(dip_sampler)
    response = client.get(reverse("people_list"), {"q": "nico", "role": Role.DIP_SAMPLER})
    assert [person.full_name for person in response.context["page"]] == ["Nico Neighbour"]
    response = client.get(reverse("people_list"), {"q": "nobody-matches"})
    assert "No one in your purview matches" in response.content.decode()


def test_it_ignores_a_purview_the_user_does_not_hold(client, assessor, assessed, outsider):
    client.force_login(assessor)
    response = client.get(reverse("people_list"), {"role": Role.NATIONAL_VIEWER})
    assert response.context["role"] == ""
    assert outsider not in list(response.context["page"])


def test_it_paginates_people(client, national_viewer, org):
    for _ in range(30):
        TeamMembershipFactory(team=org.team_b1a)
    client.force_login(national_viewer)
    first = client.get(reverse("people_list"))
    second = client.get(reverse("people_list"), {"page": 2})
    # thirty in post, and the viewer themselves
    assert first.context["page"].paginator.count == 31
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 6
    assert client.get(reverse("people_list"), {"page": "junk"}).status_code == 200


def test_it_lists_people_in_constant_queries(client, national_viewer, org, django_assert_num_queries):
    client.force_login(national_viewer)
    url = reverse("people_list")
    client.get(url)
    for _ in range(20):
        TeamMembershipFactory(team=org.team_a1b)
    # session, user, grants (roles and purviews), count, people, their memberships,
    # session save (savepoint, update, release)
    with django_assert_num_queries(9):
        client.get(url)


# --- Person page --------------------------------------------------------------------------------------------


def test_it_shows_a_person_in_scope_and_logs_the_access(client, assessor, assessed):
    client.force_login(assessor)
    response = client.get(reverse("person_detail", args=[assessed.pk]))
    assert response.status_code == 200
    assert "Alex Assessed" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.purpose) == (assessor, assessed, Role.ASSESSOR)
    assert entry.what == f"/people/{assessed.pk}/"


def test_it_checks_ownership_of_the_person_page(client, assessor, outsider, neighbour):
    client.force_login(assessor)
    assert client.get(reverse("person_detail", args=[outsider.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[neighbour.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[999999])).status_code == 404
    assert not AccessLogEntry.objects.exists()


@pytest.fixture
def iqas_of_alex(assessor, assessed, org):
    """Two IQAs of Alex's work filed under Alex's team, and one filed under the next team (work covered there)."""
    other_assessor = PersonFactory(full_name="Olly Otherteam")
    RoleGrantFactory(person=other_assessor, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1b)
    home = [AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a) for _ in range(2)]
    away = AssessmentFactory(assessor=other_assessor, assessed=assessed, team=org.team_a1b)
    return home, away, other_assessor


def _iqa_links(response):
    return set(re.findall(r'href="/iqas/(\d+)/"', response.content.decode()))


def test_the_person_page_lists_the_iqas_of_their_work_the_viewer_may_open(client, assessor, assessed, iqas_of_alex):
    home, away, _ = iqas_of_alex
    client.force_login(assessor)
    response = client.get(reverse("person_detail", args=[assessed.pk]))
    assert _iqa_links(response) == {str(iqa.pk) for iqa in home}
    body = response.content.decode()
    assert "2 IQAs" in body and "Dana Assessor" in body
    assert "have been recorded yet" not in body


def test_an_assessor_of_another_team_sees_only_the_iqas_filed_there(client, assessed, org, iqas_of_alex):
    home, away, other_assessor = iqas_of_alex
    TeamMembershipFactory(person=assessed, team=org.team_a1b)  # covering in the next team too: in its purview
    client.force_login(other_assessor)
    response = client.get(reverse("person_detail", args=[assessed.pk]))
    assert response.status_code == 200
    assert _iqa_links(response) == {str(away.pk)}


def test_a_dip_sampler_over_the_unit_sees_all_of_them(client, dip_sampler, assessed, iqas_of_alex):
    home, away, _ = iqas_of_alex
    client.force_login(dip_sampler)
    response = client.get(reverse("person_detail", args=[assessed.pk]))
    assert _iqa_links(response) == {str(iqa.pk) for iqa in [*home, away]}


def test_a_viewer_who_may_open_none_sees_the_empty_state(client, assessor, colleague, performance_viewer, assessed):
    AssessmentFactory(assessed=assessed, team=assessed.memberships.get().team)
    client.force_login(assessor)
    body = client.get(reverse("person_detail", args=[colleague.pk])).content.decode()
    assert "No assessments of Casey's work that you may see have been recorded yet." in body
    # A performance viewer sees the person, and figures, but opens no IQA: none listed.
    client.force_login(performance_viewer)
    response = client.get(reverse("person_detail", args=[assessed.pk]))
    assert response.status_code == 200
    assert _iqa_links(response) == set()
    assert "No assessments of Alex's work that you may see" in response.content.decode()


def test_the_person_page_pages_its_iqas_in_constant_queries(client, assessor, assessed, org, django_assert_num_queries):
    client.force_login(assessor)
    url = reverse("person_detail", args=[assessed.pk])
    # The IQAs add their count and their page: the same for 1 IQA or 28.
    AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)
    with django_assert_num_queries(14):
        client.get(url)
    for _ in range(PAGE_SIZE + 2):
        AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)
    with django_assert_num_queries(14):
        response = client.get(url)
    assert len(_iqa_links(response)) == PAGE_SIZE
    assert "Page 1 of 2" in response.content.decode()
    assert len(_iqa_links(client.get(url, {"page": 2}))) == 3


def test_it_lets_everyone_see_their_own_page_without_logging_it(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("person_detail", args=[outsider.pk])).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_it_lets_nobody_without_a_role_see_a_colleague(client, assessed, colleague):
    client.force_login(assessed)
    assert client.get(reverse("person_detail", args=[colleague.pk])).status_code == 404


def test_it_hides_people_who_have_left_the_team(client, assessor, org):
    import datetime

    from django.utils import timezone

    leaver = PersonFactory()
    today = timezone.localdate()
    TeamMembershipFactory(
        person=leaver,
        team=org.team_a1a,
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today - datetime.timedelta(days=1),
    )
    client.force_login(assessor)
    assert client.get(reverse("person_detail", args=[leaver.pk])).status_code == 404


# --- Session keep-alive -------------------------------------------------------------------------------------


def test_it_extends_the_session_on_keepalive(client, assessed, settings):
    client.force_login(assessed)
    response = client.post(reverse("session_keepalive"))
    assert response.status_code == 200
    assert response.json() == {"authenticated": True, "expires_in": settings.SESSION_COOKIE_AGE}


def test_it_tells_an_expired_session_to_log_in_again(client):
    response = client.post(reverse("session_keepalive"))
    assert response.status_code == 401
    assert response.json() == {"authenticated": False}


def test_it_refuses_keepalive_by_get(client, assessed):
    client.force_login(assessed)
    assert client.get(reverse("session_keepalive")).status_code == 405
