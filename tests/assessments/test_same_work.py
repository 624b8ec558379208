"""The same work assessed twice: a warning before recording, a confirmation to record it anyway, and one half-day.

The same work is the same person's work on one activity, on one date, on one case (URN). Recording a second IQA of
it is refused until the assessor ticks "Record it anyway", with nothing typed lost in between. An assessor's IQAs of
one person's work on one activity and date share one half-day, however each was started.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from assessments import services
from assessments.forms import IQAForm, question_sets_for
from assessments.models import Activity, Assessment, Draft, HalfDay
from organisation.models import PurviewLevel, Role
from tests.assessments.conftest import iqa_data
from tests.factories import AssessmentFactory, PersonFactory, RoleGrantFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

URN = "42AB0123426"
WORK_DATE = timezone.localdate() - timedelta(days=7)


def post(client, draft, data):
    return client.post(f"/iqas/drafts/{draft.pk}/", data)


@pytest.fixture
def recorded(client, assessor, org, make_draft):
    """Dana Assessor's IQA of Alex Assessed's case progression work a week ago on case 42AB0123426."""
    client.force_login(assessor)
    draft = make_draft(work_date=WORK_DATE)
    assert post(client, draft, iqa_data(draft, org.unit_a1, urn=URN)).status_code == 302
    return Assessment.objects.get()


def test_it_warns_and_records_nothing_until_confirmed_keeping_what_was_typed(client, recorded, org, make_draft):
    draft = make_draft(work_date=WORK_DATE)  # started afresh, not from "Assess another case"
    data = iqa_data(draft, org.unit_a1, urn="42ab 01234 26", overall_comment="Second look at the file")
    data.update({"Q9-answer": "not_met", "Q9-reasons": ["Q9.1"], "Q9-comment": "No strategy recorded."})
    response = post(client, draft, data)
    assert response.status_code == 200
    assert Assessment.objects.count() == 1
    form = response.context["form"]
    assert list(form.errors) == ["record_anyway"]
    body = response.content.decode()
    warning = (
        f"An IQA of Alex Assessed’s case progression work on {WORK_DATE:%-d %B %Y} for case {URN} "
        f"was already recorded by Dana Assessor on {timezone.localtime(recorded.recorded_at):%-d %B %Y}"
    )
    assert warning in body
    assert f'href="/iqas/{recorded.pk}/"' in body
    assert 'name="record_anyway"' in body
    # Nothing typed is lost while the warning shows.
    assert "Second look at the file</textarea>" in body
    assert "No strategy recorded.</textarea>" in body
    assert form["Q9-reasons"].value() == ["Q9.1"]
    draft.refresh_from_db()
    assert draft.data["Q9-comment"] == ["No strategy recorded."]
    assert draft.submitted_at is None


def test_the_case_look_up_says_so_as_soon_as_the_urn_is_typed(client, recorded, make_draft):
    draft = make_draft(work_date=WORK_DATE)
    body = client.get(f"/iqas/drafts/{draft.pk}/case/", {"urn": "42ab 01234 26"}).content.decode()
    assert f"work on this case on {WORK_DATE:%-d %B %Y} has already been assessed: by Dana Assessor" in body
    assert f'href="/iqas/{recorded.pk}/"' in body
    other_day = make_draft(work_date=WORK_DATE - timedelta(days=1))
    body = client.get(f"/iqas/drafts/{other_day.pk}/case/", {"urn": URN}).content.decode()
    assert "is already registered" in body and "already been assessed" not in body


def test_it_records_the_same_work_again_once_confirmed_in_the_same_half_day(client, recorded, org, make_draft):
    draft = make_draft(work_date=WORK_DATE)
    response = post(client, draft, iqa_data(draft, org.unit_a1, urn=URN, record_anyway="on"))
    assert response.status_code == 302
    second = Assessment.objects.exclude(pk=recorded.pk).get()
    assert second.half_day_id == recorded.half_day_id
    assert HalfDay.objects.count() == 1


def test_it_does_not_warn_for_another_case_date_or_activity(client, recorded, org, make_draft):
    for draft, urn in (
        (make_draft(work_date=WORK_DATE), "42AB0999926"),
        (make_draft(work_date=WORK_DATE + timedelta(days=1)), URN),
        (make_draft(Activity.CHARGING_REVIEW, work_date=WORK_DATE), URN),
    ):
        assert post(client, draft, iqa_data(draft, org.unit_a1, urn=urn)).status_code == 302
    assert Assessment.objects.count() == 4


def test_it_names_another_assessor_who_recorded_the_same_work(client, recorded, org, assessed):
    second_assessor = PersonFactory(full_name="Reese Second")
    TeamMembershipFactory(person=second_assessor, team=org.team_a1a)
    RoleGrantFactory(person=second_assessor, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1a)
    client.force_login(second_assessor)
    draft = Draft.objects.create(
        owner=second_assessor, assessed=assessed, activity=Activity.CASE_PROGRESSION, work_date=WORK_DATE
    )
    response = post(client, draft, iqa_data(draft, org.unit_a1, urn=URN, court=None, unit=None))
    assert "was already recorded by Dana Assessor" in response.content.decode()
    assert post(client, draft, iqa_data(draft, org.unit_a1, urn=URN, record_anyway="on")).status_code == 302
    # Another assessor's IQA of the same work is their own half-day.
    assert HalfDay.objects.count() == 2


def test_amending_an_iqa_is_not_a_second_record_of_its_work(client, recorded, org):
    location = client.post(f"/iqas/{recorded.pk}/amend/")["Location"]
    draft = recorded.amendment_drafts.get()
    response = client.post(location, iqa_data(draft, org.unit_a1, urn=URN, overall_comment="Amended"))
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.overall_comment == "Amended"


def test_iqas_of_one_half_day_share_it_without_assess_another_case(client, assessor, org, make_draft):
    client.force_login(assessor)
    for urn in ("42AB0111126", "42AB0222226"):
        draft = make_draft(work_date=WORK_DATE)
        assert post(client, draft, iqa_data(draft, org.unit_a1, urn=urn)).status_code == 302
    half_day = HalfDay.objects.get()
    assert half_day.assessments.count() == 2
    # ...and the next draft of that half-day says which cases are already recorded from it.
    page = client.get(f"/iqas/drafts/{make_draft(work_date=WORK_DATE).pk}/").content.decode()
    assert "Already recorded from this half-day" in page and "42AB0111126" in page and "42AB0222226" in page


def test_the_migration_merges_duplicate_half_days(org, assessor, assessed):
    """The migration's merge SQL: every IQA and draft of duplicate half-days moves to the first; the rest go."""
    from importlib import import_module

    migration = import_module("assessments.migrations.0005_assessment_case_as_assessed_half_day_unique")
    with connection.cursor() as cursor:
        # Rolled back with the test: the constraint the migration adds after merging.
        cursor.execute("ALTER TABLE assessments_halfday DROP CONSTRAINT half_day_one_per_work")
    key = {"assessor": assessor, "assessed": assessed, "activity": Activity.CASE_PROGRESSION, "work_date": WORK_DATE}
    first, second = HalfDay.objects.create(**key), HalfDay.objects.create(**key)
    other = HalfDay.objects.create(**{**key, "activity": Activity.CHARGING_REVIEW})
    iqa_1 = AssessmentFactory(half_day=first, team=org.team_a1a, **key)
    iqa_2 = AssessmentFactory(half_day=second, team=org.team_a1a, **key)
    draft = Draft.objects.create(owner=assessor, half_day=second, **{k: v for k, v in key.items() if k != "assessor"})
    with connection.cursor() as cursor:
        cursor.execute(migration.MERGE_DUPLICATE_HALF_DAYS)
    assert set(HalfDay.objects.values_list("pk", flat=True)) == {first.pk, other.pk}
    assert {iqa.half_day_id for iqa in Assessment.objects.filter(pk__in=[iqa_1.pk, iqa_2.pk])} == {first.pk}
    draft.refresh_from_db()
    assert draft.half_day_id == first.pk


def test_two_iqas_of_one_half_day_recorded_at_once_share_it(transactional_db, assessor, assessed, org):
    """Another request inserts the half-day while this one records: this one waits on the unique constraint, then
    takes the other's half-day rather than making a second."""
    draft = services.draft_start(
        owner=assessor, assessed=assessed, activity=Activity.CASE_PROGRESSION, work_date=WORK_DATE
    )
    main, _ = question_sets_for(draft.activity, draft.work_date, False)
    form = IQAForm(iqa_data(draft, org.unit_a1, urn=URN), draft=draft, question_set=main)
    assert form.is_valid(), form.errors
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    other.set_autocommit(False)
    recorded = {}

    def record_it():
        try:
            recorded["iqa"], _ = services.iqa_record(draft_id=draft.pk, assessor=assessor, entry=form.entry())
        finally:
            connections.close_all()

    try:
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO assessments_halfday (assessor_id, assessed_id, activity, work_date, created_at) "
                "VALUES (%s, %s, %s, %s, now()) RETURNING id",
                [assessor.pk, assessed.pk, Activity.CASE_PROGRESSION, WORK_DATE],
            )
            other_half_day = cursor.fetchone()[0]
        thread = threading.Thread(target=record_it)
        thread.start()
        assert _waiting_on_a_lock(), "recording did not wait for the other request's half-day"
        other.commit()
        thread.join(timeout=30)
    finally:
        other.close()
    assert recorded["iqa"].half_day_id == other_half_day
    assert HalfDay.objects.count() == 1


def _waiting_on_a_lock(seconds=10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False
