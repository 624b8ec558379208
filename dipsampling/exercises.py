"""Consistency exercises (seed 001, 5.10, 4.13): several assessors answer the same case independently, then compare.

The rules, as decided here:

- The organiser is a dip sampler. They pick a case registered in a unit of their purview, or write a case study,
  and invite at least two assessors in their purview (people holding the assessor role there; not themselves).
- Each invited assessor answers every question of the activity's question set in force on the day the exercise
  was set, once. Nobody sees anyone else's answers until answering is closed: automatically when the last one
  answers, or by the organiser (those who did not answer are then left out of the comparison).
- After that everyone in the exercise sees the answers side by side with the agreement per question and Fleiss'
  kappa over all the questions (dipsampling/agreement.py); the organiser records the agreed answer per question
  and the learning points, which concludes it.
- Each invited assessor is e-mailed a link to the exercise through the outbox, in the transaction that sets it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnswerValue, Case, QuestionSet
from dipsampling.agreement import fleiss_kappa, pairwise_agreement
from dipsampling.models import AgreedAnswer, ConsistencyExercise, ExerciseAnswer, ExerciseParticipant
from notifications import outbox
from organisation import scoping
from organisation.models import Role, RoleGrant

ANSWER_ORDER = list(AnswerValue)


def invitable_assessors(user):
    """People in the organiser's dip sampler purview who hold the assessor role, except the organiser."""
    today = timezone.localdate()
    assessors = RoleGrant.objects.active_on(today).filter(role=Role.ASSESSOR).values("person_id")
    return scoping.people_in_scope(user, Role.DIP_SAMPLER).filter(pk__in=assessors).exclude(pk=user.pk)


def cases_in_purview(user):
    """Cases registered in a unit holding a team of the user's dip sampler purview."""
    units = scoping.teams_in_scope(user, Role.DIP_SAMPLER).values("unit_id")
    return Case.objects.filter(unit_id__in=units)


@transaction.atomic
def exercise_create(*, organiser, title, activity, case=None, case_study="", assessors) -> ConsistencyExercise:
    """Set an exercise on a case in the organiser's purview (or a case study) and invite the assessors."""
    if Role.DIP_SAMPLER not in scoping.roles_held(organiser):
        raise ValidationError("Consistency exercises are set by dip samplers.")
    question_set = QuestionSet.objects.current(activity, timezone.localdate())
    if question_set is None:
        raise ValidationError("No question set is in force for this activity.")
    invited = list(invitable_assessors(organiser).filter(pk__in=[person.pk for person in assessors]))
    if len(invited) < 2:
        raise ValidationError("Invite at least two assessors in your purview: agreement needs two answers or more.")
    if case is not None and not cases_in_purview(organiser).filter(pk=case.pk).exists():
        raise ValidationError("Choose a case registered in your purview.")
    exercise = ConsistencyExercise.objects.create(
        organiser=organiser,
        title=title.strip(),
        activity=activity,
        question_set=question_set,
        case=case,
        case_study=(case_study or "").strip(),
    )
    ExerciseParticipant.objects.bulk_create(
        [ExerciseParticipant(exercise=exercise, assessor=person) for person in invited]
    )
    for person in invited:
        _invite(exercise, person)
    return exercise


def _invite(exercise: ConsistencyExercise, person) -> None:
    """The invitation e-mail: how an assessor without the dip sampler role finds the exercise."""
    outbox.enqueue(
        dedupe_key=f"exercise:{exercise.pk}:invitation:{person.pk}",
        recipient=person.email,
        person=person,
        template="dip_sample_exercise_invitation",
        context={
            "recipient_name": person.full_name,
            "organiser_name": exercise.organiser.full_name,
            "title": exercise.title,
            "activity": exercise.get_activity_display(),
            "path": reverse("exercise_detail", args=[exercise.pk]),
        },
    )


def answering_open(exercise: ConsistencyExercise) -> bool:
    return exercise.answering_closed_at is None


@transaction.atomic
def exercise_answers_submit(*, participant: ExerciseParticipant, answers: dict[int, tuple[str, str]]) -> None:
    """A participant's answers to every question (question id → (value, comment)), given once."""
    participant = ExerciseParticipant.objects.select_for_update().select_related("exercise").get(pk=participant.pk)
    exercise = participant.exercise
    if not answering_open(exercise):
        raise ValidationError("Answering has closed for this exercise.")
    if participant.submitted_at:
        raise ValidationError("You have already answered this exercise.")
    question_ids = set(exercise.question_set.questions.values_list("pk", flat=True))
    if set(answers) != question_ids or any(value not in AnswerValue.values for value, _ in answers.values()):
        raise ValidationError("Answer every question.")
    ExerciseAnswer.objects.bulk_create(
        [
            ExerciseAnswer(participant=participant, question_id=pk, value=value, comment=(comment or "").strip())
            for pk, (value, comment) in sorted(answers.items())
        ]
    )
    participant.submitted_at = timezone.now()
    participant.save(update_fields=["submitted_at"])
    # The last answer closes answering: everyone may now compare.
    exercise = ConsistencyExercise.objects.select_for_update().get(pk=exercise.pk)
    if not exercise.participants.filter(submitted_at__isnull=True).exists():
        exercise.answering_closed_at = timezone.now()
        exercise.save(update_fields=["answering_closed_at"])


def exercise_answering_close(*, exercise: ConsistencyExercise, user) -> None:
    if exercise.organiser_id != user.pk:
        raise ValidationError("Only the organiser can close answering.")
    if answering_open(exercise):
        exercise.answering_closed_at = timezone.now()
        exercise.save(update_fields=["answering_closed_at"])


@transaction.atomic
def exercise_conclude(*, exercise: ConsistencyExercise, user, agreed: dict[int, tuple[str, str]], learning_points):
    """The organiser records the agreed answer per question (question id → (value, note)) and learning points."""
    if exercise.organiser_id != user.pk:
        raise ValidationError("Only the organiser records the agreed answers.")
    if answering_open(exercise):
        raise ValidationError("Close answering before recording the agreed answers.")
    question_ids = set(exercise.question_set.questions.values_list("pk", flat=True))
    if set(agreed) != question_ids or any(value not in AnswerValue.values for value, _ in agreed.values()):
        raise ValidationError("Record the agreed answer to every question.")
    if not (learning_points or "").strip():
        raise ValidationError("Record the learning points: what the exercise showed and what to do about it.")
    AgreedAnswer.objects.filter(exercise=exercise).delete()
    AgreedAnswer.objects.bulk_create(
        [
            AgreedAnswer(exercise=exercise, question_id=pk, value=value, note=(note or "").strip())
            for pk, (value, note) in sorted(agreed.items())
        ]
    )
    exercise.learning_points = learning_points.strip()
    exercise.concluded_at = timezone.now()
    exercise.save(update_fields=["learning_points", "concluded_at"])


@dataclass
class QuestionAgreement:
    question: object
    answers: list  # (participant, value, label) in participant order
    counts: list[int]  # per ANSWER_ORDER
    agreement: float | None
    agreed: object = None  # AgreedAnswer, once recorded

    @property
    def most_common(self):
        if not any(self.counts):
            return None
        return ANSWER_ORDER[max(range(len(self.counts)), key=lambda index: self.counts[index])]


@dataclass
class ExerciseResults:
    participants: list
    questions: list[QuestionAgreement]
    kappa: float | None

    @property
    def mean_agreement(self) -> float | None:
        values = [row.agreement for row in self.questions if row.agreement is not None]
        return sum(values) / len(values) if values else None


def results(exercise: ConsistencyExercise) -> ExerciseResults:
    """Answers side by side with agreement per question and Fleiss' kappa. Four queries whatever the size."""
    participants = list(
        exercise.participants.filter(submitted_at__isnull=False).select_related("assessor").order_by("pk")
    )
    questions = list(exercise.question_set.questions.order_by("number"))
    values = {
        (participant_id, question_id): value
        for participant_id, question_id, value in ExerciseAnswer.objects.filter(
            participant__exercise=exercise, participant__submitted_at__isnull=False
        ).values_list("participant_id", "question_id", "value")
    }
    agreed = {row.question_id: row for row in AgreedAnswer.objects.filter(exercise=exercise)}
    rows = []
    for question in questions:
        answers = [(participant, values.get((participant.pk, question.pk))) for participant in participants]
        counts = [sum(1 for _, value in answers if value == choice) for choice in ANSWER_ORDER]
        answers = [(participant, value, AnswerValue(value).label if value else "") for participant, value in answers]
        rows.append(
            QuestionAgreement(
                question=question,
                answers=answers,
                counts=counts,
                agreement=pairwise_agreement(counts),
                agreed=agreed.get(question.pk),
            )
        )
    kappa = fleiss_kappa([row.counts for row in rows]) if len(participants) >= 2 else None
    return ExerciseResults(participants=participants, questions=rows, kappa=kappa)
