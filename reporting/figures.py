"""Every figure on the dashboards, computed in the database.

Each function takes an Assessment queryset that is already scoped to the viewer's purview and narrowed by the
filters (`in_period` narrows it to a period), and returns rows or dataclasses. Each runs a FIXED number of SQL
queries whatever the data size: counts are SQL aggregates (`Count(filter=Q(...))`) grouped in the database, and
the Python that follows only walks the aggregated rows (one per question, reason, group or assessor), never IQAs
or answers.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth
from django.utils import timezone

from assessments.models import (
    ACTIVITY_ORDER,
    OFFICE_BASED,
    Activity,
    Answer,
    AnswerValue,
    Assessment,
    CaseStatus,
    Question,
    Reason,
)
from assessments.rules import feedback_due_after
from dipsampling import remarks
from qa_platform.clock import LONDON
from qa_platform.periods import Period
from reporting.stats import Rate

# --- Building blocks -----------------------------------------------------------------------------------------


def feedback_due_cutoff(today: date) -> date:
    """The last recording day whose feedback fell due before today: IQAs recorded later are not yet late."""
    day = today - timedelta(days=1)
    while feedback_due_after(day) >= today:
        day -= timedelta(days=1)
    return day


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


def iqa_aggregates(today: date | None = None) -> dict:
    """The IQA-level counts (IQA_FIGURES), as aggregate expressions over Assessment."""
    today = today or timezone.localdate()
    return {
        "iqas": Count("pk"),
        "office_based": Count("pk", filter=Q(activity__in=list(OFFICE_BASED))),
        "court_based": Count("pk", filter=Q(activity=Activity.CASE_PRESENTATION)),
        "on_time": Count("pk", filter=Q(recorded_on_time=True)),
        "feedback_given": Count("pk", filter=Q(feedback__isnull=False)),
        # Feedback is judged once given or once its five working days are over (rule 4, the due date stored).
        "feedback_due": Count("pk", filter=Q(feedback__isnull=False) | Q(feedback_due_on__lt=today)),
        "feedback_in_time": Count("pk", filter=Q(feedback__given_on__lte=F("feedback_due_on"))),
        "live": Count("pk", filter=Q(case_status=CaseStatus.LIVE)),
        "finalised": Count("pk", filter=Q(case_status=CaseStatus.FINALISED)),
        "dip_sampled": Count("pk", filter=Q(dip_sample__recorded_at__isnull=False)),
        "action_required": Count("pk", filter=Q(action_required=True)),
    }


# Answer counts as aggregates over IQAs joined to their answers: rooted on the scoped IQA queryset, so its filters
# apply to the joined rows directly, as a hand-written join would. They count the answers' values (never null, so
# the same numbers) rather than their ids: the value is in the answer_reporting_cover index, so PostgreSQL reads the
# index alone instead of each answer's row.
ANSWER_AGGREGATES = {
    "answers_total": Count("answers__value"),
    "fully_met": Count("answers__value", filter=Q(answers__value=AnswerValue.FULLY_MET)),
    "not_met": Count("answers__value", filter=Q(answers__value=AnswerValue.NOT_MET)),
    "not_met_other": Count("answers__value", filter=Q(answers__value=AnswerValue.NOT_MET_OTHER)),
    "not_applicable": Count("answers__value", filter=Q(answers__value=AnswerValue.NOT_APPLICABLE)),
}


ANSWER_FIELDS = ("answers", "fully_met", "not_met", "not_met_other", "not_applicable")


# --- Overview ------------------------------------------------------------------------------------------------


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


def by_activity(results: list["QuestionResult"]) -> dict[str, AnswerCounts]:
    """Answer counts per activity, summed from the per-question results (no query)."""
    grouped = defaultdict(list)
    for result in results:
        grouped[result.activity].append(result.counts)
    return {activity: total(counts) for activity, counts in grouped.items()}


def overall_trend(trends: list["QuestionTrend"], quarters: list[Period]) -> dict[str, Rate]:
    """The fully met rate over all questions in each quarter, summed from the per-question trend (no query)."""
    return {
        quarter.label: Rate(
            sum(trend.rates[index].successes for trend in trends), sum(trend.rates[index].total for trend in trends)
        )
        for index, quarter in enumerate(quarters)
    }


# --- When IQAs were done (annex C) ----------------------------------------------------------------------------

FIRST_MONTHS, SECOND_MONTHS = (4, 7, 10, 1), (5, 8, 11, 2)  # months 1 and 2 of the business quarters


@dataclass
class Timing:
    """IQAs recorded in a period by when they were recorded: the thirds of the month (days 1–10, 11–20, 21 to the
    end) and the months of the business quarter. Each set of three adds up to `iqas`, the shares' denominator."""

    iqas: int = 0
    month_thirds: tuple[int, int, int] = (0, 0, 0)
    quarter_months: tuple[int, int, int] = (0, 0, 0)


def recorded_in(assessments: QuerySet[Assessment], period: Period) -> QuerySet[Assessment]:
    """IQAs recorded (the day in London) in the period, whatever the date of the work."""
    start, end = (datetime.combine(day, time.min, tzinfo=LONDON) for day in (period.start, period.end_exclusive))
    return assessments.filter(recorded_at__gte=start, recorded_at__lt=end)


def timing(assessments: QuerySet[Assessment], period: Period) -> Timing:
    """When the IQAs were done (seed 001, 5.17 and annex C): those recorded in the period, by the day each was
    recorded in London, to show the rush at the end of the month and of the quarter. The date of the work would
    hide it. One query."""
    day = ExtractDay("recorded_at", tzinfo=LONDON)
    month = ExtractMonth("recorded_at", tzinfo=LONDON)
    row = (
        recorded_in(assessments, period)
        .annotate(recorded_day=day, recorded_month=month)
        .aggregate(
            iqas=Count("pk"),
            third_1=Count("pk", filter=Q(recorded_day__lte=10)),
            third_2=Count("pk", filter=Q(recorded_day__gt=10, recorded_day__lte=20)),
            month_1=Count("pk", filter=Q(recorded_month__in=FIRST_MONTHS)),
            month_2=Count("pk", filter=Q(recorded_month__in=SECOND_MONTHS)),
        )
    )
    iqas = row["iqas"]
    return Timing(
        iqas=iqas,
        month_thirds=(row["third_1"], row["third_2"], iqas - row["third_1"] - row["third_2"]),
        quarter_months=(row["month_1"], row["month_2"], iqas - row["month_1"] - row["month_2"]),
    )


# --- Questions -----------------------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    code: str
    activity: str
    wording: str
    counts: AnswerCounts

    @property
    def activity_label(self) -> str:
        return Activity(self.activity).label

    @property
    def sort_key(self):
        digits = "".join(ch for ch in self.code if ch.isdigit())
        return (ACTIVITY_ORDER.get(self.activity, 9), self.code.rstrip("0123456789"), int(digits or 0))


def question_results(assessments: QuerySet[Assessment]) -> list[QuestionResult]:
    """Per question code (stable across versions): counts of each answer. One query."""
    rows = (
        assessments.values(
            code=F("answers__question__code"), question_activity=F("answers__question__question_set__activity")
        )
        .annotate(wording=Max("answers__question__wording"), **ANSWER_AGGREGATES)
        .order_by()
    )
    results = [
        QuestionResult(row["code"], row["question_activity"], row["wording"], AnswerCounts.from_row(row))
        for row in rows
        if row["code"] is not None  # IQAs without answers
    ]
    return sorted(results, key=lambda result: result.sort_key)


@dataclass
class QuestionTrend:
    code: str
    activity: str
    rates: list[Rate]  # one per quarter, oldest first


def question_trend(assessments: QuerySet[Assessment], quarters: list[Period]) -> list[QuestionTrend]:
    """Fully met rate per question in each of the quarters (the queryset is not narrowed to a period). One query."""
    if not quarters:
        return []
    quarter_of_work = Case(
        *(When(work_date__range=(q.start, q.end), then=Value(q.label)) for q in quarters),
        output_field=CharField(),
    )
    rows = (
        assessments.filter(work_date__gte=quarters[0].start, work_date__lte=quarters[-1].end)
        .values(
            code=F("answers__question__code"),
            question_activity=F("answers__question__question_set__activity"),
            quarter=quarter_of_work,
        )
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    table: dict[tuple[str, str], dict[str, AnswerCounts]] = defaultdict(dict)
    for row in rows:
        if row["code"] is None:
            continue
        table[(row["code"], row["question_activity"])][row["quarter"]] = AnswerCounts.from_row(row)
    trends = []
    for (code, activity), by_quarter in table.items():
        rates = [by_quarter.get(q.label, AnswerCounts()).fully_met_rate for q in quarters]
        trends.append(QuestionTrend(code, activity, rates))
    return sorted(trends, key=lambda trend: QuestionResult(trend.code, trend.activity, "", AnswerCounts()).sort_key)


# --- Reasons -------------------------------------------------------------------------------------------------


@dataclass
class ReasonCount:
    question_code: str
    code: str
    text: str
    is_other: bool
    count: int


@dataclass
class Reasons:
    rows: list[ReasonCount]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def other_share(self) -> Rate:
        return Rate(sum(row.count for row in self.rows if row.is_other), self.total)


def reasons(assessments: QuerySet[Assessment]) -> Reasons:
    """The reasons recorded for `not_met` answers, most frequent first, and the share of "other". One query."""
    rows = (
        assessments.filter(answers__answerreason__isnull=False)
        .values(
            question_code=F("answers__answerreason__reason__question__code"),
            code=F("answers__answerreason__reason__code"),
            text=F("answers__answerreason__reason__text"),
            is_other=F("answers__answerreason__reason__is_other"),
        )
        .annotate(count=Count("answers__answerreason"))
        .order_by("-count", "code")
    )
    return Reasons([ReasonCount(**row) for row in rows])


# --- Grouped figures, for comparisons ------------------------------------------------------------------------

DIMENSIONS = {
    "activity": "Activity",
    "area": "Area",
    "unit": "Unit",
    "team": "Team",
    "assessor": "Assessor",
    "period": "Period",
}
_DIMENSION_FIELDS = {
    "activity": "activity",
    "area": "team__unit__area_id",
    "unit": "team__unit_id",
    "team": "team_id",
    "assessor": "assessor_id",
}


def in_groups(assessments: QuerySet[Assessment], dimension: str, keys: list) -> QuerySet[Assessment]:
    """The IQAs in the given groups of a dimension (not period): the ones a comparison of those groups reads."""
    return assessments.filter(**{f"{_DIMENSION_FIELDS[dimension]}__in": keys})


def group_key(dimension: str, periods: list[Period] | None = None, prefix: str = ""):
    """The expression that puts an IQA in its group (prefix reaches the IQA from another model)."""
    if dimension == "period":
        return Case(
            *(When(**{f"{prefix}work_date__range": (p.start, p.end)}, then=Value(p.label)) for p in periods or []),
            output_field=CharField(),
        )
    return F(prefix + _DIMENSION_FIELDS[dimension])


def overview_by(
    assessments: QuerySet[Assessment], dimension: str, *, periods: list[Period] | None = None, today=None
) -> dict:
    """Overview per group: {key: Overview}. Two queries (IQA counts, answer counts), each grouped in SQL.

    For the period dimension the queryset must not be narrowed to one period; each IQA falls in the first
    period that holds its work date.
    """
    if dimension == "period":
        assessments = assessments.filter(_any_period(periods or []))
    iqa_rows = assessments.values(key=group_key(dimension, periods)).annotate(**iqa_aggregates(today)).order_by()
    answers = answer_counts_by(assessments, dimension, periods=periods)
    return {row["key"]: Overview.from_row(row, answers.get(row["key"])) for row in iqa_rows}


def answer_counts_by(
    assessments: QuerySet[Assessment], dimension: str, *, periods: list[Period] | None = None
) -> dict[object, AnswerCounts]:
    """Answer counts per group: {key: AnswerCounts}. One query."""
    if dimension == "period":
        assessments = assessments.filter(_any_period(periods or []))
    rows = assessments.values(key=group_key(dimension, periods)).annotate(**ANSWER_AGGREGATES).order_by()
    return {row["key"]: AnswerCounts.from_row(row) for row in rows}


def question_results_by(
    assessments: QuerySet[Assessment], dimension: str, *, periods: list[Period] | None = None
) -> dict[tuple[str, str], dict]:
    """{(activity, code): {key: AnswerCounts}}, one query."""
    if dimension == "period":
        assessments = assessments.filter(_any_period(periods or []))
    rows = (
        assessments.values(
            code=F("answers__question__code"),
            question_activity=F("answers__question__question_set__activity"),
            key=group_key(dimension, periods),
        )
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    table: dict[tuple[str, str], dict] = defaultdict(dict)
    for row in rows:
        if row["code"] is None:
            continue
        table[(row["question_activity"], row["code"])][row["key"]] = AnswerCounts.from_row(row)
    return table


def fully_met_by_quarter(
    assessments: QuerySet[Assessment], dimension: str, quarters: list[Period]
) -> dict[tuple, AnswerCounts]:
    """{(key, quarter label): AnswerCounts} for the groups of a dimension in each quarter. One query."""
    if dimension == "period" or not quarters:
        return {}
    rows = (
        assessments.filter(_any_period(quarters))
        .values(key=group_key(dimension), quarter=group_key("period", quarters))
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    return {(row["key"], row["quarter"]): AnswerCounts.from_row(row) for row in rows}


def fully_met_by_area_activity_quarter(
    assessments: QuerySet[Assessment], quarters: list[Period]
) -> dict[tuple[int, str, str], AnswerCounts]:
    """{(area id, activity, quarter label): AnswerCounts}, to set beside the areas' performance measures. One query."""
    if not quarters:
        return {}
    rows = (
        assessments.filter(_any_period(quarters))
        .values("activity", area=F("team__unit__area_id"), quarter=group_key("period", quarters))
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    return {(row["area"], row["activity"], row["quarter"]): AnswerCounts.from_row(row) for row in rows}


def _any_period(periods: list[Period]) -> Q:
    condition = Q(pk__in=[])
    for period in periods:
        condition |= Q(work_date__gte=period.start, work_date__lte=period.end)
    return condition


# --- Assessor consistency ------------------------------------------------------------------------------------


@dataclass
class AssessorConsistency:
    assessor_id: int
    assessor: str
    unit_id: int
    unit: str
    area_id: int
    area: str
    counts: AnswerCounts
    unit_rate: Rate
    area_rate: Rate
    iqas: int = 0
    dip_sampled: int = 0
    remarks: int = 0
    too_lenient: int = 0
    too_robust: int = 0

    @property
    def rate(self) -> Rate:
        return self.counts.fully_met_rate

    @property
    def dip_sample_rate(self) -> Rate:
        return Rate(self.dip_sampled, self.iqas)

    @property
    def too_lenient_rate(self) -> Rate:
        return Rate(self.too_lenient, self.remarks)

    @property
    def too_robust_rate(self) -> Rate:
        return Rate(self.too_robust, self.remarks)

    @property
    def flag(self) -> str:
        """'lenient' when the assessor's whole interval sits above their unit's rate, 'robust' when below."""
        rate, unit_rate = self.rate, self.unit_rate.value
        if rate.too_few or unit_rate is None:
            return ""
        if rate.low > unit_rate:
            return "lenient"
        if rate.high < unit_rate:
            return "robust"
        return ""


def assessor_consistency(assessments: QuerySet[Assessment]) -> list[AssessorConsistency]:
    """Each assessor's fully met rate beside their unit's and area's (units and areas of the teams they assessed),
    the share of their IQAs dip-sampled and how their answers fared when re-marked. Three queries."""
    answer_rows = (
        assessments.values(
            "assessor_id",
            assessor_name=F("assessor__full_name"),
            unit_id=F("team__unit_id"),
            unit=F("team__unit__name"),
            area_id=F("team__unit__area_id"),
            area=F("team__unit__area__name"),
        )
        .annotate(**ANSWER_AGGREGATES)
        .order_by()
    )
    iqa_rows = assessments.values("assessor_id", unit_id=F("team__unit_id")).annotate(
        iqas=Count("pk"), dip_sampled=Count("pk", filter=Q(dip_sample__recorded_at__isnull=False))
    )
    return consistency_rows(answer_rows, iqa_rows.order_by(), _remark_disagreement(assessments))


def consistency_rows(answer_rows, iqa_rows, remarks: dict) -> list[AssessorConsistency]:
    """The assessors' rows from their answer counts, IQA counts and re-mark disagreement, however counted."""
    answer_rows = list(answer_rows)
    by_unit, by_area, by_assessor = defaultdict(AnswerCounts), defaultdict(AnswerCounts), {}
    for row in answer_rows:
        counts = AnswerCounts.from_row(row)
        for total in (by_unit[row["unit_id"]], by_area[row["area_id"]]):
            for name in ANSWER_FIELDS:
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        by_assessor[(row["assessor_id"], row["unit_id"])] = (row, counts)

    iqas = {(row["assessor_id"], row["unit_id"]): row for row in iqa_rows}

    results = []
    for key, (row, counts) in by_assessor.items():
        iqa_row = iqas.get(key, {})
        remark_row = remarks.get(key, {})
        results.append(
            AssessorConsistency(
                assessor_id=row["assessor_id"],
                assessor=row["assessor_name"],
                unit_id=row["unit_id"],
                unit=row["unit"],
                area_id=row["area_id"],
                area=row["area"],
                counts=counts,
                unit_rate=by_unit[row["unit_id"]].fully_met_rate,
                area_rate=by_area[row["area_id"]].fully_met_rate,
                iqas=iqa_row.get("iqas", 0),
                dip_sampled=iqa_row.get("dip_sampled", 0),
                remarks=remark_row.get("remarks", 0),
                too_lenient=remark_row.get("too_lenient", 0),
                too_robust=remark_row.get("too_robust", 0),
            )
        )
    return sorted(results, key=lambda r: (r.area, r.unit, -(r.rate.value or 0), r.assessor))


def leniency_conditions(mine: str, theirs: str) -> tuple[Q, Q]:
    """(too lenient, too robust) as conditions on the assessor's answer (`mine`) and the re-marker's (`theirs`), as
    annex B classifies them (dipsampling.remarks.ANNEX_B): N/A either side is neither."""
    return (
        remarks.agreement_condition(remarks.Agreement.TOO_LENIENT, mine, theirs),
        remarks.agreement_condition(remarks.Agreement.TOO_ROBUST, mine, theirs),
    )


def _remark_disagreement(assessments: QuerySet[Assessment]) -> dict:
    """Per (assessor, unit): re-marked answers, and how many the assessor marked more leniently or more robustly
    than the re-marker (N/A either side is neither). One query over each recorded dip sample's re-marks, each with
    the assessor's answer it kept when recorded (never the live answer, which a challenge may change since)."""
    lenient, robust = leniency_conditions("dip_sample__remarks__assessor_value", "dip_sample__remarks__answer")
    rows = (
        assessments.filter(dip_sample__recorded_at__isnull=False, dip_sample__remarks__isnull=False)
        .values("assessor_id", unit_id=F("team__unit_id"))
        .annotate(
            remarks=Count("dip_sample__remarks"),
            too_lenient=Count("dip_sample__remarks", filter=lenient),
            too_robust=Count("dip_sample__remarks", filter=robust),
        )
        .order_by()
    )
    return {(row["assessor_id"], row["unit_id"]): row for row in rows}


# --- Drill-down ----------------------------------------------------------------------------------------------

DRILLDOWN_VALUES = {value for value, _ in AnswerValue.choices}


# The IQA-level conditions a figure drills down to, as the drill-down page names them.
DRILLDOWN_CONDITION_LABELS = {
    "late": "Recorded late",
    "feedback_given": "Feedback given",
    "dip_sampled": "Dip sampled",
    "court_based": "Court-based",
    "office_based": "Office-based",
    "live": "Case live when assessed",
    "finalised": "Case finalised when assessed",
    "action_required": "Action required",
}


def drilldown_description(*, question: str = "", answer: str = "", reason: str = "", what: str = "") -> list[str]:
    """What the drill-down's conditions mean, in the words of the page: a question by its code and wording, an
    answer's label, a reason's wording, the condition's label. One query for a question or a reason named; a code
    no question has is shown as it is (the drill-down then lists nothing)."""
    parts = []
    if question:
        # Codes are stable across question set versions: the latest version's wording.
        wording = Question.objects.filter(code=question).order_by("-pk").values_list("wording", flat=True).first()
        parts.append(f"Question {question}: {wording}" if wording else f"Question {question}")
    if answer in DRILLDOWN_VALUES:
        parts.append(f"Answered: {AnswerValue(answer).label}")
    if reason:
        text = Reason.objects.filter(code=reason).order_by("-pk").values_list("text", flat=True).first()
        parts.append(f"Reason {reason}: {text}" if text else f"Reason {reason}")
    if what in DRILLDOWN_CONDITION_LABELS:
        parts.append(DRILLDOWN_CONDITION_LABELS[what])
    return parts


def drilldown(assessments: QuerySet[Assessment], *, question: str = "", answer: str = "", reason: str = "", what=""):
    """The IQAs behind a figure: those with an answer to a question (by code), of a value or with a reason, or
    with one of the IQA-level conditions ("late", "feedback_given", "dip_sampled", "court_based", "office_based",
    "live", "finalised", "action_required")."""
    if question or answer or reason:
        answers = Answer.objects.all()
        if question:
            answers = answers.filter(question__code=question)
        if answer in DRILLDOWN_VALUES:
            answers = answers.filter(value=answer)
        if reason:
            answers = answers.filter(answerreason__reason__code=reason)
        assessments = assessments.filter(pk__in=answers.values("assessment_id"))
    conditions = {
        "late": Q(recorded_on_time=False),
        "feedback_given": Q(feedback__isnull=False),
        "dip_sampled": Q(dip_sample__recorded_at__isnull=False),
        "court_based": Q(activity=Activity.CASE_PRESENTATION),
        "office_based": Q(activity__in=list(OFFICE_BASED)),
        "live": Q(case_status=CaseStatus.LIVE),
        "finalised": Q(case_status=CaseStatus.FINALISED),
        "action_required": Q(action_required=True),
    }
    if what in conditions:
        assessments = assessments.filter(conditions[what])
    return assessments
