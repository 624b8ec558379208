"""The assessed person's acknowledgement, response and challenges; the dip sampler's queue and decisions."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import challenges
from assessments.models import (
    Acknowledgement,
    AnswerValue,
    Assessment,
    Challenge,
    ChallengeStatus,
)
from notifications import outbox
from notifications.models import Message
from organisation.models import PurviewLevel, Role
from tests.factories import AssessmentFactory, PersonFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db

# Thursday before Easter 2026: Good Friday is 3 April, Easter Monday 6 April (England and Wales bank holidays).
BEFORE_EASTER = datetime(2026, 4, 2, 10, tzinfo=UTC)
# Ten working days after it: 7–10 April (4), 13–17 April (9), Monday 20 April (10).
EASTER_DEADLINE = date(2026, 4, 20)


@pytest.fixture
def iqa(assessor, assessed, org):
    return AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)


@pytest.fixture
def answer(iqa):
    """Q9 marked not met, with a reason and a comment (rule 1)."""
    answer = iqa.answers.get(question__code="Q9")
    answer.value, answer.comment = AnswerValue.NOT_MET, "No case strategy recorded."
    answer.save()
    answer.reasons.set([answer.question.reasons.first()])
    return answer


@pytest.fixture
def challenge(answer, assessed):
    return challenges.challenge_raise(
        answer=answer,
        raised_by=assessed,
        reasons="The strategy is in the review of 3 March.",
        proposed_value="fully_met",
    )


@pytest.fixture
def other_dip_sampler(org):
    """A dip sampler over another area's unit."""
    person = AssessmentFactory(team=org.team_b1a).assessor
    RoleGrantFactory(person=person, role=Role.DIP_SAMPLER, level=PurviewLevel.UNIT, team=None, unit=org.unit_b1)
    return person


def recorded(assessor, assessed, team, recorded_at):
    return AssessmentFactory(
        assessor=assessor,
        assessed=assessed,
        team=team,
        recorded_at=recorded_at,
        work_date=timezone.localdate(recorded_at),
    )


# --- The window ----------------------------------------------------------------------------------------------


def test_it_gives_ten_working_days_across_weekends_and_bank_holidays(assessor, assessed, org):
    iqa = recorded(assessor, assessed, org.team_a1a, BEFORE_EASTER)
    assert challenges.challenge_deadline(iqa) == EASTER_DEADLINE


def test_it_counts_from_the_london_date_it_was_recorded(assessor, assessed, org):
    # 23:30 UTC on Sunday 7 June 2026 is 00:30 on Monday 8 June in London (summer time): Monday is day 0.
    iqa = recorded(assessor, assessed, org.team_a1a, datetime(2026, 6, 7, 23, 30, tzinfo=UTC))
    assert challenges.challenge_deadline(iqa) == date(2026, 6, 22)
    # Recorded at the weekend: the Monday after is day 1, as for an IQA recorded on the Friday before.
    saturday = recorded(assessor, assessed, org.team_a1a, datetime(2026, 6, 6, 12, tzinfo=UTC))
    friday = recorded(assessor, assessed, org.team_a1a, datetime(2026, 6, 5, 12, tzinfo=UTC))
    assert challenges.challenge_deadline(saturday) == challenges.challenge_deadline(friday) == date(2026, 6, 19)


def test_the_window_is_a_setting(settings, assessor, assessed, org):
    settings.CHALLENGE_WINDOW_WORKING_DAYS = 1
    iqa = recorded(assessor, assessed, org.team_a1a, BEFORE_EASTER)
    assert challenges.challenge_deadline(iqa) == date(2026, 4, 7)  # the Tuesday after Easter Monday


def test_it_can_be_challenged_to_the_end_of_the_last_day_london_time(assessor, assessed, org):
    iqa = recorded(assessor, assessed, org.team_a1a, BEFORE_EASTER)
    answer = iqa.answers.get(question__code="Q10")
    assert challenges.can_challenge(iqa, assessed, EASTER_DEADLINE) == (True, "")
    allowed, message = challenges.can_challenge(iqa, assessed, EASTER_DEADLINE + timedelta(days=1))
    assert not allowed
    assert message == "The time to challenge this IQA's answers ended on Monday 20 April 2026."
    # 23:30 UTC on 20 April is already 21 April in London.
    late = time_machine.travel(datetime(2026, 4, 20, 23, 30, tzinfo=UTC), tick=False)
    with late, pytest.raises(ValidationError, match="ended on Monday 20 April 2026"):
        challenges.challenge_raise(
            answer=answer, raised_by=assessed, reasons="Reasons.", proposed_value="not_applicable"
        )
    with time_machine.travel(datetime(2026, 4, 20, 22, 30, tzinfo=UTC), tick=False):
        challenges.challenge_raise(
            answer=answer, raised_by=assessed, reasons="Reasons.", proposed_value="not_applicable"
        )


def test_a_closed_iqa_can_still_be_challenged_inside_the_window(iqa, answer, assessed):
    Assessment.objects.filter(pk=iqa.pk).update(state="closed", closed_at=timezone.now())
    assert (
        challenges.challenge_raise(
            answer=answer, raised_by=assessed, reasons="Reasons.", proposed_value="fully_met"
        ).status
        == ChallengeStatus.PENDING
    )


# --- Raising a challenge ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["assessor", "dip_sampler", "colleague", "outsider"])
def test_only_the_assessed_person_raises_a_challenge(request, answer, who):
    with pytest.raises(ValidationError, match="Only the person whose work was assessed"):
        challenges.challenge_raise(
            answer=answer, raised_by=request.getfixturevalue(who), reasons="Reasons.", proposed_value="fully_met"
        )
    assert not Challenge.objects.exists()


def test_it_records_the_challenge_and_tells_the_assessor(answer, assessed, assessor):
    challenge = challenges.challenge_raise(
        answer=answer, raised_by=assessed, reasons="  It was in the review.  ", proposed_value="fully_met"
    )
    assert (challenge.original_value, challenge.proposed_value, challenge.status) == ("not_met", "fully_met", "pending")
    assert challenge.reasons == "It was in the review."
    message = Message.objects.get(dedupe_key=f"challenge:{challenge.pk}:raised:assessor")
    assert (message.recipient, message.person, message.template) == (assessor.email, assessor, "challenge_raised")
    outbox.dispatch_due()
    (email,) = mail.outbox
    assert email.subject == "An answer in an assessment you recorded has been challenged"
    assert "Alex Assessed has challenged your answer to Q9" in email.body
    assert 'They propose "Fully met" instead of "Not met".' in email.body
    assert "It was in the review" not in email.body  # nobody's words in e-mail: the link leads to them
    assert f"http://localhost:8000/iqas/{answer.assessment_id}/" in email.body
    assert "They propose “Fully met” instead of “Not met”." in email.alternatives[0][0]


def test_it_tells_the_dip_samplers_who_may_decide_it(answer, assessed, assessor, dip_sampler, other_dip_sampler, org):
    # A national dip sampler may decide it too, but is not e-mailed while someone nearer the team can.
    national = PersonFactory(full_name="Nia National")
    RoleGrantFactory(person=national, role=Role.DIP_SAMPLER, level=PurviewLevel.NATIONAL, team=None)
    # The assessor holding the dip sampler role too cannot decide a challenge to their own IQA: no e-mail.
    RoleGrantFactory(person=assessor, role=Role.DIP_SAMPLER, level=PurviewLevel.UNIT, team=None, unit=org.unit_a1)
    ended = PersonFactory(full_name="Eddie Ended")
    RoleGrantFactory(
        person=ended,
        role=Role.DIP_SAMPLER,
        level=PurviewLevel.UNIT,
        team=None,
        unit=org.unit_a1,
        starts_on=date(2020, 1, 1),
        ends_on=date(2020, 12, 31),
    )
    challenge = challenges.challenge_raise(
        answer=answer, raised_by=assessed, reasons="It was in the review.", proposed_value="fully_met"
    )

    to_samplers = Message.objects.filter(template="challenge_raised_dip_sampler")
    assert set(to_samplers.values_list("dedupe_key", "recipient")) == {
        (f"challenge:{challenge.pk}:raised:dip-sampler:{dip_sampler.pk}", dip_sampler.email),
    }
    assert challenge in challenges.pending_challenges_for(national)
    outbox.dispatch_due()
    email = next(email for email in mail.outbox if email.to == [dip_sampler.email])
    assert email.subject == "A challenge to an assessment answer is waiting for a decision"
    assert "Dear Sam Sampler," in email.body
    assert "Alex Assessed has challenged" in email.body and "answer to Q9" in email.body
    assert 'They propose "Fully met" instead of "Not met".' in email.body
    assert f"http://localhost:8000/iqas/challenges/{challenge.pk}/" in email.body
    assert "It was in the review" not in email.body
    html = email.alternatives[0][0]
    assert f'href="http://localhost:8000/iqas/challenges/{challenge.pk}/"' in html
    assert "They propose “Fully met” instead of “Not met”." in html


def test_one_pending_challenge_per_answer_and_a_decision_is_final(answer, challenge, assessed, dip_sampler):
    with pytest.raises(ValidationError, match="already has a challenge awaiting a decision"):
        challenges.challenge_raise(answer=answer, raised_by=assessed, reasons="Again.", proposed_value="not_applicable")
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Challenge.objects.create(
            answer=answer, raised_by=assessed, reasons="x", original_value="not_met", proposed_value="not_applicable"
        )
    challenges.challenge_decide(
        challenge=challenge, decided_by=dip_sampler, upheld=False, note="The review does not set a strategy."
    )
    with pytest.raises(ValidationError, match="already been decided; the decision stands"):
        challenges.challenge_raise(answer=answer, raised_by=assessed, reasons="Again.", proposed_value="not_applicable")
    # Another answer of the same IQA can be challenged.
    other = answer.assessment.answers.get(question__code="Q10")
    assert (
        challenges.challenge_raise(
            answer=other, raised_by=assessed, reasons="Reasons.", proposed_value="not_applicable"
        ).answer
        == other
    )


def test_it_tells_the_national_dip_samplers_when_nobody_nearer_may_decide(answer, assessed, dip_sampler):
    national = PersonFactory(full_name="Nia National")
    RoleGrantFactory(person=national, role=Role.DIP_SAMPLER, level=PurviewLevel.NATIONAL, team=None)
    dip_sampler.role_grants.all().delete()
    challenges.challenge_raise(
        answer=answer, raised_by=assessed, reasons="It was in the review.", proposed_value="fully_met"
    )
    to_samplers = Message.objects.filter(template="challenge_raised_dip_sampler")
    assert list(to_samplers.values_list("recipient", flat=True)) == [national.email]


@pytest.mark.parametrize(
    ("reasons", "proposed", "message"),
    [
        ("", "fully_met", "Say why the answer should change."),
        ("   ", "fully_met", "Say why the answer should change."),
        ("Reasons.", "not_met", "'Not met' needs reasons only the assessor can choose"),
        ("Reasons.", "made_up", "'Not met' needs reasons only the assessor can choose"),
    ],
)
def test_it_needs_reasons_and_a_value_that_needs_none(iqa, assessed, reasons, proposed, message):
    answer = iqa.answers.get(question__code="Q10")  # fully met
    with pytest.raises(ValidationError, match=message):
        challenges.challenge_raise(answer=answer, raised_by=assessed, reasons=reasons, proposed_value=proposed)


def test_it_refuses_to_propose_the_answer_already_recorded(iqa, assessed):
    answer = iqa.answers.get(question__code="Q10")  # fully met
    with pytest.raises(ValidationError, match="Propose a different answer"):
        challenges.challenge_raise(answer=answer, raised_by=assessed, reasons="Reasons.", proposed_value="fully_met")
    assert challenges.proposable_values(answer) == [
        ("not_met_other", "Not met – other"),
        ("not_applicable", "Not applicable"),
    ]


# --- Raising through the page ----------------------------------------------------------------------------------


def test_the_assessed_person_raises_a_challenge_through_the_form(client, answer, assessed):
    client.force_login(assessed)
    url = f"/iqas/answers/{answer.pk}/challenge/"
    page = client.get(url).content.decode()
    assert "No case strategy recorded." in page
    assert 'value="not_met"' not in page  # not proposable
    response = client.post(url, {"proposed_value": "not_met_other", "reasons": "The police file came late."})
    assert response["Location"] == f"/iqas/{answer.assessment_id}/"
    assert Challenge.objects.get().proposed_value == "not_met_other"


def test_bad_challenge_input_gets_a_message_and_keeps_what_was_typed(client, answer, assessed):
    client.force_login(assessed)
    url = f"/iqas/answers/{answer.pk}/challenge/"
    response = client.post(url, {"proposed_value": "", "reasons": "Typed with care."})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose the answer you think is right." in body
    assert "Typed with care." in body
    response = client.post(url, {"proposed_value": "not_met", "reasons": "Typed with care."})
    assert "Choose one of the answers listed." in response.content.decode()
    response = client.post(url, {"proposed_value": "fully_met", "reasons": "x" * 5001})
    assert "Keep your reasons to 5000 characters" in response.content.decode()
    assert not Challenge.objects.exists()


def test_a_challenge_refused_on_submit_keeps_what_was_typed(client, answer, challenge, assessed):
    client.force_login(assessed)
    url = f"/iqas/answers/{answer.pk}/challenge/"
    response = client.get(url)  # already challenged: back to the IQA with the reason
    assert response["Location"] == f"/iqas/{answer.assessment_id}/"
    response = client.post(url, {"proposed_value": "not_applicable", "reasons": "A second thought."})
    body = response.content.decode()
    assert "already has a challenge awaiting a decision" in body
    assert "A second thought." in body
    assert Challenge.objects.count() == 1


@pytest.mark.parametrize("who", ["assessor", "dip_sampler", "colleague", "neighbour", "outsider"])
def test_it_checks_ownership_of_the_answer(client, request, answer, who):
    client.force_login(request.getfixturevalue(who))
    url = f"/iqas/answers/{answer.pk}/challenge/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"proposed_value": "fully_met", "reasons": "Reasons."}).status_code == 404
    assert client.get("/iqas/answers/999999/challenge/").status_code == 404


# --- Who decides ---------------------------------------------------------------------------------------------


def test_the_dip_sampler_over_the_unit_sees_it_in_their_queue(challenge, dip_sampler):
    assert list(challenges.pending_challenges_for(dip_sampler)) == [challenge]


@pytest.mark.parametrize("who", ["other_dip_sampler", "assessor", "assessed", "outsider", "performance_viewer"])
def test_nobody_else_decides(client, request, challenge, who):
    person = request.getfixturevalue(who)
    assert not challenges.pending_challenges_for(person).exists()
    with pytest.raises(ValidationError, match="You cannot decide this challenge"):
        challenges.challenge_decide(challenge=challenge, decided_by=person, upheld=True, note="Upheld.")
    client.force_login(person)
    url = f"/iqas/challenges/{challenge.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "upheld", "note": "Upheld."}).status_code == 404
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PENDING


def test_a_dip_sampler_never_decides_on_their_own_iqa_or_their_own_work(org, assessed, dip_sampler, neighbour):
    # The dip sampler recorded this IQA (they are also an assessor over team A1a).
    RoleGrantFactory(person=dip_sampler, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1a)
    authored = AssessmentFactory(assessor=dip_sampler, assessed=assessed, team=org.team_a1a)
    challenges.challenge_raise(
        answer=authored.answers.first(), raised_by=assessed, reasons="Reasons.", proposed_value="not_applicable"
    )
    # This IQA is about the dip sampler's own work, in team A1b inside their purview.
    own_work = AssessmentFactory(assessor=neighbour, assessed=dip_sampler, team=org.team_a1b)
    challenges.challenge_raise(
        answer=own_work.answers.first(), raised_by=dip_sampler, reasons="Reasons.", proposed_value="not_applicable"
    )
    assert not challenges.pending_challenges_for(dip_sampler).exists()


def test_the_queue_is_a_404_without_the_dip_sampler_role(client, assessed, assessor, outsider):
    for person in (assessed, assessor, outsider):
        client.force_login(person)
        assert client.get("/iqas/challenges/").status_code == 404


def test_it_checks_ownership_of_a_challenge_id(client, dip_sampler):
    client.force_login(dip_sampler)
    assert client.get("/iqas/challenges/999999/").status_code == 404


# --- Deciding --------------------------------------------------------------------------------------------------


def _uphold(challenge, dip_sampler, note, comment):
    return challenges.challenge_decide(
        challenge=challenge, decided_by=dip_sampler, upheld=True, note=note, comment=comment
    )


def _events(answer):
    return list(answer.events.order_by("pgh_id").values_list("pgh_label", "value", "comment"))


def test_an_upheld_challenge_changes_the_answer_and_history_keeps_the_original(answer, challenge, dip_sampler):
    version = answer.assessment.version
    reason = answer.reasons.get()
    _uphold(challenge, dip_sampler, "The strategy is in the review.", "Strategy in the review.")
    answer.refresh_from_db()
    assert answer.value == AnswerValue.FULLY_MET
    assert not answer.reasons.exists()  # a fully met answer has no reasons (rule 1)
    assert answer.comment == "Strategy in the review."  # the decision's comment replaces the assessor's
    assert _events(answer)[-2:] == [
        ("update", "not_met", "No case strategy recorded."),
        ("update", "fully_met", "Strategy in the review."),
    ]
    challenge.refresh_from_db()
    assert (challenge.status, challenge.decided_by, challenge.original_value) == ("upheld", dip_sampler, "not_met")
    assert (challenge.original_comment, challenge.original_reasons) == ("No case strategy recorded.", [reason.text])
    assert challenge.decision_note == "The strategy is in the review."
    assert challenge.events.filter(pgh_label="update", status="upheld").exists()
    # An amendment opened before the decision now meets the edit-conflict check.
    assert Assessment.objects.get(pk=answer.assessment_id).version == version + 1


def test_an_upheld_challenge_with_no_comment_leaves_none(answer, challenge, dip_sampler):
    """The assessor's comment explained a 'not met'; it never stays under the new 'fully met'."""
    challenges.challenge_decide(
        challenge=challenge, decided_by=dip_sampler, upheld=True, note="The strategy is in the review."
    )
    answer.refresh_from_db()
    assert (answer.value, answer.comment) == ("fully_met", "")


def test_upholding_not_met_other_needs_a_comment_for_the_answer(answer, assessed, dip_sampler):
    challenge = challenges.challenge_raise(
        answer=answer, raised_by=assessed, reasons="The police file came late.", proposed_value="not_met_other"
    )
    with pytest.raises(ValidationError, match="outside the prosecutor's control"):
        challenges.challenge_decide(
            challenge=challenge, decided_by=dip_sampler, upheld=True, note="The police were late.", comment="  "
        )
    answer.refresh_from_db()
    assert (answer.value, answer.comment) == ("not_met", "No case strategy recorded.")
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PENDING
    _uphold(challenge, dip_sampler, "The police were late.", "The police served the file the day before.")
    answer.refresh_from_db()
    assert (answer.value, answer.comment) == ("not_met_other", "The police served the file the day before.")
    assert not answer.reasons.exists()
    assert ("update", "not_met", "No case strategy recorded.") in _events(answer)


def test_the_originals_are_those_the_decision_replaced(answer, challenge, dip_sampler):
    """Changed between the challenge and its decision, the answer's comment kept is the one the decision replaced."""
    answer.comment = "No case strategy recorded in the review."
    answer.save()
    assert challenge.original_comment == "No case strategy recorded."  # as challenged
    challenges.challenge_decide(challenge=challenge, decided_by=dip_sampler, upheld=True, note="Upheld.", comment="")
    challenge.refresh_from_db()
    assert challenge.original_comment == "No case strategy recorded in the review."


def test_a_rejected_challenge_leaves_the_answer(answer, challenge, dip_sampler):
    before = _events(answer)
    challenges.challenge_decide(
        challenge=challenge, decided_by=dip_sampler, upheld=False, note="The review sets no strategy."
    )
    answer.refresh_from_db()
    assert answer.value == AnswerValue.NOT_MET
    assert answer.reasons.count() == 1
    assert _events(answer) == before
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.REJECTED


def test_a_decision_needs_a_note_and_is_made_once(challenge, dip_sampler):
    with pytest.raises(ValidationError, match="Say why"):
        challenges.challenge_decide(challenge=challenge, decided_by=dip_sampler, upheld=True, note="  ")
    challenges.challenge_decide(challenge=challenge, decided_by=dip_sampler, upheld=True, note="Upheld.")
    with pytest.raises(ValidationError, match="already been decided"):
        challenges.challenge_decide(challenge=challenge, decided_by=dip_sampler, upheld=False, note="Changed my mind.")


def test_both_sides_are_told_the_outcome(challenge, dip_sampler, assessed, assessor):
    outbox.dispatch_due()  # the e-mail to the assessor that it was raised
    mail.outbox.clear()
    challenges.challenge_decide(
        challenge=challenge, decided_by=dip_sampler, upheld=True, note="The strategy is in the review."
    )
    keys = set(Message.objects.filter(template="challenge_outcome").values_list("dedupe_key", "recipient"))
    assert keys == {
        (f"challenge:{challenge.pk}:outcome:assessed", assessed.email),
        (f"challenge:{challenge.pk}:outcome:assessor", assessor.email),
    }
    assert outbox.dispatch_due()["sent"] == 2
    by_recipient = {email.to[0]: email for email in mail.outbox}
    to_assessed, to_assessor = by_recipient[assessed.email], by_recipient[assessor.email]
    for email in (to_assessed, to_assessor):
        assert email.subject == "A challenge to an assessment answer has been decided"
        assert 'Upheld: the answer is changed from "Not met" to "Fully met".' in email.body
        assert (
            "<strong>Upheld</strong>: the answer is changed from “Not met” to “Fully met”." in email.alternatives[0][0]
        )
        assert "decided by Sam Sampler" in email.body
        assert "The strategy is in the review" not in email.body
    assert to_assessed.body.startswith("Dear Alex Assessed,\n\nYour challenge to the answer to Q9")
    assert to_assessor.body.startswith("Dear Dana Assessor,\n\nAlex Assessed's challenge to your answer to Q9")


def test_a_rejection_is_e_mailed_too(challenge, dip_sampler):
    challenges.challenge_decide(challenge=challenge, decided_by=dip_sampler, upheld=False, note="No.")
    outbox.dispatch_due()
    outcomes = [email for email in mail.outbox if "decided" in email.subject]
    assert len(outcomes) == 2
    assert all('Not upheld: the answer stays "Not met".' in email.body for email in outcomes)


# --- Deciding through the pages --------------------------------------------------------------------------------


def test_the_dip_sampler_decides_through_the_page(client, challenge, dip_sampler):
    client.force_login(dip_sampler)
    queue = client.get("/iqas/challenges/").content.decode()
    assert f'href="/iqas/challenges/{challenge.pk}/"' in queue
    assert "Not met → Fully met" in queue
    page = client.get(f"/iqas/challenges/{challenge.pk}/").content.decode()
    assert "The strategy is in the review of 3 March." in page
    assert "No case strategy recorded." in page
    response = client.post(f"/iqas/challenges/{challenge.pk}/", {"decision": "upheld", "note": "Agreed."})
    assert response["Location"] == "/iqas/challenges/"
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.UPHELD
    assert "There are no challenges awaiting your decision." in client.get("/iqas/challenges/").content.decode()
    # A second submit of the same decision finds it made.
    response = client.post(f"/iqas/challenges/{challenge.pk}/", {"decision": "rejected", "note": "Again."}, follow=True)
    assert "This challenge has already been decided." in response.content.decode()
    challenge.refresh_from_db()
    assert (challenge.status, challenge.decision_note) == ("upheld", "Agreed.")


def test_a_decision_without_reasons_gets_a_message_and_keeps_the_choice(client, challenge, dip_sampler):
    client.force_login(dip_sampler)
    response = client.post(f"/iqas/challenges/{challenge.pk}/", {"decision": "rejected", "note": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert challenges.NOTE_MESSAGE in body
    assert re.search(r'value="rejected"[^>]*checked', body)
    response = client.post(f"/iqas/challenges/{challenge.pk}/", {"decision": "maybe", "note": "Kept text."})
    body = response.content.decode()
    assert "Choose a decision." in body
    assert "Kept text." in body
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PENDING


def test_the_queue_takes_the_same_queries_however_long(client, org, assessor, assessed, challenge, dip_sampler):
    client.force_login(dip_sampler)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/iqas/challenges/").status_code == 200
        return len(captured)

    before = queries()
    for _ in range(30):  # more than a page
        iqa = AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)
        challenges.challenge_raise(
            answer=iqa.answers.first(), raised_by=assessed, reasons="Reasons.", proposed_value="not_applicable"
        )
    assert queries() == before
    # session, user, grants (roles and purviews, read once), count, one page of challenges joined to their answers,
    # questions, IQAs, people and teams, and the session save (savepoint, update, release).
    assert before == 8


# --- The IQA page ----------------------------------------------------------------------------------------------


def test_the_assessed_person_sees_the_deadline_and_challenge_links(client, iqa, assessed):
    client.force_login(assessed)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    deadline = challenges.challenge_deadline(iqa)
    assert f"you can challenge it until <strong>{deadline:%A %-d %B %Y}</strong>" in body
    assert body.count('data-testid="challenge-link"') == iqa.answers.count()
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        client.force_login(assessed)  # the session has long expired
        body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "The time to challenge answers ended on" in body
    assert 'data-testid="challenge-link"' not in body


def test_others_see_challenges_but_no_links(client, iqa, challenge, assessor):
    client.force_login(assessor)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert 'data-testid="challenge-link"' not in body
    assert "Awaiting a decision" in body
    assert "The strategy is in the review of 3 March." in body


def test_an_upheld_challenge_shows_the_original_answer(client, iqa, challenge, dip_sampler, assessed):
    challenges.challenge_decide(
        challenge=challenge, decided_by=dip_sampler, upheld=True, note="Agreed: the strategy is there."
    )
    client.force_login(assessed)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "originally Not met, changed on challenge" in body
    assert "Decided by Sam Sampler" in body
    assert "Agreed: the strategy is there." in body


def test_an_upheld_challenge_replaces_the_comment_on_the_page_and_in_the_comments_extract(
    client, org, iqa, assessed, dip_sampler
):
    """Q9 was 'not met' with "No disclosure strategy recorded"; upheld as 'fully met', the IQA page and the comments
    extract show the decision's comment, and the page shows the original as "originally …"."""
    answer = iqa.answers.get(question__code="Q9")
    answer.value, answer.comment = AnswerValue.NOT_MET, "No disclosure strategy recorded"
    answer.save()
    answer.reasons.set([answer.question.reasons.first()])
    challenge = challenges.challenge_raise(
        answer=answer, raised_by=assessed, reasons="The strategy is on the file.", proposed_value="fully_met"
    )
    client.force_login(dip_sampler)
    response = client.post(
        f"/iqas/challenges/{challenge.pk}/",
        {"decision": "upheld", "note": "It is there.", "comment": "Disclosure strategy on the file, 3 March."},
    )
    assert response["Location"] == "/iqas/challenges/"
    answer.refresh_from_db()
    assert (answer.value, answer.comment) == ("fully_met", "Disclosure strategy on the file, 3 March.")
    assert not answer.reasons.exists()

    client.force_login(assessed)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "Disclosure strategy on the file, 3 March." in body
    assert "originally: Not met — No disclosure strategy recorded" in body

    reader = PersonFactory(full_name="Rory Reader")
    RoleGrantFactory(person=reader, role=Role.COMMENTS_VIEWER, level=PurviewLevel.AREA, team=None, area=org.area_a)
    client.force_login(reader)
    period = f"{iqa.work_date:%Y-%m-%d}..{iqa.work_date:%Y-%m-%d}"
    body = client.get("/reports/comments/", {"period": period}).content.decode()
    assert "Disclosure strategy on the file, 3 March." in body
    assert "No disclosure strategy recorded" not in body
    extract = client.get("/reports/comments/extract.csv", {"period": period}).getvalue().decode()
    assert "Disclosure strategy on the file, 3 March." in extract
    assert "No disclosure strategy recorded" not in extract


def test_an_upheld_not_met_other_without_a_comment_is_refused_next_to_the_field(client, answer, assessed, dip_sampler):
    challenge = challenges.challenge_raise(
        answer=answer, raised_by=assessed, reasons="The police file came late.", proposed_value="not_met_other"
    )
    client.force_login(dip_sampler)
    page = client.get(f"/iqas/challenges/{challenge.pk}/").content.decode()
    assert "'Not met – other' needs a comment" in page
    response = client.post(f"/iqas/challenges/{challenge.pk}/", {"decision": "upheld", "note": "Kept note."})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error_1_id_comment"' in body
    assert "outside the prosecutor&#x27;s control" in body
    assert "Kept note." in body
    challenge.refresh_from_db()
    answer.refresh_from_db()
    assert (challenge.status, answer.value) == (ChallengeStatus.PENDING, "not_met")


def test_the_iqa_page_takes_the_same_queries_with_challenges(client, iqa, assessed, dip_sampler):
    client.force_login(assessed)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/iqas/{iqa.pk}/").status_code == 200
        return len(captured)

    before = queries()
    for answer in iqa.answers.all()[:5]:
        value = "not_applicable" if answer.value != "not_applicable" else "fully_met"
        challenge = challenges.challenge_raise(
            answer=answer, raised_by=assessed, reasons="Reasons.", proposed_value=value
        )
        challenges.challenge_decide(challenge=challenge, decided_by=dip_sampler, upheld=True, note="Agreed.")
    challenges.iqa_acknowledge(assessment=iqa, assessed=assessed, response="Thank you.")
    assert queries() == before


def test_the_dip_sampler_role_page_links_to_the_queue(client, dip_sampler, assessor):
    client.force_login(dip_sampler)
    assert 'href="/iqas/challenges/"' in client.get("/roles/dip_sampler/").content.decode()
    client.force_login(assessor)
    assert 'href="/iqas/challenges/"' not in client.get("/roles/assessor/").content.decode()


# --- Acknowledgement and response ------------------------------------------------------------------------------


def test_the_assessed_person_acknowledges_and_responds(client, iqa, assessed, assessor):
    client.force_login(assessed)
    assert 'data-testid="acknowledge-form"' in client.get(f"/iqas/{iqa.pk}/").content.decode()
    response = client.post(f"/iqas/{iqa.pk}/acknowledge/", {"response": "  Thank you, noted.  "})
    assert response["Location"] == f"/iqas/{iqa.pk}/"
    first = Acknowledgement.objects.get(assessment=iqa)
    assert first.response == "Thank you, noted."
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        client.force_login(assessed)
        client.post(f"/iqas/{iqa.pk}/acknowledge/", {"response": "On reflection, see my challenge."})
    second = Acknowledgement.objects.get(assessment=iqa)
    assert second.response == "On reflection, see my challenge."
    assert second.acknowledged_at == first.acknowledged_at  # acknowledged once; the response can change
    assert second.events.count() == 2  # both responses kept in the history
    client.force_login(assessor)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "Acknowledged by Alex Assessed" in body
    assert "On reflection, see my challenge." in body
    assert 'data-testid="acknowledge-form"' not in body


def test_an_acknowledgement_without_a_response_is_fine(iqa, assessed):
    assert challenges.iqa_acknowledge(assessment=iqa, assessed=assessed, response="").response == ""


def test_a_response_too_long_gets_a_message_and_keeps_the_text(client, iqa, assessed):
    client.force_login(assessed)
    text = "word " * 1100
    response = client.post(f"/iqas/{iqa.pk}/acknowledge/", {"response": text})
    body = response.content.decode()
    assert "Keep your response to 5000 characters" in body
    assert text.strip() in body
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize("who", ["assessor", "dip_sampler", "colleague", "outsider"])
def test_it_checks_ownership_of_the_acknowledgement(client, request, iqa, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(f"/iqas/{iqa.pk}/acknowledge/", {"response": "Not mine."}).status_code == 404
    assert not Acknowledgement.objects.exists()
    with pytest.raises(ValidationError):
        challenges.iqa_acknowledge(assessment=iqa, assessed=request.getfixturevalue(who), response="Not mine.")


def test_an_anonymous_visitor_is_asked_to_log_in(client, answer, challenge):
    for url in (
        f"/iqas/{answer.assessment_id}/acknowledge/",
        f"/iqas/answers/{answer.pk}/challenge/",
        "/iqas/challenges/",
        f"/iqas/challenges/{challenge.pk}/",
    ):
        assert client.get(url)["Location"].startswith("/accounts/login/")


# --- Who reads the response ------------------------------------------------------------------------------------


@pytest.fixture
def team_assessor(org):
    """Another assessor over team A1a: they may read the IQA, not the assessed person's response to it."""
    person = AssessmentFactory(team=org.team_a1b).assessor
    RoleGrantFactory(person=person, role=Role.ASSESSOR, level=PurviewLevel.TEAM, team=org.team_a1a)
    return person


@pytest.mark.parametrize(
    ("who", "sees"),
    [("assessed", True), ("assessor", True), ("dip_sampler", True), ("team_assessor", False)],
)
def test_the_response_is_shown_only_to_those_its_help_text_names(client, request, iqa, assessed, who, sees):
    challenges.iqa_acknowledge(assessment=iqa, assessed=assessed, response="I disagree with Q9: see the review.")
    person = request.getfixturevalue(who)
    client.force_login(person)
    response = client.get(f"/iqas/{iqa.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Acknowledged by Alex Assessed" in body
    assert ("I disagree with Q9: see the review." in body) is sees
    assert challenges.can_see_response(person, iqa) is sees


def test_a_dip_sampler_over_another_unit_does_not_read_the_response(iqa, assessed, other_dip_sampler):
    challenges.iqa_acknowledge(assessment=iqa, assessed=assessed, response="I disagree.")
    assert not challenges.can_see_response(other_dip_sampler, iqa)


@pytest.mark.parametrize("who", ["outsider", "other_dip_sampler"])
def test_an_outsider_gets_a_404_for_the_iqa_and_its_response(client, request, iqa, assessed, who):
    challenges.iqa_acknowledge(assessment=iqa, assessed=assessed, response="I disagree with Q9: see the review.")
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/iqas/{iqa.pk}/").status_code == 404


def test_the_help_text_says_who_reads_the_response(client, iqa, assessed):
    client.force_login(assessed)
    body = client.get(f"/iqas/{iqa.pk}/").content.decode()
    assert "Only the assessor and the dip samplers over your team can read it." in body
