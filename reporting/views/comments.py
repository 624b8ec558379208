"""The comments extract: the comments written on answers, for comments viewers over their purview only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from assessments.models import Answer
from assessments.selectors import in_period
from organisation import scoping
from organisation.models import Role
from qa_platform.pagination import page_of
from reporting import exports, tables
from reporting.filters import ReportFilter
from reporting.views.report import quick_periods

PAGE_SIZE = 50


def _extract(request):
    scoping.require_role(request.user, Role.COMMENTS_VIEWER)
    report_filter = ReportFilter.for_purview(request.GET or None, request.user, Role.COMMENTS_VIEWER)
    period = report_filter.chosen_period()
    answers = (
        Answer.objects.filter(assessment__in=in_period(report_filter.qs, period).values("pk"))
        # The period again on the joined IQA, so the newest-first scan starts at the period's end instead of probing
        # every later IQA against the subquery (an area's year: 350 ms to a few ms on the national demo).
        .filter(assessment__work_date__gte=period.start, assessment__work_date__lte=period.end)
        .exclude(comment="")
        .select_related("assessment__team", "question")
        .order_by("-assessment__work_date", "assessment_id", "question__number")
    )
    return report_filter, period, answers


@login_required
def comments(request):
    report_filter, period, answers = _extract(request)
    page = page_of(request, answers, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": "comments",
        "filter": report_filter,
        "period": period,
        "quick_periods": quick_periods(),
        "tables": [tables.comments_table(page.object_list)],
        "page_obj": page,
        "full_query": query.urlencode(),
        "xlsx_row_limit": exports.XLSX_ROW_LIMIT,
    }
    return render(request, "reporting/comments.html", context)


@login_required
def comments_export(request, fmt):
    """The extract as CSV (every comment, streamed) or XLSX (the first exports.XLSX_ROW_LIMIT)."""
    _, period, answers = _extract(request)
    name = exports.filename("comments", "extract", period.label, fmt)
    if fmt == "csv":
        return exports.streamed_csv(tables.comments_table, answers, name)
    table = tables.comments_table(answers[: exports.XLSX_ROW_LIMIT])
    response = HttpResponse(
        exports.to_xlsx([table]), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
