"""The assessed person's acknowledgement, response and challenges to answers; a dip sampler's decision.

The rules, as decided here:

- Only the assessed person acknowledges an IQA or challenges its answers. The acknowledgement is kept once; the
  response can be changed later (every version is in the audit history).
- Answers can be challenged until CHALLENGE_WINDOW_WORKING_DAYS working days (England and Wales) after the local
  date the IQA was recorded, inclusive. A closed IQA can still be challenged inside the window: closing is the
  assessor's step and must not cut short the assessed person's time to challenge.
- One challenge per answer: a pending one blocks another (a database constraint holds it), and a decided one is
  final, so an answer cannot be challenged again and again until the window closes.
- The proposed value must differ from the current one and need no reasons: 'not met' is never proposed, since
  rule 1 needs reasons only the assessor chooses. 'Not met – other' needs a comment (rule 1): when it is upheld,
  the dip sampler's decision note becomes the answer's comment. Upholding 'fully met' or 'not applicable' clears
  the reasons and keeps the assessor's comment. Every earlier value, reason and comment stays in the history.
- A dip sampler decides challenges on IQAs filed under teams in their dip sampler purview, never on an IQA they
  recorded or one about their own work. Every decision carries a note: the assessed person is owed a reason.
- The assessor is e-mailed when a challenge is raised; both sides are e-mailed the outcome. The e-mails are outbox
  rows written in the transaction of the event, and name no case and quote nobody's words: they link to the IQA.
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Acknowledgement,
    Answer,
    AnswerReason,
    AnswerValue,
    Assessment,
    Challenge,
    ChallengeStatus,
)
from notifications import outbox
from organisation import scoping
from organisation.models import Role
from qa_platform.working_days import add_working_days

# Values the assessed person may propose: none needs reasons, which only the assessor chooses (rule 1).
PROPOSABLE_VALUES = (AnswerValue.FULLY_MET, AnswerValue.NOT_MET_OTHER, AnswerValue.NOT_APPLICABLE)

NOT_ASSESSED_MESSAGE = "Only the person whose work was assessed can challenge its answers."
WINDOW_CLOSED_MESSAGE = "The time to challenge this IQA's answers ended on {deadline:%A %-d %B %Y}."
PENDING_MESSAGE = "This answer already has a challenge awaiting a decision."
DECIDED_MESSAGE = "A challenge to this answer has already been decided; the decision stands."
SAME_VALUE_MESSAGE = "Propose a different answer from the one recorded."
NOT_PROPOSABLE_MESSAGE = (
    "Propose 'Fully met', 'Not met – other' or 'Not applicable'. 'Not met' needs reasons only the assessor can choose."
)
REASONS_MESSAGE = "Say why the answer should change."
NOTE_MESSAGE = "Say why: the person who raised the challenge and the assessor are told the outcome."
NOT_DECIDABLE_MESSAGE = "You cannot decide this challenge."
ALREADY_DECIDED_MESSAGE = "This challenge has already been decided."


class ChallengeError(Exception):
    """A challenge that cannot be raised or decided; the message is for the user."""


def challenge_deadline(assessment: Assessment) -> date:
    """The last day answers can be challenged: the Nth working day after the (London) date the IQA was recorded.

    The first working day after the recording date is day 1, so an IQA recorded at a weekend gets the same
    deadline as one recorded on the Friday before.
    """
    recorded_on = timezone.localdate(assessment.recorded_at)
    return add_working_days(recorded_on, settings.CHALLENGE_WINDOW_WORKING_DAYS)


def can_challenge(assessment: Assessment, user, today: date) -> tuple[bool, str]:
    """Whether the user may challenge the IQA's answers on the day, and if not, why."""
    if assessment.assessed_id != getattr(user, "pk", None):
        return False, NOT_ASSESSED_MESSAGE
    deadline = challenge_deadline(assessment)
    if today > deadline:
        return False, WINDOW_CLOSED_MESSAGE.format(deadline=deadline)
    return True, ""


def proposable_values(answer: Answer) -> list[tuple[str, str]]:
    """The choices the assessed person has for an answer: the proposable values other than the current one."""
    return [(value.value, value.label) for value in PROPOSABLE_VALUES if value != answer.value]


@transaction.atomic
def acknowledge(assessment: Assessment, user, response: str) -> Acknowledgement:
    """The assessed person has read the IQA; their response, if any, replaces the one they gave before."""
    if assessment.assessed_id != user.pk:
        raise ChallengeError("Only the person whose work was assessed can acknowledge it.")
    acknowledgement, created = Acknowledgement.objects.select_for_update().get_or_create(
        assessment=assessment, defaults={"response": response.strip()}
    )
    if not created and acknowledgement.response != response.strip():
        acknowledgement.response = response.strip()
        acknowledgement.save(update_fields=["response"])
    return acknowledgement


def _context(challenge: Challenge, answer: Answer, assessment: Assessment) -> dict:
    return {
        "challenge_id": challenge.pk,
        "iqa_id": assessment.pk,
        "path": reverse("iqa_detail", args=[assessment.pk]),
        "assessed_name": assessment.assessed.full_name,
        "assessor_name": assessment.assessor.full_name,
        "activity": assessment.get_activity_display(),
        "work_date": f"{assessment.work_date:%-d %B %Y}",
        "question_code": answer.question.code,
        "original_value": challenge.get_original_value_display(),
        "proposed_value": challenge.get_proposed_value_display(),
    }


def raise_challenge(answer: Answer, user, reasons: str, proposed_value: str) -> Challenge:
    """The assessed person disputes one answer. Raises ChallengeError with a message for them."""
    reasons = (reasons or "").strip()
    try:
        with transaction.atomic():
            # Lock the answer: a challenge and an amendment or a second challenge to it happen one after the other.
            answer = (
                Answer.objects.select_for_update(of=("self",))
                .select_related("question", "assessment__assessed", "assessment__assessor")
                .get(pk=answer.pk)
            )
            assessment = answer.assessment
            allowed, problem = can_challenge(assessment, user, timezone.localdate())
            if not allowed:
                raise ChallengeError(problem)
            if not reasons:
                raise ChallengeError(REASONS_MESSAGE)
            if proposed_value == answer.value:
                raise ChallengeError(SAME_VALUE_MESSAGE)
            if proposed_value not in PROPOSABLE_VALUES:
                raise ChallengeError(NOT_PROPOSABLE_MESSAGE)
            existing = set(answer.challenges.values_list("status", flat=True))
            if ChallengeStatus.PENDING in existing:
                raise ChallengeError(PENDING_MESSAGE)
            if existing:
                raise ChallengeError(DECIDED_MESSAGE)
            challenge = Challenge.objects.create(
                answer=answer,
                raised_by=user,
                reasons=reasons,
                original_value=answer.value,
                proposed_value=proposed_value,
            )
            outbox.enqueue(
                dedupe_key=f"challenge:{challenge.pk}:raised:assessor",
                recipient=assessment.assessor.email,
                person=assessment.assessor,
                template="challenge_raised",
                context=_context(challenge, answer, assessment),
            )
            return challenge
    except IntegrityError as error:  # the one-pending-per-answer constraint, in a race the lock did not cover
        raise ChallengeError(PENDING_MESSAGE) from error


def challenges_in_purview(user) -> QuerySet[Challenge]:
    """Challenges (any status) on IQAs under teams in the user's dip sampler purview, except IQAs the user recorded
    or that are about the user's own work."""
    if Role.DIP_SAMPLER not in scoping.roles_held(user):
        return Challenge.objects.none()
    return (
        Challenge.objects.filter(answer__assessment__team__in=scoping.teams_in_scope(user, Role.DIP_SAMPLER))
        .exclude(answer__assessment__assessor=user)
        .exclude(answer__assessment__assessed=user)
    )


def pending_challenges_for(user) -> QuerySet[Challenge]:
    """The dip sampler's queue: challenges awaiting a decision that the user may decide."""
    return challenges_in_purview(user).filter(status=ChallengeStatus.PENDING)


def decide(challenge: Challenge, user, upheld: bool, note: str) -> Challenge:
    """Uphold or reject a pending challenge, change the answer if upheld, and tell both sides. One transaction."""
    note = (note or "").strip()
    if not note:
        raise ChallengeError(NOTE_MESSAGE)
    with transaction.atomic():
        challenge = (
            challenges_in_purview(user)
            .select_for_update(of=("self",))
            .select_related("answer__question", "answer__assessment__assessed", "answer__assessment__assessor")
            .filter(pk=challenge.pk)
            .first()
        )
        if challenge is None:
            raise ChallengeError(NOT_DECIDABLE_MESSAGE)
        if challenge.status != ChallengeStatus.PENDING:
            raise ChallengeError(ALREADY_DECIDED_MESSAGE)
        now = timezone.now()
        challenge.status = ChallengeStatus.UPHELD if upheld else ChallengeStatus.REJECTED
        challenge.decided_by, challenge.decided_at, challenge.decision_note = user, now, note
        challenge.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        answer, assessment = challenge.answer, challenge.answer.assessment
        if upheld:
            _change_answer(answer, challenge.proposed_value, note)
            # The IQA changed: an amendment opened before the decision now meets the edit-conflict check.
            Assessment.objects.filter(pk=assessment.pk).update(version=F("version") + 1, updated_at=now)
        context = {
            **_context(challenge, answer, assessment),
            "upheld": upheld,
            "outcome": challenge.get_status_display(),
            "decided_by_name": user.full_name,
        }
        for side, person in (("assessed", assessment.assessed), ("assessor", assessment.assessor)):
            outbox.enqueue(
                dedupe_key=f"challenge:{challenge.pk}:outcome:{side}",
                recipient=person.email,
                person=person,
                template="challenge_outcome",
                context={**context, "recipient_name": person.full_name, "to_assessed": side == "assessed"},
            )
    return challenge


def _change_answer(answer: Answer, value: str, note: str) -> None:
    """The upheld value. No proposable value takes reasons; 'not met – other' takes the note as its comment."""
    answer.value = value
    fields = ["value"]
    if value == AnswerValue.NOT_MET_OTHER:
        answer.comment = note
        fields.append("comment")
    answer.save(update_fields=fields)
    AnswerReason.objects.filter(answer=answer).delete()
