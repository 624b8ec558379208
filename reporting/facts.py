"""The dashboard, compare and consistency figures read from the pre-aggregated facts when the filters allow.

The facts (reporting.models: AnswerFact, ReasonFact, IqaFact) count the answers, reasons and IQAs by month of the
work, team, assessor, activity and court as assessed, and are kept exact by triggers on every write
(reporting/fact_sql.py). They serve every filter but the sensitive category, for periods made of whole months (a
business year, a quarter, a month, or a custom range from a 1st to a month's end); any other filter reads the raw
rows, with the same results.

Each function here takes the same arguments as its namesake in reporting.figures, except that where that takes a
queryset of IQAs this takes a `source`: either a `FactSet` (the facts of the viewer's purview and filters) or that
queryset, in which case it simply calls the figures function. `Report.source` picks one; the views call these.
The query count of each function is that of its namesake, or fewer.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.db.models import Case, CharField, F, Max, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from assessments.models import OFFICE_BASED, Activity, AnswerValue, Assessment, CaseStatus
from assessments.selectors import in_period as iqas_in_period
from dipsampling import rates, remarks
from dipsampling.models import DipSample
from organisation import scoping
from organisation.models import Role
from qa_platform.periods import Period
from reporting import figures
from reporting.figures import (  # noqa: F401 - re-exported: the views read every figure from here
    AnswerCounts,
    Overview,
    QuestionResult,
    QuestionTrend,
    ReasonCount,
    Reasons,
    by_activity,
    overall_trend,
    total,
)
from reporting.models import (
    AnswerAreaFact,
    AnswerFact,
    IqaAreaFact,
    IqaFact,
    ReasonAreaFact,
    ReasonFact,
    RemarkAreaFact,
    RemarkFact,
)

# Off in a test that compares the two paths, or to rule the facts out.
ENABLED = True


@dataclass(frozen=True)
class FactSet:
    """The facts of a purview and filters (any period, or narrowed), and the raw IQAs they count. When the purview
    and filters are whole areas (or the nation), these are the area facts, and `fine` the same by team and assessor,
    for the figures that group by them."""

    answers: QuerySet
    reasons: QuerySet
    iqas: QuerySet
    remarks: QuerySet
    assessments: QuerySet[Assessment]
    fine: "FactSet | None" = None

    def filter(self, condition: Q, raw_condition: Q) -> "FactSet":
        return FactSet(
            self.answers.filter(condition),
            self.reasons.filter(condition),
            self.iqas.filter(condition),
            self.remarks.filter(condition),
            self.assessments.filter(raw_condition),
            self.fine.filter(condition, raw_condition) if self.fine else None,
        )

    @property
    def by_team(self) -> "FactSet":
        """The facts by team and assessor, for the figures that group or filter by them."""
        return self.fine or self

    @property
    def area_field(self) -> str:
        return "area_id" if self.fine else "team__unit__area_id"


def whole_months(period: Period) -> bool:
    """The facts count by month: they serve periods that start on a 1st and end on a month's last day."""
    return period.start.day == 1 and period.end_exclusive.day == 1


def for_report(report, *periods: Period) -> FactSet | None:
    """The facts under the report's purview and filters, or None when they cannot give its figures (a sensitive
    category chosen, a period not made of whole months)."""
    report_filter = report.filter
    if not ENABLED or not all(whole_months(period) for period in (report.period, *periods)):
        return None
    if report_filter.is_bound:
        report_filter.form.is_valid()
        if report_filter.form.cleaned_data.get("sensitive_category"):
            return None

    def scoped(model):
        queryset = scoping.records_in_scope(
            report.request.user, model.objects.all(), Role.PERFORMANCE_VIEWER, team_field="team"
        )
        # The report's own filters (place, assessor, activity, court), on the facts' columns of the same names.
        return report_filter.filter_queryset(queryset) if report_filter.is_bound else queryset

    fine = FactSet(scoped(AnswerFact), scoped(ReasonFact), scoped(IqaFact), scoped(RemarkFact), report.assessments)
    return _by_area(report, fine) or fine


# The filters the area facts serve, on their columns (any other place, or an assessor, needs the facts by team).
_AREA_FILTERS = {"area": "area_id", "activity": "activity", "court": "case_court"}


def _by_area(report, fine: FactSet) -> FactSet | None:
    """The area facts of the report's purview and filters, when both are whole areas or the nation, else None."""
    whole_areas, areas = scoping.areas_of_purview(report.request.user, Role.PERFORMANCE_VIEWER)
    chosen = report.filter.form.cleaned_data if report.filter.is_bound else {}
    if not whole_areas or any(chosen.get(name) for name in ("unit", "team", "assessor")):
        return None
    condition = Q(area_id__in=areas) if areas is not None else Q()
    for name, column in _AREA_FILTERS.items():
        if chosen.get(name):
            condition &= Q(**{column: chosen[name]})

    def scoped(model):
        return model.objects.filter(condition)

    return FactSet(
        scoped(AnswerAreaFact),
        scoped(ReasonAreaFact),
        scoped(IqaAreaFact),
        scoped(RemarkAreaFact),
        fine.assessments,
        fine,
    )


def _months(period: Period) -> Q:
    return Q(month__gte=period.start, month__lte=period.end)


def in_period(source, period: Period):
    if not isinstance(source, FactSet):
        return iqas_in_period(source, period)
    return source.filter(_months(period), Q(work_date__gte=period.start, work_date__lte=period.end))


def in_groups(source, dimension: str, keys: list):
    if not isinstance(source, FactSet):
        return figures.in_groups(source, dimension, keys)
    field = figures._DIMENSION_FIELDS[dimension]
    return source.by_team.filter(Q(**{f"{field}__in": keys}), Q(**{f"{field}__in": keys}))


# --- Sums ----------------------------------------------------------------------------------------------------

ANSWER_SUMS = {
    "answers_total": Sum("n"),
    "fully_met": Sum("n", filter=Q(value=AnswerValue.FULLY_MET)),
    "not_met": Sum("n", filter=Q(value=AnswerValue.NOT_MET)),
    "not_met_other": Sum("n", filter=Q(value=AnswerValue.NOT_MET_OTHER)),
    "not_applicable": Sum("n", filter=Q(value=AnswerValue.NOT_APPLICABLE)),
}


def iqa_conditions(today: date | None = None) -> dict[str, Q]:
    """The IQA-level counts (figures.IQA_FIGURES) as conditions on IqaFact (an empty Q: every IQA)."""
    cutoff = figures.feedback_due_cutoff(today or timezone.localdate())
    first_months, second_months = (4, 7, 10, 1), (5, 8, 11, 2)  # month 1 and 2 of business quarters
    return {
        "iqas": Q(),
        "office_based": Q(activity__in=list(OFFICE_BASED)),
        "court_based": Q(activity=Activity.CASE_PRESENTATION),
        "on_time": Q(recorded_on_time=True),
        "feedback_given": Q(feedback_given=True),
        # Feedback is judged once given or once its five working days are over (recorded by the cutoff day).
        "feedback_due": Q(feedback_given=True) | Q(pending_recorded_on__lte=cutoff),
        "feedback_in_time": Q(feedback_in_time=True),
        "live": Q(case_status=CaseStatus.LIVE),
        "finalised": Q(case_status=CaseStatus.FINALISED),
        "dip_sampled": Q(dip_sampled=True),
        "action_required": Q(action_required=True),
        "month_third_1": Q(work_third=1),
        "month_third_2": Q(work_third=2),
        "month_third_3": Q(work_third=3),
        "quarter_month_1": Q(month__month__in=first_months),
        "quarter_month_2": Q(month__month__in=second_months),
    }


def iqa_sums(today: date | None = None) -> dict:
    """The IQA-level counts (figures.IQA_FIGURES) as sums over IqaFact."""
    # Named apart from the facts' own columns (feedback_given, dip_sampled…), which Django will not let an alias hide.
    return {
        f"{_SUM}{name}": Sum("n", filter=condition) if condition else Sum("n")
        for name, condition in iqa_conditions(today).items()
    }


_SUM = "sum_"


def _unprefixed(row: dict) -> dict:
    return {name.removeprefix(_SUM): value for name, value in row.items()}


def _period_key(periods: list[Period]):
    """The label of the first period holding the fact's month (as figures.group_key does by the date of the work)."""
    return Case(
        *(When(month__range=(p.start, p.end), then=Value(p.label)) for p in periods),
        output_field=CharField(),
    )


def _any_period(periods: list[Period]) -> Q:
    condition = Q(pk__in=[])
    for period in periods:
        condition |= _months(period)
    return condition


def _group_key(dimension: str, periods: list[Period] | None = None):
    if dimension == "period":
        return _period_key(periods or [])
    return F(figures._DIMENSION_FIELDS[dimension])


_QUESTION = {"code": F("question__code"), "question_activity": F("question__question_set__activity")}


def _named(grouped: QuerySet, select: str, joins: str, tail: str = "") -> list[dict]:
    """The grouped facts (`g`, a few thousand rows) with the names they group by joined AFTER grouping: joined
    before, as an aggregate over related names is, the database joins every fact row (~140,000 in a national year)
    to the names. One query; `select`, `joins` and `tail` are this module's SQL, never input."""
    sql, params = grouped.query.sql_with_params()
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM ({sql}) AS g {joins} {tail}", params)  # noqa: S608 - our own SQL
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


_QUESTION_JOINS = (
    "JOIN assessments_question q ON q.id = g.question_id JOIN assessments_questionset qs ON qs.id = q.question_set_id"
)
_QUESTION_NAMES = "q.code, qs.activity, q.wording, q.number"


# --- Figures -------------------------------------------------------------------------------------------------


def overview(source, *, today: date | None = None, answers: AnswerCounts | None = None) -> Overview:
    if not isinstance(source, FactSet):
        return figures.overview(source, today=today, answers=answers)
    row = _unprefixed(source.iqas.aggregate(**iqa_sums(today)))
    if answers is None:
        answers = AnswerCounts.from_row(source.answers.aggregate(**ANSWER_SUMS))
    return Overview.from_row(row, answers)


def iqa_figures(
    source, period: Period, *, today: date | None = None, answers: AnswerCounts | None = None
) -> tuple[Overview, figures.Timing, list[rates.ActivityRate]]:
    """The dashboard's IQA-level figures: the overview of the IQAs of work in the period, annex C over those
    recorded in it, and the dip sample rates per activity. From the facts, ONE scan of the IQA facts (each sum
    filtered to its own IQAs); from the raw rows, the three figures' own queries. `source` is not narrowed to the
    period (annex C counts by the recorded date)."""
    if not isinstance(source, FactSet):
        of_work = iqas_in_period(source, period)
        overview_ = figures.overview(of_work, today=today, answers=answers)
        return overview_, figures.timing(source, period), rates.dip_sample_rates(of_work)
    in_work = _months(period)
    in_recorded = Q(recorded_month__gte=period.start, recorded_month__lte=period.end)
    sums = {f"{_SUM}{name}": Sum("n", filter=in_work & condition) for name, condition in iqa_conditions(today).items()}
    timing_conditions = {
        "iqas": Q(),
        "third_1": Q(recorded_third=1),
        "third_2": Q(recorded_third=2),
        "month_1": Q(recorded_month__month__in=figures.FIRST_MONTHS),
        "month_2": Q(recorded_month__month__in=figures.SECOND_MONTHS),
    }
    sums |= {
        f"timing_{name}": Sum("n", filter=in_recorded & condition) for name, condition in timing_conditions.items()
    }
    for activity in Activity:
        sums[f"activity_{activity.value}"] = Sum("n", filter=in_work & Q(activity=activity))
        sums[f"dip_{activity.value}"] = Sum("n", filter=in_work & Q(activity=activity, dip_sampled=True))
    row = {name: value or 0 for name, value in source.iqas.filter(in_work | in_recorded).aggregate(**sums).items()}
    if answers is None:
        answers = AnswerCounts.from_row(in_period(source, period).answers.aggregate(**ANSWER_SUMS))
    overview_ = Overview.from_row(_unprefixed({name: row[name] for name in row if name.startswith(_SUM)}), answers)
    recorded = row["timing_iqas"]
    timing_ = figures.Timing(
        iqas=recorded,
        month_thirds=(
            row["timing_third_1"],
            row["timing_third_2"],
            recorded - row["timing_third_1"] - row["timing_third_2"],
        ),
        quarter_months=(
            row["timing_month_1"],
            row["timing_month_2"],
            recorded - row["timing_month_1"] - row["timing_month_2"],
        ),
    )
    dip_rates = [
        rates.ActivityRate(
            activity=activity.value,
            iqas=row[f"activity_{activity.value}"],
            dip_sampled=row[f"dip_{activity.value}"],
        )
        for activity in Activity
    ]
    return overview_, timing_, dip_rates


def question_results(source) -> list[QuestionResult]:
    if not isinstance(source, FactSet):
        return figures.question_results(source)
    rows = source.answers.values(**_QUESTION).annotate(wording=Max("question__wording"), **ANSWER_SUMS).order_by()
    results = [
        QuestionResult(row["code"], row["question_activity"], row["wording"], AnswerCounts.from_row(row))
        for row in rows
    ]
    return sorted(results, key=lambda result: result.sort_key)


def question_trend(source, quarters: list[Period]) -> list[QuestionTrend]:
    if not isinstance(source, FactSet):
        return figures.question_trend(source, quarters)
    if not quarters:
        return []
    rows = (
        source.answers.filter(month__gte=quarters[0].start, month__lte=quarters[-1].end)
        .values(**_QUESTION, quarter=_period_key(quarters))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    table: dict[tuple[str, str], dict[str, AnswerCounts]] = defaultdict(dict)
    for row in rows:
        table[(row["code"], row["question_activity"])][row["quarter"]] = AnswerCounts.from_row(row)
    trends = []
    for (code, activity), by_quarter in table.items():
        trends.append(
            QuestionTrend(code, activity, [by_quarter.get(q.label, AnswerCounts()).fully_met_rate for q in quarters])
        )
    return sorted(trends, key=lambda trend: QuestionResult(trend.code, trend.activity, "", AnswerCounts()).sort_key)


def questions_and_trend(source, period: Period, quarters: list[Period]) -> tuple[list[QuestionResult], list]:
    """The per-question results over the period and the per-question trend over the quarters, from ONE scan of the
    answer facts grouped by question version, value and month (a few thousand rows, summed here), where the raw
    path takes two scans of the answers."""
    if not isinstance(source, FactSet):
        return figures.question_results(iqas_in_period(source, period)), figures.question_trend(source, quarters)
    start = min(period.start, *(q.start for q in quarters))
    end = max(period.end, *(q.end for q in quarters))
    # Grouped by the question's id (a small key the database hashes); its code, activity and wording read alongside.
    grouped = (
        source.answers.filter(month__gte=start, month__lte=end)
        .values_list("question_id", "value", "month")
        .annotate(n=Sum("n"))
        .order_by()
    )
    rows = _named(grouped, f"g.value, g.month, g.n, {_QUESTION_NAMES}", _QUESTION_JOINS)
    in_period: dict[tuple[str, str], AnswerCounts] = defaultdict(AnswerCounts)
    wordings: dict[tuple[str, str], str] = {}
    by_quarter: dict[tuple[str, str], dict[str, AnswerCounts]] = defaultdict(lambda: defaultdict(AnswerCounts))
    for row in rows:
        value, month, n, code, activity, wording = (
            row[name] for name in ("value", "month", "n", "code", "activity", "wording")
        )
        key = (code, activity)
        if period.start <= month <= period.end:
            _count(in_period[key], value, n)
            wordings[key] = max(wordings.get(key, ""), wording)
        quarter = next((q.label for q in quarters if q.start <= month <= q.end), None)
        if quarter:
            _count(by_quarter[key][quarter], value, n)
    results = [
        QuestionResult(code, activity, wordings[code, activity], counts)
        for (code, activity), counts in in_period.items()
    ]
    trends = [
        QuestionTrend(code, activity, [counts.get(q.label, AnswerCounts()).fully_met_rate for q in quarters])
        for (code, activity), counts in by_quarter.items()
    ]
    return (
        sorted(results, key=lambda result: result.sort_key),
        sorted(trends, key=lambda trend: QuestionResult(trend.code, trend.activity, "", AnswerCounts()).sort_key),
    )


_VALUE_FIELDS = {
    AnswerValue.FULLY_MET: "fully_met",
    AnswerValue.NOT_MET: "not_met",
    AnswerValue.NOT_MET_OTHER: "not_met_other",
    AnswerValue.NOT_APPLICABLE: "not_applicable",
}


def _count(counts: AnswerCounts, value: str, n: int) -> None:
    counts.answers += n
    name = _VALUE_FIELDS[value]
    setattr(counts, name, getattr(counts, name) + n)


def timing(source, period: Period) -> figures.Timing:
    """Annex C from the IQA facts: those RECORDED in the period (their recorded month, London), by the third of the
    month and the month of the quarter they were recorded in, as figures.timing counts them. One query."""
    if not isinstance(source, FactSet):
        return figures.timing(source, period)
    row = source.iqas.filter(recorded_month__gte=period.start, recorded_month__lte=period.end).aggregate(
        iqas=Sum("n"),
        third_1=Sum("n", filter=Q(recorded_third=1)),
        third_2=Sum("n", filter=Q(recorded_third=2)),
        month_1=Sum("n", filter=Q(recorded_month__month__in=figures.FIRST_MONTHS)),
        month_2=Sum("n", filter=Q(recorded_month__month__in=figures.SECOND_MONTHS)),
    )
    row = {name: value or 0 for name, value in row.items()}
    iqas = row["iqas"]
    return figures.Timing(
        iqas=iqas,
        month_thirds=(row["third_1"], row["third_2"], iqas - row["third_1"] - row["third_2"]),
        quarter_months=(row["month_1"], row["month_2"], iqas - row["month_1"] - row["month_2"]),
    )


def reasons(source) -> Reasons:
    if not isinstance(source, FactSet):
        return figures.reasons(source)
    grouped = source.reasons.values("reason_id").annotate(count=Sum("n")).order_by()
    rows = _named(
        grouped,
        "q.code AS question_code, r.code, r.text, r.is_other, sum(g.count)::bigint AS count",
        "JOIN assessments_reason r ON r.id = g.reason_id JOIN assessments_question q ON q.id = r.question_id",
        "GROUP BY q.code, r.code, r.text, r.is_other ORDER BY count DESC, r.code",
    )
    return Reasons([ReasonCount(**row) for row in rows])


def annex_b(source) -> remarks.AnnexB:
    """Annex B over the re-marks of the recorded dip samples of these IQAs: from the re-mark facts, one query."""
    if not isinstance(source, FactSet):
        return remarks.annex_b(DipSample.objects.filter(assessment__in=source.values("pk"), recorded_at__isnull=False))
    grouped = source.remarks.values_list("question_id", "assessor_value", "answer").annotate(times=Sum("n")).order_by()
    rows = _named(grouped, f"g.question_id, g.assessor_value, g.answer, {_QUESTION_NAMES}, g.times", _QUESTION_JOINS)
    return remarks.annex_b_of(tuple(row.values()) for row in rows)


def _remark_disagreement(source: FactSet) -> dict:
    """figures._remark_disagreement from the re-mark facts: per (assessor, unit), re-marks and how many found the
    assessor too lenient or too robust (N/A either side is neither)."""
    lenient, robust = figures.leniency_conditions("assessor_value", "answer")
    rows = (
        source.by_team.remarks.values("assessor_id", unit_id=F("team__unit_id"))
        .annotate(remarks=Sum("n"), too_lenient=Sum("n", filter=lenient), too_robust=Sum("n", filter=robust))
        .order_by()
    )
    return {
        (row["assessor_id"], row["unit_id"]): {
            **row,
            "too_lenient": row["too_lenient"] or 0,
            "too_robust": row["too_robust"] or 0,
        }
        for row in rows
    }


def dip_sample_rates(source) -> list[rates.ActivityRate]:
    if not isinstance(source, FactSet):
        return rates.dip_sample_rates(source)
    counts = {
        row["activity"]: row
        for row in source.iqas.order_by()
        .values("activity")
        .annotate(iqas=Sum("n"), sum_dip_sampled=Sum("n", filter=Q(dip_sampled=True)))
    }
    return [
        rates.ActivityRate(
            activity=activity.value,
            iqas=counts.get(activity.value, {}).get("iqas") or 0,
            dip_sampled=counts.get(activity.value, {}).get("sum_dip_sampled") or 0,
        )
        for activity in Activity
    ]


# --- The drill-down's count ---------------------------------------------------------------------------------

# The IQA-level conditions the drill-down offers (figures.drilldown) as conditions on the IQA facts.
_DRILL_CONDITIONS = {
    "late": Q(recorded_on_time=False),
    "feedback_given": Q(feedback_given=True),
    "dip_sampled": Q(dip_sampled=True),
    "court_based": Q(activity=Activity.CASE_PRESENTATION),
    "office_based": Q(activity__in=list(OFFICE_BASED)),
    "live": Q(case_status=CaseStatus.LIVE),
    "finalised": Q(case_status=CaseStatus.FINALISED),
    "action_required": Q(action_required=True),
}


def drilldown_count(source, *, question: str = "", answer: str = "", reason: str = "", what: str = "") -> int | None:
    """How many IQAs figures.drilldown lists, from the facts (one query), or None when they cannot tell: the raw
    count is a semi-join of the period's IQAs with ~3 million answers. An IQA answers each question code once, so
    the IQAs with an answer to a question (of a value) are that question's answers (of that value); the IQA-level
    conditions are the IQA facts'. A value without a question, a reason, or an answer and a condition together
    need the raw rows."""
    if not isinstance(source, FactSet) or reason or (answer and not question) or (question and what):
        return None
    if question:
        answers = source.answers.filter(question__code=question)
        if answer in figures.DRILLDOWN_VALUES:
            answers = answers.filter(value=answer)
        return answers.aggregate(n=Sum("n"))["n"] or 0
    condition = _DRILL_CONDITIONS.get(what, Q())
    return source.iqas.filter(condition).aggregate(n=Sum("n"))["n"] or 0


# --- Grouped figures, for comparisons ------------------------------------------------------------------------


def overview_by(source, dimension: str, *, periods: list[Period] | None = None, today=None) -> dict:
    if not isinstance(source, FactSet):
        return figures.overview_by(source, dimension, periods=periods, today=today)
    source = source.by_team
    iqas = source.iqas.filter(_any_period(periods or [])) if dimension == "period" else source.iqas
    rows = iqas.values(key=_group_key(dimension, periods)).annotate(**iqa_sums(today)).order_by()
    answers = answer_counts_by(source, dimension, periods=periods)
    return {row["key"]: Overview.from_row(_unprefixed(row), answers.get(row["key"])) for row in rows}


def _answers_for(source: FactSet, dimension: str, periods: list[Period] | None) -> QuerySet[AnswerFact]:
    return source.answers.filter(_any_period(periods or [])) if dimension == "period" else source.answers


def answer_counts_by(source, dimension: str, *, periods: list[Period] | None = None) -> dict:
    if not isinstance(source, FactSet):
        return figures.answer_counts_by(source, dimension, periods=periods)
    source = source.by_team
    rows = (
        _answers_for(source, dimension, periods)
        .values(key=_group_key(dimension, periods))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    return {row["key"]: AnswerCounts.from_row(row) for row in rows}


def question_results_by(source, dimension: str, *, periods: list[Period] | None = None) -> dict:
    if not isinstance(source, FactSet):
        return figures.question_results_by(source, dimension, periods=periods)
    source = source.by_team
    rows = (
        _answers_for(source, dimension, periods)
        .values(**_QUESTION, key=_group_key(dimension, periods))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    table: dict[tuple[str, str], dict] = defaultdict(dict)
    for row in rows:
        table[(row["question_activity"], row["code"])][row["key"]] = AnswerCounts.from_row(row)
    return table


def fully_met_by_quarter(source, dimension: str, quarters: list[Period]) -> dict:
    if not isinstance(source, FactSet):
        return figures.fully_met_by_quarter(source, dimension, quarters)
    source = source.by_team
    if dimension == "period" or not quarters:
        return {}
    rows = (
        source.answers.filter(_any_period(quarters))
        .values(key=_group_key(dimension), quarter=_period_key(quarters))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    return {(row["key"], row["quarter"]): AnswerCounts.from_row(row) for row in rows}


def fully_met_by_area_activity_quarter(source, quarters: list[Period]) -> dict:
    if not isinstance(source, FactSet):
        return figures.fully_met_by_area_activity_quarter(source, quarters)
    if not quarters:
        return {}
    # By month (a plain column the database hashes), summed into the quarters here: a few hundred rows.
    rows = (
        source.answers.filter(_any_period(quarters))
        .values("activity", "month", area_key=F(source.area_field))
        .annotate(**ANSWER_SUMS)
        .order_by()
    )
    result: dict[tuple, AnswerCounts] = {}
    for row in rows:
        quarter = next(q.label for q in quarters if q.start <= row["month"] <= q.end)
        key = (row["area_key"], row["activity"], quarter)
        result[key] = total([result.get(key, AnswerCounts()), AnswerCounts.from_row(row)])
    return result


# --- Assessor consistency ------------------------------------------------------------------------------------


def assessor_consistency(source) -> list[figures.AssessorConsistency]:
    """Answers, IQAs and re-marks from the facts."""
    if not isinstance(source, FactSet):
        return figures.assessor_consistency(source)
    source = source.by_team
    # Grouped by ids (which the database hashes); the names, one per id, read alongside.
    grouped = source.answers.values("assessor_id", unit_id=F("team__unit_id")).annotate(**ANSWER_SUMS).order_by()
    answer_rows = _named(
        grouped,
        "g.*, p.full_name AS assessor_name, u.name AS unit, u.area_id, a.name AS area",
        "JOIN organisation_person p ON p.id = g.assessor_id JOIN organisation_unit u ON u.id = g.unit_id "
        "JOIN organisation_area a ON a.id = u.area_id",
    )
    iqa_rows = (
        source.iqas.values("assessor_id", unit_id=F("team__unit_id"))
        .annotate(iqas=Sum("n"), sum_dip_sampled=Sum("n", filter=Q(dip_sampled=True)))
        .order_by()
    )
    iqa_rows = [{**row, "dip_sampled": row["sum_dip_sampled"] or 0} for row in iqa_rows]
    return figures.consistency_rows(answer_rows, iqa_rows, _remark_disagreement(source))
