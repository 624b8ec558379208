"""Records as assessed: an IQA keeps the case's status, stage, court and sensitive categories as it judged them.

A later IQA on the same case brings the case up to date but never changes what an earlier IQA says, on its page, in
the figures, in the filters, in the exports or in the dip sampler's targeted selections.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Activity, Assessment, Case
from dipsampling import selection
from qa_platform import periods
from tests.assessments.conftest import iqa_data
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

URN = "42AB0123426"


def record(client, make_draft, unit, activity, **fields):
    draft = make_draft(activity, work_date=timezone.localdate() - timedelta(days=1))
    response = client.post(f"/iqas/drafts/{draft.pk}/", iqa_data(draft, unit, urn=URN, **fields))
    assert response.status_code == 302, response.context["form"].errors
    return Assessment.objects.get(pk=response["Location"].split("/")[-2])


@pytest.fixture
def earlier_and_later(client, assessor, org, make_draft):
    """IQA A on a case finalised before trial (domestic abuse, magistrates'), then IQA B on the same URN at trial."""
    client.force_login(assessor)
    earlier = record(
        client,
        make_draft,
        org.unit_a1,
        Activity.CHARGING_REVIEW,
        status="finalised",
        stage="before_trial",
        sensitive_categories=["domestic_abuse"],
    )
    later = record(client, make_draft, org.unit_a1, Activity.CASE_PRESENTATION, status="live", stage="trial")
    return earlier, later


def test_a_later_iqa_updates_the_case_but_not_what_an_earlier_iqa_says(client, earlier_and_later):
    earlier, later = earlier_and_later
    case = Case.objects.get()
    assert (case.status, case.stage) == ("live", "trial")  # the case as it is now
    earlier.refresh_from_db()
    assert (earlier.case_status, earlier.case_stage, earlier.case_court) == ("finalised", "before_trial", "magistrates")
    assert earlier.case_sensitive_categories == ["domestic_abuse"]
    assert (later.case_status, later.case_stage) == ("live", "trial")
    body = client.get(f"/iqas/{earlier.pk}/").content.decode()
    assert "finalised, before trial; Domestic abuse" in body
    assert "at trial" not in body
    assert "live, at trial" in client.get(f"/iqas/{later.pk}/").content.decode()


def test_the_dashboard_counts_the_case_as_each_iqa_found_it(client, performance_viewer, earlier_and_later):
    earlier, _ = earlier_and_later
    client.force_login(performance_viewer)
    period = periods.business_year(periods.business_year_of(earlier.work_date)).label
    response = client.get(reverse("reporting:dashboard"), {"period": period})
    summary = next(table for table in response.context["tables"] if table.name == "summary")
    live = next(row for row in summary.rows if row[0].value == "Cases live when assessed")
    assert (live[3].value.successes, live[3].value.total) == (1, 2)
    assert live[-1].value == "finalised: 1"
    drilled = client.get(reverse("reporting:drilldown"), {"period": period, "what": "finalised"})
    assert [iqa.pk for iqa in drilled.context["page_obj"]] == [earlier.pk]


def test_filters_and_exports_read_the_iqa_not_the_case_as_it_is_now(client, performance_viewer, earlier_and_later):
    earlier, later = earlier_and_later
    # The case is later found to be a hate crime heard in the Crown Court: IQAs already recorded keep what they saw.
    Case.objects.update(court="crown", sensitive_categories=["hate_race"])
    client.force_login(performance_viewer)
    period = periods.business_year(periods.business_year_of(earlier.work_date)).label
    for filters, expected in (
        ({"sensitive_category": "domestic_abuse"}, [earlier.pk, later.pk]),
        ({"sensitive_category": "hate_race"}, []),
        ({"court": "magistrates"}, [earlier.pk, later.pk]),
        ({"court": "crown"}, []),
    ):
        response = client.get(reverse("reporting:drilldown"), {"period": period, **filters})
        assert sorted(iqa.pk for iqa in response.context["page_obj"]) == expected, filters
    export = client.get(reverse("reporting:export", args=["drilldown", "all", "csv"]), {"period": period})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
    case_column = rows[0].index("Case")
    cases = {row[0]: row[case_column] for row in rows[1:] if row and row[0].isdigit()}
    assert cases == {str(earlier.pk): f"{URN} (finalised)", str(later.pk): f"{URN} (live)"}


def test_amending_keeps_the_iqa_as_amended_and_leaves_a_later_iqas_case_alone(client, assessor, org, earlier_and_later):
    earlier, later = earlier_and_later
    draft_location = client.post(f"/iqas/{earlier.pk}/amend/")["Location"]
    form = client.get(draft_location).context["form"]
    assert (form.initial["status"], form.initial["stage"]) == ("finalised", "before_trial")  # as A judged it
    draft = earlier.amendment_drafts.get()
    data = iqa_data(draft, org.unit_a1, urn=URN, status="finalised", stage="post_charge")
    assert client.post(draft_location, data).status_code == 302
    earlier.refresh_from_db()
    assert (earlier.case_status, earlier.case_stage) == ("finalised", "post_charge")
    later.refresh_from_db()
    assert (later.case_status, later.case_stage) == ("live", "trial")
    # B is the latest IQA on the case: amending A does not wind the case back to what A saw.
    assert Case.objects.values_list("status", "stage").get() == ("live", "trial")


def test_adverse_outcome_selections_read_the_iqa(client, dip_sampler, earlier_and_later):
    earlier, later = earlier_and_later
    period = periods.business_year(periods.business_year_of(earlier.work_date))
    for kind in (selection.SelectionKind.ADVERSE_OUTCOME, selection.SelectionKind.FINALISED_CASE):
        proposal = selection.propose_targeted(dip_sampler, period, kind)
        assert proposal.assessment_ids == [earlier.pk], kind


def test_the_migration_backfills_each_iqa_from_the_case_as_it_was_when_recorded(org, assessor):
    """The backfill SQL of the migration: the case's audit history as of the IQA's recording, or the case as now."""
    from importlib import import_module

    migration = import_module("assessments.migrations.0005_assessment_case_as_assessed_half_day_unique")
    iqa = AssessmentFactory(assessor=assessor, team=org.team_a1a, case__status="live", case__stage="pre_charge")
    case = iqa.case
    # After the IQA was recorded, the case moved on (the audit history keeps each change with its time).
    case.status, case.stage, case.court, case.sensitive_categories = "finalised", "after_trial", "crown", ["rape"]
    case.save()
    # No history before this IQA was recorded: a case loaded without its history gives its current values.
    historyless = AssessmentFactory(assessor=assessor, team=org.team_a1a, work_date=iqa.work_date - timedelta(1))
    Case.objects.filter(pk=historyless.case_id).update(status="finalised")
    with connection.cursor() as cursor:
        # The test is one transaction, so every history row has its start time: date the case's change an hour on.
        cursor.execute(
            "UPDATE assessments_caseevent SET pgh_created_at = pgh_created_at + interval '1 hour' "
            "WHERE pgh_obj_id = %s AND pgh_label = 'update'",
            [case.pk],
        )
        cursor.execute("DELETE FROM assessments_caseevent WHERE pgh_obj_id = %s", [historyless.case_id])
        Assessment.objects.update(case_status="", case_stage="", case_court="", case_sensitive_categories=[])
        cursor.execute(migration.BACKFILL_CASE_AS_ASSESSED)
    iqa.refresh_from_db()
    assert (iqa.case_status, iqa.case_stage, iqa.case_court, iqa.case_sensitive_categories) == (
        "live",
        "pre_charge",
        "magistrates",
        [],
    )
    historyless.refresh_from_db()
    assert (historyless.case_status, historyless.case_stage) == ("finalised", "before_trial")
