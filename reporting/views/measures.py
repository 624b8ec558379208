"""Importing performance measures: performance viewers over an area (or nationally) upload a CSV for their areas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from qa_platform.pagination import page_of
from reporting import measures, selectors
from reporting.forms import MeasuresUploadForm
from reporting.models import PerformanceMeasure

PAGE_SIZE = 50


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
    page = page_of(request, visible, PAGE_SIZE)
    context = {"form": form, "row_errors": row_errors, "page_obj": page, "may_import": areas.exists()}
    return render(request, "reporting/measures.html", context)
