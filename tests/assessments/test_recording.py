"""Recording an IQA through its pages: start, draft, validation that keeps input, record once, amend, close."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from assessments import services
from assessments.forms import IQAForm
from assessments.models import (
    Activity,
    Answer,
    AnswerValue,
    Assessment,
    Case,
    Draft,
    HalfDay,
    PlannedAssessment,
    QuestionSet,
    State,
)
from assessments.question_sets import copy_as_new_version, publish
from notifications.models import Message
from tests.assessments.conftest import iqa_data
from tests.factories import CaseFactory, UnitFactory

pytestmark = pytest.mark.django_db


def draft_url(draft):
    return f"/iqas/drafts/{draft.pk}/"


# --- Starting ------------------------------------------------------------------------------------------------


def test_it_starts_a_draft_for_someone_in_purview(client, assessor, assessed):
    client.force_login(assessor)
    response = client.post(
        "/iqas/new/", {"assessed": assessed.pk, "activity": "case_progression", "work_date": timezone.localdate()}
    )
    draft = Draft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == draft_url(draft)
    assert (draft.owner, draft.assessed, draft.activity) == (assessor, assessed, Activity.CASE_PROGRESSION)


@pytest.mark.parametrize("who", ["outsider", "neighbour", "assessor"])
def test_it_refuses_to_start_an_iqa_on_someone_outside_purview_or_on_yourself(client, request, assessor, who):
    person = request.getfixturevalue(who)
    client.force_login(assessor)
    response = client.post(
        "/iqas/new/", {"assessed": person.pk, "activity": "case_progression", "work_date": timezone.localdate()}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Draft.objects.exists()


def test_it_refuses_future_work_and_disclosure_on_another_activity(client, assessor, assessed):
    client.force_login(assessor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        "/iqas/new/", {"assessed": assessed.pk, "activity": "advice", "work_date": tomorrow, "with_disclosure": "on"}
    )
    form = response.context["form"]
    assert form.errors["work_date"] == ["The work cannot have been done in the future."]
    assert form.errors["with_disclosure"] == ["The disclosure questions can only be added to case progression."]
    assert not Draft.objects.exists()


def test_only_assessors_start_iqas(client, assessed, dip_sampler):
    for person in (assessed, dip_sampler):
        client.force_login(person)
        assert client.get("/iqas/new/").status_code == 404
        assert client.get("/iqas/").status_code == 404
    client.logout()
    assert client.get("/iqas/new/")["Location"].startswith("/accounts/login/")


# --- The form ------------------------------------------------------------------------------------------------


def test_the_form_asks_every_question_of_the_set_with_its_guidance_one_click_away(client, assessor, make_draft):
    draft = make_draft(Activity.CASE_PROGRESSION, with_disclosure=True)
    client.force_login(assessor)
    body = client.get(draft_url(draft)).content.decode()
    for number in range(9, 18):
        assert f'data-question="Q{number}"' in body
        assert f"Guidance for Q{number}</summary>" in body
    for code in ("D1", "D2", "D3", "D4", "D5"):
        assert f'data-question="{code}"' in body
    assert 'data-question="Q18"' not in body
    assert 'name="early_advice_requested"' not in body


def test_someone_elses_draft_is_not_found(client, colleague, make_draft):
    draft = make_draft()
    client.force_login(colleague)
    assert client.get(draft_url(draft)).status_code == 404
    assert client.post(f"{draft_url(draft)}autosave/", {"urn": "x"}).status_code == 404
    assert client.post(f"{draft_url(draft)}discard/").status_code == 404
    assert client.get(f"{draft_url(draft)}case/", {"urn": "42AB0123426"}).status_code == 404
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_it_records_an_iqa_with_its_case_answers_and_half_day(client, assessor, assessed, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    data = iqa_data(draft, org.unit_a1, urn="42 ab 01234 26", sensitive_categories=["domestic_abuse", "hate_race"])
    data.update({"Q14-answer": "not_met", "Q14-reasons": ["Q14.1", "Q14.3"], "Q14-comment": "Late disclosure."})
    response = client.post(draft_url(draft), data)
    iqa = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/iqas/{iqa.pk}/"
    assert (iqa.assessor, iqa.assessed, iqa.team, iqa.state) == (assessor, assessed, org.team_a1a, State.RECORDED)
    assert iqa.recorded_on_time
    assert iqa.question_set == QuestionSet.objects.current("case_progression", timezone.localdate())
    assert iqa.case.urn == "42AB0123426"
    assert iqa.case.area == org.area_a
    assert iqa.case.sensitive_categories == ["domestic_abuse", "hate_race"]
    assert iqa.answers.count() == 9
    q14 = iqa.answers.get(question__code="Q14")
    assert (q14.value, q14.comment) == (AnswerValue.NOT_MET, "Late disclosure.")
    assert sorted(q14.reasons.values_list("code", flat=True)) == ["Q14.1", "Q14.3"]
    assert HalfDay.objects.get().assessments.get() == iqa
    draft.refresh_from_db()
    assert draft.submitted_as == iqa
    # Rule 5: both 24-hour e-mails are queued with the IQA, in the same transaction (and rule 4's reminder for
    # overdue feedback: tests/assessments/test_feedback.py).
    queued = Message.objects.exclude(template="feedback_overdue").order_by("dedupe_key")
    assert [message.dedupe_key for message in queued] == [
        f"iqa:{iqa.pk}:assessed-notice",
        f"iqa:{iqa.pk}:feedback-reminder",
    ]
    assert {message.due_at for message in queued} == {iqa.recorded_at + timedelta(hours=24)}
    assert Message.objects.filter(dedupe_key=f"iqa:{iqa.pk}:feedback-overdue").exists()


def test_a_not_met_without_reason_is_refused_next_to_the_field_and_nothing_typed_is_lost(
    client, assessor, org, make_draft
):
    draft = make_draft()
    client.force_login(assessor)
    data = iqa_data(draft, org.unit_a1, overall_comment="My overall view")
    data.update({"Q9-answer": "not_met", "Q9-comment": "Strategy missing entirely", "Q10-answer": "not_met_other"})
    response = client.post(draft_url(draft), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["Q9-reasons"] == ["Choose at least one reason why the standard was not met."]
    assert form.errors["Q10-comment"] == [
        "Add a comment saying what, outside the prosecutor's control, meant it was not met."
    ]
    body = response.content.decode()
    assert "Strategy missing entirely</textarea>" in body
    assert "My overall view</textarea>" in body
    assert 'value="42AB0123426"' in body
    assert not Assessment.objects.exists()
    # ...and the draft holds exactly what was typed.
    draft.refresh_from_db()
    assert draft.data["Q9-comment"] == ["Strategy missing entirely"]


def test_every_question_must_be_answered(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1, **{"Q12-answer": None}))
    assert response.context["form"].errors["Q12-answer"] == ["Choose an answer for Q12."]
    assert not Assessment.objects.exists()


def test_it_checks_the_urn_and_what_a_new_case_needs(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1, urn="12345", unit=None, court=None))
    errors = response.context["form"].errors
    assert "two letters for the station" in errors["urn"][0]
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1, unit=None, court=None))
    errors = response.context["form"].errors
    assert errors["unit"] == ["Needed to register a new case."]
    assert errors["court"] == ["Needed to register a new case."]
    assert not Case.objects.exists()


def test_a_case_registered_once_is_reused_for_another_activity(client, assessor, org, make_draft):
    case = CaseFactory(urn="42AB0123426", unit=org.unit_a1, stage="post_charge")
    draft = make_draft(Activity.CHARGING_REVIEW)
    client.force_login(assessor)
    lookup = client.get(f"{draft_url(draft)}case/", {"urn": "42ab 01234 26"})
    assert "is already registered" in lookup.content.decode()
    # The registration details need not be typed again; status and stage are brought up to date.
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1, unit=None, court=None, stage="trial"))
    assert response.status_code == 302
    assert Case.objects.get() == case == Assessment.objects.get().case
    case.refresh_from_db()
    assert case.stage == "trial"


def test_the_same_urn_in_another_area_is_another_case(client, assessor, org, make_draft):
    CaseFactory(urn="42AB0123426", unit=org.unit_b1)
    draft = make_draft()
    client.force_login(assessor)
    assert client.post(draft_url(draft), iqa_data(draft, org.unit_a1)).status_code == 302
    assert Case.objects.filter(urn="42AB0123426").count() == 2


def test_advice_is_refused_for_a_pre_charge_decision(client, assessor, org, make_draft):
    draft = make_draft(Activity.ADVICE)
    client.force_login(assessor)
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1, early_advice_requested="no"))
    assert "assessed as charging and review" in response.context["form"].errors["early_advice_requested"][0]
    assert not Assessment.objects.exists()
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1, early_advice_requested="yes"))
    assert response.status_code == 302
    assert Assessment.objects.get().early_advice_requested is True


def test_action_required_needs_a_description(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1, action_required="on"))
    assert response.context["form"].errors["action_description"] == [
        "Describe the action required, so it can be followed up and marked taken."
    ]


def test_a_double_submit_records_one_iqa(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    data = iqa_data(draft, org.unit_a1)
    first = client.post(draft_url(draft), data)
    second = client.post(draft_url(draft), data)
    assert Assessment.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/iqas/{Assessment.objects.get().pk}/"


def test_recording_says_whether_it_was_on_time(client, assessor, org, make_draft):
    thursday = date(2026, 11, 19)
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=UTC), tick=False):
        draft = make_draft(work_date=thursday)
        client.force_login(assessor)
        client.post(draft_url(draft), iqa_data(draft, org.unit_a1))
    assert Assessment.objects.get().recorded_on_time is False


def test_an_iqa_uses_the_question_set_version_in_force_on_the_day_of_the_work(client, assessor, org, make_draft):
    today = timezone.localdate()
    current = QuestionSet.objects.current("charging_review", today)
    new = copy_as_new_version(current)
    publish(new, today)
    old_day = today - timedelta(days=1)
    client.force_login(assessor)
    for work_date, expected in ((old_day, current), (today, new)):
        draft = make_draft(Activity.CHARGING_REVIEW, work_date=work_date)
        data = iqa_data(draft, org.unit_a1, urn=f"42AB0123{work_date:%d}6"[:11])
        assert client.post(draft_url(draft), data).status_code == 302
        assert Assessment.objects.get(work_date=work_date).question_set == expected


def test_recording_marks_a_planned_iqa_done(client, assessor, assessed, org, make_draft):
    today = timezone.localdate()
    plan = PlannedAssessment.objects.create(
        assessor=assessor,
        assessed=assessed,
        activity=Activity.CASE_PROGRESSION,
        week_starting=today - timedelta(days=today.weekday()),
    )
    draft = make_draft()
    client.force_login(assessor)
    client.post(draft_url(draft), iqa_data(draft, org.unit_a1))
    plan.refresh_from_db()
    assert plan.assessment == Assessment.objects.get()


def test_a_person_who_left_the_purview_cannot_be_recorded(client, assessor, assessed, org, make_draft):
    draft = make_draft()
    assessed.memberships.update(ends_on=timezone.localdate() - timedelta(days=1))
    client.force_login(assessor)
    response = client.post(draft_url(draft), iqa_data(draft, org.unit_a1))
    assert "no longer in your assessor purview" in response.content.decode()
    assert not Assessment.objects.exists()
    assert Draft.objects.filter(pk=draft.pk, submitted_at__isnull=True).exists()


# --- Drafts: nothing is lost ---------------------------------------------------------------------------------


def test_autosave_keeps_what_was_typed_and_the_form_shows_it_again(client, assessor, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    response = client.post(
        f"{draft_url(draft)}autosave/",
        {"urn": "42AB", "Q9-answer": "not_met", "Q9-reasons": ["Q9.1", "Q9.2"], "Q9-comment": "Half a thought"},
        headers={"HX-Request": "true"},
    )
    assert "Draft saved at" in response.content.decode()
    body = client.get(draft_url(draft)).content.decode()
    assert 'value="42AB"' in body
    assert "Half a thought</textarea>" in body
    form = client.get(draft_url(draft)).context["form"]
    assert form["Q9-reasons"].value() == ["Q9.1", "Q9.2"]
    assert form["Q9-answer"].value() == "not_met"
    assert not form.is_bound  # no errors are shown on a half-typed draft


def test_drafts_are_listed_on_the_home_page_until_recorded(client, assessor, assessed, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    assert draft_url(draft) in client.get("/").content.decode()
    client.post(draft_url(draft), iqa_data(draft, org.unit_a1))
    assert draft_url(draft) not in client.get("/").content.decode()


def test_a_post_after_the_session_ended_is_kept_and_restored_after_logging_in(client, assessor, make_draft):
    draft = make_draft()
    # The session has ended: the browser posts anonymously, from our page, with its expired session cookie.
    client.cookies[settings.SESSION_COOKIE_NAME] = "an-expired-session"
    response = client.post(
        draft_url(draft),
        {"urn": "42AB0123426", "Q9-comment": "Typed before the timeout"},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={draft_url(draft)}"
    client.force_login(assessor)
    response = client.get(draft_url(draft))
    assert "Typed before the timeout</textarea>" in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["Q9-comment"] == ["Typed before the timeout"]


def test_what_was_kept_is_only_ever_restored_into_the_owners_draft(client, assessor, colleague, make_draft):
    draft = make_draft()
    client.post(draft_url(draft), {"Q9-comment": "Someone's text"})
    client.force_login(colleague)
    assert client.get(draft_url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.data == {}


def test_a_post_with_a_rotated_csrf_token_is_kept_and_the_form_reopened(assessor, make_draft):
    draft = make_draft()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(assessor)
    response = browser.post(
        draft_url(draft),
        {"csrfmiddlewaretoken": "stale" * 8, "Q9-comment": "Not lost"},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 302
    assert response["Location"] == draft_url(draft)
    response = browser.get(draft_url(draft))
    body = response.content.decode()
    assert "Not lost</textarea>" in body
    assert "nothing was recorded yet" in body
    assert not Assessment.objects.exists()


def test_other_csrf_failures_are_still_refused(assessor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(assessor)
    assert browser.post("/iqas/new/", {}).status_code == 403


def test_discarding_a_draft(client, assessor, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    assert client.post(f"{draft_url(draft)}discard/").status_code == 302
    assert not Draft.objects.exists()


# --- Half-day sessions -------------------------------------------------------------------------------------------


def test_another_case_from_the_same_half_day_carries_the_shared_fields(client, assessor, assessed, org, make_draft):
    draft = make_draft(work_date=timezone.localdate() - timedelta(days=1))
    client.force_login(assessor)
    first = client.post(draft_url(draft), iqa_data(draft, org.unit_a1))
    iqa = Assessment.objects.get()
    response = client.post(f"/iqas/{iqa.pk}/another-case/")
    second_draft = Draft.objects.get(submitted_at__isnull=True)
    assert response["Location"] == draft_url(second_draft)
    assert (second_draft.assessed, second_draft.activity, second_draft.work_date) == (
        assessed,
        iqa.activity,
        iqa.work_date,
    )
    page = client.get(draft_url(second_draft)).content.decode()
    assert "Already recorded from this half-day" in page and "42AB0123426" in page
    client.post(draft_url(second_draft), iqa_data(second_draft, org.unit_a1, urn="42AB0999926"))
    assert first.status_code == 302
    assert HalfDay.objects.get().assessments.count() == 2


# --- Amending, conflicts, actions, closing -------------------------------------------------------------------


@pytest.fixture
def recorded(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    client.post(draft_url(draft), iqa_data(draft, org.unit_a1, overall_comment="First view"))
    return Assessment.objects.get()


def test_the_author_amends_an_iqa_and_the_change_is_kept_in_history(client, recorded, org):
    response = client.post(f"/iqas/{recorded.pk}/amend/")
    draft = Draft.objects.get(amends=recorded)
    assert response["Location"] == draft_url(draft)
    assert client.get(draft_url(draft)).context["form"]["overall_comment"].value() == "First view"
    data = iqa_data(draft, org.unit_a1, overall_comment="Second view", **{"Q11-answer": "not_applicable"})
    assert client.post(draft_url(draft), data).status_code == 302
    recorded.refresh_from_db()
    assert (recorded.overall_comment, recorded.version) == ("Second view", 2)
    assert "1 time, last on" in client.get(f"/iqas/{recorded.pk}/").content.decode()
    assert recorded.answers.get(question__code="Q11").value == AnswerValue.NOT_APPLICABLE
    assert Assessment.objects.count() == 1
    history = recorded.events.order_by("pgh_id").values_list("overall_comment", flat=True)
    assert list(history) == ["First view", "Second view"]
    q11_history = Answer.objects.get(assessment=recorded, question__code="Q11").events.values_list("value", flat=True)
    assert sorted(q11_history) == ["fully_met", "not_applicable"]


def test_two_people_editing_one_iqa_never_silently_overwrite_each_other(client, recorded, org):
    client.post(f"/iqas/{recorded.pk}/amend/")
    client.post(f"/iqas/{recorded.pk}/amend/")
    first, second = Draft.objects.filter(amends=recorded).order_by("created_at")
    client.post(draft_url(first), iqa_data(first, org.unit_a1, overall_comment="Edited on the laptop"))
    response = client.post(draft_url(second), iqa_data(second, org.unit_a1, overall_comment="Edited on the tablet"))
    assert response.status_code == 409
    recorded.refresh_from_db()
    assert recorded.overall_comment == "Edited on the laptop"
    conflict = response.context["conflict"]
    assert {"field": "Overall comment", "theirs": "Edited on the laptop", "yours": "Edited on the tablet"} in conflict[
        "rows"
    ]
    body = response.content.decode()
    assert "Someone else changed this IQA" in body and "Edited on the tablet</textarea>" in body
    # Choosing to keep theirs over mine is explicit.
    data = iqa_data(second, org.unit_a1, overall_comment="Edited on the tablet")
    data["overwrite_version"] = str(recorded.version)
    assert client.post(draft_url(second), data).status_code == 302
    recorded.refresh_from_db()
    assert (recorded.overall_comment, recorded.version) == ("Edited on the tablet", 3)


def test_only_the_author_amends(client, recorded, dip_sampler):
    client.force_login(dip_sampler)
    assert client.get(f"/iqas/{recorded.pk}/").status_code == 200
    assert client.post(f"/iqas/{recorded.pk}/amend/").status_code == 404
    assert client.post(f"/iqas/{recorded.pk}/close/").status_code == 404
    assert not Draft.objects.filter(amends=recorded).exists()


def test_an_iqa_with_action_required_closes_only_after_the_action_is_taken(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    client.post(draft_url(draft), iqa_data(draft, org.unit_a1, action_required="on", action_description="Retrain"))
    iqa = Assessment.objects.get()
    response = client.post(f"/iqas/{iqa.pk}/close/", follow=True)
    assert "mark the action taken before closing it" in response.content.decode()
    iqa.refresh_from_db()
    assert iqa.state == State.RECORDED
    response = client.post(f"/iqas/{iqa.pk}/action-taken/", {"taken_on": "", "note": ""}, follow=True)
    iqa.refresh_from_db()
    assert iqa.state == State.RECORDED
    client.post(f"/iqas/{iqa.pk}/action-taken/", {"taken_on": timezone.localdate(), "note": "Coached on strategy"})
    client.post(f"/iqas/{iqa.pk}/close/")
    iqa.refresh_from_db()
    assert (iqa.state, iqa.action_taken_note) == (State.CLOSED, "Coached on strategy")
    assert iqa.closed_at is not None
    # A closed IQA is no longer amended.
    response = client.post(f"/iqas/{iqa.pk}/amend/", follow=True)
    assert "A closed IQA cannot be amended." in response.content.decode()


def test_services_refuse_to_amend_over_a_newer_version(assessor, recorded, org):
    draft = services.iqa_amend(assessment=recorded, assessor=assessor)
    Assessment.objects.filter(pk=recorded.pk).update(version=5)
    form = IQAForm(iqa_data(draft, org.unit_a1), draft=draft, question_set=recorded.question_set)
    assert form.is_valid(), form.errors
    with pytest.raises(services.EditConflictError):
        services.iqa_record(draft_id=draft.pk, assessor=assessor, entry=form.entry())
    assert Draft.objects.get(pk=draft.pk).submitted_at is None


def test_a_tampered_overwrite_version_is_ignored_not_an_error(client, recorded, org):
    client.post(f"/iqas/{recorded.pk}/amend/")
    draft = Draft.objects.get(amends=recorded)
    data = iqa_data(draft, org.unit_a1, overall_comment="Third view")
    data["overwrite_version"] = "not-a-number"
    assert client.post(draft_url(draft), data).status_code == 302
    recorded.refresh_from_db()
    assert recorded.overall_comment == "Third view"


def test_the_conflict_names_units_not_their_ids(client, recorded, org):
    other_unit = UnitFactory(area=org.area_a, name="Unit A2")
    client.post(f"/iqas/{recorded.pk}/amend/")
    client.post(f"/iqas/{recorded.pk}/amend/")
    first, second = Draft.objects.filter(amends=recorded).order_by("created_at")
    client.post(draft_url(first), iqa_data(first, org.unit_a1, overall_comment="Mine first"))
    response = client.post(draft_url(second), iqa_data(second, other_unit, overall_comment="Mine second"))
    rows = {row["field"]: row for row in response.context["conflict"]["rows"]}
    assert (rows["Unit"]["theirs"], rows["Unit"]["yours"]) == (str(org.unit_a1), str(other_unit))
    assert (rows["Overall comment"]["theirs"], rows["Overall comment"]["yours"]) == ("Mine first", "Mine second")


def test_the_action_date_starts_as_today_in_the_format_date_inputs_read(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    client.post(draft_url(draft), iqa_data(draft, org.unit_a1, action_required="on", action_description="Retrain"))
    body = client.get(f"/iqas/{Assessment.objects.get().pk}/").content.decode()
    assert f'type="date" name="taken_on" value="{timezone.localdate():%Y-%m-%d}"' in body
