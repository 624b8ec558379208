"""Writes for dip sampling: confirming a selection, recording a dip sample with its re-marks, telling the assessor.

The rules, as decided here:

- Confirming a proposal creates a Selection (rule, seed, how many IQAs it chose from and chose, for the page of
  past selections) and one DipSample per IQA, "selected, not yet done". An IQA that another selection took in the
  meantime is skipped, never sampled twice (one-to-one).
- Any dip sampler over the IQA may record a selected dip sample (a colleague can take one over); whoever records
  it becomes its dip sampler.
- Once a dip sample is started (selected) on an IQA, its author can no longer amend it (assessments/rules.py);
  an answer then changes only by a challenge a dip sampler upholds. Selecting locks the IQA rows, as amending does,
  so an amendment and a selection happen one after the other.
- Recording needs both comments (rule 6), a date neither in the future nor before the IQA was recorded, and an
  outcome. Re-marks are optional, per question of the IQA, and kept with the dip sample, each beside the assessor's
  answer as it stood at that moment: whatever happens to the IQA later, a recorded dip sample is final and keeps
  comparing the answers it saw. Its history is audited.
- The assessor is e-mailed the outcome through the outbox, in the transaction that records it, keyed once per
  dip sample; the e-mail names no case and links to the IQA page, where the outcome and comments are shown.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.feedback_emails import iqa_email_context
from assessments.models import Answer, AnswerValue, Assessment
from dipsampling import selectors
from dipsampling.models import DipSample, ReMark, Selection, SelectionKind
from dipsampling.selection import Proposal
from notifications import outbox
from organisation import scoping
from organisation.models import Role

IQA_COMMENT_MESSAGE = "Comment on the standard of the IQA: every dip sample carries both comments."
CASEWORK_COMMENT_MESSAGE = "Comment on the work done on the case: every dip sample carries both comments."
FUTURE_MESSAGE = "The dip sample cannot be dated in the future."
BEFORE_IQA_MESSAGE = "The dip sample cannot be dated before the IQA was recorded ({recorded:%-d %B %Y})."
ALREADY_RECORDED_MESSAGE = "This dip sample has already been recorded."


def _purview_name(user) -> str:
    grants = scoping.active_grants(user, Role.DIP_SAMPLER).select_related("team", "unit", "area")
    return "; ".join(grant.purview_name for grant in grants)[:200]


@transaction.atomic
def selection_confirm(*, user, proposal: Proposal, assessment_ids: list[int]) -> Selection:
    """Create the selection and its dip samples for the chosen IQAs of a proposal (all of a random one)."""
    chosen = set(assessment_ids) & set(proposal.assessment_ids)
    if not chosen:
        raise ValidationError("Choose at least one IQA to dip sample.")
    rule = {**proposal.rule, "chosen": sorted(chosen)}
    if proposal.kind != SelectionKind.RANDOM:
        rule["proposed"] = list(proposal.assessment_ids)  # what the dip sampler ticked from
    selection = Selection.objects.create(
        made_by=user,
        kind=proposal.kind,
        period_label=proposal.period.label,
        purview=_purview_name(user),
        rule=rule,
        seed=proposal.seed,
        eligible_count=proposal.eligible_count,
        drawn_count=len(chosen),
    )
    # Re-check scope and "not yet selected" inside the transaction; the one-to-one skips any taken meanwhile.
    ids = (
        selectors.unsampled_assessments(user)
        .filter(pk__in=chosen)
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    DipSample.objects.bulk_create(
        [DipSample(assessment_id=pk, dip_sampler=user, selection=selection) for pk in ids], ignore_conflicts=True
    )
    return selection


def dip_sample_start(*, user, assessment: Assessment) -> DipSample:
    """Pick one IQA from the queue for a dip sample, outside any selection (or find the one already picked)."""
    with transaction.atomic():
        # Lock the IQA row as amending does (assessments.services.iqa_record), so an amendment lands wholly before
        # the dip sample is started or is refused after it.
        if selectors.samplable_assessments(user).select_for_update().filter(pk=assessment.pk).first() is None:
            raise ValidationError("You cannot dip sample this IQA.")
        dip_sample, _ = DipSample.objects.get_or_create(assessment=assessment, defaults={"dip_sampler": user})
    return dip_sample


def check_sampled_on(sampled_on: date, assessment: Assessment, today: date) -> str:
    """Why the date is wrong for a dip sample of the IQA, or ''."""
    if sampled_on > today:
        return FUTURE_MESSAGE
    recorded = timezone.localdate(assessment.recorded_at)
    if sampled_on < recorded:
        return BEFORE_IQA_MESSAGE.format(recorded=recorded)
    return ""


def dip_sample_record(
    *,
    dip_sample: DipSample,
    user,
    sampled_on: date,
    iqa_comment: str,
    casework_comment: str,
    outcome: str,
    remarks: dict[int, tuple[str, str]] | None = None,
) -> DipSample:
    """Record the dip sample, its re-marks (question id → (answer, comment)) and the assessor's e-mail."""
    iqa_comment, casework_comment = (iqa_comment or "").strip(), (casework_comment or "").strip()
    if not iqa_comment:
        raise ValidationError({"iqa_comment": IQA_COMMENT_MESSAGE})
    if not casework_comment:
        raise ValidationError({"casework_comment": CASEWORK_COMMENT_MESSAGE})
    with transaction.atomic():
        dip_sample = _to_record(user, dip_sample.pk, sampled_on)
        # The assessor's answers as they stand now, locked until the dip sample is recorded: each re-mark keeps the
        # one it is compared with, so a later challenge upheld on the IQA never changes what this dip sample found.
        assessor_values = dict(
            Answer.objects.select_for_update()
            .filter(assessment=dip_sample.assessment)
            .values_list("question_id", "value")
        )
        remarks = _remarks_checked(remarks, assessor_values)
        dip_sample.dip_sampler = user
        dip_sample.sampled_on, dip_sample.outcome = sampled_on, outcome
        dip_sample.iqa_comment, dip_sample.casework_comment = iqa_comment, casework_comment
        dip_sample.recorded_at = timezone.now()
        dip_sample.full_clean(exclude=["assessment", "selection"])
        dip_sample.save()
        ReMark.objects.bulk_create(
            ReMark(
                dip_sample=dip_sample,
                question_id=pk,
                assessor_value=assessor_values[pk],
                answer=answer,
                comment=(comment or "").strip(),
            )
            for pk, (answer, comment) in sorted(remarks.items())
        )
        _tell_assessor(dip_sample, user)
    return dip_sample


def _to_record(user, pk: int, sampled_on: date) -> DipSample:
    """The dip sample, locked, if the user may record it (in their scope, not yet recorded) on that date."""
    dip_sample = (
        selectors.dip_samples_in_scope(user)
        .select_for_update(of=("self",))
        .select_related("assessment__assessor", "assessment__assessed")
        .filter(pk=pk)
        .first()
    )
    if dip_sample is None:
        raise ValidationError("You cannot record this dip sample.")
    if dip_sample.is_recorded:
        raise ValidationError(ALREADY_RECORDED_MESSAGE)
    problem = check_sampled_on(sampled_on, dip_sample.assessment, timezone.localdate())
    if problem:
        raise ValidationError({"sampled_on": problem})
    return dip_sample


def _remarks_checked(remarks, assessor_values: dict[int, str]) -> dict[int, tuple[str, str]]:
    """The re-marks given (question id → (answer, comment)), each of the IQA's own questions with one of the four
    answers."""
    remarks = {pk: value for pk, value in (remarks or {}).items() if value and value[0]}
    if set(remarks) - set(assessor_values) or any(answer not in AnswerValue.values for answer, _ in remarks.values()):
        raise ValidationError("Re-mark only the IQA's own questions, with one of the four answers.")
    return remarks


def _tell_assessor(dip_sample: DipSample, user) -> None:
    """The assessor's e-mail of the outcome, through the outbox, once per dip sample."""
    assessment = dip_sample.assessment
    outbox.enqueue(
        dedupe_key=f"dip_sample:{dip_sample.pk}:outcome",
        recipient=assessment.assessor.email,
        person=assessment.assessor,
        template="dip_sample_outcome",
        context={
            **iqa_email_context(assessment),
            "dip_sample_id": dip_sample.pk,
            "recipient_name": assessment.assessor.full_name,
            "outcome": dip_sample.get_outcome_display(),
            "dip_sampler_name": user.full_name,
        },
    )
