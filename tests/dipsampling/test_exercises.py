"""Consistency exercises: set by a dip sampler, answered independently, compared with agreement and kappa."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Activity, QuestionSet
from dipsampling import exercises
from dipsampling.models import AgreedAnswer, ConsistencyExercise
from organisation.models import Role
from tests.dipsampling.conftest import FM, NM
from tests.factories import CaseFactory, RoleGrantFactory
from tests.form_tokens import with_token


@pytest.fixture
def second_assessor(neighbour, org):
    RoleGrantFactory(person=neighbour, role=Role.ASSESSOR, team=org.team_a1b)
    return neighbour


@pytest.fixture
def exercise(dip_sampler, assessor, second_assessor):
    return exercises.exercise_create(
        organiser=dip_sampler,
        title="Standard setting, Q2",
        activity=Activity.ADVICE,
        case_study="The police asked for early advice on a burglary...",
        assessors=[assessor, second_assessor],
    )


def _questions(exercise):
    return list(exercise.question_set.questions.order_by("number"))


def _answers(exercise, *values):
    return {q.pk: (value, "") for q, value in zip(_questions(exercise), values, strict=True)}


def _post_answers(client, exercise, *values):
    data = {f"answer-{q.pk}": value for q, value in zip(_questions(exercise), values, strict=True)}
    return client.post(reverse("exercise_detail", args=[exercise.pk]), data)


def test_it_invites_only_assessors_in_the_organisers_purview(dip_sampler, assessor, outsider, assessed, org):
    RoleGrantFactory(person=outsider, role=Role.ASSESSOR, team=org.team_b1a)
    with pytest.raises(ValidationError, match="at least two"):
        exercises.exercise_create(
            organiser=dip_sampler,
            title="x",
            activity=Activity.ADVICE,
            case_study="y",
            assessors=[assessor, outsider, assessed],  # outsider: other area; assessed: not an assessor
        )


def test_it_takes_a_case_in_the_purview_or_a_case_study(client, dip_sampler, assessor, second_assessor, org):
    client.force_login(dip_sampler)
    url = reverse("exercise_new")
    base = {"title": "T", "activity": "advice", "assessors": [assessor.pk, second_assessor.pk]}

    neither = client.post(url, base)
    assert "Give a case URN or write a case study." in neither.content.decode()
    foreign = CaseFactory(unit=org.unit_b1)
    wrong_case = client.post(url, {**base, "urn": foreign.urn})
    assert f"No case {foreign.urn} is registered in your purview." in wrong_case.content.decode()
    assert not ConsistencyExercise.objects.exists()

    case = CaseFactory(unit=org.unit_a1)
    response = client.post(url, with_token({**base, "urn": case.urn.lower()}))
    exercise = ConsistencyExercise.objects.get()
    assert response.url == reverse("exercise_detail", args=[exercise.pk])
    assert exercise.case == case
    assert exercise.question_set == QuestionSet.objects.current("advice", exercise.created_at.date())


def test_a_double_submitted_exercise_is_set_once(client, dip_sampler, assessor, second_assessor):
    client.force_login(dip_sampler)
    data = with_token(
        {"title": "T", "activity": "advice", "case_study": "A file.", "assessors": [assessor.pk, second_assessor.pk]}
    )
    first = client.post(reverse("exercise_new"), data)
    second = client.post(reverse("exercise_new"), data)
    exercise = ConsistencyExercise.objects.get()
    assert first["Location"] == second["Location"] == reverse("exercise_detail", args=[exercise.pk])
    assert exercise.participants.count() == 2


def test_an_exercise_posted_without_its_form_token_is_not_set(client, dip_sampler, assessor, second_assessor):
    client.force_login(dip_sampler)
    data = {
        "title": "Kept",
        "activity": "advice",
        "case_study": "A file.",
        "assessors": [assessor.pk, second_assessor.pk],
    }
    body = client.post(reverse("exercise_new"), data).content.decode()
    assert "This form had expired, so nothing was saved." in body and 'value="Kept"' in body
    assert not ConsistencyExercise.objects.exists()


def test_it_hides_answers_until_everyone_has_answered(client, exercise, assessor, second_assessor, dip_sampler):
    client.force_login(assessor)
    response = _post_answers(client, exercise, FM, NM)
    assert response.status_code == 302

    page = client.get(reverse("exercise_detail", args=[exercise.pk]))
    assert page.context["results"] is None
    assert 'data-testid="exercise-waiting"' in page.content.decode()

    client.force_login(second_assessor)
    _post_answers(client, exercise, FM, FM)

    exercise.refresh_from_db()
    assert exercise.answering_closed_at is not None
    results = client.get(reverse("exercise_detail", args=[exercise.pk])).context["results"]
    assert [row.agreement for row in results.questions] == [1.0, 0.0]
    # Two subjects, two raters: P̄ = 0.5; shares FM 3/4, NM 1/4 → P̄e = 0.625; κ = (0.5 − 0.625) / 0.375.
    assert results.kappa == pytest.approx(-1 / 3)


def test_it_needs_every_question_answered_and_keeps_what_was_typed(client, exercise, assessor):
    client.force_login(assessor)
    first = _questions(exercise)[0]
    response = client.post(reverse("exercise_detail", args=[exercise.pk]), {f"answer-{first.pk}": FM})
    assert response.status_code == 200
    assert response.context["answer_form"].errors[f"answer-{_questions(exercise)[1].pk}"] == ["Answer this question."]
    assert f'value="{FM}" ' in response.content.decode() and "checked" in response.content.decode()
    assert not exercise.participants.filter(submitted_at__isnull=False).exists()


def test_it_lets_the_organiser_close_answering_and_conclude(client, exercise, assessor, dip_sampler):
    exercises.exercise_answers_submit(
        participant=exercise.participants.get(assessor=assessor), answers=_answers(exercise, FM, NM)
    )
    client.force_login(dip_sampler)
    client.post(reverse("exercise_close", args=[exercise.pk]))
    exercise.refresh_from_db()
    assert exercise.answering_closed_at is not None

    questions = _questions(exercise)
    incomplete = client.post(reverse("exercise_detail", args=[exercise.pk]), {f"answer-{questions[0].pk}": FM})
    assert incomplete.context["conclude_form"].errors["learning_points"]
    response = client.post(
        reverse("exercise_detail", args=[exercise.pk]),
        {
            f"answer-{questions[0].pk}": FM,
            f"answer-{questions[1].pk}": NM,
            f"comment-{questions[1].pk}": "Advice was late",
            "learning_points": "Timeliness of advice is judged from the police request.",
        },
    )
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.concluded_at is not None
    assert dict(AgreedAnswer.objects.values_list("question_id", "value")) == {
        questions[0].pk: FM,
        questions[1].pk: NM,
    }


def test_only_the_organiser_closes_answering(exercise, assessor):
    with pytest.raises(ValidationError):
        exercises.exercise_answering_close(exercise=exercise, user=assessor)


def test_it_checks_ownership_of_exercises(client, exercise, outsider, colleague):
    for person in (outsider, colleague):
        client.force_login(person)
        assert client.get(reverse("exercise_detail", args=[exercise.pk])).status_code == 404
        assert client.post(reverse("exercise_close", args=[exercise.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("exercise_detail", args=[exercise.pk])).status_code == 302


def test_it_shows_an_exercise_in_constant_queries(client, dip_sampler, org, exercise, assessor, second_assessor):
    exercises.exercise_answers_submit(
        participant=exercise.participants.get(assessor=assessor), answers=_answers(exercise, FM, NM)
    )
    exercises.exercise_answers_submit(
        participant=exercise.participants.get(assessor=second_assessor), answers=_answers(exercise, FM, FM)
    )
    client.force_login(dip_sampler)
    url = reverse("exercise_detail", args=[exercise.pk])

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    before = count()
    # More participants make no more queries.
    from tests.factories import PersonFactory, TeamMembershipFactory

    for _ in range(4):
        person = PersonFactory()
        TeamMembershipFactory(person=person, team=org.team_a1a)
        participant = exercise.participants.create(assessor=person)
        from dipsampling.models import ExerciseAnswer

        ExerciseAnswer.objects.bulk_create(
            ExerciseAnswer(participant=participant, question=q, value=FM) for q in _questions(exercise)
        )
        exercise.participants.filter(pk=participant.pk).update(submitted_at=exercise.answering_closed_at)
    # session, user, roles held (navigation), the exercise, its participants, its questions; the results:
    # participants who answered, questions, answers, agreed answers; the session save (3)
    assert (before, count()) == (EXERCISE_QUERIES, EXERCISE_QUERIES)


EXERCISE_QUERIES = 13


def test_it_lists_exercises_for_participants_in_constant_queries(client, exercise, assessor, dip_sampler):
    client.force_login(assessor)
    page = client.get(reverse("exercise_list")).context["page"]
    assert [row.pk for row in page] == [exercise.pk]
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("exercise_list"))
    for _ in range(3):
        exercises.exercise_create(
            organiser=dip_sampler,
            title="More",
            activity=Activity.ADVICE,
            case_study="z",
            assessors=list(exercises.invitable_assessors(dip_sampler)),
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("exercise_list"))
    # session, user, roles held (navigation and the organiser's link), count, page, session save (3)
    assert len(before) == len(after) == 8


def test_it_e_mails_each_invited_assessor_a_link(exercise, assessor, second_assessor):
    from notifications import outbox
    from notifications.models import Message

    messages = {message.recipient: message for message in Message.objects.filter(template__contains="exercise")}
    assert set(messages) == {assessor.email, second_assessor.email}
    email = outbox.render(messages[assessor.email])
    assert email.subject == "You are invited to a consistency exercise"
    for body in (email.body, email.alternatives[0][0]):
        assert f"/dip-samples/exercises/{exercise.pk}/" in body
        assert "Standard setting, Q2" in body


def test_it_shows_the_new_exercise_form_in_constant_queries(client, dip_sampler, org, assessor, second_assessor):
    client.force_login(dip_sampler)
    url = reverse("exercise_new")
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for _ in range(5):
        from tests.factories import PersonFactory, TeamMembershipFactory

        person = PersonFactory()
        TeamMembershipFactory(person=person, team=org.team_a1b)
        RoleGrantFactory(person=person, role=Role.ASSESSOR, team=org.team_a1b)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    assert len(page.context["form"].fields["assessors"].queryset) == 7
    # session, user, grants (roles and purviews), the assessors, whether there are any, session save (3)
    assert len(before) == len(after) == 8


def test_it_refuses_an_exercise_set_by_someone_without_the_dip_sampler_role(assessor, second_assessor, outsider):
    with pytest.raises(ValidationError, match="set by dip samplers"):
        exercises.exercise_create(
            organiser=outsider,
            title="x",
            activity=Activity.ADVICE,
            case_study="y",
            assessors=[assessor, second_assessor],
        )
    assert not ConsistencyExercise.objects.exists()
