"""A page's tables as CSV (one table) or XLSX (one or all), with the page's own filters."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from reporting import exports, tables
from reporting.views.compare import compare_form, compare_tables
from reporting.views.consistency import consistency_tables
from reporting.views.dashboard import dashboard_tables
from reporting.views.drilldown import drilldown_csv, drilldown_tables
from reporting.views.report import Report, build_report


def _page_tables(report: Report, page: str) -> list[tables.Table]:
    if page == "dashboard":
        return dashboard_tables(report)
    if page == "compare":
        return compare_tables(report, compare_form(report))
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
