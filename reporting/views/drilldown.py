"""The drill-down: the IQAs behind a figure, a page at a time, and every one of them as a streamed CSV."""

from functools import cached_property

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render

from assessments import selectors as assessment_selectors
from assessments.models import Assessment
from reporting import exports, facts, figures, tables
from reporting.views.report import DRILL_PARAMETERS, PAGE_SIZE, Report, build_report, page_context


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
    context = page_context(
        report,
        "drilldown",
        [_drilldown_table(report, page.object_list, linked)],
        page_obj=page,
        drill=drill,
        drill_description=figures.drilldown_description(**drill),
        xlsx_row_limit=exports.XLSX_ROW_LIMIT,
    )
    return render(request, "reporting/drilldown.html", context)
