"""Reporting pages: dashboard, compare, assessor consistency, drill-down, exports and the committee pack.

Every page reads through reporting.selectors (the viewer's performance purview) and the figures in
reporting.figures; the views only assemble tables. Query-string parameters, shared by every page and export:

- filters: ``period`` (a label: ``2025-26``, ``2025-26 Q2``, ``2025-05`` or ``2025-04-10..2025-05-31``; default the
  current business year), ``area``, ``unit``, ``team``, ``assessor`` (ids), ``activity`` (``advice``,
  ``charging_review``, ``case_progression``, ``case_presentation``), ``sensitive_category``, ``court``
  (``magistrates`` or ``crown``);
- ``reporting:compare`` also: ``dimension`` (``activity``, ``area``, ``unit``, ``team``, ``assessor`` or ``period``),
  ``values`` (repeated: ids, or activity codes) or, for ``dimension=period``, ``periods`` (labels separated by
  commas, e.g. ``2024-25 Q3,2025-26 Q3``);
- ``reporting:drilldown`` also: ``question`` (a stable code such as ``Q9``), ``answer`` (``fully_met``,
  ``not_met``, ``not_met_other``, ``not_applicable``), ``reason`` (a reason code such as ``Q9.3``), ``what``
  (``late``, ``feedback_given``, ``dip_sampled``, ``office_based``, ``court_based``, ``live``, ``finalised``,
  ``action_required``) and ``page``;
- ``reporting:export`` takes ``page`` (dashboard, compare, consistency, drilldown), ``table`` (a table's name, or
  ``all`` for every table of the page in one workbook) and ``fmt`` (``csv`` or ``xlsx``) in its path, and the page's
  parameters in its query string.
"""

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from assessments import selectors as assessment_selectors
from assessments.models import Assessment
from assessments.selectors import in_period
from organisation.models import Role, Team
from qa_platform import periods
from reporting import charts, exports, facts, figures, selectors, tables
from reporting.filters import ReportFilter
from reporting.forms import CompareForm
from reporting.models import PerformanceMeasure
from reporting.targets import proxy_target, target_scope

PAGE_SIZE = 50
TREND_QUARTERS = 4
DRILL_PARAMETERS = ("question", "answer", "reason", "what")
FILTER_PARAMETERS = ("period", "area", "unit", "team", "assessor", "activity", "sensitive_category", "court")


@dataclass
class Report:
    """What every reporting page starts from: the viewer's filters, the period and the IQAs in scope."""

    request: object
    filter: ReportFilter
    period: periods.Period
    assessments: QuerySet[Assessment]  # scoped and filtered, any period

    @property
    def in_period(self) -> QuerySet[Assessment]:
        return in_period(self.assessments, self.period)

    def timing(self) -> figures.Timing:
        """Annex C: the IQAs recorded in the period, by when they were recorded (not the date of the work)."""
        return facts.timing(self.source, self.period)

    @cached_property
    def quarters(self) -> list[periods.Period]:
        """The recent quarters the trend covers, up to the end of the period."""
        return periods.recent_quarters(TREND_QUARTERS, self.period.end)

    @cached_property
    def questions_and_trend(self) -> tuple[list, list, dict]:
        """Each question's results in the period, its fully met rate per recent quarter, and the overall rate per
        quarter summed from them: the dashboard's question and trend tables and their charts, computed once."""
        questions, trends = facts.questions_and_trend(self.source, self.period, self.quarters)
        return questions, trends, figures.overall_trend(trends, self.quarters)

    def trend(self, quarters: list[periods.Period]) -> tuple[list, dict]:
        """Each question's fully met rate per quarter, and the overall rate per quarter."""
        if quarters == self.quarters:
            return self.questions_and_trend[1:]
        trends = facts.question_trend(self.source, quarters)
        return trends, figures.overall_trend(trends, quarters)

    @cached_property
    def source(self):
        """What the figures are read from (reporting.facts): the facts when they serve the filters, else the IQAs."""
        return facts.for_report(self) or self.assessments

    @cached_property
    def _filter_params(self) -> dict:
        # Only the filters that held: a refused one (outside the purview, say) is not carried into links.
        refused = self.filter.form.errors if self.filter.is_bound else {}
        params = {
            name: self.request.GET[name]
            for name in FILTER_PARAMETERS
            if self.request.GET.get(name) and name not in refused
        }
        params["period"] = self.period.label
        return params

    def filter_query(self, **extra) -> str:
        extra = {name: value for name, value in extra.items() if value not in (None, "")}
        return urlencode({**self._filter_params, **extra})

    @cached_property
    def _drilldown_url(self) -> str:
        return reverse("reporting:drilldown")

    def drill(self, **extra) -> str:
        """A link to the IQAs behind a figure (a dashboard links a few hundred)."""
        return f"{self._drilldown_url}?{self.filter_query(**extra)}"

    def teams(self) -> QuerySet[Team]:
        """The teams the proxy target is for: the purview, narrowed by the area, unit or team filter."""
        return Team.objects.filter(pk__in=self.filter.chosen_team_ids())


def build_report(request) -> Report:
    selectors.require_reporting(request.user)
    report_filter = ReportFilter.for_purview(request.GET or None, request.user, Role.PERFORMANCE_VIEWER)
    return Report(request, report_filter, report_filter.chosen_period(), report_filter.qs)


def quick_periods(today=None) -> list[tuple[str, periods.Period]]:
    this = periods.this_quarter(today)
    year = periods.business_year(periods.business_year_of(this.start))
    return [
        ("this quarter", this),
        ("last quarter", periods.last_quarter(today)),
        ("same quarter last year", periods.same_period_last_year(this)),
        ("this business year", year),
        ("last business year", periods.previous(year)),
    ]


def _page_context(report: Report, page: str, tables_: list, **extra) -> dict:
    return {
        "page": page,
        "filter": report.filter,
        "period": report.period,
        "quick_periods": quick_periods(),
        "tables": tables_,
        "query": report.filter_query(),
        "full_query": report.request.GET.urlencode(),
        **extra,
    }


# --- Pages ---------------------------------------------------------------------------------------------------


def dashboard_tables(report: Report) -> list[tables.Table]:
    in_period = facts.in_period(report.source, report.period)
    quarters = report.quarters
    # One scan of the answers gives every question's counts and trend; the totals and the activities' are their sums.
    questions, trends, overall_trend = report.questions_and_trend
    answers = figures.total(result.counts for result in questions)
    # The IQA counts, annex C and the dip sample rates: one scan of the IQA facts.
    overview, timing, dip_sample_rates = facts.iqa_figures(report.source, report.period, answers=answers)
    target = proxy_target(report.teams(), report.period)
    return [
        tables.summary_table(overview, target, report.drill, target_scope(report._filter_params)),
        tables.activity_table(dip_sample_rates, figures.by_activity(questions), report.drill),
        tables.question_table(questions, report.drill),
        tables.question_trend_table(trends, quarters),
        tables.trend_table(overall_trend, quarters),
        tables.reasons_table(facts.reasons(in_period), report.drill),
        tables.timing_table(timing),
        tables.leniency_table(facts.annex_b(in_period)),
        measures_table(report),
    ]


def measures_table(report: Report) -> tables.Table:
    """The imported performance measures of the areas in view, for the quarters of the period. Two queries."""
    quarters = periods.quarters_in(report.period)
    in_quarters = Q(pk__in=[])
    for quarter in quarters:
        in_quarters |= Q(
            business_year=periods.business_year_of(quarter.start), quarter=periods.quarter_number(quarter.start)
        )
    chosen = set(report.filter.chosen_team_ids())
    areas = {row.area_id for row in report.filter.team_rows if row.id in chosen}
    measures = PerformanceMeasure.objects.filter(in_quarters, area__in=areas).select_related("area")
    rates = facts.fully_met_by_area_activity_quarter(report.source, quarters)
    return tables.measures_table(measures, rates)


CHARTS = {
    "questions": "Fully met rate by question",
    "trend": "Fully met rate over recent quarters",
    "timing": "When in the month and quarter IQAs were done",
}
RATE_CHART_NOTE = "Orange lines: 95% intervals; dashed bars: too few to judge."
CHART_NOTES = {"questions": RATE_CHART_NOTE, "trend": RATE_CHART_NOTE, "timing": "Bars: IQAs recorded."}
CHART_CLASS = "img-fluid border"


def chart_svg(table: tables.Table, css_class: str = "") -> str:
    """The chart of a dashboard table, drawn from the table's own cells: the bars are the figures it shows."""
    title = CHARTS[table.name]
    if table.name == "questions":  # activity, code, wording, answers not N/A, fully met rate, …
        bars = [charts.Bar(f"{row[1].value} {row[0].value}", row[4].value) for row in table.rows]
        return charts.rate_bars(title, bars, css_class)
    if table.name == "trend":  # quarter, fully met rate
        return charts.rate_bars(title, [charts.Bar(row[0].value, row[1].value) for row in table.rows], css_class)
    # timing: the thirds of the month (label, IQAs, share) beside the months of the quarter (label, IQAs, share)
    rows = table.rows
    counts = [(row[0].value, row[1].value) for row in rows] + [(row[3].value, row[4].value) for row in rows]
    return charts.count_bars(title, counts, css_class)


def page_charts(page_tables: list[tables.Table]) -> dict[str, tuple[str, str, str]]:
    """Each chart's (inline SVG, title, note) by the name of the table it draws, from the tables the page computed:
    a page with charts costs one computation, not one more per chart."""
    return {
        table.name: (
            mark_safe(chart_svg(table, CHART_CLASS)),  # noqa: S308 - charts escapes every label
            CHARTS[table.name],
            CHART_NOTES[table.name],
        )
        for table in page_tables
        if table.name in CHARTS
    }


@login_required
def dashboard(request):
    report = build_report(request)
    page_tables = dashboard_tables(report)
    context = _page_context(report, "dashboard", page_tables, charts=page_charts(page_tables))
    return render(request, "reporting/dashboard.html", context)


def _chart_table(report: Report, name: str) -> tables.Table:
    if name == "questions":
        return tables.question_table(report.questions_and_trend[0], report.drill)
    if name == "trend":
        return tables.trend_table(report.questions_and_trend[2], report.quarters)
    if name == "timing":
        return tables.timing_table(report.timing())
    raise Http404("No such chart.")


@login_required
def chart(request, name):
    """A chart of the dashboard as an SVG image, for anyone who links one: the pages draw theirs inline, from the
    figures they already computed."""
    if name not in CHARTS:
        raise Http404("No such chart.")
    report = build_report(request)
    response = HttpResponse(chart_svg(_chart_table(report, name)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def compare_tables(report: Report, form: CompareForm) -> list[tables.Table]:
    if not form.is_valid():
        return []
    keys, labels, chosen_periods = form.keys_and_labels()
    dimension = form.chosen_dimension
    # Only the compared values' IQAs are grouped, not the whole purview's.
    source = report.source if facts.for_report(report, *(chosen_periods or [])) else report.assessments
    if dimension != "period":
        source = facts.in_groups(facts.in_period(source, report.period), dimension, keys)
    overviews = facts.overview_by(source, dimension, periods=chosen_periods)
    by_question = facts.question_results_by(source, dimension, periods=chosen_periods)
    result = [
        tables.compare_table(keys, labels, overviews, figures.Overview()),
        tables.compare_question_table(keys, labels, by_question),
    ]
    quarters = periods.quarters_in(report.period)
    if dimension != "period" and len(quarters) > 1:
        by_quarter = facts.fully_met_by_quarter(source, dimension, quarters)
        result.append(tables.quarter_table(keys, labels, quarters, by_quarter))
    return result


def _compare_form(report: Report) -> CompareForm:
    data = report.request.GET if "dimension" in report.request.GET else None
    return CompareForm(data, report_filter=report.filter)


@login_required
def compare(request):
    report = build_report(request)
    form = _compare_form(report)
    context = _page_context(
        report, "compare", compare_tables(report, form), form=form, min_count=settings.REPORTING_MIN_COUNT
    )
    return render(request, "reporting/compare.html", context)


def consistency_tables(report: Report, rows: list[figures.AssessorConsistency] | None = None) -> list[tables.Table]:
    """The table of who marks whom how, for the consistency page and the committee pack alike (given its rows when
    they are already computed)."""
    if rows is None:
        rows = facts.assessor_consistency(facts.in_period(report.source, report.period))
    return [tables.consistency_table(rows, report.drill)]


@login_required
def consistency(request):
    report = build_report(request)
    context = _page_context(report, "consistency", consistency_tables(report))
    return render(request, "reporting/consistency.html", context)


def _drilled(report: Report) -> QuerySet[Assessment]:
    get = report.request.GET
    return (
        figures.drilldown(report.in_period, **{name: get.get(name, "") for name in DRILL_PARAMETERS})
        # Prefetched, not joined: more tables in the query cost the planner more than the page takes to run. The
        # teams, units and areas are the filter's rows.
        .prefetch_related("assessor", "assessed", "case")
        .order_by("-work_date", "-pk")
    )


def _drilldown_table(report: Report, assessments, linked=frozenset()) -> tables.Table:
    return tables.drilldown_table(assessments, {row.id: row for row in report.filter.team_rows}, linked)


def drilldown_tables(report: Report) -> list[tables.Table]:
    """The XLSX export's table: the first rows only (the CSV streams every row: drilldown_csv)."""
    return [_drilldown_table(report, _drilled(report)[: exports.XLSX_ROW_LIMIT])]


def drilldown_csv(report: Report, name: str):
    """Every IQA of the drill-down as CSV, streamed, from the page's own scoped query and table. Its people and
    cases are joined, not prefetched: one query is planned once for the whole stream, where prefetching would add
    queries with every chunk."""
    teams = {row.id: row for row in report.filter.team_rows}
    rows = _drilled(report).prefetch_related(None).select_related("assessor", "assessed", "case")
    return exports.streamed_csv(lambda chunk: tables.drilldown_table(chunk, teams), rows, name)


class CountedPaginator(Paginator):
    """A paginator told its count when the facts know it (reporting.facts.drilldown_count), else counting."""

    def __init__(self, object_list, per_page, count: int | None):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return super().count if self._known_count is None else self._known_count


@login_required
def drilldown(request):
    report = build_report(request)
    drill = {name: request.GET[name] for name in DRILL_PARAMETERS if request.GET.get(name)}
    count = facts.drilldown_count(facts.in_period(report.source, report.period), **drill)
    page = CountedPaginator(_drilled(report), PAGE_SIZE, count).get_page(request.GET.get("page"))
    # Reporting may cover IQAs the viewer cannot open (a performance viewer reads figures, not IQAs): only those
    # they may open are linked, so no link leads to a 404 (one query).
    shown = [iqa.pk for iqa in page.object_list]
    linked = set(
        assessment_selectors.visible_assessments(request.user).filter(pk__in=shown).values_list("pk", flat=True)
    )
    context = _page_context(
        report,
        "drilldown",
        [_drilldown_table(report, page.object_list, linked)],
        page_obj=page,
        drill=drill,
        drill_description=figures.drilldown_description(**drill),
        page_query=report.filter_query(**drill),
        xlsx_row_limit=exports.XLSX_ROW_LIMIT,
    )
    return render(request, "reporting/drilldown.html", context)


@login_required
def committee_pack(request):
    """A printable casework quality committee pack for a period and purview: the dashboard's tables and charts, the
    consistency page's "who marks whom how" (the same tables, from the same functions), and the flagged assessors."""
    report = build_report(request)
    consistency_rows = facts.assessor_consistency(facts.in_period(report.source, report.period))
    page_tables = dashboard_tables(report)
    context = _page_context(
        report,
        "pack",
        page_tables + consistency_tables(report, consistency_rows),
        outliers=tables.outliers_table([row for row in consistency_rows if row.flag], report.drill),
        charts=page_charts(page_tables),
        generated_at=timezone.localtime(),
    )
    return render(request, "reporting/committee_pack.html", context)


# --- Exports -------------------------------------------------------------------------------------------------


def _page_tables(report: Report, page: str) -> list[tables.Table]:
    if page == "dashboard":
        return dashboard_tables(report)
    if page == "compare":
        return compare_tables(report, _compare_form(report))
    if page == "consistency":
        return consistency_tables(report)
    if page == "drilldown":
        return drilldown_tables(report)
    raise Http404("No such report.")


@login_required
def export(request, page, table, fmt):
    report = build_report(request)
    name = exports.filename(page, table, report.period.label, fmt)
    if page == "drilldown" and fmt == "csv" and table in ("drilldown", "all"):
        return drilldown_csv(report, name)
    page_tables = _page_tables(report, page)
    chosen = page_tables if table == "all" else [t for t in page_tables if t.name == table]
    if not chosen or (fmt == "csv" and len(chosen) > 1):
        raise Http404("No such table.")
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(chosen[0]), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(chosen, title=f"{page} {report.period.label}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
