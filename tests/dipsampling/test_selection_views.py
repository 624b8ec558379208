"""Past selections: listed newest first with rule, seed and counts, in the dip sampler's purview only; one
selection shows its strata, the IQAs it drew and whether its seed draws them again."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Activity, CaseStatus
from dipsampling import selection, selectors, services
from dipsampling.models import Selection, SelectionKind
from organisation.models import PurviewLevel, Role
from qa_platform.periods import this_quarter
from tests.factories import RoleGrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_dip_sampler(outsider, org):
    """A dip sampler over area B: unit A1's selections are outside their purview."""
    RoleGrantFactory(person=outsider, role=Role.DIP_SAMPLER, level=PurviewLevel.AREA, team=None, area=org.area_b)
    return outsider


@pytest.fixture
def team_dip_sampler(colleague, org):
    """A dip sampler over team A1a only, inside the unit dip sampler's purview."""
    RoleGrantFactory(person=colleague, role=Role.DIP_SAMPLER, level=PurviewLevel.TEAM, team=org.team_a1a)
    return colleague


def _random(user, seed=7) -> Selection:
    proposal = selection.propose_random(user, this_quarter(), seed=seed)
    return services.selection_confirm(user=user, proposal=proposal, assessment_ids=proposal.assessment_ids)


@pytest.fixture
def drawn(make_iqa, dip_sampler):
    """12 case progression and 3 advice IQAs this quarter in team A1a; a random selection draws 2 + 1 of them."""
    for _ in range(12):
        make_iqa()
    for _ in range(3):
        make_iqa(Activity.ADVICE)
    return _random(dip_sampler)


# --- Scope -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dip_sample_selections", "dip_sample_selection"])
def test_it_sends_anonymous_visitors_to_log_in(client, name, drawn):
    response = client.get(reverse(name, args=[drawn.pk] if name == "dip_sample_selection" else []))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_needs_the_dip_sampler_role(client, assessor, drawn):
    client.force_login(assessor)
    assert client.get(reverse("dip_sample_selections")).status_code == 404
    assert client.get(reverse("dip_sample_selection", args=[drawn.pk])).status_code == 404


def test_it_checks_ownership(client, other_dip_sampler, drawn):
    client.force_login(other_dip_sampler)
    response = client.get(reverse("dip_sample_selections"))
    assert list(response.context["page"]) == []
    assert 'data-testid="selections-empty"' in response.content.decode()
    assert client.get(reverse("dip_sample_selection", args=[drawn.pk])).status_code == 404


def test_a_dip_sampler_sees_selections_that_took_iqas_in_their_purview(team_dip_sampler, dip_sampler, drawn, org):
    assert list(selectors.selections_in_scope(team_dip_sampler)) == [drawn]
    assert list(selectors.selections_in_scope(dip_sampler)) == [drawn]


def test_the_maker_keeps_seeing_a_selection_whose_iqas_another_took(dip_sampler, make_iqa):
    iqa = make_iqa(case_status=CaseStatus.FINALISED)
    proposal = selection.propose_targeted(dip_sampler, this_quarter(), SelectionKind.FINALISED_CASE)
    services.dip_sample_start(user=dip_sampler, assessment=iqa)  # taken before the confirmation
    empty = services.selection_confirm(user=dip_sampler, proposal=proposal, assessment_ids=[iqa.pk])
    assert empty.dip_samples.count() == 0
    assert list(selectors.selections_in_scope(dip_sampler)) == [empty]


# --- The list --------------------------------------------------------------------------------------------------


def test_it_stores_what_the_draw_chose_from_and_chose(drawn):
    assert (drawn.eligible_count, drawn.drawn_count, drawn.seed) == (15, 3, 7)
    assert drawn.rule["strata"][Activity.CASE_PROGRESSION] == {"iqas": 12, "already": 0}


def test_it_lists_past_selections_newest_first_with_rule_seed_and_counts(client, dip_sampler, drawn, make_iqa):
    make_iqa(case_status=CaseStatus.FINALISED)
    proposal = selection.propose_targeted(dip_sampler, this_quarter(), SelectionKind.FINALISED_CASE)
    targeted = services.selection_confirm(user=dip_sampler, proposal=proposal, assessment_ids=proposal.assessment_ids)
    Selection.objects.filter(pk=drawn.pk).update(made_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(dip_sampler)

    response = client.get(reverse("dip_sample_selections"))

    assert [row.pk for row in response.context["page"]] == [targeted.pk, drawn.pk]
    html = response.content.decode()
    assert "Random, stratified by activity: 10% of each activity's IQAs, rounded up" in html
    assert "<td>7</td>" in html and "none (not random)" in html
    assert reverse("dip_sample_selection", args=[drawn.pk]) in html
    assert reverse("dip_sample_selections") in client.get(reverse("dip_sample_queue")).content.decode()


def test_it_says_so_when_a_targeted_selection_did_not_keep_its_pool(client, dip_sampler, drawn):
    Selection.objects.filter(pk=drawn.pk).update(kind=SelectionKind.FINALISED_CASE, eligible_count=None, seed=None)
    client.force_login(dip_sampler)
    assert "not recorded" in client.get(reverse("dip_sample_selections")).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_it_lists_selections_in_constant_queries(client, dip_sampler, drawn, make_iqa):
    client.force_login(dip_sampler)
    url = reverse("dip_sample_selections")
    before = _queries(client, url)
    for _ in range(3):
        make_iqa(case_status=CaseStatus.FINALISED)
        proposal = selection.propose_targeted(dip_sampler, this_quarter(), SelectionKind.FINALISED_CASE)
        services.selection_confirm(user=dip_sampler, proposal=proposal, assessment_ids=proposal.assessment_ids)
    assert _queries(client, url) == before == LIST_QUERIES


# Session, user, roles for the role check; the count and the page of selections with their makers; the
# navigation's three.
LIST_QUERIES = 8


# --- One selection ---------------------------------------------------------------------------------------------


def test_it_shows_a_selection_so_the_draw_can_be_checked(client, dip_sampler, drawn):
    client.force_login(dip_sampler)

    response = client.get(reverse("dip_sample_selection", args=[drawn.pk]))

    html = response.content.decode()
    assert "10% of each activity&#x27;s IQAs in the period, rounded up" in html
    strata = {row["label"]: row for row in response.context["strata"]}
    assert strata["Case progression"] == {
        "label": "Case progression",
        "iqas": 12,
        "already": 0,
        "needed": 2,
        "eligible": 12,
        "drawn": 2,
    }
    assert strata["Advice"]["drawn"] == 1
    assert response.context["redraw_matches"] is True
    assert "gives the same IQAs" in html
    listed = [dip_sample.pk for dip_sample in response.context["page"]]
    assert sorted(listed) == sorted(drawn.dip_samples.values_list("pk", flat=True))
    for pk in listed:
        assert reverse("dip_sample_record", args=[pk]) in html


def test_it_says_when_the_seed_no_longer_draws_the_same_iqas(client, dip_sampler, drawn):
    rule = {**drawn.rule, "chosen": drawn.rule["chosen"][:-1]}
    Selection.objects.filter(pk=drawn.pk).update(rule=rule)
    client.force_login(dip_sampler)
    response = client.get(reverse("dip_sample_selection", args=[drawn.pk]))
    assert response.context["redraw_matches"] is False
    assert "gives different IQAs" in response.content.decode()


def test_a_narrower_dip_sampler_sees_only_the_dip_samples_in_their_purview(client, team_dip_sampler, make_iqa, org):
    dip_sampler = RoleGrantFactory(
        person__full_name="Una Unit", role=Role.DIP_SAMPLER, level=PurviewLevel.UNIT, team=None, unit=org.unit_a1
    ).person
    for _ in range(10):
        make_iqa(team=org.team_a1b)
    made = _random(dip_sampler)
    client.force_login(team_dip_sampler)
    # Nothing of the selection lies in team A1a: outside the team dip sampler's purview.
    assert client.get(reverse("dip_sample_selection", args=[made.pk])).status_code == 404


def test_it_shows_a_targeted_selection_with_what_was_left_unticked(client, dip_sampler, make_iqa):
    first, second = (make_iqa(case_status=CaseStatus.FINALISED) for _ in range(2))
    proposal = selection.propose_targeted(dip_sampler, this_quarter(), SelectionKind.FINALISED_CASE)
    made = services.selection_confirm(user=dip_sampler, proposal=proposal, assessment_ids=[first.pk])
    client.force_login(dip_sampler)

    response = client.get(reverse("dip_sample_selection", args=[made.pk]))

    assert (made.eligible_count, made.drawn_count) == (2, 1)
    html = response.content.decode()
    assert "1 proposed IQA left unticked" in html
    assert "none: a targeted selection chooses nothing at random" in html
    assert response.context["redraw_matches"] is None
    assert [dip_sample.assessment_id for dip_sample in response.context["page"]] == [first.pk]


def test_it_shows_a_selection_in_constant_queries(client, dip_sampler, make_iqa):
    for _ in range(10):
        make_iqa()
    small = _random(dip_sampler, 1)
    for _ in range(60):
        make_iqa()
    large = _random(dip_sampler, 2)
    client.force_login(dip_sampler)
    assert large.dip_samples.count() > small.dip_samples.count()
    assert (
        _queries(client, reverse("dip_sample_selection", args=[small.pk]))
        == _queries(client, reverse("dip_sample_selection", args=[large.pk]))
        == DETAIL_QUERIES
    )


# Session, user, roles; the selection; its dip samples the viewer may open (count, page); all its dip samples
# (count); the navigation's three.
DETAIL_QUERIES = 10


def test_it_says_a_targeted_rule_in_words_with_its_margin_in_points():
    from dipsampling.views.selections import rule_text

    targeted = Selection(
        kind=SelectionKind.HIGH_FULLY_MET,
        rule={"rule": "assessor's fully met rate well above their unit's", "margin": 0.10, "minimum": 20},
    )
    assert rule_text(targeted) == (
        "assessor's fully met rate well above their unit's by 10.0 percentage points or more, over at least 20 answers"
    )
