"""Importing performance measures: performance viewers over an area (or nationally) upload a CSV for their areas."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from reporting import measures, selectors
from reporting.models import PerformanceMeasure

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
PAGE_SIZE = 50


class MeasuresUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of measures",
        help_text="Columns: area, business_year, quarter, measure, value, activity (optional). One row per area, "
        "quarter and measure.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; split it.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The file is not UTF-8 text; save it from the spreadsheet as CSV UTF-8."
            ) from error


@login_required
def measure_list(request):
    selectors.require_reporting(request.user)
    areas = selectors.measure_areas(request.user)
    form = MeasuresUploadForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        parsed, row_errors = measures.parse(form.cleaned_data["file"], areas)
        if not row_errors:
            created, replaced = measures.import_measures(parsed, imported_by=request.user)
            messages.success(request, f"Imported {created} new measure(s) and replaced {replaced}.")
            return redirect("reporting:measures")
        form.add_error("file", f"Nothing was saved: {len(row_errors)} problem(s) in the file, listed below.")
    visible = PerformanceMeasure.objects.filter(
        area__in=selectors.reporting_teams(request.user).values("unit__area_id")
    ).select_related("area")
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "row_errors": row_errors, "page_obj": page, "may_import": areas.exists()}
    return render(request, "reporting/measures.html", context)
