"""The IQA-level figures (the overview): counts of IQAs and of their answers, and their rates."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from assessments.models import (
    OFFICE_BASED,
    Activity,
    AnswerValue,
    Assessment,
    CaseStatus,
)
from reporting.stats import Rate

IQA_FIGURES = (
    "iqas",
    "office_based",
    "court_based",
    "on_time",
    "feedback_given",
    "feedback_due",
    "feedback_in_time",
    "live",
    "finalised",
    "dip_sampled",
    "action_required",
)


def iqa_conditions(*, feedback_given: Q, dip_sampled: Q) -> dict[str, Q]:
    """The IQA-level conditions the figures count and the drill-down lists, by name, on the columns the IQAs and the
    IQA facts (reporting.models.IqaFact) share; the two they hold differently are given: feedback given, and a dip
    sample recorded."""
    return {
        "office_based": Q(activity__in=list(OFFICE_BASED)),
        "court_based": Q(activity=Activity.CASE_PRESENTATION),
        "on_time": Q(recorded_on_time=True),
        "late": Q(recorded_on_time=False),
        "feedback_given": feedback_given,
        "live": Q(case_status=CaseStatus.LIVE),
        "finalised": Q(case_status=CaseStatus.FINALISED),
        "dip_sampled": dip_sampled,
        "action_required": Q(action_required=True),
    }


# The conditions on Assessment (its feedback and dip sample joined).
CONDITIONS = iqa_conditions(
    feedback_given=Q(feedback__isnull=False), dip_sampled=Q(dip_sample__recorded_at__isnull=False)
)


def iqa_aggregates(today: date | None = None) -> dict:
    """The IQA-level counts (IQA_FIGURES), as aggregate expressions over Assessment."""
    today = today or timezone.localdate()
    counted = {name: Count("pk", filter=CONDITIONS[name]) for name in IQA_FIGURES if name in CONDITIONS}
    return {
        "iqas": Count("pk"),
        **counted,
        # Feedback is judged once given or once its five working days are over (rule 4, the due date stored).
        "feedback_due": Count("pk", filter=Q(feedback__isnull=False) | Q(feedback_due_on__lt=today)),
        "feedback_in_time": Count("pk", filter=Q(feedback__given_on__lte=F("feedback_due_on"))),
    }


# Each answer value by the name of its count (AnswerCounts' fields, with `answers`, the total).
VALUE_FIELDS = {
    AnswerValue.FULLY_MET: "fully_met",
    AnswerValue.NOT_MET: "not_met",
    AnswerValue.NOT_MET_OTHER: "not_met_other",
    AnswerValue.NOT_APPLICABLE: "not_applicable",
}


def answer_counts(count, value_field: str) -> dict:
    """The answer counts AnswerCounts.from_row reads, as aggregates: `count(condition)` is the aggregate of the
    answers meeting the condition (None: every answer), `value_field` the field holding the answer's value."""
    values = {name: count(Q(**{value_field: value})) for value, name in VALUE_FIELDS.items()}
    return {"answers_total": count(None), **values}


# Answer counts as aggregates over IQAs joined to their answers: rooted on the scoped IQA queryset, so its filters
# apply to the joined rows directly, as a hand-written join would. They count the answers' values (never null, so
# the same numbers) rather than their ids: the value is in the answer_reporting_cover index, so PostgreSQL reads the
# index alone instead of each answer's row.
ANSWER_AGGREGATES = answer_counts(lambda condition: Count("answers__value", filter=condition), "answers__value")

ANSWER_FIELDS = ("answers", "fully_met", "not_met", "not_met_other", "not_applicable")


@dataclass
class AnswerCounts:
    answers: int = 0
    fully_met: int = 0
    not_met: int = 0
    not_met_other: int = 0
    not_applicable: int = 0

    @property
    def applicable(self) -> int:
        return self.answers - self.not_applicable

    @property
    def fully_met_rate(self) -> Rate:
        return Rate(self.fully_met, self.applicable)

    @property
    def not_met_rate(self) -> Rate:
        return Rate(self.not_met, self.applicable)

    @property
    def not_met_other_rate(self) -> Rate:
        return Rate(self.not_met_other, self.applicable)

    @classmethod
    def from_row(cls, row: dict) -> "AnswerCounts":
        counts = {name: row.get(name) or 0 for name in ANSWER_AGGREGATES}
        counts["answers"] = counts.pop("answers_total")
        return cls(**counts)


@dataclass
class Overview:
    """The IQA-level figures for a set of IQAs, and their answers' rates."""

    iqas: int = 0
    office_based: int = 0
    court_based: int = 0
    on_time: int = 0
    feedback_given: int = 0
    feedback_due: int = 0
    feedback_in_time: int = 0
    live: int = 0
    finalised: int = 0
    dip_sampled: int = 0
    action_required: int = 0
    answers: AnswerCounts = field(default_factory=AnswerCounts)

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.on_time, self.iqas)

    @property
    def feedback_in_time_rate(self) -> Rate:
        return Rate(self.feedback_in_time, self.feedback_due)

    @property
    def dip_sample_rate(self) -> Rate:
        return Rate(self.dip_sampled, self.iqas)

    @property
    def live_rate(self) -> Rate:
        return Rate(self.live, self.iqas)

    @classmethod
    def from_row(cls, row: dict, answers: AnswerCounts | None = None) -> "Overview":
        counts = {name: row.get(name) or 0 for name in IQA_FIGURES}
        return cls(**counts, answers=answers or AnswerCounts())


def overview(
    assessments: QuerySet[Assessment], *, today: date | None = None, answers: AnswerCounts | None = None
) -> Overview:
    """Two queries: the IQA counts, and the answer counts (one, when the answer counts are passed in, e.g. summed
    from `question_results` by `total`)."""
    row = assessments.aggregate(**iqa_aggregates(today))
    if answers is None:
        answers = AnswerCounts.from_row(assessments.aggregate(**ANSWER_AGGREGATES))
    return Overview.from_row(row, answers)


def total(counts) -> AnswerCounts:
    """The sum of several AnswerCounts (per question, say): what one more scan of the answers would count."""
    result = AnswerCounts()
    for item in counts:
        for name in ANSWER_FIELDS:
            setattr(result, name, getattr(result, name) + getattr(item, name))
    return result
