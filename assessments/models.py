"""Question sets, cases, Individual Quality Assessments (IQAs), their answers, drafts and planned IQAs.

Over 400 lines on purpose: the models of one app are read together (their relations and constraints) and Django
looks for them in one module.
"""

import uuid
from datetime import timedelta

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisation.models import Area, Person, Team, Unit, audited


class Activity(models.TextChoices):
    ADVICE = "advice", "Advice"
    CHARGING_REVIEW = "charging_review", "Charging and review"
    CASE_PROGRESSION = "case_progression", "Case progression"
    CASE_PRESENTATION = "case_presentation", "Case presentation"


# The order activities are listed in everywhere (pages, tables, question codes): the order of the scheme's forms.
ACTIVITY_ORDER = {activity.value: index for index, activity in enumerate(Activity)}

OFFICE_BASED = frozenset({Activity.ADVICE, Activity.CHARGING_REVIEW, Activity.CASE_PROGRESSION})


class AnswerValue(models.TextChoices):
    FULLY_MET = "fully_met", "Fully met"
    NOT_MET = "not_met", "Not met"
    NOT_MET_OTHER = "not_met_other", "Not met – other"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class QuestionSetLockedError(Exception):
    """A question set version that has answers is never changed in place: publish a new version."""


class QuestionSetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(applies_from__isnull=False)

    def in_force_on(self, day):
        """The published versions that apply on a day, latest first (first per code is the one in force)."""
        return self.published().filter(applies_from__lte=day).order_by("code", "-applies_from", "-version")

    def current(self, code, day):
        return self.in_force_on(day).filter(code=code).first()


@audited()
class QuestionSet(models.Model):
    """One version of the questions for an activity, or of an optional set added to it (disclosure)."""

    code = models.SlugField(
        max_length=40, help_text="Stable code shared by every version, e.g. 'case_progression' or 'disclosure'."
    )
    name = models.CharField(max_length=150)
    activity = models.CharField(max_length=30, choices=Activity.choices)
    optional = models.BooleanField(
        default=False,
        help_text="An optional set the assessor may add to an IQA of its activity, such as the disclosure questions.",
    )
    version = models.PositiveIntegerField(default=1)
    applies_from = models.DateField(
        null=True,
        blank=True,
        help_text="The version applies to work done from this date. Leave empty while the new version is being edited.",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "optional", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="question_set_version_unique"),
            models.UniqueConstraint(
                fields=["code", "applies_from"],
                condition=Q(applies_from__isnull=False),
                name="question_set_one_version_per_start_date",
                violation_error_message="Another version of this question set already applies from that date.",
            ),
        ]

    def __str__(self):
        state = f"from {self.applies_from:%-d %b %Y}" if self.applies_from else "draft"
        return f"{self.name}, version {self.version} ({state})"

    @property
    def is_published(self):
        return self.applies_from is not None

    def has_answers(self):
        return Answer.objects.filter(question__question_set=self).exists()

    def check_editable(self):
        if self.pk and self.has_answers():
            raise QuestionSetLockedError(
                f"{self} has answers and cannot be changed. Publish a new version and edit that instead."
            )


class LockedWithQuestionSet(models.Model):
    """Questions and reasons refuse changes once their question set version has answers."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._question_set().check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._question_set().check_editable()
        return super().delete(*args, **kwargs)

    def _question_set(self):
        raise NotImplementedError


@audited()
class Question(LockedWithQuestionSet):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=10, help_text="Stable across versions so results stay comparable, e.g. 'Q9'.")
    number = models.PositiveSmallIntegerField(help_text="Order on the form.")
    wording = models.TextField()
    guidance = models.TextField(
        blank=True, help_text="The general and specific factors the assessor weighs. Shown beside the question."
    )

    class Meta:
        ordering = ["question_set", "number"]
        constraints = [models.UniqueConstraint(fields=["question_set", "code"], name="question_code_unique_in_set")]

    def __str__(self):
        return f"{self.code} {self.wording}"

    def _question_set(self):
        return self.question_set


@audited()
class Reason(LockedWithQuestionSet):
    """A reason for a 'not met' answer to one question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reasons")
    code = models.CharField(max_length=12, help_text="e.g. 'Q9.3'.")
    number = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=300)
    is_other = models.BooleanField(default=False, help_text="The 'other' reason, explained in the comment.")

    class Meta:
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="reason_code_unique_in_question")]

    def __str__(self):
        return self.text

    def _question_set(self):
        return self.question.question_set


class Court(models.TextChoices):
    MAGISTRATES = "magistrates", "Magistrates' court"
    CROWN = "crown", "Crown Court"


class SensitiveCategory(models.TextChoices):
    RAPE = "rape", "Rape"
    OTHER_SERIOUS_SEXUAL = "other_serious_sexual", "Other serious sexual offence"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    HATE_RACE = "hate_race", "Hate crime: racist"
    HATE_RELIGION = "hate_religion", "Hate crime: religious"
    HATE_DISABILITY = "hate_disability", "Hate crime: disability"
    HATE_SEXUAL_ORIENTATION = "hate_sexual_orientation", "Hate crime: homophobic or biphobic"
    HATE_TRANSGENDER = "hate_transgender", "Hate crime: transphobic"


class ProtectedCharacteristic(models.TextChoices):
    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE = "marriage", "Marriage or civil partnership"
    PREGNANCY = "pregnancy", "Pregnancy or maternity"
    RACE = "race", "Race"
    RELIGION = "religion", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"


class CaseStatus(models.TextChoices):
    LIVE = "live", "Live"
    FINALISED = "finalised", "Finalised"


class CaseStage(models.TextChoices):
    PRE_CHARGE = "pre_charge", "Pre-charge"
    POST_CHARGE = "post_charge", "Post-charge, before first hearing"
    BEFORE_TRIAL = "before_trial", "Before trial"
    TRIAL = "trial", "At trial"
    AFTER_TRIAL = "after_trial", "Sentence and after"


@audited()
class Case(models.Model):
    """A case, registered once and reused by every assessment of every activity on it."""

    urn = models.CharField("URN", max_length=11, help_text="Unique reference number, e.g. 42AB0123418.")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases", editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    court = models.CharField(max_length=20, choices=Court.choices)
    sensitive_categories = ArrayField(
        models.CharField(max_length=30, choices=SensitiveCategory.choices), default=list, blank=True
    )
    protected_characteristics = ArrayField(
        models.CharField(max_length=30, choices=ProtectedCharacteristic.choices),
        default=list,
        blank=True,
        verbose_name="defendant's protected characteristics",
        help_text="Only where the information is available.",
    )
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.LIVE)
    stage = models.CharField(max_length=20, choices=CaseStage.choices)
    registered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["urn"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "urn"],
                name="case_urn_unique_in_area",
                violation_error_message="A case with this URN is already registered in this area.",
            )
        ]

    def __str__(self):
        return self.urn

    def save(self, *args, **kwargs):
        self.area_id = self.unit.area_id
        super().save(*args, **kwargs)

    def get_sensitive_categories_display(self):
        return [SensitiveCategory(value).label for value in self.sensitive_categories]

    def get_protected_characteristics_display(self):
        return [ProtectedCharacteristic(value).label for value in self.protected_characteristics]


@audited()
class HalfDay(models.Model):
    """A half-day of one person's work on one activity, assessed in one sitting: one IQA per case in it."""

    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    assessed = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    activity = models.CharField(max_length=30, choices=Activity.choices)
    work_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            # One assessor's IQAs of one person's work on one activity and day are one half-day, however they were
            # started; recording takes the existing row (get_or_create), which this makes safe when two race.
            models.UniqueConstraint(
                fields=["assessor", "assessed", "activity", "work_date"], name="half_day_one_per_work"
            ),
        ]

    def __str__(self):
        return f"{self.assessed}, {self.get_activity_display()}, {self.work_date:%-d %b %Y}"


class State(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    ACTION_TAKEN = "action_taken", "Action taken"
    CLOSED = "closed", "Closed"


@audited()
class Assessment(models.Model):
    """An Individual Quality Assessment: one assessor's answers on one case of one person's work."""

    assessor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments_made")
    assessed = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments_received")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="assessments", help_text="The assessed person's team."
    )
    activity = models.CharField(max_length=30, choices=Activity.choices)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="assessments")
    disclosure_set = models.ForeignKey(
        QuestionSet, null=True, blank=True, on_delete=models.PROTECT, related_name="supplemented_assessments"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    # The case as this IQA judged it, kept as recorded or amended: a later IQA on the same case updates the case but
    # never these (DESIGN.md, "Records as assessed"). Pages, figures, filters and exports read these, not the case's.
    case_status = models.CharField("case status when assessed", max_length=20, choices=CaseStatus.choices)
    case_stage = models.CharField("case stage when assessed", max_length=20, choices=CaseStage.choices)
    case_court = models.CharField("court when assessed", max_length=20, choices=Court.choices)
    case_sensitive_categories = ArrayField(
        models.CharField(max_length=30, choices=SensitiveCategory.choices),
        default=list,
        blank=True,
        verbose_name="sensitive categories when assessed",
    )
    half_day = models.ForeignKey(HalfDay, on_delete=models.PROTECT, related_name="assessments")
    work_date = models.DateField("date the work was done")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_on_time = models.BooleanField(help_text="Recorded the same or the next working day after the work.")
    feedback_due_on = models.DateField(
        editable=False,
        help_text=(
            "Rule 4: feedback within five working days of the assessment (England and Wales bank holidays): the "
            "fifth working day after the day it was recorded (assessments.rules.feedback_due_after), set when it is "
            "recorded."
        ),
    )
    early_advice_requested = models.BooleanField(
        null=True, blank=True, help_text="Advice only: the police asked for early investigative advice."
    )
    action_required = models.BooleanField(default=False)
    action_description = models.TextField(blank=True)
    overall_comment = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECORDED)
    action_taken_on = models.DateField(null=True, blank=True)
    action_taken_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Counts amendments; guards against lost updates.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-work_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action_required=False) | ~Q(action_description=""),
                name="assessment_action_described",
                violation_error_message="Describe the action required.",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "work_date"]),
            models.Index(fields=["assessor", "work_date"]),
            models.Index(fields=["assessed", "work_date"]),
        ]

    def __str__(self):
        return f"IQA {self.pk}: {self.assessed}, {self.get_activity_display()}, {self.work_date:%-d %b %Y}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.feedback_due_on is None:
            from assessments.rules import feedback_due  # noqa: PLC0415 - rules imports these models

            self.feedback_due_on = feedback_due(self)
        super().save(*args, **kwargs)

    @property
    def is_office_based(self):
        return self.activity in OFFICE_BASED

    def get_case_sensitive_categories_display(self):
        return [SensitiveCategory(value).label for value in self.case_sensitive_categories]


@audited()
class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(max_length=20, choices=AnswerValue.choices)
    comment = models.TextField(blank=True)
    reasons = models.ManyToManyField(Reason, through="AnswerReason", blank=True, related_name="answers")

    class Meta:
        ordering = ["assessment", "question__question_set__optional", "question__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_one_per_question"),
        ]

    def __str__(self):
        return f"{self.question.code}: {self.get_value_display()}"


@audited()
class AnswerReason(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE)
    reason = models.ForeignKey(Reason, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "reason"], name="answer_reason_once")]

    def __str__(self):
        return f"{self.answer}: {self.reason}"


class Draft(models.Model):
    """An IQA being written: what the assessor typed, saved as they type, exactly as typed.

    Kept raw (not validated) so that nothing typed is lost, whatever state it is in. Recording it creates or
    amends an Assessment and marks the draft submitted, so a second submit of the same draft records nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="drafts")
    assessed = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    activity = models.CharField(max_length=30, choices=Activity.choices)
    work_date = models.DateField()
    with_disclosure = models.BooleanField(default=False)
    half_day = models.ForeignKey(HalfDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    amends = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="amendment_drafts"
    )
    base_version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="The form fields as typed: name → list of values.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_as = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "submitted_at"])]

    def __str__(self):
        return f"Draft IQA of {self.assessed}, {self.get_activity_display()}"


@audited()
class PlannedAssessment(models.Model):
    """An IQA diarised for a week, so assessments are spread through the quarter rather than left to its end."""

    assessor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="planned_assessments")
    assessed = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    activity = models.CharField(max_length=30, choices=Activity.choices)
    week_starting = models.DateField(help_text="The Monday of the planned week.")
    note = models.CharField(max_length=200, blank=True)
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["week_starting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(week_starting__week_day=2),
                name="planned_week_starts_monday",
                violation_error_message="A planned week starts on a Monday.",
            )
        ]

    def __str__(self):
        return f"{self.get_activity_display()} IQA of {self.assessed}, week of {self.week_starting:%-d %b %Y}"

    def is_overdue(self, today):
        return self.assessment_id is None and today > self.week_ending

    @property
    def week_ending(self):
        return self.week_starting + timedelta(days=6)


class FeedbackMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Telephone"
    EMAIL = "email", "E-mail"


@audited()
class Feedback(models.Model):
    """The assessor's record that feedback on an IQA was given (rule 4: within five working days)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="feedback")
    given_on = models.DateField()
    mode = models.CharField(max_length=20, choices=FeedbackMode.choices)
    positive_points = models.TextField(blank=True)
    issues_to_address = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"Feedback on {self.assessment} given {self.given_on:%-d %b %Y}"


@audited()
class Acknowledgement(models.Model):
    """The assessed person has read the IQA, with their response if they wish to give one."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="acknowledgement")
    acknowledged_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(blank=True)

    def __str__(self):
        return f"{self.assessment} acknowledged {self.acknowledged_at:%-d %b %Y}"


class ChallengeStatus(models.TextChoices):
    PENDING = "pending", "Awaiting a decision"
    UPHELD = "upheld", "Upheld"
    REJECTED = "rejected", "Not upheld"


@audited()
class Challenge(models.Model):
    """The assessed person disputes one answer; a dip sampler over their purview decides."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="challenges")
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField()
    # The answer as challenged and, once a challenge is upheld, as it was just before the decision replaced it.
    original_value = models.CharField(max_length=20, choices=AnswerValue.choices)
    original_comment = models.TextField(blank=True)
    original_reasons = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, help_text="The reasons' wording, as they read."
    )
    proposed_value = models.CharField(max_length=20, choices=AnswerValue.choices)
    status = models.CharField(max_length=20, choices=ChallengeStatus.choices, default=ChallengeStatus.PENDING)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer"],
                condition=Q(status="pending"),
                name="challenge_one_pending_per_answer",
                violation_error_message="This answer already has a challenge awaiting a decision.",
            )
        ]

    def __str__(self):
        return f"Challenge to {self.answer}"
