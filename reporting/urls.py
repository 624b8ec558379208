from django.urls import path, register_converter

from reporting.views import comments, compare, consistency, dashboard, drilldown, exports, measures


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "fmt")

app_name = "reporting"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("compare/", compare.compare, name="compare"),
    path("consistency/", consistency.consistency, name="consistency"),
    path("iqas/", drilldown.drilldown, name="drilldown"),
    path("committee-pack/", dashboard.committee_pack, name="committee_pack"),
    path("chart/<slug:name>.svg", dashboard.chart, name="chart"),
    path("export/<slug:page>/<slug:table>.<fmt:fmt>", exports.export, name="export"),
    path("measures/", measures.measure_list, name="measures"),
    path("comments/", comments.comments, name="comments"),
    path("comments/extract.<fmt:fmt>", comments.comments_export, name="comments_export"),
]
