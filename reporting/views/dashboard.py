"""The dashboard, its charts (inline, and as SVG images for anyone who links one), and the committee pack."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from qa_platform import periods
from reporting import charts, facts, figures, tables
from reporting.models import PerformanceMeasure
from reporting.targets import proxy_target, target_scope
from reporting.views.consistency import consistency_tables
from reporting.views.report import Report, build_report, page_context


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
    context = page_context(report, "dashboard", page_tables, charts=page_charts(page_tables))
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


@login_required
def committee_pack(request):
    """A printable casework quality committee pack for a period and purview: the dashboard's tables and charts, the
    consistency page's "who marks whom how" (the same tables, from the same functions), and the flagged assessors."""
    report = build_report(request)
    consistency_rows = facts.assessor_consistency(facts.in_period(report.source, report.period))
    page_tables = dashboard_tables(report)
    context = page_context(
        report,
        "pack",
        page_tables + consistency_tables(report, consistency_rows),
        outliers=tables.outliers_table([row for row in consistency_rows if row.flag], report.drill),
        charts=page_charts(page_tables),
        generated_at=timezone.localtime(),
    )
    return render(request, "reporting/committee_pack.html", context)
