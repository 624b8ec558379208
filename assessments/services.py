"""Writing IQAs: drafts, recording, amending, actions and closing. Each change is one transaction."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from assessments import feedback_emails, planning, rules
from assessments.models import Answer, AnswerReason, Assessment, Case, Draft, HalfDay, State
from organisation import scoping
from organisation.models import Role, TeamMembership

# Form fields that are not what the user typed. "Record it anyway" is given afresh each time it is asked for.
NOT_DATA = {"csrfmiddlewaretoken", "action", "overwrite_version", "record_anyway"}


class AmendmentRefusedError(Exception):
    """The IQA may no longer be amended (closed, or a dip sample started on it); the message is for the user."""


class EditConflictError(Exception):
    """Someone changed the IQA after this draft was opened from it."""

    def __init__(self, current):
        super().__init__("The IQA was changed by someone else.")
        self.current = current


def typed_data(querydict) -> dict[str, list[str]]:
    """The form as typed, every field as a list of values, ready to keep in a draft."""
    return {key: querydict.getlist(key) for key in querydict if key not in NOT_DATA}


def start_draft(owner, *, assessed, activity, work_date, with_disclosure=False, half_day=None, data=None) -> Draft:
    return Draft.objects.create(
        owner=owner,
        assessed=assessed,
        activity=activity,
        work_date=work_date,
        with_disclosure=with_disclosure,
        half_day=half_day,
        data=data or {},
    )


def autosave(draft: Draft, data: dict) -> bool:
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


def amendment_draft(assessment: Assessment, owner) -> Draft:
    """A fresh draft holding the IQA as it is now; each opening has its own, so conflicts are seen."""
    return Draft.objects.create(
        owner=owner,
        assessed=assessment.assessed,
        activity=assessment.activity,
        work_date=assessment.work_date,
        with_disclosure=assessment.disclosure_set_id is not None,
        half_day=assessment.half_day,
        amends=assessment,
        base_version=assessment.version,
        data=assessment_data(assessment),
    )


def another_case_draft(assessment: Assessment, owner) -> Draft:
    """The next case of the same half-day: the shared fields are carried over, the case and answers are not."""
    return start_draft(
        owner,
        assessed=assessment.assessed,
        activity=assessment.activity,
        work_date=assessment.work_date,
        with_disclosure=assessment.disclosure_set_id is not None,
        half_day=assessment.half_day,
        data={"early_advice_requested": ["yes"]} if assessment.early_advice_requested else {},
    )


def _case_for(form, user, *, amending=None) -> Case:
    """The existing case for the URN (its status and stage brought up to date), or a newly registered one.

    Amending an IQA brings the case up to date only if no later IQA is on it: the later one saw the case more
    recently, and amending an old IQA must not wind the case back.
    """
    cleaned = form.cleaned_data
    case = form.existing_case
    if case is None:
        try:
            with transaction.atomic():
                return Case.objects.create(
                    urn=cleaned["urn"],
                    unit=cleaned["unit"],
                    court=cleaned["court"],
                    sensitive_categories=cleaned["sensitive_categories"],
                    protected_characteristics=cleaned["protected_characteristics"],
                    status=cleaned["status"],
                    stage=cleaned["stage"],
                    registered_by=user,
                )
        except IntegrityError:
            # Registered by someone else since the form was checked: use theirs.
            case = Case.objects.get(area_id=form.area_id, urn=cleaned["urn"])
    if (case.status, case.stage) == (cleaned["status"], cleaned["stage"]):
        return case
    if amending and Assessment.objects.filter(case=case, pk__gt=amending).exists():
        return case
    case.status, case.stage = cleaned["status"], cleaned["stage"]
    case.save(update_fields=["status", "stage"])
    return case


def _as_assessed(case: Case, form) -> dict:
    """The case as this IQA judged it, kept on the IQA (DESIGN.md, "Records as assessed"): the status and stage the
    form gave, and the court and sensitive categories the case was registered with."""
    return {
        "case": case,
        "case_status": form.cleaned_data["status"],
        "case_stage": form.cleaned_data["stage"],
        "case_court": case.court,
        "case_sensitive_categories": list(case.sensitive_categories),
    }


def _team_of(assessed, assessor, work_date):
    """The assessed person's team inside the assessor's purview: on the day of the work if they were there."""
    teams = scoping.teams_in_scope(assessor, Role.ASSESSOR)
    for day in (work_date, timezone.localdate()):
        membership = TeamMembership.objects.active_on(day).filter(person=assessed, team__in=teams).first()
        if membership:
            return membership.team_id
    raise PermissionError("The person is not in your assessor purview.")


def _write_answers(assessment, form, *, new):
    """Answers of a new IQA in two inserts; an amended IQA's answers are updated in place, kept in history."""
    if new:
        rows = form.answers()
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
    for question, value, comment, reasons in form.answers():
        answer = existing.get(question.pk)
        if answer is None:
            answer = Answer.objects.create(assessment=assessment, question=question, value=value, comment=comment)
        elif (answer.value, answer.comment) != (value, comment):
            answer.value, answer.comment = value, comment
            answer.save(update_fields=["value", "comment"])
        answer.reasons.set(reasons)


def _iqa_fields(form):
    cleaned = form.cleaned_data
    action_required = cleaned["action_required"]
    return {
        "early_advice_requested": cleaned["early_advice_requested"],
        "action_required": action_required,
        "action_description": cleaned["action_description"].strip() if action_required else "",
        "overall_comment": cleaned["overall_comment"].strip(),
    }


@transaction.atomic
def record(draft_id, form, user, *, overwrite_version=None) -> tuple[Assessment, bool]:
    """Record the draft as an IQA, or apply it to the IQA it amends. Returns (assessment, created_now).

    The draft row is locked first, so a double-clicked submit waits for the first and then finds the draft
    already recorded: one IQA, not two.
    """
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    if draft.submitted_as_id:
        return draft.submitted_as, False
    if draft.amends_id:
        # Checked here, not only by the page, and on the locked IQA row (a dip sample is started under the same
        # lock), before anything is written: a dip-sampled IQA's answers are frozen for its author.
        refusal = rules.amend_refusal(Assessment.objects.select_for_update().get(pk=draft.amends_id), user)
        if refusal:
            raise AmendmentRefusedError(refusal)
    facts = _as_assessed(_case_for(form, user, amending=draft.amends_id), form)
    assessment = _amend(draft, form, facts, overwrite_version) if draft.amends_id else _create(draft, form, facts, user)
    draft.submitted_as, draft.submitted_at = assessment, timezone.now()
    draft.save(update_fields=["submitted_as", "submitted_at"])
    return assessment, True


def _create(draft, form, facts, user):
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
        question_set=form.question_set,
        disclosure_set=form.disclosure_set,
        half_day=half_day,
        work_date=draft.work_date,
        recorded_at=now,
        recorded_on_time=rules.recorded_on_time(draft.work_date, timezone.localdate(now)),
        **facts,
        **_iqa_fields(form),
    )
    _write_answers(assessment, form, new=True)
    planning.link_plan(assessment)
    feedback_emails.queue_for_recorded(assessment)
    return assessment


def _amend(draft, form, facts, overwrite_version):
    """Apply the amendment only if nobody changed the IQA since the draft was opened from it."""
    expected = overwrite_version if overwrite_version is not None else draft.base_version
    changed = Assessment.objects.filter(pk=draft.amends_id, version=expected).update(
        version=F("version") + 1, updated_at=timezone.now(), **facts, **_iqa_fields(form)
    )
    current = Assessment.objects.get(pk=draft.amends_id)
    if not changed:
        raise EditConflictError(current)
    _write_answers(current, form, new=False)
    return current


def mark_action_taken(assessment: Assessment, *, taken_on, note) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        state=State.ACTION_TAKEN, action_taken_on=taken_on, action_taken_note=note, updated_at=timezone.now()
    )


def close(assessment: Assessment) -> tuple[bool, str]:
    allowed, message = rules.can_close(assessment)
    if allowed:
        Assessment.objects.filter(pk=assessment.pk).update(
            state=State.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
        )
    return allowed, message


def discard(draft: Draft) -> None:
    draft.delete()
