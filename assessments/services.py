"""Writing IQAs: drafts, recording, amending, actions and closing. Each change is one transaction.

The rules of recording are checked here, whatever calls: the assessed person in the assessor's purview, the
assessor's accreditation for a live case (assessments.accreditation), who may amend (rules.amend_refusal), an action
open to mark taken, rule 3 for closing. A refusal is a ValidationError with a message for the user.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from assessments import accreditation, feedback_emails, planning, rules
from assessments.models import Answer, AnswerReason, Assessment, Case, Draft, HalfDay, QuestionSet, State
from organisation import scoping
from organisation.models import Role, TeamMembership, Unit

# Form fields that are not what the user typed. "Record it anyway" is given afresh each time it is asked for.
NOT_DATA = {"csrfmiddlewaretoken", "action", "overwrite_version", "record_anyway"}

NO_OPEN_ACTION_MESSAGE = "There is no open action on this IQA."
OUT_OF_PURVIEW_MESSAGE = "{person} is no longer in your assessor purview, so this IQA cannot be recorded."


class EditConflictError(ValidationError):
    """Someone changed the IQA after this draft was opened from it; `current` is the IQA as it is now."""

    def __init__(self, current):
        super().__init__("The IQA was changed by someone else.")
        self.current = current


@dataclass(frozen=True)
class IQAEntry:
    """What a checked IQA form gives to record (IQAForm.entry()): the case as judged, the IQA's own fields and its
    answers as (question, value, comment, reasons)."""

    urn: str
    unit: Unit | None
    court: str
    sensitive_categories: list[str]
    protected_characteristics: list[str]
    status: str
    stage: str
    early_advice_requested: bool | None
    action_required: bool
    action_description: str
    overall_comment: str
    question_set: QuestionSet
    disclosure_set: QuestionSet | None
    answers: list[tuple]
    area_id: int | None
    existing_case: Case | None = None


def typed_data(querydict) -> dict[str, list[str]]:
    """The form as typed, every field as a list of values, ready to keep in a draft."""
    return {key: querydict.getlist(key) for key in querydict if key not in NOT_DATA}


def draft_start(*, owner, assessed, activity, work_date, with_disclosure=False, half_day=None, data=None) -> Draft:
    return Draft.objects.create(
        owner=owner,
        assessed=assessed,
        activity=activity,
        work_date=work_date,
        with_disclosure=with_disclosure,
        half_day=half_day,
        data=data or {},
    )


def draft_autosave(*, draft: Draft, data: dict) -> bool:
    """Keep what was typed. Nothing is saved into a draft already recorded (a late autosave after submit)."""
    updated = Draft.objects.filter(pk=draft.pk, submitted_at__isnull=True).update(data=data, updated_at=timezone.now())
    return bool(updated)


def assessment_data(assessment: Assessment) -> dict[str, list[str]]:
    """An IQA as form data, to open it for amendment or compare it with someone else's version: the case as the IQA
    judged it, whatever later IQAs have made of the case since."""
    case = assessment.case
    data = {
        "urn": [case.urn],
        "unit": [str(case.unit_id)],
        "court": [assessment.case_court],
        "sensitive_categories": list(assessment.case_sensitive_categories),
        "protected_characteristics": list(case.protected_characteristics),
        "status": [assessment.case_status],
        "stage": [assessment.case_stage],
        "action_description": [assessment.action_description],
        "overall_comment": [assessment.overall_comment],
    }
    if assessment.early_advice_requested is not None:
        data["early_advice_requested"] = ["yes" if assessment.early_advice_requested else "no"]
    if assessment.action_required:
        data["action_required"] = ["on"]
    for answer in assessment.answers.select_related("question").prefetch_related("reasons"):
        code = answer.question.code
        data[f"{code}-answer"] = [answer.value]
        data[f"{code}-reasons"] = [reason.code for reason in answer.reasons.all()]
        data[f"{code}-comment"] = [answer.comment]
    return data


def iqa_amend(*, assessment: Assessment, assessor) -> Draft:
    """Open the IQA for amendment: a fresh draft holding it as it is now; each opening has its own, so conflicts are
    seen. Refused (ValidationError) when the assessor may not amend it (rules.amend_refusal); recording the draft
    checks that again, on the locked IQA."""
    refusal = rules.amend_refusal(assessment, assessor)
    if refusal:
        raise ValidationError(refusal)
    return Draft.objects.create(
        owner=assessor,
        assessed=assessment.assessed,
        activity=assessment.activity,
        work_date=assessment.work_date,
        with_disclosure=assessment.disclosure_set_id is not None,
        half_day=assessment.half_day,
        amends=assessment,
        base_version=assessment.version,
        data=assessment_data(assessment),
    )


def iqa_assess_another_case(*, assessment: Assessment, assessor) -> Draft:
    """A draft for the next case of the same half-day: the shared fields are carried over, the case and answers are
    not. Refused (ValidationError) once the person has left the assessor's purview."""
    if not scoping.assessable_people(assessor).filter(pk=assessment.assessed_id).exists():
        raise ValidationError(OUT_OF_PURVIEW_MESSAGE.format(person=assessment.assessed))
    return draft_start(
        owner=assessor,
        assessed=assessment.assessed,
        activity=assessment.activity,
        work_date=assessment.work_date,
        with_disclosure=assessment.disclosure_set_id is not None,
        half_day=assessment.half_day,
        data={"early_advice_requested": ["yes"]} if assessment.early_advice_requested else {},
    )


def _case_for(entry: IQAEntry, user, *, amending=None) -> Case:
    """The existing case for the URN (its status and stage brought up to date), or a newly registered one.

    Amending an IQA brings the case up to date only if no later IQA is on it: the later one saw the case more
    recently, and amending an old IQA must not wind the case back.
    """
    case = entry.existing_case
    if case is None:
        try:
            with transaction.atomic():
                return Case.objects.create(
                    urn=entry.urn,
                    unit=entry.unit,
                    court=entry.court,
                    sensitive_categories=entry.sensitive_categories,
                    protected_characteristics=entry.protected_characteristics,
                    status=entry.status,
                    stage=entry.stage,
                    registered_by=user,
                )
        except IntegrityError:
            # Registered by someone else since the form was checked: use theirs.
            case = Case.objects.get(area_id=entry.area_id, urn=entry.urn)
    if (case.status, case.stage) == (entry.status, entry.stage):
        return case
    if amending and Assessment.objects.filter(case=case, pk__gt=amending).exists():
        return case
    case.status, case.stage = entry.status, entry.stage
    case.save(update_fields=["status", "stage"])
    return case


def _as_assessed(case: Case, entry: IQAEntry) -> dict:
    """The case as this IQA judged it, kept on the IQA (DESIGN.md, "Records as assessed"): the status and stage the
    form gave, and the court and sensitive categories the case was registered with."""
    return {
        "case": case,
        "case_status": entry.status,
        "case_stage": entry.stage,
        "case_court": case.court,
        "case_sensitive_categories": list(case.sensitive_categories),
    }


def _team_of(assessed, assessor, work_date):
    """The assessed person's team inside the assessor's purview: on the day of the work if they were there."""
    for day in (work_date, timezone.localdate()):
        memberships = TeamMembership.objects.active_on(day).filter(person=assessed)
        membership = scoping.records_in_scope(assessor, memberships, Role.ASSESSOR).first()
        if membership:
            return membership.team_id
    raise ValidationError(OUT_OF_PURVIEW_MESSAGE.format(person=assessed))


def _write_answers(assessment, entry: IQAEntry, *, new):
    """Answers of a new IQA in two inserts; an amended IQA's answers are updated in place, kept in history."""
    if new:
        rows = entry.answers
        answers = Answer.objects.bulk_create(
            Answer(assessment=assessment, question=question, value=value, comment=comment)
            for question, value, comment, _ in rows
        )
        AnswerReason.objects.bulk_create(
            AnswerReason(answer=answer, reason=reason)
            for answer, (*_, reasons) in zip(answers, rows, strict=True)
            for reason in reasons
        )
        return
    existing = {answer.question_id: answer for answer in assessment.answers.all()}
    for question, value, comment, reasons in entry.answers:
        answer = existing.get(question.pk)
        if answer is None:
            answer = Answer.objects.create(assessment=assessment, question=question, value=value, comment=comment)
        elif (answer.value, answer.comment) != (value, comment):
            answer.value, answer.comment = value, comment
            answer.save(update_fields=["value", "comment"])
        answer.reasons.set(reasons)


def _iqa_fields(entry: IQAEntry):
    return {
        "early_advice_requested": entry.early_advice_requested,
        "action_required": entry.action_required,
        "action_description": entry.action_description.strip() if entry.action_required else "",
        "overall_comment": entry.overall_comment.strip(),
    }


def recording_refusal(*, draft: Draft, assessor, case_status: str, amended: Assessment | None = None) -> str:
    """Why the assessor may not record the draft now, or '': an amendment by rules.amend_refusal (iqa_record checks
    it on `amended`, the locked IQA row, since a dip sample is started under the same lock, so a dip-sampled IQA's
    answers are frozen for its author); a new IQA only on someone in their assessor purview today; a live case only
    if they are accredited. The IQA page asks too, to say so beside the form's own errors."""
    if draft.amends_id:
        refusal = rules.amend_refusal(amended or draft.amends, assessor)
    elif not scoping.assessable_people(assessor).filter(pk=draft.assessed_id).exists():
        refusal = OUT_OF_PURVIEW_MESSAGE.format(person=draft.assessed)
    else:
        refusal = ""
    return refusal or accreditation.refusal_for(assessor, case_status, timezone.localdate())


@transaction.atomic
def iqa_record(*, draft_id, assessor, entry: IQAEntry, overwrite_version: int | None = None) -> tuple[Assessment, bool]:
    """Record the draft as an IQA, or apply it to the IQA it amends. Returns (assessment, created_now).

    The draft row is locked first, so a double-clicked submit waits for the first and then finds the draft
    already recorded: one IQA, not two. Raises ValidationError when the assessor may not record it, before anything
    is written, and EditConflictError when someone changed the amended IQA since the draft was opened.
    """
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    if draft.submitted_as_id:
        return draft.submitted_as, False
    amended = Assessment.objects.select_for_update().get(pk=draft.amends_id) if draft.amends_id else None
    refusal = recording_refusal(draft=draft, assessor=assessor, case_status=entry.status, amended=amended)
    if refusal:
        raise ValidationError(refusal)
    facts = _as_assessed(_case_for(entry, assessor, amending=draft.amends_id), entry)
    if draft.amends_id:
        assessment = _amend(draft, entry, facts, overwrite_version)
    else:
        assessment = _create(draft, entry, facts, assessor)
    draft.submitted_as, draft.submitted_at = assessment, timezone.now()
    draft.save(update_fields=["submitted_as", "submitted_at"])
    return assessment, True


def _create(draft, entry: IQAEntry, facts, user):
    now = timezone.now()
    # One half-day per assessor, person, activity and date of the work, however the IQA was started. The unique
    # constraint makes this safe when two IQAs of it are recorded at once: the second waits, then finds the first.
    half_day, _ = HalfDay.objects.get_or_create(
        assessor=user, assessed=draft.assessed, activity=draft.activity, work_date=draft.work_date
    )
    assessment = Assessment.objects.create(
        assessor=user,
        assessed=draft.assessed,
        team_id=_team_of(draft.assessed, user, draft.work_date),
        activity=draft.activity,
        question_set=entry.question_set,
        disclosure_set=entry.disclosure_set,
        half_day=half_day,
        work_date=draft.work_date,
        recorded_at=now,
        recorded_on_time=rules.recorded_on_time(draft.work_date, timezone.localdate(now)),
        **facts,
        **_iqa_fields(entry),
    )
    _write_answers(assessment, entry, new=True)
    planning.plan_link(assessment=assessment)
    feedback_emails.queue_for_recorded(assessment)
    return assessment


def _amend(draft, entry: IQAEntry, facts, overwrite_version):
    """Apply the amendment only if nobody changed the IQA since the draft was opened from it."""
    expected = overwrite_version if overwrite_version is not None else draft.base_version
    changed = Assessment.objects.filter(pk=draft.amends_id, version=expected).update(
        version=F("version") + 1, updated_at=timezone.now(), **facts, **_iqa_fields(entry)
    )
    current = Assessment.objects.get(pk=draft.amends_id)
    if not changed:
        raise EditConflictError(current)
    _write_answers(current, entry, new=False)
    return current


def iqa_action_taken(*, assessment: Assessment, taken_on: date, note: str) -> None:
    """Mark the IQA's required action taken (rule 3), only while it is open (rules.action_open)."""
    if not rules.action_open(assessment):
        raise ValidationError(NO_OPEN_ACTION_MESSAGE)
    Assessment.objects.filter(pk=assessment.pk).update(
        state=State.ACTION_TAKEN, action_taken_on=taken_on, action_taken_note=note, updated_at=timezone.now()
    )


def iqa_close(*, assessment: Assessment) -> None:
    """Close the IQA; refused (ValidationError) by rule 3 while its action is open, or once closed."""
    allowed, message = rules.can_close(assessment)
    if not allowed:
        raise ValidationError(message)
    Assessment.objects.filter(pk=assessment.pk).update(
        state=State.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
    )


def draft_discard(*, draft: Draft) -> None:
    draft.delete()
