"""The compare page: the figures of chosen activities, places, assessors or periods side by side."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from qa_platform import periods
from reporting import facts, figures, tables
from reporting.forms import CompareForm
from reporting.views.report import Report, build_report, page_context


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


def compare_form(report: Report) -> CompareForm:
    data = report.request.GET if "dimension" in report.request.GET else None
    return CompareForm(data, report_filter=report.filter)


@login_required
def compare(request):
    report = build_report(request)
    form = compare_form(report)
    context = page_context(
        report, "compare", compare_tables(report, form), form=form, min_count=settings.REPORTING_MIN_COUNT
    )
    return render(request, "reporting/compare.html", context)
