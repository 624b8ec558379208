"""Admin for the IQA records: cases, half-days, IQAs and their answers, drafts, plans, feedback, acknowledgements
and challenges. Mostly read-only: the app records them, applying the scheme's rules."""

from django import forms
from django.contrib import admin
from django.contrib.postgres.fields import ArrayField

from assessments.models import (
    Acknowledgement,
    Answer,
    AnswerReason,
    Assessment,
    Case,
    Challenge,
    Draft,
    Feedback,
    HalfDay,
    PlannedAssessment,
)
from qa_platform.admin_read_only import KeptReadOnlyAdminMixin, ReadOnlyAdminMixin


def _choices_field(db_field):
    """Tick boxes for an ArrayField of choices, instead of typing comma-separated codes."""
    return forms.TypedMultipleChoiceField(
        choices=db_field.base_field.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=db_field.verbose_name.capitalize(),
        help_text=db_field.help_text,
    )


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["urn", "area", "unit", "court", "stage", "status", "registered_by", "registered_at"]
    list_filter = ["status", "court", "stage", "area"]
    list_select_related = ["area", "unit__area", "registered_by"]
    search_fields = ["urn"]
    autocomplete_fields = ["unit", "registered_by"]
    readonly_fields = ["area", "registered_at"]
    date_hierarchy = "registered_at"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, ArrayField) and db_field.base_field.choices:
            return _choices_field(db_field)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(HalfDay)
class HalfDayAdmin(admin.ModelAdmin):
    list_display = ["assessed", "activity", "work_date", "assessor"]
    list_filter = ["activity"]
    search_fields = ["assessed__full_name", "assessor__full_name"]
    autocomplete_fields = ["assessor", "assessed"]
    date_hierarchy = "work_date"

    def get_queryset(self, request):
        # Here rather than list_select_related (which Django then ignores): the autocomplete on assessments
        # names half-days through this queryset too.
        return super().get_queryset(request).select_related("assessed", "assessor")


class AnswersAsRecorded(KeptReadOnlyAdminMixin):
    """Answers are shown as recorded, with their reasons, and never edited here: they change only through the IQA
    form (or an upheld challenge), which applies the scheme's rules."""

    @admin.display(description="Reasons")
    def reason_list(self, answer):
        return "; ".join(reason.text for reason in answer.reasons.all())


class AnswerInline(AnswersAsRecorded, admin.TabularInline):
    model = Answer
    fields = ["question", "value", "reason_list", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question").prefetch_related("reasons")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case", "assessor", "team", "activity", "work_date", "state", "recorded_on_time"]
    list_filter = ["activity", "state", "recorded_on_time", "action_required"]
    list_select_related = ["assessed", "assessor", "team__unit", "case"]
    search_fields = ["case__urn", "assessed__full_name", "assessor__full_name"]
    autocomplete_fields = ["assessor", "assessed", "team", "case", "half_day"]
    # What was assessed against is fixed: changing it would orphan the answers.
    readonly_fields = ["activity", "question_set", "disclosure_set", "recorded_at", "version", "updated_at"]
    date_hierarchy = "work_date"
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        # IQAs are recorded through the IQA form, which applies the scheme's rules.
        return False

    def save_model(self, request, obj, form, change):
        # An admin edit is an amendment too: a draft amending the older version must notice it.
        obj.version += 1
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Answer)
class AnswerAdmin(AnswersAsRecorded, ReadOnlyAdmin):
    list_display = ["assessment", "question", "value"]
    list_filter = ["value", "question__question_set__activity"]
    list_select_related = ["assessment__assessed", "question"]
    search_fields = ["assessment__case__urn", "question__code"]
    fields = ["assessment", "question", "value", "reason_list", "comment"]
    readonly_fields = ["reason_list"]


@admin.register(AnswerReason)
class AnswerReasonAdmin(ReadOnlyAdmin):
    list_display = ["pk", "answer", "reason"]
    list_select_related = ["answer__question", "reason"]
    search_fields = ["answer__assessment__case__urn", "reason__code"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    """What an assessor typed, kept exactly; an administrator may delete an abandoned draft but not edit it."""

    list_display = ["assessed", "owner", "activity", "work_date", "updated_at", "submitted_at"]
    list_filter = ["activity", ("submitted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["assessed", "owner"]
    search_fields = ["assessed__full_name", "owner__full_name"]
    date_hierarchy = "updated_at"


@admin.register(PlannedAssessment)
class PlannedAssessmentAdmin(admin.ModelAdmin):
    list_display = ["assessed", "assessor", "activity", "week_starting", "assessment"]
    list_filter = ["activity"]
    list_select_related = ["assessed", "assessor", "assessment__assessed"]
    search_fields = ["assessed__full_name", "assessor__full_name"]
    autocomplete_fields = ["assessor", "assessed"]
    readonly_fields = ["assessment", "created_at"]
    date_hierarchy = "week_starting"


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "given_on", "mode", "recorded_by", "recorded_at"]
    list_filter = ["mode"]
    list_select_related = ["assessment__assessed", "recorded_by"]
    search_fields = ["assessment__assessed__full_name", "assessment__case__urn"]
    date_hierarchy = "given_on"


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "acknowledged_at"]
    list_select_related = ["assessment__assessed"]
    search_fields = ["assessment__assessed__full_name", "assessment__case__urn"]


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    """Challenges are raised and decided on the site, where scoping applies; admin shows them."""

    list_display = ["answer", "raised_by", "raised_at", "original_value", "proposed_value", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["answer__question", "raised_by", "decided_by"]
    search_fields = ["raised_by__full_name", "answer__assessment__case__urn"]
    date_hierarchy = "raised_at"

    def has_delete_permission(self, request, obj=None):
        return False
