from django.contrib import admin
from django.utils import timezone

from reporting.models import (
    AnswerFact,
    IqaFact,
    IqasPerHalfDay,
    PerformanceMeasure,
    ReasonFact,
    RemarkFact,
    TargetOverride,
)


@admin.register(IqasPerHalfDay)
class IqasPerHalfDayAdmin(admin.ModelAdmin):
    """One row per activity: the multiplier the proxy targets use. Changes are kept in the audit history."""

    list_display = ["activity", "iqas_per_half_day", "note", "updated_at"]
    list_editable = ["iqas_per_half_day"]
    list_filter = ["activity"]
    search_fields = ["activity", "note"]
    readonly_fields = ["updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # an activity without a row silently counts 1; keep the row and edit it


@admin.register(TargetOverride)
class TargetOverrideAdmin(admin.ModelAdmin):
    """A hand-set proxy target for a place and business year, with who set it and why (kept in the history)."""

    list_display = ["__str__", "level", "business_year", "office_based", "court_based", "set_by", "set_at"]
    list_filter = ["level", "business_year", "area", "unit__area"]
    list_select_related = ["team__unit", "unit__area", "area", "set_by"]
    search_fields = ["team__name", "unit__name", "area__name", "reason"]
    autocomplete_fields = ["team", "unit", "area"]
    readonly_fields = ["set_by", "set_at"]
    fields = ["level", "team", "unit", "area", "business_year", "office_based", "court_based", "reason"]
    fields += readonly_fields

    def save_model(self, request, obj, form, change):
        # The latest person to set it, and when; earlier values stay in the audit history.
        obj.set_by, obj.set_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(PerformanceMeasure)
class PerformanceMeasureAdmin(admin.ModelAdmin):
    """Imported performance figures per area and business quarter; imports replace values (kept in the history)."""

    list_display = ["measure", "area", "period_label", "value", "activity", "imported_by", "imported_at"]
    list_filter = ["business_year", "quarter", "activity", "area"]
    list_select_related = ["area", "imported_by"]
    search_fields = ["measure", "area__name"]
    readonly_fields = ["imported_by", "imported_at"]


class FactAdmin(admin.ModelAdmin):
    """The reporting facts, to look at: the triggers write them and `rebuild_reporting_facts` recomputes them."""

    list_filter = ["month", "activity", "case_court"]
    list_select_related = ["team", "assessor"]
    ordering = ["-month", "team", "assessor"]
    show_full_result_count = False  # no count(*) over the whole table on every page

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnswerFact)
class AnswerFactAdmin(FactAdmin):
    list_display = ["month", "team", "assessor", "activity", "case_court", "question", "value", "n"]
    list_select_related = ["team", "assessor", "question"]


@admin.register(ReasonFact)
class ReasonFactAdmin(FactAdmin):
    list_display = ["month", "team", "assessor", "activity", "case_court", "reason", "n"]
    list_select_related = ["team", "assessor", "reason"]


@admin.register(IqaFact)
class IqaFactAdmin(FactAdmin):
    list_display = [
        "month",
        "team",
        "assessor",
        "activity",
        "case_court",
        "case_status",
        "recorded_on_time",
        "feedback_given",
        "feedback_in_time",
        "dip_sampled",
        "recorded_month",
        "n",
    ]
    list_filter = [*FactAdmin.list_filter, "case_status", "feedback_given", "dip_sampled"]


@admin.register(RemarkFact)
class RemarkFactAdmin(FactAdmin):
    list_display = ["month", "team", "assessor", "activity", "case_court", "question", "assessor_value", "answer", "n"]
    list_select_related = ["team", "assessor", "question"]
    list_filter = [*FactAdmin.list_filter, "assessor_value", "answer"]
