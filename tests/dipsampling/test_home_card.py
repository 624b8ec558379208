"""The home page's dip sampling card: exercises waiting for an assessor's answers, dip samples to record."""

import datetime

import pytest
from django.utils import timezone

from assessments import challenges
from assessments.models import Activity
from dipsampling import exercises, services
from dipsampling.models import Outcome
from organisation.models import Role
from tests.factories import RoleGrantFactory


@pytest.fixture
def second_assessor(neighbour, org):
    RoleGrantFactory(person=neighbour, role=Role.ASSESSOR, team=org.team_a1b)
    return neighbour


def _exercise(organiser, *assessors):
    """An exercise on a written case study; agreement needs at least two invited assessors."""
    return exercises.exercise_create(
        organiser=organiser,
        title="Standard setting on early advice",
        activity=Activity.ADVICE,
        case_study="The police asked for early advice on a burglary...",
        assessors=list(assessors),
    )


def _card(client, user):
    client.force_login(user)
    return client.get("/").content.decode()


def test_it_lists_an_exercise_on_the_home_page_of_an_invited_assessor_until_they_answer(
    client, assessor, second_assessor, dip_sampler
):
    exercise = _exercise(dip_sampler, assessor, second_assessor)
    page = _card(client, assessor)
    assert "Standard setting on early advice" in page
    assert f"/dip-samples/exercises/{exercise.pk}/" in page

    participant = exercise.participants.get(assessor=assessor)
    questions = exercise.question_set.questions.all()
    exercises.exercise_answers_submit(participant=participant, answers={q.pk: ("fully_met", "") for q in questions})
    assert "Standard setting on early advice" not in _card(client, assessor)


def test_it_drops_an_exercise_from_the_home_page_once_answering_closes(client, assessor, second_assessor, dip_sampler):
    exercise = _exercise(dip_sampler, assessor, second_assessor)
    exercises.exercise_answering_close(exercise=exercise, user=dip_sampler)
    assert "Standard setting on early advice" not in _card(client, assessor)


def test_it_shows_no_exercise_to_someone_not_invited(client, assessor, second_assessor, colleague, dip_sampler):
    _exercise(dip_sampler, assessor, second_assessor)
    assert "Standard setting on early advice" not in _card(client, colleague)


def test_it_counts_a_dip_samplers_selected_dip_samples_until_recorded(client, make_iqa, dip_sampler):
    iqa = make_iqa(work_date=timezone.localdate() - datetime.timedelta(days=3))
    dip_sample = services.dip_sample_start(user=dip_sampler, assessment=iqa)
    assert "1 selected dip sample to record" in _card(client, dip_sampler)

    services.dip_sample_record(
        dip_sample=dip_sample,
        user=dip_sampler,
        sampled_on=timezone.localdate(),
        iqa_comment="Robust and well reasoned.",
        casework_comment="Sound casework.",
        outcome=Outcome.ROBUST,
        remarks={},
    )
    page = _card(client, dip_sampler)
    assert "selected dip sample to record" not in page
    assert "No selected dip sample is waiting to be recorded" in page


def test_it_counts_the_challenges_waiting_for_a_dip_samplers_decision(
    client, make_iqa, dip_sampler, assessed, django_assert_num_queries
):
    page = _card(client, dip_sampler)
    assert "No challenge to an answer is waiting for a decision" in page
    for _ in range(3):
        iqa = make_iqa(work_date=timezone.localdate() - datetime.timedelta(days=1))
        answer = iqa.answers.order_by("pk").first()
        proposed = "not_applicable" if answer.value == "fully_met" else "fully_met"
        challenges.challenge_raise(
            answer=answer, raised_by=iqa.assessed, reasons="It was in the review.", proposed_value=proposed
        )
    # session, user, grants (roles held), grants for the page, IQAs of own work, awaiting acknowledgement,
    # memberships, dip samples to record, challenges waiting (a count), session save (savepoint, update, release); no
    # drafts for a dip sampler who does not assess
    with django_assert_num_queries(12):
        response = client.get("/")
    page = response.content.decode()
    assert '<a href="/iqas/challenges/">3 challenges to answers waiting for your decision</a>' in page
