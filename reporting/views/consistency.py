"""The assessor consistency page: who marks whom how."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reporting import facts, figures, tables
from reporting.views.report import Report, build_report, page_context


def consistency_tables(report: Report, rows: list[figures.AssessorConsistency] | None = None) -> list[tables.Table]:
    """The table of who marks whom how, for the consistency page and the committee pack alike (given its rows when
    they are already computed)."""
    if rows is None:
        rows = facts.assessor_consistency(facts.in_period(report.source, report.period))
    return [tables.consistency_table(rows, report.drill)]


@login_required
def consistency(request):
    report = build_report(request)
    context = page_context(report, "consistency", consistency_tables(report))
    return render(request, "reporting/consistency.html", context)
