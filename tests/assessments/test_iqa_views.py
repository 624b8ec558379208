"""Reading IQAs: who sees which, the lists and their filters, and pages whose query counts do not grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Activity, AnswerValue, State
from organisation.models import AccessLogEntry, PurviewLevel, Role
from tests.factories import AssessmentFactory, RoleGrantFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def iqa(assessor, assessed, org):
    return AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)


def an_iqa_on(person, team, assessor, **fields):
    return AssessmentFactory(assessor=assessor, assessed=person, team=team, **fields)


# --- Who sees an IQA -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["assessor", "assessed", "dip_sampler"])
def test_the_author_the_assessed_person_and_dip_samplers_over_them_see_an_iqa(client, request, iqa, viewer):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(f"/iqas/{iqa.pk}/")
    assert response.status_code == 200
    assert response.context["iqa"] == iqa


def test_a_closed_iqa_keeps_assess_another_case_for_its_author(client, iqa, assessor):
    iqa.state = State.CLOSED
    iqa.save(update_fields=["state"])
    client.force_login(assessor)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "Manage this IQA" in body
    assert f'action="/iqas/{iqa.pk}/another-case/"' in body
    assert "Assess another case from this half-day" in body
    assert 'data-testid="amend"' not in body and 'data-testid="close"' not in body


def test_a_closed_iqa_shows_no_empty_manage_box(client, iqa, assessor, org):
    """Once the person has left the author's purview there is nothing left to do: no box at all."""
    iqa.state = State.CLOSED
    iqa.save(update_fields=["state"])
    assessor.role_grants.update(team=org.team_a1b)
    client.force_login(assessor)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "Manage this IQA" not in body
    assert "Assess another case" not in body


@pytest.mark.parametrize("viewer", ["outsider", "neighbour", "colleague", "performance_viewer"])
def test_nobody_else_sees_an_iqa(client, request, iqa, viewer):
    client.force_login(request.getfixturevalue(viewer))
    assert client.get(f"/iqas/{iqa.pk}/").status_code == 404
    for action in ("amend", "another-case", "action-taken", "close"):
        assert client.post(f"/iqas/{iqa.pk}/{action}/").status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in(client, iqa):
    for url in (f"/iqas/{iqa.pk}/", "/iqas/", "/iqas/of-my-work/", "/iqas/new/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_an_assessor_over_another_team_does_not_see_it(client, org, iqa):
    other = AssessmentFactory(team=org.team_a1b).assessor
    RoleGrantFactory(person=other, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1b)
    client.force_login(other)
    assert client.get(f"/iqas/{iqa.pk}/").status_code == 404


def test_viewing_someone_elses_iqa_is_logged_but_viewing_your_own_is_not(client, iqa, assessed, dip_sampler):
    client.force_login(assessed)
    client.get(f"/iqas/{iqa.pk}/")
    assert not AccessLogEntry.objects.exists()
    client.force_login(dip_sampler)
    client.get(f"/iqas/{iqa.pk}/")
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.purpose) == (dip_sampler, assessed, "dip_sampler")


def test_the_detail_shows_answers_reasons_comments_and_timeliness(client, assessed, org, assessor):
    iqa = AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a, recorded_on_time=False)
    answer = iqa.answers.get(question__code="Q9")
    answer.value, answer.comment = AnswerValue.NOT_MET, "No strategy recorded."
    answer.save()
    answer.reasons.set([answer.question.reasons.first()])
    client.force_login(assessed)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "No strategy recorded." in body
    assert answer.question.reasons.first().text in body
    assert "<strong>late</strong>" in body
    assert 'data-testid="amend"' not in body  # only the author manages it


# --- Lists -----------------------------------------------------------------------------------------------------


def test_my_iqas_lists_what_i_recorded_and_filters_it(client, assessor, assessed, colleague, org):
    mine = an_iqa_on(assessed, org.team_a1a, assessor)
    an_iqa_on(colleague, org.team_a1a, assessor, activity=Activity.CHARGING_REVIEW)
    AssessmentFactory(team=org.team_a1a)  # someone else's IQA in my team is not "mine"
    client.force_login(assessor)
    assert len(client.get("/iqas/").context["page"].object_list) == 2
    page = client.get("/iqas/", {"activity": "case_progression"}).context["page"]
    assert list(page.object_list) == [mine]
    page = client.get("/iqas/", {"assessed": colleague.pk}).context["page"]
    assert [iqa.assessed for iqa in page.object_list] == [colleague]
    page = client.get("/iqas/", {"state": State.CLOSED}).context["page"]
    assert list(page.object_list) == []
    yesterday = timezone.localdate() - timedelta(days=1)
    assert list(client.get("/iqas/", {"work_to": yesterday}).context["page"].object_list) == []


def test_bad_filter_values_get_a_message_not_an_error(client, assessor, iqa):
    client.force_login(assessor)
    response = client.get("/iqas/", {"work_from": "31/02/2026", "activity": "juggling", "page": "x"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_iqas_of_my_work_shows_mine_only_with_the_six_month_count(client, assessed, colleague, assessor, org):
    recent = an_iqa_on(assessed, org.team_a1a, assessor)
    an_iqa_on(assessed, org.team_a1a, assessor, work_date=timezone.localdate() - timedelta(days=200))
    an_iqa_on(colleague, org.team_a1a, assessor)
    client.force_login(assessed)
    response = client.get("/iqas/of-my-work/")
    assert response.context["recent_count"] == 1
    assert len(response.context["page"].object_list) == 2
    assert "1 IQA of your work in the last six months" in response.content.decode()
    assert recent in response.context["page"].object_list
    assert "1 IQA of your work in the last six months" in client.get("/").content.decode()


def test_empty_lists_say_so(client, assessor, assessed):
    client.force_login(assessor)
    assert "You have not recorded any IQAs yet" in client.get("/iqas/").content.decode()
    client.force_login(assessed)
    assert "No assessments of your work have been recorded yet" in client.get("/iqas/of-my-work/").content.decode()


# --- Query counts that do not grow with the data ----------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_and_detail_take_the_same_queries_with_more_iqas(client, assessor, assessed, org):
    first = an_iqa_on(assessed, org.team_a1a, assessor)
    client.force_login(assessor)
    urls = ["/iqas/", f"/iqas/{first.pk}/", "/"]
    before = {url: _queries(client, url) for url in urls}
    for _ in range(12):
        an_iqa_on(assessed, org.team_a1a, assessor, half_day=first.half_day)
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    client.force_login(assessed)
    assert _queries(client, "/iqas/of-my-work/") == _queries(client, "/iqas/of-my-work/?page=1")


def test_the_draft_form_takes_a_fixed_number_of_queries(client, assessor, org, make_draft, django_assert_num_queries):
    draft = make_draft(Activity.CASE_PRESENTATION)
    client.force_login(assessor)
    client.get(f"/iqas/drafts/{draft.pk}/")
    UnitFactory.create_batch(5, area=org.area_a)
    # session, user, draft, question set, questions, reasons, assessed person's area and unit, units,
    # navigation roles, the IQAs already recorded from its half-day (one more than before: every draft now looks
    # its half-day up, not only one started from "Assess another case"), and the session save (savepoint, update,
    # release).
    with django_assert_num_queries(13):
        client.get(f"/iqas/drafts/{draft.pk}/")
