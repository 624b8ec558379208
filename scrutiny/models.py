"""Case reviews, their scrutiny milestones (6-week MOT, 10-month scrutiny, 2-year LRCC), the actions those raise,
monthly 1:1 notes, and the monthly dip sample of closed cases (rules 7 and 8; seed 000, section 3)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from organisation.models import Person, Team, audited
from scrutiny import milestones


class CaseReviewStatus(models.TextChoices):
    UNDER_REVIEW = "under_review", "Under review"
    PROVISIONAL_DECISION = "provisional_decision", "Provisional decision"
    CLOSED = "closed", "Closed"


class Decision(models.TextChoices):
    REFERRAL = "referral", "Referral"
    NON_REFERRAL = "non_referral", "Non-referral"


class DecidedBy(models.TextChoices):
    SINGLE = "single", "Single decision-maker"
    COMMITTEE = "committee", "Committee"


@audited()
class CaseReview(models.Model):
    """A case under review by the CCRC, from allocation to closure. Write it through scrutiny.services."""

    reference = models.CharField(max_length=30, unique=True, help_text="The CCRC case reference.")
    applicant_name = models.CharField(
        max_length=150,
        help_text="Shown only to the case review manager and group leader on the case and to case scrutiny "
        "holders over it; never in the managers' overview.",
    )
    offence_summary = models.CharField(max_length=300, help_text="e.g. 'Murder (2009), conviction and sentence'.")
    allocated_on = models.DateField(
        help_text="The day the case was allocated to its case review manager: every milestone counts from it."
    )
    case_review_manager = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_reviews_managed")
    group_leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="case_reviews_led", help_text="Receives the reminders."
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="case_reviews")
    status = models.CharField(max_length=30, choices=CaseReviewStatus.choices, default=CaseReviewStatus.UNDER_REVIEW)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.CharField(max_length=20, choices=DecidedBy.choices, blank=True)
    heard_by_lrcc = models.BooleanField(
        "heard by the LRCC", default=False, help_text="The Long-Running Cases Review Committee considered the case."
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["allocated_on", "reference"]
        constraints = [
            # A closed case carries its decision, who made it and when; an open one carries none of these.
            models.CheckConstraint(
                condition=(
                    Q(status="closed") & Q(closed_on__isnull=False) & ~Q(decision="") & ~Q(decided_by="")
                    | ~Q(status="closed") & Q(closed_on__isnull=True)
                ),
                name="case_review_closed_has_decision",
                violation_error_message="A closed case needs its decision, who decided it and the closing date.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("allocated_on")),
                name="case_review_closes_after_allocation",
                violation_error_message="A case cannot close before it was allocated.",
            ),
        ]
        indexes = [models.Index(fields=["status", "allocated_on"]), models.Index(fields=["closed_on"])]

    def __str__(self):
        return self.reference

    @property
    def is_closed(self):
        return self.status == CaseReviewStatus.CLOSED


class MilestoneKind(models.TextChoices):
    MOT = milestones.MOT, "6-week case-plan MOT"
    TEN_MONTH = milestones.TEN_MONTH, "10-month scrutiny"
    LRCC = milestones.LRCC, "Long-Running Cases Review Committee (2 years)"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    NOT_SELECTED = "not_selected", "Not selected for MOT"
    CANCELLED = "cancelled", "Cancelled (case closed)"


@audited()
class Milestone(models.Model):
    """One scrutiny stage of a case review. Created and kept current by scrutiny.services from the allocated date.

    Every case gets all three. The MOT is a dip sample: the group leader selects cases past 6 weeks for it; a case
    not selected has its MOT marked "not selected" and is reminded of no more.
    """

    case_review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING)
    selected_for_mot_at = models.DateTimeField(null=True, blank=True)
    selected_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case_plan_fit_for_purpose = models.BooleanField(
        null=True, blank=True, help_text="Is the case plan fit for purpose (seed 000, 3.1(1)(a))?"
    )
    causes_of_delay = models.TextField(
        blank=True, help_text="Causes of potential undue delay, so they can be dealt with (seed 000, 3.1(1))."
    )
    outcome = models.TextField(blank=True, help_text="What the scrutiny found and decided.")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case_review", "kind"], name="milestone_one_of_each_kind_per_case"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False, done_by__isnull=False) | ~Q(status="done"),
                name="milestone_done_has_date_and_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="mot") | ~Q(status="not_selected"), name="milestone_only_mot_is_not_selected"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.case_review}"


@audited()
class MilestoneAction(models.Model):
    """An action a scrutiny raised, with its owner and date, and its follow-up."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="scrutiny_actions")
    due_on = models.DateField("to be done by")
    completed_on = models.DateField(null=True, blank=True)
    follow_up = models.TextField(blank=True, help_text="What was done, as found when the action was followed up.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.description[:60]} ({self.owner})"


@audited()
class OneToOneNote(models.Model):
    """The outcome of a monthly 1:1 between the group leader and the case review manager on the case."""

    case_review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="one_to_one_notes")
    met_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = "1:1 note"

    def __str__(self):
        return f"1:1 on {self.case_review} ({self.met_on})"


@audited()
class MonthlyClosedCaseSample(models.Model):
    """The draw of one month's closed cases for dip sampling (rule 8): once per month, its rule and seed stored so
    the draw can be repeated and checked."""

    month = models.DateField(unique=True, help_text="The first day of the month whose closed cases were drawn.")
    drawn_at = models.DateTimeField(default=timezone.now)
    rule = models.TextField(help_text="Which cases could be drawn and how many were.")
    seed = models.BigIntegerField(help_text="The random seed of the draw.")
    eligible_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"Closed-case dip sample for {self.month:%B %Y}"


@audited()
class ClosedCaseDipSample(models.Model):
    """One closed case drawn for the monthly dip sample, its reviewer and their review (seed 000, 1.2)."""

    sample = models.ForeignKey(MonthlyClosedCaseSample, on_delete=models.PROTECT, related_name="items")
    case_review = models.ForeignKey(CaseReview, on_delete=models.PROTECT, related_name="closed_dip_samples")
    reviewer = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="closed_case_dip_samples"
    )
    factually_correct = models.BooleanField(null=True, blank=True)
    logically_and_legally_sound = models.BooleanField(null=True, blank=True)
    clearly_reasoned = models.BooleanField(null=True, blank=True)
    accurate = models.BooleanField(null=True, blank=True)
    timely = models.BooleanField(null=True, blank=True)
    in_the_interests_of_justice = models.BooleanField(null=True, blank=True)
    comments = models.TextField(blank=True, help_text="Where a criterion is not met, say why.")
    should_reopen = models.BooleanField("should the case be reopened", null=True, blank=True)
    reopen_reasons = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-sample__month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "case_review"], name="closed_dip_sample_case_once_per_month")
        ]

    def __str__(self):
        return f"Dip sample of {self.case_review}"


# The six qualities of a decision the closed-case review checks (seed 000, 1.2 a–f).
DECISION_CRITERIA = (
    ("factually_correct", "Factually correct"),
    ("logically_and_legally_sound", "Logically and legally sound"),
    ("clearly_reasoned", "Clearly reasoned"),
    ("accurate", "Accurate"),
    ("timely", "Timely"),
    ("in_the_interests_of_justice", "Represents the interests of justice"),
)
