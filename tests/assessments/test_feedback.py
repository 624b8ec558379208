"""Feedback on an IQA (rule 4) and open actions (rule 3): recording feedback, who may, when it is due or overdue,
the assessor's home card, and the reminder that goes when feedback becomes overdue."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments import feedback, feedback_emails, rules
from assessments.models import Feedback, FeedbackMode, State
from assessments.views.feedback import NOT_RECORDED_MESSAGE
from notifications import outbox
from notifications.models import Message
from organisation.models import PurviewLevel, Role, RoleGrant, TeamMembership
from tests.assessments.conftest import iqa_data
from tests.factories import AssessmentFactory, PersonFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db

# Friday 20 November 2026, noon (GMT): feedback is due by Friday 27 November.
NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)
# Wednesday 13 January 2027, 10:00 (GMT), for the home card.
HOME_DAY = datetime(2027, 1, 13, 10, tzinfo=UTC)


def recorded(assessor, assessed, team, recorded_at, **fields):
    fields.setdefault("work_date", timezone.localdate(recorded_at))
    return AssessmentFactory(assessor=assessor, assessed=assessed, team=team, recorded_at=recorded_at, **fields)


def feedback_data(**overrides):
    data = {
        "given_on": timezone.localdate().isoformat(),
        "mode": FeedbackMode.FACE_TO_FACE,
        "positive_points": "Clear review with a sound case strategy.",
        "issues_to_address": "Record the disclosure decisions on the file.",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def iqa(assessor, assessed, org):
    today = timezone.localdate()
    return AssessmentFactory(
        assessor=assessor,
        assessed=assessed,
        team=org.team_a1a,
        work_date=today - timedelta(days=2),
        action_required=True,
        action_description="Discuss the case strategy and record it on the file.",
    )


@pytest.fixture
def team_assessor(org):
    """A second assessor over team A1a: they can open the IQA but did not write it."""
    person = PersonFactory(full_name="Terry Teamassessor")
    RoleGrantFactory(person=person, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1a)
    return person


@pytest.fixture
def long_standing(assessor, assessed, colleague, dip_sampler):
    """Everyone has held their posts and roles for years, so a test may travel to any date in 2026–27."""
    RoleGrant.objects.update(starts_on=date(2020, 1, 1))
    TeamMembership.objects.update(starts_on=date(2020, 1, 1))


def url(iqa):
    return f"/iqas/{iqa.pk}/feedback/"


# --- Recording feedback ---------------------------------------------------------------------------------------


def test_it_records_feedback(client, assessor, iqa):
    client.force_login(assessor)
    response = client.post(url(iqa), feedback_data(mode=FeedbackMode.VIDEO))
    assert response.status_code == 302
    assert response.url == f"/iqas/{iqa.pk}/#feedback"
    given = Feedback.objects.get()
    assert (given.assessment, given.recorded_by, given.mode) == (iqa, assessor, FeedbackMode.VIDEO)
    assert given.given_on == timezone.localdate()
    assert given.positive_points == "Clear review with a sound case strategy."
    assert given.issues_to_address == "Record the disclosure decisions on the file."
    page = client.get(response.url).content.decode()
    assert "The feedback is recorded." in page
    assert f"Feedback was given on {timezone.localdate():%A %-d %B %Y} by video call, within five working days" in page
    assert "Record the disclosure decisions on the file." in page


def test_bad_input_is_refused_with_clear_messages_and_nothing_typed_is_lost(client, assessor, iqa):
    client.force_login(assessor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url(iqa), feedback_data(given_on=tomorrow.isoformat(), mode=None, positive_points="  ", issues_to_address="")
    )
    assert response.status_code == 200
    assert not Feedback.objects.exists()
    form = response.context["feedback_form"]
    assert form.errors == {
        "given_on": ["Feedback cannot have been given in the future."],
        "mode": ["Choose how the feedback was given."],
        "__all__": ["Write the positive points, the issues to address, or both."],
    }
    page = response.content.decode()
    assert NOT_RECORDED_MESSAGE in page
    assert f'value="{tomorrow.isoformat()}"' in page  # what was typed is shown again

    response = client.post(url(iqa), feedback_data(given_on="2026-02-31", positive_points="Kept, every word."))
    assert response.context["feedback_form"].errors == {
        "given_on": ["Enter the date the feedback was given as a real date, for example 27/11/2026."]
    }
    assert "Kept, every word." in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_cannot_predate_the_work(client, assessor, iqa):
    client.force_login(assessor)
    day_before = iqa.work_date - timedelta(days=1)
    response = client.post(url(iqa), feedback_data(given_on=day_before.isoformat()))
    assert response.context["feedback_form"].errors == {
        "given_on": [f"Feedback cannot have been given before the work was done, on {iqa.work_date:%-d %B %Y}."]
    }
    # The day of the work itself is fine.
    assert client.post(url(iqa), feedback_data(given_on=iqa.work_date.isoformat())).status_code == 302


@pytest.mark.parametrize("persona", ["assessed", "colleague", "outsider", "dip_sampler", "team_assessor"])
def test_it_checks_ownership(client, request, iqa, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url(iqa), feedback_data()).status_code == 404
    assert not Feedback.objects.exists()


def test_it_needs_a_logged_in_post(client, assessor, iqa):
    assert client.post(url(iqa), feedback_data()).status_code == 302  # to the log-in page
    client.force_login(assessor)
    assert client.get(url(iqa)).status_code == 405
    assert client.post("/iqas/999999/feedback/", feedback_data()).status_code == 404
    assert not Feedback.objects.exists()


def test_the_author_corrects_it_until_the_iqa_is_closed(client, assessor, iqa):
    client.force_login(assessor)
    client.post(url(iqa), feedback_data(mode=FeedbackMode.PHONE))
    response = client.post(url(iqa), feedback_data(mode=FeedbackMode.FACE_TO_FACE), follow=True)
    assert "The feedback record is corrected." in response.content.decode()
    assert list(Feedback.objects.values_list("mode", flat=True)) == [FeedbackMode.FACE_TO_FACE]
    assert "Correct the feedback record" in response.content.decode()

    iqa.state = State.CLOSED
    iqa.save()
    response = client.post(url(iqa), feedback_data(mode=FeedbackMode.EMAIL), follow=True)
    assert "This IQA is closed: its feedback can no longer be changed." in response.content.decode()
    assert Feedback.objects.get().mode == FeedbackMode.FACE_TO_FACE
    assert response.context["feedback_form"] is None
    with pytest.raises(ValidationError):
        feedback.feedback_record(assessment=iqa, recorded_by=assessor, **feedback_data(given_on=timezone.localdate()))


def test_a_closed_iqa_without_feedback_still_takes_it(client, assessor, iqa):
    iqa.state = State.CLOSED
    iqa.save()
    client.force_login(assessor)
    assert client.get(f"/iqas/{iqa.pk}/").context["feedback_form"] is not None
    assert client.post(url(iqa), feedback_data()).status_code == 302
    assert Feedback.objects.filter(assessment=iqa).exists()


def test_the_service_is_for_the_author_only(iqa, assessed, team_assessor):
    for person in (assessed, team_assessor):
        with pytest.raises(ValidationError):
            feedback.feedback_record(
                assessment=iqa, recorded_by=person, given_on=timezone.localdate(), mode="phone", positive_points="x"
            )
    assert not Feedback.objects.exists()


def test_the_service_refuses_what_the_rules_refuse(iqa, assessor):
    with pytest.raises(ValidationError) as refused:
        feedback.feedback_record(
            assessment=iqa, recorded_by=assessor, given_on=timezone.localdate(), mode="carrier_pigeon"
        )
    assert refused.value.message_dict == {
        "mode": ["Choose how the feedback was given."],
        "__all__": ["Write the positive points, the issues to address, or both."],
    }


# --- Who sees it ----------------------------------------------------------------------------------------------


@pytest.fixture
def given(iqa, assessor):
    feedback.feedback_record(assessment=iqa, recorded_by=assessor, **feedback_data(given_on=timezone.localdate()))
    return iqa


@pytest.mark.parametrize("persona", ["assessor", "assessed", "dip_sampler"])
def test_the_author_the_assessed_person_and_dip_samplers_read_the_feedback(client, request, given, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/iqas/{given.pk}/")
    page = response.content.decode()
    assert "Clear review with a sound case strategy." in page
    assert "Record the disclosure decisions on the file." in page
    assert (response.context["feedback_form"] is not None) == (persona == "assessor")


def test_another_assessor_over_the_team_sees_only_that_it_was_given(client, given, team_assessor):
    client.force_login(team_assessor)
    response = client.get(f"/iqas/{given.pk}/")
    page = response.content.decode()
    assert f"Feedback was given on {timezone.localdate():%A %-d %B %Y}, within five working days" in page
    assert "Clear review" not in page
    assert "disclosure decisions" not in page
    assert response.context["feedback_form"] is None


def test_the_assessed_person_sees_when_feedback_is_due_but_no_form(client, iqa, assessed):
    client.force_login(assessed)
    response = client.get(f"/iqas/{iqa.pk}/")
    due = rules.feedback_due(iqa)
    assert f"Feedback due by {due:%A %-d %B %Y}" in response.content.decode()
    assert response.context["feedback_form"] is None
    assert 'data-testid="feedback-form"' not in response.content.decode()


# --- Due and overdue ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded_on", "due_on"),
    [
        (date(2026, 11, 20), date(2026, 11, 27)),  # Friday: the weekend is not counted
        (date(2026, 11, 21), date(2026, 11, 27)),  # Saturday: five working days after it, Monday to Friday
        (date(2026, 11, 23), date(2026, 11, 30)),  # Monday
        (date(2026, 8, 26), date(2026, 9, 3)),  # the late summer bank holiday, Monday 31 August, is not counted
        (date(2026, 8, 21), date(2026, 8, 28)),  # ... but it falls after this one was due
        (date(2026, 12, 21), date(2026, 12, 30)),  # Christmas Day and Boxing Day (observed Monday 28th)
        (date(2026, 12, 30), date(2027, 1, 7)),  # New Year's Day
        (date(2026, 4, 2), date(2026, 4, 13)),  # Good Friday and Easter Monday
    ],
)
def test_feedback_is_due_five_working_days_after_the_assessment(recorded_on, due_on):
    assert rules.feedback_due_after(recorded_on) == due_on


def test_it_counts_from_the_london_date_it_was_recorded(assessor, assessed, org):
    # 23:30 UTC on Sunday 18 October is 00:30 BST on Monday 19 October.
    iqa = recorded(assessor, assessed, org.team_a1a, datetime(2026, 10, 18, 23, 30, tzinfo=UTC))
    assert rules.feedback_due(iqa) == date(2026, 10, 26)


def test_feedback_is_due_then_overdue_then_given(assessor, assessed, org):
    # Recorded Friday 21 August 2026: due Friday 28 August, before the bank holiday.
    iqa = recorded(assessor, assessed, org.team_a1a, datetime(2026, 8, 21, 9, tzinfo=UTC))
    assert feedback.feedback_status(iqa, date(2026, 8, 28)) == feedback.FeedbackStatus("due", date(2026, 8, 28))
    overdue = feedback.feedback_status(iqa, date(2026, 8, 29))
    assert (overdue.state, overdue.overdue_since) == ("overdue", date(2026, 8, 29))
    with time_machine.travel(datetime(2026, 9, 2, 9, tzinfo=UTC), tick=False):
        feedback.feedback_record(
            assessment=iqa, recorded_by=assessor, given_on=date(2026, 9, 1), mode="phone", issues_to_address="Timing"
        )
    iqa.refresh_from_db()
    late = feedback.feedback_status(iqa, date(2026, 9, 2))
    assert (late.state, late.given_on, late.given_on_time) == ("given", date(2026, 9, 1), False)


def test_the_iqa_page_says_due_by_and_then_overdue_since(client, assessor, assessed, org):
    iqa = recorded(assessor, assessed, org.team_a1a, NOON)
    with time_machine.travel(datetime(2026, 11, 27, 17, tzinfo=UTC), tick=False):
        client.force_login(assessor)
        page = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "Feedback due by Friday 27 November 2026" in page
    with time_machine.travel(datetime(2026, 11, 28, 9, tzinfo=UTC), tick=False):
        client.force_login(assessor)
        page = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "Feedback overdue since Saturday 28 November 2026: it was due by Friday 27 November 2026" in page


def test_the_last_overdue_recording_day_agrees_with_the_due_date_every_day_of_a_year():
    for offset in range(400):
        today = date(2026, 1, 1) + timedelta(days=offset)
        cutoff = rules.last_overdue_recording_day(today)
        assert rules.feedback_due_after(cutoff) < today
        assert rules.feedback_due_after(cutoff + timedelta(days=1)) >= today


# --- The home card --------------------------------------------------------------------------------------------


@pytest.fixture
def home_iqas(long_standing, assessor, assessed, colleague, org):
    """IQAs around Wednesday 13 January 2027, named by what the home card should make of them."""
    team = org.team_a1a
    action = {"action_required": True, "action_description": "Discuss the case strategy and record it on the file."}
    iqas = {
        # Due Tuesday 8 December: 36 days overdue. Closed, but the feedback is still owed.
        "closed_overdue": recorded(assessor, assessed, team, datetime(2026, 12, 1, 16, tzinfo=UTC), state=State.CLOSED),
        # Due Thursday 7 January (New Year's Day not counted): 6 days overdue; its action is 14 days old.
        "overdue_with_action": recorded(assessor, colleague, team, datetime(2026, 12, 30, 16, tzinfo=UTC), **action),
        # Due Tuesday 12 January: a day overdue.
        "just_overdue": recorded(assessor, assessed, team, datetime(2027, 1, 5, 11, tzinfo=UTC)),
        # Due today: not overdue yet; its action is 7 days old.
        "due_today": recorded(assessor, assessed, team, datetime(2027, 1, 6, 11, tzinfo=UTC), **action),
        # Feedback given and action taken: on neither list.
        "done": recorded(
            assessor, assessed, team, datetime(2026, 12, 21, 11, tzinfo=UTC), state=State.ACTION_TAKEN, **action
        ),
        # Someone else's: on neither list.
        "not_mine": recorded(PersonFactory(), assessed, team, datetime(2026, 12, 1, 11, tzinfo=UTC), **action),
    }
    with time_machine.travel(datetime(2026, 12, 22, 10, tzinfo=UTC), tick=False):
        feedback.feedback_record(
            assessment=iqas["done"],
            recorded_by=assessor,
            given_on=date(2026, 12, 22),
            mode="phone",
            positive_points="x",
        )
    return iqas


def test_the_home_card_lists_overdue_feedback_and_open_actions_with_their_age(client, assessor, home_iqas):
    today = timezone.localdate(HOME_DAY)
    card = feedback.home_card(assessor, today)
    overdue = card["overdue_feedback"]
    assert [iqa.pk for iqa in overdue.items] == [
        home_iqas[name].pk for name in ("closed_overdue", "overdue_with_action", "just_overdue")
    ]
    assert [iqa.days_overdue for iqa in overdue.items] == [36, 6, 1]
    assert [iqa.feedback_status.due_on for iqa in overdue.items] == [
        date(2026, 12, 8),
        date(2027, 1, 7),
        date(2027, 1, 12),
    ]
    assert (overdue.total, overdue.more) == (3, 0)
    actions = card["open_actions"]
    assert [(iqa.pk, iqa.age_days) for iqa in actions.items] == [
        (home_iqas["overdue_with_action"].pk, 14),
        (home_iqas["due_today"].pk, 7),
    ]

    with time_machine.travel(HOME_DAY, tick=False):
        client.force_login(assessor)  # inside the travel: a session is only good for so long
        page = client.get("/").content.decode()
    assert "36 days overdue" in page
    assert "1 day overdue" in page
    assert f'href="/iqas/{home_iqas["closed_overdue"].pk}/#feedback"' in page
    assert "(due by 8 Dec 2026)" in page
    assert ">14 days<" in page
    assert ">7 days<" in page
    assert "Casey Colleague, Discuss the case strategy" in page
    assert "No feedback is overdue." not in page


def test_an_action_opened_today_says_so(client, long_standing, assessor, assessed, org):
    AssessmentFactory(
        assessor=assessor, assessed=assessed, team=org.team_a1a, action_required=True, action_description="Retrain"
    )
    client.force_login(assessor)
    assert '<span class="badge text-bg-warning">Today</span>' in client.get("/").content.decode()


def test_the_home_card_says_when_there_is_nothing_to_do(client, long_standing, assessor, assessed, org):
    client.force_login(assessor)
    page = client.get("/").content.decode()
    assert "No feedback is overdue." in page
    assert "No actions are waiting to be marked taken." in page


def test_only_assessors_get_the_card(client, assessed):
    client.force_login(assessed)
    response = client.get("/")
    assert "feedback_card" not in response.context
    assert 'data-testid="home-feedback"' not in response.content.decode()


def test_the_home_card_shows_the_first_ten_and_counts_the_rest_in_constant_queries(
    client, long_standing, assessor, assessed, org, django_assert_num_queries
):
    today = timezone.localdate(HOME_DAY)
    action = {"action_required": True, "action_description": "Retrain"}
    recorded(assessor, assessed, org.team_a1a, datetime(2026, 12, 1, 11, tzinfo=UTC), **action)
    with django_assert_num_queries(2):  # overdue feedback, open actions: each with its total as a window count
        feedback.home_card(assessor, today)
    for day in range(2, 14):
        recorded(assessor, assessed, org.team_a1a, datetime(2026, 12, day, 11, tzinfo=UTC), **action)
    with django_assert_num_queries(2):
        card = feedback.home_card(assessor, today)
    for name in ("overdue_feedback", "open_actions"):
        assert (len(card[name].items), card[name].total, card[name].more) == (10, 13, 3)
    with time_machine.travel(HOME_DAY, tick=False):
        client.force_login(assessor)  # inside the travel: a session is only good for so long
        page = client.get("/").content.decode()
    assert page.count("and 3 more.") == 2


# --- The overdue reminder -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recorded_at", "reminder_at"),
    [
        # Friday 20 November: due Friday 27th, reminded Monday 30th at 08:00 GMT.
        (NOON, datetime(2026, 11, 30, 8, tzinfo=UTC)),
        # Monday 12 October: due Monday 19th, reminded Tuesday 20th at 08:00 BST (07:00 UTC).
        (datetime(2026, 10, 12, 9, tzinfo=UTC), datetime(2026, 10, 20, 7, tzinfo=UTC)),
        # Monday 19 October, in summer time: due Monday 26th, after the clocks go back on Sunday 25th, so reminded
        # Tuesday 27th at 08:00 GMT (08:00 UTC).
        (datetime(2026, 10, 19, 9, tzinfo=UTC), datetime(2026, 10, 27, 8, tzinfo=UTC)),
        # 00:30 BST on Monday 19 October is still Sunday in UTC: the London date counts.
        (datetime(2026, 10, 18, 23, 30, tzinfo=UTC), datetime(2026, 10, 27, 8, tzinfo=UTC)),
        # Friday 21 August: due Friday 28th; Monday 31st is a bank holiday, so Tuesday 1 September, 08:00 BST.
        (datetime(2026, 8, 21, 9, tzinfo=UTC), datetime(2026, 9, 1, 7, tzinfo=UTC)),
        # Monday 21 December: due Wednesday 30th (Christmas and Boxing Day skipped), reminded Thursday 31st.
        (datetime(2026, 12, 21, 9, tzinfo=UTC), datetime(2026, 12, 31, 8, tzinfo=UTC)),
    ],
)
def test_the_overdue_reminder_is_queued_for_8am_london_on_the_next_working_day(
    assessor, assessed, org, recorded_at, reminder_at
):
    iqa = recorded(assessor, assessed, org.team_a1a, recorded_at)
    feedback_emails.queue_for_recorded(iqa)
    message = Message.objects.get(dedupe_key=f"iqa:{iqa.pk}:feedback-overdue")
    assert message.due_at == reminder_at
    assert timezone.localtime(message.due_at).hour == 8
    assert (message.recipient, message.person, message.template) == (assessor.email, assessor, "feedback_overdue")
    assert message.condition == "assessments.feedback_emails.feedback_not_given"


def test_recording_an_iqa_queues_the_reminder_in_the_same_transaction(client, assessor, org, make_draft):
    draft = make_draft()
    client.force_login(assessor)
    client.post(f"/iqas/drafts/{draft.pk}/", iqa_data(draft, org.unit_a1))
    draft.refresh_from_db()
    message = Message.objects.get(dedupe_key=f"iqa:{draft.submitted_as_id}:feedback-overdue")
    assert message.due_at == feedback_emails.overdue_reminder_at(draft.submitted_as)


def overdue_reminders():
    return [email for email in mail.outbox if email.extra_headers["X-Outbox-Key"].endswith(":feedback-overdue")]


@pytest.fixture
def november_iqa(assessor, assessed, org):
    iqa = recorded(assessor, assessed, org.team_a1a, NOON, action_required=True, action_description="Retrain")
    feedback_emails.queue_for_recorded(iqa)
    return iqa


REMINDER_AT = datetime(2026, 11, 30, 8, tzinfo=UTC)


def test_the_reminders_link_is_made_from_site_url(november_iqa, settings):
    # An instance served elsewhere than the default (make run on another PORT, a deployment) links to itself.
    settings.SITE_URL = "http://127.0.0.1:8123/"
    with time_machine.travel(REMINDER_AT, tick=False):
        outbox.dispatch_due()
    [reminder] = overdue_reminders()
    html = reminder.alternatives[0][0]
    links = re.findall(r"https?://[^\s\"<]+", reminder.body) + re.findall(r'href="([^"]+)"', html)
    assert links
    assert all(link == f"http://127.0.0.1:8123/iqas/{november_iqa.pk}/" for link in links), links
    assert "localhost" not in reminder.body + html


def test_the_overdue_reminder_goes_when_no_feedback_was_recorded(november_iqa, assessor, assessed):
    with time_machine.travel(REMINDER_AT - timedelta(seconds=1), tick=False):
        outbox.dispatch_due()  # the 24-hour e-mails
    assert overdue_reminders() == []
    with time_machine.travel(REMINDER_AT, tick=False):
        assert outbox.dispatch_due() == {"sent": 1, "failed": 0, "cancelled": 0}
    [reminder] = overdue_reminders()
    assert reminder.to == [assessor.email]
    assert reminder.subject == "Feedback overdue on an assessment you recorded"
    assert assessed.full_name not in reminder.subject
    assert "was due by Friday 27 November 2026" in reminder.body
    assert f"http://localhost:8000/iqas/{november_iqa.pk}/" in reminder.body
    html = reminder.alternatives[0][0]
    assert "was due by Friday 27 November 2026" in html
    assert f'href="http://localhost:8000/iqas/{november_iqa.pk}/"' in html
    assert Message.objects.get(dedupe_key=f"iqa:{november_iqa.pk}:feedback-overdue").status == "sent"


def test_the_overdue_reminder_is_cancelled_when_feedback_was_recorded(november_iqa, assessor):
    with time_machine.travel(datetime(2026, 11, 27, 15, tzinfo=UTC), tick=False):
        fields = {"given_on": date(2026, 11, 27), "mode": "phone", "positive_points": "x"}
        feedback.feedback_record(assessment=november_iqa, recorded_by=assessor, **fields)
    with time_machine.travel(REMINDER_AT, tick=False):
        outbox.dispatch_due()
    assert overdue_reminders() == []
    message = Message.objects.get(dedupe_key=f"iqa:{november_iqa.pk}:feedback-overdue")
    assert message.status == "cancelled"


@pytest.mark.parametrize("policy", ["all", "action_required"])
def test_the_24_hour_reminder_is_not_sent_once_feedback_is_recorded(settings, policy, november_iqa, assessor, assessed):
    settings.FEEDBACK_EMAIL_POLICY = policy
    Message.objects.all().delete()
    feedback_emails.queue_for_recorded(november_iqa)  # queued under the policy being tested
    with time_machine.travel(NOON + timedelta(hours=3), tick=False):
        given = {"given_on": date(2026, 11, 20), "mode": "face_to_face", "positive_points": "x"}
        feedback.feedback_record(assessment=november_iqa, recorded_by=assessor, **given)
    with time_machine.travel(NOON + timedelta(hours=24), tick=False):
        assert outbox.dispatch_due() == {"sent": 1, "failed": 0, "cancelled": 1}
    assert [email.to for email in mail.outbox] == [[assessed.email]]  # the assessed person is still told
    assert Message.objects.get(dedupe_key=f"iqa:{november_iqa.pk}:feedback-reminder").status == "cancelled"


def test_the_24_hour_reminder_still_goes_without_feedback(november_iqa, assessor, assessed):
    with time_machine.travel(NOON + timedelta(hours=24), tick=False):
        assert outbox.dispatch_due()["sent"] == 2
    assert sorted(email.to[0] for email in mail.outbox) == sorted([assessor.email, assessed.email])
