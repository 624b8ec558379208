"""Dip samples and their selections, re-marks, consistency exercises and assessor accreditation."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models import Activity, AnswerValue
from organisation.models import Person, audited


class SelectionKind(models.TextChoices):
    RANDOM = "random", "Random, stratified by activity"
    HIGH_FULLY_MET = "high_fully_met", "Assessor's fully met rate well above their unit's"
    ADVERSE_OUTCOME = "adverse_outcome", "Cases with an adverse outcome"
    FINALISED_CASE = "finalised_case", "IQAs recorded on finalised cases"


@audited()
class Selection(models.Model):
    """A set of IQAs chosen for dip sampling, with the rule and seed that chose them so the choice can be re-run."""

    made_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dip_sample_selections")
    made_at = models.DateTimeField(default=timezone.now, editable=False)
    kind = models.CharField(max_length=30, choices=SelectionKind.choices)
    period_label = models.CharField(
        max_length=40, help_text="The quarter (or other period) whose recorded IQAs were eligible, e.g. '2017-18 Q3'."
    )
    purview = models.CharField(max_length=200, help_text="The dip sampler's purview when the selection was made.")
    rule = models.JSONField(
        default=dict, blank=True, help_text="The rule and its parameters (target, team ids, thresholds) as applied."
    )
    seed = models.BigIntegerField(null=True, blank=True, help_text="Random selections: the seed that drew the sample.")
    eligible_count = models.PositiveIntegerField(
        "IQAs eligible",
        null=True,
        blank=True,
        help_text="The IQAs the rule chose from: for a random selection those of the period not yet selected, for a "
        "targeted one those it proposed. Empty for targeted selections made before this was kept.",
    )
    drawn_count = models.PositiveIntegerField(
        "IQAs drawn", null=True, blank=True, help_text="The IQAs the selection chose (all it drew, or those ticked)."
    )

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.period_label}, by {self.made_by}"


class Outcome(models.TextChoices):
    ROBUST = "robust", "IQA robust"
    TOO_LENIENT = "too_lenient", "IQA too lenient"
    TOO_ROBUST = "too_robust", "IQA too robust"
    MIXED = "mixed", "Mixed"


@audited()
class DipSample(models.Model):
    """A senior manager's check of a recorded IQA (rule 6). Selected first; `recorded_at` is set when it is done."""

    assessment = models.OneToOneField("assessments.Assessment", on_delete=models.CASCADE, related_name="dip_sample")
    dip_sampler = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dip_samples")
    selection = models.ForeignKey(
        Selection, null=True, blank=True, on_delete=models.SET_NULL, related_name="dip_samples"
    )
    sampled_on = models.DateField("date of the dip sample", null=True, blank=True)
    iqa_comment = models.TextField(
        "comment on the standard of the IQA",
        blank=True,
        help_text="Were the answers, reasons and comments right, and was the feedback and any action apt?",
    )
    casework_comment = models.TextField(
        "comment on the casework",
        blank=True,
        help_text="The standard of the work done on the case, good or bad, including anything the IQA missed.",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A recorded dip sample carries both comments, a date and an outcome (rule 6).
            models.CheckConstraint(
                condition=Q(recorded_at__isnull=True)
                | (Q(sampled_on__isnull=False) & ~Q(iqa_comment="") & ~Q(casework_comment="") & ~Q(outcome="")),
                name="dip_sample_recorded_complete",
                violation_error_message="A recorded dip sample needs both comments, its date and an outcome.",
            )
        ]
        indexes = [models.Index(fields=["dip_sampler", "recorded_at"])]

    def __str__(self):
        return f"Dip sample of IQA {self.assessment_id}"

    @property
    def is_recorded(self):
        return self.recorded_at is not None


@audited()
class ReMark(models.Model):
    """The dip sampler's own, independent answer to one of the IQA's questions, beside the assessor's answer as it
    stood when the dip sample was recorded: a later change to the IQA (an upheld challenge) never changes what the
    dip sample found."""

    dip_sample = models.ForeignKey(DipSample, on_delete=models.CASCADE, related_name="remarks")
    question = models.ForeignKey("assessments.Question", on_delete=models.PROTECT, related_name="+")
    assessor_value = models.CharField(
        "assessor's answer",
        max_length=20,
        choices=AnswerValue.choices,
        help_text="The assessor's answer to the question when the dip sample was recorded; re-marks compare with it.",
    )
    answer = models.CharField(max_length=20, choices=AnswerValue.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["dip_sample", "question__number"]
        constraints = [models.UniqueConstraint(fields=["dip_sample", "question"], name="remark_one_per_question")]

    def __str__(self):
        return f"Re-mark of {self.question.code}: {self.get_answer_display()}"


# --- Consistency exercises ------------------------------------------------------------------------------------


@audited()
class ConsistencyExercise(models.Model):
    """Several assessors assess the same case or case study independently; then everyone compares answers."""

    organiser = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="organised_exercises")
    title = models.CharField(max_length=150)
    activity = models.CharField(max_length=30, choices=Activity.choices)
    question_set = models.ForeignKey("assessments.QuestionSet", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "assessments.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="consistency_exercises"
    )
    case_study = models.TextField(blank=True, help_text="A written case study, when the exercise is not on a case.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    answering_closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when everyone has answered or the organiser closes answering."
    )
    learning_points = models.TextField(blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | ~Q(case_study=""),
                name="exercise_has_case_or_case_study",
                violation_error_message="Choose a case or write a case study.",
            )
        ]

    def __str__(self):
        return self.title


@audited()
class ExerciseParticipant(models.Model):
    exercise = models.ForeignKey(ConsistencyExercise, on_delete=models.CASCADE, related_name="participants")
    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="exercise_invitations")
    invited_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["exercise", "assessor__full_name"]
        constraints = [models.UniqueConstraint(fields=["exercise", "assessor"], name="exercise_participant_once")]

    def __str__(self):
        return f"{self.assessor} in {self.exercise}"


@audited()
class ExerciseAnswer(models.Model):
    participant = models.ForeignKey(ExerciseParticipant, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("assessments.Question", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=20, choices=AnswerValue.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["participant", "question__number"]
        constraints = [models.UniqueConstraint(fields=["participant", "question"], name="exercise_answer_once")]

    def __str__(self):
        return f"{self.question.code}: {self.get_value_display()}"


@audited()
class AgreedAnswer(models.Model):
    """The answer the organiser records as right for a question, after the discussion."""

    exercise = models.ForeignKey(ConsistencyExercise, on_delete=models.CASCADE, related_name="agreed_answers")
    question = models.ForeignKey("assessments.Question", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=20, choices=AnswerValue.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["exercise", "question__number"]
        constraints = [models.UniqueConstraint(fields=["exercise", "question"], name="agreed_answer_once")]

    def __str__(self):
        return f"{self.question.code}: {self.get_value_display()}"


# --- Accreditation --------------------------------------------------------------------------------------------


class AccreditationQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(accredited_on__lte=day).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))


@audited()
class Accreditation(models.Model):
    """An assessor has been trained and passed a competency check (seed 001, 4.14–4.15)."""

    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="accreditations")
    accredited_on = models.DateField()
    accredited_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="accreditations_given")
    training = models.TextField(help_text="The training received: course or session, who delivered it, when.")
    competency_check = models.TextField(
        help_text="How competence was shown, e.g. a standard-setting exercise or a shadowed IQA, and its result."
    )
    expires_on = models.DateField(null=True, blank=True, help_text="Leave empty if the accreditation does not lapse.")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        ordering = ["assessor__full_name", "-accredited_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("accredited_on")),
                name="accreditation_expires_after_it_starts",
                violation_error_message="An accreditation cannot expire before it is given.",
            )
        ]

    def __str__(self):
        return f"{self.assessor}, accredited {self.accredited_on:%-d %b %Y}"
