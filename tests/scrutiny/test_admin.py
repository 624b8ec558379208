"""Admin: every scrutiny model listed, searched and filtered in constant queries; case reviews saved through the
service (milestones follow, closing cancels them); the rest read-only."""

from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from scrutiny import closed_sample, services
from scrutiny.models import (
    CaseReview,
    ClosedCaseDipSample,
    DecidedBy,
    Decision,
    Milestone,
    MilestoneAction,
    MilestoneKind,
    MilestoneStatus,
    MonthlyClosedCaseSample,
    OneToOneNote,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
MODELS = [CaseReview, Milestone, MilestoneAction, OneToOneNote, MonthlyClosedCaseSample, ClosedCaseDipSample]


@pytest.fixture
def superuser_client(client):
    client.force_login(PersonFactory(is_staff=True, is_superuser=True))
    return client


def changelist(model):
    return reverse(f"admin:scrutiny_{model._meta.model_name}_changelist")


def some_scrutiny(make_case, group_leader, case_review_manager, count):
    today = timezone.localdate()
    for number in range(count):
        case = make_case(today - timedelta(days=400 + number))
        services.milestone_record(
            milestone=case.milestones.get(kind=MilestoneKind.MOT),
            user=group_leader,
            done_on=today,
            case_plan_fit_for_purpose=True,
            causes_of_delay="",
            outcome="Fine",
            actions=[services.ActionInput("Chase", case_review_manager.pk, today)],
        )
        services.one_to_one_record(case_review=case, user=group_leader, met_on=today, note="Progress discussed.")
        services.case_review_close(
            case_review=case,
            user=case.group_leader,
            decision=Decision.NON_REFERRAL,
            decided_by=DecidedBy.SINGLE,
            heard_by_lrcc=False,
            closed_on=closed_sample.previous_month(today),
        )
    closed_sample.closed_case_sample_draw(today=today, force=True)


def test_it_registers_every_model():
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS)
def test_it_lists_searches_and_filters_in_constant_queries(
    superuser_client, model, make_case, group_leader, case_review_manager, django_assert_max_num_queries
):
    some_scrutiny(make_case, group_leader, case_review_manager, 2)
    assert superuser_client.get(changelist(model)).status_code == 200
    assert superuser_client.get(changelist(model), {"q": "CCRC"}).status_code == 200
    with django_assert_max_num_queries(14) as captured:
        superuser_client.get(changelist(model))
    small = len(captured)
    ClosedCaseDipSample.objects.all().delete()
    MonthlyClosedCaseSample.objects.all().delete()
    some_scrutiny(make_case, group_leader, case_review_manager, 15)
    with django_assert_max_num_queries(small):
        superuser_client.get(changelist(model))


def test_adding_a_case_review_in_admin_creates_its_milestones_and_closing_cancels_them(
    superuser_client, org, group_leader, case_review_manager
):
    data = {
        "reference": "CCRC/01234/2026",
        "applicant_name": "Jordan Applicant",
        "offence_summary": "Robbery (2019), conviction",
        "allocated_on": "2024-02-29",
        "case_review_manager": case_review_manager.pk,
        "group_leader": group_leader.pk,
        "team": org.team_a1a.pk,
        "status": "under_review",
        "decision": "",
        "decided_by": "",
        "closed_on": "",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(reverse("admin:scrutiny_casereview_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = CaseReview.objects.get()
    assert case.milestones.get(kind=MilestoneKind.LRCC).due_on == date(2026, 3, 2)  # 28 February is a Saturday

    # Closed without a decision: refused next to the field.
    change = reverse("admin:scrutiny_casereview_change", args=[case.pk])
    data.update({"status": "closed", "closed_on": timezone.localdate().isoformat()})
    response = superuser_client.post(change, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["decision"] == ["Choose the decision the case was closed with."]

    data.update({"decision": "non_referral", "decided_by": "single"})
    data.update({"milestones-TOTAL_FORMS": "3", "milestones-INITIAL_FORMS": "3"})
    for index, milestone in enumerate(case.milestones.order_by("pk")):
        data[f"milestones-{index}-id"] = milestone.pk
        data[f"milestones-{index}-case_review"] = case.pk
    assert superuser_client.post(change, data).status_code == 302
    assert set(case.milestones.values_list("status", flat=True)) == {MilestoneStatus.CANCELLED}


def test_it_keeps_milestones_and_draws_read_only(superuser_client, make_case):
    case = make_case(timezone.localdate())
    milestone = case.milestones.first()
    assert superuser_client.get(reverse("admin:scrutiny_milestone_add")).status_code == 403
    response = superuser_client.post(reverse("admin:scrutiny_milestone_delete", args=[milestone.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert superuser_client.get(reverse("admin:scrutiny_monthlyclosedcasesample_add")).status_code == 403
