"""Reporting models: what the proxy targets are made of (IQAs per half-day assessment) and admins' overrides."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models import Activity, AnswerValue, Question, Reason
from organisation.models import Area, Person, PurviewLevel, Team, Unit, audited, purview_level_constraint


@audited()
class IqasPerHalfDay(models.Model):
    """How many IQA records one half-day assessment of an activity is expected to produce.

    The scheme assesses half a day's work (seed 001, 3.4), which often covers several cases and so ought to give
    several IQAs; the old proxy target counted one per assessment and understated the number needed by perhaps a
    factor of three or four (4.20–4.22, recommendation 2). One row per activity; an activity without a row counts 1.
    """

    activity = models.CharField(max_length=30, choices=Activity.choices, unique=True)
    iqas_per_half_day = models.DecimalField(
        "IQAs per half-day assessment",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=(
            "The number of IQA records a half-day assessment of this activity should generate. 1 reproduces the "
            "old proxy target; the Inspectorate found that understated the work by a factor of three or four "
            "(seed 001, 4.20–4.22), because half a day usually covers more than one case."
        ),
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why this figure, e.g. the REM data it rests on.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity"]
        verbose_name = "IQAs per half-day assessment"
        verbose_name_plural = "IQAs per half-day assessment"

    def __str__(self):
        return f"{self.get_activity_display()}: {self.iqas_per_half_day} IQAs per half-day"


@audited()
class TargetOverride(models.Model):
    """A proxy target set by hand for one team, unit or area for one business year, replacing the computed one.

    The area knows best who ought to be assessed and how often (seed 001, 4.22). An override replaces the whole
    computed figure for that place whenever the whole place is counted; a period shorter than the year gets the
    override pro-rated by its days. Leave one of the two figures empty to keep the computed one.
    """

    level = models.CharField(
        max_length=10, choices=[(value, label) for value, label in PurviewLevel.choices if value != "national"]
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="target_overrides")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="target_overrides")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE, related_name="target_overrides")
    business_year = models.PositiveSmallIntegerField(
        help_text="The year the business year starts in: 2017 for 2017-18 (1 April 2017 – 31 March 2018)."
    )
    office_based = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="IQAs expected in the year for advice, charging and review, and case progression. Empty: computed.",
    )
    court_based = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="IQAs expected in the year for case presentation (advocacy). Empty: computed.",
    )
    reason = models.TextField(help_text="Why the computed target is wrong here, e.g. staff tasked to other work.")
    set_by = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+", editable=False)
    set_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-business_year", "level"]
        constraints = [
            purview_level_constraint(
                "target_override_place_matches_level",
                levels=("team", "unit", "area"),
                message="Choose the team, unit or area that the level calls for, and only that.",
            ),
            models.CheckConstraint(
                condition=Q(office_based__isnull=False) | Q(court_based__isnull=False),
                name="target_override_sets_a_figure",
                violation_error_message="Set the office-based or the court-based target, or both.",
            ),
            models.UniqueConstraint(
                fields=["team", "business_year"], condition=Q(level="team"), name="target_override_one_per_team_year"
            ),
            models.UniqueConstraint(
                fields=["unit", "business_year"], condition=Q(level="unit"), name="target_override_one_per_unit_year"
            ),
            models.UniqueConstraint(
                fields=["area", "business_year"], condition=Q(level="area"), name="target_override_one_per_area_year"
            ),
        ]

    def __str__(self):
        place = self.team or self.unit or self.area
        return f"Target override for {place}, {self.business_year}-{(self.business_year + 1) % 100:02d}"


@audited()
class PerformanceMeasure(models.Model):
    """An area's figure for a business quarter from the organisation's performance data (e.g. the conviction rate,
    guilty pleas at first hearing, cracked or ineffective trials), imported from CSV and shown beside the related
    activity's question results so casework quality can be read against outcomes (seed 001, 4.28, annex C)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="performance_measures")
    business_year = models.PositiveSmallIntegerField(
        help_text="The year the business year starts in: 2017 for 2017-18 (1 April 2017 – 31 March 2018)."
    )
    quarter = models.PositiveSmallIntegerField(
        choices=[(number, f"Q{number}") for number in range(1, 5)],
        help_text="Business quarter: Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March.",
    )
    measure = models.CharField(max_length=120, help_text="As named in the performance data, e.g. 'Conviction rate'.")
    value = models.DecimalField(max_digits=12, decimal_places=2, help_text="A percentage or a count, as published.")
    activity = models.CharField(
        max_length=30,
        choices=Activity.choices,
        blank=True,
        help_text="The activity whose question results the measure is shown beside, e.g. case presentation for "
        "conviction rates.",
    )
    imported_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+", editable=False)
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-business_year", "-quarter", "area__name", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "business_year", "quarter", "measure"],
                name="performance_measure_once_per_area_quarter",
                violation_error_message="This area already has this measure for this quarter.",
            )
        ]

    def __str__(self):
        return f"{self.measure}, {self.area}, {self.period_label}: {self.value}"

    @property
    def period_label(self) -> str:
        return f"{self.business_year}-{(self.business_year + 1) % 100:02d} Q{self.quarter}"


# --- Pre-aggregated facts --------------------------------------------------------------------------------------
# Counts of the raw rows by the keys every figure filters and groups on, kept exact by PostgreSQL triggers in the
# transaction of every write (reporting/fact_sql.py) and rebuilt from the raw rows by `rebuild_reporting_facts`.
# Django never writes them. The keys are the IQA's as assessed: the month of the work (its first day), the team,
# assessor, activity and court; no foreign-key constraints, so a write never waits on the rows they name.


def _fact_key(*fields) -> list[str]:
    return ["month", "team", "assessor", "activity", "case_court", *fields]


class _Counted(models.Model):
    """What every fact counts by (the month of the work, activity and court as assessed), and its count."""

    month = models.DateField(help_text="The month of the work: its first day.")
    activity = models.CharField(max_length=30, choices=Activity.choices)
    case_court = models.CharField("court when assessed", max_length=20)
    n = models.IntegerField("count")

    class Meta:
        abstract = True


class _Fact(_Counted):
    team = models.ForeignKey(Team, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    assessor = models.ForeignKey(Person, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.n} in {self.month:%b %Y}, team {self.team_id}, assessor {self.assessor_id}, {self.activity}"


class _Answers(models.Model):
    """Answers: the question (each version: its code, activity and wording) and the value."""

    question = models.ForeignKey(Question, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    value = models.CharField(max_length=20, choices=AnswerValue.choices)

    class Meta:
        abstract = True


class _Reasons(models.Model):
    """Reasons given for answers: the reason."""

    reason = models.ForeignKey(Reason, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        abstract = True


class _Remarks(models.Model):
    """Re-marks: the question (each version) and the pair of answers compared, the assessor's as the dip sample kept
    it and the re-marker's."""

    question = models.ForeignKey(Question, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    assessor_value = models.CharField("assessor's answer", max_length=20, choices=AnswerValue.choices)
    answer = models.CharField("re-marker's answer", max_length=20, choices=AnswerValue.choices)

    class Meta:
        abstract = True


class _Iqas(models.Model):
    """IQAs: every IQA-level condition the overview, timing and consistency figures count (IQA_FACT_CONDITIONS)."""

    case_status = models.CharField("case status when assessed", max_length=20)
    recorded_on_time = models.BooleanField()
    action_required = models.BooleanField()
    dip_sampled = models.BooleanField(help_text="A dip sample of the IQA is recorded.")
    feedback_given = models.BooleanField()
    feedback_in_time = models.BooleanField(help_text="Given within five working days of the day it was recorded.")
    pending_recorded_on = models.DateField(null=True, help_text="No feedback yet: the day (London) it was recorded.")
    work_third = models.PositiveSmallIntegerField(help_text="Third of the month of the work: 1 (days 1–10), 2, 3.")
    recorded_month = models.DateField(help_text="The month (London) it was recorded: its first day.")
    recorded_third = models.PositiveSmallIntegerField(help_text="Third of the month it was recorded: 1, 2 or 3.")

    class Meta:
        abstract = True


class AnswerFact(_Answers, _Fact):
    """Answers counted by IQA key, question (each version: its code, activity and wording) and value."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=_fact_key("question", "value"), name="answer_fact_key"),
        ]
        indexes = [models.Index(fields=["id"], condition=Q(n=0), name="answer_fact_zero")]


class ReasonFact(_Reasons, _Fact):
    """Reasons given for answers, counted by IQA key and reason."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=_fact_key("reason"), name="reason_fact_key")]
        indexes = [models.Index(fields=["id"], condition=Q(n=0), name="reason_fact_zero")]


class RemarkFact(_Remarks, _Fact):
    """Re-marks of recorded dip samples counted by the IQA's key, the question (each version) and the pair of answers
    compared: the assessor's as the dip sample kept it, and the re-marker's (annex B; the consistency page)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=_fact_key("question", "assessor_value", "answer"), name="remark_fact_key"),
        ]
        indexes = [models.Index(fields=["id"], condition=Q(n=0), name="remark_fact_zero")]


# The IQA-level conditions an IqaFact row is keyed by, besides the common key.
IQA_FACT_CONDITIONS = (
    "case_status",
    "recorded_on_time",
    "action_required",
    "dip_sampled",
    "feedback_given",
    "feedback_in_time",
    "pending_recorded_on",
    "work_third",
    "recorded_month",
    "recorded_third",
)


class IqaFact(_Iqas, _Fact):
    """IQAs counted by IQA key and every IQA-level condition the overview, timing and consistency figures count.

    Feedback falls due on a day that depends on today: an IQA without feedback keeps the day it was recorded
    (London), so "due" is exact whatever the day the figures are read."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=_fact_key(*IQA_FACT_CONDITIONS),
                name="iqa_fact_key",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(n=0), name="iqa_fact_zero"),
            models.Index(fields=["recorded_month"], name="iqa_fact_recorded_month"),
        ]


# --- The same facts by area --------------------------------------------------------------------------------------
# The pages over whole areas or the nation (no unit, team or assessor chosen) read these: the same counts without team
# or assessor, a third to a half as many rows. The area is the IQA's team's as it is now (the triggers follow a team
# moved to another unit, or a unit to another area).


def _area_key(*fields) -> list[str]:
    return ["month", "area", "activity", "case_court", *fields]


class _AreaFact(_Counted):
    area = models.ForeignKey(Area, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.n} in {self.month:%b %Y}, area {self.area_id}, {self.activity}"


class AnswerAreaFact(_Answers, _AreaFact):
    """Answers counted by area, month, activity, court, question (each version) and value."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=_area_key("question", "value"), name="answer_area_fact_key")]
        indexes = [models.Index(fields=["id"], condition=Q(n=0), name="answer_area_fact_zero")]


class ReasonAreaFact(_Reasons, _AreaFact):
    """Reasons given for answers, counted by area, month, activity, court and reason."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=_area_key("reason"), name="reason_area_fact_key")]
        indexes = [models.Index(fields=["id"], condition=Q(n=0), name="reason_area_fact_zero")]


class RemarkAreaFact(_Remarks, _AreaFact):
    """Re-marks of recorded dip samples by area, month, activity, court, question and the pair of answers."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=_area_key("question", "assessor_value", "answer"), name="remark_area_fact_key"
            ),
        ]
        indexes = [models.Index(fields=["id"], condition=Q(n=0), name="remark_area_fact_zero")]


class IqaAreaFact(_Iqas, _AreaFact):
    """IQAs counted by area, month, activity, court and every IQA-level condition, as IqaFact."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=_area_key(*IQA_FACT_CONDITIONS), name="iqa_area_fact_key", nulls_distinct=False
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(n=0), name="iqa_area_fact_zero"),
            models.Index(fields=["recorded_month"], name="iqa_area_fact_recorded_month"),
        ]


# Every fact table: by team and assessor, then by area.
FACT_MODELS = (AnswerFact, ReasonFact, IqaFact, RemarkFact, AnswerAreaFact, ReasonAreaFact, IqaAreaFact, RemarkAreaFact)
