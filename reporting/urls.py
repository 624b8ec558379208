from django.urls import path, register_converter

from reporting import comments_views, measures_views, views


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "fmt")

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compare/", views.compare, name="compare"),
    path("consistency/", views.consistency, name="consistency"),
    path("iqas/", views.drilldown, name="drilldown"),
    path("committee-pack/", views.committee_pack, name="committee_pack"),
    path("chart/<slug:name>.svg", views.chart, name="chart"),
    path("export/<slug:page>/<slug:table>.<fmt:fmt>", views.export, name="export"),
    path("measures/", measures_views.measure_list, name="measures"),
    path("comments/", comments_views.comments, name="comments"),
    path("comments/extract.<fmt:fmt>", comments_views.comments_export, name="comments_export"),
]
