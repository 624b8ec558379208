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
  rule 1 needs reasons only the assessor chooses.
- Upholding replaces the answer's value, comment and reasons as the decision says: the dip sampler gives the new
  comment (and, were the new value 'not met', its reasons), checked by rule 1, so 'not met – other' needs a
  comment. The assessor's comment and reasons never stay under an answer they no longer explain. The challenge
  keeps what it replaced (original value, comment and reasons, as they read) and the IQA page shows them as
  "originally …"; every earlier value, reason and comment stays in the audit history too.
- A dip sampler decides challenges on IQAs filed under teams in their dip sampler purview, never on an IQA they
  recorded or one about their own work. Every decision carries a note: the assessed person is owed a reason.
  Once a dip sample is started on an IQA, an upheld challenge is the only way its answers change (the author can no
  longer amend it); a recorded dip sample keeps comparing the answers it saw (dipsampling/services.py).
- The assessed person's response is read by the people its help text names: the assessed person, the IQA's own
  assessor and dip samplers whose purview covers the IQA (`can_see_response`); not by other assessors over the
  team, who may read the IQA itself.
- The assessor is e-mailed when a challenge is raised, and so is every dip sampler who may decide it (purview over
  the IQA's team, neither its assessor nor the assessed person), so a challenge does not wait unseen until someone
  opens the queue; both sides are e-mailed the outcome. The e-mails are outbox
  rows written in the transaction of the event, and name no case and quote nobody's words: they link to the IQA.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from assessments import feedback_emails, rules
from assessments.feedback import HomeList, first_of
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
from organisation.models import Person, PurviewLevel, Role, RoleGrant
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
REASONS_NOT_OF_QUESTION_MESSAGE = "Choose reasons of this answer's own question."
ALREADY_DECIDED_MESSAGE = "This challenge has already been decided."


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


def awaiting_acknowledgement(user) -> HomeList:
    """The home page's list of IQAs of the user's work they have not acknowledged, newest first, and how many there
    are in all (one query)."""
    return first_of(
        Assessment.objects.filter(assessed=user, acknowledgement__isnull=True)
        .select_related("assessor")
        .order_by("-recorded_at", "-pk")
    )


def can_see_response(user, assessment: Assessment) -> bool:
    """Whether the user may read the assessed person's response to the IQA: the people its help text names, that is
    the assessed person, the IQA's own assessor, and dip samplers whose purview covers the IQA's team. Other
    assessors over the team see the IQA but not the response. At most one query (the dip sampler's purview)."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return False
    if user_id in (assessment.assessed_id, assessment.assessor_id):
        return True
    if Role.DIP_SAMPLER not in scoping.roles_held(user):
        return False
    in_purview = Assessment.objects.filter(pk=assessment.pk)
    return scoping.records_in_scope(user, in_purview, Role.DIP_SAMPLER, team_field="team").exists()


def proposable_values(answer: Answer) -> list[tuple[str, str]]:
    """The choices the assessed person has for an answer: the proposable values other than the current one."""
    return [(value.value, value.label) for value in PROPOSABLE_VALUES if value != answer.value]


@transaction.atomic
def iqa_acknowledge(*, assessment: Assessment, assessed, response: str) -> Acknowledgement:
    """The assessed person has read the IQA; their response, if any, replaces the one they gave before."""
    if assessment.assessed_id != assessed.pk:
        raise ValidationError("Only the person whose work was assessed can acknowledge it.")
    acknowledgement, created = Acknowledgement.objects.select_for_update().get_or_create(
        assessment=assessment, defaults={"response": response.strip()}
    )
    if not created and acknowledgement.response != response.strip():
        acknowledgement.response = response.strip()
        acknowledgement.save(update_fields=["response"])
    return acknowledgement


def _context(challenge: Challenge, answer: Answer, assessment: Assessment) -> dict:
    return {
        **feedback_emails.iqa_email_context(assessment),
        "challenge_id": challenge.pk,
        "question_code": answer.question.code,
        "original_value": challenge.get_original_value_display(),
        "proposed_value": challenge.get_proposed_value_display(),
    }


def challenge_raise(*, answer: Answer, raised_by, reasons: str, proposed_value: str) -> Challenge:
    """The assessed person disputes one answer. Raises ValidationError with a message for them."""
    reasons = (reasons or "").strip()
    try:
        with transaction.atomic():
            # Lock the answer: a challenge and an amendment or a second challenge to it happen one after the other.
            answer = (
                Answer.objects.select_for_update(of=("self",))
                .select_related("question", "assessment__assessed", "assessment__assessor", "assessment__team__unit")
                .get(pk=answer.pk)
            )
            refusal = _raise_refusal(answer, raised_by, reasons, proposed_value)
            if refusal:
                raise ValidationError(refusal)
            challenge = Challenge.objects.create(
                answer=answer,
                raised_by=raised_by,
                reasons=reasons,
                proposed_value=proposed_value,
                **_originals(answer),
            )
            _tell_raised(challenge, answer)
            return challenge
    except IntegrityError as error:  # the one-pending-per-answer constraint, in a race the lock did not cover
        raise ValidationError(PENDING_MESSAGE) from error


def _raise_refusal(answer: Answer, raised_by, reasons: str, proposed_value: str) -> str:
    """Why the answer may not be challenged so, or '': not the person's own work, the window closed, no reasons, an
    answer it already has or one that cannot be proposed, or one challenge already raised."""
    allowed, problem = can_challenge(answer.assessment, raised_by, timezone.localdate())
    if not allowed:
        return problem
    if not reasons:
        return REASONS_MESSAGE
    if proposed_value == answer.value:
        return SAME_VALUE_MESSAGE
    if proposed_value not in PROPOSABLE_VALUES:
        return NOT_PROPOSABLE_MESSAGE
    existing = set(answer.challenges.values_list("status", flat=True))
    if ChallengeStatus.PENDING in existing:
        return PENDING_MESSAGE
    return DECIDED_MESSAGE if existing else ""


def _tell_raised(challenge: Challenge, answer: Answer) -> None:
    """E-mail the IQA's assessor and the dip samplers nearest its team who may decide the challenge."""
    assessment = answer.assessment
    context = _context(challenge, answer, assessment)
    key = f"challenge:{challenge.pk}:raised"
    _email(assessment.assessor, f"{key}:assessor", "challenge_raised", context)
    decide_path = reverse("challenge_decide", args=[challenge.pk])
    for sampler in deciders_to_tell(assessment):
        sampler_context = {**context, "recipient_name": sampler.full_name, "decide_path": decide_path}
        _email(sampler, f"{key}:dip-sampler:{sampler.pk}", "challenge_raised_dip_sampler", sampler_context)


def _email(person, dedupe_key: str, template: str, context: dict) -> None:
    """Queue one e-mail to the person in the outbox, in the transaction of the event."""
    outbox.enqueue(dedupe_key=dedupe_key, recipient=person.email, person=person, template=template, context=context)


# A challenge is e-mailed to the dip samplers nearest the IQA's team: those over the team, else over its unit, else
# its area, else national ones. Everyone over it may still decide it from their queue; a national dip sampler is
# not e-mailed about every challenge in the organisation.
_NEAREST_FIRST = (PurviewLevel.TEAM, PurviewLevel.UNIT, PurviewLevel.AREA, PurviewLevel.NATIONAL)


def deciders_to_tell(assessment: Assessment) -> list[Person]:
    """Active people who may decide a challenge on the IQA today (dip samplers whose purview covers its team, not
    its assessor or the assessed person, as challenges_in_purview has it), at the nearest level that has any. One
    query, given the IQA's team's unit."""
    team = assessment.team
    grants = (
        RoleGrant.objects.active_on(timezone.localdate())
        .filter(scoping.grant_covers(team.pk, team.unit_id, team.unit.area_id), role=Role.DIP_SAMPLER)
        .filter(person__is_active=True)
        .exclude(person_id__in=(assessment.assessor_id, assessment.assessed_id))
        .select_related("person")
        .order_by("person_id")
    )
    by_level = {}
    for grant in grants:
        by_level.setdefault(grant.level, {})[grant.person_id] = grant.person
    nearest = next((by_level[level] for level in _NEAREST_FIRST if level in by_level), {})
    return list(nearest.values())


def challenges_in_purview(user) -> QuerySet[Challenge]:
    """Challenges (any status) on IQAs under teams in the user's dip sampler purview, except IQAs the user recorded
    or that are about the user's own work."""
    if Role.DIP_SAMPLER not in scoping.roles_held(user):
        return Challenge.objects.none()
    in_purview = scoping.records_in_scope(
        user, Challenge.objects.all(), Role.DIP_SAMPLER, team_field="answer__assessment__team"
    )
    return in_purview.exclude(answer__assessment__assessor=user).exclude(answer__assessment__assessed=user)


def pending_challenges_for(user) -> QuerySet[Challenge]:
    """The dip sampler's queue: challenges awaiting a decision that the user may decide."""
    return challenges_in_purview(user).filter(status=ChallengeStatus.PENDING)


def decision_errors(challenge: Challenge, comment: str, reasons: list) -> dict[str, str]:
    """What an upheld decision lacks for the answer it makes (rule 1): {"comment" | "reasons": message}.

    `reasons` are Reason objects, which must belong to the answer's question."""
    errors = rules.answer_errors(challenge.proposed_value, reasons, comment)
    if any(reason.question_id != challenge.answer.question_id for reason in reasons):
        errors["reasons"] = REASONS_NOT_OF_QUESTION_MESSAGE
    return errors


def challenge_decide(
    *, challenge: Challenge, decided_by, upheld: bool, note: str, comment: str = "", reasons=()
) -> Challenge:
    """Uphold or reject a pending challenge and tell both sides, in one transaction. Upheld, the answer takes the
    proposed value with `comment` and `reasons` (Reason objects) in place of the assessor's (rule 1 checked), and
    the challenge keeps what they replaced."""
    note, comment, reasons = (note or "").strip(), (comment or "").strip(), list(reasons)
    if not note:
        raise ValidationError(NOTE_MESSAGE)
    with transaction.atomic():
        challenge = (
            challenges_in_purview(decided_by)
            .select_for_update(of=("self",))
            .select_related("answer__question", "answer__assessment__assessed", "answer__assessment__assessor")
            .filter(pk=challenge.pk)
            .first()
        )
        refusal = _decision_refusal(challenge, upheld, comment, reasons)
        if refusal:
            raise ValidationError(refusal)
        now = timezone.now()
        answer, assessment = challenge.answer, challenge.answer.assessment
        fields = ["status", "decided_by", "decided_at", "decision_note"]
        if upheld:
            # Lock the answer (as raising and amending do) and keep what the decision replaces.
            answer = Answer.objects.select_for_update(of=("self",)).select_related("question").get(pk=answer.pk)
            for name, value in _originals(answer).items():
                setattr(challenge, name, value)
            fields += ["original_value", "original_comment", "original_reasons"]
        challenge.status = ChallengeStatus.UPHELD if upheld else ChallengeStatus.REJECTED
        challenge.decided_by, challenge.decided_at, challenge.decision_note = decided_by, now, note
        challenge.save(update_fields=fields)
        if upheld:
            _change_answer(answer, challenge.proposed_value, comment, reasons)
            # The IQA changed: an amendment opened before the decision now meets the edit-conflict check.
            Assessment.objects.filter(pk=assessment.pk).update(version=F("version") + 1, updated_at=now)
        _tell_outcome(challenge, answer, assessment, decided_by)
    return challenge


def _decision_refusal(challenge: Challenge | None, upheld: bool, comment: str, reasons: list) -> str:
    """Why the challenge may not be decided so, or '': not the decider's to decide, already decided, or (upheld)
    the answer it makes breaks rule 1."""
    if challenge is None:
        return NOT_DECIDABLE_MESSAGE
    if challenge.status != ChallengeStatus.PENDING:
        return ALREADY_DECIDED_MESSAGE
    return " ".join(decision_errors(challenge, comment, reasons).values()) if upheld else ""


def _tell_outcome(challenge: Challenge, answer: Answer, assessment: Assessment, decided_by) -> None:
    """E-mail the outcome to both sides: the assessed person and the IQA's assessor."""
    context = {
        **_context(challenge, answer, assessment),
        "upheld": challenge.status == ChallengeStatus.UPHELD,
        "outcome": challenge.get_status_display(),
        "decided_by_name": decided_by.full_name,
    }
    for side, person in (("assessed", assessment.assessed), ("assessor", assessment.assessor)):
        side_context = {**context, "recipient_name": person.full_name, "to_assessed": side == "assessed"}
        _email(person, f"challenge:{challenge.pk}:outcome:{side}", "challenge_outcome", side_context)


def _originals(answer: Answer) -> dict:
    """The answer's value, comment and reasons (their wording, as they read) for the challenge to keep."""
    reasons = answer.reasons.order_by("number", "pk")
    return {
        "original_value": answer.value,
        "original_comment": answer.comment,
        "original_reasons": list(reasons.values_list("text", flat=True)),
    }


def _change_answer(answer: Answer, value: str, comment: str, reasons: list) -> None:
    """The upheld value with the decision's comment and reasons, replacing the assessor's."""
    answer.value, answer.comment = value, comment
    answer.save(update_fields=["value", "comment"])
    AnswerReason.objects.filter(answer=answer).delete()
    AnswerReason.objects.bulk_create(AnswerReason(answer=answer, reason=reason) for reason in reasons)
