"""Admin for case reviews (added, edited, closed and reopened here, through scrutiny.services so the milestones
follow) and, read-only, for the records the scrutiny screens and the monthly draw write."""

from django.contrib import admin

from qa_platform.admin_read_only import KeptReadOnlyAdminMixin
from scrutiny import services
from scrutiny.models import (
    CaseReview,
    ClosedCaseDipSample,
    Milestone,
    MilestoneAction,
    MonthlyClosedCaseSample,
    OneToOneNote,
)


class ReadOnlyAdmin(KeptReadOnlyAdminMixin, admin.ModelAdmin):
    """Records written by the app: seen here, changed only through the screens (every change is audited)."""


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["kind", "due_on", "status", "done_on", "done_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CaseReview)
class CaseReviewAdmin(admin.ModelAdmin):
    list_display = ["reference", "allocated_on", "status", "case_review_manager", "group_leader", "team", "closed_on"]
    list_filter = ["status", "decision", "decided_by", "heard_by_lrcc", "team__unit"]
    search_fields = ["reference", "offence_summary", "case_review_manager__full_name", "group_leader__full_name"]
    date_hierarchy = "allocated_on"
    list_select_related = ["case_review_manager", "group_leader", "team__unit"]
    autocomplete_fields = ["case_review_manager", "group_leader"]
    inlines = [MilestoneInline]

    def save_model(self, request, obj, form, change):
        # Through the service: the milestones follow the allocated date, and closing cancels what is pending.
        services.case_review_save(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            def _post_clean(self):
                super()._post_clean()  # the instance now holds the values typed
                for field, message in services.case_review_errors(self.instance).items():
                    if field in self.fields and field not in self.errors:
                        self.add_error(field, message)

        return CheckedForm


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["case_review", "kind", "due_on", "status", "done_on", "done_by"]
    list_filter = ["kind", "status", "due_on"]
    search_fields = ["case_review__reference"]
    list_select_related = ["case_review", "done_by"]


@admin.register(MilestoneAction)
class MilestoneActionAdmin(ReadOnlyAdmin):
    list_display = ["milestone", "description", "owner", "due_on", "completed_on"]
    list_filter = ["due_on", "completed_on"]
    search_fields = ["description", "milestone__case_review__reference", "owner__full_name"]
    list_select_related = ["milestone__case_review", "owner"]


@admin.register(OneToOneNote)
class OneToOneNoteAdmin(ReadOnlyAdmin):
    list_display = ["case_review", "met_on", "recorded_by"]
    list_filter = ["met_on"]
    search_fields = ["case_review__reference", "note"]
    list_select_related = ["case_review", "recorded_by"]


@admin.register(MonthlyClosedCaseSample)
class MonthlyClosedCaseSampleAdmin(ReadOnlyAdmin):
    list_display = ["month", "drawn_at", "eligible_count", "seed"]
    list_filter = ["month"]
    search_fields = ["rule"]


@admin.register(ClosedCaseDipSample)
class ClosedCaseDipSampleAdmin(ReadOnlyAdmin):
    list_display = ["case_review", "sample", "reviewer", "reviewed_on", "should_reopen"]
    list_filter = ["sample__month", "should_reopen", "reviewed_on"]
    search_fields = ["case_review__reference", "reviewer__full_name"]
    list_select_related = ["case_review", "sample", "reviewer"]
