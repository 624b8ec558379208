"""Drill-down from a figure to the IQAs behind it (in scope only), consistency and the committee pack as pages."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from assessments.models import Answer, AnswerValue
from organisation.models import PurviewLevel, Role
from reporting.views.report import quick_periods
from tests.factories import PersonFactory, RoleGrantFactory
from tests.reporting.conftest import Q3, answer

pytestmark = pytest.mark.django_db


def listed(response):
    return {row[0].value for row in response.context["tables"][0].rows}


def test_it_lists_the_iqas_behind_a_question_figure(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(
        reverse("reporting:drilldown"), {"period": Q3.label, "question": "Q9", "answer": AnswerValue.NOT_MET}
    )
    assert listed(response) == {small_dataset["b"].pk, small_dataset["d"].pk}


def test_it_links_each_figure_to_its_drill_down(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:dashboard"), {"period": Q3.label})
    questions = response.context["tables"][2]
    q9 = next(row for row in questions.rows if row[1].value == "Q9")
    followed = client.get(q9[5].href)  # the not met rate
    assert listed(followed) == {small_dataset["b"].pk, small_dataset["d"].pk}


def test_it_never_lists_an_iqa_outside_the_purview(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    everything = client.get(reverse("reporting:drilldown"), {"period": Q3.label})
    assert small_dataset["foreign"].pk not in listed(everything)
    foreign_team = client.get(reverse("reporting:drilldown"), {"period": Q3.label, "team": org.team_b1a.pk})
    assert "team" in foreign_team.context["filter"].form.errors
    assert small_dataset["foreign"].pk not in listed(foreign_team)


def test_it_lists_the_late_iqas(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:drilldown"), {"period": Q3.label, "what": "late"})
    assert listed(response) == {small_dataset["b"].pk}


def test_it_names_the_conditions_in_words(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    late = client.get(reverse("reporting:drilldown"), {"period": Q3.label, "what": "late"}).content.decode()
    assert "<li>Recorded late</li>" in late
    assert "what = late" not in late

    page = client.get(
        reverse("reporting:drilldown"),
        {"period": Q3.label, "question": "Q10", "answer": AnswerValue.NOT_MET_OTHER},
    ).content.decode()
    conditions = re.findall(r'data-testid="drill-conditions">(.*?)</ul>', page, re.S)[0]
    wording = small_dataset["b"].question_set.questions.get(code="Q10").wording
    assert f"Question Q10: {wording}" in conditions
    assert "Answered: Not met – other" in conditions
    assert "not_met_other" not in conditions and "answer =" not in conditions


def test_it_links_the_iqas_the_viewer_may_open(client, assessor, org, small_dataset):
    """An assessor over team A1a who also reads area A's figures opens A1a's IQAs, not A1b's: only those link."""
    RoleGrantFactory(person=assessor, role=Role.PERFORMANCE_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    client.force_login(assessor)
    page = client.get(reverse("reporting:drilldown"), {"period": Q3.label}).content.decode()
    b, d = small_dataset["b"], small_dataset["d"]
    assert f'<a href="/iqas/{b.pk}/">{b.pk}</a>' in page
    assert f'href="/iqas/{d.pk}/"' not in page
    assert client.get(f"/iqas/{b.pk}/").status_code == 200


def test_it_shows_the_consistency_of_assessors_in_purview(client, performance_viewer, assessor, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:consistency"), {"period": Q3.label})
    rows = response.context["tables"][0].rows
    names = {row[2].value for row in rows}
    assert assessor.full_name in names
    assert small_dataset["foreign"].assessor.full_name not in names


def test_it_prints_a_committee_pack_for_the_period_and_purview(client, performance_viewer, small_dataset):
    client.force_login(performance_viewer)
    response = client.get(reverse("reporting:committee_pack"), {"period": Q3.label})
    body = response.content.decode()
    assert "Casework quality committee pack" in body
    assert Q3.label in body
    assert "reporting-print" in body  # the print stylesheet
    names = [table.name for table in response.context["tables"]]
    assert names[:2] == ["summary", "activities"]


def test_the_committee_pack_prints_its_filters_by_name_and_no_link_wording(
    client, performance_viewer, org, small_dataset
):
    client.force_login(performance_viewer)
    period_only = client.get(reverse("reporting:committee_pack"), {"period": Q3.label}).content.decode()
    scope = re.search(r'data-testid="pack-scope">(.*?)</p>', period_only, re.S).group(1)
    assert "Filters" not in scope and "; ." not in scope
    assert "the link lists" not in period_only
    assert "late: 1" in period_only  # IQA b was recorded late

    filtered = client.get(
        reverse("reporting:committee_pack"),
        {"period": Q3.label, "team": org.team_a1a.pk, "activity": "case_progression"},
    ).content.decode()
    scope = " ".join(re.search(r'data-testid="pack-scope">(.*?)</p>', filtered, re.S).group(1).split())
    assert "Filters: Team: Team A1a, Unit A1; Activity: Case progression." in scope


def test_it_puts_the_dashboards_charts_in_the_committee_pack(client, performance_viewer, org, small_dataset):
    client.force_login(performance_viewer)
    params = {"period": Q3.label, "team": org.team_a1a.pk}
    body = client.get(reverse("reporting:committee_pack"), params).content.decode()
    charts = re.findall(r'data-testid="chart-\w+">\s*(<svg.*?</svg>)', body, re.DOTALL)

    assert [re.search(r'aria-label="([^"]+)"', svg).group(1) for svg in charts] == [
        "Fully met rate by question",
        "Fully met rate over recent quarters",
        "When in the month and quarter IQAs were done",
    ]
    # The pack's own filters: the same charts as the dashboard's for them.
    dashboard = client.get(reverse("reporting:dashboard"), params).content.decode()
    assert charts == re.findall(r'data-testid="chart-\w+">\s*(<svg.*?</svg>)', dashboard, re.DOTALL)


@pytest.fixture
def comments_viewer(org):
    person = PersonFactory(full_name="Chris Comments")
    RoleGrantFactory(person=person, role=Role.COMMENTS_VIEWER, level=PurviewLevel.UNIT, team=None, unit=org.unit_a1)
    return person


def test_it_extracts_the_comments_in_the_comments_viewers_purview(client, comments_viewer, small_dataset):
    answer(small_dataset["foreign"], "Q9", AnswerValue.NOT_MET_OTHER, comment="Foreign comment")
    client.force_login(comments_viewer)
    response = client.get(reverse("reporting:comments"), {"period": Q3.label})
    comments = {row[-1].value for row in response.context["tables"][0].rows}
    assert "See the file." in comments
    assert "Foreign comment" not in comments


def test_the_comments_extract_offers_the_dashboards_quick_periods(client, comments_viewer, small_dataset):
    client.force_login(comments_viewer)
    body = client.get(reverse("reporting:comments")).content.decode()
    quick = re.search(r"Quick:(.*?)</p>", body, re.S).group(1)
    for name, period in quick_periods():
        assert f'<a href="?period={quote(period.label)}">{name} ({period.label})</a>' in quick


def test_it_keeps_the_comments_extract_from_performance_viewers(client, performance_viewer):
    client.force_login(performance_viewer)
    assert client.get(reverse("reporting:comments")).status_code == 404


def test_it_renders_the_comments_extract_in_constant_queries(
    client, comments_viewer, org, small_dataset, django_assert_num_queries
):
    client.force_login(comments_viewer)
    # session, user, grants (roles and purviews), the filter selects (teams, assessors), count, page,
    # session save (3)
    with django_assert_num_queries(10):
        client.get(reverse("reporting:comments"), {"period": Q3.label})
    Answer.objects.filter(assessment__in=[small_dataset[name] for name in "abcd"]).update(comment="More.")
    with django_assert_num_queries(10):
        client.get(reverse("reporting:comments"), {"period": Q3.label})
